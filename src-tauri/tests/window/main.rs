//! The real desktop window: the debug binary under Xvfb, driven through tauri-driver and
//! WebKitWebDriver, over a store prepared with kura-core's store API in a temporary
//! `KURA_DATA_DIR`, syncing against an in-process sandbox; the OS around it observed (the
//! default browser, notifications on D-Bus) and driven (the GTK file and folder choosers) from outside.
//! Needs what `scripts/desktop-deps.sh` installs, and a D-Bus session with an unlocked keyring:
//!   scripts/with-keyring.sh cargo test -p kura-desktop --test window

mod books;
mod data_folder;
mod desktop;
mod fixtures;
mod monthly;
mod os;
mod webdriver;

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use kura_core::app::reminders::ReminderLog;
use kura_core::format::{date, jst_date};
use kura_core::model::LinkStatus;
use kura_core::query::TxFilter;
use kura_core::store::Store;
use kura_sandbox::config::SandboxConfig;
use serde_json::json;

use desktop::{Desktop, Home, button, wait_for};
use fixtures::{demo_grant, prefill, set_faults, sign_in_and_allow, stored_balance, yen};
use os::{NotificationMonitor, RecordingBrowser, save_in_file_chooser};

/// The sandbox, on a runtime of its own.
struct Sandbox {
    rt: tokio::runtime::Runtime,
    server: kura_sandbox::server::Sandbox,
}

impl Sandbox {
    fn start() -> Sandbox {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(kura_sandbox::server::start(SandboxConfig::default())).unwrap();
        Sandbox { rt, server }
    }

    fn url(&self) -> &str {
        &self.server.base_url
    }

    fn stop(self) {
        self.rt.block_on(self.server.shutdown());
    }
}

#[test]
fn the_window_shows_the_stored_dashboard_and_syncs_against_the_sandbox() {
    let sandbox = Sandbox::start();
    let (tokens, accounts) = demo_grant(sandbox.url());
    assert!(!accounts.is_empty(), "the sandbox's demo user has no accounts at 2011");
    // The bank is down for maintenance until the test clicks "sync": what the window shows
    // first can only come from the store.
    set_faults(sandbox.url(), json!({ "maintenance": true }));
    let home = Home::new();
    prefill(&home.data_dir(), &tokens, &accounts, Utc::now() + TimeDelta::days(90), &sandbox.rt);
    let desktop = Desktop::launch(&home, sandbox.url());

    // The dashboard, from the store, through the one IPC command.
    let stored: Vec<String> = (0..accounts.len()).map(|n| yen(stored_balance(n))).collect();
    let total: i64 = (0..accounts.len()).map(stored_balance).sum();
    let text = desktop
        .wait_for_page("the stored balances on the dashboard", |text| stored.iter().all(|b| text.contains(b.as_str())));
    assert!(text.contains(&yen(total)), "the total is missing: {text}");
    assert!(text.contains("北央信用組合"), "the union's name is missing: {text}");
    desktop.screenshot("desktop-dashboard.png");

    // The strict CSP holds: a script injected inline into the page does not run.
    let ran = desktop.session.execute(
        "const s = document.createElement('script');
         s.textContent = 'window.__kuraInlineRan = true';
         document.head.appendChild(s);
         return window.__kuraInlineRan === true;",
        json!([]),
    );
    assert_eq!(ran, json!(false), "an inline script ran: the CSP is not in force");

    // The bank is back; "sync now" brings its balances.
    set_faults(sandbox.url(), json!({ "maintenance": false }));
    desktop.click("the sync button", &button("今すぐ同期", "Sync now"));
    let fresh: Vec<String> = accounts.iter().map(|a| yen(a.balance)).collect();
    desktop
        .wait_for_page("the synced balances on the dashboard", |text| fresh.iter().all(|b| text.contains(b.as_str())));
    desktop.screenshot("desktop-synced.png");
    desktop.close();
    sandbox.stop();
}

/// The summary of the reminder before a consent lapses (Japanese, the default language).
const CONSENT_REMINDER: &str = "同意の期限が近づいています";

#[test]
fn a_lapsing_consent_is_notified_once_and_renewed_in_the_default_browser() {
    let sandbox = Sandbox::start();
    let (tokens, accounts) = demo_grant(sandbox.url());
    let home = Home::new();
    let lapses = Utc::now() + TimeDelta::days(5) + TimeDelta::hours(1);
    prefill(&home.data_dir(), &tokens, &accounts, lapses, &sandbox.rt);
    let link = Store::open(Some(&home.data_dir())).unwrap().links().unwrap()[0].id;
    let browser = RecordingBrowser::install(&home);
    let notifications = NotificationMonitor::start(&home);
    let desktop = Desktop::launch(&home, sandbox.url());

    // When the app starts, the OS is asked to show a reminder naming the union and the day.
    let lapses_on = date(jst_date(lapses));
    let reminder = notifications.wait_for(CONSENT_REMINDER);
    assert_eq!(
        reminder.body,
        format!(
            "北央信用組合の連携の同意は{lapses_on}に切れます（あと5日）。Kura の「連携」から再認証すると同期が続きます。"
        )
    );
    // The day is recorded, so a restart today does not remind again.
    assert_eq!(ReminderLog::load(&home.data_dir()).last_reminded(link), Some(jst_date(Utc::now())));

    // Least privilege: the page itself cannot ask the opener for anything.
    let refused = desktop.session.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('plugin:opener|open_url', { url: 'https://example.com/' })
           .then(() => done('opened'), (e) => done(String(e)));",
        json!([]),
    );
    assert!(
        refused.as_str().is_some_and(|e| e.contains("not allowed")),
        "the webview could call the opener: {refused}"
    );

    // Links → re-authenticate: the app hands the union's login page to the system's opener,
    // which starts the default browser (no KURA_BROWSER, no BROWSER).
    desktop.click("the Links tab", "//nav//button[normalize-space()='連携']");
    desktop.wait_for_page("the link's consent date", |text| text.contains(&lapses_on));
    desktop.click("re-authenticate", "//button[normalize-space()='再認証']");
    let opened = browser.wait_for_open(1);
    assert!(
        opened.url.starts_with(&format!("{}/oauth/authorize?", sandbox.url())),
        "the browser was sent to {}",
        opened.url
    );
    assert!(
        opened.launcher.contains("xdg-open"),
        "the browser was not started by xdg-open but by: {}",
        opened.launcher
    );

    // The page's "open it yourself" link goes to the default browser too, not into the webview.
    desktop.click("the authorization link", "//a[@data-testid='authorization-url']");
    let again = browser.wait_for_open(2);
    assert_eq!(again.url, opened.url);
    assert!(again.launcher.contains("xdg-open"), "the link was not opened by xdg-open but by: {}", again.launcher);

    // The person signs in and allows; the loopback listener takes the code; the link is renewed.
    let callback = sign_in_and_allow(&opened.url);
    assert!(callback.contains_key("code"), "the sandbox sent no code: {callback:?}");
    let mut renewed = None;
    wait_for("the renewed consent in the store", Duration::from_secs(60), || {
        let l = Store::open(Some(&home.data_dir())).unwrap().links().unwrap().remove(0);
        renewed =
            l.consent_expires_at.filter(|at| l.status == LinkStatus::Active && *at > lapses + TimeDelta::days(30));
        renewed.is_some()
    });
    let renewed_on = date(jst_date(renewed.unwrap()));
    desktop.wait_for_page("the renewed consent on the Links page", |text| {
        text.contains(&renewed_on) && !text.contains(&lapses_on) && text.contains("有効")
    });
    desktop.screenshot("desktop-consent-renewed.png");

    // The syncs since the start looked again; none reminded a second time.
    let reminders = notifications.notifications().into_iter().filter(|n| n.summary == CONSENT_REMINDER).count();
    assert_eq!(reminders, 1, "the reminder came more than once: {:?}", notifications.notifications());
    desktop.close();
    sandbox.stop();
}

#[test]
fn the_export_dialog_saves_through_the_os_file_chooser() {
    let sandbox = Sandbox::start();
    let (tokens, accounts) = demo_grant(sandbox.url());
    let home = Home::new();
    prefill(&home.data_dir(), &tokens, &accounts, Utc::now() + TimeDelta::days(90), &sandbox.rt);
    let desktop = Desktop::launch(&home, sandbox.url());

    // The first sync has stored every account's history once the sandbox's balances show.
    let fresh: Vec<String> = accounts.iter().map(|a| yen(a.balance)).collect();
    desktop
        .wait_for_page("the synced balances on the dashboard", |text| fresh.iter().all(|b| text.contains(b.as_str())));
    desktop.click("an account", "(//button[@data-testid='account-card'])[1]");
    desktop.click("the export button", &button("書き出す", "Export"));
    desktop.click("save", "//dialog//button[@type='submit']");

    let target = home.path().join("exports").join("kura-account.csv");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    save_in_file_chooser(&desktop.display, "書き出し", &target);
    let text = desktop.wait_for_page("the export's confirmation", |text| text.contains("に保存しました"));
    desktop.screenshot("desktop-exported.png");

    // UTF-8 with a BOM; one row per stored transaction of the account; the same total.
    let bytes = std::fs::read(&target).unwrap_or_else(|e| panic!("no export at {}: {e}\n{text}", target.display()));
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "the CSV has no BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let column =
        |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} in {headers:?}"));
    let (amount, number) = (column("金額"), column("口座番号"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty(), "the export is empty");
    let exported: i64 = rows.iter().map(|r| r[amount].parse::<i64>().unwrap()).sum();

    let store = Store::open(Some(&home.data_dir())).unwrap();
    let account = store
        .account_summaries(Utc::now())
        .unwrap()
        .into_iter()
        .find(|a| a.identity.account_number == rows[0][number])
        .expect("the exported account is not in the store");
    assert!(rows.iter().all(|r| r[number] == account.identity.account_number), "rows of other accounts were exported");
    let filter = TxFilter { accounts: vec![account.id], ..TxFilter::default() };
    let stored: i64 = store.monthly_totals(&filter).unwrap().iter().map(|m| m.net).sum();
    assert_eq!(rows.len() as i64, account.transaction_count);
    assert_eq!(exported, stored, "the export's total differs from the store's");
    assert!(
        text.contains(&format!("{} 件を {} に保存しました", rows.len(), target.display())),
        "the dialog did not confirm the file: {text}"
    );
    desktop.close();
    sandbox.stop();
}
