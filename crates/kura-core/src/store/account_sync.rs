//! One account's sync written to the store. As the bank's pages arrive, their lines are filed by
//! the rules and staged in a temporary table of the writer's own connection (SQLite keeps it in
//! a private temporary file once it outgrows a small cache), which takes no lock on the store:
//! the app reads and writes as usual however long a bank takes to page through years of lines.
//! At the end one SQLite transaction moves the new lines in with a single statement, adds their
//! search-index entries with one more and their monthly totals as added up while staging, pairs
//! transfers and records the balance: the account is stored whole or not at all, and its write
//! lock is held only for that.
//!
//! Memory follows a page and a day's lines, not the account's history: identical lines are told
//! apart within their day by [`ByDay`], and everything done for the batch as a whole reads its
//! rows back from the store (the rows after `floor`, the largest id when the transaction began:
//! it holds the write lock, so no one else adds rows).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, ToSql, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Store, StoreError, books, open};
use crate::books::{DecidedBy, LineFacts, Matcher, Rule};
use crate::days::{ByDay, DayReopened};
use crate::model::{AccountId, BalanceReading, SyncRunId, Transaction};
use crate::text::fold;

/// One account's fetched data, applied in one SQLite transaction.
#[derive(Debug, Clone, Copy)]
pub struct AccountSyncBatch<'a> {
    pub run: Option<SyncRunId>,
    /// Every line of one fetched window, in the order the bank sent them. The window must cover
    /// whole days (as the API's dateFrom/dateTo do): identical lines are told apart by their
    /// position within a day.
    pub transactions: &'a [Transaction],
    pub balance: Option<BalanceReading>,
    /// Moves the account's `synced_through` forward to this date (never backward).
    pub synced_through: Option<NaiveDate>,
    pub fetched_at: DateTime<Utc>,
}

/// What closes an account's sync, once every page is written.
#[derive(Debug, Clone, Copy)]
pub struct AccountSyncEnd {
    pub balance: Option<BalanceReading>,
    /// Moves the account's `synced_through` forward to this date (never backward).
    pub synced_through: Option<NaiveDate>,
}

/// What an account's sync stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncCounts {
    pub inserted: u64,
    pub already_known: u64,
    /// Sum of the signed amounts of the inserted lines, for reconciling with the balance change.
    pub inserted_sum: i64,
    /// The latest balance recorded before this batch, if any.
    pub previous_balance: Option<i64>,
    /// Transfers recognised between the new lines and other accounts' lines.
    pub transfers_found: u64,
}

/// The content hash that identifies a line where the bank sends no item key. Stable across
/// versions: it is stored, so changing it would duplicate history on the next sync.
pub fn fingerprint(tx: &Transaction) -> i64 {
    let mut h = Sha256::new();
    h.update(iso_date(tx.transaction_date).as_str());
    h.update([0x1f]);
    if let Some(d) = tx.value_date {
        h.update(iso_date(d).as_str());
    }
    h.update([0x1f]);
    h.update(itoa::Buffer::new().format(tx.amount));
    h.update([0x1f]);
    if let Some(b) = tx.balance {
        h.update(itoa::Buffer::new().format(b));
    }
    h.update([0x1f]);
    h.update(tx.remarks.as_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// The trigram index's key of a `transactions` row: its JST day (days since 1970) times 2^40
/// plus its id, so the index's order is the history's (migrations/002_search_key.sql).
const SEARCH_KEY: &str = "unixepoch(transaction_date) / 86400 * 1099511627776 + id";

/// How many rows one staging INSERT carries (a statement's own start and end cost about as much
/// as a row).
const ROWS_PER_INSERT: usize = 32;
/// The columns a staged line sets.
const COLUMNS: usize = 13;

/// The staging table: a line as it will be stored, in the bank's order (its rowid).
const STAGED: &str = "CREATE TEMP TABLE staged (
    item_key TEXT, fingerprint INTEGER NOT NULL, occurrence INTEGER NOT NULL, transaction_date TEXT NOT NULL,
    value_date TEXT, amount INTEGER NOT NULL, balance_after INTEGER, remarks TEXT NOT NULL,
    remarks_folded TEXT NOT NULL, category_id INTEGER, rule_id INTEGER, memo TEXT, transfer INTEGER NOT NULL)";

fn stage_sql(rows: usize) -> String {
    let row = format!("({})", vec!["?"; COLUMNS].join(", "));
    format!(
        "INSERT INTO temp.staged (item_key, fingerprint, occurrence, transaction_date, value_date, amount,
             balance_after, remarks, remarks_folded, category_id, rule_id, memo, transfer)
         VALUES {}",
        vec![row; rows].join(", ")
    )
}

/// Folds, fingerprints and files lines by the rules of the batch they go into: the work of a
/// line that needs no connection, so it runs beside the writer (`Clone` and `Send`).
#[derive(Clone)]
pub struct Filer {
    account: AccountId,
    rules: CompiledRules,
}

/// Rules as read and as compiled.
#[derive(Clone)]
pub(super) struct CompiledRules {
    rules: Arc<Vec<Rule>>,
    matcher: Arc<Matcher>,
}

impl CompiledRules {
    fn new(rules: Vec<Rule>) -> CompiledRules {
        CompiledRules { matcher: Arc::new(Matcher::new(&rules)), rules: Arc::new(rules) }
    }
}

impl Filer {
    fn new(account: AccountId, rules: Vec<Rule>) -> Filer {
        Filer { account, rules: CompiledRules::new(rules) }
    }

    fn decide(&self, folded: &str, amount: i64) -> Filing {
        let d = self.rules.matcher.decide(LineFacts { folded, amount, account: self.account });
        Filing {
            category: d.category.map(|(c, _)| c.0),
            rule: d.category.map(|(_, r)| r.0),
            memo: d.memo.map(|(m, _)| m.to_owned()),
            transfer: d.transfer.is_some(),
        }
    }

    pub fn file(&self, lines: Vec<Transaction>) -> FiledPage {
        // A page repeats its remarks (card names, ATM, utilities): fold each once.
        let mut folds: HashMap<String, String> = HashMap::new();
        let lines = lines
            .into_iter()
            .map(|line| {
                let folded = match folds.get(&line.remarks) {
                    Some(f) => f.clone(),
                    None => {
                        let f = fold(&line.remarks);
                        folds.insert(line.remarks.clone(), f.clone());
                        f
                    }
                };
                let filing = self.decide(&folded, line.amount);
                FiledLine { fingerprint: fingerprint(&line), line, folded, filing }
            })
            .collect();
        FiledPage { lines }
    }
}

/// What the rules set on a line (all `None`/false when none matched).
struct Filing {
    category: Option<i64>,
    rule: Option<i64>,
    memo: Option<String>,
    transfer: bool,
}

/// A page of lines ready for [`AccountWriter::add`].
pub struct FiledPage {
    lines: Vec<FiledLine>,
}

struct FiledLine {
    line: Transaction,
    fingerprint: i64,
    folded: String,
    filing: Filing,
}

/// An account's sync in progress on a connection of its own: pages are staged as they come
/// ([`AccountWriter::add`]), stored by [`AccountWriter::commit`]. Dropped before that, nothing
/// is kept.
pub struct AccountWriter {
    conn: Connection,
    path: std::path::PathBuf,
    account: AccountId,
    run: Option<i64>,
    /// `fetched_at` as the store writes it, formatted once.
    fetched_at: String,
    filer: Filer,
    /// How often each fingerprint came on the day being read: the next identical line is its
    /// next occurrence (a fingerprint includes the date, so days never share one).
    occurrences: ByDay<HashMap<i64, i64>>,
    /// Lines read, new or not.
    lines: u64,
    /// What the staged lines add up to, kept as they are staged so that the commit need not read
    /// them back when all of them go in.
    staged: StagedTotals,
    /// Whether the lines' dates never went back, so the new rows' ids are in the search key's
    /// order and the index needs no sort.
    in_key_order: bool,
    last_date: Option<NaiveDate>,
}

impl AccountWriter {
    /// What files this batch's pages, on any thread.
    pub fn filer(&self) -> Filer {
        self.filer.clone()
    }

    /// Stages one page of lines, in the order the bank sent them. Fails with
    /// [`StoreError::DayReopened`] when a day comes back after another began, unless the writer
    /// was made for any day order.
    pub fn add(&mut self, page: &FiledPage) -> Result<(), StoreError> {
        let mut occurrences = Vec::with_capacity(page.lines.len());
        for filed in &page.lines {
            let date = filed.line.transaction_date;
            let day = self
                .occurrences
                .day(date)
                .map_err(|DayReopened(date)| StoreError::DayReopened { account: self.account, date })?;
            occurrences.push(*day.entry(filed.fingerprint).and_modify(|n| *n += 1).or_insert(1));
        }
        self.stage(page, &occurrences)
    }

    /// Stages lines whose place among the identical lines of their day is known already (as
    /// another desktop's log states it), so any part of a day can come on its own.
    pub fn add_numbered(&mut self, page: &FiledPage, occurrences: &[i64]) -> Result<(), StoreError> {
        assert_eq!(page.lines.len(), occurrences.len(), "one occurrence per line");
        self.stage(page, occurrences)
    }

    fn stage(&mut self, page: &FiledPage, occurrences: &[i64]) -> Result<(), StoreError> {
        for filed in &page.lines {
            let date = filed.line.transaction_date;
            self.in_key_order &= self.last_date.is_none_or(|last| last <= date);
            self.last_date = Some(date);
        }
        self.lines += page.lines.len() as u64;
        // One read transaction a page (it writes only the temporary table, which takes no lock
        // on the store): a statement outside one locks and unlocks the WAL on its own.
        let page_tx = self.conn.unchecked_transaction()?;
        // Lines the store already holds (a re-read overlap, or all of them when a whole window is
        // read again) are left out here, with reads that need no lock; the commit's insert still
        // skips any stored in between. A page of days the account has no line on (a first sync)
        // needs no look per line.
        let dates = page.lines.iter().map(|f| f.line.transaction_date);
        let any_stored = match (dates.clone().min(), dates.max()) {
            (Some(first), Some(last)) => self.conn.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM transactions WHERE account_id = ?1 AND transaction_date BETWEEN ?2 AND ?3)",
            )?
            .query_row(params![self.account.0, iso_date(first), iso_date(last)], |r| r.get::<_, bool>(0))?,
            _ => false,
        };
        let mut known = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM transactions WHERE account_id = ?1 AND item_key = ?2)
                 OR EXISTS (SELECT 1 FROM transactions
                            WHERE account_id = ?1 AND transaction_date = ?5 AND fingerprint = ?3 AND occurrence = ?4)",
        )?;
        let mut new = Vec::with_capacity(page.lines.len());
        for (filed, occurrence) in page.lines.iter().zip(occurrences) {
            let stored = any_stored && {
                let date = iso_date(filed.line.transaction_date);
                known.query_row(
                    params![self.account.0, filed.line.item_key, filed.fingerprint, occurrence, date],
                    |r| r.get::<_, bool>(0),
                )?
            };
            if !stored {
                new.push((filed, occurrence));
            }
        }
        let rows: Vec<Staged<'_>> = new
            .into_iter()
            .map(|(filed, occurrence)| Staged {
                filed,
                occurrence,
                date: iso_date(filed.line.transaction_date),
                value_date: filed.line.value_date.map(iso_date),
            })
            .collect();
        rows.iter().for_each(|row| self.staged.add(row));
        let mut many = self.conn.prepare_cached(&stage_sql(ROWS_PER_INSERT))?;
        let mut one = self.conn.prepare_cached(&stage_sql(1))?;
        let mut params: Vec<&dyn ToSql> = Vec::with_capacity(ROWS_PER_INSERT * COLUMNS);
        let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
        for chunk in &mut chunks {
            params.clear();
            chunk.iter().for_each(|row| row.bind(&mut params));
            many.execute(params.as_slice())?;
        }
        for row in chunks.remainder() {
            params.clear();
            row.bind(&mut params);
            one.execute(params.as_slice())?;
        }
        drop((known, many, one));
        page_tx.commit()?;
        Ok(())
    }

    /// Stores the staged lines not yet known (by item key, else by fingerprint and occurrence
    /// within the day) in one transaction with their index entries, totals and transfers, the
    /// balance snapshot, `synced_through` moved forward and the account's line count. Lines
    /// already stored, and whatever the person set on them, are never touched.
    pub fn commit(self, end: &AccountSyncEnd) -> Result<SyncCounts, StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy { path: self.path.clone() }
            }
            _ => e.into(),
        })?;
        // On an error the connection closes with the transaction open: SQLite rolls it back.
        let counts = self.store(end)?;
        self.conn.execute_batch("COMMIT")?;
        Ok(counts)
    }

    fn store(&self, end: &AccountSyncEnd) -> Result<SyncCounts, StoreError> {
        let conn = &self.conn;
        let account = self.account;
        let exists: Option<i64> =
            conn.query_row("SELECT id FROM accounts WHERE id = ?1", [account.0], |r| r.get(0)).optional()?;
        if exists.is_none() {
            return Err(StoreError::UnknownAccount(account));
        }
        let previous_balance: Option<i64> = conn
            .query_row(
                "SELECT balance FROM balance_snapshots WHERE account_id = ?1
                 ORDER BY base_date DESC, base_at DESC, id DESC LIMIT 1",
                [account.0],
                |r| r.get(0),
            )
            .optional()?;
        let refiled = self.refile_if_rules_changed()?;
        let floor: i64 = conn.query_row("SELECT ifnull(max(id), 0) FROM transactions", [], |r| r.get(0))?;
        let inserted = conn.execute(
            "INSERT INTO transactions (account_id, item_key, fingerprint, occurrence, transaction_date, value_date,
                 amount, balance_after, remarks, remarks_folded, first_seen_at, sync_run_id, category_id, category_by,
                 rule_id, memo, memo_by, transfer, transfer_by)
             SELECT ?1, item_key, fingerprint, occurrence, transaction_date, value_date, amount, balance_after,
                    remarks, remarks_folded, ?2, ?3, category_id, iif(category_id IS NULL, NULL, ?4), rule_id, memo,
                    iif(memo IS NULL, NULL, ?4), transfer, iif(transfer, ?4, NULL)
             FROM temp.staged WHERE true ORDER BY rowid
             ON CONFLICT DO NOTHING",
            params![account.0, self.fetched_at, self.run, DecidedBy::Rule.as_str()],
        )?;
        // Lines stored in between (another desktop's log, a concurrent sync) are left out by the
        // insert; then what went in is read back instead of the staged totals.
        let inserted = inserted as u64;
        let all_in = inserted == self.staged.lines;
        let inserted_sum = if all_in {
            self.staged.sum
        } else {
            conn.query_row("SELECT ifnull(sum(amount), 0) FROM transactions WHERE id > ?1", [floor], |r| r.get(0))?
        };
        let mut counts = SyncCounts {
            inserted,
            already_known: self.lines - inserted,
            inserted_sum,
            previous_balance,
            transfers_found: 0,
        };
        if inserted > 0 {
            // One statement, in key order: FTS5 flushes its pending entries at every statement
            // that writes to it, so row by row it would write one tiny segment per line.
            let order = if self.in_key_order { "" } else { " ORDER BY 1" };
            conn.execute(
                &format!(
                    "INSERT INTO transactions_fts (rowid, remarks_folded)
                     SELECT {SEARCH_KEY}, remarks_folded FROM transactions WHERE id > ?1{order}"
                ),
                [floor],
            )?;
            // Before the transfers are marked: their update triggers move these totals.
            if all_in && !refiled {
                self.staged.add_month_totals(conn, account)?;
            } else {
                add_month_totals_of_rows(conn, floor)?;
            }
            counts.transfers_found = books::detect_transfers(conn, account, floor)?;
        }
        if let Some(b) = end.balance {
            conn.execute(
                "INSERT INTO balance_snapshots (account_id, balance, withdrawable, base_date, base_at, fetched_at,
                     sync_run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![account.0, b.balance, b.withdrawable, b.as_of.date, b.as_of.at, self.fetched_at, self.run],
            )?;
        }
        conn.execute(
            "UPDATE accounts SET last_synced_at = ?2,
                 synced_through = CASE WHEN ?3 IS NOT NULL AND (synced_through IS NULL OR synced_through < ?3)
                                       THEN ?3 ELSE synced_through END,
                 transaction_count = transaction_count + ?4
             WHERE id = ?1",
            params![account.0, self.fetched_at, end.synced_through, inserted as i64],
        )?;
        Ok(counts)
    }

    /// The pages were filed by the rules as they were when the sync began; should the person have
    /// changed them since, the staged lines are filed again by the rules of this transaction
    /// (true then).
    fn refile_if_rules_changed(&self) -> Result<bool, StoreError> {
        let rules = books::load_rules(&self.conn)?;
        if rules == *self.filer.rules.rules {
            return Ok(false);
        }
        let filer = Filer::new(self.account, rules);
        let mut read = self.conn.prepare("SELECT rowid, remarks_folded, amount FROM temp.staged")?;
        let mut write = self.conn.prepare(
            "UPDATE temp.staged SET category_id = ?2, rule_id = ?3, memo = ?4, transfer = ?5 WHERE rowid = ?1",
        )?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let f = filer.decide(&r.get::<_, String>(1)?, r.get(2)?);
            write.execute(params![r.get::<_, i64>(0)?, f.category, f.rule, f.memo, f.transfer])?;
        }
        Ok(true)
    }
}

/// Adds the monthly totals (`category_months`) of the rows after `floor`.
fn add_month_totals_of_rows(conn: &Connection, floor: i64) -> Result<(), StoreError> {
    conn.execute(
        &format!(
            "INSERT INTO category_months {MONTH_COLUMNS}
             SELECT substr(transaction_date, 1, 7), account_id, ifnull(category_id, 0), transfer,
                    sum(max(amount, 0)), sum(min(amount, 0)), sum(amount > 0), sum(amount <= 0)
             FROM transactions WHERE id > ?1 GROUP BY 1, 2, 3, 4 {ADD_TO_MONTH}"
        ),
        [floor],
    )?;
    Ok(())
}

const MONTH_COLUMNS: &str = "(month, account_id, category_id, transfer, inflow, outflow, lines_in, lines_out)";
const ADD_TO_MONTH: &str = "ON CONFLICT DO UPDATE SET inflow = inflow + excluded.inflow,
    outflow = outflow + excluded.outflow, lines_in = lines_in + excluded.lines_in,
    lines_out = lines_out + excluded.lines_out";

/// The staged lines' count, sum and monthly totals per category and transfer flag, as
/// `category_months` keeps them (a month is the date's first seven characters, as there).
#[derive(Default)]
struct StagedTotals {
    lines: u64,
    sum: i64,
    months: HashMap<String, HashMap<(i64, bool), MonthTotals>>,
}

#[derive(Default)]
struct MonthTotals {
    inflow: i64,
    outflow: i64,
    lines_in: i64,
    lines_out: i64,
}

impl StagedTotals {
    fn add(&mut self, row: &Staged<'_>) {
        let (amount, filing) = (row.filed.line.amount, &row.filed.filing);
        self.lines += 1;
        self.sum += amount;
        let month = &row.date.as_str()[..7];
        if !self.months.contains_key(month) {
            self.months.insert(month.to_owned(), HashMap::new());
        }
        let t = self
            .months
            .get_mut(month)
            .expect("just added")
            .entry((filing.category.unwrap_or(0), filing.transfer))
            .or_default();
        if amount > 0 {
            t.inflow += amount;
            t.lines_in += 1;
        } else {
            t.outflow += amount;
            t.lines_out += 1;
        }
    }

    fn add_month_totals(&self, conn: &Connection, account: AccountId) -> Result<(), StoreError> {
        let mut add = conn.prepare(&format!(
            "INSERT INTO category_months {MONTH_COLUMNS} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) {ADD_TO_MONTH}"
        ))?;
        for (month, totals) in &self.months {
            for ((category, transfer), t) in totals {
                add.execute(params![
                    month,
                    account.0,
                    category,
                    transfer,
                    t.inflow,
                    t.outflow,
                    t.lines_in,
                    t.lines_out
                ])?;
            }
        }
        Ok(())
    }
}

/// A staged line's values, bound to the staging insert.
struct Staged<'a> {
    filed: &'a FiledLine,
    occurrence: &'a i64,
    date: IsoDate,
    value_date: Option<IsoDate>,
}

impl<'a> Staged<'a> {
    fn bind(&'a self, params: &mut Vec<&'a dyn ToSql>) {
        let f = self.filed;
        params.extend_from_slice(&[
            &f.line.item_key,
            &f.fingerprint,
            self.occurrence,
            &self.date,
            &self.value_date,
            &f.line.amount,
            &f.line.balance,
            &f.line.remarks,
            &f.folded,
            &f.filing.category,
            &f.filing.rule,
            &f.filing.memo,
            &f.filing.transfer,
        ]);
    }
}

impl Store {
    /// Begins the sync of `account` on a new connection to this store's file, filed by the
    /// rules as they are now. Lines are expected grouped by day (as banks serve them, either way
    /// round); `any_day_order` keeps every day's state instead, for a bank that mixes them.
    pub fn account_writer(
        &self,
        account: AccountId,
        run: Option<SyncRunId>,
        fetched_at: DateTime<Utc>,
        any_day_order: bool,
    ) -> Result<AccountWriter, StoreError> {
        let conn = open::connect(&self.path)?;
        // Staged lines go to a temporary file past a small cache, not to memory.
        conn.execute_batch(&format!("PRAGMA temp_store = FILE; {STAGED}"))?;
        // Exactly as the store writes an instant: let SQLite's binding format it.
        let fetched_at = conn.query_row("SELECT ?1", [fetched_at], |r| r.get(0))?;
        let rules = books::load_rules(&conn)?;
        let compiled = match &*self.filing.borrow() {
            Some(c) if *c.rules == rules => c.clone(),
            _ => CompiledRules::new(rules),
        };
        self.filing.replace(Some(compiled.clone()));
        let filer = Filer { account, rules: compiled };
        Ok(AccountWriter {
            conn,
            path: self.path.clone(),
            account,
            run: run.map(|r| r.0),
            fetched_at,
            filer,
            occurrences: ByDay::new(any_day_order),
            lines: 0,
            staged: StagedTotals::default(),
            in_key_order: true,
            last_date: None,
        })
    }

    /// Stores one account's whole fetched window in one SQLite transaction (see
    /// [`AccountWriter`] for the streamed form): on any error nothing of the batch is stored.
    pub fn apply_account_sync(
        &mut self,
        account: AccountId,
        batch: &AccountSyncBatch<'_>,
    ) -> Result<SyncCounts, StoreError> {
        let mut writer = self.account_writer(account, batch.run, batch.fetched_at, true)?;
        writer.add(&writer.filer().file(batch.transactions.to_vec()))?;
        writer.commit(&AccountSyncEnd { balance: batch.balance, synced_through: batch.synced_through })
    }
}

/// A date as the store writes it (`YYYY-MM-DD`), without chrono's format parser: two per line.
enum IsoDate {
    Digits([u8; 10]),
    /// A year outside 0–9999, as chrono writes it.
    Other(String),
}

impl IsoDate {
    fn as_str(&self) -> &str {
        match self {
            IsoDate::Digits(d) => std::str::from_utf8(d).expect("ASCII digits and dashes"),
            IsoDate::Other(s) => s,
        }
    }
}

impl rusqlite::ToSql for IsoDate {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(self.as_str().as_bytes())))
    }
}

fn iso_date(d: NaiveDate) -> IsoDate {
    let Some(year) = u32::try_from(d.year()).ok().filter(|y| *y <= 9999) else {
        return IsoDate::Other(d.format("%F").to_string());
    };
    let mut out = *b"0000-00-00";
    for (i, (value, digits)) in [(year, 4), (d.month(), 2), (d.day(), 2)].into_iter().enumerate() {
        let start = [0, 5, 8][i];
        let mut v = value;
        for pos in (start..start + digits).rev() {
            out[pos] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    }
    IsoDate::Digits(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(amount: i64, balance: Option<i64>, remarks: &str) -> Transaction {
        Transaction {
            transaction_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            value_date: None,
            amount,
            balance,
            remarks: remarks.into(),
            item_key: None,
        }
    }

    #[test]
    fn fingerprint_covers_every_field_but_the_item_key() {
        let base = line(-10_000, None, "ATM");
        let fp = fingerprint(&base);
        assert_eq!(fp, fingerprint(&Transaction { item_key: Some("k".into()), ..base.clone() }));
        assert_ne!(fp, fingerprint(&line(10_000, None, "ATM")), "sign matters");
        assert_ne!(fp, fingerprint(&line(-10_000, Some(0), "ATM")));
        assert_ne!(fp, fingerprint(&line(-10_000, None, "ATM ")));
        let valued = Transaction { value_date: base.value_date.or(Some(base.transaction_date)), ..base.clone() };
        assert_ne!(fp, fingerprint(&valued));
    }

    #[test]
    fn fingerprint_is_stable() {
        // Stored fingerprints must keep matching after an upgrade.
        // The first 8 bytes (big-endian) of SHA-256("2026-11-20␟␟-1␟␟"), computed independently.
        assert_eq!(fingerprint(&line(-1, None, "")), -1_973_083_296_340_439_472);
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let far = NaiveDate::from_ymd_opt(12_345, 6, 7).unwrap();
        for date in ["0001-01-01", "1999-12-31", "2026-02-28", "9999-12-31"]
            .map(|d| d.parse().unwrap())
            .into_iter()
            .chain([far])
        {
            assert_eq!(iso_date(date).as_str(), date.format("%F").to_string());
        }
    }
}
