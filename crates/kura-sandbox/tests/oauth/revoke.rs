//! Token revocation (RFC 7009).

use kura_sandbox::oauth::TokenRejection;
use reqwest::StatusCode;
use reqwest::header::CACHE_CONTROL;

use crate::support::*;

#[tokio::test]
async fn revoking_an_access_token_ends_only_that_token() {
    let sandbox = sandbox().await;
    let tokens = link(&sandbox).await;
    let reply = revoke(&sandbox, &tokens.field("access_token"), Some("access_token")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[CACHE_CONTROL], "no-store");
    assert_eq!(authenticate(&sandbox, &tokens.field("access_token")).err(), Some(TokenRejection::Invalid));
    let renewed = refresh(&sandbox, &tokens.field("refresh_token")).await;
    assert_eq!(renewed.status, StatusCode::OK, "the grant lives on");
}

#[tokio::test]
async fn revoking_a_refresh_token_ends_the_grant() {
    let sandbox = sandbox().await;
    let tokens = link(&sandbox).await;
    // A wrong hint does not matter (RFC 7009 §2.1).
    let reply = revoke(&sandbox, &tokens.field("refresh_token"), Some("access_token")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(refresh(&sandbox, &tokens.field("refresh_token")).await.error(), "invalid_grant");
    assert_eq!(authenticate(&sandbox, &tokens.field("access_token")).err(), Some(TokenRejection::Invalid));
}

#[tokio::test]
async fn unknown_tokens_and_hints_still_get_200_but_clients_must_authenticate() {
    let sandbox = sandbox().await;
    assert_eq!(revoke(&sandbox, "never-issued", None).await.status, StatusCode::OK);
    assert_eq!(revoke(&sandbox, "never-issued", Some("id_token")).await.status, StatusCode::OK);
    let anonymous = post_client(&sandbox, "/oauth/revoke", &[("token", "x")], None).await;
    assert_eq!((anonymous.status, anonymous.error()), (StatusCode::UNAUTHORIZED, "invalid_client"));
    let wrong_secret = post_client(&sandbox, "/oauth/revoke", &[("token", "x")], Some((CONFIDENTIAL, "no"))).await;
    assert_eq!(wrong_secret.error(), "invalid_client");
    let no_token = post_client(&sandbox, "/oauth/revoke", &[("client_id", DESKTOP)], None).await;
    assert_eq!((no_token.status, no_token.error()), (StatusCode::BAD_REQUEST, "invalid_request"));
}

#[tokio::test]
async fn a_client_cannot_revoke_another_clients_token() {
    let sandbox = sandbox().await;
    let tokens = link(&sandbox).await;
    let form = [("token", tokens.field("refresh_token"))];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = post_client(&sandbox, "/oauth/revoke", &form, Some((CONFIDENTIAL, CONFIDENTIAL_SECRET))).await;
    // 200 as for any token (the contract), which also does not reveal that the token exists.
    assert_eq!(reply.status, StatusCode::OK);
    assert!(authenticate(&sandbox, &tokens.field("access_token")).is_ok(), "nothing was revoked");
    assert_eq!(refresh(&sandbox, &tokens.field("refresh_token")).await.status, StatusCode::OK);
}
