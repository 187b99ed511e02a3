//! Authorization server metadata (RFC 8414).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn metadata_describes_the_server_as_the_client_reached_it() {
    let sandbox = sandbox().await;
    let response = reqwest::get(format!("{}/.well-known/oauth-authorization-server", sandbox.base_url)).await.unwrap();
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
