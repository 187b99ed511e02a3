//! Shared helpers of the client and sync tests: an in-process sandbox on 127.0.0.1:0, tokens from
//! its admin API, a [`TokenSource`] that refreshes over the sandbox's real token endpoint, and
//! fault switches through the admin API.
#![allow(dead_code, reason = "each test binary uses a different subset of these helpers")]

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use chrono::NaiveDate;
use kura_core::api::{ApiClient, ClientConfig, RetryPolicy, TokenError, TokenFuture, TokenSource};
use kura_core::model::LinkId;
use kura_core::store::Store;
use kura_core::sync::SyncEngine;
use kura_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};

/// The 90-day window is 2026-08-27 ..= 2026-11-24.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

pub async fn start() -> Sandbox {
    start_with(SandboxConfig { today: Some(today()), ..SandboxConfig::default() }).await
}

pub async fn start_with(config: SandboxConfig) -> Sandbox {
    kura_sandbox::start(config).await.expect("sandbox starts on 127.0.0.1:0")
}

pub fn admin() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// Retries fast so fault tests take milliseconds, not the production backoff.
pub fn fast_config(base_url: &str) -> ClientConfig {
    let mut config = ClientConfig::new(base_url);
    config.retry = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(2),
    };
    config.request_timeout = Duration::from_secs(5);
    config
}

pub fn client(sandbox: &Sandbox) -> ApiClient {
    ApiClient::new(fast_config(&sandbox.base_url)).unwrap()
}

/// PUT /admin/faults (fields left out are off).
pub async fn faults(sandbox: &Sandbox, faults: Value) {
    let response = admin().put(format!("{}/admin/faults", sandbox.base_url)).json(&faults).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
}

pub async fn advance_days(sandbox: &Sandbox, days: i64) {
    let response = admin()
        .post(format!("{}/admin/clock", sandbox.base_url))
        .json(&json!({"advanceDays": days}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
}

/// A token pair for `username` at `bank_code`, refreshed like Kura does: over the real token
/// endpoint with the rotating refresh token.
pub struct SandboxTokens {
    token_url: String,
    pair: Mutex<(String, String)>,
    pub refreshes: Mutex<u32>,
}

impl SandboxTokens {
    /// The access token as it is now (to look for it where it must not be).
    #[allow(dead_code)] // not every test binary that shares this module uses it
    pub fn access_token(&self) -> String {
        self.pair.lock().unwrap().0.clone()
    }
}

pub async fn tokens(sandbox: &Sandbox, username: &str, bank_code: &str) -> SandboxTokens {
    tokens_at(&sandbox.base_url, username, bank_code).await
}

/// [`tokens`] from the sandbox at `base_url` (one served by the test itself).
pub async fn tokens_at(base_url: &str, username: &str, bank_code: &str) -> SandboxTokens {
    let body = kura_core::testing::sandbox_grant(&admin(), base_url, username, bank_code).await;
    SandboxTokens {
        token_url: format!("{base_url}/oauth/token"),
        pair: Mutex::new((
            body["access_token"].as_str().unwrap().to_owned(),
            body["refresh_token"].as_str().unwrap().to_owned(),
        )),
        refreshes: Mutex::new(0),
    }
}

impl SandboxTokens {
    pub fn refresh_count(&self) -> u32 {
        *self.refreshes.lock().unwrap()
    }
}

impl TokenSource for SandboxTokens {
    fn access_token(&self) -> TokenFuture<'_> {
        let token = self.pair.lock().unwrap().0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn refresh<'a>(&'a self, _rejected: &'a str) -> TokenFuture<'a> {
        Box::pin(async move {
            *self.refreshes.lock().unwrap() += 1;
            let refresh = self.pair.lock().unwrap().1.clone();
            let response = admin()
                .post(&self.token_url)
                .form(&[("grant_type", "refresh_token"), ("refresh_token", &refresh), ("client_id", "kura-desktop")])
                .send()
                .await
                .map_err(|e| TokenError::Unavailable { detail: e.to_string() })?;
            let status = response.status();
            let body: Value = response.json().await.map_err(|e| TokenError::Unavailable { detail: e.to_string() })?;
            if body["error"] == "invalid_grant" {
                return Err(TokenError::ReauthRequired { detail: body["error_description"].to_string() });
            }
            if !status.is_success() {
                return Err(TokenError::Unavailable { detail: body.to_string() });
            }
            let access = body["access_token"].as_str().unwrap().to_owned();
            *self.pair.lock().unwrap() = (access.clone(), body["refresh_token"].as_str().unwrap().to_owned());
            Ok(access)
        })
    }
}

/// `demo` linked at each of `unions` in a new store in `dir`, nothing synced yet: the store, and
/// each link with its tokens.
pub async fn demo_links(sandbox: &Sandbox, dir: &Path, unions: &[&str]) -> (Store, Vec<(LinkId, SandboxTokens)>) {
    let mut store = Store::open(Some(dir)).unwrap();
    let mut links = Vec::new();
    for code in unions {
        let link = store.add_link(&kura_core::testing::new_link(code, "sandbox"), chrono::Utc::now()).unwrap();
        links.push((link, tokens(sandbox, "demo", code).await));
    }
    (store, links)
}

/// Syncs each link once; a sync that fails fails the test.
pub async fn sync_links(engine: &SyncEngine, sandbox: &Sandbox, links: &[(LinkId, SandboxTokens)]) {
    let client = client(sandbox);
    for (link, tokens) in links {
        let report = engine.sync_link(*link, &client, tokens).await;
        assert!(report.error.is_none(), "{report:?}");
    }
}
