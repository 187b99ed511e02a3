//! The scheduled monthly export both shells run at start and after each sync: last month's file,
//! written once every linked account has synced past the month's end, once only, in the chosen
//! format; a missing folder is refused in Settings and reported (once) when it vanishes later.

use std::path::Path;

use chrono::{NaiveDate, Utc};
use kura_core::app::monthly_export::{MonthlyExportOutcome, follow_syncs, run_if_due};
use kura_core::app::{AppContext, ErrorKind, dispatch};
use kura_core::format::jst_date;
use kura_core::model::AccountId;
use kura_core::store::Store;
use kura_core::testing::{line, link_with_account, store_sync};
use serde_json::{Value, json};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A data folder whose one account has lines on the last of September, in October and on the first
/// of November, with its history complete through `synced_through`.
fn seeded(data: &Path, synced_through: NaiveDate) -> AccountId {
    let mut store = Store::open(Some(data)).unwrap();
    let (_, account) = link_with_account(&mut store, "sandbox", Utc::now());
    let lines = [
        line(day(2026, 9, 30), -1_000, Some(99_000), "九月", Some("k1")),
        line(day(2026, 10, 1), 250_000, Some(349_000), "給与", Some("k2")),
        line(day(2026, 10, 31), -5_000, Some(344_000), "寿司🍣", Some("k3")),
        line(day(2026, 11, 1), -2_000, Some(342_000), "十一月", Some("k4")),
    ];
    store_sync(&mut store, account, &lines, None, Some(synced_through), Utc::now());
    account
}

/// Turns the monthly export on the way a saved settings file does, so opening the context does not
/// itself run an export for the real calendar's last month.
fn open_with(data: &Path, monthly: Value) -> AppContext {
    std::fs::write(data.join("settings.json"), json!({ "monthlyExport": monthly }).to_string()).unwrap();
    AppContext::open(data.to_owned()).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 10);

fn today() -> NaiveDate {
    day(TODAY.0, TODAY.1, TODAY.2)
}

#[tokio::test]
async fn last_months_file_is_written_once_after_every_account_synced_past_the_month() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let account = seeded(data.path(), day(2026, 10, 20));
    let ctx = open_with(data.path(), json!({"folder": out.path(), "format": "jsonl"}));
    let file = out.path().join("kura-2026-10.jsonl");

    let run = run_if_due(&ctx, today()).await.expect("the export is on");
    assert!(matches!(run.status.outcome, MonthlyExportOutcome::WaitingForSync { accounts: 1 }), "{run:?}");
    assert_eq!(run.status.month, "2026-10");
    assert!(!run.news && !file.exists(), "an incomplete month is not written");

    {
        let mut store = Store::open(Some(data.path())).unwrap();
        store_sync(&mut store, account, &[], None, Some(day(2026, 11, 9)), Utc::now());
    }
    let run = run_if_due(&ctx, today()).await.unwrap();
    match &run.status.outcome {
        MonthlyExportOutcome::Written { path, rows } => {
            assert_eq!(Path::new(path), file);
            assert_eq!(*rows, 2, "October's two lines, not September's or November's");
        }
        other => panic!("expected the file written, got {other:?}"),
    }
    assert!(run.news, "a written file is worth telling");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written.lines().count(), 2, "{written}");
    assert!(written.contains("給与") && written.contains("寿司") && !written.contains("九月"), "{written}");

    std::fs::write(&file, "kept").unwrap();
    let run = run_if_due(&ctx, today()).await.unwrap();
    assert!(matches!(&run.status.outcome, MonthlyExportOutcome::Exists { path } if Path::new(path) == file), "{run:?}");
    assert!(!run.news);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept", "a second run writes nothing");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1, "no other file either");

    // Settings shows the latest check.
    let settings = dispatch(&ctx, "settingsGet", Value::Null).await.unwrap();
    assert_eq!(settings["monthlyExportStatus"]["outcome"]["state"], "exists", "{settings}");
    assert_eq!(settings["preferences"]["monthlyExport"]["format"], "jsonl", "{settings}");
}

#[tokio::test]
async fn the_chosen_format_and_encoding_are_honoured() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    seeded(data.path(), day(2026, 11, 9));
    let ctx = open_with(data.path(), json!({"folder": out.path(), "format": "csv", "shiftJis": true}));

    let run = run_if_due(&ctx, today()).await.unwrap();
    assert!(matches!(run.status.outcome, MonthlyExportOutcome::Written { rows: 2, .. }), "{run:?}");
    let bytes = std::fs::read(out.path().join("kura-2026-10.csv")).unwrap();
    // 寿司〓 in CP932: nobody is there to choose, so the emoji is replaced rather than failing.
    let sushi_geta: &[u8] = b"\x8e\xf5\x8e\x69\x81\xac";
    assert!(bytes.windows(sushi_geta.len()).any(|w| w == sushi_geta), "Shift_JIS with 〓");
    assert!(!bytes.starts_with(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark");

    let data = tempfile::tempdir().unwrap();
    seeded(data.path(), day(2026, 11, 9));
    let ctx = open_with(data.path(), json!({"folder": out.path(), "format": "ofx"}));
    let run = run_if_due(&ctx, today()).await.unwrap();
    assert!(matches!(run.status.outcome, MonthlyExportOutcome::Written { rows: 2, .. }), "{run:?}");
    let ofx = std::fs::read_to_string(out.path().join("kura-2026-10.ofx")).unwrap();
    assert!(ofx.contains("<OFX>"), "{ofx}");
}

#[tokio::test]
async fn a_missing_folder_is_refused_in_settings_and_reported_once_when_it_vanishes() {
    let data = tempfile::tempdir().unwrap();
    seeded(data.path(), day(2026, 11, 9));
    let ctx = AppContext::open(data.path().to_owned()).unwrap();
    assert!(run_if_due(&ctx, today()).await.is_none(), "off by default");

    let gone = data.path().join("no-such-folder");
    let set = |monthly: Value| dispatch(&ctx, "settingsSet", json!({"preferences": {"monthlyExport": monthly}}));
    let err = set(json!({"folder": gone, "format": "csv"})).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("does not exist") && err.to_string().contains("no-such-folder"), "{err}");
    let err = set(json!({"folder": "relative/path", "format": "csv"})).await.unwrap_err();
    assert!(err.to_string().contains("full path"), "{err}");
    let err = set(json!({"folder": ctx.database_file(), "format": "csv"})).await.unwrap_err();
    assert!(err.to_string().contains("not a folder"), "{err}");
    let err = set(json!({"folder": data.path(), "format": "xlsx", "shiftJis": true})).await.unwrap_err();
    assert!(err.to_string().contains("CSV formats only"), "{err}");
    assert!(ctx.preferences().monthly_export.is_none(), "nothing invalid was kept");
    // The kakeibo layouts are CSV: Shift_JIS applies.
    set(json!({"folder": data.path(), "format": "zaim", "shiftJis": true})).await.unwrap();

    // A folder that was there when chosen and went away later (an unplugged drive).
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("exports");
    std::fs::create_dir(&folder).unwrap();
    let ctx = open_with(data.path(), json!({"folder": folder, "format": "csv"}));
    std::fs::remove_dir(&folder).unwrap();
    let run = run_if_due(&ctx, today()).await.unwrap();
    match &run.status.outcome {
        MonthlyExportOutcome::Failed { error } => {
            assert!(error.message.contains("does not exist"), "{error:?}");
            assert!(error.message.contains(&folder.display().to_string()), "{error:?}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(run.news, "a new failure is reported");
    assert!(!folder.exists(), "a vanished folder is not recreated");
    let again = run_if_due(&ctx, today()).await.unwrap();
    assert!(matches!(again.status.outcome, MonthlyExportOutcome::Failed { .. }) && !again.news, "reported once");
    let settings = dispatch(&ctx, "settingsGet", Value::Null).await.unwrap();
    assert_eq!(settings["monthlyExportStatus"]["outcome"]["state"], "failed", "{settings}");
}

#[tokio::test]
async fn following_syncs_checks_at_once_and_tells_of_a_written_file_once() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    // Synced through today (JST), so whatever month the calendar is in, the last one is complete.
    seeded(data.path(), jst_date(Utc::now()));
    let ctx = open_with(data.path(), json!({"folder": out.path(), "format": "csv"}));
    let mut news = Vec::new();
    // Without a scheduler (the shells start one first) it checks once and returns.
    follow_syncs(ctx.clone(), |run| news.push(run.status.clone())).await;
    assert_eq!(news.len(), 1, "{news:?}");
    assert!(
        matches!(&news[0].outcome, MonthlyExportOutcome::Written { path, .. } if Path::new(path).exists()),
        "{news:?}"
    );
    follow_syncs(ctx, |run| news.push(run.status.clone())).await;
    assert_eq!(news.len(), 1, "the file exists now: nothing to tell");
}

/// sysfs takes no new file, whoever runs the test (root included), as a read-only drive would not.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_folder_that_takes_no_file_is_reported_once_with_the_same_message() {
    let data = tempfile::tempdir().unwrap();
    seeded(data.path(), day(2026, 11, 9));
    let ctx = open_with(data.path(), json!({"folder": "/sys", "format": "csv"}));
    let first = run_if_due(&ctx, today()).await.unwrap();
    let MonthlyExportOutcome::Failed { error } = &first.status.outcome else {
        panic!("expected a failure, got {first:?}");
    };
    assert!(error.message.contains("cannot write to the monthly export folder /sys"), "{error:?}");
    assert!(!error.message.contains(".kura-write-check"), "the probe's random name is in the message: {error:?}");
    assert!(first.news, "a new failure is reported");
    let again = run_if_due(&ctx, today()).await.unwrap();
    assert!(
        matches!(&again.status.outcome, MonthlyExportOutcome::Failed { error: e } if e.message == error.message),
        "{again:?}"
    );
    assert!(!again.news, "the same failure after the next sync is not reported again: {again:?}");
}
