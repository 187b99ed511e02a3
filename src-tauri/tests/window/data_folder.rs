//! Moving the data folder in the real window, as a person's desktop runs the app (no data folder
//! given): the new folder from the OS folder chooser, the move at the next start, and the links
//! still syncing from the new place with their tokens in the keyring.

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use kura_core::store::Store;
use serde_json::json;

use crate::Sandbox;
use crate::desktop::{Desktop, Home, button, wait_for};
use crate::fixtures::{demo_grant, prefill, set_faults, stored_balance, yen};
use crate::os::{choose_in_folder_chooser, documents_folder};

const DATA_FOLDER: &str = "//fieldset[contains(@class, 'data-folder')]";

#[test]
fn settings_move_the_data_folder_at_the_next_start_and_the_links_keep_syncing() {
    let sandbox = Sandbox::start();
    let (tokens, accounts) = demo_grant(sandbox.url());
    set_faults(sandbox.url(), json!({ "maintenance": true }));
    let home = Home::without_data_dir();
    let old = home.data_dir();
    prefill(&old, &tokens, &accounts, Utc::now() + TimeDelta::days(90), &sandbox.rt);
    // An empty folder of the person's choosing (GTK's chooser picks existing folders).
    let new = documents_folder(&home).join("Kura のデータ");
    std::fs::create_dir(&new).unwrap();
    let desktop = Desktop::launch(&home, sandbox.url());

    // Settings → データの保存先 → the OS folder chooser: the move waits for the next start.
    desktop.click("the Settings tab", "//nav//button[normalize-space()='設定']");
    // This click missed while hovering gave buttons a filter (see styles.css, `button:hover`).
    desktop.click("move the data folder", &button("別のフォルダーへ移動", "Move to another folder"));
    choose_in_folder_chooser(&desktop.display, "別のフォルダーへ移動…", &new);
    let text = desktop.wait_for_page("the move waiting for the next start", |t| t.contains("次に起動したときに"));
    assert!(text.contains(&format!("次に起動したときに {} へ移動します", new.display())), "{text}");
    assert_eq!(std::fs::read_dir(&new).unwrap().count(), 0, "nothing moves while the app runs");
    desktop.screenshot("desktop-data-folder-pending.png");
    desktop.close();

    // The next start moves everything, says so, and shows the stored dashboard from the new place.
    let desktop = Desktop::launch(&home, sandbox.url());
    let stored = yen(stored_balance(0));
    desktop.wait_for_page("the stored dashboard", |t| t.contains(&stored));
    desktop.click("the Settings tab", "//nav//button[normalize-space()='設定']");
    let text = desktop.wait_for_page("the finished move", |t| t.contains("から移動しました"));
    assert!(text.contains(&format!("データを {} から移動しました。", old.display())), "{text}");
    let shown =
        desktop.session.execute("return document.querySelector('[data-testid=data-folder]').textContent;", json!([]));
    assert_eq!(shown, json!(new.display().to_string()));
    assert!(desktop.session.find_xpath(&format!("{DATA_FOLDER}//button")).is_some(), "it can move again");
    desktop.screenshot("desktop-data-folder-moved.png");
    assert!(!old.exists(), "the old folder is removed");
    assert_eq!(Store::open(Some(&new)).unwrap().links().unwrap().len(), 1);

    // The tokens in the keyring are still the link's: the bank is back and a sync goes through.
    set_faults(sandbox.url(), json!({ "maintenance": false }));
    desktop.click("the Home tab", "//nav//button[normalize-space()='ホーム']");
    desktop.click("the sync button", &button("今すぐ同期", "Sync now"));
    let fresh: Vec<String> = accounts.iter().map(|a| yen(a.balance)).collect();
    desktop.wait_for_page("the synced balances", |t| fresh.iter().all(|b| t.contains(b.as_str())));
    wait_for("the sync run in the moved store", Duration::from_secs(30), || {
        let runs = Store::open(Some(&new)).unwrap().sync_runs(None, None, 10).unwrap();
        runs.iter().any(|r| r.error_kind.is_none() && r.finished_at.is_some())
    });
    desktop.close();
    sandbox.stop();
}
