//! `kura categories`, `kura rules`, the books' side of `kura tx` and `kura report`, run as the
//! binary against a store seeded through the core's write API with lines as unions print them
//! (filed by the starter rules as they arrive, one transfer between the two accounts).

use std::path::Path;
use std::process::Command;

use chrono::{NaiveDate, TimeZone, Utc};
use kura_core::model::AsOf;
use kura_core::store::Store;
use kura_core::testing;
use tempfile::TempDir;

use crate::support::{json, kura, kura_err, kura_in, ok};

/// Two accounts at one union: salary, utilities, a carrier, ATM cash, debit-card lunches no
/// starter rule knows, and 50,000 yen moved from the first to the second.
fn seeded() -> TempDir {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(Some(&dir.path().join("data"))).unwrap();
    let now = Utc::now();
    let link = store.add_link(&testing::new_link(testing::BANK_CODE, "sandbox"), now).unwrap();
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let line = |m, d, amount, remarks: &str| testing::line(day(m, d), amount, None, remarks, None);
    let futsu = vec![
        line(10, 28, -1_000, "ﾏｸﾄﾞﾅﾙﾄﾞ ｻﾂﾎﾟﾛ 1028"),
        line(11, 2, 250_000, "ｷﾕｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ"),
        line(11, 5, -8_200, "ﾃﾞﾝｷﾘﾖｳｷﾝ ﾎｸﾃﾞﾝ"),
        line(11, 12, -3_300, "NTTﾄﾞｺﾓ"),
        line(11, 15, -50_000, "ﾌﾘｶｴ"),
        line(11, 20, -10_000, "ATM ｼﾊﾗｲ"),
        line(11, 21, -2_500, "ﾏｸﾄﾞﾅﾙﾄﾞ ｻﾂﾎﾟﾛ 1121"),
        line(11, 28, -2_800, "ﾏｸﾄﾞﾅﾙﾄﾞ ｻﾂﾎﾟﾛ 1128"),
        line(11, 29, -4_400, "ﾔﾏﾀﾞﾔ ｴﾝｶｲ"),
    ];
    let chochiku = vec![line(11, 15, 50_000, "ﾌﾘｶｴ")];
    let as_of = AsOf { date: day(11, 30), at: Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap() };
    for (type_code, number, lines) in [("01", "1234567", futsu), ("02", "7654321", chochiku)] {
        let id = store.upsert_account(link, &testing::remote_account(type_code, number), now).unwrap();
        testing::store_sync(&mut store, id, &lines, Some(testing::reading(0, as_of)), Some(day(11, 30)), now);
    }
    dir
}

/// Every line of `kura tx … --json` (all pages).
fn lines(dir: &Path, filter: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["tx", "--json", "--limit", "1000"];
    args.extend_from_slice(filter);
    let page = json(dir, &args);
    assert!(page["nextCursor"].is_null(), "more than one page");
    page["rows"].as_array().unwrap().clone()
}

/// The ID of the line whose remarks are `remarks`.
fn line_id(dir: &Path, remarks: &str) -> i64 {
    let found: Vec<i64> =
        lines(dir, &[]).iter().filter(|r| r["remarks"] == remarks).map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(found.len(), 1, "{remarks}");
    found[0]
}

/// The category ID `kura categories --json` lists under `name` (Japanese).
fn category_id(dir: &Path, name: &str) -> i64 {
    let listing = json(dir, &["categories", "--json"]);
    let c = listing["categories"].as_array().unwrap().iter().find(|c| c["name"] == name);
    c.unwrap_or_else(|| panic!("no category {name}"))["id"].as_i64().unwrap()
}

/// A snapshot of everything the books keep, to show that a refused command changed nothing.
fn books_state(dir: &Path) -> (serde_json::Value, serde_json::Value, Vec<serde_json::Value>) {
    (json(dir, &["categories", "--json"]), json(dir, &["rules", "--json"]), lines(dir, &[]))
}

#[test]
fn categories_are_listed_added_renamed_moved_and_deleted_by_name_path_or_id() {
    let dir = seeded();
    let listing = kura(dir.path(), &["categories"]);
    assert!(listing.contains("食費") && listing.contains("  外食") && listing.contains("給与"), "{listing}");
    assert!(listing.contains("Food"), "the English names beside: {listing}");

    let added = kura(dir.path(), &["categories", "add", "ランチ", "--parent", "食費", "--en", "Lunch"]);
    assert!(added.contains("食費:ランチ"), "{added}");
    let lunch = category_id(dir.path(), "ランチ");
    assert!(kura(dir.path(), &["categories"]).contains("  ランチ"));

    // By path with either separator, by ID, and in English.
    kura(dir.path(), &["categories", "rename", "食費/ランチ", "昼食"]);
    assert_eq!(category_id(dir.path(), "昼食"), lunch);
    kura(dir.path(), &["categories", "budget", "食費", "30,000"]);
    let listing = kura(dir.path(), &["categories"]);
    assert!(listing.contains("¥30,000"), "{listing}");
    kura(dir.path(), &["categories", "account", &lunch.to_string(), "Expenses:Food:Lunch"]);
    assert!(kura(dir.path(), &["categories"]).contains("Expenses:Food:Lunch"));
    let moved = kura(dir.path(), &["categories", "move", "Food:Lunch", "--parent", "交際費"]);
    assert!(moved.contains("交際費:昼食"), "{moved}");

    // A line filed there goes where --move-to says when the category is deleted.
    let line = line_id(dir.path(), "ﾔﾏﾀﾞﾔ ｴﾝｶｲ");
    kura(dir.path(), &["tx", "set-category", &line.to_string(), "交際費:昼食"]);
    let deleted = kura(dir.path(), &["categories", "delete", "昼食", "--move-to", "食費:外食"]);
    assert!(deleted.contains("食費:外食"), "{deleted}");
    assert!(!kura(dir.path(), &["categories"]).contains("昼食"));
    let dining = lines(dir.path(), &["--category", "食費:外食"]);
    assert!(dining.iter().any(|r| r["id"] == line), "{dining:?}");

    // Without --move-to and without a terminal to ask on, nothing is deleted; --yes deletes.
    kura(dir.path(), &["categories", "add", "家庭菜園"]);
    let refused = kura_err(dir.path(), &["categories", "delete", "家庭菜園"]);
    assert!(refused.contains("--yes") && refused.contains("--move-to"), "{refused}");
    assert!(kura(dir.path(), &["categories"]).contains("家庭菜園"));
    kura(dir.path(), &["categories", "delete", "家庭菜園", "--yes"]);
    assert!(!kura(dir.path(), &["categories"]).contains("家庭菜園"));
}

#[test]
fn a_dry_run_shows_exactly_what_applying_the_rules_then_changes() {
    let dir = seeded();
    // Two of the three lunches are this union's debit card at マクドナルド; no starter rule knows it.
    let before = lines(dir.path(), &["--uncategorised"]);
    assert!(before.iter().filter(|r| r["remarks"].as_str().unwrap().contains("ﾏｸﾄﾞﾅﾙﾄﾞ")).count() == 3, "{before:?}");

    let added = kura(dir.path(), &["rules", "add", "--contains", "ﾏｸﾄﾞﾅﾙﾄﾞ", "--out", "--category", "外食"]);
    assert!(added.contains("3"), "it says how many stored lines it would change: {added}");
    let listing = kura(dir.path(), &["rules"]);
    assert!(listing.contains("ﾏｸﾄﾞﾅﾙﾄﾞ") && listing.contains("食費:外食"), "{listing}");

    let dry = kura(dir.path(), &["rules", "apply", "--dry-run"]);
    assert!(dry.contains("3件"), "{dry}");
    assert!(dry.contains("未分類") && dry.contains("→") && dry.contains("食費:外食"), "{dry}");
    assert!(dry.contains("ﾏｸﾄﾞﾅﾙﾄﾞ ｻﾂﾎﾟﾛ 1128"), "sample lines: {dry}");
    assert_eq!(lines(dir.path(), &["--uncategorised"]), before, "a dry run changes nothing");

    let applied = kura(dir.path(), &["rules", "apply", "--yes"]);
    assert!(applied.contains("3件の明細を変更しました"), "{applied}");
    let dining: Vec<String> = lines(dir.path(), &["--category", "食費:外食"])
        .iter()
        .map(|r| r["remarks"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(dining.len(), 3, "{dining:?}");
    assert!(dining.iter().all(|r| r.contains("ﾏｸﾄﾞﾅﾙﾄﾞ")), "{dining:?}");
    assert!(kura(dir.path(), &["rules", "apply", "--dry-run"]).contains("変更はありません"));

    // Switched off, moved, edited, exported and imported again.
    let id = json(dir.path(), &["rules", "--json"])["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pattern"] == "ﾏｸﾄﾞﾅﾙﾄﾞ")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    kura(dir.path(), &["rules", "disable", &id]);
    assert!(kura(dir.path(), &["rules"]).contains("無効"));
    kura(dir.path(), &["rules", "enable", &id]);
    kura(dir.path(), &["rules", "move", &id, "1"]);
    assert_eq!(json(dir.path(), &["rules", "--json"])["rules"][0]["id"].to_string(), id);
    kura(dir.path(), &["rules", "edit", &id, "--memo", "ランチ"]);
    let file = dir.path().join("rules.toml");
    kura(dir.path(), &["rules", "export", file.to_str().unwrap()]);
    let exported = std::fs::read_to_string(&file).unwrap();
    assert!(exported.contains("ﾏｸﾄﾞﾅﾙﾄﾞ") && exported.contains("ランチ"), "{exported}");
    kura(dir.path(), &["rules", "delete", &id]);
    assert!(!kura(dir.path(), &["rules"]).contains("ﾏｸﾄﾞﾅﾙﾄﾞ"));
    let total = json(dir.path(), &["rules", "--json"])["rules"].as_array().unwrap().len();
    kura(dir.path(), &["rules", "import", file.to_str().unwrap(), "--replace"]);
    assert_eq!(json(dir.path(), &["rules", "--json"])["rules"].as_array().unwrap().len(), total + 1);
}

#[test]
fn filing_a_line_by_hand_offers_a_rule_that_runs_as_printed() {
    let dir = seeded();
    let line = line_id(dir.path(), "ﾏｸﾄﾞﾅﾙﾄﾞ ｻﾂﾎﾟﾛ 1121");
    let said = kura(dir.path(), &["tx", "set-category", &line.to_string(), "食費:外食"]);
    assert!(said.contains("食費:外食"), "{said}");
    let command = said.lines().find_map(|l| l.trim().strip_prefix("kura ")).unwrap_or_else(|| panic!("{said}"));
    assert!(command.starts_with("rules add ") && command.contains("'ﾏｸﾄﾞﾅﾙﾄﾞ ｻﾂﾎﾟﾛ'"), "{command}");

    // The printed line, run by a POSIX shell, makes the rule; applying it files the others.
    let shell = Command::new("sh")
        .args(["-c", &format!("\"$KURA\" {command}")])
        .env("KURA", env!("CARGO_BIN_EXE_kura"))
        .env("KURA_DATA_DIR", dir.path().join("data"))
        .env("KURA_CONFIG_DIR", dir.path().join("config"))
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .unwrap();
    assert!(shell.status.success(), "{command}: {}", String::from_utf8_lossy(&shell.stderr));
    kura(dir.path(), &["rules", "apply", "--yes"]);
    let dining = lines(dir.path(), &["--category", "外食"]);
    assert_eq!(dining.len(), 3, "{dining:?}");

    // The person's memo and transfer mark; reset gives the line back to the rules (which now
    // file it under the same category).
    kura(dir.path(), &["tx", "set-memo", &line.to_string(), "同僚と"]);
    kura(dir.path(), &["tx", "transfer", &line.to_string(), "on"]);
    let row = lines(dir.path(), &["--transfers"]).into_iter().find(|r| r["id"] == line).unwrap();
    assert_eq!((row["memo"].as_str(), row["categoryBy"].as_str()), (Some("同僚と"), Some("person")), "{row}");
    assert!(!lines(dir.path(), &["--no-transfers"]).iter().any(|r| r["id"] == line));
    kura(dir.path(), &["tx", "reset", &line.to_string()]);
    let row = lines(dir.path(), &["--category", "外食"]).into_iter().find(|r| r["id"] == line).unwrap();
    assert_eq!(
        (row["categoryBy"].as_str(), row["transfer"].as_bool(), &row["memo"]),
        (Some("rule"), Some(false), &serde_json::Value::Null),
        "{row}"
    );

    // The table shows the category column.
    let table = kura(dir.path(), &["tx", "--category", "食費"]);
    assert!(table.contains("カテゴリ") && table.contains("食費:外食"), "{table}");
}

#[test]
fn the_report_adds_up_to_the_lines_and_leaves_transfers_out() {
    let dir = seeded();
    let november = &["--from", "2026-11-01", "--to", "2026-11-30"];
    let report = json(dir.path(), &["report", "--month", "2026-11", "--json"]);
    let all = lines(dir.path(), november);
    let counted: Vec<&serde_json::Value> = all.iter().filter(|r| r["transfer"] == false).collect();
    let spent: i64 = counted.iter().map(|r| r["amount"].as_i64().unwrap()).filter(|a| *a < 0).sum();
    let earned: i64 = counted.iter().map(|r| r["amount"].as_i64().unwrap()).filter(|a| *a > 0).sum();
    assert_eq!((report["spending"].as_i64(), report["income"].as_i64()), (Some(-spent), Some(earned)), "{report}");
    assert_eq!(report["net"].as_i64(), Some(earned + spent));
    assert_eq!(report["transferLines"].as_i64(), Some(2), "{report}");
    assert_eq!((report["transfersIn"].as_i64(), report["transfersOut"].as_i64()), (Some(50_000), Some(50_000)));

    // Each 大項目's figure is the sum of its lines (`kura tx --category`), transfers left out.
    for figure in report["spendingByCategory"].as_array().unwrap() {
        let Some(id) = figure["categoryId"].as_i64() else {
            let uncategorised =
                lines(dir.path(), &[november, &["--uncategorised", "--no-transfers", "--out"][..]].concat());
            let sum: i64 = uncategorised.iter().map(|r| r["amount"].as_i64().unwrap()).sum();
            assert_eq!(figure["amount"].as_i64(), Some(-sum), "{figure}");
            continue;
        };
        let filed = lines(dir.path(), &[november, &["--category", &id.to_string(), "--no-transfers"][..]].concat());
        let sum: i64 = filed.iter().map(|r| r["amount"].as_i64().unwrap()).sum();
        assert_eq!(figure["amount"].as_i64(), Some(-sum), "{figure}");
        assert_eq!(figure["lines"].as_i64(), Some(filed.len() as i64), "{figure}");
    }

    kura(dir.path(), &["categories", "budget", "水道・光熱費", "10000"]);
    let text = kura(dir.path(), &["report", "--month", "2026-11"]);
    assert!(text.contains("¥10,000（残り ¥1,800"), "the budget and what is left: {text}");
    assert!(text.contains("2026年11月"), "{text}");
    assert!(text.contains(&format!("¥{}", group(-spent))), "{text}");
    assert!(text.contains("¥250,000") && text.contains("水道・光熱費") && text.contains("  電気"), "{text}");
    assert!(text.contains("振替") && text.contains("kura tx --uncategorised"), "{text}");
    assert!(!text.contains(".00"), "yen without decimals: {text}");

    let year = json(dir.path(), &["report", "--year", "2026", "--json"]);
    let months = year["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[10]["spending"].as_i64(), Some(-spent), "{year}");
    assert_eq!(months[9]["spending"].as_i64(), Some(1_000), "{year}");
}

fn group(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn bad_input_says_what_to_do_and_changes_nothing() {
    let dir = seeded();
    kura(dir.path(), &["categories", "add", "会費", "--parent", "交際費"]);
    kura(dir.path(), &["categories", "add", "会費", "--parent", "教養・教育"]);
    let state = books_state(dir.path());
    let line = line_id(dir.path(), "ﾏｸﾄﾞﾅﾙﾄﾞ ｻﾂﾎﾟﾛ 1121").to_string();

    let unknown = kura_err(dir.path(), &["tx", "set-category", &line, "外色"]);
    assert!(unknown.contains("外色") && unknown.contains("食費:外食"), "the closest name is offered: {unknown}");
    let ambiguous = kura_err(dir.path(), &["tx", "--category", "会費"]);
    assert!(ambiguous.contains("大項目:中項目"), "{ambiguous}");
    let no_line = kura_err(dir.path(), &["tx", "set-category", "999999", "外食"]);
    assert!(no_line.contains("999999") && no_line.contains("kura tx"), "{no_line}");
    let month = kura_err(dir.path(), &["report", "--month", "2026-13"]);
    assert!(month.contains("2026-13"), "{month}");
    let regex = kura_err(dir.path(), &["rules", "add", "--regex", "ﾏｸﾄﾞ(", "--category", "外食"]);
    assert!(regex.contains("ﾏｸﾄﾞ("), "{regex}");
    let broad = kura_err(dir.path(), &["rules", "add", "--category", "外食"]);
    assert!(broad.contains("すべての明細"), "{broad}");
    let empty = kura_err(dir.path(), &["categories", "add", " "]);
    assert!(empty.contains("名前"), "{empty}");
    let duplicate = kura_err(dir.path(), &["categories", "add", "外食", "--parent", "食費"]);
    assert!(duplicate.contains("外食"), "{duplicate}");
    let budget = kura_err(dir.path(), &["categories", "budget", "給与", "1000"]);
    assert!(budget.contains("給与"), "{budget}");
    std::fs::write(
        dir.path().join("bad.toml"),
        "[[rule]]\nmatch = \"contains\"\npattern = \"x\"\ncategory = \"ない\"\n",
    )
    .unwrap();
    let import = kura_err(dir.path(), &["rules", "import", dir.path().join("bad.toml").to_str().unwrap()]);
    assert!(import.contains("ない"), "{import}");

    assert_eq!(books_state(dir.path()), state, "a refused command changes nothing");
}

#[test]
fn the_books_speak_english_where_the_terminal_does() {
    let dir = seeded();
    let en = |args: &[&str]| ok(kura_in(dir.path(), "C.UTF-8", args), args);
    let report = en(&["report", "--month", "2026-11"]);
    assert!(report.contains("November 2026") && report.contains("Utilities"), "{report}");
    assert!(report.contains("transfers"), "{report}");
    let categories = en(&["categories"]);
    assert!(
        categories.contains("Food") && categories.contains("  Dining Out") && categories.contains("外食"),
        "{categories}"
    );
    let rules = en(&["rules", "apply", "--dry-run"]);
    assert!(rules.contains("changes nothing") || rules.contains("nothing to change"), "{rules}");
    let out = kura_in(dir.path(), "C.UTF-8", &["tx", "--category", "Fod"]);
    assert!(!out.status.success());
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("Fod") && said.contains("Did you mean"), "{said}");
}

#[test]
fn kura_serve_answers_a_person_s_bad_input_as_such_and_points_into_what_they_wrote() {
    let dir = seeded();
    let before = books_state(dir.path());
    let server = crate::support::Server::start(dir.path());
    let rule = |pattern: &str, match_kind: &str| {
        let spec = serde_json::json!({ "matchKind": match_kind, "pattern": pattern, "categoryId": category_id(dir.path(), "外食") });
        server.api("ruleCreate", &serde_json::json!({ "spec": spec }).to_string())
    };
    let (status, failure) = rule("ﾏｸﾄﾞﾅﾙﾄﾞ(", "regex");
    assert_eq!((status, failure["kind"].as_str()), (422, Some("invalidPattern")), "{failure}");
    let detail = failure["subject"].as_str().unwrap();
    assert!(detail.contains("ﾏｸﾄﾞﾅﾙﾄﾞ(") && detail.contains("unclosed group"), "{failure}");
    let (status, failure) = rule("", "contains");
    assert_eq!(status, 422, "{failure}");
    let (status, failure) = server.api("categoryCreate", r#"{"name": "食費"}"#);
    assert_eq!((status, failure["kind"].as_str()), (409, Some("categoryNameTaken")), "{failure}");
    let (status, failure) = server.api("categoryCreate", r#"{"name": "  "}"#);
    assert_eq!((status, failure["kind"].as_str()), (422, Some("categoryName")), "{failure}");
    drop(server);
    assert_eq!(books_state(dir.path()), before, "a refused request changed nothing");
}
