//! Opening the authorization URL: the system default browser (or the opener the desktop shell
//! supplies), or a command the user (or a test harness) chose through `KURA_BROWSER` or
//! `browser` in profiles.toml.

use std::fmt;
use std::sync::Arc;

use super::error::OAuthError;

/// How Kura opens a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Browser {
    /// The desktop's default browser.
    System,
    /// The host application's own way to reach the default browser (the desktop app's
    /// tauri-plugin-opener), used where [`Browser::System`] would be.
    Opener(Opener),
    /// A program and its arguments; the URL is appended as the last argument.
    Command(Vec<String>),
    /// Open nothing: the user opens the printed address (e.g. on a machine without a desktop).
    Manual,
}

impl Browser {
    /// `KURA_BROWSER` if set, else the config's `browser`, else the system browser.
    pub fn from_env_or(config: Option<&str>) -> Result<Self, OAuthError> {
        Self::from_env_or_else(config, Browser::System)
    }

    /// `KURA_BROWSER` if set, else the config's `browser`, else `system`: how the host opens
    /// the default browser. The overrides win so tests and users can pick a browser anywhere.
    pub fn from_env_or_else(config: Option<&str>, system: Browser) -> Result<Self, OAuthError> {
        Self::choose(std::env::var("KURA_BROWSER").ok().as_deref(), config, system)
    }

    /// The override in `env` (`KURA_BROWSER`), else `config`, else `system`.
    fn choose(env: Option<&str>, config: Option<&str>, system: Browser) -> Result<Self, OAuthError> {
        let chosen = match env.filter(|s| !s.trim().is_empty()) {
            Some(command) => Self::parse(command)?,
            None => match config {
                Some(command) => Self::parse(command)?,
                None => Browser::System,
            },
        };
        Ok(if chosen == Browser::System { system } else { chosen })
    }

    /// A command line split as a POSIX shell would (quotes allowed).
    pub fn parse(command: &str) -> Result<Self, OAuthError> {
        let words = shell_words::split(command).map_err(|e| OAuthError::Browser {
            command: command.to_owned(),
            detail: format!("cannot split the command line: {e}"),
        })?;
        if words.is_empty() {
            return Ok(Browser::System);
        }
        Ok(Browser::Command(words))
    }

    /// Opens `url`. A command is started and left running; its failure to start is an error.
    pub fn open(&self, url: &str) -> Result<(), OAuthError> {
        match self {
            Browser::Manual => Ok(()),
            Browser::System => webbrowser::open(url)
                .map_err(|e| OAuthError::Browser { command: "the system browser".into(), detail: e.to_string() }),
            Browser::Opener(opener) => {
                (opener.open)(url).map_err(|detail| OAuthError::Browser { command: opener.name.clone(), detail })
            }
            Browser::Command(words) => {
                let mut child = std::process::Command::new(&words[0])
                    .args(&words[1..])
                    .arg(url)
                    .stdin(std::process::Stdio::null())
                    .spawn()
                    .map_err(|e| OAuthError::Browser { command: words.join(" "), detail: e.to_string() })?;
                let command = words.join(" ");
                // Reap it when it exits, so it never lingers as a zombie.
                std::thread::spawn(move || match child.wait() {
                    Ok(status) if !status.success() => {
                        tracing::warn!(%command, %status, "the browser command failed; open the printed address yourself")
                    }
                    _ => {}
                });
                Ok(())
            }
        }
    }
}

/// A function that opens a URL in the default browser, supplied by the host application; it
/// returns why it could not.
#[derive(Clone)]
pub struct Opener {
    name: String,
    open: Arc<OpenFn>,
}

type OpenFn = dyn Fn(&str) -> Result<(), String> + Send + Sync;

impl Opener {
    /// `name` says what opens the URL, for error messages (e.g. "the desktop's default browser").
    pub fn new(name: impl Into<String>, open: impl Fn(&str) -> Result<(), String> + Send + Sync + 'static) -> Self {
        Opener { name: name.into(), open: Arc::new(open) }
    }
}

impl fmt::Debug for Opener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opener").field("name", &self.name).finish_non_exhaustive()
    }
}

/// The same opener: one function, shared.
impl PartialEq for Opener {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.open, &other.open)
    }
}

impl Eq for Opener {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_with_quotes() {
        assert_eq!(
            Browser::parse("'/opt/My Browser/run' --new-window").unwrap(),
            Browser::Command(vec!["/opt/My Browser/run".into(), "--new-window".into()])
        );
        assert_eq!(Browser::parse("  ").unwrap(), Browser::System);
        assert!(Browser::parse("'unclosed").is_err());
    }

    #[test]
    fn runs_the_command_with_the_url_last() {
        let dir = std::env::temp_dir().join(format!("kura-browser-{}-{}", std::process::id(), rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("url");
        let script = format!("printf '%s %s' \"$0\" \"$1\" > '{0}.tmp' && mv '{0}.tmp' '{0}'", out.display());
        Browser::Command(vec!["sh".into(), "-c".into(), script, "first".into()]).open("http://x/?a=1&b=2").unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !out.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "first http://x/?a=1&b=2");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(Browser::Command(vec!["/nonexistent/browser".into()]).open("http://x/").is_err());
    }

    #[test]
    fn the_host_opener_stands_in_for_the_system_browser_only() {
        let opened = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let seen = opened.clone();
        let opener = Browser::Opener(Opener::new("the test opener", move |url: &str| {
            seen.lock().unwrap().push(url.to_owned());
            Ok(())
        }));
        assert_eq!(Browser::choose(None, None, opener.clone()).unwrap(), opener);
        assert_eq!(Browser::choose(Some(""), Some(" "), opener.clone()).unwrap(), opener);
        assert_eq!(
            Browser::choose(None, Some("firefox --new-window"), opener.clone()).unwrap(),
            Browser::Command(vec!["firefox".into(), "--new-window".into()])
        );
        assert_eq!(
            Browser::choose(Some("chromium"), Some("firefox"), opener.clone()).unwrap(),
            Browser::Command(vec!["chromium".into()])
        );
        opener.open("http://127.0.0.1:9/authorize").unwrap();
        assert_eq!(*opened.lock().unwrap(), ["http://127.0.0.1:9/authorize"]);

        let failing = Browser::Opener(Opener::new("the desktop's default browser", |_: &str| Err("no handler".into())));
        let e = failing.open("http://x/").unwrap_err().to_string();
        assert!(e.contains("the desktop's default browser") && e.contains("no handler"), "{e}");
    }
}
