//! The loopback-only admin API that tests, schemathesis and developers use to steer the sandbox:
//! fault switches, the simulated clock and directly issued tokens.

use std::net::SocketAddr;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::faults::Faults;
use crate::state::AppState;

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/admin/faults", get(get_faults).put(put_faults))
        .route("/admin/clock", get(get_clock).post(post_clock))
        .route("/admin/tokens", post(post_tokens))
        .layer(axum::middleware::from_fn_with_state(state, loopback_only))
}

/// The admin API can rewrite time and mint tokens: only the machine itself may call it.
async fn loopback_only(ConnectInfo(peer): ConnectInfo<SocketAddr>, request: Request, next: Next) -> Response {
    if peer.ip().to_canonical().is_loopback() {
        next.run(request).await
    } else {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "管理APIはこのマシン(ループバック)からのみ利用できます。 (admin API is loopback-only)",
        )
        .into_response()
    }
}

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(v)| v)
        .map_err(|e| ApiError::invalid_parameter(format!("リクエスト本文が不正です。 ({})", e.body_text())))
}

async fn get_faults(State(state): State<AppState>) -> Json<Faults> {
    Json(state.faults.get())
}

/// Replaces every fault setting; fields left out take their defaults (off), so `{}` clears all.
/// `expireAllTokens`/`revokeAllTokens` act once on the token store.
async fn put_faults(
    State(state): State<AppState>,
    body: Result<Json<Faults>, JsonRejection>,
) -> Result<Json<Faults>, ApiError> {
    let faults = json_body(body)?;
    let (expire_all, revoke_all) = state.faults.set(faults).map_err(ApiError::invalid_parameter)?;
    if expire_all {
        state.oauth.expire_all_access_tokens();
    }
    if revoke_all {
        state.oauth.revoke_all();
    }
    Ok(Json(state.faults.get()))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClockBody {
    /// RFC 3339 in JST.
    now: String,
    today: NaiveDate,
}

fn clock_body(state: &AppState) -> Json<ClockBody> {
    let now = state.clock.now();
    Json(ClockBody { now: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false), today: now.date_naive() })
}

async fn get_clock(State(state): State<AppState>) -> Json<ClockBody> {
    clock_body(&state)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockChange {
    advance_days: Option<i64>,
    today: Option<NaiveDate>,
}

/// Moves the simulated clock forward, by days or to a date. The clock never goes back: history
/// already served stays true.
async fn post_clock(
    State(state): State<AppState>,
    body: Result<Json<ClockChange>, JsonRejection>,
) -> Result<Json<ClockBody>, ApiError> {
    let change = json_body(body)?;
    let current = state.clock.today();
    let target = match (change.advance_days, change.today) {
        (Some(days), None) if (0..=36_500).contains(&days) => current + Duration::days(days),
        (None, Some(day)) => day,
        _ => {
            return Err(ApiError::invalid_parameter(
                "{\"advanceDays\": 0〜36500} か {\"today\": \"YYYY-MM-DD\"} のどちらか一つを指定してください。 (give exactly one of advanceDays >= 0 or today)",
            ));
        }
    };
    if target < current {
        return Err(ApiError::invalid_parameter(format!(
            "模擬時計は戻せません(現在 {current})。 (the simulated clock only moves forward; today is {current})"
        )));
    }
    state.clock.set_today(target);
    Ok(clock_body(&state))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenRequest {
    username: String,
    bank_code: String,
    #[serde(default = "both_scopes")]
    scope: String,
}

fn both_scopes() -> String {
    "balance transactions".to_owned()
}

/// Issues a token pair as if `username` had consented to all their accounts at `bankCode`.
async fn post_tokens(
    State(state): State<AppState>,
    body: Result<Json<TokenRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let request = json_body(body)?;
    let account_ids: Vec<String> =
        state.bank.accounts_of(&request.username, &request.bank_code).into_iter().map(|a| a.account_id).collect();
    if account_ids.is_empty() {
        return Err(ApiError::invalid_parameter(format!(
            "利用者 {} は金融機関 {} に口座を持っていません。 (user has no accounts at that union)",
            request.username, request.bank_code
        )));
    }
    let issued = state
        .oauth
        .issue_direct(&request.username, &request.bank_code, account_ids, &request.scope, state.clock.now())
        .map_err(|e| ApiError::invalid_parameter(format!("トークンを発行できません。 ({e})")))?;
    Ok(Json(issued).into_response())
}
