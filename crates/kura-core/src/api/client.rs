//! HTTP: address checks, TLS roots, retries with backoff and jitter, `Retry-After`, the
//! version check, the size cap, one token refresh on 401, and paging with loop guards.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use rand::RngExt;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use serde_json::Value;
use tokio::sync::Semaphore;

use super::error::ApiError;
use super::types::{self, AccountList, FieldError, TransactionPage, ValueError};
use super::{API_MAJOR_VERSION, TokenSource};
use crate::days::ByDay;
use crate::model::{BalanceReading, Transaction};

/// How failed requests are retried: exponential backoff with full jitter.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per request, including the first.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest `Retry-After` the client waits out itself; longer waits are returned to the
    /// caller (the scheduler) as an error that carries the wait.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Full jitter: a uniform wait in [0, min(max, base·2^attempt)].
    fn backoff(&self, attempt: u32) -> Duration {
        let cap = self.base_delay.saturating_mul(1u32 << attempt.min(20)).min(self.max_delay);
        let millis = cap.as_millis() as u64;
        Duration::from_millis(if millis == 0 { 0 } else { rand::rng().random_range(0..=millis) })
    }
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base of the API, e.g. `https://api.example.jp` (the `/v1` is added by the client).
    pub base_url: String,
    /// Extra trusted CA certificates (PEM), e.g. the sandbox's `--tls` CA.
    pub extra_ca_pem: Vec<Vec<u8>>,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// Hostile servers cannot make Kura read more than this per response.
    pub max_response_bytes: u64,
    pub max_pages: u32,
    pub max_items: u64,
    /// Requests in flight at once to this host, across every link that shares the client.
    pub max_in_flight: usize,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            extra_ca_pem: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            max_response_bytes: 32 * 1024 * 1024,
            max_pages: 10_000,
            max_items: 5_000_000,
            max_in_flight: 4,
        }
    }
}

/// A client of one API host. Cheap to clone; clones share connections and the in-flight limit.
#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: Url,
    config: Arc<ClientConfig>,
    in_flight: Arc<Semaphore>,
}

/// Whether plain HTTP to `url` stays on this machine.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl ApiClient {
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        let raw = config.base_url.trim_end_matches('/');
        let invalid = |detail: &str| ApiError::InvalidUrl { url: config.base_url.clone(), detail: detail.to_owned() };
        let mut base = Url::parse(raw).map_err(|e| invalid(&e.to_string()))?;
        match base.scheme() {
            "https" => {}
            "http" if is_loopback(&base) => {}
            "http" => {
                return Err(ApiError::InsecureUrl { url: config.base_url.clone() });
            }
            _ => return Err(invalid("only https:// addresses are supported")),
        }
        if base.cannot_be_a_base() || base.query().is_some() || !base.username().is_empty() {
            return Err(invalid("expected an address such as https://api.example.jp"));
        }
        // Join relative paths onto the base's own path.
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("Kura/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // The API never redirects; following one could carry the bearer token elsewhere.
            .redirect(reqwest::redirect::Policy::none());
        // A system proxy must not see traffic meant for this machine (the sandbox).
        if is_loopback(&base) {
            builder = builder.no_proxy();
        }
        let mut certs = Vec::new();
        for pem in &config.extra_ca_pem {
            certs.extend(
                reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|e| ApiError::Tls { detail: format!("the trusted CA file is not valid PEM: {e}") })?,
            );
        }
        if !certs.is_empty() {
            builder = builder.tls_certs_merge(certs);
        }
        let http = builder.build().map_err(|e| ApiError::Tls { detail: e.to_string() })?;
        let in_flight = Arc::new(Semaphore::new(config.max_in_flight.max(1)));
        Ok(Self { http, base, config: Arc::new(config), in_flight })
    }

    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// The accounts the user consented to share.
    pub async fn accounts(&self, tokens: &dyn TokenSource) -> Result<AccountList, ApiError> {
        let url = self.url(&["v1", "accounts"], &[])?;
        let (body, raw) = self.get_json(tokens, &url).await?;
        types::account_list(&body).map_err(|e| malformed(&url, e, raw))
    }

    pub async fn balance(&self, tokens: &dyn TokenSource, account_id: &str) -> Result<BalanceReading, ApiError> {
        let url = self.url(&["v1", "accounts", account_id, "balance"], &[])?;
        let (body, raw) = self.get_json(tokens, &url).await?;
        types::balance(&body, account_id).map_err(|e| malformed(&url, e, raw))
    }

    /// One page of history; `next_item_key` from the previous page, `None` for the first.
    pub async fn transaction_page(
        &self,
        tokens: &dyn TokenSource,
        account_id: &str,
        date_from: NaiveDate,
        date_to: NaiveDate,
        next_item_key: Option<&str>,
    ) -> Result<TransactionPage, ApiError> {
        let from = date_from.format("%Y-%m-%d").to_string();
        let to = date_to.format("%Y-%m-%d").to_string();
        let mut query = vec![("dateFrom", from.as_str()), ("dateTo", to.as_str())];
        if let Some(key) = next_item_key {
            query.push(("nextItemKey", key));
        }
        let url = self.url(&["v1", "accounts", account_id, "transactions"], &query)?;
        let raw = self.get(tokens, &url).await?;
        let page = match types::transaction_page_fast(&raw, account_id) {
            Some(page) => page,
            // Something is wrong with it: the full parse names what.
            None => types::transaction_page(&parse_json(&url, &raw)?, account_id)
                .map_err(|e| malformed(&url, e, raw.clone()))?,
        };
        // Lines outside what was asked for mean the bank and Kura disagree about the window.
        if let Some((i, t)) = page
            .transactions
            .iter()
            .enumerate()
            .find(|(_, t)| t.transaction_date < date_from || t.transaction_date > page.as_of.date.max(date_to))
        {
            let problem = ValueError::OutsideWindow { date: t.transaction_date, from: date_from, to: date_to };
            return Err(malformed(
                &url,
                FieldError { field: format!("transactions[{i}].transactionDate"), problem },
                raw,
            ));
        }
        Ok(page)
    }

    /// Follows the history of `account_id` from `date_from` to `date_to` page by page.
    pub fn transactions<'a>(
        &'a self,
        tokens: &'a dyn TokenSource,
        account_id: &'a str,
        date_from: NaiveDate,
        date_to: NaiveDate,
    ) -> TransactionPager<'a> {
        TransactionPager {
            client: self,
            tokens,
            account_id,
            date_from,
            date_to,
            next_key: None,
            done: false,
            seen_keys: HashSet::new(),
            seen_item_keys: ByDay::new(true),
            previous: None,
            last_line: None,
            repeats: 0,
            pages: 0,
            items: 0,
            dropped: 0,
        }
    }

    /// Every line of history in the range, in the bank's order.
    pub async fn all_transactions(
        &self,
        tokens: &dyn TokenSource,
        account_id: &str,
        date_from: NaiveDate,
        date_to: NaiveDate,
    ) -> Result<Vec<Transaction>, ApiError> {
        let mut pager = self.transactions(tokens, account_id, date_from, date_to);
        let mut all = Vec::new();
        while let Some(page) = pager.next_page().await? {
            all.extend(page.transactions);
        }
        Ok(all)
    }

    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<Url, ApiError> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|_| ApiError::InvalidUrl { url: self.base.to_string(), detail: "cannot be a base".into() })?
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// GET with the bearer token, the body parsed as JSON.
    async fn get_json(&self, tokens: &dyn TokenSource, url: &Url) -> Result<(Value, String), ApiError> {
        let raw = self.get(tokens, url).await?;
        Ok((parse_json(url, &raw)?, raw))
    }

    /// GET with the bearer token: retries transient failures, refreshes the token once on 401.
    async fn get(&self, tokens: &dyn TokenSource, url: &Url) -> Result<String, ApiError> {
        let mut token = tokens.access_token().await?;
        let mut refreshed = false;
        let policy = &self.config.retry;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.get_once(&token, url).await;
            let retry_in = match &result {
                Ok(_) => return result,
                Err(ApiError::Unauthorized { .. }) if !refreshed => {
                    refreshed = true;
                    token = tokens.refresh(&token).await?;
                    // A refresh is not a failed attempt: the request itself has not been retried.
                    attempt -= 1;
                    continue;
                }
                Err(ApiError::Network { .. } | ApiError::Timeout { .. }) => policy.backoff(attempt),
                Err(e @ (ApiError::Http { .. } | ApiError::RateLimited { .. }))
                    if e.http_status().is_some_and(|s| s >= 500 || s == 429) =>
                {
                    match e.retry_after() {
                        Some(wait) if wait > policy.max_retry_after => return result,
                        Some(wait) => wait,
                        None => policy.backoff(attempt),
                    }
                }
                // Maintenance windows last long; the scheduler waits them out, not the request.
                Err(_) => return result,
            };
            if attempt >= policy.max_attempts {
                return result;
            }
            tracing::debug!(%url, attempt, ?retry_in, error = %result.as_ref().err().map(ToString::to_string).unwrap_or_default(), "retrying");
            tokio::time::sleep(retry_in).await;
        }
    }

    async fn get_once(&self, token: &str, url: &Url) -> Result<String, ApiError> {
        let shown = strip_query(url);
        let _permit = self.in_flight.acquire().await.expect("the semaphore is never closed");
        let response = self
            .http
            .get(url.clone())
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| transport_error(&shown, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let raw = self.read_capped(response, &shown).await?;
        // A proxy's bare 5xx carries no version; it is a transient failure, not a foreign server.
        if !status.is_server_error() || headers.contains_key(VERSION_HEADER) {
            check_version(&headers, &shown)?;
        }
        if status.is_success() {
            return Ok(raw);
        }
        Err(status_error(status, &headers, raw, shown))
    }

    async fn read_capped(&self, mut response: reqwest::Response, url: &str) -> Result<String, ApiError> {
        let limit = self.config.max_response_bytes;
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(ApiError::TooLarge { url: url.to_owned(), limit });
        }
        let mut buf = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(url, e))? {
            if buf.len() as u64 + chunk.len() as u64 > limit {
                return Err(ApiError::TooLarge { url: url.to_owned(), limit });
            }
            buf.extend_from_slice(&chunk);
        }
        String::from_utf8(buf).map_err(|e| ApiError::Malformed {
            url: url.to_owned(),
            field: "(body)".into(),
            detail: "not valid UTF-8".into(),
            body: String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })
    }
}

const VERSION_HEADER: &str = "x-api-version";

/// The URL without its query (the query holds paging keys, noise in messages).
fn strip_query(url: &Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.to_string()
}

fn transport_error(url: &str, e: reqwest::Error) -> ApiError {
    if e.is_timeout() {
        return ApiError::Timeout { url: url.to_owned() };
    }
    // The innermost cause says what actually happened (refused, reset, certificate...).
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    ApiError::Network { url: url.to_owned(), detail }
}

fn check_version(headers: &HeaderMap, url: &str) -> Result<(), ApiError> {
    let found = headers.get(VERSION_HEADER).map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned());
    let major = found.as_deref().and_then(|v| v.split('.').next()).and_then(|m| m.parse::<u64>().ok());
    if major == Some(API_MAJOR_VERSION) {
        Ok(())
    } else {
        Err(ApiError::IncompatibleVersion { url: url.to_owned(), found })
    }
}

/// `Retry-After` in seconds (the API's form) or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    Some((at.to_utc() - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO))
}

fn status_error(status: StatusCode, headers: &HeaderMap, body: String, url: String) -> ApiError {
    let parsed: Option<Value> = serde_json::from_str(&body).ok();
    let field = |name: &str| parsed.as_ref().and_then(|v| v.get(name)).and_then(Value::as_str).map(str::to_owned);
    let error_code = field("errorCode");
    let message = field("errorMessage");
    match (status.as_u16(), error_code.as_deref()) {
        (401, _) => ApiError::Unauthorized { url, error_code, body },
        (429, _) => ApiError::RateLimited { url, retry_after: retry_after(headers), body },
        (503, Some("UNDER_MAINTENANCE")) => {
            ApiError::Maintenance { url, retry_after: retry_after(headers), message, body }
        }
        (status, _) => ApiError::Http { url, status, error_code, message, retry_after: retry_after(headers), body },
    }
}

fn parse_json(url: &Url, raw: &str) -> Result<Value, ApiError> {
    serde_json::from_str(raw).map_err(|e| ApiError::Malformed {
        url: strip_query(url),
        field: "(body)".into(),
        detail: format!("not valid JSON: {e}"),
        body: raw.to_owned(),
    })
}

fn malformed(url: &Url, e: FieldError, body: String) -> ApiError {
    ApiError::Malformed { url: strip_query(url), detail: e.problem.to_string(), field: e.field, body }
}

/// A page that repeats the previous one exactly is asked for again at most this often.
const MAX_REPEATS: u32 = 3;

/// Pages of one account's history, with guards against servers that never stop and filtering
/// of lines a misbehaving server sends twice.
pub struct TransactionPager<'a> {
    client: &'a ApiClient,
    tokens: &'a dyn TokenSource,
    account_id: &'a str,
    date_from: NaiveDate,
    date_to: NaiveDate,
    next_key: Option<String>,
    done: bool,
    seen_keys: HashSet<String>,
    /// Item keys seen, per day: every day's, unless [`TransactionPager::one_day_at_a_time`].
    seen_item_keys: ByDay<HashSet<String>>,
    /// A digest of the previous page (its lines and next key), to tell a repeat without keeping it.
    previous: Option<u64>,
    last_line: Option<Transaction>,
    repeats: u32,
    pages: u32,
    items: u64,
    dropped: u64,
}

impl TransactionPager<'_> {
    /// Holds only the current day's item keys, for a bank that serves its lines grouped by day
    /// (as banks do), so memory does not grow with the history. A line of a day left earlier
    /// then passes unchecked: the store's unique key still keeps one of each.
    pub fn one_day_at_a_time(mut self) -> Self {
        self.seen_item_keys = ByDay::new(false);
        self
    }

    /// The next page, or `None` after the last one. Lines the server already sent in this
    /// fetch are left out (see [`TransactionPager::dropped`]).
    pub async fn next_page(&mut self) -> Result<Option<TransactionPage>, ApiError> {
        loop {
            if self.done {
                return Ok(None);
            }
            let config = &self.client.config;
            if self.pages >= config.max_pages {
                return Err(self.paging(format!("more than {} pages", config.max_pages)));
            }
            let mut page = self
                .client
                .transaction_page(self.tokens, self.account_id, self.date_from, self.date_to, self.next_key.as_deref())
                .await?;
            self.pages += 1;
            self.items += page.transactions.len() as u64;
            if self.items > config.max_items {
                return Err(self.paging(format!("more than {} transactions", config.max_items)));
            }
            // A stale cache or retrying gateway can serve the previous page again: ask again.
            let digest = {
                let mut h = std::hash::DefaultHasher::new();
                (&page.transactions, &page.next_item_key).hash(&mut h);
                h.finish()
            };
            let repeat = self.previous == Some(digest);
            if repeat {
                self.repeats += 1;
                self.dropped += page.transactions.len() as u64;
                if self.repeats > MAX_REPEATS {
                    return Err(self.paging(format!("the same page came back {} times", self.repeats + 1)));
                }
                tracing::warn!(account = self.account_id, "the bank repeated a page; asking again");
                continue;
            }
            self.repeats = 0;
            match &page.next_item_key {
                None => self.done = true,
                Some(key) if !self.seen_keys.insert(key.clone()) => {
                    return Err(self.paging(format!("nextItemKey {key:?} was sent before: the pages loop")));
                }
                Some(_) if page.transactions.is_empty() => {
                    return Err(self.paging("an empty page claims more pages follow".to_owned()));
                }
                Some(key) => self.next_key = Some(key.clone()),
            }
            self.previous = Some(digest);
            let lines = std::mem::take(&mut page.transactions);
            page.transactions = self.drop_resent(lines);
            return Ok(Some(page));
        }
    }

    /// Leaves out lines sent twice: a line whose `itemKey` came before (keys are unique), and
    /// a keyless line that repeats the previous page's last line with the same balance after
    /// it — two real lines cannot both leave the same balance unless their amount is zero.
    fn drop_resent(&mut self, lines: Vec<Transaction>) -> Vec<Transaction> {
        let before = lines.len();
        let boundary = self.last_line.take();
        let mut kept: Vec<Transaction> = Vec::with_capacity(lines.len());
        for (i, line) in lines.into_iter().enumerate() {
            let resent = match &line.item_key {
                Some(key) => match self.seen_item_keys.day(line.transaction_date) {
                    Ok(seen) => !seen.insert(key.clone()),
                    Err(_) => false,
                },
                None => {
                    i == 0
                        && line.balance.is_some()
                        && line.amount != 0
                        && boundary.as_ref().is_some_and(|b| b.item_key.is_none() && *b == line)
                }
            };
            if !resent {
                kept.push(line);
            }
        }
        self.last_line = kept.last().cloned().or(boundary);
        let dropped = (before - kept.len()) as u64;
        if dropped > 0 {
            tracing::warn!(account = self.account_id, dropped, "the bank sent lines twice; keeping one of each");
            self.dropped += dropped;
        }
        kept
    }

    fn paging(&self, detail: String) -> ApiError {
        ApiError::Paging { url: format!("{}v1/accounts/{}/transactions", self.client.base, self.account_id), detail }
    }

    pub fn pages_fetched(&self) -> u32 {
        self.pages
    }

    /// Lines left out because the server had sent them already.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.3.2.1",
            "http://[::1]:9",
            "http://localhost:1",
            "https://bank.example",
        ] {
            assert!(ApiClient::new(ClientConfig::new(ok)).is_ok(), "{ok} refused");
        }
        for bad in ["http://bank.example", "http://192.168.1.2", "http://[::2]", "http://localhost.evil.example"] {
            assert!(matches!(ApiClient::new(ClientConfig::new(bad)), Err(ApiError::InsecureUrl { .. })), "{bad}");
        }
        assert!(matches!(ApiClient::new(ClientConfig::new("ftp://x")), Err(ApiError::InvalidUrl { .. })));
    }

    #[test]
    fn backoff_stays_within_the_cap() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..Default::default()
        };
        for attempt in 0..40 {
            assert!(p.backoff(attempt) <= Duration::from_secs(1));
        }
    }

    #[test]
    fn version_major_must_be_one() {
        let mut h = HeaderMap::new();
        assert!(check_version(&h, "u").is_err());
        h.insert(VERSION_HEADER, "1.4.2".parse().unwrap());
        assert!(check_version(&h, "u").is_ok());
        h.insert(VERSION_HEADER, "2.0.0".parse().unwrap());
        assert!(
            matches!(check_version(&h, "u"), Err(ApiError::IncompatibleVersion { found: Some(v), .. }) if v == "2.0.0")
        );
    }

    #[test]
    fn urls_keep_the_base_path_and_escape_ids() {
        let c = ApiClient::new(ClientConfig::new("https://bank.example/api/")).unwrap();
        let u = c.url(&["v1", "accounts", "a b/c", "balance"], &[("dateFrom", "2026-01-01")]).unwrap();
        assert_eq!(u.as_str(), "https://bank.example/api/v1/accounts/a%20b%2Fc/balance?dateFrom=2026-01-01");
    }
}
