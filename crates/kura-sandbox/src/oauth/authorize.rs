//! The authorization endpoint as the browser sees it: request validation, the login page, the
//! consent page and the redirect back to the client with a code or an error.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use url::Url;

use super::endpoints::issuer;
use super::errors::no_store;
use super::pages::{AccountRow, ConsentPage, LoginPage, Notice, error_page, html};
use super::params::Params;
use super::pending::{AuthorizationRequest, MAX_FAILED_SIGN_INS, Pending, PendingError, SignedIn, cookie_name};
use super::pkce;
use super::scopes::Scope;
use super::sessions;
use super::tokens::{CodeBinding, Consent};
use crate::bank::unions::{self, Union};
use crate::clock::jst;
use crate::state::AppState;

const UNKNOWN_CLIENT: Notice = Notice {
    ja: "アプリ（client_id）が登録されていないため、連携を開始できません。",
    en: "The app (client_id) is not registered, so linking cannot start.",
};
const BAD_REDIRECT: Notice = Notice {
    ja: "戻り先のアドレス（redirect_uri）がないか、このアプリに登録されたものではありません。安全のため、このページで中止します。",
    en: "The return address (redirect_uri) is missing or not registered for this app. For your safety the request stops here.",
};
const GONE: Notice = Notice {
    ja: "この連携の手続きは完了したか、有効期限（10分）が切れています。",
    en: "This linking request is finished or has expired (after 10 minutes).",
};
const OTHER_BROWSER: Notice = Notice {
    ja: "この手続きは別のブラウザで開始されたものです。手続きを開始したブラウザで操作してください。",
    en: "This request was started in another browser. Continue in the browser that started it.",
};
const SIGN_IN_FIRST: Notice = Notice { ja: "先にログインしてください。", en: "Please sign in first." };
const CHOOSE_UNION: Notice =
    Notice { ja: "ご利用の信用組合を選択してください。", en: "Choose your credit union." };
const WRONG_LOGIN: Notice = Notice {
    ja: "ユーザーIDまたはパスワードが正しくありません。",
    en: "The user ID or password is incorrect.",
};
const CHOOSE_ACCOUNT: Notice = Notice {
    ja: "共有する口座を1つ以上選択してください。",
    en: "Choose at least one account to share.",
};
const NOT_YOUR_ACCOUNT: Notice = Notice {
    ja: "選択された口座はこの信用組合のお客さまの口座ではありません。もう一度選択してください。",
    en: "A chosen account is not one of yours at this credit union. Choose again.",
};
const CHOOSE_DECISION: Notice = Notice {
    ja: "「許可する」または「拒否する」を押してください。",
    en: "Press Allow or Deny.",
};

/// `GET /oauth/authorize`. Until the client and its redirect URI are verified, errors are shown
/// to the user; afterwards they go back to the client (RFC 6749 §4.1.2.1).
pub async fn start(State(state): State<AppState>, uri: Uri, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    let iss = response_issuer(&state, &uri, &headers);
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    if params.repeated(&["client_id", "redirect_uri"]).is_some() {
        return error_page(StatusCode::BAD_REQUEST, BAD_REDIRECT);
    }
    let Some(client) = params.get("client_id").and_then(|id| state.oauth.clients.find(id)) else {
        return error_page(StatusCode::BAD_REQUEST, UNKNOWN_CLIENT);
    };
    let Some(redirect_uri) = params.get("redirect_uri").filter(|uri| client.accepts_redirect(uri)) else {
        return error_page(StatusCode::BAD_REQUEST, BAD_REDIRECT);
    };
    let request_state = params.get("state");
    let fail = |error: &str, description: &str| {
        let pairs = [("error", error), ("error_description", description)];
        redirect(redirect_uri, &pairs, request_state, iss.as_deref(), None)
    };
    let names = ["response_type", "scope", "state", "code_challenge", "code_challenge_method", "bank_code"];
    if let Some(name) = params.repeated(&names) {
        return fail("invalid_request", &format!("parameter {name} is repeated"));
    }
    match params.get("response_type") {
        Some("code") => {}
        Some(_) => return fail("unsupported_response_type", "only response_type=code is supported"),
        None => return fail("invalid_request", "response_type is required"),
    }
    // No default scope: the client must say what it asks the user for (RFC 6749 §3.3).
    let scopes = match params.get("scope").map(Scope::parse_list) {
        Some(Ok(scopes)) => scopes,
        Some(Err(unknown)) => return fail("invalid_scope", &unknown.to_string()),
        None => return fail("invalid_scope", "scope is required: balance, transactions or both"),
    };
    let code_challenge = match (params.get("code_challenge"), params.get("code_challenge_method")) {
        (Some(challenge), Some("S256")) if pkce::is_s256_challenge(challenge) => Some(challenge.to_owned()),
        (Some(_), Some("S256")) => return fail("invalid_request", "code_challenge is not a base64url SHA-256 value"),
        // An absent method means `plain` (RFC 7636 §4.3), which is refused.
        (Some(_), _) => return fail("invalid_request", "code_challenge_method must be S256"),
        (None, Some(_)) => return fail("invalid_request", "code_challenge_method without code_challenge"),
        (None, None) if client.is_public() => {
            return fail("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256");
        }
        (None, None) => None,
    };
    let bank = match params.get("bank_code") {
        Some(code) => match unions::find(code) {
            Some(union) => Some(union),
            None => return fail("invalid_request", "bank_code is not one of the federation's member unions"),
        },
        None => None,
    };
    let request = AuthorizationRequest {
        client_id: client.id,
        client_name: client.name,
        redirect_uri: redirect_uri.to_owned(),
        scopes,
        state: request_state.map(str::to_owned),
        code_challenge,
        bank_code: bank.map(|b| b.bank_code.clone()),
    };
    let now = now(&state);
    let session = signed_in_session(&state, &headers, request.bank_code.as_deref(), now);
    let started = state.oauth.pending().start(request, now);
    let mut response = match session {
        // Already signed in at this union: straight to the consent page.
        Some((secret, signed_in)) => {
            let mut store = state.oauth.pending();
            let Ok(pending) = store.get_mut(&started.id, Some(&started.browser_secret), now) else {
                return error_page(StatusCode::BAD_REQUEST, GONE);
            };
            pending.signed_in = Some(signed_in.clone());
            pending.session = Some(secret);
            let Some(union) = unions::find(&signed_in.bank_code) else {
                return error_page(StatusCode::BAD_REQUEST, GONE);
            };
            consent_page(&state, &started.id, pending, &signed_in, union, |_| true, None)
        }
        None => {
            let page = LoginPage {
                request_id: &started.id,
                client_name: client.name,
                bank,
                unions: unions::all(),
                selected_bank: "",
                username: "",
                error: None,
            };
            html(StatusCode::OK, &page)
        }
    };
    let cookie = format!(
        "{}={}; Path=/oauth/authorize; Max-Age=600; HttpOnly; SameSite=Lax{}",
        cookie_name(&started.id),
        started.browser_secret,
        if state.config.tls_ca_out.is_some() { "; Secure" } else { "" }
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /oauth/authorize/login`: the login form (or its Cancel button).
pub async fn sign_in(State(state): State<AppState>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let iss = response_issuer(&state, &uri, &headers);
    let form = Params::parse(&body);
    let Some(id) = form.get("request_id") else { return error_page(StatusCode::BAD_REQUEST, GONE) };
    let mut store = state.oauth.pending();
    let pending = match store.get_mut(id, browser_secret(&headers, id).as_deref(), now(&state)) {
        Ok(pending) => pending,
        Err(error) => return pending_error(error),
    };
    if form.get("action") == Some("cancel") {
        let request = pending.request.clone();
        store.finish(id);
        return deny(id, &request, "the user cancelled the sign-in", iss.as_deref());
    }
    let bank_code = pending.request.bank_code.clone().or_else(|| form.get("bank_code").map(str::to_owned));
    let union = bank_code.as_deref().and_then(unions::find);
    let username = form.get("username").unwrap_or_default();
    let login_page = |pending: &Pending, error| {
        let page = LoginPage {
            request_id: id,
            client_name: pending.request.client_name,
            bank: pending.request.bank_code.as_deref().and_then(unions::find),
            unions: unions::all(),
            selected_bank: bank_code.as_deref().unwrap_or_default(),
            username,
            error: Some(error),
        };
        html(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let Some(union) = union else { return login_page(pending, CHOOSE_UNION) };
    if !state.bank.check_login(username, form.get("password").unwrap_or_default()) {
        pending.failed_sign_ins += 1;
        if pending.failed_sign_ins >= MAX_FAILED_SIGN_INS {
            let request = pending.request.clone();
            store.finish(id);
            return deny(id, &request, "too many failed sign-in attempts", iss.as_deref());
        }
        return login_page(pending, WRONG_LOGIN);
    }
    let signed_in = SignedIn { username: username.to_owned(), bank_code: union.bank_code.clone() };
    pending.signed_in = Some(signed_in.clone());
    if !state.oauth.modes.session_grants {
        return consent_page(&state, id, pending, &signed_in, union, |_| true, None);
    }
    // The browser stays signed in at the union.
    let secret = state.oauth.sessions().start(username, &union.bank_code, now(&state));
    pending.session = Some(secret.clone());
    let mut response = consent_page(&state, id, pending, &signed_in, union, |_| true, None);
    let cookie = format!(
        "{}={secret}; Path=/oauth; HttpOnly; SameSite=Lax{}",
        sessions::COOKIE,
        if state.config.tls_ca_out.is_some() { "; Secure" } else { "" }
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The browser's login session, in the `sessionGrants` mode, when it is signed in at the union
/// the request names (or the request names none): its cookie value and who is signed in.
fn signed_in_session(
    state: &AppState,
    headers: &HeaderMap,
    bank_code: Option<&str>,
    now: DateTime<Utc>,
) -> Option<(String, SignedIn)> {
    if !state.oauth.modes.session_grants {
        return None;
    }
    let secret = cookie(headers, sessions::COOKIE)?;
    let mut sessions = state.oauth.sessions();
    let session = sessions.get_mut(&secret, now)?;
    if bank_code.is_some_and(|b| b != session.bank_code) {
        return None;
    }
    let signed_in = SignedIn { username: session.username.clone(), bank_code: session.bank_code.clone() };
    Some((secret, signed_in))
}

/// The `iss` of authorization responses (RFC 9207), when the server sends it.
fn response_issuer(state: &AppState, uri: &Uri, headers: &HeaderMap) -> Option<String> {
    state.oauth.modes.iss_parameter.then(|| issuer(state, uri, headers))
}

/// `POST /oauth/authorize/consent`: Allow (with the chosen accounts) or Deny.
pub async fn decide(State(state): State<AppState>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let iss = response_issuer(&state, &uri, &headers);
    let form = Params::parse(&body);
    let Some(id) = form.get("request_id") else { return error_page(StatusCode::BAD_REQUEST, GONE) };
    let now = now(&state);
    let mut store = state.oauth.pending();
    let pending = match store.get_mut(id, browser_secret(&headers, id).as_deref(), now) {
        Ok(pending) => pending,
        Err(error) => return pending_error(error),
    };
    let Some(signed_in) = pending.signed_in.clone() else {
        return error_page(StatusCode::BAD_REQUEST, SIGN_IN_FIRST);
    };
    let Some(union) = unions::find(&signed_in.bank_code) else {
        return error_page(StatusCode::BAD_REQUEST, GONE);
    };
    let chosen: Vec<&str> = form.all("account_id").collect();
    let again = |pending: &Pending, notice| {
        consent_page(&state, id, pending, &signed_in, union, |a| chosen.contains(&a), Some(notice))
    };
    match form.get("decision") {
        Some("deny") => {
            let request = pending.request.clone();
            store.finish(id);
            return deny(id, &request, "the user denied access", iss.as_deref());
        }
        Some("allow") => {}
        _ => return again(pending, CHOOSE_DECISION),
    }
    let accounts = state.bank.accounts_of(&signed_in.username, &signed_in.bank_code);
    if chosen.is_empty() {
        return again(pending, CHOOSE_ACCOUNT);
    }
    if chosen.iter().any(|c| !accounts.iter().any(|a| a.account_id == *c)) {
        return again(pending, NOT_YOUR_ACCOUNT);
    }
    let request = pending.request.clone();
    let session = pending.session.clone();
    store.finish(id);
    drop(store);
    let consent = Consent {
        username: signed_in.username,
        bank_code: signed_in.bank_code,
        // In the bank's order, each once, whatever order the browser sent.
        account_ids: accounts
            .into_iter()
            .map(|a| a.account_id)
            .filter(|account| chosen.contains(&account.as_str()))
            .collect(),
        scopes: request.scopes.clone(),
        expires_at: now + state.oauth.consent_ttl,
    };
    let binding = CodeBinding {
        client_id: request.client_id,
        redirect_uri: request.redirect_uri.clone(),
        code_challenge: request.code_challenge.clone(),
    };
    let under = session.and_then(|secret| session_grant(&state, &secret, request.client_id, &consent, now));
    let code = state.oauth.tokens().issue_code(binding, consent, under, now);
    redirect(&request.redirect_uri, &[("code", &code)], request.state.as_deref(), iss.as_deref(), Some(id))
}

/// The grant a signed-in session holds for `client`, opened now if it holds none (or its grant
/// was revoked): every authorization of the session is issued under it.
fn session_grant(
    state: &AppState,
    secret: &str,
    client: &'static str,
    consent: &Consent,
    now: DateTime<Utc>,
) -> Option<super::tokens::GrantId> {
    let mut sessions = state.oauth.sessions();
    let session = sessions.get_mut(secret, now)?;
    let mut tokens = state.oauth.tokens();
    let grant = match session.grants.get(client) {
        Some(grant) if tokens.has_grant(*grant) => *grant,
        _ => tokens.open_grant(client, consent.clone(), now),
    };
    session.grants.insert(client, grant);
    Some(grant)
}

fn consent_page(
    state: &AppState,
    id: &str,
    pending: &Pending,
    signed_in: &SignedIn,
    union: &Union,
    checked: impl Fn(&str) -> bool,
    error: Option<Notice>,
) -> Response {
    let accounts = state.bank.accounts_of(&signed_in.username, &signed_in.bank_code);
    let until = (now(state) + state.oauth.consent_ttl).with_timezone(&jst());
    let page = ConsentPage {
        request_id: id,
        client_name: pending.request.client_name,
        bank_code: &union.bank_code,
        bank_name: &union.name,
        username: &signed_in.username,
        accounts: accounts.iter().map(|a| AccountRow::new(a, checked(&a.account_id))).collect(),
        scopes: &pending.request.scopes,
        valid_until_ja: until.format("%Y年%-m月%-d日").to_string(),
        valid_until_en: until.format("%Y-%m-%d").to_string(),
        valid_days: state.oauth.consent_ttl.num_days(),
        error,
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    html(status, &page)
}

fn deny(id: &str, request: &AuthorizationRequest, description: &str, iss: Option<&str>) -> Response {
    let pairs = [("error", "access_denied"), ("error_description", description)];
    redirect(&request.redirect_uri, &pairs, request.state.as_deref(), iss, Some(id))
}

/// 302 to a verified redirect URI with `pairs`, `state` and `iss` (RFC 9207) added to its query;
/// forgets the browser binding of request `finished`.
fn redirect(
    redirect_uri: &str,
    pairs: &[(&str, &str)],
    state: Option<&str>,
    iss: Option<&str>,
    finished: Option<&str>,
) -> Response {
    let Ok(mut url) = Url::parse(redirect_uri) else {
        // Unreachable for a verified URI; still never redirect to something unparsed.
        return error_page(StatusCode::BAD_REQUEST, BAD_REDIRECT);
    };
    {
        let mut query = url.query_pairs_mut();
        query.extend_pairs(pairs);
        if let Some(state) = state {
            query.append_pair("state", state);
        }
        if let Some(iss) = iss {
            query.append_pair("iss", iss);
        }
    }
    let Ok(location) = HeaderValue::from_str(url.as_str()) else {
        return error_page(StatusCode::BAD_REQUEST, BAD_REDIRECT);
    };
    let mut response = (StatusCode::FOUND, no_store()).into_response();
    response.headers_mut().insert(header::LOCATION, location);
    if let Some(id) = finished {
        let expired = format!("{}=; Path=/oauth/authorize; Max-Age=0; HttpOnly; SameSite=Lax", cookie_name(id));
        if let Ok(value) = HeaderValue::from_str(&expired) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn pending_error(error: PendingError) -> Response {
    match error {
        PendingError::Gone => error_page(StatusCode::BAD_REQUEST, GONE),
        PendingError::OtherBrowser => error_page(StatusCode::FORBIDDEN, OTHER_BROWSER),
    }
}

/// The value of the cookie that binds request `id` to this browser.
fn browser_secret(headers: &HeaderMap, id: &str) -> Option<String> {
    cookie(headers, &cookie_name(id))
}

/// The value of cookie `name`.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

fn now(state: &AppState) -> DateTime<Utc> {
    state.clock.now().with_timezone(&Utc)
}
