//! The resource API under `/v1`: accounts, balance and transaction history, per
//! docs/openapi.yaml.

use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::bank::{Account, Tx};
use crate::error::ApiError;
use crate::faults::Counter;
use crate::oauth::{Grant, TokenRejection};
use crate::state::AppState;

/// Days served, today included.
pub const WINDOW_DAYS: i64 = 90;
/// Lines per page at most.
pub const PAGE_SIZE: usize = 500;

pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/v1/accounts", get(accounts))
        .route("/v1/accounts/{account_id}/balance", get(balance))
        .route("/v1/accounts/{account_id}/transactions", get(transactions))
        .layer(axum::middleware::from_fn_with_state(state, inject_faults))
}

#[derive(Clone, Copy)]
enum Need {
    Either,
    Balance,
    Transactions,
}

fn authorize(state: &AppState, headers: &HeaderMap, need: Need) -> Result<Grant, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' ').filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer")))
        .map(|(_, token)| token.trim())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::invalid_token("Authorization: Bearer <アクセストークン> が必要です。 (bearer token required)")
        })?;
    let grant = match state.oauth.authenticate(token, state.clock.now()) {
        Ok(grant) => grant,
        Err(TokenRejection::Expired) => return Err(ApiError::token_expired()),
        Err(TokenRejection::Invalid) => return Err(ApiError::invalid_token(INVALID_TOKEN_MESSAGE)),
    };
    let has = |scope: &str| grant.scopes.iter().any(|s| s == scope);
    match need {
        Need::Either if !has("balance") && !has("transactions") => {
            Err(ApiError::insufficient_scope("balance transactions"))
        }
        Need::Balance if !has("balance") => Err(ApiError::insufficient_scope("balance")),
        Need::Transactions if !has("transactions") => Err(ApiError::insufficient_scope("transactions")),
        _ => Ok(grant),
    }
}

const INVALID_TOKEN_MESSAGE: &str =
    "アクセストークンが無効です。口座連携をやり直してください。 (access token unknown or revoked)";

/// The consented account `account_id` of the grant's user at the grant's union.
fn consented<'a>(state: &'a AppState, grant: &Grant, account_id: &str) -> Result<&'a Account, ApiError> {
    let account = state.bank.account(account_id).ok_or_else(ApiError::account_not_found)?;
    let owned = state.bank.owner_of(account_id) == Some(grant.username.as_str());
    if owned && account.identity.bank_code == grant.bank_code && grant.account_ids.iter().any(|id| id == account_id) {
        Ok(account)
    } else {
        Err(ApiError::account_not_found())
    }
}

fn path_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(id)| id).map_err(|e| ApiError::invalid_parameter(format!("口座IDが不正です。 (bad accountId: {e})")))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountBody {
    #[serde(flatten)]
    account: Account,
    currency_code: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountsBody {
    accounts: Vec<AccountBody>,
    base_date: String,
    base_time: String,
}

fn base(state: &AppState) -> (String, String) {
    let now = state.clock.now();
    (now.format("%Y-%m-%d").to_string(), now.format("%H:%M:%S+09:00").to_string())
}

async fn accounts(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let grant = authorize(&state, &headers, Need::Either)?;
    let accounts = state
        .bank
        .accounts_of(&grant.username, &grant.bank_code)
        .into_iter()
        .filter(|a| grant.account_ids.contains(&a.account_id))
        .map(|account| AccountBody { account, currency_code: "JPY" })
        .collect();
    let (base_date, base_time) = base(&state);
    Ok(Json(AccountsBody { accounts, base_date, base_time }).into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BalanceBody {
    account_id: String,
    currency_code: &'static str,
    balance: String,
    withdrawable_amount: String,
    base_date: String,
    base_time: String,
}

async fn balance(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let grant = authorize(&state, &headers, Need::Balance)?;
    let account = consented(&state, &grant, &path_id(path)?)?;
    let today = state.clock.today();
    let (balance, withdrawable) = state
        .bank
        .with_ledger(&account.account_id, today, |l| {
            let b = l.balance_on(today);
            (b, l.withdrawable(b))
        })
        .ok_or_else(ApiError::account_not_found)?;
    let (base_date, base_time) = base(&state);
    Ok(Json(BalanceBody {
        account_id: account.account_id.clone(),
        currency_code: "JPY",
        balance: balance.to_string(),
        withdrawable_amount: withdrawable.to_string(),
        base_date,
        base_time,
    })
    .into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TxBody {
    transaction_date: String,
    value_date: String,
    transaction_type: &'static str,
    amount: String,
    balance: String,
    remarks: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_key: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TransactionsBody {
    account_id: String,
    currency_code: &'static str,
    date_from: String,
    date_to: String,
    base_date: String,
    base_time: String,
    has_next: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_item_key: Option<String>,
    transactions: Vec<TxBody>,
}

/// Strict `YYYY-MM-DD` (chrono alone would accept `2026-1-5`).
fn parse_date(name: &str, value: &str) -> Result<NaiveDate, ApiError> {
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    shaped.then(|| NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()).flatten().ok_or_else(|| {
        ApiError::invalid_parameter(format!(
            "{name} は YYYY-MM-DD 形式の日付で指定してください。 ({name} must be YYYY-MM-DD, got {value:?})"
        ))
    })
}

/// A paging position: the (date, seq) of the first line of the next page, opaque to clients.
fn encode_key(tx: &Tx) -> String {
    URL_SAFE_NO_PAD.encode(format!("p1:{}:{}", tx.date.format("%Y%m%d"), tx.seq))
}

fn decode_key(key: &str) -> Option<(NaiveDate, u32)> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(key).ok()?).ok()?;
    let mut parts = raw.strip_prefix("p1:")?.split(':');
    let date = NaiveDate::parse_from_str(parts.next()?, "%Y%m%d").ok()?;
    let seq = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((date, seq))
}

fn invalid_key() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::BAD_REQUEST,
        "INVALID_NEXT_ITEM_KEY",
        "nextItemKey が不正です。前回の応答の値をそのまま指定してください。 (nextItemKey not issued for this query)",
    )
}

async fn transactions(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let grant = authorize(&state, &headers, Need::Transactions)?;
    let account = consented(&state, &grant, &path_id(path)?)?;
    let (mut date_from, mut date_to, mut next_key) = (None, None, None);
    for (name, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "dateFrom" => date_from = Some(parse_date("dateFrom", &value)?),
            "dateTo" => date_to = Some(parse_date("dateTo", &value)?),
            "nextItemKey" => next_key = Some(value.into_owned()),
            // Unknown parameters are ignored, as the federation's gateways do.
            _ => {}
        }
    }
    let today = state.clock.today();
    let oldest = today - Duration::days(WINDOW_DAYS - 1);
    let date_from = date_from.unwrap_or(oldest);
    if date_from < oldest {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "DATE_OUT_OF_RANGE",
            format!("照会できるのは過去{WINDOW_DAYS}日分({oldest}以降)です。 (dateFrom must be on or after {oldest})"),
        ));
    }
    let date_to = date_to.unwrap_or(today).min(today);
    if date_from > date_to {
        return Err(ApiError::invalid_parameter(format!(
            "dateFrom ({date_from}) が dateTo ({date_to}) より後です。 (dateFrom after dateTo; dateTo is capped at today)"
        )));
    }
    let position = match &next_key {
        Some(key) => {
            let (date, seq) = decode_key(key).ok_or_else(invalid_key)?;
            if date < date_from || date > date_to {
                return Err(invalid_key());
            }
            Some((date, seq))
        }
        None => None,
    };
    let f = state.faults.get();
    let omit_keys = f.omit_item_key || state.bank.omits_item_key(&account.identity.bank_code);
    let page = state
        .bank
        .with_ledger(&account.account_id, today, |ledger| {
            let txs = ledger.txs();
            let first = txs.partition_point(|t| t.date < date_from);
            let end = txs.partition_point(|t| t.date <= date_to);
            let start = match position {
                Some((date, seq)) => txs.partition_point(|t| (t.date, t.seq) < (date, seq)).clamp(first, end),
                None => first,
            };
            let paged = position.is_some() && start > first;
            if paged && state.faults.take(Counter::RepeatPage) {
                let from = start.saturating_sub(PAGE_SIZE).max(first);
                return (txs[from..start].to_vec(), next_key.clone());
            }
            let start = if paged && state.faults.take(Counter::DuplicateItem) { start - 1 } else { start };
            let stop = (start + PAGE_SIZE).min(end);
            let mut next = (stop < end).then(|| encode_key(&txs[stop]));
            if position.is_some() && f.loop_next_item_key && first + PAGE_SIZE < end {
                next = Some(encode_key(&txs[first + PAGE_SIZE]));
            }
            (txs[start..stop].to_vec(), next)
        })
        .ok_or_else(ApiError::account_not_found)?;
    let (lines, next_item_key) = page;
    let (base_date, base_time) = base(&state);
    let transactions = lines
        .iter()
        .map(|t| TxBody {
            transaction_date: t.date.to_string(),
            value_date: t.date.to_string(),
            transaction_type: if t.credit { "1" } else { "2" },
            amount: t.amount.to_string(),
            balance: t.balance.to_string(),
            remarks: t.remarks,
            item_key: (!omit_keys).then(|| t.item_key()),
        })
        .collect();
    Ok(Json(TransactionsBody {
        account_id: account.account_id.clone(),
        currency_code: "JPY",
        date_from: date_from.to_string(),
        date_to: date_to.to_string(),
        base_date,
        base_time,
        has_next: next_item_key.is_some(),
        next_item_key,
        transactions,
    })
    .into_response())
}

/// Middleware around `/v1`: latency and gateway errors first, body corruption last.
async fn inject_faults(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let latency = state.faults.get().latency_ms;
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    if let Some(error) = state.faults.gate(state.clock.now()) {
        return error.into_response();
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (malformed, truncated) = state.faults.corruption();
    if !malformed && !truncated {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::internal_error().into_response();
    };
    if malformed {
        // Valid JSON cut before its last brace and ending in a dangling comma: the kind of body
        // a crashing upstream produces.
        let mut broken = bytes[..bytes.len().saturating_sub(1)].to_vec();
        broken.push(b',');
        parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(broken.len()));
        return Response::from_parts(parts, Body::from(broken));
    }
    // Promise the full length, send half, then end the stream: the connection closes early.
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let half = bytes.slice(..bytes.len() / 2);
    let stream = futures_util::stream::unfold(Some(half), |chunk| async move {
        match chunk {
            Some(chunk) => Some((Ok::<Bytes, std::io::Error>(chunk), None)),
            None => {
                // Pending once before ending, so the server flushes the head and the half body
                // before it notices the shortfall and drops the connection.
                tokio::task::yield_now().await;
                None
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
