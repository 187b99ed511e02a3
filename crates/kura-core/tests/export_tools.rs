//! Exports checked by tools no one here wrote: hledger, ledger, bean-check (beancount), ofxtools and
//! LibreOffice read what Kura writes, and their totals must equal Kura's to the yen. The tools are
//! required: scripts/export-tools.sh installs them (CI runs it), and a missing tool fails the test.
//!
//! The household's books go through the same tools over a store synced from the sandbox, its
//! lines filed by the starter rules and its transfers paired as a sync files them: each
//! category's total in the journals equals Kura's own month report to the yen.

mod sync_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use kura_core::books::journal::account_of;
use kura_core::books::report::{YearMonth, month_report};
use kura_core::export::store::{ExportFilter, export_from_store};
use kura_core::export::{
    BalanceSnapshot, Encoding, ExportAccount, ExportError, ExportInput, ExportOptions, ExportRow, ExportSummary,
    Format, JournalAccounts, Lang, RowBooks, SheetLayout, Unmappable, export_to_path, write_atomically,
};
use kura_core::model::{AccountIdentity, Transaction};
use kura_core::store::Store;
use kura_core::sync::{SyncEngine, SyncOptions};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

const HYPERLINK: &str = "=HYPERLINK(\"http://x\",\"y\")";
const MULTILINE: &str = "say \"hi\", then\nnew line";

/// Two accounts whose remarks and amounts are built to break naive exporters.
fn hostile() -> (Vec<ExportAccount>, Vec<ExportRow>) {
    let futsu = ExportAccount {
        id: "2011-001-1-1234567".into(),
        identity: AccountIdentity {
            bank_code: "2011".into(),
            branch_code: "001".into(),
            branch_name: "本店営業部".into(),
            account_type_code: "01".into(),
            account_type_name: "普通".into(),
            account_number: "1234567".into(),
            account_name_kana: "ｸﾗ ﾀﾛｳ".into(),
        },
        bank_name: "北央信用組合".into(),
        period: Some((date("2026-09-01"), date("2026-09-30"))),
        snapshots: vec![
            BalanceSnapshot { date: date("2026-09-02"), as_of: at("2026-09-02T01:15:00Z"), balance: 348_800 },
            // Taken before the big deposit of that day was posted: Kura must not assert it.
            BalanceSnapshot { date: date("2026-09-03"), as_of: at("2026-09-03T00:05:00Z"), balance: 348_800 },
            BalanceSnapshot { date: date("2026-09-05"), as_of: at("2026-09-05T09:00:00Z"), balance: 10_000_343_500 },
        ],
    };
    let toza = ExportAccount {
        id: "2011-002-2-7654321".into(),
        identity: AccountIdentity {
            branch_code: "002".into(),
            branch_name: "札幌支店".into(),
            account_type_code: "02".into(),
            account_type_name: "当座".into(),
            account_number: "7654321".into(),
            ..futsu.identity.clone()
        },
        period: Some((date("2026-09-01"), date("2026-09-30"))),
        snapshots: vec![BalanceSnapshot {
            date: date("2026-09-10"),
            as_of: at("2026-09-10T03:00:00Z"),
            balance: -12_000,
        }],
        ..futsu.clone()
    };
    let row = |account: &ExportAccount, d: &str, amount: i64, balance: i64, remarks: &str, key: &str| ExportRow {
        account_id: account.id.clone(),
        line: Transaction {
            transaction_date: date(d),
            value_date: Some(date(d)),
            amount,
            balance: Some(balance),
            remarks: remarks.into(),
            item_key: Some(key.into()),
        },
        uid: key.into(),
        books: RowBooks::default(),
    };
    let rows = vec![
        row(&futsu, "2026-09-01", 250_000, 350_000, "ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ", "20260901000001"),
        row(&futsu, "2026-09-02", -1_200, 348_800, HYPERLINK, "20260902000001"),
        row(&futsu, "2026-09-02", 0, 348_800, MULTILINE, "20260902000002"),
        row(&futsu, "2026-09-03", 10_000_000_000, 10_000_348_800, "ﾃｲｷ ｶｲﾔｸ 😀; a, b", "20260903000001"),
        row(&futsu, "2026-09-04", -5_000, 10_000_343_800, "-5000 @x +y\tz", "20260904000001"),
        row(&futsu, "2026-09-05", -300, 10_000_343_500, "𠮷野家 ①髙", "20260905000001"),
        row(&toza, "2026-09-01", -20_000, -15_000, "ｶｰﾄﾞ", "20260901000009"),
        row(&toza, "2026-09-10", 3_000, -12_000, "ﾌﾘｺﾐ ﾔﾏﾀﾞ, ﾀﾛｳ", "20260910000001"),
    ];
    (vec![futsu, toza], rows)
}

const FUTSU: &str = "Assets:Shinkumi:B2011:Futsu-001-1234567";
const TOZA: &str = "Assets:Shinkumi:B2011:Toza-002-7654321";
const FUTSU_CLOSING: i64 = 10_000_343_500;
const TOZA_CLOSING: i64 = -12_000;

fn write(options: &ExportOptions, dir: &Path, name: &str) -> Result<(PathBuf, ExportSummary), ExportError> {
    let (accounts, rows) = hostile();
    let path = dir.join(name);
    let summary = export_to_path(ExportInput::new(accounts, rows.into_iter().map(Ok)), options, &path)?;
    Ok((path, summary))
}

/// Runs a tool and returns its stdout; a missing tool or a failure fails the test.
fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {program}: {e}; install the export checkers with scripts/export-tools.sh")
    });
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{program} {args:?} failed ({}):\n{stdout}\n{stderr}", output.status);
    stdout
}

fn venv_bin(name: &str) -> String {
    let venv = std::env::var("KURA_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").expect("HOME is set")).join(".cache/kura-venv"));
    venv.join("bin").join(name).to_string_lossy().into_owned()
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// hledger's and ledger's balance of `account`, as a plain integer; zero when the tool lists no
/// balance (both leave out an account whose postings sum to nothing).
fn journal_balance(tool: &str, file: &Path, account: &str) -> i64 {
    let file = file.to_str().unwrap();
    let out = match tool {
        "hledger" => run("hledger", &["-f", file, "balance", "--flat", "-N", "-O", "csv", &format!("^{account}$")]),
        _ => run(
            "ledger",
            &[
                "-f",
                file,
                "balance",
                "--flat",
                "--no-total",
                "--balance-format",
                "%(quantity(display_total))\n",
                &format!("^{account}$"),
            ],
        ),
    };
    let Some(last) = out.lines().rfind(|l| !l.trim().is_empty() && !l.starts_with("\"account\"")) else {
        return 0;
    };
    let value = last.rsplit(',').next().unwrap().trim_matches(|c: char| c == '"' || c.is_whitespace());
    value.trim_start_matches('¥').replace(',', "").parse().unwrap_or_else(|e| panic!("{tool}: {last:?}: {e}"))
}

#[test]
fn hledger_and_ledger_read_the_journals_and_agree_to_the_yen() {
    let dir = tempdir();
    for (format, tool) in [(Format::Hledger, "hledger"), (Format::Ledger, "ledger")] {
        let (path, summary) = write(&ExportOptions::new(format), dir.path(), &format!("{tool}.journal")).unwrap();
        assert_eq!(summary.rows, 8);
        let text = std::fs::read_to_string(&path).unwrap();
        // The two consistent snapshots of the 普通 account and the 当座 one are asserted; the stale
        // one is only noted.
        assert_eq!(text.matches(" = ¥").count(), 3, "{text}");
        assert!(text.contains("; Kura snapshot 2026-09-03 09:05 JST said ¥348800"), "{text}");
        assert_eq!(journal_balance(tool, &path, FUTSU), FUTSU_CLOSING, "{tool}");
        assert_eq!(journal_balance(tool, &path, TOZA), TOZA_CLOSING, "{tool}");
        // The whole journal balances: every posting has its counterpart.
        let checked = run(tool, &["-f", path.to_str().unwrap(), "balance", "--flat"]);
        assert!(checked.contains("¥10000343500") || checked.contains("¥10,000,343,500"), "{tool}: {checked}");
    }
}

#[test]
fn a_wrong_balance_assertion_is_caught_by_hledger_and_ledger() {
    // Guards the test above: the tools really check Kura's assertions.
    let dir = tempdir();
    let (path, _) = write(&ExportOptions::new(Format::Hledger), dir.path(), "x.journal").unwrap();
    let text = std::fs::read_to_string(&path).unwrap().replace("= ¥348800", "= ¥348801");
    std::fs::write(&path, text).unwrap();
    for tool in ["hledger", "ledger"] {
        let status = Command::new(tool).args(["-f", path.to_str().unwrap(), "balance"]).output().unwrap().status;
        assert!(!status.success(), "{tool} accepted a wrong assertion");
    }
}

#[test]
fn bean_check_accepts_the_beancount_file_and_bean_query_agrees() {
    let dir = tempdir();
    let (path, _) = write(&ExportOptions::new(Format::Beancount), dir.path(), "kura.beancount").unwrap();
    let file = path.to_str().unwrap();
    let out = run(&venv_bin("bean-check"), &[file]);
    assert_eq!(out.trim(), "", "bean-check reported problems");
    let text = std::fs::read_to_string(&path).unwrap();
    // Beancount checks balances at the start of the day: the snapshot of the 2nd is dated the 3rd.
    assert!(text.contains(&format!("2026-09-03 balance {FUTSU}  348800 JPY")), "{text}");
    let script = format!(
        "from beancount import loader\nfrom beancount.core import realization\n\
         entries, errors, _ = loader.load_file({file:?})\nassert not errors, errors\n\
         real = realization.realize(entries)\n\
         for name in [{FUTSU:?}, {TOZA:?}]:\n    \
             print(name, realization.get(real, name).balance.get_currency_units('JPY').number)\n"
    );
    let out = run(&venv_bin("python"), &["-c", &script]);
    assert!(out.contains(&format!("{FUTSU} {FUTSU_CLOSING}")), "{out}");
    assert!(out.contains(&format!("{TOZA} {TOZA_CLOSING}")), "{out}");
}

#[test]
fn ofxtools_parses_the_ofx_and_its_totals_match() {
    let dir = tempdir();
    let (path, summary) = write(&ExportOptions::new(Format::Ofx), dir.path(), "kura.ofx").unwrap();
    let script = format!(
        "from ofxtools.Parser import OFXTree\nt = OFXTree()\nt.parse({:?})\nofx = t.convert()\n\
         for s in ofx.statements:\n    \
             a = s.account\n    \
             print(a.bankid, a.branchid, a.acctid, a.accttype, s.curdef, len(s.transactions), \
                   int(sum(x.trnamt for x in s.transactions)), int(s.balance.balamt), \
                   ','.join(x.fitid for x in s.transactions))\n    \
             for x in s.transactions:\n        print(repr(x.name), repr(x.memo))\n",
        path.to_str().unwrap()
    );
    let out = run(&venv_bin("python"), &["-c", &script]);
    let futsu_sum: i64 = 250_000 - 1_200 + 10_000_000_000 - 5_000 - 300;
    assert_eq!(summary.accounts[0].credits + summary.accounts[0].debits, futsu_sum);
    assert!(
        out.contains(&format!(
            "2011 001 1234567 SAVINGS JPY 6 {futsu_sum} {FUTSU_CLOSING} 20260901000001,20260902000001,20260902000002,20260903000001,20260904000001,20260905000001"
        )),
        "{out}"
    );
    assert!(out.contains(&format!("2011 002 7654321 CHECKING JPY 2 -17000 {TOZA_CLOSING} ")), "{out}");
    assert!(out.contains("'=HYPERLINK(\"http://x\",\"y\")'"), "{out}");
    assert!(out.contains("𠮷野家 ①髙"), "{out}");
    // Same rows, same FITIDs: a re-import is recognised as the same transactions.
    let (again, _) = write(&ExportOptions::new(Format::Ofx), dir.path(), "again.ofx").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&again).unwrap());
}

/// Converts `input` with LibreOffice headless into CSV (UTF-8, text cells quoted, values not as
/// shown) and returns the written files' contents, one per sheet.
fn libreoffice_to_csv(input: &Path, import_filter: Option<&str>) -> Vec<String> {
    let out_dir = input.parent().unwrap().join(format!("lo-{}", input.file_stem().unwrap().to_string_lossy()));
    let profile = input.parent().unwrap().join("lo-profile");
    let mut args = vec![format!("-env:UserInstallation=file://{}", profile.display()), "--headless".into()];
    if let Some(filter) = import_filter {
        args.push(format!("--infilter={filter}"));
    }
    // Tokens: separator, quote, UTF-8, first line, -, ja-JP, quote all text, -, values not as
    // shown, -, -, all sheets.
    args.extend([
        "--convert-to".into(),
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,1041,true,true,false,false,false,-1".into(),
        "--outdir".into(),
        out_dir.display().to_string(),
        input.display().to_string(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run("soffice", &args);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty(), "LibreOffice wrote nothing for {}", input.display());
    files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect()
}

/// What every spreadsheet round trip must show: typed numbers and dates, text kept verbatim
/// (formula-like remarks neutralised and never evaluated), line breaks and quotes intact.
fn assert_spreadsheet_values(csv: &str, remark_prefix: &str) {
    assert!(csv.contains("09/02/2026,09/02/2026,-1200,,1200,348800,"), "{csv}");
    assert!(csv.contains(&format!("\"{remark_prefix}=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")), "{csv}");
    assert!(csv.contains("\"say \"\"hi\"\", then\nnew line\""), "{csv}");
    assert!(csv.contains(",10000000000,10000000000,,10000348800,"), "{csv}");
    assert!(csv.contains(&format!("\"{remark_prefix}-5000 @x +y\tz\"")), "{csv}");
    assert!(csv.contains(",-15000,\"ｶｰﾄﾞ\""), "{csv}");
}

#[test]
fn libreoffice_opens_the_utf8_csv_with_typed_values_and_no_formulas() {
    let dir = tempdir();
    let (path, _) = write(&ExportOptions::new(Format::Csv), dir.path(), "kura.csv").unwrap();
    let sheets = libreoffice_to_csv(&path, Some("CSV:44,34,76,1,,1041,false,true"));
    assert_spreadsheet_values(&sheets[0], "'");
    assert!(sheets[0].contains("ﾃｲｷ ｶｲﾔｸ 😀; a, b"), "{}", sheets[0]);
    assert!(sheets[0].contains("𠮷野家 ①髙"), "{}", sheets[0]);
}

#[test]
fn libreoffice_opens_the_cp932_csv_and_unmappable_characters_fail_or_are_replaced_on_request() {
    let dir = tempdir();
    let mut options = ExportOptions::new(Format::Csv);
    options.encoding = Encoding::Cp932;
    let err = write(&options, dir.path(), "strict.csv").unwrap_err();
    let message = err.to_string();
    assert!(message.contains("row 4 (2026-09-03, account 2011-001-1-1234567)"), "{message}");
    assert!(message.contains("'😀' (U+1F600)"), "{message}");
    assert!(!dir.path().join("strict.csv").exists(), "a failed export left a file behind");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "a temporary file was left behind");

    options.unmappable = Unmappable::Replace('〓');
    let (path, _) = write(&options, dir.path(), "sjis.csv").unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "CP932 has no BOM");
    let sheets = libreoffice_to_csv(&path, Some("CSV:44,34,60,1,,1041,false,true"));
    assert_spreadsheet_values(&sheets[0], "'");
    assert!(sheets[0].contains("ﾃｲｷ ｶｲﾔｸ 〓; a, b"), "{}", sheets[0]);
    // 𠮷 is outside CP932; the NEC and IBM extensions ① and 髙 are inside.
    assert!(sheets[0].contains("〓野家 ①髙"), "{}", sheets[0]);

    options.unmappable = Unmappable::Replace('😀');
    assert!(matches!(write(&options, dir.path(), "bad.csv"), Err(ExportError::BadReplacement('😀'))));
}

#[test]
fn libreoffice_opens_the_xlsx_with_dates_and_yen_typed() {
    let dir = tempdir();
    let mut options = ExportOptions::new(Format::Xlsx);
    options.sheets = SheetLayout::Combined;
    options.lang = Lang::En;
    let (path, _) = write(&options, dir.path(), "combined.xlsx").unwrap();
    let sheets = libreoffice_to_csv(&path, None);
    assert_eq!(sheets.len(), 1);
    // XLSX cells are typed strings: nothing is evaluated, so no quote is needed.
    assert_spreadsheet_values(&sheets[0], "");
    assert!(sheets[0].starts_with("\"Date\",\"Value date\",\"Amount\""), "{}", sheets[0]);

    options.sheets = SheetLayout::PerAccount;
    let (path, _) = write(&options, dir.path(), "per-account.xlsx").unwrap();
    let sheets = libreoffice_to_csv(&path, None);
    assert_eq!(sheets.len(), 2, "one sheet per account");
    assert_eq!(sheets[0].lines().count(), 1 + 6 + 1, "{}", sheets[0]);
    assert!(sheets[1].contains(",-15000,\"ｶｰﾄﾞ\""), "{}", sheets[1]);
}

/// The demo at two unions, synced once into a new store in `dir`: the starter rules filed its
/// lines and Kura paired the transfers between its accounts (普通 → 貯蓄, and 2011 → 2680).
async fn filed_store(dir: &Path) -> Store {
    let sandbox = sync_support::start().await;
    let (store, links) = sync_support::demo_links(&sandbox, dir, &["2011", "2680"]).await;
    let store = Arc::new(Mutex::new(store));
    let engine = SyncEngine::new(store.clone(), SyncOptions::default());
    sync_support::sync_links(&engine, &sandbox, &links).await;
    drop(engine);
    Arc::try_unwrap(store).ok().expect("the engine is gone").into_inner().unwrap()
}

/// Writes the whole store in `options` to `dir/name`.
fn write_store(store: &Store, options: &ExportOptions, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    write_atomically(&path, |out| export_from_store(store, &ExportFilter::default(), options, out)).unwrap();
    path
}

/// The rows an export of the whole store writes, with their books, as JSON Lines read them back.
fn store_rows(store: &Store) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    export_from_store(store, &ExportFilter::default(), &ExportOptions::new(Format::Jsonl), &mut out).unwrap();
    String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// A row's text field of its books, empty when it has none.
fn books_text(row: &serde_json::Value, field: &str) -> String {
    row["books"][field].as_str().unwrap_or_default().to_owned()
}

fn is_transfer(row: &serde_json::Value) -> bool {
    row["books"]["transfer"].as_bool().unwrap()
}

/// Whether the row is the second side of a pair whose both lines are exported, which the
/// formats that write movements leave to the first (the rows come in export order, so the
/// first side's account came earlier).
fn second_side(row: &serde_json::Value, accounts_before: &[String]) -> bool {
    let pair = &row["books"]["pair"];
    pair["exported"].as_bool() == Some(true)
        && accounts_before.contains(&pair["accountId"].as_str().unwrap().to_owned())
}

/// Each row with whether it is a [`second_side`].
fn with_second_sides(rows: &[serde_json::Value]) -> Vec<(&serde_json::Value, bool)> {
    let mut accounts: Vec<String> = Vec::new();
    rows.iter()
        .map(|row| {
            let account = row["accountId"].as_str().unwrap().to_owned();
            if accounts.last() != Some(&account) {
                accounts.push(account.clone());
            }
            (row, second_side(row, &accounts[..accounts.len() - 1]))
        })
        .collect()
}

/// A yen amount as the tools print it (`¥1,200`, `-¥1200`, `¥-1200`, `1200`).
fn yen(s: &str) -> i64 {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
    digits.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// Each `Expenses`/`Income` account's own balance over `month` in `tool` (hledger, ledger or
/// beancount's own loader), zeros left out.
fn month_balances(tool: &str, file: &Path, month: YearMonth) -> BTreeMap<String, i64> {
    let file = file.to_str().unwrap();
    let (from, to) = (month.first_day().to_string(), month.next().first_day().to_string());
    let out = match tool {
        "hledger" => {
            let csv = run(
                "hledger",
                &["-f", file, "balance", "-b", &from, "-e", &to, "--flat", "-N", "-O", "csv", "^(Expenses|Income):"],
            );
            // Tab-separated like ledger's lines below.
            csv::Reader::from_reader(csv.as_bytes())
                .records()
                .map(|r| r.unwrap().iter().collect::<Vec<_>>().join("\t") + "\n")
                .collect()
        }
        "beancount" => {
            let script = format!(
                "from collections import defaultdict\nimport datetime\nfrom beancount import loader\n\
                 from beancount.core import data\n\
                 entries, errors, _ = loader.load_file({file:?})\nassert not errors, errors\n\
                 sums = defaultdict(int)\n\
                 for e in entries:\n    \
                     if isinstance(e, data.Transaction) and datetime.date.fromisoformat({from:?}) <= e.date \
                 < datetime.date.fromisoformat({to:?}):\n        \
                         for p in e.postings:\n            \
                             sums[p.account] += int(p.units.number)\n\
                 for account, amount in sums.items():\n    print(account + '\\t' + str(amount))\n"
            );
            run(&venv_bin("python"), &["-c", &script])
        }
        _ => run(
            "ledger",
            &[
                "-f",
                file,
                "-b",
                &from,
                "-e",
                &to,
                "balance",
                "--flat",
                "--no-total",
                "--balance-format",
                "%(account)\t%(quantity(display_total))\n",
                "^(Expenses|Income):",
            ],
        ),
    };
    out.lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(account, _)| account.starts_with("Expenses:") || account.starts_with("Income:"))
        .map(|(account, amount)| (account.to_owned(), yen(amount)))
        .filter(|(_, amount)| *amount != 0)
        .collect()
}

#[tokio::test]
async fn journals_post_each_category_to_its_account_with_month_totals_equal_to_kura_s_report() {
    let dir = tempdir();
    let store = filed_store(dir.path()).await;
    let month = YearMonth { year: 2026, month: 10 };
    let tree = store.categories().unwrap();
    let totals = store.category_months(month, month, &[]).unwrap();
    let report = month_report(&tree, month, &totals, &[], month.last_day(), Lang::Ja, "未分類");
    // What each journal account must hold over the month: a category's spending (income is
    // negative in a journal), the uncategorised in the default accounts; beancount's names ASCII.
    let defaults = JournalAccounts::default();
    let expected_in = |ascii: bool| {
        let mut expected: BTreeMap<String, i64> = BTreeMap::new();
        for (figures, sign, uncategorised) in
            [(&report.spending_by_category, 1, &defaults.expense), (&report.income_by_category, -1, &defaults.income)]
        {
            for top in figures {
                let leaves = if top.children.is_empty() { std::slice::from_ref(top) } else { &top.children[..] };
                for leaf in leaves {
                    let account = match leaf.category_id {
                        Some(id) => account_of(&tree, id, Lang::Ja, ascii).unwrap(),
                        None => uncategorised.clone(),
                    };
                    *expected.entry(account).or_default() += sign * leaf.amount;
                }
            }
        }
        expected.retain(|_, amount| *amount != 0);
        expected
    };
    let expected = expected_in(false);
    assert!(expected.len() >= 8, "the demo's month is filed under many categories: {expected:?}");
    assert!(expected.keys().any(|a| a.starts_with("Expenses:水道・光熱費:")), "{expected:?}");

    let rows = store_rows(&store);
    let pairs = rows.iter().filter(|r| r["books"]["pair"]["exported"].as_bool() == Some(true)).count();
    assert!(pairs >= 4 && pairs % 2 == 0, "the demo's transfers are paired: {pairs}");
    let unpaired: i64 = rows
        .iter()
        .filter(|r| is_transfer(r) && r["books"]["pair"]["exported"].as_bool() != Some(true))
        .map(|r| r["amount"].as_i64().unwrap())
        .sum();
    for (format, tool) in [(Format::Hledger, "hledger"), (Format::Ledger, "ledger")] {
        let path = write_store(&store, &ExportOptions::new(format), dir.path(), &format!("books-{tool}.journal"));
        // Reading the file checks every transaction balances and every assertion holds.
        assert_eq!(month_balances(tool, &path, month), expected, "{tool}");
        let text = std::fs::read_to_string(&path).unwrap();
        // A pair is one transaction between the two asset accounts, written once; what has no
        // exported other side waits in Assets:Transfers.
        assert_eq!(text.matches("    ; 振替: ").count(), pairs / 2, "{tool}");
        assert_eq!(journal_balance(tool, &path, &defaults.transfers), -unpaired, "{tool}");
        assert!(text.contains(" = ¥"), "the snapshots are asserted across the pairs: {tool}");
    }
    let path = write_store(&store, &ExportOptions::new(Format::Beancount), dir.path(), "books.beancount");
    assert_eq!(month_balances("beancount", &path, month), expected_in(true), "beancount");
    // One account alone: none of its transfers has its other side in the file.
    let first = rows[0]["accountId"].as_str().unwrap();
    let moved: i64 =
        rows.iter().filter(|r| r["accountId"] == first && is_transfer(r)).map(|r| r["amount"].as_i64().unwrap()).sum();
    assert_ne!(moved, 0);
    let path = dir.path().join("one.journal");
    let filter = ExportFilter { accounts: vec![first.to_owned()], ..ExportFilter::default() };
    write_atomically(&path, |out| export_from_store(&store, &filter, &ExportOptions::new(Format::Hledger), out))
        .unwrap();
    for tool in ["hledger", "ledger"] {
        assert_eq!(journal_balance(tool, &path, &defaults.transfers), -moved, "{tool}");
    }
}

#[tokio::test]
async fn bean_check_accepts_the_books_with_ascii_category_accounts_whole_or_one_account() {
    let dir = tempdir();
    let store = filed_store(dir.path()).await;
    let whole = write_store(&store, &ExportOptions::new(Format::Beancount), dir.path(), "books.beancount");
    let out = run(&venv_bin("bean-check"), &[whole.to_str().unwrap()]);
    assert_eq!(out.trim(), "", "bean-check reported problems");
    let text = std::fs::read_to_string(&whole).unwrap();
    assert!(text.contains(" open Expenses:Utilities:Electricity JPY"), "{text}");
    let pairs = store_rows(&store).iter().filter(|r| r["books"]["pair"]["exported"].as_bool() == Some(true)).count();
    assert_eq!(text.matches("  kura-pair: ").count(), pairs / 2);

    // One account alone: its transfers' other sides are not in the file.
    let first = store_rows(&store)[0]["accountId"].as_str().unwrap().to_owned();
    let path = dir.path().join("one.beancount");
    let filter = ExportFilter { accounts: vec![first], ..ExportFilter::default() };
    write_atomically(&path, |out| export_from_store(&store, &filter, &ExportOptions::new(Format::Beancount), out))
        .unwrap();
    assert_eq!(run(&venv_bin("bean-check"), &[path.to_str().unwrap()]).trim(), "");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("    Assets:Transfers\n"), "{text}");
    assert!(!text.contains("kura-pair"), "{text}");
}

/// A CSV export decoded and parsed (the header first).
fn read_csv(path: &Path, encoding: Encoding) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = match encoding {
        Encoding::Utf8Bom => {
            String::from_utf8(bytes.strip_prefix("\u{feff}".as_bytes()).expect("a BOM").to_vec()).unwrap()
        }
        Encoding::Cp932 => {
            let (text, _, malformed) = encoding_rs::SHIFT_JIS.decode(&bytes);
            assert!(!malformed);
            text.into_owned()
        }
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn csv_money_forward_and_zaim_read_back_with_their_categories_in_both_encodings() {
    let dir = tempdir();
    let store = filed_store(dir.path()).await;
    let rows = store_rows(&store);
    let flag = |row: &serde_json::Value| if is_transfer(row) { "1" } else { "0" }.to_owned();
    let filed = |row: &serde_json::Value| [books_text(row, "category"), books_text(row, "subcategory")];
    assert!(rows.iter().filter(|r| !books_text(r, "category").is_empty()).count() > rows.len() / 2);
    for encoding in [Encoding::Utf8Bom, Encoding::Cp932] {
        let options = |format| ExportOptions { encoding, ..ExportOptions::new(format) };
        let name = |format: Format| format!("{}-{encoding:?}.csv", format.name());

        let csv = read_csv(&write_store(&store, &options(Format::Csv), dir.path(), &name(Format::Csv)), encoding);
        assert_eq!(csv[0][13..], ["大項目", "中項目", "メモ", "振替"]);
        assert_eq!(csv.len(), rows.len() + 1);
        for (record, row) in csv[1..].iter().zip(&rows) {
            assert_eq!(record[2], row["amount"].to_string());
            assert_eq!(record[13..15], filed(row));
            assert_eq!((record[15].as_str(), &record[16]), (books_text(row, "memo").as_str(), &flag(row)));
        }

        let path = write_store(&store, &options(Format::MoneyForward), dir.path(), &name(Format::MoneyForward));
        let mf = read_csv(&path, encoding);
        assert_eq!(
            mf[0],
            ["計算対象", "日付", "内容", "金額（円）", "保有金融機関", "大項目", "中項目", "メモ", "振替", "ID"]
        );
        assert_eq!(mf.len(), rows.len() + 1, "every line, both sides of a transfer");
        for (record, row) in mf[1..].iter().zip(&rows) {
            assert_eq!(record[0], if is_transfer(row) { "0" } else { "1" }, "計算対象");
            assert_eq!(record[1], row["transactionDate"].as_str().unwrap().replace('-', "/"));
            assert_eq!(record[3], row["amount"].to_string());
            assert!(record[4].starts_with("北央信用組合 ") || record[4].contains("信用組合 "), "{record:?}");
            assert_eq!(record[5..7], filed(row));
            assert_eq!(record[8], flag(row));
        }

        let path = write_store(&store, &options(Format::Zaim), dir.path(), &name(Format::Zaim));
        let zaim = read_csv(&path, encoding);
        assert_eq!(zaim[0][..6], ["日付", "方法", "カテゴリ", "カテゴリの内訳", "支払元", "入金先"]);
        let movements: Vec<_> = with_second_sides(&rows).into_iter().filter(|(_, second)| !second).collect();
        assert!(movements.len() < rows.len(), "a paired transfer is written once");
        assert_eq!(zaim.len(), movements.len() + 1);
        for (record, (row, _)) in zaim[1..].iter().zip(&movements) {
            let amount = row["amount"].as_i64().unwrap();
            let (method, column) = match () {
                _ if is_transfer(row) => ("transfer", 12),
                _ if amount < 0 => ("payment", 11),
                _ => ("income", 10),
            };
            assert_eq!((record[0].as_str(), record[1].as_str()), (row["transactionDate"].as_str().unwrap(), method));
            assert_eq!(record[column], amount.abs().to_string(), "{record:?}");
            if method == "transfer" {
                let paired = row["books"]["pair"]["exported"].as_bool() == Some(true);
                assert_eq!(
                    !record[4].is_empty() && !record[5].is_empty(),
                    paired || !row["books"]["pair"].is_null(),
                    "{record:?}"
                );
            } else {
                assert_eq!(record[2..4], filed(row));
            }
        }
    }
}

#[tokio::test]
async fn libreoffice_reads_the_category_columns_of_the_xlsx_and_ofxtools_the_ofx() {
    let dir = tempdir();
    let store = filed_store(dir.path()).await;
    let rows = store_rows(&store);
    let options = ExportOptions { sheets: SheetLayout::Combined, ..ExportOptions::new(Format::Xlsx) };
    let sheets = libreoffice_to_csv(&write_store(&store, &options, dir.path(), "books.xlsx"), None);
    let sheet: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(sheets[0].as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(sheet[0][12..], ["大項目", "中項目", "メモ", "振替"]);
    assert_eq!(sheet.len(), rows.len() + 1);
    for (record, row) in sheet[1..].iter().zip(&rows) {
        assert_eq!(record[12..14], [books_text(row, "category"), books_text(row, "subcategory")]);
        assert_eq!(record[15], if is_transfer(row) { "1" } else { "0" });
    }

    let path = write_store(&store, &ExportOptions::new(Format::Ofx), dir.path(), "books.ofx");
    let script = format!(
        "from ofxtools.Parser import OFXTree\nt = OFXTree()\nt.parse({:?})\nofx = t.convert()\n\
         for s in ofx.statements:\n    \
             for x in s.transactions or []:\n        print(x.trntype, x.memo or '')\n",
        path.to_str().unwrap()
    );
    let out = run(&venv_bin("python"), &["-c", &script]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), rows.len());
    for (line, row) in lines.iter().zip(&rows) {
        assert_eq!(line.starts_with("XFER"), is_transfer(row), "{line}");
        let category = books_text(row, "category");
        assert!(line.contains(&category), "{line}: {category}");
    }
}
