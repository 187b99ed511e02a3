//! Each fault, switched through the admin API, and the exact response a client sees.

mod support;

use kura_sandbox::SandboxConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

async fn accounts(sandbox: &kura_sandbox::Sandbox, token: &str) -> reqwest::Response {
    get(sandbox, token, "/v1/accounts").await
}

#[tokio::test]
async fn faults_read_back_reset_with_an_empty_body_and_reject_bad_settings() {
    let sandbox = start().await;
    let defaults: Value =
        http().get(format!("{}/admin/faults", sandbox.base_url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(defaults["failStatus"], 500);
    assert_eq!(defaults["retryAfterSeconds"], 30);
    assert_eq!(defaults["maintenance"], false);
    let set = set_faults(&sandbox, json!({"latencyMs": 20, "omitItemKey": true})).await;
    assert_eq!(set["latencyMs"], 20);
    assert_eq!(set["omitItemKey"], true);
    assert_eq!(set_faults(&sandbox, json!({})).await, defaults);
    for bad in [
        json!({"errorRate": 1.5}),
        json!({"failStatus": 502}),
        json!({"noSuchFault": true}),
        json!({"maintenanceFrom": "2026-11-24T10:00:00+09:00"}),
        json!({"maintenanceFrom": "2026-11-24T10:00:00+09:00", "maintenanceTo": "2026-11-24T09:00:00+09:00"}),
        json!({"latencyMs": -1}),
    ] {
        let response = http().put(format!("{}/admin/faults", sandbox.base_url)).json(&bad).send().await.unwrap();
        expect_error(response, StatusCode::BAD_REQUEST, "INVALID_PARAMETER").await;
    }
}

#[tokio::test]
async fn latency_delays_but_does_not_change_the_response() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    set_faults(&sandbox, json!({"latencyMs": 30})).await;
    assert_eq!(accounts(&sandbox, &token).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn error_rate_one_fails_every_request_with_500_or_503() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    set_faults(&sandbox, json!({"errorRate": 1.0})).await;
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..20 {
        let response = accounts(&sandbox, &token).await;
        let status = response.status();
        let code = if status == StatusCode::INTERNAL_SERVER_ERROR { "INTERNAL_ERROR" } else { "SERVICE_UNAVAILABLE" };
        let headers = expect_error(response, status, code).await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(headers["retry-after"], "30");
        }
        seen.insert(status.as_u16());
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), [500, 503]);
    set_faults(&sandbox, json!({"errorRate": 0.0})).await;
    assert_eq!(accounts(&sandbox, &token).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn fail_next_fails_exactly_n_requests() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    set_faults(&sandbox, json!({"failNext": 2, "failStatus": 503, "retryAfterSeconds": 7})).await;
    for _ in 0..2 {
        let headers =
            expect_error(accounts(&sandbox, &token).await, StatusCode::SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE")
                .await;
        assert_eq!(headers["retry-after"], "7");
    }
    assert_eq!(accounts(&sandbox, &token).await.status(), StatusCode::OK);
    set_faults(&sandbox, json!({"failNext": 1})).await;
    expect_error(accounts(&sandbox, &token).await, StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR").await;
    assert_eq!(accounts(&sandbox, &token).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    set_faults(&sandbox, json!({"rateLimitNext": 1})).await;
    let headers = expect_error(accounts(&sandbox, &token).await, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED").await;
    assert_eq!(headers["retry-after"], "30");
    assert_eq!(accounts(&sandbox, &token).await.status(), StatusCode::OK);
    set_faults(&sandbox, json!({"rateLimited": true, "retryAfterSeconds": 120})).await;
    for _ in 0..3 {
        let headers =
            expect_error(accounts(&sandbox, &token).await, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED").await;
        assert_eq!(headers["retry-after"], "120");
    }
    // Gateway faults come before authentication: even a bad token sees them.
    expect_error(accounts(&sandbox, "bogus").await, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED").await;
}

#[tokio::test]
async fn maintenance_switch_and_window_on_the_simulated_clock() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    set_faults(&sandbox, json!({"maintenance": true, "retryAfterSeconds": 600})).await;
    let headers =
        expect_error(accounts(&sandbox, &token).await, StatusCode::SERVICE_UNAVAILABLE, "UNDER_MAINTENANCE").await;
    assert_eq!(headers["retry-after"], "600");

    // A window from an hour ago to an hour from now: Retry-After counts down to its end.
    let now = sandbox.state.clock.now();
    let window = json!({
        "maintenanceFrom": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "maintenanceTo": (now + chrono::Duration::hours(1)).to_rfc3339(),
    });
    set_faults(&sandbox, window).await;
    let headers =
        expect_error(accounts(&sandbox, &token).await, StatusCode::SERVICE_UNAVAILABLE, "UNDER_MAINTENANCE").await;
    let wait: i64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3_500..=3_600).contains(&wait), "{wait}");
    // A window that has not started yet, then the clock moving into it and past it.
    let tomorrow = now + chrono::Duration::days(1);
    set_faults(
        &sandbox,
        json!({
            "maintenanceFrom": (tomorrow - chrono::Duration::hours(2)).to_rfc3339(),
            "maintenanceTo": (tomorrow + chrono::Duration::hours(2)).to_rfc3339(),
        }),
    )
    .await;
    assert_eq!(accounts(&sandbox, &token).await.status(), StatusCode::OK);
    advance_days(&sandbox, 1).await;
    let fresh = demo_token(&sandbox, "2011").await;
    expect_error(accounts(&sandbox, &fresh).await, StatusCode::SERVICE_UNAVAILABLE, "UNDER_MAINTENANCE").await;
    advance_days(&sandbox, 1).await;
    let fresh = demo_token(&sandbox, "2011").await;
    assert_eq!(accounts(&sandbox, &fresh).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn expire_all_tokens_makes_issued_tokens_expired_until_refreshed() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    let after = set_faults(&sandbox, json!({"expireAllTokens": true})).await;
    assert_eq!(after["expireAllTokens"], false, "an action, not a setting");
    let headers = expect_error(accounts(&sandbox, &token).await, StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED").await;
    assert!(headers["www-authenticate"].to_str().unwrap().contains("invalid_token"));
    let fresh = demo_token(&sandbox, "2011").await;
    assert_eq!(accounts(&sandbox, &fresh).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn revoke_all_tokens_makes_every_token_invalid() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    let after = set_faults(&sandbox, json!({"revokeAllTokens": true})).await;
    assert_eq!(after["revokeAllTokens"], false);
    let headers = expect_error(accounts(&sandbox, &token).await, StatusCode::UNAUTHORIZED, "INVALID_TOKEN").await;
    assert!(headers["www-authenticate"].to_str().unwrap().contains("invalid_token"));
}

#[tokio::test]
async fn malformed_json_is_a_200_whose_body_does_not_parse() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    set_faults(&sandbox, json!({"malformedJson": 1})).await;
    let response = accounts(&sandbox, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    assert!(text.starts_with(r#"{"accounts":["#) && text.ends_with(','), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());
    assert_eq!(
        accounts(&sandbox, &token).await.json::<Value>().await.unwrap()["accounts"].as_array().unwrap().len(),
        4
    );
}

#[tokio::test]
async fn truncated_body_promises_more_than_it_sends() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    set_faults(&sandbox, json!({"truncatedBody": 1})).await;
    let response = accounts(&sandbox, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let promised: usize = response.headers()["content-length"].to_str().unwrap().parse().unwrap();
    assert!(promised > 100);
    let error = response.bytes().await.expect_err("the body ends before Content-Length");
    assert!(error.is_body() || error.is_decode(), "{error:?}");
    assert_eq!(accounts(&sandbox, &token).await.status(), StatusCode::OK);
}

/// A sandbox whose bench account has 1,200 lines: pages of 500, 500 and 200.
async fn paged() -> (kura_sandbox::Sandbox, String, String) {
    let sandbox = start_with(SandboxConfig { large_transactions: Some(1_200), ..config() }).await;
    let token = token(&sandbox, "bench", "2011", "transactions").await;
    let id = account_ids(&sandbox, &token).await.remove(0);
    (sandbox, token, id)
}

fn keys(page: &Value) -> Vec<String> {
    page["transactions"].as_array().unwrap().iter().map(|l| l["itemKey"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn repeat_page_serves_the_previous_page_again_with_the_same_key() {
    let (sandbox, token, id) = paged().await;
    let path = format!("/v1/accounts/{id}/transactions");
    let first = get_json(&sandbox, &token, &path).await;
    let key = first["nextItemKey"].as_str().unwrap().to_owned();
    set_faults(&sandbox, json!({"repeatPage": 1})).await;
    let repeated = get_json(&sandbox, &token, &format!("{path}?nextItemKey={key}")).await;
    assert_eq!(repeated["transactions"], first["transactions"]);
    assert_eq!(repeated["nextItemKey"], key.as_str());
    let second = get_json(&sandbox, &token, &format!("{path}?nextItemKey={key}")).await;
    assert_eq!(keys(&second).len(), 500);
    assert!(keys(&second)[0] > *keys(&first).last().unwrap());
}

#[tokio::test]
async fn duplicate_item_repeats_the_last_line_at_the_top_of_the_next_page() {
    let (sandbox, token, id) = paged().await;
    set_faults(&sandbox, json!({"duplicateItem": 1})).await;
    let pages = all_pages(&sandbox, &token, &id, "").await;
    let sizes: Vec<usize> = pages.iter().map(|p| keys(p).len()).collect();
    assert_eq!(sizes, [500, 500, 201]);
    assert_eq!(keys(&pages[1])[0], *keys(&pages[0]).last().unwrap());
    assert_eq!(pages[1]["transactions"][0], pages[0]["transactions"][499]);
    let mut all: Vec<String> = pages.iter().flat_map(keys).collect();
    all.dedup();
    assert_eq!(all.len(), 1_200);
}

#[tokio::test]
async fn loop_next_item_key_points_back_to_the_second_page_forever() {
    let (sandbox, token, id) = paged().await;
    set_faults(&sandbox, json!({"loopNextItemKey": true})).await;
    let path = format!("/v1/accounts/{id}/transactions");
    let first = get_json(&sandbox, &token, &path).await;
    let second_key = first["nextItemKey"].as_str().unwrap().to_owned();
    let mut key = second_key.clone();
    let mut seen = Vec::new();
    for _ in 0..5 {
        let page = get_json(&sandbox, &token, &format!("{path}?nextItemKey={key}")).await;
        assert_eq!(page["hasNext"], true);
        seen.push(keys(&page)[0].clone());
        key = page["nextItemKey"].as_str().unwrap().to_owned();
        assert_eq!(key, second_key);
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "the same page again and again");
}

#[tokio::test]
async fn omit_item_key_strips_item_keys() {
    let (sandbox, token, id) = paged().await;
    set_faults(&sandbox, json!({"omitItemKey": true})).await;
    let page = get_json(&sandbox, &token, &format!("/v1/accounts/{id}/transactions")).await;
    let lines = page["transactions"].as_array().unwrap();
    assert_eq!(lines.len(), 500);
    assert!(lines.iter().all(|l| l.get("itemKey").is_none()));
    assert_eq!(page["hasNext"], true);
}
