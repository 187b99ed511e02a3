//! The books' benchmarks (results in docs/PERFORMANCE.md), over 1,000,000 lines of a busy
//! account (`testing::busy_history`), in release mode. Each figure is the median of `RUNS`
//! runs on a fresh database (criterion's ten samples of a minute each would take an hour):
//!
//! - a first sync's write (`Store::apply_account_sync`) without the books (their index and
//!   rules taken out), with the books and no rules, and with the books and 200 rules;
//! - applying 200 rules to 1,000,000 stored, uncategorised lines (and its preview);
//! - a year of monthly totals by category and one month's report (what the 家計簿 screen asks).
//!
//! `KURA_BENCH_LINES` changes the number of lines, `KURA_BENCH_RUNS` the runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kura_core::books::report::{self, YearMonth};
use kura_core::books::{MatchKind, RuleSpec};
use kura_core::i18n::Language;
use kura_core::model::{AccountId, Transaction};
use kura_core::query::Direction;
use kura_core::store::{ApplyScope, Store};
use kura_core::testing;
use tempfile::TempDir;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn new_store(dir: &TempDir) -> (Store, AccountId) {
    let mut store = Store::open(Some(dir.path())).unwrap();
    let (_, account) =
        testing::link_with_account(&mut store, "bench", Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    (store, account)
}

/// Takes the books out of a fresh store's write path as far as the schema allows: no rules, no
/// category index (what a sync wrote before schema 4, but for the monthly totals: since schema 6
/// one grouped statement per batch adds them, in the store's code).
fn without_books(dir: &TempDir) {
    let conn = rusqlite::Connection::open(dir.path().join(kura_core::store::DB_FILE_NAME)).unwrap();
    conn.execute_batch("DELETE FROM rules; DROP INDEX transactions_category;").unwrap();
}

/// Switches every rule off (`on = false`) or on again.
fn rules_on(dir: &TempDir, on: bool) {
    let conn = rusqlite::Connection::open(dir.path().join(kura_core::store::DB_FILE_NAME)).unwrap();
    conn.execute("UPDATE rules SET enabled = ?1", [on]).unwrap();
}

/// The starter rules plus person-made ones up to 200: payees by name (contains), a few by
/// prefix, some regular expressions and amount ranges, as a household's book grows them.
fn add_rules_up_to_200(store: &mut Store) {
    let tree = store.categories().unwrap();
    let gifts = tree.categories.iter().find(|c| c.builtin.as_deref() == Some("social.gifts")).unwrap().id;
    let allowance = tree.categories.iter().find(|c| c.builtin.as_deref() == Some("other.allowance")).unwrap().id;
    let mut n = store.rules().unwrap().len();
    let mut k = 0;
    while n < 200 {
        let (match_kind, pattern, category) = match k % 4 {
            0 | 1 => (MatchKind::Contains, format!("ﾔﾏﾀﾞ ﾀﾛｳ{}", 100 + k), gifts),
            2 => (MatchKind::StartsWith, format!("ﾌﾘｺﾐ ｽｽﾞｷ{k}"), allowance),
            _ => (MatchKind::Regex, format!("^ﾌﾘｺﾐ ﾔﾏﾀﾞ ﾀﾛｳ{k}[0-9]$"), allowance),
        };
        let spec = RuleSpec {
            match_kind,
            pattern,
            direction: Some(Direction::Out),
            min_amount: (k % 5 == 0).then_some(1_000),
            max_amount: None,
            account_id: None,
            category_id: Some(category),
            memo: (k % 7 == 0).then(|| format!("メモ{k}")),
            transfer: false,
            enabled: true,
        };
        store.create_rule(&spec, None, Utc::now()).unwrap();
        n += 1;
        k += 1;
    }
    assert_eq!(store.rules().unwrap().len(), 200);
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn show(name: &str, runs: &[Duration]) {
    let mut sorted = runs.to_vec();
    sorted.sort();
    println!(
        "{name:<52} median {:>10.3?}  (min {:.3?}, max {:.3?}, {} runs)",
        median(runs.to_vec()),
        sorted[0],
        sorted[sorted.len() - 1],
        runs.len()
    );
}

/// Times one first sync's write of `data` into a fresh store prepared by `prepare`.
fn first_sync(data: &[Transaction], prepare: impl Fn(&TempDir, &mut Store)) -> Duration {
    let dir = TempDir::new().unwrap();
    let (mut store, account) = new_store(&dir);
    prepare(&dir, &mut store);
    let start = Instant::now();
    let counts = testing::store_lines(&mut store, account, data, Utc::now());
    let elapsed = start.elapsed();
    assert_eq!(counts.inserted as usize, data.len());
    elapsed
}

fn main() {
    // `cargo bench` passes `--bench`; this harness takes no arguments of its own.
    let lines = env_number("KURA_BENCH_LINES", 1_000_000);
    let runs = env_number("KURA_BENCH_RUNS", 3);
    let data = testing::busy_history(lines);
    println!("books benchmarks: {lines} lines, {runs} runs each");

    // Interleaved, so a change in the machine's load falls on all three alike.
    let (mut bare, mut no_rules, mut rules) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        bare.push(first_sync(&data, |dir, _| without_books(dir)));
        no_rules.push(first_sync(&data, |dir, _| rules_on(dir, false)));
        rules.push(first_sync(&data, |_, store| add_rules_up_to_200(store)));
    }
    show("first sync, without the books", &bare);
    show("first sync, books, no rules", &no_rules);
    show("first sync, books, 200 rules", &rules);
    let ratio = median(rules.clone()).as_secs_f64() / median(bare.clone()).as_secs_f64();
    println!("{:<52} {ratio:.3}x", "  200 rules against without the books");

    // Apply to existing: the history stored without rules, then 200 rules applied to it.
    let (mut preview, mut apply) = (Vec::new(), Vec::new());
    let mut changed = 0;
    for _ in 0..runs {
        let dir = TempDir::new().unwrap();
        let (mut store, account) = new_store(&dir);
        add_rules_up_to_200(&mut store);
        rules_on(&dir, false);
        testing::store_lines(&mut store, account, &data, Utc::now());
        rules_on(&dir, true);
        let start = Instant::now();
        let effect = store.preview_rules(ApplyScope::All).unwrap();
        preview.push(start.elapsed());
        let start = Instant::now();
        let done = store.apply_rules(ApplyScope::All).unwrap();
        apply.push(start.elapsed());
        assert_eq!(effect, done);
        changed = done.lines;
    }
    show(&format!("apply 200 rules to existing ({changed} lines change), preview"), &preview);
    show(&format!("apply 200 rules to existing ({changed} lines change)"), &apply);

    // The books' figures over the filed history.
    let dir = TempDir::new().unwrap();
    let (mut store, account) = new_store(&dir);
    add_rules_up_to_200(&mut store);
    testing::store_lines(&mut store, account, &data, Utc::now());
    let last = YearMonth { year: 2025, month: 12 };
    let mut first = last;
    for _ in 1..12 {
        first = first.prev();
    }
    let tree = store.categories().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2025, 12, 15).unwrap();
    let time = |f: &dyn Fn() -> usize| {
        (0..200)
            .map(|_| {
                let start = Instant::now();
                black_box(f());
                start.elapsed()
            })
            .collect::<Vec<_>>()
    };
    let year = time(&|| {
        let totals = store.category_months(first, last, &[]).unwrap();
        report::year_summary(&tree, first, last, &totals).len()
    });
    show("a year of monthly totals by category (booksYear)", &year);
    let month = time(&|| {
        let tree = store.categories().unwrap();
        let totals = store.category_months(last, last, &[]).unwrap();
        let budgets = store.budgets().unwrap();
        report::month_report(&tree, last, &totals, &budgets, today, Language::Ja, "未分類").spending_by_category.len()
    });
    show("one month's report by category (booksMonth)", &month);
}
