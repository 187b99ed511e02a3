//! The authorization server's modes (`OAuthModes`): each a way a standards-conforming server may
//! differ from the federation's default, as Kura's tests meet them.

use kura_sandbox::SandboxConfig;
use kura_sandbox::oauth::OAuthModes;
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::*;

async fn sandbox_in(modes: OAuthModes) -> kura_sandbox::Sandbox {
    sandbox_with(SandboxConfig { oauth: modes, ..SandboxConfig::default() }).await
}

/// A desktop link's token response in this sandbox.
async fn link_through(sandbox: &kura_sandbox::Sandbox, browser: &reqwest::Client, seed: char) -> TokenReply {
    let pkce = pkce(seed);
    let callback = authorize_in(browser, sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    exchange_code(sandbox, &callback["code"], LOOPBACK_REDIRECT, &pkce.verifier).await
}

/// Signs in as demo if the union asks, allows every account; returns the callback parameters.
async fn authorize_in(
    browser: &reqwest::Client,
    sandbox: &kura_sandbox::Sandbox,
    query: &[(String, String)],
) -> std::collections::HashMap<String, String> {
    let mut page = open(browser, sandbox, query).await;
    let request_id = page.input("request_id");
    if page.html.contains("name=\"username\"") {
        page = sign_in(browser, sandbox, &request_id, "demo", "demo").await;
    }
    let accounts: Vec<String> = page.accounts().into_iter().map(|(id, _)| id).collect();
    decide(browser, sandbox, &request_id, &accounts, "allow").await.location().1
}

#[tokio::test]
async fn session_grants_skip_the_login_and_share_one_grant_that_revocation_ends() {
    let sandbox = sandbox_in(OAuthModes { session_grants: true, ..OAuthModes::default() }).await;
    let browser = browser();
    let first = link_through(&sandbox, &browser, 'a').await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.json);

    // Signed in: the next authorization goes straight to the consent page.
    let page = open(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce('b'))).await;
    assert!(page.html.contains("name=\"decision\""), "{}", page.html);
    assert!(!page.html.contains("name=\"username\""));
    let second = link_through(&sandbox, &browser, 'c').await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.json);
    assert!(authenticate(&sandbox, &second.field("access_token")).is_ok());

    // Revoking the first login's refresh token ends the grant both logins share.
    assert_eq!(revoke(&sandbox, &first.field("refresh_token"), Some("refresh_token")).await.status, StatusCode::OK);
    assert!(authenticate(&sandbox, &second.field("access_token")).is_err());
    assert_eq!(refresh(&sandbox, &second.field("refresh_token")).await.error(), "invalid_grant");

    // After that a login from the session starts a new grant.
    let third = link_through(&sandbox, &browser, 'd').await;
    assert!(authenticate(&sandbox, &third.field("access_token")).is_ok());
}

#[tokio::test]
async fn a_path_issuer_is_served_only_at_the_locations_appended_to_it() {
    let sandbox = sandbox_in(OAuthModes { issuer_path: Some("/fed/2011".into()), ..OAuthModes::default() }).await;
    let base = &sandbox.base_url;
    for (path, served) in [
        ("/.well-known/oauth-authorization-server", false),
        ("/.well-known/oauth-authorization-server/fed/2011", false),
        ("/fed/2011/.well-known/openid-configuration", true),
        ("/fed/2011/.well-known/oauth-authorization-server", true),
    ] {
        let response = client().get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status() == StatusCode::OK, served, "{path}");
        if served {
            let doc: Value = response.json().await.unwrap();
            assert_eq!(doc["issuer"], format!("{base}/fed/2011"));
            assert_eq!(doc["token_endpoint"], format!("{base}/oauth/token"));
        }
    }
    let refused = kura_sandbox::start(SandboxConfig {
        oauth: OAuthModes { issuer_path: Some("fed?x".into()), ..OAuthModes::default() },
        ..SandboxConfig::default()
    })
    .await;
    assert!(refused.is_err());
}

#[tokio::test]
async fn without_refresh_tokens_or_federation_fields_the_response_is_plain_rfc_6749() {
    let modes = OAuthModes { no_refresh_token: true, plain_token_response: true, ..OAuthModes::default() };
    let sandbox = sandbox_in(modes).await;
    let tokens = link_through(&sandbox, &browser(), 'a').await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.json);
    for absent in ["refresh_token", "consent_expires_at", "bank_code"] {
        assert!(tokens.json.get(absent).is_none(), "{absent} in {}", tokens.json);
    }
    assert!(authenticate(&sandbox, &tokens.field("access_token")).is_ok());

    // Introspection (RFC 7662) names the consent's end for the token's own client only.
    let access = tokens.field("access_token");
    let mine = post_client(&sandbox, "/oauth/introspect", &[("token", &access), ("client_id", DESKTOP)], None).await;
    assert_eq!(mine.json["active"], true, "{}", mine.json);
    assert_eq!(mine.json["bank_code"], BANK);
    assert!(mine.field("consent_expires_at").ends_with("+09:00"));
    let theirs =
        post_client(&sandbox, "/oauth/introspect", &[("token", &access)], Some((CONFIDENTIAL, CONFIDENTIAL_SECRET)))
            .await;
    assert_eq!(theirs.json, serde_json::json!({ "active": false }));
    let unknown = post_client(&sandbox, "/oauth/introspect", &[("token", "nope"), ("client_id", DESKTOP)], None).await;
    assert_eq!(unknown.json, serde_json::json!({ "active": false }));
    let anonymous = post_client(&sandbox, "/oauth/introspect", &[("token", &access)], None).await;
    assert_eq!(anonymous.error(), "invalid_client");
}

#[tokio::test]
async fn the_iss_parameter_names_the_issuer_in_every_authorization_response() {
    let sandbox = sandbox_in(OAuthModes { iss_parameter: true, ..OAuthModes::default() }).await;
    let doc: Value = client()
        .get(format!("{}/.well-known/oauth-authorization-server", sandbox.base_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    let browser = browser();
    let callback = authorize_in(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce('a'))).await;
    assert_eq!(callback["iss"], sandbox.base_url);
    // Errors too (RFC 9207 §2).
    let refused = open(&browser, &sandbox, &with(desktop_request(LOOPBACK_REDIRECT, &pkce('b')), "scope", None)).await;
    let (_, params) = refused.location();
    assert_eq!((params["error"].as_str(), params["iss"].as_str()), ("invalid_scope", sandbox.base_url.as_str()));
}
