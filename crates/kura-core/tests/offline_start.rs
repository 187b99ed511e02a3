//! Starting while the union cannot be reached: the token renewal that comes before the first API
//! request (RFC 8414 discovery, then the refresh of an expired access token) fails on the
//! network, and that must be recorded as a network failure — the offline banner — not as a token
//! problem, and must leave the link active with its tokens. Real sandbox on loopback, stopped;
//! real OS keyring (run inside scripts/with-keyring.sh).

mod sync_support;

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use kura_core::api::ApiClient;
use kura_core::app::{AppContext, dispatch};
use kura_core::model::LinkId;
use kura_core::oauth::{LinkTokens, OAuthClient};
use kura_core::profile::Profiles;
use kura_core::secrets::{SecretStore, TokenSet};
use kura_core::store::Store;
use kura_core::testing;
use serde_json::{Value, json};
use sync_support::*;

/// Tokens for demo at 2011 from the sandbox, with the access token already expired so the first
/// request must refresh it.
async fn expired_tokens(base_url: &str) -> TokenSet {
    let body = testing::sandbox_grant(&admin(), base_url, "demo", "2011").await;
    TokenSet {
        access_token: body["access_token"].as_str().unwrap().to_owned(),
        refresh_token: Some(body["refresh_token"].as_str().unwrap().to_owned()),
        expires_at: Some(Utc::now() - chrono::Duration::hours(1)),
        scope: Some("balance transactions".into()),
    }
}

fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("kura-{name}-")).tempdir().unwrap()
}

/// The first test sets environment variables; no other test of this binary runs meanwhile.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn call(ctx: &AppContext, name: &str, args: Value) -> Value {
    dispatch(ctx, name, args).await.unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[tokio::test]
async fn the_app_started_offline_records_a_network_failure_and_shows_the_banner() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let sandbox = start().await;
    let data = temp_dir("offline-data");
    let config = temp_dir("offline-config");
    // SAFETY: the other test is held off by ONE_AT_A_TIME, and this test's tasks (the sandbox's
    // too) run on this one thread of the current-thread runtime.
    unsafe {
        std::env::set_var("KURA_SANDBOX_URL", &sandbox.base_url);
        std::env::set_var("KURA_CONFIG_DIR", config.path());
    }
    let link = link_with_expired_tokens(data.path(), &sandbox.base_url).await;
    sandbox.shutdown().await;

    let ctx = AppContext::open(data.path().to_owned()).unwrap();
    ctx.start_syncing().unwrap();
    let run = wait_for_first_run(&ctx).await;
    ctx.stop_syncing();

    assert_eq!(run["state"], "failed", "{run}");
    assert_eq!(run["error"]["kind"], "network", "{run}");
    let overview = call(&ctx, "overview", json!({})).await;
    assert_eq!(overview["offline"], true, "{overview}");
    let links = call(&ctx, "linksList", json!({})).await;
    assert_eq!(links["links"][0]["status"], "active", "{links}");
    assert_eq!(links["links"][0]["lastError"]["kind"], "network", "{links}");
    let tokens = ctx.secrets().load_tokens(link.0).await.unwrap();
    assert!(tokens.is_some(), "the tokens must survive a network failure");
    ctx.secrets().delete_tokens(link.0).await.unwrap();
}

async fn link_with_expired_tokens(data: &Path, base_url: &str) -> LinkId {
    let mut store = Store::open(Some(data)).unwrap();
    let link = store.add_link(&testing::new_link("2011", "sandbox"), Utc::now()).unwrap();
    let secrets = SecretStore::for_data_dir(data).unwrap();
    secrets.save_tokens(link.0, &expired_tokens(base_url).await).await.unwrap();
    link
}

async fn wait_for_first_run(ctx: &AppContext) -> Value {
    // A deadline only so a hang fails instead of blocking CI; no timing is asserted.
    for _ in 0..600 {
        let log = call(ctx, "syncLog", json!({"linkId": null, "before": null, "limit": 5})).await;
        if let Some(run) = log["runs"].as_array().and_then(|r| r.first()).filter(|r| r["state"] != "running") {
            return run.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the scheduler's first sync did not finish");
}

#[tokio::test]
async fn a_refresh_that_cannot_reach_the_union_is_a_network_failure() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let sandbox = start().await;
    let data = temp_dir("offline-refresh");
    let secrets = SecretStore::for_data_dir(data.path()).unwrap();
    // The client was set up (discovery done) while the union was reachable.
    let profile = Profiles::load_from(None, Some(&sandbox.base_url)).unwrap().resolve("2011").unwrap();
    let oauth = OAuthClient::new(profile, &secrets).await.unwrap();
    let link = LinkId(1);
    secrets.save_tokens(link.0, &expired_tokens(&sandbox.base_url).await).await.unwrap();
    let tokens = LinkTokens::new(link, oauth, secrets.clone());
    let api = ApiClient::new(fast_config(&sandbox.base_url)).unwrap();
    sandbox.shutdown().await;

    let e = api.accounts(&tokens).await.expect_err("the union is down");
    assert_eq!(e.kind(), "network", "{e}");
    assert!(!e.needs_relink(), "{e}");
    assert!(secrets.load_tokens(link.0).await.unwrap().is_some(), "the tokens must survive a network failure");
    secrets.delete_tokens(link.0).await.unwrap();
}
