//! Helpers of the end-to-end tests: an in-process sandbox, the real `kura` binary with its own
//! data and config folders, and headless Chromium driven through chromedriver (WebDriver).
//!
//! The tests run inside `scripts/with-keyring.sh`, so the keyring is a real gnome-keyring
//! Secret Service. `kura link` opens "the browser" through `KURA_BROWSER`: a small script that
//! hands the URL to the test, which loads it in the WebDriver-driven Chromium.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use kura_sandbox::{Sandbox, SandboxConfig};
use thirtyfour::ChromiumLikeCapabilities;
use thirtyfour::prelude::*;
use tokio::process::{Child, Command};

/// The CLI binary next to this test's build output (`cargo build -p kura-cli` builds it;
/// scripts/test builds the whole workspace first).
pub fn kura_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // target/debug/deps/<test> -> target/debug/
    let dir = exe.parent().and_then(Path::parent).expect("target/debug");
    // The package builds `kura-cli`, or `kura` once it names its binary so: take the newer, so a
    // leftover of the other name never runs.
    ["kura", "kura-cli"]
        .iter()
        .map(|name| dir.join(name))
        .filter_map(|bin| Some((std::fs::metadata(&bin).ok()?.modified().ok()?, bin)))
        .max()
        .map(|(_, bin)| bin)
        .unwrap_or_else(|| {
            panic!("no kura binary in {}: run `cargo build -p kura-cli` first (scripts/test does)", dir.display())
        })
}

/// A sandbox plus a fresh Kura home (data and config folders).
pub struct Kura {
    pub sandbox: Sandbox,
    pub home: tempfile::TempDir,
}

impl Kura {
    pub async fn start() -> Kura {
        let sandbox = kura_sandbox::start(SandboxConfig::default()).await.expect("sandbox starts");
        let home = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir_all(home.path().join("config")).unwrap();
        Kura { sandbox, home }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.home.path().join("data")
    }

    /// Where the `KURA_BROWSER` script leaves the URL it was given.
    pub fn url_file(&self) -> PathBuf {
        self.home.path().join("browser-url")
    }

    /// `kura ARGS` with this home, the sandbox, debug logging and the URL-handing browser.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(kura_bin());
        let url_file = self.url_file();
        let browser = format!("sh -c 'printf %s \"$0\" > \"{0}.tmp\" && mv \"{0}.tmp\" \"{0}\"'", url_file.display());
        cmd.args(args)
            .env("KURA_DATA_DIR", self.data_dir())
            .env("KURA_CONFIG_DIR", self.home.path().join("config"))
            .env("KURA_SANDBOX_URL", &self.sandbox.base_url)
            .env("KURA_BROWSER", browser)
            .env("KURA_LOG", "debug")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        cmd
    }

    /// Runs `kura ARGS` to the end; returns (success, stdout, stderr).
    pub async fn run(&self, args: &[&str]) -> Output {
        let out = self.command(args).output().await.expect("kura runs");
        Output::from(out)
    }

    /// Starts `kura link CODE` with stdout and stderr captured.
    pub fn spawn_link(&self, bank_code: &str) -> Child {
        let _ = std::fs::remove_file(self.url_file());
        self.command(&["link", bank_code, "--timeout-minutes", "3"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kura link starts")
    }

    /// The URL `kura link` handed to the browser (waits for it).
    pub async fn browser_url(&self) -> String {
        for _ in 0..600 {
            if let Ok(url) = std::fs::read_to_string(self.url_file()) {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("kura link never opened the browser");
    }

    pub fn secrets(&self) -> kura_core::secrets::SecretStore {
        kura_core::secrets::SecretStore::for_data_dir(&self.data_dir()).expect("the keyring namespace")
    }

    pub fn store(&self) -> kura_core::store::Store {
        kura_core::store::Store::open(Some(&self.data_dir())).expect("the store opens")
    }

    /// Profiles as `kura` sees them in this home.
    pub fn profiles(&self) -> kura_core::profile::Profiles {
        kura_core::profile::Profiles::load_from(None, Some(&self.sandbox.base_url)).expect("profiles")
    }
}

/// What a finished `kura` process printed.
pub struct Output {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Output {
    fn from(o: std::process::Output) -> Self {
        Output {
            success: o.status.success(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Waits for a spawned `kura` to end.
pub async fn finish(child: Child) -> Output {
    let out = tokio::time::timeout(Duration::from_secs(240), child.wait_with_output())
        .await
        .expect("kura link ends")
        .expect("kura link's output");
    Output::from(out)
}

/// Headless Chromium under chromedriver, with a fresh profile.
pub struct Chromium {
    pub driver: WebDriver,
    chromedriver: Child,
    _profile: tempfile::TempDir,
}

impl Chromium {
    pub async fn start() -> Chromium {
        let port = free_port();
        let chromedriver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts (apt-get install chromium-driver)");
        let profile = tempfile::tempdir().unwrap();
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary("/usr/bin/chromium").unwrap();
        for arg in [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ] {
            caps.add_arg(arg).unwrap();
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.path().display())).unwrap();
        let server = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..100 {
            match WebDriver::new(&server, caps.clone()).await {
                Ok(driver) => {
                    return Chromium { driver, chromedriver, _profile: profile };
                }
                Err(e) => last_error = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no WebDriver session: {last_error:?}");
    }

    /// Logs in as demo/demo on the sandbox page at `url` and reaches the consent page.
    pub async fn log_in(&self, url: &str) {
        self.driver.goto(url).await.expect("the login page loads");
        self.element(By::Id("username")).await.send_keys("demo").await.unwrap();
        self.element(By::Id("password")).await.send_keys("demo").await.unwrap();
        self.element(By::Css("button[value='sign_in']")).await.click().await.unwrap();
        self.element(By::Css("button[value='deny']")).await;
    }

    /// The element `by` once the page shows it: a click that submits a form returns before the
    /// next page has loaded, and a busy machine may take seconds to get there.
    async fn element(&self, by: By) -> WebElement {
        let what = format!("{by:?}");
        self.driver
            .query(by)
            .wait(Duration::from_secs(60), Duration::from_millis(100))
            .first()
            .await
            .unwrap_or_else(|e| panic!("the page never showed {what}: {e}"))
    }

    /// Chooses Allow or Deny on the consent page; returns the URL the browser ended on (the
    /// loopback callback, code and state included).
    pub async fn decide(&self, allow: bool) -> String {
        let button = if allow { "allow" } else { "deny" };
        self.element(By::Css(format!("button[value='{button}']"))).await.click().await.unwrap();
        for _ in 0..300 {
            let url = self.driver.current_url().await.unwrap();
            if url.path() == "/callback" {
                return url.to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the browser never reached Kura's callback");
    }

    pub async fn quit(mut self) {
        let _ = self.driver.clone().quit().await;
        let _ = self.chromedriver.kill().await;
    }
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port()
}

/// Every file of `dir` (recursively) whose bytes contain `needle`.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    found.push(path);
                }
            }
        }
    }
    found
}
