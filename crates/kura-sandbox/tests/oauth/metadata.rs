//! Authorization server metadata (RFC 8414).

use kura_sandbox::SandboxConfig;
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn metadata_describes_the_server_as_the_client_reached_it() {
    let sandbox = sandbox().await;
    let response =
        client().get(format!("{}/.well-known/oauth-authorization-server", sandbox.base_url)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    let base = sandbox.base_url.as_str();
    assert_eq!(doc["issuer"], base);
    assert_eq!(doc["authorization_endpoint"], format!("{base}/oauth/authorize"));
    assert_eq!(doc["token_endpoint"], format!("{base}/oauth/token"));
    assert_eq!(doc["revocation_endpoint"], format!("{base}/oauth/revoke"));
    assert_eq!(doc["scopes_supported"], json!(["balance", "transactions"]));
    assert_eq!(doc["response_types_supported"], json!(["code"]));
    assert_eq!(doc["grant_types_supported"], json!(["authorization_code", "refresh_token"]));
    assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(doc["token_endpoint_auth_methods_supported"], json!(["none", "client_secret_basic"]));
    assert_eq!(doc["revocation_endpoint_auth_methods_supported"], json!(["none", "client_secret_basic"]));
}

#[tokio::test]
async fn over_tls_the_issuer_is_https_and_the_browser_cookie_is_secure() {
    let ca_path = std::env::temp_dir().join(format!("kura-oauth-test-{}-ca.pem", std::process::id()));
    let sandbox = sandbox_with(SandboxConfig { tls_ca_out: Some(ca_path.clone()), ..SandboxConfig::default() }).await;
    let ca = reqwest::Certificate::from_pem(sandbox.ca_pem.as_deref().expect("TLS sandbox").as_bytes()).unwrap();
    let https = reqwest::Client::builder().no_proxy().tls_certs_only([ca]).build().unwrap();
    let doc: Value = https
        .get(format!("{}/.well-known/oauth-authorization-server", sandbox.base_url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(sandbox.base_url.starts_with("https://"));
    assert_eq!(doc["issuer"], sandbox.base_url.as_str());
    assert_eq!(doc["token_endpoint"], format!("{}/oauth/token", sandbox.base_url));

    let query = desktop_request(LOOPBACK_REDIRECT, &pkce('s'));
    let login = https.get(format!("{}/oauth/authorize", sandbox.base_url)).query(&query).send().await.unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let cookie = login.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly"), "{cookie}");
    let _ = std::fs::remove_file(ca_path);
}
