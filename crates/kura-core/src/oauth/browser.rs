//! Opening the authorization URL: the system default browser, or a command the user (or a test
//! harness) chose through `KURA_BROWSER` or `browser` in profiles.toml.

use super::error::OAuthError;

/// How Kura opens a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Browser {
    /// The desktop's default browser.
    System,
    /// A program and its arguments; the URL is appended as the last argument.
    Command(Vec<String>),
    /// Open nothing: the user opens the printed address (e.g. on a machine without a desktop).
    Manual,
}

impl Browser {
    /// `KURA_BROWSER` if set, else the config's `browser`, else the system browser.
    pub fn from_env_or(config: Option<&str>) -> Result<Self, OAuthError> {
        match std::env::var("KURA_BROWSER").ok().filter(|s| !s.trim().is_empty()) {
            Some(command) => Self::parse(&command),
            None => match config {
                Some(command) => Self::parse(command),
                None => Ok(Browser::System),
            },
        }
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
}
