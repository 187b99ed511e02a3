//! Moving the data folder from Settings, through `kura serve` as a desktop user runs it (no data
//! folder given): asked for while it runs, done at its next start, honoured by the CLI after.

use std::path::Path;
use std::process::Command;

use chrono::{NaiveDate, Utc};
use kura_core::store::{LineEdit, Store};
use kura_core::testing;

use crate::support::Server;

/// The platform's data folder under `home` (XDG_DATA_HOME=home/xdg) with one account of 40 lines,
/// the first of them filed by the person (外食, a memo, a transfer).
fn seed_default_folder(home: &Path) -> std::path::PathBuf {
    let data = home.join("xdg/kura");
    let mut store = Store::open(Some(&data)).unwrap();
    let now = Utc::now();
    let (_, account) = testing::link_with_account(&mut store, "sandbox", now);
    let day = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let lines: Vec<_> =
        (0..40).map(|i| testing::line(day + chrono::Days::new(i), -500, None, "ｶｰﾄﾞ", Some(&format!("k{i}")))).collect();
    testing::store_lines(&mut store, account, &lines, now);
    let dining =
        store.categories().unwrap().categories.iter().find(|c| c.builtin.as_deref() == Some("food.dining")).unwrap().id;
    let edit = LineEdit { category: Some(Some(dining)), memo: Some(Some("忘年会".into())), transfer: Some(true) };
    store.edit_line(1, &edit).unwrap();
    data
}

/// `kura tx` as the user runs it in this home, without a data folder given.
fn cli_rows(home: &Path) -> usize {
    let out = Command::new(env!("CARGO_BIN_EXE_kura"))
        .args(["tx", "--limit", "1000"])
        .env_remove("KURA_DATA_DIR")
        .env("XDG_DATA_HOME", home.join("xdg"))
        .env("KURA_CONFIG_DIR", home.join("config"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains("ｶｰﾄﾞ")).count()
}

#[test]
fn settings_move_the_data_folder_at_the_next_start() {
    let home = tempfile::tempdir().unwrap();
    let old = seed_default_folder(home.path());
    let new = home.path().join("Documents/Kura");

    let server = Server::start_in_home(home.path());
    let (status, settings) = server.api("settingsGet", "{}");
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["dataFolder"]["path"], old.display().to_string());
    assert_eq!(settings["dataFolder"]["movable"], true);

    // A folder holding other things is refused, and nothing is asked for.
    let taken = home.path().join("taken");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("notes.txt"), "mine").unwrap();
    let (status, refused) = server.api("dataFolderMove", &serde_json::json!({ "folder": taken }).to_string());
    assert_eq!((status, refused["kind"].as_str()), (400, Some("invalid")), "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("is not empty"), "{refused}");

    // Asked for: nothing moves while Kura runs.
    let (status, asked) = server.api("dataFolderMove", &serde_json::json!({ "folder": new }).to_string());
    assert_eq!(status, 200, "{asked}");
    assert_eq!(asked["pendingMove"], new.display().to_string());
    assert_eq!(asked["path"], old.display().to_string());
    assert!(!new.exists());
    drop(server);

    // The next start moves everything, and says so.
    let server = Server::start_in_home(home.path());
    let (_, settings) = server.api("settingsGet", "{}");
    let folder = &settings["dataFolder"];
    assert_eq!(folder["path"], new.display().to_string(), "{settings}");
    assert_eq!(folder["pendingMove"], serde_json::Value::Null);
    assert_eq!(folder["lastMove"], serde_json::json!({ "state": "moved", "from": old.display().to_string() }));
    let (_, overview) = server.api("overview", "{}");
    assert_eq!(overview["accounts"].as_array().unwrap().len(), 1, "{overview}");
    assert!(!old.exists(), "the old folder is removed");
    assert!(new.join("keyring-namespace").exists(), "the links' keyring namespace moved with the data");
    // What the person filed moved with the lines.
    let (_, page) = server.api("transactions", r#"{"filter": {}, "limit": 100}"#);
    let edited: Vec<_> = page["rows"].as_array().unwrap().iter().filter(|r| r["memo"] == "忘年会").collect();
    assert_eq!(edited.len(), 1, "{page}");
    assert_eq!((edited[0]["categoryBy"].as_str(), edited[0]["transfer"].as_bool()), (Some("person"), Some(true)));
    drop(server);

    // The command line finds the data where it went.
    assert_eq!(cli_rows(home.path()), 40);

    // Started with a data folder given, Settings cannot move it.
    let given = tempfile::tempdir().unwrap();
    let server = Server::start(given.path());
    let (_, settings) = server.api("settingsGet", "{}");
    assert_eq!(settings["dataFolder"]["movable"], false);
    let (status, refused) = server.api("dataFolderMove", &serde_json::json!({ "folder": new }).to_string());
    assert_eq!((status, refused["kind"].as_str()), (500, Some("config")), "{refused}");
}
