//! The real desktop window: the debug binary under Xvfb, driven through tauri-driver and
//! WebKitWebDriver, over a store prepared with kura-core's store API in a temporary
//! `KURA_DATA_DIR`, syncing against an in-process sandbox. Needs what
//! `scripts/desktop-deps.sh` installs, and an unlocked keyring (`scripts/with-keyring.sh`).

mod webdriver;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use kura_core::model::{AsOf, BalanceReading, NewLink, RemoteAccount, Transaction};
use kura_core::secrets::{SecretStore, TokenSet};
use kura_core::store::{AccountSyncBatch, Store};
use kura_sandbox::config::SandboxConfig;
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

/// Waits until the page's text satisfies `ready`; on timeout keeps a screenshot and fails with
/// what the page showed.
fn wait_for_page(session: &Session, what: &str, mut ready: impl FnMut(&str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = session.body_text();
        if ready(&text) {
            return;
        }
        if Instant::now() > deadline {
            std::fs::write(screenshot_path("desktop-failure.png"), session.screenshot()).unwrap();
            panic!("timed out waiting for {what}; the window showed:\n{text}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// An X server of our own, on the first free display number from 90.
fn start_xvfb() -> (Guard, String) {
    for n in 90..200 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let child = Command::new("Xvfb")
            .args([format!(":{n}").as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
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
    if installed.exists() { installed } else { PathBuf::from("tauri-driver") }
}

/// What the test knows about the sandbox's demo accounts at 北央信用組合 (2011).
struct SandboxAccount {
    remote: RemoteAccount,
    balance: i64,
}

/// Tokens for `demo` at 2011 straight from the sandbox's admin API (the browser login has its
/// own tests), and the accounts and balances the sandbox serves with them.
fn demo_grant(base: &str) -> (TokenSet, Vec<SandboxAccount>) {
    let http = reqwest::blocking::Client::new();
    let issued: serde_json::Value = http
        .post(format!("{base}/admin/tokens"))
        .json(&json!({ "username": "demo", "bankCode": "2011", "scope": "balance transactions" }))
        .send()
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .unwrap();
    let access = issued["access_token"].as_str().unwrap().to_owned();
    let tokens = TokenSet {
        access_token: access.clone(),
        refresh_token: issued["refresh_token"].as_str().map(str::to_owned),
        expires_at: Some(Utc::now() + chrono::TimeDelta::seconds(issued["expires_in"].as_i64().unwrap())),
        scope: Some("balance transactions".into()),
    };
    let get = |path: &str| -> serde_json::Value {
        http.get(format!("{base}{path}"))
            .bearer_auth(&access)
            .send()
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .unwrap()
    };
    let accounts = get("/v1/accounts")["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let s = |k: &str| a[k].as_str().unwrap().to_owned();
            let balance =
                get(&format!("/v1/accounts/{}/balance", s("accountId")))["balance"].as_str().unwrap().parse().unwrap();
            SandboxAccount {
                remote: RemoteAccount {
                    account_id: s("accountId"),
                    bank_code: s("bankCode"),
                    branch_code: s("branchCode"),
                    branch_name: s("branchName"),
                    account_type_code: s("accountTypeCode"),
                    account_type_name: s("accountTypeName"),
                    account_number: s("accountNumber"),
                    account_name_kana: s("accountNameKana"),
                    currency_code: s("currencyCode"),
                },
                balance,
            }
        })
        .collect();
    (tokens, accounts)
}

/// The balance the pre-filled store holds for the n-th account: unlike anything the sandbox
/// serves, so the dashboard can only show it if it came from the store.
fn stored_balance(n: usize) -> i64 {
    3_141_592 + n as i64 * 1_000_000
}

/// A link to the sandbox at 2011 with its accounts, each with a stored balance and one line of
/// history, and the link's tokens in the OS credential store.
fn prefill(data_dir: &Path, tokens: &TokenSet, accounts: &[SandboxAccount], rt: &tokio::runtime::Runtime) {
    let mut store = Store::open(Some(data_dir)).unwrap();
    let now = Utc::now() - chrono::TimeDelta::hours(2);
    let link = store
        .upsert_link(
            &NewLink {
                bank_code: "2011".into(),
                profile: kura_core::profile::SANDBOX_PROFILE.into(),
                scope: "balance transactions".into(),
                consent_expires_at: Some(now + chrono::TimeDelta::days(90)),
            },
            now,
        )
        .unwrap();
    let today = now.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap()).date_naive();
    for (n, a) in accounts.iter().enumerate() {
        let account = store.upsert_account(link, &a.remote, now).unwrap();
        let balance = stored_balance(n);
        let transactions = [Transaction {
            transaction_date: today,
            value_date: Some(today),
            amount: 250_000,
            balance: Some(balance),
            remarks: "ｷﾕｳﾖ ｶ)ｸﾗｼｮｳｼﾞ".into(),
            item_key: Some(format!("kura-test-{n}")),
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
                        as_of: AsOf { date: today, at: now },
                    }),
                    synced_through: Some(today),
                    fetched_at: now,
                },
            )
            .unwrap();
    }
    let secrets = SecretStore::for_data_dir(data_dir).unwrap();
    rt.block_on(secrets.save_tokens(link.0, tokens)).expect(
        "cannot store the link's tokens: run this test inside an unlocked keyring session (scripts/with-keyring.sh)",
    );
}

/// An amount as the UI writes it: `¥1,234,567`, `-¥53,720`.
fn yen(amount: i64) -> String {
    let digits = amount.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 { format!("-¥{out}") } else { format!("¥{out}") }
}

fn set_faults(base: &str, faults: serde_json::Value) {
    reqwest::blocking::Client::new()
        .put(format!("{base}/admin/faults"))
        .json(&faults)
        .send()
        .unwrap()
        .error_for_status()
        .unwrap();
}

/// Where screenshots go: `<target>/screenshots/`, kept as CI artifacts.
fn screenshot_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn the_window_shows_the_stored_dashboard_and_syncs_against_the_sandbox() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = rt.block_on(kura_sandbox::server::start(SandboxConfig::default())).unwrap();
    let base = sandbox.base_url.clone();
    let (tokens, accounts) = demo_grant(&base);
    assert!(!accounts.is_empty(), "the sandbox's demo user has no accounts at 2011");
    // The bank is down for maintenance until the test clicks "sync": what the window shows
    // first can only come from the store.
    set_faults(&base, json!({ "maintenance": true }));

    let home = tempfile::tempdir().unwrap();
    let data_dir = home.path().join("data");
    prefill(&data_dir, &tokens, &accounts, &rt);

    let (_xvfb, display) = start_xvfb();
    let port = free_port();
    let native_port = free_port();
    let driver = Command::new(tauri_driver())
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .env("DISPLAY", &display)
        .env("KURA_DATA_DIR", &data_dir)
        .env("KURA_SANDBOX_URL", &base)
        .env("KURA_CONFIG_DIR", home.path().join("kura-config"))
        // Window state and WebKit's caches go to the temporary home, not the tester's.
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .stdout(Stdio::null())
        .spawn()
        .expect("tauri-driver is missing: run scripts/desktop-deps.sh");
    let _driver = Guard(driver);
    let driver_url = format!("http://127.0.0.1:{port}");
    wait_for("tauri-driver", Duration::from_secs(30), || webdriver::is_up(&driver_url));

    let session = Session::start(&driver_url, Path::new(env!("CARGO_BIN_EXE_kura-desktop")));

    // The dashboard, from the store, through the one IPC command.
    let stored: Vec<String> = (0..accounts.len()).map(|n| yen(stored_balance(n))).collect();
    let total: i64 = (0..accounts.len()).map(stored_balance).sum();
    wait_for_page(&session, "the stored balances on the dashboard", |text| {
        stored.iter().all(|b| text.contains(b.as_str()))
    });
    let text = session.body_text();
    assert!(text.contains(&yen(total)), "the total is missing: {text}");
    assert!(text.contains("北央信用組合"), "the union's name is missing: {text}");
    std::fs::write(screenshot_path("desktop-dashboard.png"), session.screenshot()).unwrap();

    // The strict CSP holds: a script injected inline into the page does not run.
    let ran = session.execute(
        "const s = document.createElement('script');
         s.textContent = 'window.__kuraInlineRan = true';
         document.head.appendChild(s);
         return window.__kuraInlineRan === true;",
        json!([]),
    );
    assert_eq!(ran, json!(false), "an inline script ran: the CSP is not in force");

    // The bank is back; "sync now" brings its balances.
    set_faults(&base, json!({ "maintenance": false }));
    let button = session
        .find_xpath("//button[contains(., '今すぐ同期') or contains(., 'Sync now')]")
        .expect("no sync button on the dashboard");
    session.click(&button);
    let fresh: Vec<String> = accounts.iter().map(|a| yen(a.balance)).collect();
    wait_for_page(&session, "the synced balances on the dashboard", |text| {
        fresh.iter().all(|b| text.contains(b.as_str()))
    });
    std::fs::write(screenshot_path("desktop-synced.png"), session.screenshot()).unwrap();
    session.end();
    rt.block_on(sandbox.shutdown());
}
