//! Exports checked by tools no one here wrote: hledger, ledger, bean-check (beancount), ofxtools and
//! LibreOffice read what Kura writes, and their totals must equal Kura's to the yen. The tools are
//! required: scripts/export-tools.sh installs them (CI runs it), and a missing tool fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, NaiveDate, Utc};
use kura_core::export::{
    BalanceSnapshot, Encoding, ExportAccount, ExportError, ExportInput, ExportOptions, ExportRow, ExportSummary,
    Format, Lang, SheetLayout, Unmappable, export_to_path,
};
use kura_core::model::{AccountIdentity, Transaction};

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
    let summary = export_to_path(ExportInput { accounts, rows: rows.into_iter().map(Ok) }, options, &path)?;
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

/// hledger's and ledger's balance of `account`, as a plain integer.
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
    let last = out
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or_else(|| panic!("{tool}: no balance for {account}:\n{out}"));
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
