//! The token endpoint: code redemption with PKCE, client authentication, refresh rotation,
//! expiry on the simulated clock.

use chrono::Duration;
use kura_sandbox::SandboxConfig;
use kura_sandbox::oauth::TokenRejection;
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, PRAGMA, WWW_AUTHENTICATE};

use crate::support::*;

#[tokio::test]
async fn token_responses_and_errors_are_never_cached() {
    let sandbox = sandbox().await;
    let tokens = link(&sandbox).await;
    let error = refresh(&sandbox, "unknown").await;
    for reply in [&tokens, &error] {
        assert_eq!(reply.headers[CACHE_CONTROL], "no-store");
        assert_eq!(reply.headers[PRAGMA], "no-cache");
    }
    assert_eq!(error.status, StatusCode::BAD_REQUEST);
    assert_eq!(error.error(), "invalid_grant");
}

#[tokio::test]
async fn pkce_verifier_must_match_the_challenge() {
    let sandbox = sandbox().await;
    let pkce = pkce('p');
    let code = desktop_code(&sandbox, &pkce).await;
    let other = crate::support::pkce('q');
    let reply = exchange_code(&sandbox, &code, LOOPBACK_REDIRECT, &other.verifier).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "invalid_grant"));
    // The failed attempt spent the code.
    let retry = exchange_code(&sandbox, &code, LOOPBACK_REDIRECT, &pkce.verifier).await;
    assert_eq!(retry.error(), "invalid_grant");
}

#[tokio::test]
async fn pkce_verifier_is_required() {
    let sandbox = sandbox().await;
    let pkce = pkce('m');
    let code = desktop_code(&sandbox, &pkce).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", LOOPBACK_REDIRECT),
        ("client_id", DESKTOP),
    ];
    let reply = post_client(&sandbox, "/oauth/token", &form, None).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "invalid_grant"));
}

#[tokio::test]
async fn a_reused_code_fails_and_revokes_the_tokens_issued_from_it() {
    let sandbox = sandbox().await;
    let pkce = pkce('r');
    let code = desktop_code(&sandbox, &pkce).await;
    let first = exchange_code(&sandbox, &code, LOOPBACK_REDIRECT, &pkce.verifier).await;
    assert_eq!(first.status, StatusCode::OK);
    let access = first.field("access_token");
    assert!(authenticate(&sandbox, &access).is_ok());

    let second = exchange_code(&sandbox, &code, LOOPBACK_REDIRECT, &pkce.verifier).await;
    assert_eq!((second.status, second.error()), (StatusCode::BAD_REQUEST, "invalid_grant"));
    assert_eq!(authenticate(&sandbox, &access).err(), Some(TokenRejection::Invalid));
    let (status, body) = accounts_status(&sandbox, &access).await;
    assert_eq!((status, body["errorCode"].as_str()), (StatusCode::UNAUTHORIZED, Some("INVALID_TOKEN")));
    assert_eq!(refresh(&sandbox, &first.field("refresh_token")).await.error(), "invalid_grant");
}

#[tokio::test]
async fn redirect_uri_at_the_token_endpoint_must_be_the_authorization_requests() {
    let sandbox = sandbox().await;
    let pkce = pkce('w');
    let code = desktop_code(&sandbox, &pkce).await;
    // Also a loopback URI the client could register, but not the one the code was sent to.
    let reply = exchange_code(&sandbox, &code, "http://127.0.0.1:9/callback", &pkce.verifier).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "invalid_grant"));
    let form = [("grant_type", "authorization_code"), ("code", code.as_str()), ("client_id", DESKTOP)];
    let missing = post_client(&sandbox, "/oauth/token", &form, None).await;
    assert_eq!(missing.error(), "invalid_request");
}

#[tokio::test]
async fn a_code_expires_after_60_seconds_of_simulated_time() {
    let sandbox = sandbox().await;
    let pkce = pkce('x');
    let code = desktop_code(&sandbox, &pkce).await;
    sandbox.state.clock.advance(Duration::seconds(61));
    let reply = exchange_code(&sandbox, &code, LOOPBACK_REDIRECT, &pkce.verifier).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "invalid_grant"));
    assert!(reply.field("error_description").contains("expired"));
}

#[tokio::test]
async fn confidential_client_authenticates_with_http_basic() {
    let sandbox = sandbox().await;
    // PKCE is optional for a confidential client.
    let query: Vec<(String, String)> = [
        ("response_type", "code"),
        ("client_id", CONFIDENTIAL),
        ("redirect_uri", CONFIDENTIAL_REDIRECT),
        ("scope", "balance"),
        ("state", "conf"),
        ("bank_code", BANK),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let callback = authorize(&browser(), &sandbox, &query).await;
    assert_eq!(callback["state"], "conf");
    let code = callback["code"].as_str();
    let form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", CONFIDENTIAL_REDIRECT)];

    let wrong = post_client(&sandbox, "/oauth/token", &form, Some((CONFIDENTIAL, "wrong"))).await;
    assert_eq!((wrong.status, wrong.error()), (StatusCode::UNAUTHORIZED, "invalid_client"));
    assert!(wrong.headers[WWW_AUTHENTICATE].to_str().unwrap().starts_with("Basic"));
    let unauthenticated =
        post_client(&sandbox, "/oauth/token", &[form.as_slice(), &[("client_id", CONFIDENTIAL)]].concat(), None).await;
    assert_eq!((unauthenticated.status, unauthenticated.error()), (StatusCode::UNAUTHORIZED, "invalid_client"));
    let posted_secret =
        [form.as_slice(), &[("client_id", CONFIDENTIAL), ("client_secret", CONFIDENTIAL_SECRET)]].concat();
    let post_method = post_client(&sandbox, "/oauth/token", &posted_secret, None).await;
    assert_eq!(post_method.error(), "invalid_client", "client_secret_post is not offered");
    // The desktop client cannot redeem another client's code.
    let stolen =
        post_client(&sandbox, "/oauth/token", &[form.as_slice(), &[("client_id", DESKTOP)]].concat(), None).await;
    assert_eq!(stolen.error(), "invalid_grant");

    let tokens = post_client(&sandbox, "/oauth/token", &form, Some((CONFIDENTIAL, CONFIDENTIAL_SECRET))).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.json);
    assert_eq!(tokens.field("scope"), "balance");
    let grant = authenticate(&sandbox, &tokens.field("access_token")).expect("valid");
    assert_eq!(grant.scopes, ["balance"]);

    // Its refresh token is bound to it.
    let refresh_form = [("grant_type", "refresh_token"), ("refresh_token", &tokens.field("refresh_token"))];
    let as_desktop = refresh(&sandbox, &tokens.field("refresh_token")).await;
    assert_eq!(as_desktop.error(), "invalid_grant");
    let refreshed =
        post_client(&sandbox, "/oauth/token", &refresh_form, Some((CONFIDENTIAL, CONFIDENTIAL_SECRET))).await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.json);
}

#[tokio::test]
async fn malformed_token_requests_get_rfc6749_errors() {
    let sandbox = sandbox().await;
    let unknown_client =
        post_client(&sandbox, "/oauth/token", &[("grant_type", "refresh_token"), ("client_id", "nobody")], None).await;
    assert_eq!((unknown_client.status, unknown_client.error()), (StatusCode::UNAUTHORIZED, "invalid_client"));
    let grant_type =
        post_client(&sandbox, "/oauth/token", &[("grant_type", "password"), ("client_id", DESKTOP)], None).await;
    assert_eq!(grant_type.error(), "unsupported_grant_type");
    let missing = post_client(&sandbox, "/oauth/token", &[("client_id", DESKTOP)], None).await;
    assert_eq!(missing.error(), "invalid_request");
    let repeated = post_client(
        &sandbox,
        "/oauth/token",
        &[("grant_type", "refresh_token"), ("grant_type", "refresh_token"), ("client_id", DESKTOP)],
        None,
    )
    .await;
    assert_eq!(repeated.error(), "invalid_request");
    let json = client()
        .post(format!("{}/oauth/token", sandbox.base_url))
        .json(&serde_json::json!({"grant_type": "refresh_token", "client_id": DESKTOP}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json.json::<serde_json::Value>().await.unwrap()["error"], "invalid_request");
}

#[tokio::test]
async fn refresh_rotates_and_reuse_of_a_rotated_token_revokes_the_grant() {
    let sandbox = sandbox().await;
    let first = link(&sandbox).await;
    let second = refresh(&sandbox, &first.field("refresh_token")).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.json);
    assert_ne!(second.field("refresh_token"), first.field("refresh_token"));
    assert_ne!(second.field("access_token"), first.field("access_token"));
    assert_eq!(
        second.field("consent_expires_at"),
        first.field("consent_expires_at"),
        "refresh does not extend consent"
    );
    assert_eq!(second.field("bank_code"), BANK);
    assert!(authenticate(&sandbox, &second.field("access_token")).is_ok());

    // Narrowing the scope on refresh is allowed, widening is not.
    let narrowed = post_client(
        &sandbox,
        "/oauth/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &second.field("refresh_token")),
            ("client_id", DESKTOP),
            ("scope", "transactions"),
        ],
        None,
    )
    .await;
    assert_eq!(narrowed.field("scope"), "transactions");
    let third_refresh = narrowed.field("refresh_token");
    let widened = post_client(
        &sandbox,
        "/oauth/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &third_refresh),
            ("client_id", DESKTOP),
            ("scope", "balance payments"),
        ],
        None,
    )
    .await;
    assert_eq!(widened.error(), "invalid_scope");

    // The old refresh token was rotated away: presenting it means it leaked.
    let replay = refresh(&sandbox, &first.field("refresh_token")).await;
    assert_eq!((replay.status, replay.error()), (StatusCode::BAD_REQUEST, "invalid_grant"));
    assert_eq!(refresh(&sandbox, &third_refresh).await.error(), "invalid_grant", "the whole grant is revoked");
    assert_eq!(authenticate(&sandbox, &narrowed.field("access_token")).err(), Some(TokenRejection::Invalid));
    assert_eq!(authenticate(&sandbox, &second.field("access_token")).err(), Some(TokenRejection::Invalid));
}

#[tokio::test]
async fn access_tokens_expire_on_the_simulated_clock_and_refresh_renews_them() {
    let sandbox = sandbox().await;
    let tokens = link(&sandbox).await;
    sandbox.state.clock.advance(Duration::hours(1) + Duration::seconds(1));
    assert_eq!(authenticate(&sandbox, &tokens.field("access_token")).err(), Some(TokenRejection::Expired));
    let (status, body) = accounts_status(&sandbox, &tokens.field("access_token")).await;
    assert_eq!((status, body["errorCode"].as_str()), (StatusCode::UNAUTHORIZED, Some("TOKEN_EXPIRED")));
    let renewed = refresh(&sandbox, &tokens.field("refresh_token")).await;
    assert!(authenticate(&sandbox, &renewed.field("access_token")).is_ok());
}

#[tokio::test]
async fn refresh_tokens_expire_after_their_configured_lifetime() {
    let config = SandboxConfig { refresh_token_ttl: Duration::days(30), ..SandboxConfig::default() };
    let sandbox = sandbox_with(config).await;
    let tokens = link(&sandbox).await;
    sandbox.state.clock.advance(Duration::days(30) + Duration::seconds(1));
    let reply = refresh(&sandbox, &tokens.field("refresh_token")).await;
    assert_eq!((reply.status, reply.error()), (StatusCode::BAD_REQUEST, "invalid_grant"));
}

#[tokio::test]
async fn nothing_outlives_the_consent() {
    let config = SandboxConfig {
        access_token_ttl: Duration::hours(1),
        refresh_token_ttl: Duration::days(30),
        consent_ttl: Duration::days(2),
        ..SandboxConfig::default()
    };
    let sandbox = sandbox_with(config).await;
    let mut tokens = link(&sandbox).await;
    // Refreshing every day keeps the refresh token alive, but not past the consent.
    for _ in 0..2 {
        sandbox.state.clock.advance(Duration::hours(23));
        tokens = refresh(&sandbox, &tokens.field("refresh_token")).await;
        assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.json);
    }
    assert!(tokens.json["expires_in"].as_i64().unwrap() <= 2 * 3600, "capped at the consent's end");
    sandbox.state.clock.advance(Duration::hours(3));
    let reply = refresh(&sandbox, &tokens.field("refresh_token")).await;
    assert_eq!(reply.error(), "invalid_grant");
    assert!(reply.field("error_description").contains("consent"), "{}", reply.json);
    assert_eq!(authenticate(&sandbox, &tokens.field("access_token")).err(), Some(TokenRejection::Expired));
}

#[tokio::test]
async fn direct_issuance_and_fault_switches() {
    let sandbox = sandbox().await;
    let accounts: Vec<String> =
        sandbox.state.bank.accounts_of("demo", BANK).into_iter().map(|a| a.account_id).collect();
    let now = sandbox.state.clock.now();
    let issued = sandbox.state.oauth.issue_direct("demo", BANK, accounts.clone(), "transactions balance", now).unwrap();
    assert_eq!(issued.scope, "balance transactions");
    assert_eq!(issued.bank_code, BANK);
    assert_eq!(authenticate(&sandbox, &issued.access_token).unwrap().account_ids, accounts);
    assert!(sandbox.state.oauth.issue_direct("demo", BANK, accounts, "payments", now).is_err());

    sandbox.state.oauth.expire_all_access_tokens();
    assert_eq!(authenticate(&sandbox, &issued.access_token).err(), Some(TokenRejection::Expired));
    let renewed = refresh(&sandbox, &issued.refresh_token).await;
    assert_eq!(renewed.status, StatusCode::OK, "issued to kura-desktop, refreshable by it");
    assert!(authenticate(&sandbox, &renewed.field("access_token")).is_ok());

    let pkce = pkce('f');
    let pending_code = desktop_code(&sandbox, &pkce).await;
    sandbox.state.oauth.revoke_all();
    let late = exchange_code(&sandbox, &pending_code, LOOPBACK_REDIRECT, &pkce.verifier).await;
    assert_eq!(late.error(), "invalid_grant", "codes not yet redeemed are withdrawn too");
    assert_eq!(authenticate(&sandbox, &renewed.field("access_token")).err(), Some(TokenRejection::Invalid));
    assert_eq!(refresh(&sandbox, &renewed.field("refresh_token")).await.error(), "invalid_grant");
}
