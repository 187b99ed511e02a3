//! Keyset-paged transaction history, newest first, with filters and kana/width-insensitive
//! search over remarks.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::OptionalExtension;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::books::LineBooks;
use crate::model::{AccountId, CategoryId, Transaction};
use crate::store::{Store, StoreError};
use crate::text::fold;

/// Money in or money out (the UI's bindings name it `Flow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "Flow")]
pub enum Direction {
    In,
    Out,
}

crate::model::sql_text_enum!(Direction { In => "in", Out => "out" });

impl Direction {
    /// Whether a signed amount moves this way.
    pub fn allows(self, amount: i64) -> bool {
        match self {
            Direction::In => amount > 0,
            Direction::Out => amount < 0,
        }
    }
}

/// Which transactions to list. The default lists every visible account's history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TxFilter {
    /// Only these accounts; empty means every account that is not hidden.
    pub accounts: Vec<AccountId>,
    /// Inclusive JST dates.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub direction: Option<Direction>,
    /// Bounds on the amount's magnitude in yen (inclusive), whatever its direction.
    pub min_amount: Option<i64>,
    pub max_amount: Option<i64>,
    /// Words that must all occur in the remarks; half-/full-width and katakana/hiragana are
    /// treated alike.
    pub search: Option<String>,
    /// Only lines filed under these categories (a 大項目 does not include its 中項目s here:
    /// the caller lists them), or, with `uncategorised`, also the uncategorised ones.
    pub categories: Vec<CategoryId>,
    pub uncategorised: bool,
    /// Only transfers (`Some(true)`), or only the rest (`Some(false)`).
    pub transfers: Option<bool>,
}

/// Where a page starts: just after the row with this date and id (newest-first order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cursor {
    pub date: NaiveDate,
    pub id: i64,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.date, self.id)
    }
}

impl FromStr for Cursor {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, StoreError> {
        let bad = || StoreError::InvalidCursor(s.to_owned());
        let (date, id) = s.split_once('.').ok_or_else(bad)?;
        Ok(Cursor {
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| bad())?,
            id: id.parse().map_err(|_| bad())?,
        })
    }
}

impl Serialize for Cursor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One stored transaction: the bank's line, where Kura keeps it, and since when. The UI's
/// history rows are these (its bindings name them `TransactionItem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "TransactionItem")]
pub struct TxRow {
    pub id: i64,
    #[ts(type = "number")]
    pub account_id: AccountId,
    #[serde(flatten)]
    #[ts(flatten)]
    pub line: Transaction,
    /// How it is filed in the books.
    #[serde(flatten)]
    #[ts(flatten)]
    pub books: LineBooks,
    pub first_seen_at: DateTime<Utc>,
}

/// A stored row reads as its line (`row.amount`, `row.remarks`).
impl std::ops::Deref for TxRow {
    type Target = Transaction;

    fn deref(&self) -> &Transaction {
        &self.line
    }
}

/// One page of history and the cursor of the next (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TxPage {
    pub rows: Vec<TxRow>,
    pub next_cursor: Option<Cursor>,
}

/// The shortest search word the trigram index can look up; shorter words are scanned for.
const TRIGRAM: usize = 3;

/// The trigram index's rowid is a row's search key: its date as days since 1970-01-01 times
/// this, plus its id (migration 002 computes the same in SQL). Descending key order is the
/// newest-first order below, and the low 40 bits are the id.
const ID_SPAN: i64 = 1 << 40;

/// The line's columns third (read by position), the others by name.
const TX_COLUMNS: &str = concat!(
    "t.id, t.account_id, ",
    crate::store::line_columns!(),
    ", t.first_seen_at, t.category_id, t.category_by, t.memo, t.memo_by, t.transfer, t.transfer_by, t.transfer_pair"
);
const NEWEST_FIRST: &str = "ORDER BY t.transaction_date DESC, t.id DESC";

/// The search key of the row `(date, id)`; the first key of `date` when `id` is 0. Saturates
/// for dates no bank sends (beyond about ±23,000 years from 1970), which a filter or a cursor
/// from outside may still hold.
fn search_key(date: NaiveDate, id: i64) -> i64 {
    let days = date.signed_duration_since(DateTime::UNIX_EPOCH.date_naive()).num_days();
    days.saturating_mul(ID_SPAN).saturating_add(id)
}

fn tx_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TxRow> {
    Ok(TxRow {
        id: r.get("id")?,
        account_id: AccountId(r.get("account_id")?),
        line: crate::store::transaction_line(r, 2)?,
        books: crate::store::line_books(r)?,
        first_seen_at: r.get("first_seen_at")?,
    })
}

/// The first `limit` of `rows` (fetched one beyond the page to learn whether more follow).
fn page(mut rows: Vec<TxRow>, limit: usize) -> TxPage {
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| Cursor { date: r.transaction_date, id: r.id })
    } else {
        None
    };
    TxPage { rows, next_cursor }
}

/// A WHERE clause over `transactions t` and its parameters.
pub(super) struct Conditions {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Conditions {
    fn new() -> Conditions {
        Conditions { sql: String::new(), params: Vec::new() }
    }

    fn push(&mut self, sql: &str, params: impl IntoIterator<Item = Value>) {
        self.sql.push_str(if self.sql.is_empty() { " WHERE " } else { " AND " });
        self.sql.push_str(sql);
        self.params.extend(params);
    }
}

fn date_value(d: NaiveDate) -> Value {
    Value::Text(d.to_string())
}

/// An FTS5 string literal: the term as one phrase, so no character acts as query syntax.
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// The FTS5 query that all of `words` (folded, trigram-long) must match.
fn fts_query(words: &[String]) -> Value {
    Value::Text(words.iter().map(|w| fts_phrase(w)).collect::<Vec<_>>().join(" AND "))
}

impl TxFilter {
    /// Every condition of the filter, the search included, for a query that reads all the
    /// rows it selects (totals).
    pub(super) fn conditions(&self) -> Conditions {
        let mut c = Conditions::new();
        let (long, short) = self.search_words();
        if !long.is_empty() {
            c.push(
                &format!(
                    "t.id IN (SELECT rowid & {} FROM transactions_fts WHERE transactions_fts MATCH ?)",
                    ID_SPAN - 1
                ),
                [fts_query(&long)],
            );
        }
        self.push_plain(&mut c, &short);
        c
    }

    /// The folded search words: those the trigram index can look up, and shorter ones.
    fn search_words(&self) -> (Vec<String>, Vec<String>) {
        // Split before folding: the fold drops spaces.
        let words = self.search.as_deref().unwrap_or_default().split_whitespace().map(fold);
        words.filter(|w| !w.is_empty()).partition(|w| w.chars().count() >= TRIGRAM)
    }

    /// The conditions that need no index: accounts, dates, direction, amounts, and the short
    /// search words (matched in the folded remarks).
    fn push_plain(&self, c: &mut Conditions, short_words: &[String]) {
        if self.accounts.is_empty() {
            // Unary + keeps SQLite off the account index (which would sort every row of the
            // accounts): it walks the date index newest first and stops after a page.
            c.push("+t.account_id IN (SELECT id FROM accounts WHERE hidden = 0)", []);
        } else {
            let marks = vec!["?"; self.accounts.len()].join(", ");
            let column = if self.accounts.len() == 1 { "t.account_id" } else { "+t.account_id" };
            c.push(&format!("{column} IN ({marks})"), self.accounts.iter().map(|a| Value::Integer(a.0)));
        }
        if let Some(from) = self.from {
            c.push("t.transaction_date >= ?", [date_value(from)]);
        }
        if let Some(to) = self.to {
            c.push("t.transaction_date <= ?", [date_value(to)]);
        }
        match self.direction {
            Some(Direction::In) => c.push("t.amount > 0", []),
            Some(Direction::Out) => c.push("t.amount < 0", []),
            None => {}
        }
        if let Some(min) = self.min_amount {
            c.push("abs(t.amount) >= ?", [Value::Integer(min)]);
        }
        if let Some(max) = self.max_amount {
            c.push("abs(t.amount) <= ?", [Value::Integer(max)]);
        }
        for w in short_words {
            c.push("instr(t.remarks_folded, ?) > 0", [Value::Text(w.clone())]);
        }
        let marks = vec!["?"; self.categories.len()].join(", ");
        match (self.categories.is_empty(), self.uncategorised) {
            (true, false) => {}
            (true, true) => c.push("t.category_id IS NULL", []),
            (false, false) => {
                c.push(&format!("t.category_id IN ({marks})"), self.categories.iter().map(|c| Value::Integer(c.0)))
            }
            (false, true) => c.push(
                &format!("(t.category_id IN ({marks}) OR t.category_id IS NULL)"),
                self.categories.iter().map(|c| Value::Integer(c.0)),
            ),
        }
        if let Some(transfers) = self.transfers {
            c.push("t.transfer = ?", [Value::Integer(i64::from(transfers))]);
        }
    }

    /// The SQL and parameters of one page: without trigram-long words, the date indexes walked
    /// newest first; with them, the trigram index's matches walked in descending search-key
    /// order (newest first too), so either way SQLite stops after `limit + 1` rows instead of
    /// sorting every match.
    fn page_query(&self, after: Option<Cursor>, limit: usize) -> (String, Vec<Value>) {
        let (long, short) = self.search_words();
        let mut c = Conditions::new();
        let sql = if long.is_empty() {
            self.push_plain(&mut c, &short);
            if let Some(cur) = after {
                c.push("(t.transaction_date, t.id) < (?, ?)", [date_value(cur.date), Value::Integer(cur.id)]);
            }
            format!("SELECT {TX_COLUMNS} FROM transactions t{} {NEWEST_FIRST} LIMIT {}", c.sql, limit + 1)
        } else {
            c.push("f.transactions_fts MATCH ?", [fts_query(&long)]);
            // Date bounds and the cursor become key bounds the index applies itself.
            if let Some(from) = self.from {
                c.push("f.rowid >= ?", [Value::Integer(search_key(from, 0))]);
            }
            if let Some(to) = self.to.and_then(|d| d.succ_opt()) {
                c.push("f.rowid < ?", [Value::Integer(search_key(to, 0))]);
            }
            if let Some(cur) = after {
                c.push("f.rowid < ?", [Value::Integer(search_key(cur.date, cur.id))]);
            }
            self.push_plain(&mut c, &short);
            // CROSS JOIN keeps the index as the outer loop: each match costs one lookup by id.
            format!(
                "SELECT {TX_COLUMNS} FROM transactions_fts f CROSS JOIN transactions t ON t.id = f.rowid & {}{} \
                 ORDER BY f.rowid DESC LIMIT {}",
                ID_SPAN - 1,
                c.sql,
                limit + 1
            )
        };
        (sql, c.params)
    }
}

impl Store {
    /// One stored transaction by its id.
    pub fn transaction(&self, id: i64) -> Result<Option<TxRow>, StoreError> {
        let mut stmt =
            self.conn().prepare_cached(&format!("SELECT {TX_COLUMNS} FROM transactions t WHERE t.id = ?1"))?;
        Ok(stmt.query_row([id], tx_row).optional()?)
    }

    /// Up to `limit` transactions matching `filter`, newest first (by date, then by when Kura
    /// stored them), starting after `after`. Pages are stable while new rows arrive.
    pub fn transactions(&self, filter: &TxFilter, after: Option<Cursor>, limit: usize) -> Result<TxPage, StoreError> {
        let limit = limit.max(1);
        let (sql, params) = filter.page_query(after, limit);
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params), tx_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(page(rows, limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = Cursor { date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), id: 42 };
        assert_eq!(c.to_string(), "2026-11-20.42");
        assert_eq!("2026-11-20.42".parse::<Cursor>().unwrap(), c);
        assert!("2026-11-20".parse::<Cursor>().is_err());
        assert!("x.1".parse::<Cursor>().is_err());
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"2026-11-20.42\"");
    }

    #[test]
    fn search_keys_agree_with_the_migration_and_sort_newest_first() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let dates = [day(1969, 12, 31), day(1970, 1, 1), day(2016, 2, 29), day(2026, 11, 24)];
        for date in dates {
            for id in [1, 42, ID_SPAN - 1] {
                // The expression of migrations/002_search_key.sql.
                let sql: i64 = conn
                    .query_row("SELECT unixepoch(?1) / 86400 * 1099511627776 + ?2", (date, id), |r| r.get(0))
                    .unwrap();
                assert_eq!(search_key(date, id), sql, "{date} {id}");
                assert_eq!(search_key(date, id) & (ID_SPAN - 1), id);
            }
        }
        assert!(search_key(day(2026, 11, 24), 1) > search_key(day(2026, 11, 23), ID_SPAN - 1));
        assert!(search_key(day(2026, 11, 24), 2) > search_key(day(2026, 11, 24), 1));
        assert!(search_key(day(1970, 1, 1), 1) > search_key(day(1969, 12, 31), 2));
        assert_eq!(search_key(NaiveDate::MAX, i64::MAX), i64::MAX);
        assert_eq!(search_key(NaiveDate::MIN, 0), i64::MIN);
    }

    /// A page must come from walking an index newest first, never from sorting every match
    /// (that is what made a common search word slow).
    #[test]
    fn pages_are_read_in_index_order_without_sorting() {
        let dir = tempfile::TempDir::new().unwrap();
        let store = Store::open(Some(dir.path())).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let filters = [
            TxFilter::default(),
            TxFilter { accounts: vec![AccountId(1)], ..TxFilter::default() },
            TxFilter { accounts: vec![AccountId(1), AccountId(2)], ..TxFilter::default() },
            TxFilter { search: Some("ｶｰﾄﾞ".into()), ..TxFilter::default() },
            TxFilter { search: Some("ｶｰﾄﾞ ｼ".into()), accounts: vec![AccountId(1)], ..TxFilter::default() },
            TxFilter {
                search: Some("ｶｰﾄﾞ".into()),
                from: Some(day),
                to: Some(day),
                direction: Some(Direction::Out),
                min_amount: Some(1),
                ..TxFilter::default()
            },
        ];
        for filter in filters {
            let (sql, params) = filter.page_query(Some(Cursor { date: day, id: 9 }), 200);
            let mut stmt = store.conn().prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let plan: Vec<String> = stmt
                .query_map(rusqlite::params_from_iter(params), |r| r.get(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "{filter:?}: {plan:?}");
        }
    }

    #[test]
    fn search_splits_long_words_to_fts_and_short_ones_to_a_scan() {
        let f = TxFilter { search: Some("ｶｰﾄﾞ ATM  ｼ \"x".into()), ..TxFilter::default() };
        let c = f.conditions();
        assert!(c.sql.contains("MATCH ?"));
        assert_eq!(c.sql.matches("instr(").count(), 2, "{}", c.sql);
        // The long-vowel mark folds to a hyphen, as banks print it (ｶ-ﾄﾞ).
        assert!(c.params.contains(&Value::Text("\"か-ど\" AND \"atm\"".into())), "{:?}", c.params);
        assert!(c.params.contains(&Value::Text("し".into())));
        assert!(c.params.contains(&Value::Text("\"x".into())));
    }
}
