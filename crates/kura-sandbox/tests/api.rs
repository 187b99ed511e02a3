//! The resource API over real HTTP: every endpoint, its parameters and errors, consent and
//! scope enforcement, and the demo ledgers behind it.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

#[tokio::test]
async fn accounts_lists_the_consented_accounts_of_the_tokens_union() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    let response = get(&sandbox, &token, "/v1/accounts").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-api-version"], "1.0.0");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["baseDate"], TODAY);
    assert!(body["baseTime"].as_str().unwrap().ends_with("+09:00"));
    let accounts = body["accounts"].as_array().unwrap();
    let types: Vec<&str> = accounts.iter().map(|a| a["accountTypeCode"].as_str().unwrap()).collect();
    assert_eq!(types, ["01", "04", "11", "02"]);
    let first = &accounts[0];
    assert_eq!(first["bankCode"], "2011");
    assert_eq!(first["bankName"], "北央信用組合");
    assert_eq!(first["branchCode"], "001");
    assert_eq!(first["branchName"], "本店営業部");
    assert_eq!(first["accountTypeName"], "普通");
    assert_eq!(first["accountNameKana"], "ｸﾗ ﾀﾛｳ");
    assert_eq!(first["currencyCode"], "JPY");
    assert_eq!(first.as_object().unwrap().len(), 10);
    let number = first["accountNumber"].as_str().unwrap();
    assert!(number.len() == 7 && number.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(first["accountId"], format!("2011-001-1-{number}"));
}

#[tokio::test]
async fn demo_has_an_account_at_every_one_of_the_95_unions() {
    let sandbox = start().await;
    let csv = include_str!("../../kura-core/data/institutions.csv");
    let codes: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(codes.len(), 95);
    for code in codes {
        let accounts = sandbox.state.bank.accounts_of("demo", code);
        assert!(accounts.iter().any(|a| a.identity.account_type_code == "01"), "普通 at {code}");
    }
    // Over HTTP for a union that is not featured.
    let token = demo_token(&sandbox, "2773").await;
    assert_eq!(account_ids(&sandbox, &token).await.len(), 1);
}

#[tokio::test]
async fn balance_is_the_last_lines_balance_and_withdrawable_follows_the_account_type() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    for (type_code, overdraft) in [("01", 0), ("02", 1_000_000), ("04", 0)] {
        let id = account_id(&sandbox, "demo", "2011", type_code);
        let body = get_json(&sandbox, &token, &format!("/v1/accounts/{id}/balance")).await;
        assert_eq!(body["accountId"], id.as_str());
        assert_eq!(body["currencyCode"], "JPY");
        assert_eq!(body["baseDate"], TODAY);
        let balance = amount(&body["balance"]);
        assert_eq!(amount(&body["withdrawableAmount"]), (balance + overdraft).max(0));
        let history = lines(&all_pages(&sandbox, &token, &id, "").await);
        assert_eq!(amount(&history.last().unwrap()["balance"]), balance, "{type_code}");
    }
    let time_deposit = account_id(&sandbox, "demo", "2011", "11");
    let body = get_json(&sandbox, &token, &format!("/v1/accounts/{time_deposit}/balance")).await;
    assert!(amount(&body["balance"]) >= 3_000_000);
    assert_eq!(body["withdrawableAmount"], "0");
}

#[tokio::test]
async fn transactions_default_to_the_90_day_window_ascending_with_consistent_balances() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    let id = account_id(&sandbox, "demo", "2011", "01");
    let page = get_json(&sandbox, &token, &format!("/v1/accounts/{id}/transactions")).await;
    assert_eq!(page["accountId"], id.as_str());
    assert_eq!(page["currencyCode"], "JPY");
    assert_eq!(page["dateFrom"], "2026-08-27");
    assert_eq!(page["dateTo"], TODAY);
    assert_eq!(page["baseDate"], TODAY);
    assert_eq!(page["hasNext"], false);
    assert!(page.get("nextItemKey").is_none());
    let lines = page["transactions"].as_array().unwrap();
    assert!(lines.len() > 30, "three months of a salaried account: {}", lines.len());
    assert_chain(lines);
    let keys: Vec<&str> = lines.iter().map(|l| l["itemKey"].as_str().unwrap()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted, "ascending and unique");
    for line in lines {
        let date = line["transactionDate"].as_str().unwrap();
        assert!(("2026-08-27"..=TODAY).contains(&date));
        assert_eq!(line["valueDate"], date);
        assert!(line["itemKey"].as_str().unwrap().starts_with(&date.replace('-', "")));
        assert!(amount(&line["amount"]) > 0);
        assert_eq!(line.as_object().unwrap().len(), 7);
    }
    let remarks: Vec<&str> = lines.iter().map(|l| l["remarks"].as_str().unwrap()).collect();
    for expected in ["ｷﾕｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ", "ﾃﾞﾝｷﾘﾖｳｷﾝ", "ｶﾞｽﾘﾖｳｷﾝ", "ﾃﾞﾝﾜﾘﾖｳ", "ATMｼﾊﾗｲ", "ｶｰﾄﾞ ﾐﾂｲｽﾐﾄﾓｶｰﾄﾞ"]
    {
        assert!(remarks.contains(&expected), "{expected} in {remarks:?}");
    }
    // Salary on the 25th, or the Friday before when it falls on a weekend (2026-10-25 is a Sunday).
    let salary_days: Vec<&str> = lines
        .iter()
        .filter(|l| l["remarks"] == "ｷﾕｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ")
        .map(|l| l["transactionDate"].as_str().unwrap())
        .collect();
    assert_eq!(salary_days, ["2026-09-25", "2026-10-23"]);
}

#[tokio::test]
async fn date_parameters_and_window_edges() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    let id = account_id(&sandbox, "demo", "2011", "01");
    let path = format!("/v1/accounts/{id}/transactions");

    let oldest = get_json(&sandbox, &token, &format!("{path}?dateFrom=2026-08-27&dateTo=2026-08-27")).await;
    assert_eq!(oldest["dateFrom"], "2026-08-27");
    for line in oldest["transactions"].as_array().unwrap() {
        assert_eq!(line["transactionDate"], "2026-08-27");
    }
    let response = get(&sandbox, &token, &format!("{path}?dateFrom=2026-08-26")).await;
    expect_error(response, StatusCode::BAD_REQUEST, "DATE_OUT_OF_RANGE").await;

    let capped = get_json(&sandbox, &token, &format!("{path}?dateFrom=2026-11-01&dateTo=2027-01-01")).await;
    assert_eq!(capped["dateTo"], TODAY);

    for bad in [
        "dateFrom=2026-11-10&dateTo=2026-11-01",
        "dateFrom=2026-9-1",
        "dateTo=20261101",
        "dateFrom=2026-02-30",
        "dateFrom=2026-12-01",
    ] {
        let response = get(&sandbox, &token, &format!("{path}?{bad}")).await;
        expect_error(response, StatusCode::BAD_REQUEST, "INVALID_PARAMETER").await;
    }
    // Garbage, a key for a date outside the query, and an empty key.
    for bad in ["garbage", "cDE6MjAyMDAxMDE6MQ", ""] {
        let response = get(&sandbox, &token, &format!("{path}?nextItemKey={bad}")).await;
        expect_error(response, StatusCode::BAD_REQUEST, "INVALID_NEXT_ITEM_KEY").await;
    }
}

#[tokio::test]
async fn unknown_paths_wrong_methods_and_the_version_header() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    let response = get(&sandbox, &token, "/v1/nothing-here").await;
    expect_error(response, StatusCode::NOT_FOUND, "NOT_FOUND").await;
    let response = get(&sandbox, &token, "/v2/accounts").await;
    expect_error(response, StatusCode::NOT_FOUND, "NOT_FOUND").await;
    let response = http().post(format!("{}/v1/accounts", sandbox.base_url)).bearer_auth(&token).send().await.unwrap();
    expect_error(response, StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED").await;
    let response =
        http().get(format!("{}/.well-known/oauth-authorization-server", sandbox.base_url)).send().await.unwrap();
    assert_eq!(response.headers()["x-api-version"], "1.0.0");
    let response = http().get(format!("{}/admin/clock", sandbox.base_url)).send().await.unwrap();
    assert_eq!(response.headers()["x-api-version"], "1.0.0");
}

#[tokio::test]
async fn bearer_tokens_missing_unknown_and_expired() {
    let sandbox = start().await;
    let response = http().get(format!("{}/v1/accounts", sandbox.base_url)).send().await.unwrap();
    let headers = expect_error(response, StatusCode::UNAUTHORIZED, "INVALID_TOKEN").await;
    assert!(headers["www-authenticate"].to_str().unwrap().contains(r#"error="invalid_token""#));
    let response = get(&sandbox, "not-a-token", "/v1/accounts").await;
    let headers = expect_error(response, StatusCode::UNAUTHORIZED, "INVALID_TOKEN").await;
    assert!(headers["www-authenticate"].to_str().unwrap().starts_with("Bearer "));

    let token = demo_token(&sandbox, "2011").await;
    assert_eq!(get(&sandbox, &token, "/v1/accounts").await.status(), StatusCode::OK);
    advance_days(&sandbox, 1).await;
    let response = get(&sandbox, &token, "/v1/accounts").await;
    let headers = expect_error(response, StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED").await;
    assert!(headers["www-authenticate"].to_str().unwrap().contains(r#"error="invalid_token""#));
}

#[tokio::test]
async fn scopes_are_enforced_per_endpoint() {
    let sandbox = start().await;
    let id = account_id(&sandbox, "demo", "2011", "01");
    let balance_only = token(&sandbox, "demo", "2011", "balance").await;
    assert_eq!(get(&sandbox, &balance_only, "/v1/accounts").await.status(), StatusCode::OK);
    assert_eq!(get(&sandbox, &balance_only, &format!("/v1/accounts/{id}/balance")).await.status(), StatusCode::OK);
    let response = get(&sandbox, &balance_only, &format!("/v1/accounts/{id}/transactions")).await;
    let headers = expect_error(response, StatusCode::FORBIDDEN, "INSUFFICIENT_SCOPE").await;
    assert!(headers["www-authenticate"].to_str().unwrap().contains(r#"scope="transactions""#));

    let history_only = token(&sandbox, "demo", "2011", "transactions").await;
    assert_eq!(get(&sandbox, &history_only, "/v1/accounts").await.status(), StatusCode::OK);
    assert_eq!(get(&sandbox, &history_only, &format!("/v1/accounts/{id}/transactions")).await.status(), StatusCode::OK);
    let response = get(&sandbox, &history_only, &format!("/v1/accounts/{id}/balance")).await;
    expect_error(response, StatusCode::FORBIDDEN, "INSUFFICIENT_SCOPE").await;
}

#[tokio::test]
async fn only_consented_accounts_of_the_tokens_union_and_user_are_served() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2011").await;
    let elsewhere = account_id(&sandbox, "demo", "2254", "01");
    let someone_else = account_id(&sandbox, "family", "2011", "01");
    for id in [elsewhere.as_str(), someone_else.as_str(), "2011-001-1-0000000", "nonsense"] {
        for endpoint in ["balance", "transactions"] {
            let response = get(&sandbox, &token, &format!("/v1/accounts/{id}/{endpoint}")).await;
            expect_error(response, StatusCode::NOT_FOUND, "ACCOUNT_NOT_FOUND").await;
        }
    }
    // A grant covering only one of the user's accounts at 2011 (as a consent page allows).
    let only_savings = account_id(&sandbox, "demo", "2011", "04");
    let issued = sandbox
        .state
        .oauth
        .issue_direct("demo", "2011", vec![only_savings.clone()], "balance transactions", sandbox.state.clock.now())
        .unwrap();
    assert_eq!(account_ids(&sandbox, &issued.access_token).await, [only_savings]);
    let ordinary = account_id(&sandbox, "demo", "2011", "01");
    let response = get(&sandbox, &issued.access_token, &format!("/v1/accounts/{ordinary}/balance")).await;
    expect_error(response, StatusCode::NOT_FOUND, "ACCOUNT_NOT_FOUND").await;
}

#[tokio::test]
async fn union_2773_sends_no_item_key() {
    let sandbox = start().await;
    let token = demo_token(&sandbox, "2773").await;
    let id = &account_ids(&sandbox, &token).await[0];
    let page = get_json(&sandbox, &token, &format!("/v1/accounts/{id}/transactions")).await;
    let lines = page["transactions"].as_array().unwrap();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l.get("itemKey").is_none()));
    assert_chain(lines);
}

#[tokio::test]
async fn ledgers_are_deterministic_per_seed_and_advancing_the_clock_only_appends() {
    let first = start().await;
    let second = start().await;
    let other_seed = start_with(kura_sandbox::SandboxConfig { seed: 7, ..config() }).await;
    let id = account_id(&first, "demo", "2680", "01");
    assert_eq!(id, account_id(&second, "demo", "2680", "01"));
    let query = format!("/v1/accounts/{id}/transactions");
    let a = get_json(&first, &demo_token(&first, "2680").await, &query).await["transactions"].clone();
    let b = get_json(&second, &demo_token(&second, "2680").await, &query).await["transactions"].clone();
    assert_eq!(a, b);
    let other_id = account_id(&other_seed, "demo", "2680", "01");
    let c =
        get_json(&other_seed, &demo_token(&other_seed, "2680").await, &format!("/v1/accounts/{other_id}/transactions"))
            .await["transactions"]
            .clone();
    assert_ne!(a, c);

    // Thirty days later the overlapping days are unchanged and new days were appended.
    advance_days(&first, 30).await;
    let token = demo_token(&first, "2680").await;
    let later = get_json(&first, &token, &format!("{query}?dateFrom=2026-09-26")).await;
    assert_eq!(later["dateTo"], "2026-12-24");
    let later = later["transactions"].as_array().unwrap().clone();
    let overlap: Vec<&Value> =
        a.as_array().unwrap().iter().filter(|l| l["transactionDate"].as_str().unwrap() >= "2026-09-26").collect();
    assert_eq!(later.iter().take(overlap.len()).collect::<Vec<_>>(), overlap);
    assert!(later.len() > overlap.len());
    assert!(later.last().unwrap()["transactionDate"].as_str().unwrap() > TODAY);
    assert_chain(&later);
}

#[tokio::test]
async fn full_demo_histories_chain_from_the_opening_deposit_with_realistic_patterns() {
    let sandbox = start().await;
    let today = today();
    let mut ids: Vec<String> = Vec::new();
    for user in ["demo", "family"] {
        ids.extend(sandbox.state.bank.all_accounts_of(user).map(|a| a.account_id.clone()));
    }
    let (mut overdrawn, mut twin_withdrawals, mut pensions) = (false, false, Vec::new());
    for id in &ids {
        sandbox.state.bank.with_ledger(id, today, |ledger| {
            let txs = ledger.txs();
            assert!(txs.first().unwrap().date <= today - chrono::Duration::days(3 * 365), "{id}: years of history");
            let mut balance = 0;
            for t in txs {
                balance += if t.credit { t.amount } else { -t.amount };
                assert_eq!(balance, t.balance, "{id} {t:?}");
                assert!(t.balance >= ledger.floor());
            }
            overdrawn |= txs.iter().any(|t| t.balance < 0);
            twin_withdrawals |= txs.windows(2).any(|w| {
                w[0].date == w[1].date
                    && w[0].remarks == "ATMｼﾊﾗｲ"
                    && w[1].remarks == "ATMｼﾊﾗｲ"
                    && w[0].amount == w[1].amount
            });
            pensions.extend(txs.iter().filter(|t| t.remarks == "ﾈﾝｷﾝ").map(|t| t.date));
        });
    }
    assert!(overdrawn, "a 当座 goes below zero through its overdraft");
    assert!(twin_withdrawals, "two identical ATM withdrawals on one day");
    assert!(!pensions.is_empty());
    for day in pensions {
        use chrono::Datelike;
        assert!(day.month() % 2 == 0 && day.day() <= 15, "pension on the 15th of even months: {day}");
    }
}

#[tokio::test]
async fn admin_clock_moves_forward_only_and_rejects_bad_bodies() {
    let sandbox = start().await;
    let clock: Value =
        http().get(format!("{}/admin/clock", sandbox.base_url)).send().await.unwrap().json().await.unwrap();
    assert_eq!(clock["today"], TODAY);
    assert!(clock["now"].as_str().unwrap().starts_with(TODAY) && clock["now"].as_str().unwrap().ends_with("+09:00"));
    assert_eq!(advance_days(&sandbox, 3).await["today"], "2026-11-27");
    let set = http()
        .post(format!("{}/admin/clock", sandbox.base_url))
        .json(&json!({"today": "2027-01-04"}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.json::<Value>().await.unwrap()["today"], "2027-01-04");
    for bad in [
        json!({"today": "2026-01-01"}),
        json!({"advanceDays": -1}),
        json!({}),
        json!({"advanceDays": 1, "today": "2027-02-01"}),
        json!({"days": 1}),
    ] {
        let response = http().post(format!("{}/admin/clock", sandbox.base_url)).json(&bad).send().await.unwrap();
        expect_error(response, StatusCode::BAD_REQUEST, "INVALID_PARAMETER").await;
    }
    let response = http()
        .post(format!("{}/admin/tokens", sandbox.base_url))
        .json(&json!({"username": "demo", "bankCode": "9999"}))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::BAD_REQUEST, "INVALID_PARAMETER").await;
    let response = http()
        .post(format!("{}/admin/tokens", sandbox.base_url))
        .json(&json!({"username": "demo", "bankCode": "2011", "scope": "payments"}))
        .send()
        .await
        .unwrap();
    expect_error(response, StatusCode::BAD_REQUEST, "INVALID_PARAMETER").await;
}

#[tokio::test]
async fn admin_token_response_has_the_token_endpoint_shape() {
    let sandbox = start().await;
    let response = http()
        .post(format!("{}/admin/tokens", sandbox.base_url))
        .json(&json!({"username": "family", "bankCode": "2680", "scope": "balance"}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "balance");
    assert_eq!(body["bank_code"], "2680");
    assert!(body["refresh_token"].as_str().is_some_and(|t| !t.is_empty()));
    let token = body["access_token"].as_str().unwrap();
    let accounts = get_json(&sandbox, token, "/v1/accounts").await;
    assert_eq!(accounts["accounts"][0]["accountNameKana"], "ｸﾗ ﾊﾅｺ");
}
