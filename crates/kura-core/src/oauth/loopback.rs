//! The redirect listener of RFC 8252 §7.3: one attempt's socket on 127.0.0.1 and an ephemeral
//! port, which accepts exactly one `/callback` carrying the attempt's `state` and then closes.
//!
//! Anything else that reaches the port (a favicon request, a stray path, a browser's idle
//! preconnection) gets a 404 or nothing and does not end the attempt. A `/callback` whose state
//! does not match ends it with [`OAuthError::StateMismatch`]: the response was meant for another
//! attempt, or forged. One whose `iss` (RFC 9207) names another issuer than the one asked, or
//! lacks it where the server always sends it, ends it with [`OAuthError::IssuerMismatch`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use url::Url;

use super::client::IssuerCheck;
use super::error::OAuthError;

pub const CALLBACK_PATH: &str = "/callback";
/// Longest request head read from the browser.
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may take to send its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// What the browser brought back.
#[derive(Debug)]
enum Outcome {
    Code(String),
    Failed(OAuthError),
}

/// A bound redirect listener for one link attempt.
pub struct LoopbackListener {
    listener: TcpListener,
    redirect_uri: Url,
    issuer: IssuerCheck,
}

impl LoopbackListener {
    /// Binds 127.0.0.1 on a port the OS picks (never all interfaces).
    pub async fn bind() -> Result<Self, OAuthError> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(OAuthError::Listen)?;
        let port = listener.local_addr().map_err(OAuthError::Listen)?.port();
        let redirect_uri = Url::parse(&format!("http://127.0.0.1:{port}{CALLBACK_PATH}")).expect("a valid URL");
        Ok(LoopbackListener { listener, redirect_uri, issuer: IssuerCheck::default() })
    }

    /// Checks the `iss` of the response against `issuer` (RFC 9207).
    pub fn expect_issuer(mut self, issuer: IssuerCheck) -> Self {
        self.issuer = issuer;
        self
    }

    /// `http://127.0.0.1:{port}/callback`.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// Waits up to `timeout` for the callback carrying `state` and returns its code. The port is
    /// closed when this returns.
    pub async fn wait(self, state: &str, timeout: Duration) -> Result<String, OAuthError> {
        let (tx, mut rx) = mpsc::channel::<Outcome>(1);
        let done = Arc::new(AtomicBool::new(false));
        let state: Arc<str> = Arc::from(state);
        let issuer = Arc::new(self.issuer.clone());
        let mut connections = JoinSet::new();
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let outcome = loop {
            tokio::select! {
                _ = &mut deadline => break Outcome::Failed(OAuthError::TimedOut(timeout)),
                Some(outcome) = rx.recv() => break outcome,
                accepted = self.listener.accept() => {
                    // A failed accept (e.g. the peer gave up) does not end the attempt.
                    let Ok((stream, _)) = accepted else { continue };
                    let (tx, done, state, issuer) = (tx.clone(), done.clone(), state.clone(), issuer.clone());
                    connections.spawn(async move {
                        if let Some(outcome) = serve(stream, &state, &issuer, &done).await {
                            let _ = tx.send(outcome).await;
                        }
                    });
                }
            }
        };
        // Let the winning connection finish writing its page; the rest are cut off.
        done.store(true, Ordering::SeqCst);
        drop(self.listener);
        let _ =
            tokio::time::timeout(Duration::from_secs(2), async { while connections.join_next().await.is_some() {} })
                .await;
        connections.abort_all();
        match outcome {
            Outcome::Code(code) => Ok(code),
            Outcome::Failed(e) => Err(e),
        }
    }
}

/// Answers one connection; returns the attempt's outcome when it was the callback.
async fn serve(mut stream: TcpStream, state: &str, issuer: &IssuerCheck, done: &AtomicBool) -> Option<Outcome> {
    let head = match tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut stream)).await {
        Ok(Some(head)) => head,
        _ => return None,
    };
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    let (method, target) = match request.parse(&head) {
        Ok(httparse::Status::Complete(_)) => (request.method.unwrap_or(""), request.path.unwrap_or("")),
        _ => {
            respond(&mut stream, 400, Page::NotFound).await;
            return None;
        }
    };
    let Ok(url) = Url::parse("http://127.0.0.1").and_then(|base| base.join(target)) else {
        respond(&mut stream, 400, Page::NotFound).await;
        return None;
    };
    if method != "GET" || url.path() != CALLBACK_PATH {
        respond(&mut stream, 404, Page::NotFound).await;
        return None;
    }
    // Exactly one callback ends the attempt; later ones are told it is over.
    if done.swap(true, Ordering::SeqCst) {
        respond(&mut stream, 409, Page::Failed).await;
        return None;
    }
    let outcome = callback_outcome(&url, state, issuer);
    let (status, page) = match &outcome {
        Outcome::Code(_) => (200, Page::Success),
        Outcome::Failed(OAuthError::AccessDenied) => (200, Page::Denied),
        Outcome::Failed(_) => (400, Page::Failed),
    };
    respond(&mut stream, status, page).await;
    Some(outcome)
}

fn callback_outcome(url: &Url, expected_state: &str, issuer: &IssuerCheck) -> Outcome {
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    if param("state").as_deref() != Some(expected_state) {
        return Outcome::Failed(OAuthError::StateMismatch);
    }
    // RFC 9207 §2.4: before anything else in the response is believed, errors included.
    if let Some(expected) = &issuer.issuer {
        let received = param("iss");
        let refused = match &received {
            Some(iss) => iss != expected,
            None => issuer.required,
        };
        if refused {
            let received = received.map(|r| r.chars().take(200).collect());
            return Outcome::Failed(OAuthError::IssuerMismatch { expected: expected.clone(), received });
        }
    }
    if let Some(error) = param("error") {
        if error == "access_denied" {
            return Outcome::Failed(OAuthError::AccessDenied);
        }
        // The server's words, shortened: they reach the terminal.
        let description = param("error_description").map(|d| d.chars().take(200).collect());
        return Outcome::Failed(OAuthError::Authorization { error: error.chars().take(64).collect(), description });
    }
    match param("code") {
        Some(code) if !code.is_empty() => Outcome::Code(code),
        _ => Outcome::Failed(OAuthError::MalformedCallback),
    }
}

async fn read_head(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            return Some(head);
        }
        if head.len() > MAX_HEAD {
            return None;
        }
    }
}

#[derive(Clone, Copy)]
enum Page {
    Success,
    Denied,
    Failed,
    NotFound,
}

const PAGE_STYLE: &str = "body{font-family:system-ui,'Noto Sans JP',sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}p{line-height:1.6}";

fn page_html(page: Page) -> String {
    let (title, body) = match page {
        Page::Success => (
            "Kura に戻ってください / You can return to Kura",
            "<p>連携の許可を受け取りました。このタブを閉じて Kura に戻ってください。</p>\
             <p>Kura received your authorization. You can close this tab and return to Kura.</p>",
        ),
        Page::Denied => (
            "連携は拒否されました / Linking was denied",
            "<p>何も連携されていません。Kura に戻ってください。</p>\
             <p>Nothing was linked. You can close this tab and return to Kura.</p>",
        ),
        Page::Failed => (
            "連携できませんでした / Linking did not complete",
            "<p>詳しくは Kura の表示をご覧ください。このタブは閉じてかまいません。</p>\
             <p>Kura shows what happened. You can close this tab and return to Kura.</p>",
        ),
        Page::NotFound => ("Not found", "<p>Kura</p>"),
    };
    format!(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{PAGE_STYLE}</style></head><body><h1>{title}</h1>{body}</body></html>"
    )
}

async fn respond(stream: &mut TcpStream, status: u16, page: Page) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Conflict",
    };
    let body = page_html(page);
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may already be gone; the outcome stands either way.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(uri: &Url, path_and_query: &str) -> (u16, String) {
        let mut stream = TcpStream::connect((uri.host_str().unwrap(), uri.port().unwrap())).await.unwrap();
        let request = format!("GET {path_and_query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        let status = response[9..12].parse().unwrap();
        (status, response)
    }

    #[tokio::test]
    async fn binds_loopback_only_on_an_ephemeral_port() {
        let listener = LoopbackListener::bind().await.unwrap();
        let uri = listener.redirect_uri().clone();
        assert_eq!(uri.host_str(), Some("127.0.0.1"));
        assert_ne!(uri.port(), Some(0));
        assert_eq!(uri.path(), "/callback");
        assert_eq!(listener.listener.local_addr().unwrap().ip().to_string(), "127.0.0.1");
    }

    #[tokio::test]
    async fn strays_do_not_end_the_attempt_and_the_right_callback_does() {
        let listener = LoopbackListener::bind().await.unwrap();
        let uri = listener.redirect_uri().clone();
        let waiting = tokio::spawn(async move { listener.wait("s1", Duration::from_secs(60)).await });
        // An idle connection that never sends a request must not block the others.
        let _idle = TcpStream::connect((uri.host_str().unwrap(), uri.port().unwrap())).await.unwrap();
        assert_eq!(get(&uri, "/favicon.ico").await.0, 404);
        assert_eq!(get(&uri, "/other?code=x&state=s1").await.0, 404);
        let (status, page) = get(&uri, "/callback?code=abc&state=s1").await;
        assert_eq!(status, 200);
        assert!(page.contains("Kura に戻ってください / You can return to Kura"));
        assert_eq!(waiting.await.unwrap().unwrap(), "abc");
        // The port is closed afterwards.
        assert!(TcpStream::connect((uri.host_str().unwrap(), uri.port().unwrap())).await.is_err());
    }

    #[tokio::test]
    async fn a_wrong_state_ends_the_attempt() {
        let listener = LoopbackListener::bind().await.unwrap();
        let uri = listener.redirect_uri().clone();
        let waiting = tokio::spawn(async move { listener.wait("right", Duration::from_secs(60)).await });
        assert_eq!(get(&uri, "/callback?code=abc&state=forged").await.0, 400);
        assert!(matches!(waiting.await.unwrap(), Err(OAuthError::StateMismatch)));
    }

    #[tokio::test]
    async fn denial_and_server_errors_are_reported() {
        for (query, denied) in [("error=access_denied&state=s", true), ("error=invalid_scope&state=s", false)] {
            let listener = LoopbackListener::bind().await.unwrap();
            let uri = listener.redirect_uri().clone();
            let waiting = tokio::spawn(async move { listener.wait("s", Duration::from_secs(60)).await });
            get(&uri, &format!("/callback?{query}")).await;
            match waiting.await.unwrap() {
                Err(OAuthError::AccessDenied) => assert!(denied),
                Err(OAuthError::Authorization { error, .. }) => assert_eq!(error, "invalid_scope"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn the_issuer_of_the_response_is_checked_when_known() {
        let expected = "https://auth.example.jp/fed/2011";
        let check = |required| IssuerCheck { issuer: Some(expected.to_owned()), required };
        let iss = url::form_urlencoded::byte_serialize(expected.as_bytes()).collect::<String>();
        for (query, required, accepted) in [
            (format!("code=c&state=s&iss={iss}"), true, true),
            (format!("code=c&state=s&iss={iss}"), false, true),
            ("code=c&state=s".to_owned(), false, true),
            ("code=c&state=s".to_owned(), true, false),
            ("code=c&state=s&iss=https%3A%2F%2Fevil.example".to_owned(), false, false),
            ("error=access_denied&state=s&iss=https%3A%2F%2Fevil.example".to_owned(), true, false),
        ] {
            let listener = LoopbackListener::bind().await.unwrap().expect_issuer(check(required));
            let uri = listener.redirect_uri().clone();
            let waiting = tokio::spawn(async move { listener.wait("s", Duration::from_secs(60)).await });
            let (status, _) = get(&uri, &format!("/callback?{query}")).await;
            match waiting.await.unwrap() {
                Ok(code) => assert!(accepted && code == "c" && status == 200, "{query}"),
                Err(OAuthError::IssuerMismatch { expected: e, received }) => {
                    assert!(!accepted && status == 400, "{query}");
                    assert_eq!(e, expected);
                    assert_eq!(received.is_some(), query.contains("iss="));
                }
                other => panic!("{query}: {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn gives_up_after_the_timeout() {
        let listener = LoopbackListener::bind().await.unwrap();
        let err = listener.wait("s", Duration::from_millis(50)).await.unwrap_err();
        assert!(matches!(err, OAuthError::TimedOut(_)));
        assert!(err.to_string().starts_with("No answer from the browser within 1 seconds"), "{err}");
    }

    #[tokio::test]
    async fn two_attempts_at_once_keep_to_themselves() {
        let a = LoopbackListener::bind().await.unwrap();
        let b = LoopbackListener::bind().await.unwrap();
        let (ua, ub) = (a.redirect_uri().clone(), b.redirect_uri().clone());
        assert_ne!(ua.port(), ub.port());
        let wa = tokio::spawn(async move { a.wait("sa", Duration::from_secs(60)).await });
        let wb = tokio::spawn(async move { b.wait("sb", Duration::from_secs(60)).await });
        get(&ub, "/callback?code=cb&state=sb").await;
        get(&ua, "/callback?code=ca&state=sa").await;
        assert_eq!(wa.await.unwrap().unwrap(), "ca");
        assert_eq!(wb.await.unwrap().unwrap(), "cb");
    }
}
