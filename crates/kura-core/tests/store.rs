//! The store and its queries against a real SQLite file in a temporary folder.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kura_core::model::{
    AccountId, AsOf, BalanceReading, LinkId, LinkStatus, NewLink, ReconcileStatus, SyncRunStatus, Transaction,
};
use kura_core::query::{BalancePoint, Cursor, Direction, Staleness, TxFilter};
use kura_core::store::{AccountSyncBatch, RunFailure, RunOutcome, Store, StoreError};
use kura_core::testing::{self, line, remote_account};
use tempfile::TempDir;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 1, 15, 0).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

struct Fixture {
    _dir: TempDir,
    store: Store,
    link: LinkId,
    account: AccountId,
}

fn fixture() -> Fixture {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(Some(&dir.path().join("data"))).unwrap();
    let (link, account) = testing::link_with_account(&mut store, "sandbox", now());
    Fixture { _dir: dir, store, link, account }
}

/// How many of `lines` were new, and how many already stored.
fn apply(store: &mut Store, account: AccountId, lines: &[Transaction]) -> (u64, u64) {
    let c = testing::store_lines(store, account, lines, now());
    (c.inserted, c.already_known)
}

fn all_rows(store: &Store, filter: &TxFilter) -> Vec<kura_core::query::TxRow> {
    store.transactions(filter, None, 10_000).unwrap().rows
}

/// Each account's kept transaction count, checked against a count of its stored rows.
fn counts(store: &Store) -> Vec<(AccountId, i64)> {
    let kept: Vec<(AccountId, i64)> =
        store.account_summaries(now()).unwrap().iter().map(|s| (s.id, s.transaction_count)).collect();
    for (account, count) in &kept {
        let filter = TxFilter { accounts: vec![*account], ..TxFilter::default() };
        assert_eq!(*count, all_rows(store, &filter).len() as i64, "account {account:?}'s count drifted");
    }
    kept
}

#[test]
fn migrates_from_empty_reopens_and_is_owner_only() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("nested").join("data");
    let store = Store::open(Some(&data)).unwrap();
    assert_eq!(store.schema_version().unwrap(), 9);
    assert!(store.integrity_check().unwrap().is_empty());
    let path = store.path().to_owned();
    drop(store);
    let store = Store::open(Some(&data)).unwrap();
    assert_eq!(store.schema_version().unwrap(), 9);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&path), 0o600);
    }
}

#[test]
fn refuses_a_database_from_a_newer_kura_and_a_file_that_is_not_one() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("kura.sqlite3");
    drop(Store::open_file(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Store::open_file(&path).err().unwrap();
    assert!(matches!(err, StoreError::NewerSchema { found: 99, supported: 9, .. }), "{err:?}");
    assert!(err.to_string().contains("upgrade Kura"), "{err}");

    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, vec![b'x'; 4096]).unwrap();
    let err = Store::open_file(&junk).err().unwrap();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
}

#[test]
fn dedupes_by_fingerprint_and_keeps_identical_withdrawals() {
    let mut f = fixture();
    let atm = |b| line(day(11, 20), -10_000, b, "ATM ｼﾊﾗｲ", None);
    let window = vec![atm(None), atm(None), line(day(11, 21), 5_000, None, "ﾌﾘｺﾐ", None)];
    assert_eq!(apply(&mut f.store, f.account, &window), (3, 0));
    assert_eq!(apply(&mut f.store, f.account, &window), (0, 3), "re-applying adds nothing");
    // An overlapping later window: day 21 again, plus a new day.
    let later = vec![window[2].clone(), line(day(11, 22), -300, None, "ﾃｽｳﾘﾖｳ", None)];
    assert_eq!(apply(&mut f.store, f.account, &later), (1, 1));
    let rows = all_rows(&f.store, &TxFilter::default());
    assert_eq!(rows.len(), 4);
    assert_eq!(rows.iter().filter(|r| r.amount == -10_000).count(), 2);
}

/// The overview's count is kept by the write path, not counted per call: it stays exact through
/// re-sent lines, overlapping windows, a failed batch, a relink and a purge.
#[test]
fn transaction_counts_stay_exact_across_syncs_and_purge() {
    let mut f = fixture();
    assert_eq!(counts(&f.store), [(f.account, 0)]);
    let atm = |b| line(day(11, 20), -10_000, b, "ATM", None);
    let window = vec![atm(None), atm(None), line(day(11, 21), 5_000, None, "ﾌﾘｺﾐ", Some("k1"))];
    apply(&mut f.store, f.account, &window);
    apply(&mut f.store, f.account, &window);
    let later = vec![window[2].clone(), line(day(11, 22), -300, None, "ﾃｽｳﾘﾖｳ", None), atm(None)];
    assert_eq!(apply(&mut f.store, f.account, &later), (1, 2));
    assert_eq!(counts(&f.store), [(f.account, 4)]);

    let batch = AccountSyncBatch {
        run: Some(kura_core::model::SyncRunId(999)),
        transactions: &[line(day(11, 23), 1, None, "a", None)],
        balance: None,
        synced_through: None,
        fetched_at: now(),
    };
    assert!(f.store.apply_account_sync(f.account, &batch).is_err());
    assert_eq!(counts(&f.store), [(f.account, 4)], "a failed batch counts nothing");

    // Relinked through another link: the same account, its count kept.
    let other_link = f.store.add_link(&testing::new_link("2012", "sandbox"), now()).unwrap();
    let other = f.store.upsert_account(other_link, &remote_account("01", "7654321"), now()).unwrap();
    apply(&mut f.store, other, &[line(day(11, 21), -2_000, None, "ｶｰﾄﾞ", None)]);
    f.store.delete_link(f.link).unwrap();
    let (relink, again) = testing::link_with_account(&mut f.store, "sandbox", now());
    assert_eq!(again, f.account);
    assert_eq!(counts(&f.store), [(f.account, 4), (other, 1)]);

    f.store.purge_link(relink).unwrap();
    assert_eq!(counts(&f.store), [(other, 1)]);
    // Synced afresh after the purge, the account starts from nothing.
    let (_, fresh) = testing::link_with_account(&mut f.store, "sandbox", now());
    apply(&mut f.store, fresh, &window);
    assert_eq!(counts(&f.store), [(fresh, 3), (other, 1)]);
}

#[test]
fn dedupes_by_item_key() {
    let mut f = fixture();
    let a = line(day(11, 20), -10_000, Some(90_000), "ATM", Some("k1"));
    let b = line(day(11, 20), -10_000, Some(80_000), "ATM", Some("k2"));
    assert_eq!(apply(&mut f.store, f.account, &[a.clone(), b.clone()]), (2, 0));
    // The bank re-sends k1 with corrected remarks: still the same line.
    let corrected = Transaction { remarks: "ATM ｼﾊﾗｲ".into(), ..a };
    let c = line(day(11, 21), 1_000, Some(81_000), "ﾘｿｸ", Some("k3"));
    assert_eq!(apply(&mut f.store, f.account, &[corrected, b, c]), (1, 2));
    assert_eq!(all_rows(&f.store, &TxFilter::default()).len(), 3);
}

#[test]
fn a_failing_batch_leaves_nothing() {
    let mut f = fixture();
    let batch = AccountSyncBatch {
        run: None,
        transactions: &[line(day(11, 20), 1, None, "a", None)],
        balance: Some(BalanceReading { balance: 1, withdrawable: 1, as_of: AsOf { date: day(11, 20), at: now() } }),
        synced_through: Some(day(11, 20)),
        fetched_at: now(),
    };
    // Make the last statement of the batch fail, after its lines were inserted.
    let other = rusqlite::Connection::open(f.store.path()).unwrap();
    other
        .execute_batch(
            "CREATE TRIGGER fail_snapshot BEFORE INSERT ON balance_snapshots BEGIN SELECT RAISE(ABORT, 'boom'); END;",
        )
        .unwrap();
    assert!(f.store.apply_account_sync(f.account, &batch).is_err());
    assert!(all_rows(&f.store, &TxFilter::default()).is_empty());
    let state = f.store.account_state(f.account).unwrap();
    assert_eq!(state.synced_through, None);
    other.execute_batch("DROP TRIGGER fail_snapshot;").unwrap();
    // A run id that does not exist violates a foreign key: nothing is stored either.
    let bad = AccountSyncBatch { run: Some(kura_core::model::SyncRunId(999)), ..batch };
    assert!(f.store.apply_account_sync(f.account, &bad).is_err());
    assert_eq!(f.store.account_summaries(now()).unwrap()[0].balance, None);
    assert!(matches!(
        f.store.apply_account_sync(AccountId(4242), &batch),
        Err(StoreError::UnknownAccount(AccountId(4242)))
    ));
    f.store.apply_account_sync(f.account, &batch).unwrap();
    assert_eq!(f.store.account_state(f.account).unwrap().synced_through, Some(day(11, 20)));
}

#[test]
fn synced_through_only_moves_forward_and_counts_feed_reconciliation() {
    let mut f = fixture();
    let reading =
        |balance| BalanceReading { balance, withdrawable: balance, as_of: AsOf { date: day(11, 24), at: now() } };
    let first = AccountSyncBatch {
        run: None,
        transactions: &[line(day(11, 20), 1_000, Some(1_000), "a", None)],
        balance: Some(reading(1_000)),
        synced_through: Some(day(11, 23)),
        fetched_at: now(),
    };
    let c = f.store.apply_account_sync(f.account, &first).unwrap();
    assert_eq!((c.inserted, c.inserted_sum, c.previous_balance), (1, 1_000, None));
    let second = AccountSyncBatch {
        transactions: &[line(day(11, 24), -400, Some(600), "b", None)],
        balance: Some(reading(600)),
        synced_through: Some(day(11, 10)),
        ..first
    };
    let c = f.store.apply_account_sync(f.account, &second).unwrap();
    assert_eq!((c.inserted, c.inserted_sum, c.previous_balance), (1, -400, Some(1_000)));
    assert_eq!(f.store.account_state(f.account).unwrap().synced_through, Some(day(11, 23)));

    f.store.set_reconcile(f.account, ReconcileStatus::Mismatch, Some("¥100 unexplained")).unwrap();
    let s = &f.store.account_summaries(now()).unwrap()[0];
    assert_eq!(s.reconcile_status, ReconcileStatus::Mismatch);
    assert_eq!(s.reconcile_detail.as_deref(), Some("¥100 unexplained"));
}

#[test]
fn relinking_keeps_history_and_status_changes_keep_data() {
    let mut f = fixture();
    apply(&mut f.store, f.account, &[line(day(11, 20), 1_000, None, "a", None)]);
    f.store.set_link_status(f.link, LinkStatus::ReauthRequired, Some("consent expired"), now()).unwrap();
    let s = &f.store.account_summaries(now()).unwrap()[0];
    assert_eq!(s.link_status, Some(LinkStatus::ReauthRequired));
    assert_eq!(s.transaction_count, 1);

    f.store.delete_link(f.link).unwrap();
    let s = &f.store.account_summaries(now()).unwrap()[0];
    assert_eq!((s.link_id, s.link_status, s.transaction_count), (None, None, 1));

    let new_link = f
        .store
        .add_link(
            &NewLink {
                scope: "balance".into(),
                consent_expires_at: Some(now() + Duration::days(90)),
                ..testing::new_link("2011", "sandbox")
            },
            now(),
        )
        .unwrap();
    assert_ne!(new_link, f.link);
    let again = f.store.upsert_account(new_link, &remote_account("01", "1234567"), now()).unwrap();
    assert_eq!(again, f.account, "the same account keeps its id and history");
    assert_eq!(f.store.accounts_of_link(new_link).unwrap()[0].id, f.account);
    let link = f.store.link(new_link).unwrap();
    assert_eq!((link.status, link.scope.as_str()), (LinkStatus::Active, "balance"));
    assert_eq!(all_rows(&f.store, &TxFilter::default()).len(), 1);
    assert!(matches!(f.store.link(f.link), Err(StoreError::UnknownLink(_))));
}

#[test]
fn search_matches_across_widths_and_kana_and_short_words() {
    let mut f = fixture();
    apply(
        &mut f.store,
        f.account,
        &[
            line(day(11, 1), -5_000, None, "ｶｰﾄﾞ ｼﾖｳ ｺﾝﾋﾞﾆ", None),
            line(day(11, 2), -3_000, None, "カード利用 スーパー", None),
            line(day(11, 3), 250_000, None, "ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ", None),
            line(day(11, 4), -10_000, None, "ATM ｼﾊﾗｲ", None),
        ],
    );
    let search = |q: &str| {
        let rows = all_rows(&f.store, &TxFilter { search: Some(q.into()), ..TxFilter::default() });
        rows.into_iter().map(|r| r.remarks.clone()).collect::<Vec<_>>()
    };
    assert_eq!(search("ｶｰﾄﾞ"), ["カード利用 スーパー", "ｶｰﾄﾞ ｼﾖｳ ｺﾝﾋﾞﾆ"]);
    assert_eq!(search("カード").len(), 2);
    assert_eq!(search("かーど").len(), 2);
    assert_eq!(search("ａｔｍ"), ["ATM ｼﾊﾗｲ"]);
    assert_eq!(search("ｷﾕ"), ["ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ"], "two characters fall back to a scan");
    assert_eq!(search("ｺ"), ["ｶｰﾄﾞ ｼﾖｳ ｺﾝﾋﾞﾆ"]);
    assert_eq!(search("かーど こんびに"), ["ｶｰﾄﾞ ｼﾖｳ ｺﾝﾋﾞﾆ"], "all words must match");
    assert!(search("\"unbalanced AND (").is_empty(), "query syntax is not interpreted");
    assert_eq!(search("   ").len(), 4);
}

/// Common, rare and multi-word searches page through every match newest first, whatever the
/// page size.
#[test]
fn search_pages_walk_every_match_newest_first() {
    let mut f = fixture();
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    // 30,000 lines, ten a day: every 10th is a card payment, and only the 25 oldest 定期 lines
    // say ﾃｲｷ.
    let lines: Vec<Transaction> = (0..30_000i64)
        .map(|i| {
            let remarks = match i {
                _ if i % 10 == 0 => "ｶｰﾄﾞ ﾗｸﾃﾝｶｰﾄﾞ",
                _ if i < 250 && i % 10 == 1 => "ﾃｲｷ ﾏﾝｷ",
                _ => "ATM ｼﾊﾗｲ",
            };
            line(start + chrono::Duration::days(i / 10), -1_000 - i, None, remarks, Some(&format!("k{i:05}")))
        })
        .collect();
    apply(&mut f.store, f.account, &lines);
    let pages = |q: &str, size: usize| {
        let filter = TxFilter { search: Some(q.into()), ..TxFilter::default() };
        let (mut seen, mut after) = (Vec::new(), None);
        loop {
            let page = f.store.transactions(&filter, after, size).unwrap();
            seen.extend(page.rows.into_iter().map(|r| r.amount));
            match page.next_cursor {
                Some(c) => after = Some(c),
                None => return seen,
            }
        }
    };
    // Newest first: amounts grow more negative with i, so newest = most negative.
    let expected = |pred: &dyn Fn(i64) -> bool| -> Vec<i64> {
        (0..30_000i64).rev().filter(|i| pred(*i)).map(|i| -1_000 - i).collect()
    };
    assert_eq!(pages("ｶｰﾄﾞ", 200), expected(&|i| i % 10 == 0), "common word");
    assert_eq!(pages("ていき", 10), expected(&|i| i < 250 && i % 10 == 1), "rare old word");
    assert_eq!(pages("ﾃｲｷ ﾏﾝｷ", 7), expected(&|i| i < 250 && i % 10 == 1), "all words");
    assert!(pages("ｿﾝｻﾞｲｼﾅｲ", 50).is_empty());
}

/// Every page of `filter`, `size` rows at a time: (date, id, amount) of each row.
fn pages(store: &Store, filter: &TxFilter, size: usize) -> Vec<(NaiveDate, i64, i64)> {
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let page = store.transactions(filter, after, size).unwrap();
        rows.extend(page.rows.iter().map(|r| (r.transaction_date, r.id, r.amount)));
        match page.next_cursor {
            Some(c) => after = Some(c),
            None => return rows,
        }
    }
}

/// Late postings and a second account's older history get higher ids than newer rows: a search
/// still pages by date, then id, exactly like the unfiltered history, and honours the other
/// filters and deletions.
#[test]
fn search_follows_the_date_order_when_ids_do_not() {
    let mut f = fixture();
    let other = f.store.upsert_account(f.link, &remote_account("02", "7654321"), now()).unwrap();
    let card = |d: u32, amount: i64| line(day(11, d), amount, None, "ｶｰﾄﾞ ｼﾖｳ", None);
    apply(&mut f.store, f.account, &[card(20, -1), card(21, -2), line(day(11, 21), 5, None, "ﾌﾘｺﾐ", None)]);
    // A late posting dated before the rows above, and an older account's whole history.
    apply(&mut f.store, f.account, &[card(19, -3), card(21, 4)]);
    apply(&mut f.store, other, &[card(10, -5), card(22, -6), card(20, 7)]);

    let search = TxFilter { search: Some("かーど".into()), ..TxFilter::default() };
    let history: Vec<_> = pages(&f.store, &TxFilter::default(), 100).into_iter().filter(|r| r.2 != 5).collect();
    assert_eq!(history.iter().map(|r| r.2).collect::<Vec<_>>(), [-6, 4, -2, 7, -1, -3, -5]);
    for size in [1, 2, 3, 100] {
        assert_eq!(pages(&f.store, &search, size), history, "page size {size}");
    }
    let bounded =
        TxFilter { from: Some(day(11, 19)), to: Some(day(11, 21)), direction: Some(Direction::Out), ..search.clone() };
    assert_eq!(pages(&f.store, &bounded, 2).iter().map(|r| r.2).collect::<Vec<_>>(), [-2, -1, -3]);
    let one = TxFilter { accounts: vec![other], ..search.clone() };
    assert_eq!(pages(&f.store, &one, 1).iter().map(|r| r.2).collect::<Vec<_>>(), [-6, 7, -5]);
    assert_eq!(f.store.monthly_totals(&search).unwrap().iter().map(|m| m.count).sum::<i64>(), 7);

    // A purged account's rows leave the index with it.
    let second = f.store.add_link(&testing::new_link("2012", "sandbox"), now()).unwrap();
    let moved = f.store.upsert_account(second, &remote_account("01", "1111111"), now()).unwrap();
    apply(&mut f.store, moved, &[card(23, -8)]);
    assert_eq!(pages(&f.store, &search, 100).len(), 8);
    f.store.purge_link(second).unwrap();
    assert_eq!(pages(&f.store, &search, 100), history);
}

/// A database written by schema 1 (the trigram index keyed by row id) is migrated in place:
/// its history stays, and searches and new rows work as on a fresh one.
#[test]
fn a_schema_1_database_is_migrated_and_stays_searchable() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("kura.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../src/store/migrations/001_initial.sql")).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO links (bank_code, profile, created_at, updated_at)
                 VALUES ('2011', 'sandbox', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00');
             INSERT INTO accounts (link_id, remote_account_id, bank_code, branch_code, branch_name,
                 account_type_code, account_type_name, account_number, account_name_kana, currency, created_at)
                 VALUES (1, '2011-001-1-1234567', '2011', '001', '本店営業部', '01', '普通', '1234567', '', 'JPY',
                     '2026-01-01 00:00:00+00:00');
             INSERT INTO transactions (account_id, fingerprint, occurrence, transaction_date, amount, remarks,
                 remarks_folded, first_seen_at)
                 VALUES (1, 1, 1, '2026-11-02', -100, 'ｶｰﾄﾞ', 'かーど', '2026-11-02 00:00:00+00:00'),
                        (1, 2, 1, '2026-11-01', -200, 'ｶｰﾄﾞ', 'かーど', '2026-11-02 00:00:00+00:00'),
                        (1, 3, 1, '2026-11-03', 300, 'ﾌﾘｺﾐ', 'ふりこみ', '2026-11-03 00:00:00+00:00');",
        )
        .unwrap();
    }
    let mut store = Store::open_file(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 9);
    assert!(store.integrity_check().unwrap().is_empty());
    assert_eq!(counts(&store), [(AccountId(1), 3)], "the migration counts the rows already stored");
    let search = TxFilter { search: Some("ｶｰﾄﾞ".into()), ..TxFilter::default() };
    let amounts = |store: &Store| all_rows(store, &search).into_iter().map(|r| r.amount).collect::<Vec<_>>();
    assert_eq!(amounts(&store), [-100, -200]);
    apply(&mut store, AccountId(1), &[line(day(11, 4), -400, None, "カード", None)]);
    assert_eq!(amounts(&store), [-400, -100, -200]);
    assert_eq!(counts(&store), [(AccountId(1), 4)]);
}

#[test]
fn purging_a_link_deletes_its_accounts_and_history_only() {
    let mut f = fixture();
    let run = f.store.begin_sync_run(f.link, Some(f.account), now()).unwrap();
    apply(&mut f.store, f.account, &[line(day(11, 20), -1_000, Some(9_000), "ｶｰﾄﾞ", None)]);
    f.store.record_gap(f.account, day(8, 1), day(8, 10), now()).unwrap();
    let kept_link = f.store.add_link(&testing::new_link("2012", "sandbox"), now()).unwrap();
    let kept = f.store.upsert_account(kept_link, &remote_account("01", "7654321"), now()).unwrap();
    apply(&mut f.store, kept, &[line(day(11, 21), -2_000, None, "ｶｰﾄﾞ", None)]);

    assert!(matches!(f.store.purge_link(LinkId(999)), Err(StoreError::UnknownLink(LinkId(999)))));
    assert_eq!(all_rows(&f.store, &TxFilter::default()).len(), 2, "an unknown link purges nothing");

    f.store.purge_link(f.link).unwrap();
    assert!(matches!(f.store.link(f.link), Err(StoreError::UnknownLink(_))));
    assert!(matches!(f.store.account_state(f.account), Err(StoreError::UnknownAccount(_))));
    let rows = all_rows(&f.store, &TxFilter { search: Some("かーど".into()), ..TxFilter::default() });
    assert_eq!(rows.iter().map(|r| (r.account_id, r.amount)).collect::<Vec<_>>(), [(kept, -2_000)]);
    assert_eq!(f.store.account_summaries(now()).unwrap().len(), 1);
    // The log keeps the run, detached from the link that is gone.
    assert!(f.store.sync_runs(None, None, 10).unwrap().iter().any(|r| r.id == run));
    assert!(f.store.integrity_check().unwrap().is_empty());
}

#[test]
fn keyset_paging_is_stable_and_filters_combine() {
    let mut f = fixture();
    let other = f.store.upsert_account(f.link, &remote_account("01", "7654321"), now()).unwrap();
    let mut lines = Vec::new();
    for i in 0..50i64 {
        let d = day(10, 1) + Duration::days(i / 3);
        let amount = if i % 2 == 0 { 1_000 * (i + 1) } else { -(100 * (i + 1)) };
        lines.push(line(d, amount, Some(i), &format!("line {i}"), Some(&format!("k{i}"))));
    }
    apply(&mut f.store, f.account, &lines);
    apply(&mut f.store, other, &[line(day(10, 5), 7, None, "other", None)]);

    let mut seen = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let filter = TxFilter { accounts: vec![f.account], ..TxFilter::default() };
    loop {
        let page = f.store.transactions(&filter, cursor, 7).unwrap();
        assert!(page.rows.len() <= 7);
        seen.extend(page.rows.iter().map(|r| (r.transaction_date, r.id)));
        // Rows arriving between pages (a sync) do not shift later pages.
        apply(&mut f.store, f.account, &[line(day(12, 1), 1, None, &format!("new {}", seen.len()), None)]);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 50, "every original row exactly once");
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first");

    let rows = |filter: TxFilter| all_rows(&f.store, &filter);
    let base = TxFilter { accounts: vec![f.account], to: Some(day(11, 30)), ..TxFilter::default() };
    assert_eq!(rows(base.clone()).len(), 50);
    assert!(rows(TxFilter { direction: Some(Direction::In), ..base.clone() }).iter().all(|r| r.amount > 0));
    assert_eq!(rows(TxFilter { direction: Some(Direction::Out), ..base.clone() }).len(), 25);
    let window = rows(TxFilter { from: Some(day(10, 2)), to: Some(day(10, 3)), ..base.clone() });
    assert_eq!(window.len(), 6);
    let range = rows(TxFilter { min_amount: Some(1_000), max_amount: Some(3_000), ..base.clone() });
    let expected = lines.iter().filter(|l| (1_000..=3_000).contains(&l.amount.abs())).count();
    assert_eq!(range.len(), expected);
    assert!(range.iter().all(|r| (1_000..=3_000).contains(&r.amount.abs())));
    assert_eq!(rows(TxFilter::default()).len(), 50 + 8 + 1, "all visible accounts");
    f.store.set_account_hidden(other, true).unwrap();
    assert!(all_rows(&f.store, &TxFilter::default()).iter().all(|r| r.account_id == f.account));
    assert_eq!(all_rows(&f.store, &TxFilter { accounts: vec![other], ..TxFilter::default() }).len(), 1);
}

#[test]
fn monthly_totals_and_balance_series() {
    let mut f = fixture();
    apply(
        &mut f.store,
        f.account,
        &[
            line(day(10, 30), 100_000, Some(100_000), "salary", None),
            line(day(10, 31), -30_000, Some(70_000), "rent", None),
            line(day(11, 2), -5_000, Some(65_000), "a", None),
            line(day(11, 2), -1_000, Some(64_000), "b", None),
            line(day(11, 5), 2_000, Some(66_000), "c", None),
        ],
    );
    let totals = f.store.monthly_totals(&TxFilter::default()).unwrap();
    assert_eq!(totals.len(), 2);
    assert_eq!(
        (totals[0].month.as_str(), totals[0].income, totals[0].expense, totals[0].net),
        ("2026-10", 100_000, 30_000, 70_000)
    );
    assert_eq!((totals[1].income, totals[1].expense, totals[1].count), (2_000, 6_000, 3));

    // A snapshot on a day without transactions fills that day.
    let batch = AccountSyncBatch {
        run: None,
        transactions: &[],
        balance: Some(BalanceReading {
            balance: 66_500,
            withdrawable: 66_500,
            as_of: AsOf { date: day(11, 7), at: now() },
        }),
        synced_through: None,
        fetched_at: now(),
    };
    f.store.apply_account_sync(f.account, &batch).unwrap();
    let series = f.store.balance_series(f.account, Some(day(10, 31)), Some(day(11, 8))).unwrap();
    let p = |m, d, balance| BalancePoint { date: day(m, d), balance };
    assert_eq!(
        series,
        [
            p(10, 31, 70_000),
            p(11, 1, 70_000),
            p(11, 2, 64_000),
            p(11, 3, 64_000),
            p(11, 4, 64_000),
            p(11, 5, 66_000),
            p(11, 6, 66_000),
            p(11, 7, 66_500),
            p(11, 8, 66_500)
        ]
    );
    assert_eq!(f.store.balance_series(f.account, None, None).unwrap().len(), 9);
    assert!(f.store.balance_series(AccountId(999), None, None).unwrap().is_empty());
}

#[test]
fn sync_runs_keep_errors_and_raw_bodies() {
    let mut f = fixture();
    let ok = f.store.begin_sync_run(f.link, None, now()).unwrap();
    f.store
        .finish_sync_run(ok, &RunOutcome { status: SyncRunStatus::Ok, new_transactions: 3, failure: None }, now())
        .unwrap();
    let later = now() + Duration::minutes(5);
    let failed = f.store.begin_sync_run(f.link, Some(f.account), later).unwrap();
    let body = br#"{"errorCode":"INTERNAL_ERROR","errorMessage":"..."}"#;
    let failure = RunFailure {
        kind: "server",
        message: "the bank answered 500",
        http_status: Some(500),
        response_body: Some(body),
    };
    f.store
        .finish_sync_run(
            failed,
            &RunOutcome { status: SyncRunStatus::Failed, new_transactions: 0, failure: Some(failure) },
            later,
        )
        .unwrap();

    let runs = f.store.sync_runs(None, None, 10).unwrap();
    assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [failed, ok]);
    assert_eq!(runs[0].status, SyncRunStatus::Failed);
    assert_eq!(runs[0].http_status, Some(500));
    assert_eq!(runs[0].response_body_len, Some(body.len() as i64));
    assert_eq!(runs[0].bank_code.as_deref(), Some("2011"));
    assert_eq!((runs[1].new_transactions, runs[1].response_body_len), (3, None));
    assert_eq!(f.store.sync_run_body(failed).unwrap().as_deref(), Some(&body[..]));
    assert_eq!(f.store.sync_run_body(ok).unwrap(), None);
    assert_eq!(f.store.sync_runs(Some(f.link), Some(failed), 10).unwrap().len(), 1);
    let link = f.store.link(f.link).unwrap();
    assert_eq!(link.last_sync_at, Some(now()), "a failure does not move the last good sync");
    assert_eq!(link.last_error.as_deref(), Some("the bank answered 500"));
}

#[test]
fn gaps_are_recorded_once_and_shown_with_the_account() {
    let mut f = fixture();
    assert!(f.store.record_gap(f.account, day(6, 1), day(6, 30), now()).unwrap());
    assert!(!f.store.record_gap(f.account, day(6, 1), day(6, 30), now()).unwrap());
    assert!(f.store.record_gap(f.account, day(3, 1), day(3, 2), now()).unwrap());
    let gaps = f.store.gaps(f.account).unwrap();
    assert_eq!(
        gaps.iter().map(|g| (g.date_from, g.date_to)).collect::<Vec<_>>(),
        [(day(3, 1), day(3, 2)), (day(6, 1), day(6, 30))]
    );
    let s = &f.store.account_summaries(now()).unwrap()[0];
    assert_eq!(s.gaps, gaps);
    assert_eq!(s.staleness, Staleness::NeverSynced);
    assert!(matches!(
        f.store.record_gap(AccountId(77), day(1, 1), day(1, 2), now()),
        Err(StoreError::UnknownAccount(_))
    ));
}

#[test]
fn account_summary_has_latest_balance_and_names() {
    let mut f = fixture();
    for (hour, balance) in [(1, 100), (3, 300), (2, 200)] {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, hour, 0, 0).unwrap();
        let batch = AccountSyncBatch {
            run: None,
            transactions: &[],
            balance: Some(BalanceReading { balance, withdrawable: balance - 1, as_of: AsOf { date: day(11, 24), at } }),
            synced_through: Some(day(11, 23)),
            fetched_at: at,
        };
        f.store.apply_account_sync(f.account, &batch).unwrap();
    }
    let s = &f.store.account_summaries(now() + Duration::hours(3)).unwrap()[0];
    assert_eq!((s.balance, s.withdrawable), (Some(300), Some(299)));
    assert_eq!(s.bank_name.as_deref(), Some("北央信用組合"));
    assert_eq!(s.staleness, Staleness::Fresh);
    assert_eq!(s.link_status, Some(LinkStatus::Active));
    let json = serde_json::to_value(s).unwrap();
    assert_eq!(json["accountTypeName"], "普通");
    assert_eq!(json["asOf"]["date"], "2026-11-24");
    assert!(f.store.integrity_check().unwrap().is_empty());
}

/// A schema 5 book (triggers feed the search index and the monthly totals per row, the
/// fingerprint index without the date) holding history, identical lines and the person's own
/// edits is upgraded to schema 6: everything kept, searchable and counted, and a sync that
/// reads the same window again adds nothing but what is new.
#[test]
fn a_schema_5_book_with_edits_is_upgraded_to_batch_maintained_indexes() {
    let Fixture { _dir, mut store, account, .. } = fixture();
    let path = store.path().to_owned();
    let atm = line(day(11, 20), -10_000, None, "ATM ｼﾊﾗｲ", None);
    let history = [
        atm.clone(),
        atm.clone(),
        line(day(11, 21), -3_000, Some(87_000), "ｶｰﾄﾞ ｾﾌﾞﾝ", Some("k2")),
        line(day(11, 25), 250_000, Some(337_000), "ｷﾕｳﾖ ｸﾗｼﾖｳｼﾞ", Some("k3")),
    ];
    assert_eq!(apply(&mut store, account, &history), (4, 0));
    let card: i64 = all_rows(&store, &TxFilter { search: Some("ｶｰﾄﾞ".into()), ..Default::default() })[0].id;
    let mine = store
        .categories()
        .unwrap()
        .categories
        .iter()
        .find(|c| c.builtin.as_deref() == Some("social.gifts"))
        .unwrap()
        .id;
    let edit =
        kura_core::store::LineEdit { category: Some(Some(mine)), memo: Some(Some("お土産".into())), transfer: None };
    store.edit_line(card, &edit).unwrap();
    drop(store);
    {
        // Back to schema 5 as it was, then a line stored the way schema 5 stored it (the triggers).
        let conn = rusqlite::Connection::open(&path).unwrap();
        undo_schema_8(&conn);
        undo_schema_7(&conn);
        conn.execute_batch(
            "DROP INDEX transactions_fingerprint;
             CREATE UNIQUE INDEX transactions_fingerprint ON transactions (account_id, fingerprint, occurrence);
             CREATE TRIGGER transactions_fts_insert AFTER INSERT ON transactions BEGIN
                 INSERT INTO transactions_fts (rowid, remarks_folded)
                 VALUES (unixepoch(new.transaction_date) / 86400 * 1099511627776 + new.id, new.remarks_folded);
             END;
             CREATE TRIGGER category_months_insert AFTER INSERT ON transactions BEGIN
                 INSERT INTO category_months (month, account_id, category_id, transfer, inflow, outflow, lines_in, lines_out)
                 VALUES (substr(new.transaction_date, 1, 7), new.account_id, ifnull(new.category_id, 0), new.transfer,
                         max(new.amount, 0), min(new.amount, 0), new.amount > 0, new.amount <= 0)
                 ON CONFLICT DO UPDATE SET inflow = inflow + excluded.inflow, outflow = outflow + excluded.outflow,
                                           lines_in = lines_in + excluded.lines_in, lines_out = lines_out + excluded.lines_out;
             END;
             UPDATE accounts SET transaction_count = transaction_count + 1;
             PRAGMA user_version = 5;",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO transactions (account_id, item_key, fingerprint, occurrence, transaction_date, amount, remarks,
                 remarks_folded, first_seen_at)
             VALUES (1, 'k5', 5, 1, '2026-11-26', -500, ?1, ?2, '2026-11-26 00:00:00+00:00')",
            ["ﾌﾙﾎﾝﾔ ｸﾗ", &kura_core::text::fold("ﾌﾙﾎﾝﾔ ｸﾗ")],
        )
        .unwrap();
    }

    let mut store = Store::open_file(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 9);
    assert!(store.integrity_check().unwrap().is_empty());
    testing::assert_books_consistent(&store);
    let search =
        |store: &Store, word: &str| all_rows(store, &TxFilter { search: Some(word.into()), ..Default::default() });
    assert_eq!(all_rows(&store, &TxFilter::default()).len(), 5);
    assert_eq!(search(&store, "フルホンヤ").len(), 1, "a line schema 5 indexed by trigger is found");
    let kept = &search(&store, "カード")[0];
    assert_eq!((kept.id, kept.books.category_id, kept.books.memo.as_deref()), (card, Some(mine), Some("お土産")));

    // The same window read again: the identical withdrawals still tell apart, nothing doubles.
    let newer = line(day(11, 27), -800, Some(336_200), "ｶｰﾄﾞ ﾛｰｿﾝ", Some("k6"));
    let again: Vec<Transaction> = history.iter().cloned().chain([newer]).collect();
    assert_eq!(apply(&mut store, account, &again), (1, 4));
    assert_eq!(search(&store, "カード").len(), 2);
    let kept = search(&store, "セブン");
    assert_eq!((kept[0].books.category_id, kept[0].books.memo.as_deref()), (Some(mine), Some("お土産")));
    let index: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT sql FROM sqlite_master WHERE name = 'transactions_fingerprint'", [], |r| r.get(0))
        .unwrap();
    assert!(index.contains("transaction_date, fingerprint, occurrence"), "{index}");
    testing::assert_books_consistent(&store);
}

/// Takes a store back from schema 8 (or 9) to 7: no sharing state, no shared identities.
fn undo_schema_8(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "DROP TABLE field_clocks; DROP TABLE share_state; DROP TABLE share_peers; DROP TABLE share_applied;
         DROP TABLE share_events;
         DROP INDEX members_uid; ALTER TABLE members DROP COLUMN uid;
         DROP INDEX categories_uid; ALTER TABLE categories DROP COLUMN uid;
         DROP INDEX links_share_key; ALTER TABLE links DROP COLUMN polled_by; ALTER TABLE links DROP COLUMN share_key;
         PRAGMA user_version = 7;",
    )
    .unwrap();
}

/// Takes a store back from schema 7 to 6: links unique per (profile, union) again, without
/// members (on a connection with foreign keys off, as SQLite's rebuild procedure needs).
fn undo_schema_7(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         CREATE TABLE links_old (
             id                 INTEGER PRIMARY KEY AUTOINCREMENT,
             bank_code          TEXT NOT NULL,
             profile            TEXT NOT NULL,
             status             TEXT NOT NULL DEFAULT 'active'
                                CHECK (status IN ('active', 'reauth_required', 'revoked')),
             scope              TEXT NOT NULL DEFAULT '',
             consent_expires_at TEXT,
             created_at         TEXT NOT NULL,
             updated_at         TEXT NOT NULL,
             last_sync_at       TEXT,
             last_error         TEXT,
             UNIQUE (profile, bank_code)
         ) STRICT;
         INSERT INTO sqlite_sequence (name, seq) SELECT 'links_old', seq FROM sqlite_sequence WHERE name = 'links';
         INSERT INTO links_old SELECT id, bank_code, profile, status, scope, consent_expires_at, created_at, updated_at,
                                      last_sync_at, last_error FROM links;
         DROP TABLE links;
         ALTER TABLE links_old RENAME TO links;
         DROP TABLE members;
         PRAGMA user_version = 6;",
    )
    .unwrap();
}

/// Schema 6 → 7: the household's first member gets every link; links, accounts and sync runs
/// keep their ids and references (the links table is rebuilt), and a new link still never takes
/// the id of a deleted one.
#[test]
fn a_schema_6_store_is_upgraded_to_members_keeping_every_link_and_reference() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("kura.sqlite3");
    let mut store = Store::open_file(&path).unwrap();
    let now = now();
    let gone = store.add_link(&testing::new_link("2011", "sandbox"), now).unwrap();
    let kept = store.add_link(&testing::new_link("2011", "other"), now).unwrap();
    let account = store.upsert_account(kept, &remote_account("01", "1234567"), now).unwrap();
    let run = store.begin_sync_run(kept, None, now).unwrap();
    store
        .finish_sync_run(run, &RunOutcome { status: SyncRunStatus::Ok, new_transactions: 3, failure: None }, now)
        .unwrap();
    apply(&mut store, account, &[line(day(11, 20), -1_000, None, "ｶｰﾄﾞ", Some("k1"))]);
    store.purge_link(gone).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    undo_schema_8(&conn);
    undo_schema_7(&conn);
    drop(conn);

    let mut store = Store::open_file(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 9);
    assert!(store.integrity_check().unwrap().is_empty());
    let members = store.members().unwrap();
    assert_eq!(members.len(), 1);
    let links = store.links().unwrap();
    assert_eq!(links.iter().map(|l| (l.id, l.member_id)).collect::<Vec<_>>(), [(kept, members[0].id)]);
    assert_eq!(store.accounts_of_link(kept).unwrap()[0].id, account, "the account still points at its link");
    let runs: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM sync_runs WHERE link_id = ?1", [kept.0], |r| r.get(0))
        .unwrap();
    assert_eq!(runs, 1, "the sync log still points at its link");
    assert_eq!(all_rows(&store, &TxFilter::default()).len(), 1);
    let fresh = store.add_link(&testing::new_link("2011", "sandbox"), now).unwrap();
    assert!(fresh.0 > gone.0 && fresh.0 > kept.0, "a new link takes no deleted link's id: {fresh:?}");
    // Two people at one union: no longer refused.
    let hanako = store.add_member("花子", None, now).unwrap();
    let second = store.add_link(&NewLink { member: hanako.id, ..testing::new_link("2011", "sandbox") }, now).unwrap();
    assert_eq!(store.link(second).unwrap().member_id, hanako.id);
}
