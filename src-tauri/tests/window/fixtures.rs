//! What the tests know and prepare: tokens and accounts straight from the sandbox, a store
//! pre-filled with kura-core's store API, and the sandbox's login and consent pages completed
//! the way a browser would.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Months, NaiveDate, Utc};
use kura_core::model::{AccountIdentity, AsOf, NewLink, RemoteAccount};
use kura_core::secrets::{SecretStore, TokenSet};
use kura_core::store::Store;
use kura_core::testing;
use serde_json::json;

/// What the test knows about the sandbox's demo accounts at 北央信用組合 (2011).
pub struct SandboxAccount {
    pub remote: RemoteAccount,
    pub balance: i64,
}

/// Tokens for `demo` at 2011 straight from the sandbox's admin API (the browser login has its
/// own tests), and the accounts and balances the sandbox serves with them.
pub fn demo_grant(base: &str) -> (TokenSet, Vec<SandboxAccount>) {
    let http = reqwest::blocking::Client::new();
    let issued: serde_json::Value = http
        .post(format!("{base}/admin/tokens"))
        .json(&json!({ "username": "demo", "bankCode": "2011", "scope": "balance transactions" }))
        .send()
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .unwrap();
    let access = issued["access_token"].as_str().unwrap().to_owned();
    let tokens = TokenSet {
        access_token: access.clone(),
        refresh_token: issued["refresh_token"].as_str().map(str::to_owned),
        expires_at: Some(Utc::now() + chrono::TimeDelta::seconds(issued["expires_in"].as_i64().unwrap())),
        scope: Some("balance transactions".into()),
    };
    let get = |path: &str| -> serde_json::Value {
        http.get(format!("{base}{path}"))
            .bearer_auth(&access)
            .send()
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .unwrap()
    };
    let accounts = get("/v1/accounts")["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap().to_owned();
            let balance =
                get(&format!("/v1/accounts/{}/balance", s("accountId")))["balance"].as_str().unwrap().parse().unwrap();
            SandboxAccount {
                remote: RemoteAccount {
                    account_id: s("accountId"),
                    identity: AccountIdentity {
                        bank_code: s("bankCode"),
                        branch_code: s("branchCode"),
                        branch_name: s("branchName"),
                        account_type_code: s("accountTypeCode"),
                        account_type_name: s("accountTypeName"),
                        account_number: s("accountNumber"),
                        account_name_kana: s("accountNameKana"),
                    },
                    currency_code: s("currencyCode"),
                },
                balance,
            }
        })
        .collect();
    (tokens, accounts)
}

/// The balance the pre-filled store holds for the n-th account: unlike anything the sandbox
/// serves, so the dashboard can only show it if it came from the store.
pub fn stored_balance(n: usize) -> i64 {
    3_141_592 + n as i64 * 1_000_000
}

/// A link to the sandbox at 2011 whose consent ends at `consent_expires_at`, with its accounts,
/// each with a stored balance and one line of history, and the link's tokens in the OS
/// credential store.
pub fn prefill(
    data_dir: &Path,
    tokens: &TokenSet,
    accounts: &[SandboxAccount],
    consent_expires_at: DateTime<Utc>,
    rt: &tokio::runtime::Runtime,
) {
    let mut store = Store::open(Some(data_dir)).unwrap();
    let now = Utc::now() - chrono::TimeDelta::hours(2);
    let link = store
        .add_link(
            &NewLink {
                consent_expires_at: Some(consent_expires_at),
                ..testing::new_link("2011", kura_core::profile::SANDBOX_PROFILE)
            },
            now,
        )
        .unwrap();
    let today = now.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap()).date_naive();
    for (n, a) in accounts.iter().enumerate() {
        let account = store.upsert_account(link, &a.remote, now).unwrap();
        let balance = stored_balance(n);
        let item_key = format!("kura-test-{n}");
        let transactions = [testing::line(today, 250_000, Some(balance), "ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ", Some(&item_key))];
        let reading = testing::reading(balance, AsOf { date: today, at: now });
        testing::store_sync(&mut store, account, &transactions, Some(reading), Some(today), now);
    }
    let secrets = SecretStore::for_data_dir(data_dir).unwrap();
    rt.block_on(secrets.save_tokens(link.0, tokens)).expect(
        "cannot store the link's tokens: run this test inside an unlocked keyring session (scripts/with-keyring.sh)",
    );
}

/// Adds history to every account of the pre-filled store: lines on the first, the tenth and the
/// last day of the month starting `first`, and one on the day before it, as an earlier sync
/// would have stored them. Returns how many lines went in.
pub fn add_month_of_history(data_dir: &Path, first: NaiveDate) -> usize {
    let mut store = Store::open(Some(data_dir)).unwrap();
    let last = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap();
    let days = [
        (first.pred_opt().unwrap(), -777, "ﾏｴﾉﾂｷ ﾃｽｳﾘﾖｳ"),
        (first, 180_000, "ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ"),
        (first + chrono::Days::new(9), -12_345, "ｶｰﾄﾞ ｺﾝﾋﾞﾆ"),
        (last, -3_210, "デンキ　ダイ"),
    ];
    let mut added = 0;
    for link in store.links().unwrap() {
        for account in store.accounts_of_link(link.id).unwrap() {
            let lines: Vec<_> = days
                .iter()
                .enumerate()
                .map(|(i, (day, amount, remarks))| {
                    testing::line(*day, *amount, None, remarks, Some(&format!("kura-month-{}-{i}", account.id)))
                })
                .collect();
            added += testing::store_lines(&mut store, account.id, &lines, Utc::now()).inserted as usize;
        }
    }
    added
}

/// An amount as the UI writes it: `¥1,234,567`, `-¥53,720`.
pub fn yen(amount: i64) -> String {
    let digits = amount.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 { format!("-¥{out}") } else { format!("¥{out}") }
}

pub fn set_faults(base: &str, faults: serde_json::Value) {
    reqwest::blocking::Client::new()
        .put(format!("{base}/admin/faults"))
        .json(&faults)
        .send()
        .unwrap()
        .error_for_status()
        .unwrap();
}

/// Does in the sandbox what a person does in the browser Kura opened at `authorization_url`:
/// signs in as `demo`, allows every account, and follows the redirect to Kura's loopback
/// listener. Returns the callback's query parameters.
pub fn sign_in_and_allow(authorization_url: &str) -> HashMap<String, String> {
    // A browser: keeps the sandbox's cookie, shows redirects instead of following them.
    let browser = reqwest::blocking::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = url::Url::parse(authorization_url).unwrap();
    let origin = url.origin().ascii_serialization();
    let page = |r: reqwest::blocking::Response| {
        let status = r.status();
        let text = r.text().unwrap();
        assert!(status.is_success(), "the sandbox answered {status}:\n{text}");
        text
    };

    let login = page(browser.get(url.as_str()).send().unwrap());
    let request_id = input_value(&login, "request_id");
    let consent = page(
        browser
            .post(format!("{origin}/oauth/authorize/login"))
            .form(&[
                ("request_id", request_id.as_str()),
                ("username", "demo"),
                ("password", "demo"),
                ("action", "sign_in"),
            ])
            .send()
            .unwrap(),
    );
    let mut form = vec![("request_id", request_id.clone()), ("decision", "allow".to_owned())];
    form.extend(
        consent
            .split("name=\"account_id\" value=\"")
            .skip(1)
            .map(|rest| ("account_id", rest.split('"').next().unwrap().to_owned())),
    );
    assert!(form.len() > 2, "the consent page lists no accounts:\n{consent}");
    let allowed = browser.post(format!("{origin}/oauth/authorize/consent")).form(&form).send().unwrap();
    assert_eq!(allowed.status(), reqwest::StatusCode::FOUND, "consent did not redirect: {}", allowed.text().unwrap());
    let callback = allowed.headers()[reqwest::header::LOCATION].to_str().unwrap().to_owned();
    let callback = url::Url::parse(&callback).unwrap();
    assert_eq!(callback.host_str(), Some("127.0.0.1"), "the redirect leaves the machine: {callback}");
    // Kura's listener answers the browser with its "return to Kura" page.
    page(reqwest::blocking::Client::builder().no_proxy().build().unwrap().get(callback.as_str()).send().unwrap());
    callback.query_pairs().into_owned().collect()
}

/// The value of the input `name` in an HTML page.
fn input_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no input {name} in:\n{html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}
