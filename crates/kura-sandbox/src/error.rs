//! The federation's error body, `{"errorCode","errorMessage"}`, with its HTTP status and any
//! headers the error needs (WWW-Authenticate, Retry-After).

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub error_code: &'static str,
    pub error_message: String,
    #[serde(skip)]
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub fn new(status: StatusCode, error_code: &'static str, error_message: impl Into<String>) -> Self {
        Self { status, error_code, error_message: error_message.into(), headers: Vec::new() }
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    fn bearer_challenge(self, challenge: &'static str) -> Self {
        self.with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge))
    }

    pub fn invalid_token(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "INVALID_TOKEN", message)
            .bearer_challenge(r#"Bearer realm="kura-sandbox", error="invalid_token""#)
    }

    pub fn token_expired() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED", "アクセストークンの有効期限が切れています。リフレッシュトークンで再取得してください。 (access token expired)")
            .bearer_challenge(r#"Bearer realm="kura-sandbox", error="invalid_token", error_description="token expired""#)
    }

    pub fn insufficient_scope(scope: &'static str) -> Self {
        let challenge = match scope {
            "balance" => r#"Bearer realm="kura-sandbox", error="insufficient_scope", scope="balance""#,
            "transactions" => r#"Bearer realm="kura-sandbox", error="insufficient_scope", scope="transactions""#,
            _ => r#"Bearer realm="kura-sandbox", error="insufficient_scope", scope="balance transactions""#,
        };
        Self::new(
            StatusCode::FORBIDDEN,
            "INSUFFICIENT_SCOPE",
            format!("この操作にはスコープ {scope} の同意が必要です。 (scope {scope} required)"),
        )
        .bearer_challenge(challenge)
    }

    pub fn account_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ACCOUNT_NOT_FOUND",
            "口座が見つからないか、参照の同意がありません。 (account not found or not shared)",
        )
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_PARAMETER", message)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "NOT_FOUND", "指定されたURLは存在しません。 (no such endpoint)")
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "このURLはそのHTTPメソッドに対応していません。 (method not allowed)",
        )
    }

    pub fn internal_error() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "システムエラーが発生しました。時間をおいて再度お試しください。 (internal error)",
        )
    }

    fn retry_after(self, seconds: u32) -> Self {
        let value = HeaderValue::from_str(&seconds.to_string()).expect("digits are a valid header value");
        self.with_header(header::RETRY_AFTER, value)
    }

    pub fn service_unavailable(retry_after: u32) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "ただいまサービスを利用できません。時間をおいて再度お試しください。 (service unavailable)",
        )
        .retry_after(retry_after)
    }

    pub fn rate_limited(retry_after: u32) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            format!("リクエストが多すぎます。{retry_after}秒後に再度お試しください。 (rate limited)"),
        )
        .retry_after(retry_after)
    }

    pub fn under_maintenance(retry_after: u32) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNDER_MAINTENANCE",
            "システムメンテナンス中です。終了後に再度お試しください。 (under maintenance)",
        )
        .retry_after(retry_after)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(&self)).into_response();
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}
