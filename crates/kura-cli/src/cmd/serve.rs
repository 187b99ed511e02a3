//! `kura serve`: the web UI and the command layer over HTTP, on 127.0.0.1 only.
//!
//! Guarded the way a local web app must be: a random session token (in the URL's fragment, sent
//! back by the UI in a header) on every API call, and a Host-header check so a page on another
//! site cannot reach us through DNS rebinding. The UI is embedded in the binary.
//!
//! An export from the browser is downloaded by the browser: `POST /api/export/download` (token in
//! the header, as every API call) writes it to a private temporary file and answers with a URL
//! holding a one-time ticket, which the page then follows as a plain download link (a link cannot
//! send the token header, and the session token never goes into a URL).

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use kura_core::app::export::ExportRequest;
use kura_core::app::monthly_export::{self, MonthlyExportOutcome};
use kura_core::app::{self, AppContext, CommandError, CommandFailure, ErrorKind};
use kura_core::format::jst_date;
use kura_core::i18n::{Explain, Explanation, Language};
use kura_core::t;
use rust_embed::RustEmbed;
use serde_json::json;
use tokio::io::{AsyncRead, ReadBuf};
use tokio_util::io::ReaderStream;

use crate::error::CliError;
use crate::term::Term;

/// The built UI (`npm run build` in ui/). Missing at build time gives the page below instead.
#[derive(RustEmbed)]
#[folder = "../../ui/dist"]
#[allow_missing = true]
struct Ui;

/// The header the UI sends the session token in.
pub const TOKEN_HEADER: &str = "x-kura-token";

/// No remote content, no inline script, no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'none'";

const NOT_BUILT: &str = "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>Kura</title></head>\
<body><h1>画面がビルドされていません / The web UI is not built into this kura</h1>\
<p>Run <code>npm ci &amp;&amp; npm run build</code> in <code>ui/</code>, then rebuild kura \
(<code>cargo build -p kura-cli</code>).</p></body></html>";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    #[arg(long)]
    pub open: bool,
}

/// How long a download ticket is good for: the page follows it as soon as it has it.
const TICKET_LIFETIME: Duration = Duration::from_secs(60);

struct Served {
    ctx: AppContext,
    /// The language of the person who started `kura serve`, for the server's own answers.
    lang: Language,
    token: String,
    allowed_hosts: [String; 2],
    /// Finished exports the browser has not fetched yet, by one-time ticket.
    downloads: Mutex<HashMap<String, Download>>,
    /// Where those exports are written (private to this user); removed when Kura stops.
    download_dir: tempfile::TempDir,
}

struct Download {
    path: PathBuf,
    file_name: String,
    media_type: &'static str,
    expires: Instant,
}

pub async fn run(args: Args, ctx: AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    // The scheduler syncs every link while Kura is served, as the desktop app does.
    ctx.start_syncing()?;
    // The monthly export the user chose in Settings; Settings shows its outcome, and the terminal
    // hears of a written file or a new failure.
    tokio::spawn(monthly_export::follow_syncs(ctx.clone(), move |run| match &run.status.outcome {
        MonthlyExportOutcome::Written { path, rows } => {
            eprintln!("{}", t!(lang, "cli-serve-monthly-written", rows = *rows, path = path.as_str()))
        }
        MonthlyExportOutcome::Failed { error } => {
            eprintln!("{}", t!(lang, "cli-serve-monthly-failed", reason = error.message.as_str()))
        }
        _ => {}
    }));
    let port = args.port;
    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .and_then(|l| l.local_addr().map(|a| (l, a.port())));
    let (listener, port) = listener.map_err(|e| said(t!(lang, "cli-serve-listen-failed", port), e))?;
    let token = hex_token();
    let url = format!("http://127.0.0.1:{port}/#token={token}");
    let sync_ctx = ctx.clone();
    let download_dir = tempfile::Builder::new()
        .prefix("kura-downloads-")
        .tempdir()
        .map_err(|e| said(t!(lang, "cli-serve-no-temp-folder"), e))?;
    let served = Arc::new(Served {
        ctx,
        lang,
        token,
        allowed_hosts: [format!("127.0.0.1:{port}"), format!("localhost:{port}")],
        downloads: Mutex::new(HashMap::new()),
        download_dir,
    });
    let app = router(served.clone());

    println!("{}", t!(lang, "cli-serve-ready", url = url.as_str()));
    println!("{}", t!(lang, "cli-serve-hint"));
    if args.open
        && let Err(e) = served.ctx.open_in_browser(&url)
    {
        eprintln!("{}", t!(lang, "cli-serve-open-failed", reason = e.explain(lang).what));
    }
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| said(t!(lang, "cli-serve-stopped"), e));
    sync_ctx.stop_syncing();
    result
}

/// A failure of `kura serve` itself, with the OS's words as its detail.
fn said(what: String, e: impl std::fmt::Display) -> CliError {
    CliError::Said(Explanation::new(what).detail(e.to_string()))
}

fn router(served: Arc<Served>) -> Router {
    Router::new()
        .route("/api/{command}", post(api))
        .route("/api/export/download", post(export_for_download))
        .route("/api/export/download/{ticket}", get(download))
        .fallback(asset)
        .layer(middleware::from_fn_with_state(served.clone(), guard))
        .with_state(served)
}

fn hex_token() -> String {
    rand::random::<[u8; 32]>().iter().map(|b| format!("{b:02x}")).collect()
}

/// Refuses foreign Host headers (DNS rebinding) and adds the security headers to every answer.
async fn guard(State(served): State<Arc<Served>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let mut response = if served.allowed_hosts.iter().any(|h| h == host) {
        next.run(request).await
    } else {
        (StatusCode::FORBIDDEN, format!("{}\n", t!(served.lang, "serve-foreign-host"))).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Compares without leaking through timing how much of the token was right.
fn token_matches(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// Whether the request carries the session token header.
fn authorised(served: &Served, headers: &HeaderMap) -> bool {
    let given = headers.get(TOKEN_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    token_matches(given, served.token.as_bytes())
}

fn unauthorised(lang: Language) -> Response {
    (StatusCode::UNAUTHORIZED, format!("{}\n", t!(lang, "serve-no-token"))).into_response()
}

async fn api(
    State(served): State<Arc<Served>>,
    Path(command): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !authorised(&served, &headers) {
        return unauthorised(served.lang);
    }
    let args = if body.is_empty() {
        serde_json::Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                let failure = CommandError::BadRequest { command: command.clone(), detail: e.to_string() };
                return failure_response(&failure);
            }
        }
    };
    match app::dispatch(&served.ctx, &command, args).await {
        Ok(value) => no_store(axum::Json(value).into_response()),
        Err(e) => failure_response(&e),
    }
}

/// `POST /api/export/download`: the `export` command's request, written to a temporary file; the
/// answer is `{url, fileName, rows, accounts}`, the URL good for one download within a minute. A
/// failed export answers like the `export` command, before any download starts.
async fn export_for_download(
    State(served): State<Arc<Served>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !authorised(&served, &headers) {
        return unauthorised(served.lang);
    }
    let mut request: ExportRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            let failure = CommandError::BadRequest { command: "export".into(), detail: e.to_string() };
            return failure_response(&failure);
        }
    };
    let ticket = hex_token();
    let path = served.download_dir.path().join(&ticket);
    request.destination = Some(path.display().to_string());
    let format = request.format;
    let done = match app::export::export(&served.ctx, request).await {
        Ok(done) => done,
        Err(e) => return failure_response(&e),
    };
    let file_name = format!("kura-{}.{}", jst_date(Utc::now()), format.extension());
    let url = format!("/api/export/download/{ticket}");
    let now = Instant::now();
    let mut downloads = served.downloads.lock().expect("no panic while holding the downloads");
    // Exports the browser never fetched: forgotten once their ticket is no good.
    downloads.retain(|_, d| {
        let keep = d.expires > now;
        if !keep {
            let _ = std::fs::remove_file(&d.path);
        }
        keep
    });
    downloads.insert(
        ticket,
        Download { path, file_name: file_name.clone(), media_type: format.mime_type(), expires: now + TICKET_LIFETIME },
    );
    no_store(
        axum::Json(json!({ "url": url, "fileName": file_name, "rows": done.rows, "accounts": done.accounts }))
            .into_response(),
    )
}

/// `GET /api/export/download/{ticket}`: the export file as an attachment, streamed from disk, once.
async fn download(State(served): State<Arc<Served>>, Path(ticket): Path<String>) -> Response {
    let found = served.downloads.lock().expect("no panic while holding the downloads").remove(&ticket);
    let gone =
        || no_store((StatusCode::NOT_FOUND, format!("{}\n", t!(served.lang, "serve-download-gone"))).into_response());
    let Some(found) = found else { return gone() };
    let mut file = RemovedAfterUse { path: found.path.clone(), file: None };
    if found.expires <= Instant::now() {
        return gone();
    }
    let opened = match tokio::fs::File::open(&found.path).await {
        Ok(f) => f,
        Err(e) => {
            let failure = CommandFailure::invalid(format!("{} ({e})", t!(served.lang, "serve-download-unreadable")));
            return no_store((StatusCode::INTERNAL_SERVER_ERROR, axum::Json(failure)).into_response());
        }
    };
    let length = opened.metadata().await.map(|m| m.len()).ok();
    file.file = Some(opened);
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, found.media_type)
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", found.file_name));
    if let Some(length) = length {
        response = response.header(header::CONTENT_LENGTH, length);
    }
    no_store(response.body(Body::from_stream(ReaderStream::new(file))).expect("the headers are valid"))
}

/// A download's file, removed from disk once the response is done with it (sent, or abandoned by
/// the browser), or at once when it is never opened.
struct RemovedAfterUse {
    path: PathBuf,
    file: Option<tokio::fs::File>,
}

impl AsyncRead for RemovedAfterUse {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        match self.file.as_mut() {
            Some(file) => Pin::new(file).poll_read(cx, buf),
            None => Poll::Ready(Ok(())),
        }
    }
}

impl Drop for RemovedAfterUse {
    fn drop(&mut self) {
        // Closed first: some systems cannot remove an open file.
        self.file.take();
        let _ = std::fs::remove_file(&self.path);
    }
}

fn failure_response(e: &CommandError) -> Response {
    // No catch-all: a kind the core adds must be placed here, so a person's bad input never reads
    // as the server's fault.
    let status = match e.kind() {
        ErrorKind::UnknownCommand | ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::BadRequest | ErrorKind::Invalid => StatusCode::BAD_REQUEST,
        ErrorKind::InvalidPattern
        | ErrorKind::RuleTooBroad
        | ErrorKind::RuleDoesNothing
        | ErrorKind::CategoryName
        | ErrorKind::MemberName
        | ErrorKind::CategoryLevels
        | ErrorKind::RulesFile
        | ErrorKind::RulesFileUnknown => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::CategoryNameTaken | ErrorKind::MemberNameTaken => StatusCode::CONFLICT,
        ErrorKind::Network | ErrorKind::Remote => StatusCode::BAD_GATEWAY,
        ErrorKind::ReauthRequired
        | ErrorKind::AccessDenied
        | ErrorKind::TimedOut
        | ErrorKind::Browser
        | ErrorKind::Loopback
        | ErrorKind::Keyring
        | ErrorKind::ClientSecret
        | ErrorKind::Config
        | ErrorKind::Storage
        | ErrorKind::Export => StatusCode::INTERNAL_SERVER_ERROR,
    };
    no_store((status, axum::Json(e.to_failure())).into_response())
}

fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn asset(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    match Ui::get(path) {
        Some(file) => Response::builder()
            .header(header::CONTENT_TYPE, file.metadata.mimetype())
            .body(Body::from(file.data.into_owned()))
            .expect("static headers are valid"),
        None if path == "index.html" => {
            (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], NOT_BUILT)
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}
