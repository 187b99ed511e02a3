//! Running the app: an X server of our own, tauri-driver, and a temporary home for the app's
//! data and its XDG folders. One window at a time: the machine running the tests may be small,
//! and the file chooser test types into whatever window has the keyboard.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::webdriver::{self, Session};

/// A process that is stopped when the test ends, however it ends.
pub struct Guard(pub Child);

impl Drop for Guard {
    fn drop(&mut self) {
        // SIGTERM first, so Xvfb removes its display's lock file; SIGKILL if it lingers.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn wait_for(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Where screenshots go: `<target>/screenshots/`, kept as CI artifacts.
pub fn screenshot_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A temporary home for one run of the app.
pub struct Home {
    dir: tempfile::TempDir,
    /// Whether the app is given its data folder (`KURA_DATA_DIR`), as the tests mostly do.
    data_dir_given: bool,
}

impl Home {
    pub fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap(), data_dir_given: true }
    }

    /// A home where the app finds its data folder itself, as on a person's desktop.
    pub fn without_data_dir() -> Home {
        Home { data_dir_given: false, ..Home::new() }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The store, the settings, the reminder log: `KURA_DATA_DIR`, or where the app looks
    /// without it (the platform's data folder under `XDG_DATA_HOME`).
    pub fn data_dir(&self) -> PathBuf {
        if self.data_dir_given { self.path().join("data") } else { self.data_home().join("kura") }
    }

    /// `XDG_CONFIG_HOME`: window state, and the default applications (mimeapps.list).
    pub fn config_home(&self) -> PathBuf {
        self.path().join("config")
    }

    /// `XDG_DATA_HOME`: WebKit's storage, and desktop entries of the default applications.
    pub fn data_home(&self) -> PathBuf {
        self.path().join("share")
    }
}

/// The app in its window under Xvfb, driven through tauri-driver.
pub struct Desktop {
    pub session: Session,
    pub display: String,
    _driver: Guard,
    _xvfb: Guard,
    _one_at_a_time: MutexGuard<'static, ()>,
}

static ONE_WINDOW: Mutex<()> = Mutex::new(());

impl Desktop {
    /// Starts the debug binary over `home`, syncing against the sandbox at `sandbox_url`.
    /// The app gets no `KURA_BROWSER` or `BROWSER` and no desktop environment: it opens URLs
    /// the way a freedesktop system does, through the default application for http(s).
    pub fn launch(home: &Home, sandbox_url: &str) -> Desktop {
        let one_at_a_time = ONE_WINDOW.lock().unwrap_or_else(|p| p.into_inner());
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "no D-Bus session: run this test inside scripts/with-keyring.sh"
        );
        let (xvfb, display) = start_xvfb();
        let port = free_port();
        let native_port = free_port();
        let mut driver = Command::new(tauri_driver());
        if home.data_dir_given {
            driver.env("KURA_DATA_DIR", home.data_dir());
        } else {
            driver.env_remove("KURA_DATA_DIR");
        }
        let driver = driver
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("DISPLAY", &display)
            .env("KURA_SANDBOX_URL", sandbox_url)
            .env("KURA_CONFIG_DIR", home.path().join("kura-config"))
            .env("XDG_CONFIG_HOME", home.config_home())
            .env("XDG_DATA_HOME", home.data_home())
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env_remove("KURA_BROWSER")
            .env_remove("BROWSER")
            .env_remove("XDG_CURRENT_DESKTOP")
            .env_remove("DESKTOP_SESSION")
            .env_remove("GTK_USE_PORTAL")
            .stdout(Stdio::null())
            .spawn()
            .expect("tauri-driver is missing: run scripts/desktop-deps.sh");
        let driver = Guard(driver);
        let driver_url = format!("http://127.0.0.1:{port}");
        wait_for("tauri-driver", Duration::from_secs(30), || webdriver::is_up(&driver_url));
        let session = Session::start(&driver_url, Path::new(env!("CARGO_BIN_EXE_kura-desktop")));
        Desktop { session, display, _driver: driver, _xvfb: xvfb, _one_at_a_time: one_at_a_time }
    }

    /// Waits until the page's text satisfies `ready`; on timeout keeps a screenshot and fails
    /// with what the page showed.
    pub fn wait_for_page(&self, what: &str, mut ready: impl FnMut(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = self.session.body_text();
            if ready(&text) {
                return text;
            }
            if Instant::now() > deadline {
                self.screenshot("desktop-failure.png");
                panic!("timed out waiting for {what}; the window showed:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Clicks the element at `xpath`, waiting for it to appear.
    pub fn click(&self, what: &str, xpath: &str) {
        let element = self.element(what, xpath);
        self.session.click(&element);
    }

    fn element(&self, what: &str, xpath: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(element) = self.session.find_xpath(xpath) {
                return element;
            }
            if Instant::now() > deadline {
                self.screenshot("desktop-failure.png");
                panic!("no {what} ({xpath}); the window showed:\n{}", self.session.body_text());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// A picture of the X screen, taken by the X server rather than WebKitWebDriver: the driver's
    /// screenshot hangs under WebKit's plain (non-DMA-BUF) renderer, which the app uses when
    /// there is no GPU, as here.
    pub fn screenshot(&self, name: &str) {
        // Two animation frames: the second starts only after the first has been painted.
        self.session.execute_async(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            serde_json::json!([]),
        );
        let xwd = Command::new("xwd")
            .args(["-silent", "-root", "-display", &self.display])
            .output()
            .expect("xwd is missing: run scripts/desktop-deps.sh");
        assert!(xwd.status.success(), "xwd failed: {}", String::from_utf8_lossy(&xwd.stderr));
        let mut convert = Command::new("convert")
            .arg("xwd:-")
            .arg(screenshot_path(name))
            .stdin(Stdio::piped())
            .spawn()
            .expect("convert is missing: run scripts/desktop-deps.sh");
        std::io::Write::write_all(&mut convert.stdin.take().unwrap(), &xwd.stdout).unwrap();
        assert!(convert.wait().unwrap().success(), "convert could not write {name}");
    }

    /// Ends the session, which closes the app.
    pub fn close(self) {
        self.session.end();
    }
}

/// The XPath of a button whose text contains `ja` or `en`.
pub fn button(ja: &str, en: &str) -> String {
    format!("//button[contains(., '{ja}') or contains(., '{en}')]")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// An X server of our own, on the first free display number from 90.
fn start_xvfb() -> (Guard, String) {
    for n in 90..200 {
        if display_in_use(n) {
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

/// Whether an X server holds display `n`: its lock file names a live process. A server killed
/// by an earlier run leaves its lock behind; Xvfb takes such a display over.
fn display_in_use(n: u32) -> bool {
    std::fs::read_to_string(format!("/tmp/.X{n}-lock"))
        .is_ok_and(|pid| Path::new(&format!("/proc/{}", pid.trim())).exists())
}

fn tauri_driver() -> PathBuf {
    let installed = PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo/bin/tauri-driver");
    if installed.exists() { installed } else { PathBuf::from("tauri-driver") }
}
