//! The client of the federation's read-only Open API: accounts, balances and transaction
//! history, with strict parsing, paging guards, retries and token refresh.

mod client;
mod error;
mod types;

use std::future::Future;
use std::pin::Pin;

pub use client::{ApiClient, ClientConfig, RetryPolicy, TransactionPager};
pub use error::{ApiError, TokenError};
pub use types::{AccountList, FieldError, TransactionPage, ValueError, parse_amount, parse_date};

/// The API major version this client speaks.
pub const API_MAJOR_VERSION: u64 = 1;

pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, TokenError>> + Send + 'a>>;

/// Where the client gets the bearer token of one link. The OAuth module implements it over the
/// keyring; the client calls [`TokenSource::refresh`] at most once per request, after a 401.
pub trait TokenSource: Send + Sync {
    /// The current access token (possibly refreshed proactively when it is about to expire).
    fn access_token(&self) -> TokenFuture<'_>;
    /// A new access token after the server refused `rejected`. A refresh grant the server
    /// refuses with `invalid_grant` must yield [`TokenError::ReauthRequired`].
    fn refresh<'a>(&'a self, rejected: &'a str) -> TokenFuture<'a>;
}
