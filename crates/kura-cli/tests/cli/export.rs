//! `kura export` and the browser download of `kura serve`, run as the binary against a store seeded
//! through the core's write API: every format, the filters, what happens to an existing file, and
//! failures that leave no file behind.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::Server;
use chrono::{NaiveDate, TimeZone, Utc};
use kura_core::export::store::{ExportFilter, export_from_store};
use kura_core::export::{ExportOptions, Format};
use kura_core::model::AsOf;
use kura_core::store::Store;
use kura_core::testing;
use tempfile::TempDir;

const FUTSU: &str = "2011-001-1-1234567";
const TOZA: &str = "2011-001-2-7654321";

/// Two accounts; the second holds a remark with 🍣, which Shift_JIS (CP932) cannot hold.
fn seed(dir: &Path) {
    let mut store = Store::open(Some(&dir.join("data"))).unwrap();
    let now = Utc::now();
    let link = store.add_link(&testing::new_link(testing::BANK_CODE, "sandbox"), now).unwrap();
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let line = |d, amount, balance, remarks: &str| testing::line(day(d), amount, Some(balance), remarks, None);
    let accounts = [
        (
            "01",
            "1234567",
            vec![
                line(20, 250_000, 1_234_567, "ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ"),
                line(21, -1_234, 1_233_333, "カード利用"),
                line(22, -10_000, 1_223_333, "ATM ｼﾊﾗｲ"),
            ],
            1_223_333,
        ),
        ("02", "7654321", vec![line(21, -5_000, 95_000, "寿司🍣"), line(23, 20_000, 115_000, "ﾌﾘｺﾐ")], 115_000),
    ];
    let as_of = AsOf { date: day(24), at: Utc.with_ymd_and_hms(2026, 11, 24, 1, 15, 0).unwrap() };
    for (type_code, number, lines, balance) in accounts {
        let id = store.upsert_account(link, &testing::remote_account(type_code, number), now).unwrap();
        testing::store_sync(&mut store, id, &lines, Some(testing::reading(balance, as_of)), Some(day(23)), now);
    }
}

fn seeded() -> TempDir {
    let dir = TempDir::new().unwrap();
    seed(dir.path());
    dir
}

/// `kura ARGS` with the store in `dir`/data and a config home of its own.
fn kura(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kura"))
        .args(args)
        .env("KURA_DATA_DIR", dir.join("data"))
        .env("KURA_CONFIG_DIR", dir.join("config"))
        .output()
        .unwrap()
}

fn kura_ok(dir: &Path, args: &[&str]) -> String {
    let out = kura(dir, args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The failure's message; the command must have failed.
fn kura_err(dir: &Path, args: &[&str]) -> String {
    let out = kura(dir, args);
    assert!(!out.status.success(), "{args:?} succeeded: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What the core writes for the same store and options: the CLI must write exactly this.
fn core_export(dir: &Path, options: &ExportOptions) -> Vec<u8> {
    let store = Store::open(Some(&dir.join("data"))).unwrap();
    let mut out = Vec::new();
    export_from_store(&store, &ExportFilter::default(), options, &mut out).unwrap();
    out
}

/// The files in `dir` other than the store's, so a test can see nothing was left behind.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "data" && n != "config")
        .collect();
    names.sort();
    names
}

fn jsonl_rows(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = dir.join("rows.jsonl");
    let mut all = vec!["export", "-f", "jsonl", "--force", "-o", out.to_str().unwrap()];
    all.extend_from_slice(args);
    kura_ok(dir, &all);
    std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn every_format_writes_what_the_core_exports_and_says_so() {
    let dir = seeded();
    for format in Format::ALL {
        let path = dir.path().join(format!("all-{}.{}", format.name(), format.extension()));
        let said = kura_ok(dir.path(), &["export", "--format", format.name(), "-o", path.to_str().unwrap()]);
        assert!(said.contains("5 rows from 2 accounts exported"), "{}: {said}", format.name());
        let written = std::fs::read(&path).unwrap();
        assert_eq!(written, core_export(dir.path(), &ExportOptions::new(format)), "{}", format.name());
        let text = String::from_utf8_lossy(&written);
        match format {
            Format::Csv => {
                assert!(written.starts_with("\u{feff}取引日,".as_bytes()), "{text}");
                assert_eq!(text.lines().count(), 6, "{text}");
                assert!(
                    text.contains("2026/11/21,2026/11/21,-1234,,1234,1233333,カード利用,2011-001-1-1234567,2011,"),
                    "{text}"
                );
            }
            Format::MoneyForward => {
                assert!(written.starts_with("\u{feff}計算対象,日付,内容,金額（円）,".as_bytes()), "{text}");
                assert_eq!(text.lines().count(), 6, "{text}");
            }
            Format::Zaim => assert!(written.starts_with("\u{feff}日付,方法,カテゴリ,".as_bytes()), "{text}"),
            Format::Xlsx => assert!(written.starts_with(b"PK\x03\x04") && text.contains("xl/worksheets/"), "xlsx"),
            Format::Ofx => {
                assert!(text.contains("<OFX>") && text.contains("<TRNAMT>-1234"), "{text}");
                assert_eq!(text.matches("<STMTTRN>").count(), 5, "{text}");
            }
            Format::Qif => {
                assert!(text.contains("!Type:Bank") && text.contains("\nT-1234\n"), "{text}");
                assert_eq!(text.matches("\n^\n").count(), 7, "two account blocks and five rows: {text}");
            }
            Format::Ledger | Format::Hledger | Format::Beancount => {
                assert!(text.contains("2026-11-21") && text.contains("カード利用"), "{text}");
                assert!(text.contains("1223333") || text.contains("1,223,333"), "closing balance: {text}");
            }
            Format::Jsonl => {
                assert_eq!(text.lines().count(), 5, "{text}");
                let total: i64 = text
                    .lines()
                    .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["amount"].as_i64().unwrap())
                    .sum();
                assert_eq!(total, 250_000 - 1_234 - 10_000 - 5_000 + 20_000);
            }
        }
    }
    // Standard output, for pipes.
    let out = kura(dir.path(), &["export", "-f", "jsonl", "-o", "-"]);
    assert!(out.status.success());
    assert_eq!(out.stdout, core_export(dir.path(), &ExportOptions::new(Format::Jsonl)));
}

#[test]
fn account_dates_and_direction_filter_the_rows() {
    let dir = seeded();
    let dir = dir.path();
    let field = |rows: &[serde_json::Value], name: &str| -> Vec<String> {
        rows.iter().map(|r| r[name].as_str().map_or_else(|| r[name].to_string(), str::to_owned)).collect()
    };

    let futsu = jsonl_rows(dir, &["--account", FUTSU]);
    assert_eq!(field(&futsu, "accountId"), [FUTSU; 3]);
    let both = jsonl_rows(dir, &["--account", FUTSU, "--account", TOZA]);
    assert_eq!(both.len(), 5);

    let period = jsonl_rows(dir, &["--from", "2026-11-21", "--to", "2026-11-22"]);
    assert_eq!(field(&period, "transactionDate"), ["2026-11-21", "2026-11-22", "2026-11-21"]);

    let incoming = jsonl_rows(dir, &["--in"]);
    assert_eq!(field(&incoming, "amount"), ["250000", "20000"]);
    let outgoing = jsonl_rows(dir, &["--out", "--account", TOZA]);
    assert_eq!(field(&outgoing, "amount"), ["-5000"]);

    assert!(kura_err(dir, &["export", "-f", "csv", "--in", "--out", "-o", "x.csv"]).contains("cannot be used with"));
    let backwards =
        kura_err(dir, &["export", "-f", "csv", "--from", "2026-11-22", "--to", "2026-11-21", "-o", "x.csv"]);
    assert!(backwards.contains("--from 2026-11-22 is after --to 2026-11-21"), "{backwards}");
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let dir = seeded();
    let path = dir.path().join("明細.csv");
    std::fs::write(&path, "keep me").unwrap();
    let target = path.to_str().unwrap();

    let refused = kura_err(dir.path(), &["export", "-f", "csv", "-o", target]);
    assert!(refused.contains("exists already") && refused.contains("--force"), "{refused}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");

    kura_ok(dir.path(), &["export", "-f", "csv", "--force", "-o", target]);
    assert_eq!(std::fs::read(&path).unwrap(), core_export(dir.path(), &ExportOptions::new(Format::Csv)));
    assert_eq!(files_in(dir.path()), ["明細.csv"]);
}

#[test]
fn failures_say_what_to_do_and_leave_no_file() {
    let dir = seeded();
    let missing_folder = dir.path().join("no-such-folder").join("out.csv");
    let err = kura_err(dir.path(), &["export", "-f", "csv", "-o", missing_folder.to_str().unwrap()]);
    assert!(err.contains("no file was written") && err.contains("choose a folder that exists"), "{err}");
    // A folder that is a file (root may write anywhere, so this is the unwritable folder a test can make).
    std::fs::write(dir.path().join("a-file"), "").unwrap();
    let under_a_file = dir.path().join("a-file").join("out.csv");
    let err = kura_err(dir.path(), &["export", "-f", "csv", "-o", under_a_file.to_str().unwrap()]);
    assert!(err.contains("no file was written") && err.contains("choose a folder that exists"), "{err}");
    std::fs::remove_file(dir.path().join("a-file")).unwrap();

    let out = dir.path().join("out.csv");
    let err =
        kura_err(dir.path(), &["export", "-f", "csv", "--account", "9999-999-1-0000000", "-o", out.to_str().unwrap()]);
    assert!(err.contains("no account \"9999-999-1-0000000\"") && err.contains("`kura accounts`"), "{err}");

    let err = kura_err(dir.path(), &["export", "-f", "pdf", "-o", out.to_str().unwrap()]);
    assert!(err.contains("possible values: csv, xlsx, ofx, qif, ledger, hledger, beancount, jsonl"), "{err}");
    assert!(files_in(dir.path()).is_empty(), "{:?}", files_in(dir.path()));
}

/// `寿司` and `〓` in Shift_JIS (CP932).
const SUSHI_SJIS: &[u8] = b"\x8e\xf5\x8e\x69";
const GETA_SJIS: &[u8] = b"\x81\xac";

#[test]
fn cp932_names_the_row_it_cannot_write_unless_asked_to_replace() {
    let dir = seeded();
    let out = dir.path().join("sjis.csv");
    let target = out.to_str().unwrap();

    let err = kura_err(dir.path(), &["export", "-f", "csv", "--encoding", "cp932", "-o", target]);
    assert!(err.contains("row 4 (2026-11-21, account 2011-001-2-7654321)"), "{err}");
    assert!(err.contains("U+1F363") && err.contains("--replace-unmappable"), "{err}");
    assert!(files_in(dir.path()).is_empty(), "{:?}", files_in(dir.path()));

    // The account without the character exports fine.
    kura_ok(dir.path(), &["export", "-f", "csv", "--encoding", "cp932", "--account", FUTSU, "-o", target]);
    let futsu = std::fs::read(&out).unwrap();
    assert!(futsu.starts_with(b"\x8e\xe6\x88\xf8\x93\xfa,"), "取引日 in CP932, no BOM");

    kura_ok(
        dir.path(),
        &["export", "-f", "csv", "--encoding", "cp932", "--replace-unmappable", "--force", "-o", target],
    );
    let replaced = std::fs::read(&out).unwrap();
    let sushi = [SUSHI_SJIS, GETA_SJIS].concat();
    assert!(replaced.windows(sushi.len()).any(|w| w == sushi), "寿司〓 in CP932");

    kura_ok(
        dir.path(),
        &["export", "-f", "csv", "--encoding", "cp932", "--replace-unmappable=?", "--force", "-o", target],
    );
    let question = [SUSHI_SJIS, b"?"].concat();
    assert!(std::fs::read(&out).unwrap().windows(question.len()).any(|w| w == question), "寿司? in CP932");
}

#[test]
fn the_browser_downloads_an_export_once_through_a_ticket() {
    let dir = seeded();
    let server = Server::start(dir.path());

    // The ticket takes the session token, like every API call.
    // (No body: a refusal does not read one, and unread data makes the socket close with a reset.)
    let (status, _, _) = server.request("POST", "/api/export/download", &[], "");
    assert_eq!(status, 401);

    let (status, answer) =
        server.api("export/download", r#"{"format":"csv","accounts":[],"from":null,"to":null,"flow":null}"#);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["rows"], 5);
    assert_eq!(answer["accounts"], 2);
    let name = answer["fileName"].as_str().unwrap();
    assert!(name.starts_with("kura-") && name.ends_with(".csv"), "{name}");
    let url = answer["url"].as_str().unwrap();
    assert!(!url.contains(&server.token), "the session token never goes into a URL");

    // A foreign Host is refused even with a good ticket (DNS rebinding).
    let mut foreign = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(foreign, "GET {url} HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n", server.port).unwrap();
    let mut refused = String::new();
    foreign.read_to_string(&mut refused).unwrap();
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");

    let (status, head, body) = server.request("GET", url, &[], "");
    assert_eq!(status, 200, "{head}");
    assert!(head.contains(&format!("content-disposition: attachment; filename=\"{name}\"")), "{head}");
    assert!(head.contains("content-type: text/csv") && head.contains("cache-control: no-store"), "{head}");
    assert_eq!(body, core_export(dir.path(), &ExportOptions::new(Format::Csv)));

    // One download per ticket.
    let (status, _, body) = server.request("GET", url, &[], "");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("export again"));

    // Options reach the export: Shift_JIS, one account, money out.
    let (status, answer) = server.api(
        "export/download",
        r#"{"format":"csv","shiftJis":true,"accounts":[1],"flow":"out","from":null,"to":null}"#,
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["rows"], 2);
    let (_, _, body) = server.request("GET", answer["url"].as_str().unwrap(), &[], "");
    assert!(body.starts_with(b"\x8e\xe6\x88\xf8\x93\xfa,"), "CP932 headers");

    // A failing export answers like the `export` command and offers nothing to download.
    let (status, answer) =
        server.api("export/download", r#"{"format":"csv","shiftJis":true,"from":null,"to":null,"flow":null}"#);
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["kind"], "invalid", "the choice needs changing, not the destination");
    let message = answer["message"].as_str().unwrap();
    assert!(message.contains("row 4") && message.contains("Replace characters Shift_JIS cannot hold"), "{answer}");
    // ... unless the dialog asked for the character to be replaced.
    let (status, answer) =
        server.api("export/download", r#"{"format":"csv","shiftJis":true,"replaceUnmappable":true}"#);
    assert_eq!(status, 200, "{answer}");
    let (_, _, body) = server.request("GET", answer["url"].as_str().unwrap(), &[], "");
    let sushi = [SUSHI_SJIS, GETA_SJIS].concat();
    assert!(body.windows(sushi.len()).any(|w| w == sushi), "寿司〓 in CP932");
    let (status, answer) = server.api("export/download", r#"{"format":"pdf"}"#);
    assert_eq!(status, 400, "{answer}");
    let (status, _, _) = server.request("GET", "/api/export/download/0123456789abcdef", &[], "");
    assert_eq!(status, 404);
}
