//! The real desktop window: the debug binary under Xvfb, driven through tauri-driver and
//! WebKitWebDriver, over a store prepared with kura-core's store API in a temporary
//! `KURA_DATA_DIR`. Needs what `scripts/desktop-deps.sh` installs.

mod webdriver;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use kura_core::model::{AsOf, BalanceReading, NewLink, RemoteAccount, Transaction};
use kura_core::store::{AccountSyncBatch, Store};
use serde_json::json;
use webdriver::Session;

/// A process that is killed when the test ends, however it ends.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An X server of our own, on the first free display number from 90.
fn start_xvfb() -> (Guard, String) {
    for n in 90..200 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let child = Command::new("Xvfb")
            .args([
                format!(":{n}").as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is missing: run scripts/desktop-deps.sh");
        let mut guard = Guard(child);
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() && Instant::now() < deadline {
            if guard.0.try_wait().unwrap().is_some() {
                break; // lost a race for this display; try the next
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if socket.exists() {
            return (guard, format!(":{n}"));
        }
        drop(guard);
    }
    panic!("no free X display between :90 and :199");
}

fn tauri_driver() -> PathBuf {
    let installed = PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo/bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

/// One link at 北央信用組合 (2011) with two accounts, their balances and a little history.
fn prefill(data_dir: &Path) {
    let mut store = Store::open(Some(data_dir)).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 1, 15, 0).unwrap();
    let link = store
        .upsert_link(
            &NewLink {
                bank_code: "2011".into(),
                profile: "sandbox".into(),
                scope: "balance transactions".into(),
                consent_expires_at: Some(Utc.with_ymd_and_hms(2027, 2, 22, 1, 15, 0).unwrap()),
            },
            now,
        )
        .unwrap();
    let accounts = [
        ("1234567", "01", "普通", 3_141_592),
        ("7654321", "04", "貯蓄", 2_718_281),
    ];
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    for (number, type_code, type_name, balance) in accounts {
        let account = store
            .upsert_account(
                link,
                &RemoteAccount {
                    account_id: format!("2011-001-{}-{number}", type_code.trim_start_matches('0')),
                    bank_code: "2011".into(),
                    branch_code: "001".into(),
                    branch_name: "本店営業部".into(),
                    account_type_code: type_code.into(),
                    account_type_name: type_name.into(),
                    account_number: number.into(),
                    account_name_kana: "ｸﾗ ﾀﾛｳ".into(),
                    currency_code: "JPY".into(),
                },
                now,
            )
            .unwrap();
        let transactions = [Transaction {
            transaction_date: day,
            value_date: Some(day),
            amount: 250_000,
            balance: Some(balance),
            remarks: "ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ".into(),
            item_key: Some(format!("20261120{number}")),
        }];
        store
            .apply_account_sync(
                account,
                &AccountSyncBatch {
                    run: None,
                    transactions: &transactions,
                    balance: Some(BalanceReading {
                        balance,
                        withdrawable: balance,
                        as_of: AsOf {
                            date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                            at: now,
                        },
                    }),
                    synced_through: Some(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
                    fetched_at: now,
                },
            )
            .unwrap();
    }
}

/// Where screenshots go: `<target>/screenshots/`, kept as CI artifacts.
fn screenshot_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn the_window_opens_on_the_stored_dashboard_and_talks_to_the_core() {
    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    prefill(&data_dir);

    let (_xvfb, display) = start_xvfb();
    let port = free_port();
    let native_port = free_port();
    let driver = Command::new(tauri_driver())
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .env("DISPLAY", &display)
        .env("KURA_DATA_DIR", &data_dir)
        // Window state, WebKit caches and the like go to the temporary home, not the tester's.
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_DATA_HOME", home.path().join("share"))
        .stdout(Stdio::null())
        .spawn()
        .expect("tauri-driver is missing: run scripts/desktop-deps.sh");
    let _driver = Guard(driver);
    let base = format!("http://127.0.0.1:{port}");
    wait_for("tauri-driver", Duration::from_secs(30), || webdriver::is_up(&base));

    let session = Session::start(&base, Path::new(env!("CARGO_BIN_EXE_kura-desktop")));
    wait_for("the page to load", Duration::from_secs(60), || {
        session.execute("return document.readyState", json!([])) == json!("complete")
    });

    // The UI reaches kura-core through the one IPC command, past the CSP and the capabilities;
    // an unknown command comes back as a typed CommandError, not a string.
    let reply = session.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('invoke_command', { name: 'no-such-command', args: null })
           .then(ok => done({ ok }), error => done({ error }));",
        json!([]),
    );
    let error = &reply["error"];
    assert!(
        error["code"].is_string() && error["message"].is_string(),
        "expected a CommandError, got {reply}"
    );

    // Commands outside the capability are refused.
    let reply = session.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('plugin:opener|open_url', { url: 'https://example.com/' })
           .then(ok => done({ ok }), error => done({ error: String(error) }));",
        json!([]),
    );
    assert!(
        reply["error"].as_str().is_some_and(|e| e.contains("not allowed")),
        "opener must be denied: {reply}"
    );

    let png = session.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
    std::fs::write(screenshot_path("desktop-dashboard.png"), png).unwrap();
    session.end();
}
