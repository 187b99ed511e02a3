//! The parts of the operating system the app talks to, observed or driven from outside: the
//! default browser (a freedesktop default application that records what it was asked to open),
//! the notification service's D-Bus traffic (dbus-monitor), and the GTK file chooser (xdotool).

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::desktop::{Guard, Home, wait_for};

/// The home's default application for http and https URLs, as `xdg-open` finds it
/// (mimeapps.list in `XDG_CONFIG_HOME`, the desktop entry in `XDG_DATA_HOME`). Each start adds
/// a line: the URL it was given and the command line of the process that started it.
pub struct RecordingBrowser {
    record: PathBuf,
}

/// What the recording browser was asked to open, and by whom.
pub struct Opened {
    pub url: String,
    pub launcher: String,
}

impl RecordingBrowser {
    pub fn install(home: &Home) -> RecordingBrowser {
        let bin = home.path().join("bin");
        let applications = home.data_home().join("applications");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&applications).unwrap();
        std::fs::create_dir_all(home.config_home()).unwrap();
        let record = home.path().join("opened-url");
        let script = bin.join("record-browser");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\nprintf '%s\\t%s\\n' \"$1\" \"$(tr '\\0' ' ' < /proc/$PPID/cmdline)\" >> '{0}'\n",
                record.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(
            applications.join("kura-test-browser.desktop"),
            format!(
                "[Desktop Entry]\nType=Application\nName=Kura test browser\nExec={} %u\n\
                 MimeType=x-scheme-handler/http;x-scheme-handler/https;\n",
                script.display()
            ),
        )
        .unwrap();
        std::fs::write(
            home.config_home().join("mimeapps.list"),
            "[Default Applications]\nx-scheme-handler/http=kura-test-browser.desktop\n\
             x-scheme-handler/https=kura-test-browser.desktop\n",
        )
        .unwrap();
        RecordingBrowser { record }
    }

    /// Every start so far.
    pub fn opened(&self) -> Vec<Opened> {
        let text = std::fs::read_to_string(&self.record).unwrap_or_default();
        // Only whole lines: a start may be writing its line right now.
        let complete = &text[..text.rfind('\n').map_or(0, |end| end + 1)];
        complete
            .lines()
            .map(|line| {
                let (url, launcher) = line.split_once('\t').unwrap();
                Opened { url: url.to_owned(), launcher: launcher.trim_end().to_owned() }
            })
            .collect()
    }

    /// Waits for the `n`-th start (from 1) and returns it.
    pub fn wait_for_open(&self, n: usize) -> Opened {
        wait_for(&format!("the default browser to be opened {n} time(s)"), Duration::from_secs(30), || {
            self.opened().len() >= n
        });
        self.opened().swap_remove(n - 1)
    }
}

/// `dbus-monitor` on the session bus, recording every call to the freedesktop notification
/// service. No notification daemon runs in the test's D-Bus session, so the calls fail after
/// the monitor has seen them; that the app asked is what the test checks.
pub struct NotificationMonitor {
    log: PathBuf,
    _monitor: Guard,
}

/// One `org.freedesktop.Notifications.Notify` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub summary: String,
    pub body: String,
}

impl NotificationMonitor {
    pub fn start(home: &Home) -> NotificationMonitor {
        let log = home.path().join("dbus-monitor.log");
        let monitor = Command::new("dbus-monitor")
            .args(["--session", "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-monitor is missing: run scripts/desktop-deps.sh");
        let monitor = Guard(monitor);
        // It prints NameLost once it has become a monitor: from then on it sees every call.
        wait_for("dbus-monitor", Duration::from_secs(10), || {
            std::fs::read_to_string(&log).is_ok_and(|t| t.contains("member=NameLost"))
        });
        NotificationMonitor { log, _monitor: monitor }
    }

    /// The notifications asked for so far. dbus-monitor prints a call's arguments one per line;
    /// Notify's string arguments come in the order app name, icon, summary, body.
    pub fn notifications(&self) -> Vec<Notification> {
        let text = std::fs::read_to_string(&self.log).unwrap();
        text.split("\nmethod call ")
            .filter(|call| call.lines().next().is_some_and(|l| l.contains("member=Notify")))
            .filter_map(|call| {
                let strings: Vec<&str> = call
                    .lines()
                    .filter_map(|l| l.strip_prefix("   string \"").and_then(|s| s.strip_suffix('"')))
                    .take(4)
                    .collect();
                (strings.len() == 4)
                    .then(|| Notification { summary: strings[2].to_owned(), body: strings[3].to_owned() })
            })
            .collect()
    }

    /// Waits for a notification whose summary is `summary`.
    pub fn wait_for(&self, summary: &str) -> Notification {
        let mut found = None;
        wait_for(&format!("a notification \"{summary}\""), Duration::from_secs(60), || {
            found = self.notifications().into_iter().find(|n| n.summary == summary);
            found.is_some()
        });
        found.unwrap()
    }
}

/// Saves in the GTK file chooser titled `title` on `display`: types `path` into its name
/// field (GTK takes a full path there) and presses Return, as a person would.
pub fn save_in_file_chooser(display: &str, title: &str, path: &Path) {
    let xdotool = |args: &[&str]| {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", display)
            .stderr(Stdio::inherit())
            .output()
            .expect("xdotool is missing: run scripts/desktop-deps.sh");
        (out.status.success(), String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let window = loop {
        let (found, ids) = xdotool(&["search", "--onlyvisible", "--name", &format!("^{title}$")]);
        if found && let Some(id) = ids.lines().last() {
            break id.to_owned();
        }
        assert!(Instant::now() < deadline, "no file chooser titled {title:?} appeared");
        std::thread::sleep(Duration::from_millis(200));
    };
    // No window manager runs under Xvfb: give the dialog the keyboard ourselves. Keys go in
    // through XTEST (not sent to a window), which GTK treats as real typing.
    assert!(xdotool(&["windowfocus", "--sync", &window]).0, "cannot focus the file chooser");
    // The name field has the keyboard and holds the suggested name: replace it with the path.
    assert!(xdotool(&["key", "--clearmodifiers", "ctrl+a"]).0);
    assert!(xdotool(&["type", "--delay", "20", &path.display().to_string()]).0);
    assert!(xdotool(&["key", "Return"]).0);
}
