//! Binding and serving: the router of every endpoint and a handle to a running sandbox.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::error::ApiError;
use crate::tls::{self, TlsError};
use crate::{API_VERSION, API_VERSION_HEADER, SandboxConfig, admin, api, oauth, state::AppState};

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot listen on {addr}: {source} (is another sandbox already running? try another --port)")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(
        "refusing to serve plain HTTP on {addr}: tokens would cross the network unencrypted. \
         Listen on 127.0.0.1 or ::1, or add --tls to serve HTTPS"
    )]
    PlainHttpNotLoopback { addr: SocketAddr },
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error(
        "the issuer path {0:?} is not usable: give a path such as /fed/2011 (a leading slash, no query or fragment)"
    )]
    IssuerPath(String),
}

/// Every route the sandbox serves, each response stamped with the API version.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::routes(state.clone()))
        .merge(admin::routes(state.clone()))
        .merge(oauth::routes(&state.config.oauth))
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(axum::middleware::from_fn(stamp_version))
        .with_state(state)
}

async fn stamp_version(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(API_VERSION_HEADER, HeaderValue::from_static(API_VERSION));
    response
}

/// A sandbox serving until dropped or [`Sandbox::shutdown`].
pub struct Sandbox {
    /// e.g. `http://127.0.0.1:43121` or `https://localhost:43121`, without a trailing slash.
    pub base_url: String,
    pub addr: SocketAddr,
    pub state: AppState,
    /// PEM of the CA that signed the server certificate, when serving HTTPS.
    pub ca_pem: Option<String>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Starts a sandbox with `config` and returns once it accepts connections.
pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
    if let Some(path) = &config.oauth.issuer_path {
        let usable = path.starts_with('/')
            && path.trim_end_matches('/').len() > 1
            && path.chars().all(|c| c.is_ascii_alphanumeric() || "/-._~".contains(c))
            && !path.contains("//");
        if !usable {
            return Err(SandboxError::IssuerPath(path.clone()));
        }
    }
    let tls = config.tls_ca_out.is_some();
    if !tls && !config.addr.ip().to_canonical().is_loopback() {
        return Err(SandboxError::PlainHttpNotLoopback { addr: config.addr });
    }
    let requested = config.addr;
    let bind_error = |source| SandboxError::Bind { addr: requested, source };
    let listener = TcpListener::bind(config.addr).await.map_err(bind_error)?;
    let addr = listener.local_addr().map_err(bind_error)?;
    let ca_out = config.tls_ca_out.clone();
    let state = AppState::new(config);
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopped) = oneshot::channel::<()>();
    let Some(ca_out) = ca_out else {
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        let base_url = format!("http://{addr}");
        return Ok(Sandbox { base_url, addr, state, ca_pem: None, stop: Some(stop), task: Some(task) });
    };
    let generated = tls::generate()?;
    tls::write_ca(&generated, &ca_out)?;
    let rustls = tls::rustls_config(&generated).await?;
    let std_listener = listener.into_std().map_err(bind_error)?;
    let server = axum_server::from_tcp_rustls(std_listener, rustls).map_err(bind_error)?;
    let handle = axum_server::Handle::new();
    let shutdown = handle.clone();
    tokio::spawn(async move {
        let _ = stopped.await;
        shutdown.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
    });
    let task = tokio::spawn(async move {
        let _ = server.handle(handle).serve(app).await;
    });
    // On loopback the URL uses the name the certificate is issued for.
    let base_url =
        if addr.ip().is_loopback() { format!("https://localhost:{}", addr.port()) } else { format!("https://{addr}") };
    Ok(Sandbox { base_url, addr, state, ca_pem: Some(generated.ca_pem), stop: Some(stop), task: Some(task) })
}

impl Sandbox {
    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}
