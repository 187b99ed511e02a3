//! The machine-facing endpoints: token (RFC 6749 §3.2), revocation (RFC 7009) and the
//! authorization server metadata (RFC 8414). Introspection (RFC 7662) is in `introspect`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};

use super::errors::{OAuthError, no_store};
use super::params::Params;
use super::scopes::Scope;
use super::tokens::TokenResponse;
use crate::state::AppState;

/// `POST /oauth/token`.
pub async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    match exchange(&state, &headers, &body) {
        Ok(tokens) => (StatusCode::OK, no_store(), Json(tokens)).into_response(),
        Err(error) => error.into_response(),
    }
}

fn exchange(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<TokenResponse, OAuthError> {
    let params = form_params(headers, body)?;
    let names =
        ["grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier", "refresh_token", "scope"];
    if let Some(name) = params.repeated(&names) {
        return Err(OAuthError::invalid_request(format!("parameter {name} is repeated")));
    }
    let client = state.oauth.clients.authenticate(headers, &params)?;
    let now = state.clock.now().with_timezone(&Utc);
    let required =
        |name: &str| params.get(name).ok_or_else(|| OAuthError::invalid_request(format!("{name} is required")));
    match params.get("grant_type") {
        Some("authorization_code") => {
            let (code, redirect_uri) = (required("code")?, required("redirect_uri")?);
            let verifier = params.get("code_verifier");
            let redeemed =
                state.oauth.tokens().redeem_code(code, client.id, redirect_uri, verifier, now, state.oauth.issuance);
            redeemed.map(|(_, response)| response)
        }
        Some("refresh_token") => {
            let refresh_token = required("refresh_token")?;
            let scopes = params
                .get("scope")
                .map(Scope::parse_list)
                .transpose()
                .map_err(|unknown| OAuthError::invalid_scope(unknown.to_string()))?;
            state.oauth.tokens().refresh(refresh_token, client.id, scopes, now, state.oauth.issuance)
        }
        Some(other) => Err(OAuthError::unsupported_grant_type(format!(
            "grant_type {other:?} is not supported: use authorization_code or refresh_token"
        ))),
        None => Err(OAuthError::invalid_request("grant_type is required")),
    }
}

/// `POST /oauth/revoke`: 200 for any token, known or not, once the client is authenticated.
pub async fn revoke(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let result = form_params(&headers, &body).and_then(|params| {
        if let Some(name) = params.repeated(&["token", "token_type_hint", "client_id", "client_secret"]) {
            return Err(OAuthError::invalid_request(format!("parameter {name} is repeated")));
        }
        let client = state.oauth.clients.authenticate(&headers, &params)?;
        let token = params.get("token").ok_or_else(|| OAuthError::invalid_request("token is required"))?;
        // Both token types are revocable, so `unsupported_token_type` never applies, and the
        // hint only orders the lookup, which both types share here (RFC 7009 §2.1).
        state.oauth.tokens().revoke(token, client.id);
        Ok(())
    });
    match result {
        Ok(()) => (StatusCode::OK, no_store()).into_response(),
        Err(error) => error.into_response(),
    }
}

/// `GET /.well-known/oauth-authorization-server` (or, with an issuer path, the two locations
/// appended to the issuer).
pub async fn metadata(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Json<Value> {
    let base = base_url(&state, &uri, &headers);
    let issuer = format!("{base}{}", state.oauth.modes.issuer_path());
    let scopes: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
    let mut metadata = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "token_endpoint": format!("{base}/oauth/token"),
        "revocation_endpoint": format!("{base}/oauth/revoke"),
        "introspection_endpoint": format!("{base}/oauth/introspect"),
        "scopes_supported": scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_basic"],
        "revocation_endpoint_auth_methods_supported": ["none", "client_secret_basic"],
        "introspection_endpoint_auth_methods_supported": ["none", "client_secret_basic"],
        "ui_locales_supported": ["ja", "en"],
    });
    if state.oauth.modes.iss_parameter {
        metadata["authorization_response_iss_parameter_supported"] = Value::Bool(true);
    }
    Json(metadata)
}

/// The issuer identifier as a client that reached the sandbox with `uri` and `headers` sees it.
pub(super) fn issuer(state: &AppState, uri: &Uri, headers: &HeaderMap) -> String {
    format!("{}{}", base_url(state, uri, headers), state.oauth.modes.issuer_path())
}

/// The sandbox's base URL as the client reached it, so that the metadata is right whichever
/// loopback address or port the client used.
fn base_url(state: &AppState, uri: &Uri, headers: &HeaderMap) -> String {
    let scheme = if state.config.tls_ca_out.is_some() { "https" } else { "http" };
    let authority = uri
        .authority()
        .map(|a| a.to_string())
        .or_else(|| {
            let host = headers.get(header::HOST)?.to_str().ok()?;
            // Only a well-formed authority, never arbitrary text, ends up in the document.
            host.parse::<axum::http::uri::Authority>().ok().map(|a| a.to_string())
        })
        .unwrap_or_else(|| state.config.addr.to_string());
    format!("{scheme}://{authority}")
}

/// The parameters of an `application/x-www-form-urlencoded` POST body.
pub(super) fn form_params(headers: &HeaderMap, body: &[u8]) -> Result<Params, OAuthError> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(OAuthError::invalid_request("the body must be application/x-www-form-urlencoded"));
    }
    Ok(Params::parse(body))
}
