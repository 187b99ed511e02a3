//! The monthly export in the real window: its folder chosen in the OS folder chooser, last month's
//! file written once from the store, kept across a restart, and a vanished folder reported once
//! through the OS notification service, however many syncs follow.

use std::path::Path;
use std::time::Duration;

use chrono::{Months, NaiveDate, TimeDelta, Utc};
use kura_core::export::monthly::previous_month;
use kura_core::format::jst_date;
use kura_core::query::TxFilter;
use kura_core::store::Store;
use serde_json::{Value, json};

use crate::Sandbox;
use crate::desktop::{Desktop, Home, button, wait_for};
use crate::fixtures::{add_month_of_history, demo_grant, prefill, set_faults};
use crate::os::{NotificationMonitor, choose_in_folder_chooser, documents_folder};

const WRITTEN: &str = "毎月の自動書き出し";
const FAILED: &str = "毎月の自動書き出しに失敗しました";
const MONTHLY: &str = "//fieldset[contains(@class, 'monthly-export')]";

#[test]
fn the_monthly_export_saves_last_month_once_in_the_chosen_folder_and_reports_a_failure_once() {
    let sandbox = Sandbox::start();
    let (tokens, accounts) = demo_grant(sandbox.url());
    // The bank stays down: the export holds the pre-filled store's history, and the syncs the test
    // asks for finish (failing) without changing it.
    set_faults(sandbox.url(), json!({ "maintenance": true }));
    let home = Home::new();
    prefill(&home.data_dir(), &tokens, &accounts, Utc::now() + TimeDelta::days(90), &sandbox.rt);
    // Last month by the real calendar (JST), as the app decides it; the store's accounts are synced
    // through today, so past its end.
    let month = previous_month(jst_date(Utc::now()));
    assert!(add_month_of_history(&home.data_dir(), month) > 0);
    let folder = documents_folder(&home).join("monthly-exports");
    std::fs::create_dir(&folder).unwrap();
    let file = folder.join(format!("kura-{}.jsonl", month.format("%Y-%m")));
    let notifications = NotificationMonitor::start(&home);
    let desktop = Desktop::launch(&home, sandbox.url());

    // Settings → 毎月の自動書き出し: on, the folder from the OS folder chooser, JSON Lines, save.
    open_settings(&desktop);
    desktop.click("the monthly export's switch", &format!("{MONTHLY}//input[@type='checkbox']"));
    desktop.click("choose folder", &button("フォルダーを選ぶ", "Choose folder"));
    choose_in_folder_chooser(&desktop.display, "保存先フォルダー", &folder);
    wait_for("the chosen folder in Settings", Duration::from_secs(30), || {
        monthly_fields(&desktop)["folder"] == json!(folder.display().to_string())
    });
    desktop.click("JSON Lines", &format!("{MONTHLY}//select/option[normalize-space()='JSON Lines']"));
    desktop.click("save", "//form//button[@type='submit']");

    // Saving checks at once: the month's file is written, and Settings says so.
    let (rows, net) = stored_month(&home.data_dir(), month);
    assert!(rows >= 3 * accounts.len() as i64, "the store holds {rows} rows of {month}");
    let text = desktop.wait_for_page("the monthly export's first check", |text| text.contains("分を保存しました"));
    assert!(
        text.contains(&format!("{} 分を保存しました（{rows} 件）: {}", month.format("%Y-%m"), file.display())),
        "Settings does not show the written file: {text}"
    );
    desktop.screenshot("desktop-monthly-export.png");
    let written = std::fs::read(&file).unwrap_or_else(|e| panic!("no file at {}: {e}\n{text}", file.display()));
    assert_exported_month(&written, month, rows, net);
    let settings: Value =
        serde_json::from_str(&std::fs::read_to_string(home.data_dir().join("settings.json")).unwrap()).unwrap();
    assert_eq!(
        settings["monthlyExport"],
        json!({ "folder": folder.display().to_string(), "format": "jsonl", "shiftJis": false }),
        "the settings file: {settings}"
    );

    // A restart: Settings reads the choice back, and the check at start finds the file and keeps it.
    desktop.close();
    let desktop = Desktop::launch(&home, sandbox.url());
    let text = settings_showing(&desktop, "分は保存済みです");
    assert!(
        text.contains(&format!("{} 分は保存済みです: {}", month.format("%Y-%m"), file.display())),
        "Settings does not show the kept file: {text}"
    );
    assert_eq!(
        monthly_fields(&desktop),
        json!({ "on": true, "folder": folder.display().to_string(), "format": "jsonl" }),
        "Settings does not show the saved choice"
    );
    // A sync checks again, and still writes nothing.
    sync_and_wait_for_check(&desktop);
    assert_eq!(std::fs::read(&file).unwrap(), written, "the month's file was written again");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1, "another file appeared in {}", folder.display());

    // The folder vanishes (an unplugged drive): the next sync's check fails, and the person is told
    // once, in Japanese, what to do.
    std::fs::remove_dir_all(&folder).unwrap();
    sync_and_wait_for_check(&desktop);
    let failure = notifications.wait_for(FAILED);
    let expected = format!(
        "{}年{}月分を保存できませんでした。保存先フォルダー {} があり書き込めるかを確かめるか、Kura の「設定」→「毎月の自動書き出し」で別のフォルダーを選んでください。",
        month.format("%Y"),
        month.format("%-m"),
        folder.display()
    );
    assert!(failure.body.starts_with(&expected), "the notification says: {}", failure.body);
    assert!(failure.body.contains("does not exist"), "the notification has no detail: {}", failure.body);
    for _ in 0..2 {
        sync_and_wait_for_check(&desktop);
    }
    let status = monthly_status(&desktop);
    assert_eq!(status["outcome"]["state"], "failed", "{status}");
    assert!(!folder.exists(), "the vanished folder was created again");
    let told: Vec<_> = notifications.notifications().into_iter().filter(|n| n.summary == FAILED).collect();
    assert_eq!(told.len(), 1, "the failure was told more than once: {told:?}");
    let text = settings_showing(&desktop, "分を書き出せませんでした");
    assert!(text.contains("does not exist"), "Settings does not show why: {text}");
    desktop.screenshot("desktop-monthly-export-failed.png");
    // The file was written while Settings was open, which said so; no notification was needed.
    assert!(notifications.notifications().iter().all(|n| n.summary != WRITTEN), "{:?}", notifications.notifications());
    desktop.close();
    sandbox.stop();
}

fn open_settings(desktop: &Desktop) {
    desktop.click("the Settings tab", "//nav//button[normalize-space()='設定']");
}

/// Opens Settings until it shows `wanted`: it shows the latest check when it opens, and the
/// check at start may come after the window does.
fn settings_showing(desktop: &Desktop, wanted: &str) -> String {
    let mut text = String::new();
    wait_for(&format!("Settings to show {wanted:?}"), Duration::from_secs(60), || {
        desktop.click("the Home tab", "//nav//button[normalize-space()='ホーム']");
        open_settings(desktop);
        text = desktop.wait_for_page("Settings", |text| text.contains("毎月の自動書き出し"));
        text.contains(wanted)
    });
    text
}

/// What the monthly export's fields in Settings hold.
fn monthly_fields(desktop: &Desktop) -> Value {
    desktop.session.execute(
        "const f = document.querySelector('fieldset.monthly-export');
         const folder = f && f.querySelector('input[type=text]');
         const format = f && f.querySelector('select');
         return { on: Boolean(f && f.querySelector('input[type=checkbox]').checked),
                  folder: folder ? folder.value : null, format: format ? format.value : null };",
        json!([]),
    )
}

/// The latest check, as Settings gets it from the command layer.
fn monthly_status(desktop: &Desktop) -> Value {
    let status = desktop.session.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('invoke_command', { name: 'settingsGet', args: {} })
           .then((s) => done(s.monthlyExportStatus), (e) => done({ error: String(e) }));",
        json!([]),
    );
    assert!(status.get("error").is_none(), "settingsGet failed: {status}");
    status
}

/// "Sync now" on the dashboard, then waits for the monthly export's check after that sync.
fn sync_and_wait_for_check(desktop: &Desktop) {
    let before = monthly_status(desktop)["checkedAt"].clone();
    desktop.click("the Home tab", "//nav//button[normalize-space()='ホーム']");
    desktop.click("the sync button", &button("今すぐ同期", "Sync now"));
    wait_for("the monthly export's check after a sync", Duration::from_secs(120), || {
        monthly_status(desktop)["checkedAt"] != before
    });
}

/// The store's transaction count and net total for the month starting `first`.
fn stored_month(data_dir: &Path, first: NaiveDate) -> (i64, i64) {
    let last = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap();
    let filter = TxFilter { from: Some(first), to: Some(last), ..TxFilter::default() };
    let totals = Store::open(Some(data_dir)).unwrap().monthly_totals(&filter).unwrap();
    (totals.iter().map(|m| m.count).sum(), totals.iter().map(|m| m.net).sum())
}

/// A JSON Lines file of the month starting `first`: `rows` rows, all in that month, summing to `net`.
fn assert_exported_month(bytes: &[u8], first: NaiveDate, rows: i64, net: i64) {
    let text = std::str::from_utf8(bytes).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len() as i64, rows, "the file's rows differ from the store's month:\n{text}");
    let month = first.format("%Y-%m-").to_string();
    assert!(
        lines.iter().all(|l| l["transactionDate"].as_str().is_some_and(|d| d.starts_with(&month))),
        "rows of other months were written:\n{text}"
    );
    let total: i64 = lines.iter().map(|l| l["amount"].as_i64().unwrap()).sum();
    assert_eq!(total, net, "the file's total differs from the store's month:\n{text}");
}
