//! Seeding a store through its public write API, shared by the tests and benchmarks of every
//! crate (cargo feature `test-support`, enabled only by test code: dev-dependencies and the
//! test-only kura-e2e crate). Helpers panic on failure: a seed that cannot be written is a broken
//! test, not an error to handle.

use chrono::{DateTime, NaiveDate, Utc};

use crate::api::{TokenError, TokenFuture, TokenSource};
use crate::model::{AccountId, AccountIdentity, AsOf, BalanceReading, LinkId, NewLink, RemoteAccount, Transaction};
use crate::store::{AccountSyncBatch, Store, SyncCounts};

/// The union every seed links to unless a test needs another.
pub const BANK_CODE: &str = "2011";

/// A consent at `bank_code` through `profile`, for balances and history, without an expiry.
pub fn new_link(bank_code: &str, profile: &str) -> NewLink {
    NewLink {
        bank_code: bank_code.into(),
        // The first member, which every store starts with.
        member: crate::model::MemberId(1),
        profile: profile.into(),
        scope: "balance transactions".into(),
        consent_expires_at: None,
    }
}

/// An account of [`BANK_CODE`]'s 本店営業部 as the API lists it: `type_code` "01" (普通) or
/// "02" (当座), and its number.
pub fn remote_account(type_code: &str, number: &str) -> RemoteAccount {
    let type_name = match type_code {
        "01" => "普通",
        "02" => "当座",
        other => panic!("no seed for account type {other:?}; use 01 (普通) or 02 (当座)"),
    };
    RemoteAccount {
        account_id: format!("{BANK_CODE}-001-{}-{number}", &type_code[1..]),
        identity: AccountIdentity {
            bank_code: BANK_CODE.into(),
            branch_code: "001".into(),
            branch_name: "本店営業部".into(),
            account_type_code: type_code.into(),
            account_type_name: type_name.into(),
            account_number: number.into(),
            account_name_kana: "ｸﾗ ﾀﾛｳ".into(),
        },
        currency_code: "JPY".into(),
    }
}

/// A history line valued the day it was booked.
pub fn line(date: NaiveDate, amount: i64, balance: Option<i64>, remarks: &str, item_key: Option<&str>) -> Transaction {
    Transaction {
        transaction_date: date,
        value_date: Some(date),
        amount,
        balance,
        remarks: remarks.into(),
        item_key: item_key.map(Into::into),
    }
}

/// A balance of which all is withdrawable.
pub fn reading(balance: i64, as_of: AsOf) -> BalanceReading {
    BalanceReading { balance, withdrawable: balance, as_of }
}

/// Links [`BANK_CODE`] through `profile` and adds its 普通 account 1234567.
pub fn link_with_account(store: &mut Store, profile: &str, now: DateTime<Utc>) -> (LinkId, AccountId) {
    let link = store.add_link(&new_link(BANK_CODE, profile), now).expect("seed the link");
    let account = store.upsert_account(link, &remote_account("01", "1234567"), now).expect("seed the account");
    (link, account)
}

/// Stores `lines` as one sync of `account` fetched at `fetched_at`, with the balance read then
/// and the date the history is complete through, when given.
pub fn store_sync(
    store: &mut Store,
    account: AccountId,
    lines: &[Transaction],
    balance: Option<BalanceReading>,
    synced_through: Option<NaiveDate>,
    fetched_at: DateTime<Utc>,
) -> SyncCounts {
    let batch = AccountSyncBatch { run: None, transactions: lines, balance, synced_through, fetched_at };
    store.apply_account_sync(account, &batch).expect("seed the history")
}

/// Stores `lines` as one sync of `account` without a balance.
pub fn store_lines(
    store: &mut Store,
    account: AccountId,
    lines: &[Transaction],
    fetched_at: DateTime<Utc>,
) -> SyncCounts {
    store_sync(store, account, lines, None, None, fetched_at)
}

/// An access token that cannot be refreshed: for syncs against a sandbox that never refuses it.
pub struct StaticToken(pub String);

impl TokenSource for StaticToken {
    fn access_token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn refresh<'a>(&'a self, _rejected: &'a str) -> TokenFuture<'a> {
        Box::pin(async { Err(TokenError::Unavailable { detail: "a fixed test token cannot be refreshed".into() }) })
    }
}

/// Tokens for `username` at `bank_code`, both scopes, straight from the sandbox's loopback admin
/// API (`POST /admin/tokens`) instead of a browser login: the sandbox's JSON answer
/// (`access_token`, `refresh_token`, `expires_in`).
pub async fn sandbox_grant(
    http: &reqwest::Client,
    base_url: &str,
    username: &str,
    bank_code: &str,
) -> serde_json::Value {
    http.post(format!("{base_url}/admin/tokens"))
        .json(&serde_json::json!({"username": username, "bankCode": bank_code, "scope": "balance transactions"}))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("the sandbox's admin API issues tokens")
        .json()
        .await
        .expect("the sandbox answers JSON")
}

/// Checks that the trigram index holds exactly one entry per stored line, under the line's key
/// (a sync adds a batch's entries in one statement, not by trigger, so a path that forgot them
/// would show here).
pub fn assert_search_index_complete(store: &Store) {
    let mismatched: i64 = store
        .conn()
        .query_row(
            "WITH keys AS (SELECT unixepoch(transaction_date) / 86400 * 1099511627776 + id AS id FROM transactions)
             SELECT (SELECT count(*) FROM (SELECT id FROM keys EXCEPT SELECT id FROM transactions_fts_docsize))
                  + (SELECT count(*) FROM (SELECT id FROM transactions_fts_docsize EXCEPT SELECT id FROM keys))",
            [],
            |r| r.get(0),
        )
        .expect("read the search index");
    assert_eq!(mismatched, 0, "lines missing from the search index, or entries without a line");
}

/// Checks the books' invariants, panicking with what is wrong: the monthly totals per category
/// equal the lines they sum, every transfer pair points both ways between two accounts, and the
/// rules would change nothing (every line they may decide is filed as they decide it); and the
/// search index, which a sync's batch maintains beside them, is complete.
pub fn assert_books_consistent(store: &Store) {
    assert_search_index_complete(store);
    let conn = store.conn();
    let drift: Vec<(String, i64, i64, i64, i64)> = conn
        .prepare(
            "WITH kept AS (
                 SELECT month, account_id, category_id, transfer, inflow, outflow, lines_in, lines_out
                 FROM category_months WHERE lines_in + lines_out > 0),
             lines AS (
                 SELECT substr(transaction_date, 1, 7) AS month, account_id, ifnull(category_id, 0) AS category_id,
                        transfer, sum(max(amount, 0)) AS inflow, sum(min(amount, 0)) AS outflow,
                        sum(amount > 0) AS lines_in, sum(amount <= 0) AS lines_out
                 FROM transactions GROUP BY 1, 2, 3, 4)
             SELECT month, account_id, category_id, inflow, outflow FROM (SELECT * FROM kept EXCEPT SELECT * FROM lines)
             UNION ALL
             SELECT month, account_id, category_id, inflow, outflow FROM (SELECT * FROM lines EXCEPT SELECT * FROM kept)",
        )
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?.collect())
        .expect("read the totals");
    assert!(drift.is_empty(), "monthly category totals drifted from the lines: {drift:?}");
    let broken: i64 = conn
        .query_row(
            "SELECT count(*) FROM transactions t LEFT JOIN transactions p ON p.id = t.transfer_pair
             WHERE t.transfer_pair IS NOT NULL
               AND (p.id IS NULL OR p.transfer_pair IS NOT t.id OR p.account_id = t.account_id
                    OR p.amount <> -t.amount OR NOT t.transfer OR NOT p.transfer)",
            [],
            |r| r.get(0),
        )
        .expect("read the pairs");
    assert_eq!(broken, 0, "transfer pairs that do not point at each other");
    let effect = store.preview_rules(crate::store::ApplyScope::All).expect("preview the rules");
    assert_eq!(effect.lines, 0, "lines not filed as the rules decide: {effect:?}");
}

/// Ten years of a busy account, for benchmarks: about 274 lines a day, realistic half-width remarks, some unique
/// (transfers name people), some repeated (card, ATM, utilities). One line in 50 is a withdrawal
/// at a ゆうちょ ATM: 2% of the rows, evenly spread.
pub fn busy_history(n: usize) -> Vec<Transaction> {
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    let mut balance = 5_000_000i64;
    (0..n)
        .map(|i| {
            let date = start + chrono::Days::new((i * 3650 / n) as u64);
            let (amount, remarks) = match i % 10 {
                0 => (250_000, "ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ".to_owned()),
                1 | 2 => (-((i % 7 + 1) as i64) * 1_000, "ｶｰﾄﾞ ｼﾖｳ ｺﾝﾋﾞﾆ".to_owned()),
                3 if i % 50 == 3 => (-10_000, "ATM ｼﾊﾗｲ ﾕｳﾁﾖ".to_owned()),
                3 => (-10_000, "ATM ｼﾊﾗｲ".to_owned()),
                4 => (-8_000 - (i % 500) as i64, "ﾃﾞﾝｷﾘﾖｳｷﾝ".to_owned()),
                5 => (-3_000, "ｽｲﾄﾞｳﾘﾖｳｷﾝ".to_owned()),
                _ => (-((i % 50) as i64) * 100 - 100, format!("ﾌﾘｺﾐ ﾔﾏﾀﾞ ﾀﾛｳ{}", i % 20_000)),
            };
            balance += amount;
            Transaction {
                transaction_date: date,
                value_date: Some(date),
                amount,
                balance: Some(balance),
                remarks,
                item_key: None,
            }
        })
        .collect()
}
