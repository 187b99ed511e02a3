//! Institution profiles: which authorization server, API base and OAuth client Kura uses for
//! each of the 95 unions.
//!
//! Without configuration every union resolves to the built-in sandbox
//! (`http://127.0.0.1:7878`, or `KURA_SANDBOX_URL`, or `sandbox_url` in the file below) as the
//! public native client `kura-desktop`.
//!
//! A real connection is a profile in `profiles.toml` in Kura's config folder
//! (`~/.config/kura/profiles.toml` on Linux, `~/Library/Application Support/jp.kura.Kura/` on
//! macOS, `%APPDATA%\kura\Kura\config\` on Windows; `KURA_CONFIG_DIR` overrides the folder):
//!
//! ```toml
//! # Optional: where the sandbox runs when no profile covers a union.
//! sandbox_url = "http://127.0.0.1:7878"
//! # Optional: the browser for linking; the URL is appended as the last argument.
//! browser = "firefox --new-window"
//!
//! [profiles.hokuo]
//! banks = ["2011"]                          # 4-digit union codes this profile serves
//! issuer = "https://auth.example.jp"        # discovery of the endpoints below (see oauth::discovery), or:
//! # authorization_endpoint = "https://auth.example.jp/authorize"
//! # token_endpoint = "https://auth.example.jp/token"
//! # revocation_endpoint = "https://auth.example.jp/revoke"         # optional
//! # introspection_endpoint = "https://auth.example.jp/introspect"  # optional (RFC 7662)
//! api_base = "https://api.example.jp"       # the Open API; paths start with /v1
//! client_id = "my-intermediary-client"
//! scopes = ["balance", "transactions"]      # default: both
//! confidential = true                       # default false; see below
//! ```
//!
//! A confidential client's secret is never read from this file: it lives in the OS credential
//! store (see [`crate::secrets::SecretStore::set_client_secret`]). Every endpoint that is not on
//! loopback must use https.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use url::Url;

use crate::i18n::{Explain, Explanation, Language};
use crate::{explain, institutions, t};

/// The sandbox address when neither `KURA_SANDBOX_URL` nor the config file names one.
pub const DEFAULT_SANDBOX_URL: &str = "http://127.0.0.1:7878";
/// The client id the sandbox registers for Kura on the desktop.
pub const SANDBOX_CLIENT_ID: &str = "kura-desktop";
/// Name of the built-in profile (stored with each link).
pub const SANDBOX_PROFILE: &str = "sandbox";
/// The scopes of the federation's read-only API.
pub const DEFAULT_SCOPES: [&str; 2] = ["balance", "transactions"];

#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum ProfileError {
    UnknownUnion { code: String },
    Read { path: PathBuf, source: std::io::Error },
    Parse { path: PathBuf, message: String },
    Invalid { profile: String, problem: ProfileProblem },
    InsecureEndpoint { what: String, url: String },
    MissingProfile { name: String },
}

/// What is wrong with one profile of profiles.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileProblem {
    ReservedName,
    BankTwice { bank: String, other: String },
    NoBanks,
    UnknownBank(String),
    IssuerWithQuery(String),
    HalfConfigured,
    EmptyClientId,
    BadScopes,
    NotAUrl { key: String, value: String, detail: String },
}

impl Explain for ProfileError {
    fn explain(&self, lang: Language) -> Explanation {
        use ProfileError as E;
        match self {
            E::UnknownUnion { code } => explain!(lang, "profile-unknown-union", code = code.as_str()),
            E::Read { path, source } => {
                explain!(lang, "profile-read", path = path.display().to_string(), reason = source.to_string())
            }
            E::Parse { path, message } => {
                explain!(lang, "profile-parse", path = path.display().to_string(), message = message.as_str())
            }
            E::Invalid { profile, problem } => {
                let problem = problem.describe(lang);
                explain!(lang, "profile-invalid", profile = profile.as_str(), problem)
            }
            E::InsecureEndpoint { what, url } => {
                explain!(lang, "profile-insecure", what = what.as_str(), url = url.as_str())
            }
            E::MissingProfile { name } => explain!(lang, "profile-missing", name = name.as_str()),
        }
    }
}

impl ProfileProblem {
    fn describe(&self, lang: Language) -> String {
        use ProfileProblem as P;
        match self {
            P::ReservedName => t!(lang, "profile-problem-reserved"),
            P::BankTwice { bank, other } => {
                t!(lang, "profile-problem-bank-twice", bank = bank.as_str(), other = other.as_str())
            }
            P::NoBanks => t!(lang, "profile-problem-no-banks"),
            P::UnknownBank(bank) => t!(lang, "profile-problem-unknown-bank", bank = bank.as_str()),
            P::IssuerWithQuery(issuer) => t!(lang, "profile-problem-issuer-query", issuer = format!("{issuer:?}")),
            P::HalfConfigured => t!(lang, "profile-problem-half-configured"),
            P::EmptyClientId => t!(lang, "profile-problem-empty-client-id"),
            P::BadScopes => t!(lang, "profile-problem-bad-scopes"),
            P::NotAUrl { key, value, detail } => t!(
                lang,
                "profile-problem-not-a-url",
                key = key.as_str(),
                value = format!("{value:?}"),
                detail = detail.as_str()
            ),
        }
    }
}

/// How Kura finds the authorization server's endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthServer {
    /// Metadata found from the issuer identifier (RFC 8414; the locations tried are in
    /// [`crate::oauth::discovery`]). The identifier is kept exactly as configured: the metadata
    /// must name the very same string (RFC 8414 §3.3), as must RFC 9207's `iss`.
    Discover { issuer: String },
    /// Endpoints given in the profile.
    Explicit(Box<Endpoints>),
}

/// The authorization server's endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub authorization: Url,
    pub token: Url,
    pub revocation: Option<Url>,
    /// Token introspection (RFC 7662), where a server that leaves the consent expiry out of its
    /// token responses may publish it.
    pub introspection: Option<Url>,
}

/// Everything needed to link and poll one union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// `sandbox` or the profile's name in profiles.toml; stored with the link.
    pub name: String,
    pub bank_code: String,
    pub auth_server: AuthServer,
    /// Base of the Open API (without `/v1`).
    pub api_base: Url,
    pub client_id: String,
    pub scopes: Vec<String>,
    /// A confidential client authenticates with a secret from the OS credential store.
    pub confidential: bool,
}

impl Profile {
    /// The scopes as the space-separated string OAuth uses.
    pub fn scope_string(&self) -> String {
        self.scopes.join(" ")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfilesFile {
    sandbox_url: Option<String>,
    browser: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, ProfileEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileEntry {
    banks: Vec<String>,
    issuer: Option<String>,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    revocation_endpoint: Option<String>,
    introspection_endpoint: Option<String>,
    api_base: String,
    client_id: String,
    scopes: Option<Vec<String>>,
    #[serde(default)]
    confidential: bool,
}

/// The loaded profiles configuration.
#[derive(Debug, Clone)]
pub struct Profiles {
    sandbox_url: Url,
    browser: Option<String>,
    /// Real profiles by name.
    profiles: BTreeMap<String, ProfileTemplate>,
}

#[derive(Debug, Clone)]
struct ProfileTemplate {
    banks: Vec<String>,
    auth_server: AuthServer,
    api_base: Url,
    client_id: String,
    scopes: Vec<String>,
    confidential: bool,
}

/// Kura's config folder: `KURA_CONFIG_DIR`, else the platform's (e.g. `~/.config/kura`).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KURA_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("jp", "kura", "Kura").map(|d| d.config_dir().to_path_buf())
}

impl Profiles {
    /// Loads `profiles.toml` from [`config_dir`] (absent file: sandbox only), applying
    /// `KURA_SANDBOX_URL` over the file's `sandbox_url`.
    pub fn load() -> Result<Self, ProfileError> {
        let path = config_dir().map(|d| d.join("profiles.toml"));
        let sandbox_env = std::env::var("KURA_SANDBOX_URL").ok().filter(|s| !s.is_empty());
        Self::load_from(path.as_deref(), sandbox_env.as_deref())
    }

    /// Loads from `path` (a missing file is fine) with an optional sandbox URL override.
    pub fn load_from(path: Option<&Path>, sandbox_override: Option<&str>) -> Result<Self, ProfileError> {
        let file = match path {
            Some(path) => match std::fs::read_to_string(path) {
                Ok(text) => toml::from_str::<ProfilesFile>(&text)
                    .map_err(|e| ProfileError::Parse { path: path.to_path_buf(), message: e.to_string() })?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => ProfilesFile::default(),
                Err(source) => {
                    return Err(ProfileError::Read { path: path.to_path_buf(), source });
                }
            },
            None => ProfilesFile::default(),
        };
        let sandbox_url =
            sandbox_override.map(str::to_owned).or(file.sandbox_url).unwrap_or_else(|| DEFAULT_SANDBOX_URL.to_owned());
        let sandbox_url = parse_endpoint("sandbox", "sandbox_url", &sandbox_url)?;
        let mut profiles = BTreeMap::new();
        for (name, entry) in file.profiles {
            if name == SANDBOX_PROFILE {
                return Err(ProfileError::Invalid { profile: name, problem: ProfileProblem::ReservedName });
            }
            let template = ProfileTemplate::from_entry(&name, entry)?;
            profiles.insert(name, template);
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (name, p) in &profiles {
            for bank in &p.banks {
                if let Some(other) = seen.insert(bank, name) {
                    return Err(ProfileError::Invalid {
                        profile: name.clone(),
                        problem: ProfileProblem::BankTwice { bank: bank.clone(), other: other.to_owned() },
                    });
                }
            }
        }
        Ok(Profiles { sandbox_url, browser: file.browser, profiles })
    }

    /// The browser command from the file, if any.
    pub fn browser(&self) -> Option<&str> {
        self.browser.as_deref()
    }

    pub fn sandbox_url(&self) -> &Url {
        &self.sandbox_url
    }

    /// The profile serving the union `bank_code`: a configured one, else the sandbox.
    pub fn resolve(&self, bank_code: &str) -> Result<Profile, ProfileError> {
        let bank = institutions::by_code(bank_code)
            .ok_or_else(|| ProfileError::UnknownUnion { code: bank_code.to_owned() })?;
        if let Some((name, p)) = self.profiles.iter().find(|(_, p)| p.banks.contains(&bank.code)) {
            return Ok(p.instantiate(name, &bank.code));
        }
        Ok(self.sandbox(&bank.code))
    }

    /// The profile a link was made with, by its stored name.
    pub fn by_name(&self, name: &str, bank_code: &str) -> Result<Profile, ProfileError> {
        if name == SANDBOX_PROFILE {
            return Ok(self.sandbox(bank_code));
        }
        self.profiles
            .get(name)
            .map(|p| p.instantiate(name, bank_code))
            .ok_or_else(|| ProfileError::MissingProfile { name: name.to_owned() })
    }

    fn sandbox(&self, bank_code: &str) -> Profile {
        Profile {
            name: SANDBOX_PROFILE.into(),
            bank_code: bank_code.into(),
            // The sandbox names itself without a trailing slash, whatever the URL's spelling.
            auth_server: AuthServer::Discover { issuer: self.sandbox_url.as_str().trim_end_matches('/').to_owned() },
            api_base: self.sandbox_url.clone(),
            client_id: SANDBOX_CLIENT_ID.into(),
            scopes: DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
            confidential: false,
        }
    }
}

impl ProfileTemplate {
    fn from_entry(name: &str, e: ProfileEntry) -> Result<Self, ProfileError> {
        let invalid = |problem| ProfileError::Invalid { profile: name.to_owned(), problem };
        if e.banks.is_empty() {
            return Err(invalid(ProfileProblem::NoBanks));
        }
        for bank in &e.banks {
            if institutions::by_code(bank).is_none() {
                return Err(invalid(ProfileProblem::UnknownBank(bank.clone())));
            }
        }
        let auth_server = match (e.issuer, e.authorization_endpoint, e.token_endpoint) {
            (Some(issuer), None, None) if e.revocation_endpoint.is_none() && e.introspection_endpoint.is_none() => {
                let url = parse_endpoint(name, "issuer", &issuer)?;
                // RFC 8414 §2: an issuer identifier has no query or fragment.
                if url.query().is_some() || url.fragment().is_some() {
                    return Err(invalid(ProfileProblem::IssuerWithQuery(issuer)));
                }
                AuthServer::Discover { issuer }
            }
            (None, Some(auth), Some(token)) => AuthServer::Explicit(Box::new(Endpoints {
                authorization: parse_endpoint(name, "authorization_endpoint", &auth)?,
                token: parse_endpoint(name, "token_endpoint", &token)?,
                revocation: e
                    .revocation_endpoint
                    .as_deref()
                    .map(|r| parse_endpoint(name, "revocation_endpoint", r))
                    .transpose()?,
                introspection: e
                    .introspection_endpoint
                    .as_deref()
                    .map(|r| parse_endpoint(name, "introspection_endpoint", r))
                    .transpose()?,
            })),
            _ => {
                return Err(invalid(ProfileProblem::HalfConfigured));
            }
        };
        if e.client_id.trim().is_empty() {
            return Err(invalid(ProfileProblem::EmptyClientId));
        }
        let scopes = e.scopes.unwrap_or_else(|| DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect());
        if scopes.is_empty() || scopes.iter().any(|s| s.is_empty() || s.contains(' ')) {
            return Err(invalid(ProfileProblem::BadScopes));
        }
        Ok(ProfileTemplate {
            banks: e.banks,
            auth_server,
            api_base: parse_endpoint(name, "api_base", &e.api_base)?,
            client_id: e.client_id,
            scopes,
            confidential: e.confidential,
        })
    }

    fn instantiate(&self, name: &str, bank_code: &str) -> Profile {
        Profile {
            name: name.to_owned(),
            bank_code: bank_code.to_owned(),
            auth_server: self.auth_server.clone(),
            api_base: self.api_base.clone(),
            client_id: self.client_id.clone(),
            scopes: self.scopes.clone(),
            confidential: self.confidential,
        }
    }
}

fn parse_endpoint(profile: &str, what: &str, raw: &str) -> Result<Url, ProfileError> {
    let url = Url::parse(raw).map_err(|e| ProfileError::Invalid {
        profile: profile.to_owned(),
        problem: ProfileProblem::NotAUrl { key: what.to_owned(), value: raw.to_owned(), detail: e.to_string() },
    })?;
    require_secure(&format!("{what} of profile `{profile}`"), &url)?;
    Ok(url)
}

/// Refuses anything but https, except plain http to this machine (RFC 8252 loopback).
pub fn require_secure(what: &str, url: &Url) -> Result<(), ProfileError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        _ => Err(ProfileError::InsecureEndpoint { what: what.to_owned(), url: url.to_string() }),
    }
}

/// Whether `url` points at this machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Profiles, ProfileError> {
        let dir =
            std::env::temp_dir().join(format!("kura-profile-test-{}-{}", std::process::id(), rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("profiles.toml");
        std::fs::write(&path, text).unwrap();
        let result = Profiles::load_from(Some(&path), None);
        std::fs::remove_dir_all(&dir).unwrap();
        result
    }

    #[test]
    fn every_union_defaults_to_the_sandbox() {
        let profiles = Profiles::load_from(None, None).unwrap();
        for union in institutions::all() {
            let p = profiles.resolve(&union.code).unwrap();
            assert_eq!(p.name, "sandbox");
            assert_eq!(p.client_id, "kura-desktop");
            assert_eq!(p.api_base.as_str(), "http://127.0.0.1:7878/");
            assert_eq!(p.auth_server, AuthServer::Discover { issuer: "http://127.0.0.1:7878".into() });
            assert_eq!(p.scope_string(), "balance transactions");
        }
        assert!(matches!(profiles.resolve("9999"), Err(ProfileError::UnknownUnion { .. })));
    }

    #[test]
    fn sandbox_url_override_wins_over_the_file() {
        let profiles = Profiles::load_from(None, Some("http://127.0.0.1:9")).unwrap();
        assert_eq!(profiles.resolve("2011").unwrap().api_base.as_str(), "http://127.0.0.1:9/");
    }

    #[test]
    fn a_configured_profile_serves_its_unions_only() {
        let profiles = load(
            r#"
            browser = "firefox --new-window"
            [profiles.hokuo]
            banks = ["2011"]
            authorization_endpoint = "https://auth.example.jp/authorize"
            token_endpoint = "https://auth.example.jp/token"
            api_base = "https://api.example.jp"
            client_id = "agent"
            scopes = ["balance"]
            confidential = true
            "#,
        )
        .unwrap();
        let p = profiles.resolve("2011").unwrap();
        assert_eq!(p.name, "hokuo");
        assert!(p.confidential);
        assert_eq!(p.scope_string(), "balance");
        let AuthServer::Explicit(e) = &p.auth_server else { panic!("{p:?}") };
        assert_eq!(e.token.as_str(), "https://auth.example.jp/token");
        assert_eq!(e.revocation, None);
        assert_eq!(profiles.by_name("hokuo", "2011").unwrap(), p);
        assert_eq!(profiles.browser(), Some("firefox --new-window"));
        let other = institutions::all().iter().find(|i| i.code != "2011").unwrap();
        assert_eq!(profiles.resolve(&other.code).unwrap().name, "sandbox");
        assert!(matches!(profiles.by_name("gone", "2011"), Err(ProfileError::MissingProfile { .. })));
    }

    #[test]
    fn refuses_plain_http_off_loopback_and_half_configured_servers() {
        let err = load(
            r#"
            [profiles.x]
            banks = ["2011"]
            issuer = "http://auth.example.jp"
            api_base = "https://api.example.jp"
            client_id = "agent"
            "#,
        )
        .unwrap_err();
        assert!(matches!(err, ProfileError::InsecureEndpoint { .. }), "{err}");
        assert!(err.to_string().contains("is not https"));
        let err = load(
            r#"
            [profiles.x]
            banks = ["2011"]
            token_endpoint = "https://auth.example.jp/token"
            api_base = "https://api.example.jp"
            client_id = "agent"
            "#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("either `issuer`"), "{err}");
        let err = load("client_secret = \"x\"").unwrap_err();
        assert!(matches!(err, ProfileError::Parse { .. }), "{err}");
        assert!(Profiles::load_from(None, Some("http://example.jp")).is_err());
        assert!(Profiles::load_from(None, Some("http://[::1]:7878")).is_ok());
    }
}
