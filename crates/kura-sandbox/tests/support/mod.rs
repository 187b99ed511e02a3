//! Shared helpers of the sandbox's integration tests: start a sandbox on 127.0.0.1:0, get tokens
//! through the admin API, call the resource API over real HTTP.
#![allow(dead_code, reason = "each test binary uses a different subset of these helpers")]

use chrono::NaiveDate;
use kura_sandbox::{Sandbox, SandboxConfig};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

/// A Tuesday; the 90-day window is 2026-08-27 ..= 2026-11-24.
pub const TODAY: &str = "2026-11-24";

pub fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

pub fn config() -> SandboxConfig {
    SandboxConfig { today: Some(today()), ..SandboxConfig::default() }
}

pub async fn start() -> Sandbox {
    start_with(config()).await
}

pub async fn start_with(config: SandboxConfig) -> Sandbox {
    kura_sandbox::start(config).await.expect("sandbox starts on 127.0.0.1:0")
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// POST /admin/tokens; the access token.
pub async fn token(sandbox: &Sandbox, username: &str, bank_code: &str, scope: &str) -> String {
    let response = http()
        .post(format!("{}/admin/tokens", sandbox.base_url))
        .json(&json!({"username": username, "bankCode": bank_code, "scope": scope}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().expect("access_token in the admin token response").to_owned()
}

pub async fn demo_token(sandbox: &Sandbox, bank_code: &str) -> String {
    token(sandbox, "demo", bank_code, "balance transactions").await
}

pub async fn get(sandbox: &Sandbox, token: &str, path_and_query: &str) -> Response {
    http().get(format!("{}{path_and_query}", sandbox.base_url)).bearer_auth(token).send().await.unwrap()
}

/// GET expecting 200 and a JSON body.
pub async fn get_json(sandbox: &Sandbox, token: &str, path_and_query: &str) -> Value {
    let response = get(sandbox, token, path_and_query).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path_and_query}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Asserts the federation's error shape and returns the response headers.
pub async fn expect_error(response: Response, status: StatusCode, code: &str) -> reqwest::header::HeaderMap {
    assert_eq!(response.status(), status);
    let headers = response.headers().clone();
    assert_eq!(headers["x-api-version"], "1.0.0");
    assert!(headers["content-type"].to_str().unwrap().starts_with("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errorCode"], code, "{body}");
    assert!(body["errorMessage"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(body.as_object().unwrap().len(), 2, "only errorCode and errorMessage: {body}");
    headers
}

pub async fn account_ids(sandbox: &Sandbox, token: &str) -> Vec<String> {
    let body = get_json(sandbox, token, "/v1/accounts").await;
    body["accounts"].as_array().unwrap().iter().map(|a| a["accountId"].as_str().unwrap().to_owned()).collect()
}

/// The id of `username`'s account of type `type_code` at `bank_code`.
pub fn account_id(sandbox: &Sandbox, username: &str, bank_code: &str, type_code: &str) -> String {
    sandbox
        .state
        .bank
        .accounts_of(username, bank_code)
        .into_iter()
        .find(|a| a.identity.account_type_code == type_code)
        .expect("demo account exists")
        .account_id
}

pub async fn set_faults(sandbox: &Sandbox, faults: Value) -> Value {
    let response = http().put(format!("{}/admin/faults", sandbox.base_url)).json(&faults).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

pub async fn advance_days(sandbox: &Sandbox, days: i64) -> Value {
    let response = http()
        .post(format!("{}/admin/clock", sandbox.base_url))
        .json(&json!({"advanceDays": days}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// Every page of an account's history, following nextItemKey.
pub async fn all_pages(sandbox: &Sandbox, token: &str, account_id: &str, query: &str) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut key: Option<String> = None;
    loop {
        let mut url = format!("/v1/accounts/{account_id}/transactions?{query}");
        if let Some(k) = &key {
            url.push_str(&format!("&nextItemKey={k}"));
        }
        let page = get_json(sandbox, token, &url).await;
        key = page["nextItemKey"].as_str().map(str::to_owned);
        let has_next = page["hasNext"].as_bool().unwrap();
        assert_eq!(has_next, key.is_some());
        pages.push(page);
        if !has_next {
            return pages;
        }
        assert!(pages.len() < 10_000, "paging does not end");
    }
}

pub fn lines(pages: &[Value]) -> Vec<Value> {
    pages.iter().flat_map(|p| p["transactions"].as_array().unwrap().clone()).collect()
}

pub fn amount(v: &Value) -> i64 {
    v.as_str().unwrap().parse().unwrap()
}

/// Each line's balance is the previous one's plus (入金) or minus (出金) its amount.
pub fn assert_chain(lines: &[Value]) {
    for pair in lines.windows(2) {
        let sign = if pair[1]["transactionType"] == "1" { 1 } else { -1 };
        assert_eq!(
            amount(&pair[0]["balance"]) + sign * amount(&pair[1]["amount"]),
            amount(&pair[1]["balance"]),
            "{} -> {}",
            pair[0],
            pair[1]
        );
    }
}
