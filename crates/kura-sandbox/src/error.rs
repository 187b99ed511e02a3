//! The federation's error body, `{"errorCode","errorMessage"}`, with its HTTP status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub error_code: &'static str,
    pub error_message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, error_code: &'static str, error_message: impl Into<String>) -> Self {
        Self { status, error_code, error_message: error_message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(&self)).into_response()
    }
}
