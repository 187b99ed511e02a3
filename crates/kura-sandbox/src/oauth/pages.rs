//! The HTML the user sees: login, consent and error pages (askama, auto-escaped), served with
//! headers that keep them out of caches and frames.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::errors::no_store;
use super::scopes::Scope;
use crate::bank::Account;
use crate::bank::unions::Union;

/// A message in Japanese with its English translation.
#[derive(Debug, Clone, Copy)]
pub struct Notice {
    pub ja: &'static str,
    pub en: &'static str,
}

#[derive(Template)]
#[template(path = "oauth_login.html")]
pub struct LoginPage<'a> {
    pub request_id: &'a str,
    pub client_name: &'a str,
    /// The union named by the client; when `None` the page offers `unions`.
    pub bank: Option<&'a Union>,
    pub unions: &'a [Union],
    pub selected_bank: &'a str,
    pub username: &'a str,
    pub error: Option<Notice>,
}

pub struct AccountRow {
    pub id: String,
    pub type_name: String,
    pub number: String,
    pub branch_code: String,
    pub branch_name: String,
    pub name_kana: String,
    pub checked: bool,
}

impl AccountRow {
    pub fn new(account: &Account, checked: bool) -> Self {
        AccountRow {
            id: account.account_id.clone(),
            type_name: account.identity.account_type_name.clone(),
            number: account.identity.account_number.clone(),
            branch_code: account.identity.branch_code.clone(),
            branch_name: account.identity.branch_name.clone(),
            name_kana: account.identity.account_name_kana.clone(),
            checked,
        }
    }
}

#[derive(Template)]
#[template(path = "oauth_consent.html")]
pub struct ConsentPage<'a> {
    pub request_id: &'a str,
    pub client_name: &'a str,
    pub bank_code: &'a str,
    pub bank_name: &'a str,
    pub username: &'a str,
    pub accounts: Vec<AccountRow>,
    pub scopes: &'a [Scope],
    /// e.g. `2027年2月22日`
    pub valid_until_ja: String,
    /// e.g. `2027-02-22`
    pub valid_until_en: String,
    pub valid_days: i64,
    pub error: Option<Notice>,
}

#[derive(Template)]
#[template(path = "oauth_error.html")]
pub struct ErrorPage {
    pub notice: Notice,
}

/// Renders `page` with `status`. Rendering only fails on a template bug, which the tests of
/// every page would show; the user then gets a plain 500 rather than a broken page.
pub fn html(status: StatusCode, page: &impl Template) -> Response {
    let body = match page.render() {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "rendering an OAuth page failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error rendering the page").into_response();
        }
    };
    let mut response = (status, no_store(), body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    // Inline CSS only; no scripts, no framing (clickjacking of the consent button).
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// An error shown to the user instead of redirecting, e.g. for an unverified redirect URI.
pub fn error_page(status: StatusCode, notice: Notice) -> Response {
    html(status, &ErrorPage { notice })
}
