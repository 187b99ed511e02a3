//! A sandbox, a browser (cookie jar, redirects not followed) and the steps of the code flow.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDate;
use kura_sandbox::{Sandbox, SandboxConfig};
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const DESKTOP: &str = kura_sandbox::oauth::KURA_DESKTOP;
pub const CONFIDENTIAL: &str = kura_sandbox::oauth::TEST_CONFIDENTIAL;
pub const CONFIDENTIAL_SECRET: &str = "kura-test-secret";
pub const CONFIDENTIAL_REDIRECT: &str = "https://client.example.test/callback";
/// Any free-looking port: the server must accept whichever port the app bound.
pub const LOOPBACK_REDIRECT: &str = "http://127.0.0.1:53682/callback";
/// 北央信用組合: `demo` holds 普通, 貯蓄, 定期 and 当座 accounts there.
pub const BANK: &str = "2011";

pub async fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig::default()).await
}

pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    let today = NaiveDate::from_ymd_opt(2026, 11, 24);
    kura_sandbox::start(SandboxConfig { today, ..config }).await.expect("sandbox starts on loopback")
}

/// A browser: keeps cookies, shows redirects instead of following them. Like every client
/// here it ignores proxy settings of the environment: the sandbox is on loopback.
pub fn browser() -> Client {
    Client::builder()
        .no_proxy()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// A plain API client.
pub fn client() -> Client {
    Client::builder().no_proxy().build().expect("HTTP client")
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce(seed: char) -> Pkce {
    let verifier: String = std::iter::repeat_n(seed, 64).collect();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce { verifier, challenge }
}

/// The query of an authorization request by the desktop client for union [`BANK`].
pub fn desktop_request(redirect_uri: &str, pkce: &Pkce) -> Vec<(String, String)> {
    [
        ("response_type", "code"),
        ("client_id", DESKTOP),
        ("redirect_uri", redirect_uri),
        ("scope", "balance transactions"),
        ("state", "st-123"),
        ("code_challenge", &pkce.challenge),
        ("code_challenge_method", "S256"),
        ("bank_code", BANK),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// `query` with `name` set to `value`, or removed when `value` is `None`.
pub fn with(mut query: Vec<(String, String)>, name: &str, value: Option<&str>) -> Vec<(String, String)> {
    query.retain(|(k, _)| k != name);
    if let Some(value) = value {
        query.push((name.to_owned(), value.to_owned()));
    }
    query
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub html: String,
}

impl Page {
    async fn from(response: reqwest::Response) -> Page {
        let (status, headers) = (response.status(), response.headers().clone());
        Page { status, headers, html: response.text().await.expect("page body") }
    }

    /// The value of the hidden or text input `name`.
    pub fn input(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start =
            self.html.find(&marker).unwrap_or_else(|| panic!("no input {name} in:\n{}", self.html)) + marker.len();
        self.html[start..].split('"').next().unwrap_or_default().to_owned()
    }

    /// The `account_id` checkboxes as (value, checked).
    pub fn accounts(&self) -> Vec<(String, bool)> {
        self.html
            .split("name=\"account_id\" value=\"")
            .skip(1)
            .map(|rest| {
                let (value, tail) = rest.split_once('"').expect("closing quote");
                (value.to_owned(), tail.split('>').next().unwrap_or_default().contains("checked"))
            })
            .collect()
    }

    /// The Location of a redirect, with its query parameters.
    pub fn location(&self) -> (String, HashMap<String, String>) {
        assert_eq!(self.status, StatusCode::FOUND, "expected a redirect, got:\n{}", self.html);
        redirect_target(&self.headers)
    }
}

pub fn redirect_target(headers: &HeaderMap) -> (String, HashMap<String, String>) {
    let location = headers.get(LOCATION).expect("Location header").to_str().expect("ASCII Location");
    let url = url::Url::parse(location).expect("absolute Location");
    let params = url.query_pairs().into_owned().collect();
    let mut bare = url.clone();
    bare.set_query(None);
    (bare.to_string(), params)
}

pub async fn open(browser: &Client, sandbox: &Sandbox, query: &[(String, String)]) -> Page {
    let url = format!("{}/oauth/authorize", sandbox.base_url);
    Page::from(browser.get(url).query(query).send().await.expect("GET /oauth/authorize")).await
}

pub async fn post_form(browser: &Client, sandbox: &Sandbox, path: &str, form: &[(&str, &str)]) -> Page {
    let url = format!("{}{path}", sandbox.base_url);
    Page::from(browser.post(url).form(form).send().await.expect("form POST")).await
}

pub async fn sign_in(browser: &Client, sandbox: &Sandbox, request_id: &str, username: &str, password: &str) -> Page {
    let form = [("request_id", request_id), ("username", username), ("password", password), ("action", "sign_in")];
    post_form(browser, sandbox, "/oauth/authorize/login", &form).await
}

pub async fn decide(
    browser: &Client,
    sandbox: &Sandbox,
    request_id: &str,
    accounts: &[String],
    decision: &str,
) -> Page {
    let mut form = vec![("request_id", request_id), ("decision", decision)];
    form.extend(accounts.iter().map(|a| ("account_id", a.as_str())));
    post_form(browser, sandbox, "/oauth/authorize/consent", &form).await
}

/// Signs in as `demo` and allows every account; returns the callback's parameters.
pub async fn authorize(browser: &Client, sandbox: &Sandbox, query: &[(String, String)]) -> HashMap<String, String> {
    let login = open(browser, sandbox, query).await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.html);
    let request_id = login.input("request_id");
    let consent = sign_in(browser, sandbox, &request_id, "demo", "demo").await;
    assert_eq!(consent.status, StatusCode::OK, "{}", consent.html);
    let accounts: Vec<String> = consent.accounts().into_iter().map(|(id, _)| id).collect();
    assert!(!accounts.is_empty(), "demo holds accounts at {BANK}");
    decide(browser, sandbox, &request_id, &accounts, "allow").await.location().1
}

/// The code of a completed desktop authorization on [`LOOPBACK_REDIRECT`].
pub async fn desktop_code(sandbox: &Sandbox, pkce: &Pkce) -> String {
    let callback = authorize(&browser(), sandbox, &desktop_request(LOOPBACK_REDIRECT, pkce)).await;
    callback["code"].clone()
}

pub struct TokenReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
}

impl TokenReply {
    pub fn error(&self) -> &str {
        self.json["error"].as_str().unwrap_or_else(|| panic!("no error in {}", self.json))
    }

    pub fn field(&self, name: &str) -> String {
        self.json[name].as_str().unwrap_or_else(|| panic!("no {name} in {}", self.json)).to_owned()
    }
}

/// POSTs `form` to `path` as a public client (or with Basic credentials when `basic` is set).
pub async fn post_client(
    sandbox: &Sandbox,
    path: &str,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> TokenReply {
    let mut request = client().post(format!("{}{path}", sandbox.base_url)).form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.expect("POST to the authorization server");
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.expect("body");
    let json = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("JSON body") };
    TokenReply { status, headers, json }
}

pub async fn exchange_code(sandbox: &Sandbox, code: &str, redirect_uri: &str, verifier: &str) -> TokenReply {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("client_id", DESKTOP),
        ("code_verifier", verifier),
    ];
    post_client(sandbox, "/oauth/token", &form, None).await
}

pub async fn refresh(sandbox: &Sandbox, refresh_token: &str) -> TokenReply {
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", DESKTOP)];
    post_client(sandbox, "/oauth/token", &form, None).await
}

pub async fn revoke(sandbox: &Sandbox, token: &str, hint: Option<&str>) -> TokenReply {
    let mut form = vec![("token", token), ("client_id", DESKTOP)];
    if let Some(hint) = hint {
        form.push(("token_type_hint", hint));
    }
    post_client(sandbox, "/oauth/revoke", &form, None).await
}

/// A full desktop link: code flow plus token exchange; returns the token response.
pub async fn link(sandbox: &Sandbox) -> TokenReply {
    let pkce = pkce('a');
    let code = desktop_code(sandbox, &pkce).await;
    let tokens = exchange_code(sandbox, &code, LOOPBACK_REDIRECT, &pkce.verifier).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.json);
    tokens
}

/// What the resource API would decide for `access_token` now.
pub fn authenticate(
    sandbox: &Sandbox,
    access_token: &str,
) -> Result<kura_sandbox::oauth::Grant, kura_sandbox::oauth::TokenRejection> {
    sandbox.state.oauth.authenticate(access_token, sandbox.state.clock.now())
}

/// GET /v1/accounts with `access_token`: the resource API's verdict over HTTP.
pub async fn accounts_status(sandbox: &Sandbox, access_token: &str) -> (StatusCode, Value) {
    let response = client()
        .get(format!("{}/v1/accounts", sandbox.base_url))
        .bearer_auth(access_token)
        .send()
        .await
        .expect("GET /v1/accounts");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}
