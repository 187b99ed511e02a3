//! The Open API client over real loopback HTTP: against the in-process sandbox (every endpoint,
//! paging, every fault) and against tiny hand-rolled servers for hostile answers the sandbox
//! never gives.

mod sync_support;

use std::collections::HashSet;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration as Days, NaiveDate};
use kura_core::api::{ApiClient, ApiError, TokenError};
use kura_core::model::Transaction;
use kura_core::testing::{self, StaticToken};
use serde_json::{Value, json};
use sync_support::*;

const ACCOUNT: &str = "2011-001-1";

async fn first_account(client: &ApiClient, tokens: &SandboxTokens) -> String {
    let list = client.accounts(tokens).await.unwrap();
    list.accounts.iter().find(|a| a.identity.account_type_code == "01").unwrap().account_id.clone()
}

fn window() -> (NaiveDate, NaiveDate) {
    (today() - Days::days(89), today())
}

#[tokio::test]
async fn accounts_balance_and_history_parse_into_yen_and_jst() {
    let sandbox = start().await;
    let tokens = tokens(&sandbox, "demo", "2011").await;
    let client = client(&sandbox);
    let list = client.accounts(&tokens).await.unwrap();
    assert_eq!(list.accounts.len(), 4, "2011 is a featured union: 普通, 貯蓄, 定期, 当座");
    assert!(
        list.accounts
            .iter()
            .all(|a| a.identity.bank_code == "2011" && a.account_id.starts_with(ACCOUNT.split('-').next().unwrap()))
    );
    assert_eq!(list.as_of.date, today());

    let id = first_account(&client, &tokens).await;
    let balance = client.balance(&tokens, &id).await.unwrap();
    assert_eq!(balance.as_of.date, today());
    let (from, to) = window();
    let lines = client.all_transactions(&tokens, &id, from, to).await.unwrap();
    assert!(lines.len() > 20, "three months of a salaried account");
    assert!(lines.windows(2).all(|w| w[0].transaction_date <= w[1].transaction_date));
    assert!(lines.iter().all(|t| t.item_key.is_some() && (from..=to).contains(&t.transaction_date)));
    // Balances chain: each line's balance is the previous one plus its signed amount.
    for w in lines.windows(2) {
        assert_eq!(w[0].balance.unwrap() + w[1].amount, w[1].balance.unwrap());
    }
    assert_eq!(lines.last().unwrap().balance.unwrap(), balance.balance);
}

#[tokio::test]
async fn large_history_is_followed_across_many_pages() {
    let (_sandbox, tokens, client, id) = large_account(2_600).await;
    let (from, to) = window();
    let mut pager = client.transactions(&tokens, &id, from, to);
    let mut all = Vec::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        assert!(page.transactions.len() <= 500);
        all.extend(page.transactions);
    }
    assert_eq!(all.len(), 2_600);
    assert_eq!(pager.pages_fetched(), 6);
    let keys: HashSet<_> = all.iter().map(|t| t.item_key.clone().unwrap()).collect();
    assert_eq!(keys.len(), all.len());
}

#[tokio::test]
async fn latency_and_5xx_are_retried_until_success() {
    let sandbox = start().await;
    let tokens = tokens(&sandbox, "demo", "2011").await;
    let client = client(&sandbox);
    faults(&sandbox, json!({"latencyMs": 50, "failNext": 2, "failStatus": 500})).await;
    assert_eq!(client.accounts(&tokens).await.unwrap().accounts.len(), 4);
    faults(&sandbox, json!({"failNext": 2, "failStatus": 503, "retryAfterSeconds": 0})).await;
    assert_eq!(client.accounts(&tokens).await.unwrap().accounts.len(), 4);
    // More failures than attempts: the user sees the server error with its raw body.
    faults(&sandbox, json!({"failNext": 10, "failStatus": 500})).await;
    let e = client.accounts(&tokens).await.unwrap_err();
    assert!(matches!(&e, ApiError::Http { status: 500, error_code: Some(c), .. } if c == "INTERNAL_ERROR"), "{e:?}");
    assert!(e.raw_body().unwrap().contains("INTERNAL_ERROR"));
    assert_eq!(e.kind(), "http");
}

#[tokio::test]
async fn rate_limit_retry_after_is_honoured_or_handed_back_when_long() {
    let sandbox = start().await;
    let tokens = tokens(&sandbox, "demo", "2011").await;
    let client = client(&sandbox);
    faults(&sandbox, json!({"rateLimitNext": 2, "retryAfterSeconds": 1})).await;
    assert_eq!(client.accounts(&tokens).await.unwrap().accounts.len(), 4);
    // Longer than the client waits itself: the caller (the scheduler) gets the wait.
    faults(&sandbox, json!({"rateLimited": true, "retryAfterSeconds": 600})).await;
    let e = client.accounts(&tokens).await.unwrap_err();
    assert!(matches!(e, ApiError::RateLimited { retry_after: Some(d), .. } if d == Duration::from_secs(600)), "{e:?}");
    assert_eq!(e.http_status(), Some(429));
}

#[tokio::test]
async fn maintenance_is_its_own_error_with_the_wait() {
    let sandbox = start().await;
    let tokens = tokens(&sandbox, "demo", "2011").await;
    let client = client(&sandbox);
    faults(&sandbox, json!({"maintenance": true, "retryAfterSeconds": 1800})).await;
    let e = client.accounts(&tokens).await.unwrap_err();
    assert!(matches!(e, ApiError::Maintenance { retry_after: Some(d), .. } if d == Duration::from_secs(1800)), "{e:?}");
    assert!(e.to_string().contains("maintenance"));
    assert!(e.raw_body().unwrap().contains("UNDER_MAINTENANCE"));
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_request_retried() {
    let sandbox = start().await;
    let tokens = tokens(&sandbox, "demo", "2011").await;
    let client = client(&sandbox);
    faults(&sandbox, json!({"expireAllTokens": true})).await;
    assert_eq!(client.accounts(&tokens).await.unwrap().accounts.len(), 4);
    assert_eq!(tokens.refresh_count(), 1);
    // The refreshed token keeps working without another refresh.
    client.accounts(&tokens).await.unwrap();
    assert_eq!(tokens.refresh_count(), 1);
}

#[tokio::test]
async fn a_revoked_grant_asks_the_user_to_link_again() {
    let sandbox = start().await;
    let tokens = tokens(&sandbox, "demo", "2011").await;
    let client = client(&sandbox);
    faults(&sandbox, json!({"revokeAllTokens": true})).await;
    let e = client.accounts(&tokens).await.unwrap_err();
    assert!(matches!(e, ApiError::Token(TokenError::ReauthRequired { .. })), "{e:?}");
    assert!(e.needs_relink());
    assert_eq!(e.kind(), "reauth_required");
    assert_eq!(tokens.refresh_count(), 1, "refreshed exactly once");
}

#[tokio::test]
async fn malformed_and_truncated_bodies_are_reported_then_retried_next_time() {
    let sandbox = start().await;
    let tokens = tokens(&sandbox, "demo", "2011").await;
    let client = client(&sandbox);
    faults(&sandbox, json!({"malformedJson": 1})).await;
    let e = client.accounts(&tokens).await.unwrap_err();
    assert!(
        matches!(&e, ApiError::Malformed { field, detail, .. } if field == "(body)" && detail.contains("not valid JSON")),
        "{e:?}"
    );
    assert!(e.raw_body().unwrap().starts_with("{\"accounts\""), "the raw body is kept for the report");
    client.accounts(&tokens).await.unwrap();

    // A connection cut mid-body is a transport failure, retried within the request.
    faults(&sandbox, json!({"truncatedBody": 1})).await;
    assert_eq!(client.accounts(&tokens).await.unwrap().accounts.len(), 4);
}

/// The sandbox's `bench` user, whose one account holds `lines` lines: the sandbox, its tokens, a
/// client and the account's id.
async fn large_account(lines: u64) -> (kura_sandbox::Sandbox, SandboxTokens, ApiClient, String) {
    let sandbox = start_with(kura_sandbox::SandboxConfig {
        today: Some(today()),
        large_transactions: Some(lines),
        ..Default::default()
    })
    .await;
    let tokens = tokens(&sandbox, "bench", "2011").await;
    let client = client(&sandbox);
    let id = client.accounts(&tokens).await.unwrap().accounts[0].account_id.clone();
    (sandbox, tokens, client, id)
}

async fn paged_history(faults_on: Value) -> (Vec<Transaction>, Vec<Transaction>, Result<Vec<Transaction>, ApiError>) {
    let (sandbox, tokens, client, id) = large_account(1_200).await;
    let (from, to) = window();
    let clean = client.all_transactions(&tokens, &id, from, to).await.unwrap();
    faults(&sandbox, json!({"omitItemKey": true})).await;
    let keyless = client.all_transactions(&tokens, &id, from, to).await.unwrap();
    faults(&sandbox, faults_on).await;
    let faulty = client.all_transactions(&tokens, &id, from, to).await;
    (clean, keyless, faulty)
}

#[tokio::test]
async fn a_repeated_page_is_asked_for_again_and_its_lines_kept_once() {
    let (clean, _, faulty) = paged_history(json!({"repeatPage": 2})).await;
    assert_eq!(faulty.unwrap(), clean);
}

#[tokio::test]
async fn a_duplicated_item_is_kept_once_with_and_without_item_keys() {
    let (clean, _, faulty) = paged_history(json!({"duplicateItem": 2})).await;
    assert_eq!(faulty.unwrap(), clean);
    let (_, keyless, faulty) = paged_history(json!({"duplicateItem": 2, "omitItemKey": true})).await;
    assert_eq!(faulty.unwrap(), keyless);
    assert!(keyless.iter().all(|t| t.item_key.is_none()));
}

#[tokio::test]
async fn a_looping_next_item_key_is_stopped_with_a_clear_error() {
    let (_, _, faulty) = paged_history(json!({"loopNextItemKey": true})).await;
    let e = faulty.unwrap_err();
    assert!(matches!(&e, ApiError::Paging { detail, .. } if detail.contains("loop")), "{e:?}");
}

#[tokio::test]
async fn union_2773_sends_no_item_keys() {
    let sandbox = start().await;
    let tokens = tokens(&sandbox, "demo", "2773").await;
    let client = client(&sandbox);
    let id = first_account(&client, &tokens).await;
    let (from, to) = window();
    let lines = client.all_transactions(&tokens, &id, from, to).await.unwrap();
    assert!(!lines.is_empty() && lines.iter().all(|t| t.item_key.is_none()));
}

#[tokio::test]
async fn plain_http_is_refused_off_loopback_and_the_trusted_ca_enables_tls() {
    let e = ApiClient::new(fast_config("http://bank.example.jp")).err().unwrap();
    assert!(matches!(e, ApiError::InsecureUrl { .. }));
    assert!(e.to_string().contains("https://"));

    let ca = std::env::temp_dir().join(format!("kura-client-test-ca-{}.pem", std::process::id()));
    let sandbox = start_with(kura_sandbox::SandboxConfig {
        today: Some(today()),
        tls_ca_out: Some(ca.clone()),
        ..Default::default()
    })
    .await;
    assert!(sandbox.base_url.starts_with("https://"), "{}", sandbox.base_url);
    let tokens = tokens_over_tls(&sandbox, &ca).await;
    // Without the CA the certificate is not trusted.
    let untrusting = ApiClient::new(fast_config(&sandbox.base_url)).unwrap();
    assert!(matches!(untrusting.accounts(&tokens).await, Err(ApiError::Network { .. })));
    let mut config = fast_config(&sandbox.base_url);
    config.extra_ca_pem.push(std::fs::read(&ca).unwrap());
    let trusting = ApiClient::new(config).unwrap();
    assert_eq!(trusting.accounts(&tokens).await.unwrap().accounts.len(), 4);
    let _ = std::fs::remove_file(ca);
}

/// Tokens straight from the sandbox's OAuth state: its admin API is served over the same TLS.
async fn tokens_over_tls(sandbox: &kura_sandbox::Sandbox, ca: &std::path::Path) -> StaticToken {
    let http = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_merge(reqwest::Certificate::from_pem_bundle(&std::fs::read(ca).unwrap()).unwrap())
        .build()
        .unwrap();
    let grant = testing::sandbox_grant(&http, &sandbox.base_url, "demo", "2011").await;
    StaticToken(grant["access_token"].as_str().unwrap().to_owned())
}

// ---- hostile servers the sandbox never imitates ----

/// Serves `router` on 127.0.0.1:0 and returns its base URL.
async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

fn versioned(status: StatusCode, version: Option<&'static str>, body: String) -> Response {
    let mut r = (status, body).into_response();
    if let Some(v) = version {
        r.headers_mut().insert("x-api-version", HeaderValue::from_static(v));
    }
    r.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    r
}

fn tx_page(lines: Value) -> String {
    json!({
        "accountId": "a", "currencyCode": "JPY", "dateFrom": "2026-08-27", "dateTo": "2026-11-24",
        "baseDate": "2026-11-24", "baseTime": "10:15:00+09:00", "hasNext": false, "transactions": lines
    })
    .to_string()
}

/// A server answering every transactions request with `body`.
async fn hostile(body: String) -> ApiClient {
    let url = serve(Router::new().route(
        "/v1/accounts/{id}/transactions",
        get(move || {
            let body = body.clone();
            async move { versioned(StatusCode::OK, Some("1.0.0"), body) }
        }),
    ))
    .await;
    ApiClient::new(fast_config(&url)).unwrap()
}

async fn hostile_error(body: String) -> ApiError {
    let client = hostile(body).await;
    let (from, to) = window();
    client.all_transactions(&StaticToken("t".into()), "a", from, to).await.unwrap_err()
}

fn line(amount: Value, date: &str) -> Value {
    json!({"transactionDate": date, "transactionType": "2", "amount": amount, "balance": "100", "itemKey": "K7"})
}

#[tokio::test]
async fn hostile_amounts_are_refused_naming_the_field_and_the_item() {
    for (amount, needle) in [
        (json!(1200), "expected a string"),
        (json!("-500"), "negative"),
        (json!("12.50"), "not a whole number"),
        (json!("1,000"), "not a whole number"),
        (json!("abc"), "not a whole number"),
        (json!("99999999999999999999"), "out of range"),
    ] {
        let e = hostile_error(tx_page(json!([line(amount.clone(), "2026-11-20")]))).await;
        match &e {
            ApiError::Malformed { field, detail, body, .. } => {
                assert_eq!(field, "transactions[0].amount (itemKey K7)", "{amount}");
                assert!(detail.contains(needle), "{amount}: {detail}");
                assert!(body.contains("K7"));
            }
            other => panic!("{amount}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn hostile_dates_types_and_directions_are_refused() {
    for (lines, field) in [
        (json!([line(json!("1"), "2026-13-01")]), "transactions[0].transactionDate (itemKey K7)"),
        (json!([line(json!("1"), "20261120")]), "transactions[0].transactionDate (itemKey K7)"),
        (json!([line(json!("1"), "2025-01-01")]), "transactions[0].transactionDate"),
        (
            json!([{"transactionDate": "2026-11-20", "transactionType": "3", "amount": "1"}]),
            "transactions[0].transactionType",
        ),
        (
            json!([{"transactionDate": "2026-11-20", "transactionType": "1", "amount": "1", "remarks": 5}]),
            "transactions[0].remarks",
        ),
        (json!({"not": "a list"}), "transactions"),
        (json!(["x"]), "transactions[0]"),
    ] {
        let e = hostile_error(tx_page(lines.clone())).await;
        assert!(matches!(&e, ApiError::Malformed { field: f, .. } if f == field), "{lines}: {e:?}");
    }
    let e = hostile_error(json!({"accountId": "other"}).to_string()).await;
    assert!(matches!(&e, ApiError::Malformed { field, .. } if field == "accountId"), "{e:?}");
    let e = hostile_error("[1,2,3]".into()).await;
    assert!(matches!(&e, ApiError::Malformed { field, .. } if field == "(body)"), "{e:?}");
}

#[tokio::test]
async fn a_huge_response_is_cut_off_at_the_cap() {
    let lines: Vec<Value> = (0..4_000).map(|i| line(json!("1"), &format!("2026-11-{:02}", 1 + i % 20))).collect();
    let body = tx_page(json!(lines));
    let url = serve(Router::new().route(
        "/v1/accounts/{id}/transactions",
        get(move || {
            let body = body.clone();
            async move { versioned(StatusCode::OK, Some("1.0.0"), body) }
        }),
    ))
    .await;
    let mut config = fast_config(&url);
    config.max_response_bytes = 64 * 1024;
    let client = ApiClient::new(config).unwrap();
    let (from, to) = window();
    let e = client.all_transactions(&StaticToken("t".into()), "a", from, to).await.unwrap_err();
    assert!(matches!(e, ApiError::TooLarge { limit: 65_536, .. }), "{e:?}");
}

#[tokio::test]
async fn endless_paging_is_stopped_by_the_page_limit() {
    // Every page is new and points to a new key: only the page cap ends it.
    let url = serve(Router::new().route(
        "/v1/accounts/{id}/transactions",
        get(|q: axum::extract::Query<std::collections::HashMap<String, String>>| async move {
            let n: u64 = q.get("nextItemKey").and_then(|k| k.parse().ok()).unwrap_or(0);
            let mut page: Value = serde_json::from_str(&tx_page(json!([{
                "transactionDate": "2026-11-20", "transactionType": "1", "amount": "1", "itemKey": n.to_string()
            }])))
            .unwrap();
            page["hasNext"] = json!(true);
            page["nextItemKey"] = json!((n + 1).to_string());
            versioned(StatusCode::OK, Some("1.0.0"), page.to_string())
        }),
    ))
    .await;
    let mut config = fast_config(&url);
    config.max_pages = 50;
    let client = ApiClient::new(config).unwrap();
    let (from, to) = window();
    let e = client.all_transactions(&StaticToken("t".into()), "a", from, to).await.unwrap_err();
    assert!(matches!(&e, ApiError::Paging { detail, .. } if detail.contains("more than 50 pages")), "{e:?}");
}

#[tokio::test]
async fn a_server_of_another_major_version_or_none_is_refused() {
    for version in [Some("2.0.0"), Some("0.9.1"), None] {
        let url = serve(Router::new().route(
            "/v1/accounts",
            get(move || async move {
                versioned(
                    StatusCode::OK,
                    version,
                    json!({"accounts": [], "baseDate": "2026-11-24", "baseTime": "10:15:00+09:00"}).to_string(),
                )
            }),
        ))
        .await;
        let client = ApiClient::new(fast_config(&url)).unwrap();
        let e = client.accounts(&StaticToken("t".into())).await.unwrap_err();
        assert!(matches!(&e, ApiError::IncompatibleVersion { found, .. } if found.as_deref() == version), "{e:?}");
        assert!(e.to_string().contains("version 1.x"));
    }
}

#[tokio::test]
async fn a_dead_port_is_a_network_error_after_the_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = ApiClient::new(fast_config(&url)).unwrap();
    let e = client.accounts(&StaticToken("t".into())).await.unwrap_err();
    assert!(matches!(e, ApiError::Network { .. }), "{e:?}");
    assert_eq!(e.kind(), "network");
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let url = serve(Router::new().route(
        "/v1/accounts",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "never"
        }),
    ))
    .await;
    let mut config = fast_config(&url);
    config.request_timeout = Duration::from_millis(200);
    config.retry.max_attempts = 2;
    let client = ApiClient::new(config).unwrap();
    let e = client.accounts(&StaticToken("t".into())).await.unwrap_err();
    assert!(matches!(e, ApiError::Timeout { .. }), "{e:?}");
}
