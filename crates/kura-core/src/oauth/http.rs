//! The `oauth2` crate's HTTP boundary over Kura's own reqwest client (oauth2 5 pins an older
//! reqwest, so its built-in client is not used), with Kura's client authentication.

use std::future::Future;
use std::pin::Pin;

use http::header;
use oauth2::{HttpRequest, HttpResponse};
use url::form_urlencoded;

use super::client_auth::ClientAuth;

/// A transport failure, with its cause (reqwest's, which names the endpoint, never a body).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct TransportError(#[from] Box<dyn std::error::Error + Send + Sync>);

impl TransportError {
    fn from_cause(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        TransportError(Box::new(e))
    }
}

/// reqwest without redirects: following them would let a server bounce codes or tokens
/// elsewhere (the oauth2 crate's own advice).
#[derive(Debug, Clone)]
pub struct Http(pub reqwest::Client);

impl Http {
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("kura/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(std::time::Duration::from_secs(15))
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("the TLS backend initialises");
        Http(client)
    }

    /// Sends one request the `oauth2` crate built.
    pub async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let request = reqwest::Request::try_from(request).map_err(TransportError::from_cause)?;
        let response = self.0.execute(request).await.map_err(TransportError::from_cause)?;
        let mut builder = http::Response::builder().status(response.status());
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        let body = response.bytes().await.map_err(TransportError::from_cause)?;
        builder.body(body.to_vec()).map_err(TransportError::from_cause)
    }
}

/// The `oauth2` crate's requests, authenticated the one way Kura authenticates its client
/// everywhere ([`ClientAuth`]) rather than the crate's own way.
pub(crate) struct Authenticated<'a> {
    pub http: &'a Http,
    pub auth: &'a ClientAuth,
}

impl<'c> oauth2::AsyncHttpClient<'c> for Authenticated<'_> {
    type Error = TransportError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            let mut form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
            parts.headers.remove(header::AUTHORIZATION);
            parts.headers.remove(header::CONTENT_LENGTH);
            if let Some(authorization) = self.auth.apply(&mut form) {
                parts.headers.insert(header::AUTHORIZATION, authorization);
            }
            let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(&form).finish().into_bytes();
            self.http.execute(http::Request::from_parts(parts, body)).await
        })
    }
}
