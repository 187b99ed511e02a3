//! The household's books over real syncs from the in-process sandbox into a real SQLite file:
//! the starter rules file the demo's lines as they arrive, transfers between own accounts are
//! paired and left out of totals, the person's edits survive every later sync and rule run,
//! rules apply to the stored history exactly as previewed, and bad input changes nothing.

mod sync_support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kura_core::books::report::YearMonth;
use kura_core::books::{BooksError, MatchKind, RuleSpec, RulesFile};
use kura_core::model::{CategoryId, LinkId};
use kura_core::query::Direction;
use kura_core::store::{ApplyScope, LineEdit, Store};
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_core::testing;
use kura_sandbox::Sandbox;
use rusqlite::Connection;
use sync_support::*;
use tempfile::TempDir;

/// A stored line: (id, remarks, amount, category, category_by, memo, transfer).
type Filed = (i64, String, i64, Option<i64>, Option<String>, Option<String>, bool);

struct Book {
    sandbox: Sandbox,
    engine: SyncEngine,
    store: Arc<Mutex<Store>>,
    links: Vec<(LinkId, SandboxTokens)>,
    db: std::path::PathBuf,
    _dir: TempDir,
}

/// `demo` linked at each of `unions` in one book, nothing synced yet.
async fn book(unions: &[&str]) -> Book {
    let sandbox = start().await;
    let dir = TempDir::new().unwrap();
    let (store, links) = demo_links(&sandbox, dir.path(), unions).await;
    let db = store.path().to_owned();
    let store = Arc::new(Mutex::new(store));
    let engine = SyncEngine::new(store.clone(), SyncOptions::default());
    Book { sandbox, engine, store, links, db, _dir: dir }
}

impl Book {
    async fn sync(&self) {
        sync_links(&self.engine, &self.sandbox, &self.links).await;
    }

    fn db(&self) -> Connection {
        Connection::open(&self.db).unwrap()
    }

    fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn category(&self, key: &str) -> CategoryId {
        let tree = self.store.lock().unwrap().categories().unwrap();
        tree.categories.iter().find(|c| c.builtin.as_deref() == Some(key)).unwrap().id
    }

    /// Every line, by id.
    fn filed(&self) -> Vec<Filed> {
        let db = self.db();
        let mut stmt = db
            .prepare(
                "SELECT id, remarks, amount, category_id, category_by, memo, transfer FROM transactions ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

#[tokio::test]
async fn the_starter_rules_file_most_of_the_demo_s_outgoing_lines_as_they_arrive() {
    let unions: Vec<String> = kura_core::institutions::all().iter().map(|i| i.code.clone()).collect();
    let unions: Vec<&str> = unions.iter().map(String::as_str).collect();
    assert_eq!(unions.len(), 95);
    let b = book(&unions).await;
    b.sync().await;
    let out = b.count("SELECT count(*) FROM transactions WHERE amount < 0");
    let filed = b.count("SELECT count(*) FROM transactions WHERE amount < 0 AND (category_id IS NOT NULL OR transfer)");
    let share = filed as f64 / out as f64;
    // What is left, most frequent first: the report of a failure says which rules are missing.
    let db = b.db();
    let mut stmt = db
        .prepare(
            "SELECT remarks, count(*) FROM transactions WHERE amount < 0 AND category_id IS NULL AND NOT transfer
             GROUP BY remarks ORDER BY 2 DESC LIMIT 25",
        )
        .unwrap();
    let left: Vec<(String, i64)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
    println!("filed {filed} of {out} outgoing lines ({:.1} %); left: {left:?}", share * 100.0);
    assert!(out > 3_000, "the demo has a real history ({out} lines out)");
    assert!(share >= 0.80, "the starter rules file {:.1} % of the outgoing lines; left: {left:?}", share * 100.0);
    // Every line the rules filed says so, and names the rule.
    assert_eq!(b.count("SELECT count(*) FROM transactions WHERE category_id IS NOT NULL AND (category_by IS NOT 'rule' OR rule_id IS NULL)"), 0);
    // Spot checks across the unions' dialects.
    let electricity = b.category("utilities.electricity");
    for remarks in ["ﾃﾞﾝｷﾘﾖｳｷﾝ", "ﾄｳｷﾖｳﾃﾞﾝﾘﾖｸ"] {
        let filed: Vec<Option<i64>> = b.filed().into_iter().filter(|l| l.1 == remarks).map(|l| l.3).collect();
        assert!(!filed.is_empty(), "{remarks} appears in the demo");
        assert!(filed.iter().all(|c| *c == Some(electricity.0)), "{remarks}: {filed:?}");
    }
}

#[tokio::test]
async fn transfers_between_own_accounts_are_paired_and_left_out_of_the_totals() {
    let b = book(&["2011", "2680"]).await;
    b.sync().await;
    // 普通 → 貯蓄 at 2011 and ﾌﾘｺﾐ ｸﾗ ﾀﾛｳ from 2011 to 2680: each out line has its in line.
    let db = b.db();
    let mut stmt = db
        .prepare(
            "SELECT t.remarks, t.amount, p.amount, t.account_id <> p.account_id, abs(julianday(t.transaction_date) - julianday(p.transaction_date)),
                    p.transfer_pair = t.id, t.transfer_by
             FROM transactions t JOIN transactions p ON p.id = t.transfer_pair
             WHERE t.amount < 0",
        )
        .unwrap();
    let pairs: Vec<(String, i64, i64, bool, f64, bool, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(pairs.iter().any(|p| p.0.starts_with("ﾌﾘｶｴ")), "{pairs:?}");
    assert!(pairs.iter().any(|p| p.0 == "ﾌﾘｺﾐ ｸﾗ ﾀﾛｳ"), "{pairs:?}");
    for (remarks, out, inn, other_account, days, mutual, by) in &pairs {
        assert_eq!(-out, *inn, "{remarks}");
        assert!(*other_account && *mutual && *days <= 4.0, "{remarks}");
        assert_eq!(by, "detected");
    }
    let unpaired_kura_taro = b.count(
        "SELECT count(*) FROM transactions WHERE remarks = 'ﾌﾘｺﾐ ｸﾗ ﾀﾛｳ' AND transfer_pair IS NULL
           AND transaction_date >= (SELECT min(transaction_date) FROM transactions t2 WHERE t2.remarks = 'ﾌﾘｺﾐ ｸﾗ ﾀﾛｳ' AND t2.amount > 0)",
    );
    assert_eq!(unpaired_kura_taro, 0, "both sides within both windows are paired");

    // The month's totals leave them out and equal the other lines to the yen.
    let month = YearMonth { year: 2026, month: 10 };
    let store = b.store.lock().unwrap();
    let totals = store.category_months(month, month, &[]).unwrap();
    let tree = store.categories().unwrap();
    let r = kura_core::books::report::month_report(
        &tree,
        month,
        &totals,
        &[],
        today(),
        kura_core::i18n::Language::Ja,
        "未分類",
    );
    let spent = b.count(
        "SELECT -sum(amount) FROM transactions t LEFT JOIN categories c ON c.id = t.category_id
         WHERE transaction_date LIKE '2026-10-%' AND NOT transfer AND (c.kind = 'expense' OR (c.id IS NULL AND amount < 0))",
    );
    let earned = b.count(
        "SELECT sum(amount) FROM transactions t LEFT JOIN categories c ON c.id = t.category_id
         WHERE transaction_date LIKE '2026-10-%' AND NOT transfer AND (c.kind = 'income' OR (c.id IS NULL AND amount > 0))",
    );
    assert_eq!((r.spending, r.income), (spent, earned));
    assert!(r.transfer_lines >= 4, "{}", r.transfer_lines);
    let by_category: i64 = r.spending_by_category.iter().map(|f| f.amount).sum();
    assert_eq!(by_category, r.spending);
}

#[tokio::test]
async fn the_person_s_edits_survive_later_syncs_faults_and_rule_runs() {
    let b = book(&["2011"]).await;
    b.sync().await;
    let lines = b.filed();
    let atm = lines.iter().find(|l| l.1.contains("ATM") && l.2 < 0).unwrap().0;
    let card = lines.iter().find(|l| l.1.contains("ｶｰﾄﾞ") && l.2 < 0).unwrap().0;
    let food = b.category("food.dining");
    {
        let mut store = b.store.lock().unwrap();
        store
            .edit_line(
                atm,
                &LineEdit { category: Some(Some(food)), memo: Some(Some("忘年会".into())), ..LineEdit::default() },
            )
            .unwrap();
        store.edit_line(card, &LineEdit { category: Some(None), transfer: Some(true), ..LineEdit::default() }).unwrap();
    }
    let before: HashMap<i64, _> = b.filed().into_iter().map(|l| (l.0, l)).collect();

    // Days pass with faults on the way; every re-sync re-reads the overlap, and the rules run.
    for fault in [
        serde_json::json!({"truncatedBody": 2}),
        serde_json::json!({"repeatPage": 2, "duplicateItem": 2}),
        serde_json::json!({"failNext": 1, "latencyMs": 5}),
    ] {
        advance_days(&b.sandbox, 3).await;
        faults(&b.sandbox, fault).await;
        b.sync().await;
    }
    b.store.lock().unwrap().apply_rules(ApplyScope::All).unwrap();
    let after: HashMap<i64, _> = b.filed().into_iter().map(|l| (l.0, l)).collect();
    assert_eq!(after[&atm].3, Some(food.0));
    assert_eq!(after[&atm].5.as_deref(), Some("忘年会"));
    assert_eq!((after[&card].3, after[&card].6), (None, true));
    for (id, line) in &before {
        assert_eq!(after[id].0, line.0, "no line is lost");
        if line.4.as_deref() == Some("person") {
            assert_eq!(after[id], *line);
        }
    }
    assert!(after.len() > before.len(), "the new days arrived");
    testing::assert_books_consistent(&b.store.lock().unwrap());
}

#[tokio::test]
async fn applying_rules_to_stored_lines_changes_exactly_what_the_preview_said() {
    let b = book(&["2011"]).await;
    b.sync().await;
    let cafe = b.category("food.cafe");
    let mut store = b.store.lock().unwrap();
    // A broader ATM rule placed first: ATM withdrawals are now café money (a test, not advice).
    let spec = RuleSpec {
        match_kind: MatchKind::Contains,
        pattern: "ATM".into(),
        direction: Some(Direction::Out),
        min_amount: None,
        max_amount: Some(20_000),
        account_id: None,
        category_id: Some(cafe),
        memo: Some("カフェ代".into()),
        transfer: false,
        enabled: true,
    };
    let reach = store.rule_reach(&spec).unwrap();
    let rule = store.create_rule(&spec, Some(0), chrono::Utc::now()).unwrap();
    drop(store);
    // Its fees too (ATMﾃｽｳﾘﾖｳ): placed first, it wins over the fee rule.
    let affected =
        b.count("SELECT count(*) FROM transactions WHERE remarks LIKE '%ATM%' AND amount < 0 AND -amount <= 20000");
    assert!(affected > 0);
    assert_eq!(reach, affected, "the reach counts the lines it would move");
    let mut store = b.store.lock().unwrap();
    let preview = store.preview_rules(ApplyScope::Rule(rule)).unwrap();
    assert_eq!(preview.lines, affected);
    assert_eq!(preview.moves.iter().map(|m| m.lines).sum::<i64>(), affected);
    assert!(preview.moves.iter().all(|m| m.to == Some(cafe)));
    assert!(!preview.samples.is_empty(), "{preview:?}");
    assert!(preview.samples.iter().all(|l| l.to == Some(cafe) && l.memo.as_deref() == Some("カフェ代")));
    let unchanged = b.filed();
    assert_eq!(store.preview_rules(ApplyScope::Rule(rule)).unwrap(), preview, "a preview changes nothing");
    let done = store.apply_rules(ApplyScope::Rule(rule)).unwrap();
    drop(store);
    assert_eq!(done, preview);
    let after = b.filed();
    let changed: Vec<_> = after.iter().zip(&unchanged).filter(|(a, u)| a != u).collect();
    assert_eq!(changed.len() as i64, affected);
    assert!(changed.iter().all(|(a, _)| a.3 == Some(cafe.0) && a.5.as_deref() == Some("カフェ代")));
    // Applied once, there is nothing left to do.
    assert_eq!(b.store.lock().unwrap().preview_rules(ApplyScope::All).unwrap().lines, 0);
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let b = book(&["2011"]).await;
    b.sync().await;
    let before = b.filed();
    let rules_before = b.store.lock().unwrap().rules().unwrap();
    let (other, food) = (b.category("other"), b.category("food"));
    let mut store = b.store.lock().unwrap();
    let file = RulesFile::parse(
        "[[rule]]\nmatch = \"contains\"\npattern = \"ｺﾒﾀﾞ\"\ncategory = \"食費:カフェ\"\n\n\
         [[rule]]\nmatch = \"contains\"\npattern = \"ﾈｺ\"\ncategory = \"ペット\"\n\n\
         [[rule]]\nmatch = \"contains\"\npattern = \"ｲﾇ\"\ncategory = \"ペット:フード\"\n",
    )
    .unwrap();
    let err = store.import_rules(&file, false, chrono::Utc::now()).unwrap_err();
    let BooksError::RulesFileUnknownCategories { names } = &err else { panic!("{err:?}") };
    assert_eq!(names, &["ペット", "ペット:フード"]);
    let err = store
        .import_rules(
            &RulesFile::parse("[[rule]]\nmatch = \"regex\"\npattern = \"(\"\ncategory = \"食費\"\n").unwrap(),
            true,
            chrono::Utc::now(),
        )
        .unwrap_err();
    assert!(matches!(err, BooksError::RulesFileInvalidRule { number: 1, .. }), "{err:?}");
    let everything = RuleSpec {
        match_kind: MatchKind::Regex,
        pattern: ".*".into(),
        direction: None,
        min_amount: None,
        max_amount: None,
        account_id: None,
        category_id: Some(other),
        memo: None,
        transfer: false,
        enabled: true,
    };
    assert!(matches!(store.create_rule(&everything, None, chrono::Utc::now()), Err(BooksError::RuleMatchesEverything)));
    let dup = kura_core::store::NewCategory {
        parent_id: Some(food),
        kind: kura_core::books::Kind::Expense,
        name: "外食".into(),
        name_en: None,
    };
    assert!(matches!(store.create_category(&dup, chrono::Utc::now()), Err(BooksError::DuplicateCategoryName { .. })));
    let empty = kura_core::store::NewCategory { name: "  ".into(), ..dup.clone() };
    assert!(matches!(store.create_category(&empty, chrono::Utc::now()), Err(BooksError::EmptyCategoryName)));
    assert!(matches!(store.rename_category(food, Some("交通費"), None), Err(BooksError::DuplicateCategoryName { .. })));
    assert_eq!(store.rules().unwrap(), rules_before);
    drop(store);
    assert_eq!(b.filed(), before);
}

#[tokio::test]
async fn deleting_a_category_sends_its_lines_and_rules_where_the_person_says() {
    let b = book(&["2011"]).await;
    b.sync().await;
    let gas = b.category("utilities.gas");
    let other = b.category("other.misc");
    let lines_before = b.count(&format!("SELECT count(*) FROM transactions WHERE category_id = {}", gas.0));
    assert!(lines_before > 0);
    {
        let mut store = b.store.lock().unwrap();
        let usage = store.category_usage(gas).unwrap();
        assert_eq!(usage.lines, lines_before);
        assert_eq!(usage.rules, 1);
        assert!(matches!(store.delete_category(gas, Some(gas)), Err(BooksError::MoveIntoDeleted { .. })));
        store.delete_category(gas, Some(other)).unwrap();
        let rules = store.rules().unwrap();
        let rule = rules.iter().find(|r| r.builtin.as_deref() == Some("utilities.gas")).unwrap();
        assert_eq!(rule.spec.category_id, Some(other));
    }
    assert_eq!(b.count(&format!("SELECT count(*) FROM transactions WHERE category_id = {}", gas.0)), 0);
    assert!(b.count(&format!("SELECT count(*) FROM transactions WHERE category_id = {}", other.0)) >= lines_before);
    // New gas lines follow the rule to the new category.
    let misc_before = b.count(&format!("SELECT count(*) FROM transactions WHERE category_id = {}", other.0));
    // (Within the refresh token's life: 12-23 brings December's gas bill.)
    advance_days(&b.sandbox, 29).await;
    b.sync().await;
    assert_eq!(b.count(&format!("SELECT count(*) FROM transactions WHERE category_id = {}", gas.0)), 0);
    assert!(b.count(&format!("SELECT count(*) FROM transactions WHERE category_id = {}", other.0)) > misc_before);

    // A 大項目 deleted without a destination: its lines become uncategorised and its rules that
    // did nothing else go.
    let water_rules =
        |s: &Store| s.rules().unwrap().iter().filter(|r| r.builtin.as_deref() == Some("utilities.water")).count();
    let utilities = b.category("utilities");
    let mut store = b.store.lock().unwrap();
    assert_eq!(water_rules(&store), 1);
    store.delete_category(utilities, None).unwrap();
    assert_eq!(water_rules(&store), 0);
    drop(store);
    assert_eq!(b.count("SELECT count(*) FROM transactions WHERE category_id IS NOT NULL AND category_id NOT IN (SELECT id FROM categories)"), 0);
}

/// A book from before the books (schema 3) is upgraded in place: every line kept, filed by the
/// starter rules, its search still working with the new fold.
#[test]
fn a_schema_3_book_is_upgraded_and_its_history_filed() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("kura.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        for sql in [
            include_str!("../src/store/migrations/001_initial.sql"),
            include_str!("../src/store/migrations/002_search_key.sql"),
            include_str!("../src/store/migrations/003_transaction_count.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute_batch(
            "INSERT INTO links (bank_code, profile, created_at, updated_at)
                 VALUES ('2011', 'sandbox', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00');
             INSERT INTO accounts (link_id, remote_account_id, bank_code, branch_code, branch_name,
                 account_type_code, account_type_name, account_number, account_name_kana, currency, created_at,
                 transaction_count)
                 VALUES (1, '2011-001-1-1234567', '2011', '001', '本店営業部', '01', '普通', '1234567', '', 'JPY',
                     '2026-01-01 00:00:00+00:00', 3);
             INSERT INTO transactions (account_id, fingerprint, occurrence, transaction_date, amount, remarks,
                 remarks_folded, first_seen_at)
                 VALUES (1, 1, 1, '2026-11-02', -8000, 'ﾃﾞﾝｷﾘﾖｳｷﾝ', 'でんきりようきん', '2026-11-02 00:00:00+00:00'),
                        (1, 2, 1, '2026-11-01', -20000, 'ｶ-ﾄﾞ ﾗｸﾃﾝ', 'か-どらくてん', '2026-11-02 00:00:00+00:00'),
                        (1, 3, 1, '2026-11-25', 300000, 'ｷﾕｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ', 'きゆうよ か)くらしようじ', '2026-11-25 00:00:00+00:00');",
        )
        .unwrap();
    }
    let store = Store::open_file(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 9);
    assert!(store.integrity_check().unwrap().is_empty());
    let tree = store.categories().unwrap();
    let key = |id: Option<CategoryId>| id.and_then(|id| tree.get(id)).and_then(|c| c.builtin.clone());
    let all = |search: &str| all_in(&store, search);
    let rows = all("");
    assert_eq!(rows.len(), 3);
    let filed: Vec<(i64, Option<String>)> = rows.iter().map(|r| (r.amount, key(r.books.category_id))).collect();
    assert_eq!(
        filed,
        [
            (300_000, Some("salary".into())),
            (-8_000, Some("utilities.electricity".into())),
            (-20_000, Some("cash.card".into()))
        ]
    );
    // カード finds ｶ-ﾄﾞ now, and キュウヨ finds ｷﾕｳﾖ.
    assert_eq!(all("カード").len(), 1);
    assert_eq!(all("キュウヨ").len(), 1);
    let month = YearMonth { year: 2026, month: 11 };
    let totals = store.category_months(month, month, &[]).unwrap();
    assert_eq!(totals.iter().map(|t| t.lines_in + t.lines_out).sum::<i64>(), 3);
    testing::assert_books_consistent(&store);

    // Schema 6 feeds the index and the totals per batch, not per row: a sync into the upgraded
    // book is searchable and counted like the lines before it.
    let mut store = store;
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let batch = kura_core::store::AccountSyncBatch {
        run: None,
        transactions: &[testing::line(date, -3_000, Some(289_000), "ｶｰﾄﾞ ｾﾌﾞﾝ", Some("k4"))],
        balance: None,
        synced_through: Some(date),
        fetched_at: chrono::Utc::now(),
    };
    assert_eq!(store.apply_account_sync(kura_core::model::AccountId(1), &batch).unwrap().inserted, 1);
    assert_eq!(all_in(&store, "カード").len(), 2);
    testing::assert_books_consistent(&store);
}

fn all_in(store: &Store, search: &str) -> Vec<kura_core::query::TxRow> {
    let filter = kura_core::query::TxFilter { search: Some(search.into()), ..Default::default() };
    store.transactions(&filter, None, 10).unwrap().rows
}

/// Unlinking with the data kept, then linking again: the accounts come back with their history
/// and everything the person set on it.
#[tokio::test]
async fn the_person_s_edits_survive_unlinking_with_the_data_kept_and_linking_again() {
    let mut b = book(&["2011"]).await;
    b.sync().await;
    let line = b.filed().into_iter().find(|l| l.2 < 0).unwrap().0;
    let gifts = b.category("social.gifts");
    let edit = LineEdit { category: Some(Some(gifts)), memo: Some(Some("内祝い".into())), transfer: Some(true) };
    b.store.lock().unwrap().edit_line(line, &edit).unwrap();
    let before = b.filed();
    let (old, tokens) = b.links.remove(0);
    let relinked = {
        let mut store = b.store.lock().unwrap();
        store.delete_link(old).unwrap();
        store.add_link(&testing::new_link("2011", "sandbox"), chrono::Utc::now()).unwrap()
    };
    assert_ne!(relinked, old);
    b.links.push((relinked, tokens));
    advance_days(&b.sandbox, 2).await;
    b.sync().await;
    let after = b.filed();
    assert_eq!(after[..before.len()], before[..], "every line as it was, the person's one included");
    assert!(after.len() > before.len());
    let kept = after.iter().find(|l| l.0 == line).unwrap();
    assert_eq!((kept.3, kept.5.as_deref(), kept.6), (Some(gifts.0), Some("内祝い"), true));
    testing::assert_books_consistent(&b.store.lock().unwrap());
}

/// A sync files its pages by the rules as they were when it began; a rule the person adds
/// before the sync's commit still files the staged lines, as if it had been there all along.
#[test]
fn a_rule_added_while_a_sync_is_under_way_files_its_lines() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(Some(dir.path())).unwrap();
    let (_, account) = testing::link_with_account(&mut store, "sandbox", chrono::Utc::now());
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let mut writer = store.account_writer(account, None, chrono::Utc::now(), false).unwrap();
    let page = writer.filer().file(vec![testing::line(date, -1_200, Some(98_800), "ﾊﾟﾝﾔ ｸﾗ", Some("k1"))]);
    writer.add(&page).unwrap();

    let tree = store.categories().unwrap();
    let food = tree.categories.iter().find(|c| c.builtin.as_deref() == Some("food.groceries")).unwrap().id;
    let spec = RuleSpec {
        match_kind: MatchKind::Contains,
        pattern: "ﾊﾟﾝﾔ".into(),
        direction: None,
        min_amount: None,
        max_amount: None,
        account_id: None,
        category_id: Some(food),
        memo: Some("パン".into()),
        transfer: false,
        enabled: true,
    };
    let rule = store.create_rule(&spec, None, chrono::Utc::now()).unwrap();
    let end = kura_core::store::AccountSyncEnd { balance: None, synced_through: Some(date) };
    assert_eq!(writer.commit(&end).unwrap().inserted, 1);

    let line = &all_in(&store, "パンヤ")[0];
    assert_eq!((line.books.category_id, line.books.memo.as_deref()), (Some(food), Some("パン")));
    let by: String = Connection::open(dir.path().join("kura.sqlite3"))
        .unwrap()
        .query_row("SELECT category_by || '/' || rule_id FROM transactions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(by, format!("rule/{}", rule.0));
    testing::assert_books_consistent(&store);
}

/// A line stored some other way while a sync stages it (another link's sync, another desktop's
/// log) is left out at the commit; the counts, the sum and the monthly totals are those of what
/// went in.
#[test]
fn a_line_stored_while_a_sync_stages_it_is_counted_once() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(Some(dir.path())).unwrap();
    let now = chrono::Utc::now();
    let (_, account) = testing::link_with_account(&mut store, "sandbox", now);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let lines = vec![
        testing::line(date, -1_200, Some(98_800), "ﾊﾟﾝﾔ ｸﾗ", Some("k1")),
        testing::line(date, 300_000, Some(398_800), "ｷﾕｳﾖ", Some("k2")),
    ];
    let mut writer = store.account_writer(account, None, now, false).unwrap();
    writer.add(&writer.filer().file(lines.clone())).unwrap();
    let first = kura_core::store::AccountSyncBatch {
        run: None,
        transactions: &lines[..1],
        balance: None,
        synced_through: None,
        fetched_at: now,
    };
    assert_eq!(store.apply_account_sync(account, &first).unwrap().inserted, 1);

    let end = kura_core::store::AccountSyncEnd { balance: None, synced_through: Some(date) };
    let counts = writer.commit(&end).unwrap();
    assert_eq!((counts.inserted, counts.already_known, counts.inserted_sum), (1, 1, 300_000));
    testing::assert_books_consistent(&store);
}
