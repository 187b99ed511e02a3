//! Binding and serving: the router of every endpoint and a handle to a running sandbox.

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{oauth, state::AppState, SandboxConfig};

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot listen on {addr}: {source} (is another sandbox already running? try another --port)")]
    Bind { addr: SocketAddr, source: std::io::Error },
}

/// Every route the sandbox serves.
pub fn router(state: AppState) -> Router {
    Router::new().merge(oauth::routes()).with_state(state)
}

/// A sandbox serving on loopback until dropped or [`Sandbox::shutdown`].
pub struct Sandbox {
    /// e.g. `http://127.0.0.1:43121`, without a trailing slash.
    pub base_url: String,
    pub addr: SocketAddr,
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

/// Starts a sandbox with `config` and returns once it accepts connections.
pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|source| SandboxError::Bind { addr: config.addr, source })?;
    let addr = listener.local_addr().map_err(|source| SandboxError::Bind { addr: config.addr, source })?;
    let state = AppState::new(config);
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(Sandbox { base_url: format!("http://{addr}"), addr, state, stop: Some(stop), task: Some(task) })
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
