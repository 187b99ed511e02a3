//! The parts of the operating system the app talks to, observed or driven from outside: the
//! default browser (a freedesktop default application that records what it was asked to open),
//! the notification service's D-Bus traffic (dbus-monitor), and the GTK file and folder choosers
//! (xdotool).

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

/// Creates the home's Documents folder and names it as the freedesktop user directories do
/// (user-dirs.dirs in `XDG_CONFIG_HOME`): the app's file and folder choosers open there. GTK's
/// folder chooser starts in "Recent" without it, where it cannot choose a folder.
pub fn documents_folder(home: &Home) -> PathBuf {
    let documents = home.path().join("Documents");
    std::fs::create_dir_all(&documents).unwrap();
    std::fs::create_dir_all(home.config_home()).unwrap();
    std::fs::write(
        home.config_home().join("user-dirs.dirs"),
        format!("XDG_DOCUMENTS_DIR=\"{}\"\n", documents.display()),
    )
    .unwrap();
    documents
}

/// Saves in the GTK file chooser titled `title` on `display`: types `path` into its name
/// field (GTK takes a full path there) and presses Return, as a person would.
pub fn save_in_file_chooser(display: &str, title: &str, path: &Path) {
    let chooser = FileChooser::find(display, title);
    // The name field has the keyboard and holds the suggested name: replace it with the path.
    chooser.xdotool(&["key", "--clearmodifiers", "ctrl+a"]);
    chooser.xdotool(&["type", "--delay", "20", &path.display().to_string()]);
    chooser.xdotool(&["key", "Return"]);
}

/// Chooses `folder` in the GTK folder chooser titled `title` on `display`: opens its location
/// field (Ctrl+L), types the folder's full path and presses Return, as a person would. The
/// chooser must start in a folder (see [`documents_folder`]).
pub fn choose_in_folder_chooser(display: &str, title: &str, folder: &Path) {
    let chooser = FileChooser::find(display, title);
    chooser.xdotool(&["key", "--clearmodifiers", "ctrl+l"]);
    chooser.xdotool(&["key", "--clearmodifiers", "ctrl+a"]);
    // The path ends in a slash, as GTK's own completion of a folder's name does.
    chooser.xdotool(&["type", "--delay", "20", &format!("{}/", folder.display())]);
    chooser.xdotool(&["key", "Return"]);
}

/// A GTK file chooser on screen, with the keyboard.
struct FileChooser<'a> {
    display: &'a str,
}

impl FileChooser<'_> {
    /// Waits for the chooser titled `title` and gives it the keyboard: no window manager runs
    /// under Xvfb to do so. Keys then go in through XTEST (not sent to a window), which GTK
    /// treats as real typing.
    fn find<'a>(display: &'a str, title: &str) -> FileChooser<'a> {
        let chooser = FileChooser { display };
        let deadline = Instant::now() + Duration::from_secs(30);
        let window = loop {
            let (found, ids) = chooser.try_xdotool(&["search", "--onlyvisible", "--name", &format!("^{title}$")]);
            if found && let Some(id) = ids.lines().last() {
                break id.to_owned();
            }
            assert!(Instant::now() < deadline, "no file chooser titled {title:?} appeared");
            std::thread::sleep(Duration::from_millis(200));
        };
        chooser.xdotool(&["windowfocus", "--sync", &window]);
        chooser
    }

    fn xdotool(&self, args: &[&str]) {
        assert!(self.try_xdotool(args).0, "xdotool {args:?} failed");
    }

    fn try_xdotool(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", self.display)
            .stderr(Stdio::inherit())
            .output()
            .expect("xdotool is missing: run scripts/desktop-deps.sh");
        (out.status.success(), String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }
}
