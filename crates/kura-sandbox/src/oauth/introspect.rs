//! Token introspection (RFC 7662): whether a token is active, for its own client, with the
//! federation's consent expiry (the only place a server with plain token responses names it).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;

use super::endpoints::form_params;
use super::errors::{OAuthError, no_store};
use crate::state::AppState;

/// `POST /oauth/introspect`: the client authenticates as at the token endpoint; a token that is
/// not active, or not its own, is `{"active": false}` (RFC 7662 §2.2).
pub async fn introspect(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let result = form_params(&headers, &body).and_then(|params| {
        if let Some(name) = params.repeated(&["token", "token_type_hint", "client_id", "client_secret"]) {
            return Err(OAuthError::invalid_request(format!("parameter {name} is repeated")));
        }
        let client = state.oauth.clients.authenticate(&headers, &params)?;
        let token = params.get("token").ok_or_else(|| OAuthError::invalid_request("token is required"))?;
        let now = state.clock.now().with_timezone(&Utc);
        Ok(state.oauth.tokens().introspect(token, client.id, now))
    });
    match result {
        Ok(Some(active)) => (StatusCode::OK, no_store(), Json(active)).into_response(),
        Ok(None) => (StatusCode::OK, no_store(), Json(json!({ "active": false }))).into_response(),
        Err(error) => error.into_response(),
    }
}
