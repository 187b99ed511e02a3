//! Why linking or a token refresh failed, in words a user can act on. No variant carries a
//! token, a code or a client secret.

use std::time::Duration;

use crate::profile::ProfileError;
use crate::secrets::SecretsError;

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error(
        "Access was denied on the union's consent page (you chose Deny, or the union refused). Nothing was linked; run `kura link` again to retry."
    )]
    AccessDenied,
    #[error("The union's authorization server refused the request ({error}{}). Nothing was linked.", describe(.description))]
    Authorization { error: String, description: Option<String> },
    #[error(
        "The browser returned a response that does not belong to this link attempt (its state does not match), so Kura stopped without linking. If you did not start it yourself, someone may be trying to link their account to your Kura; run `kura link` again."
    )]
    StateMismatch,
    #[error(
        "The browser's redirect to Kura carried neither an authorization code nor an error. Nothing was linked; run `kura link` again."
    )]
    MalformedCallback,
    #[error(
        "No answer from the browser within {}, so Kura stopped waiting. Run `kura link` again and finish the login in the browser window it opens.",
        wait_text(*.0)
    )]
    TimedOut(Duration),
    #[error("Cannot listen on 127.0.0.1 for the browser's redirect: {0}")]
    Listen(std::io::Error),
    #[error(
        "Cannot open the browser with `{command}`: {detail}. Open the address printed above in your browser yourself."
    )]
    Browser { command: String, detail: String },
    #[error(
        "The union no longer accepts this link's authorization (invalid_grant{}): it expired or was revoked. Link the union again with `kura link`; your cached history is kept.",
        describe(.0)
    )]
    InvalidGrant(Option<String>),
    #[error("The union's token endpoint refused the request ({error}{}).", describe(.description))]
    TokenEndpoint { error: String, description: Option<String> },
    #[error(
        "The union refused the client credentials of profile `{profile}` ({error}{}). {}",
        describe(.description),
        if *.confidential {
            "Check `client_id` in profiles.toml, and give the client secret your intermediary issued again (`kura link <union code> --client-secret-stdin`, or in the app's link dialog)."
        } else {
            "Check `client_id` in profiles.toml: the union does not know this client."
        }
    )]
    ClientRefused { profile: String, error: String, description: Option<String>, confidential: bool },
    #[error("Cannot reach the union's authorization server: {0}. Check your connection and try again.")]
    Network(String),
    #[error("The union's authorization server sent an answer Kura does not understand ({0}).")]
    Protocol(String),
    #[error(
        "Kura found no metadata of the authorization server with issuer {issuer}. Tried, in order: {}. Check `issuer` in profiles.toml: it must be exactly the issuer identifier the union's server names (RFC 8414), or give `authorization_endpoint` and `token_endpoint` instead.",
        tried_text(.tried)
    )]
    Discovery { issuer: String, tried: Vec<DiscoveryAttempt> },
    #[error("The authorization server's metadata at {url} is unusable: {detail}")]
    UnusableMetadata { url: String, detail: String },
    #[error(
        "The login's answer came from issuer {}, not from {expected}, so Kura stopped without linking (RFC 9207): another server may be trying to take part in this login. Nothing was linked; run `kura link` again, and if this repeats, check `issuer` in profiles.toml.",
        .received.as_deref().unwrap_or("(none named)")
    )]
    IssuerMismatch { expected: String, received: Option<String> },
    #[error(
        "Profile `{0}` is a confidential client, but its client secret is not in the OS credential store. Give the secret your intermediary issued in the app's link dialog, or with `kura link <union code> --client-secret-stdin` (it reads the secret from standard input)."
    )]
    MissingClientSecret(String),
    #[error(
        "Profile `{0}` is a public client (no `confidential = true` in profiles.toml), so it has no client secret to give."
    )]
    NotConfidential(String),
    #[error("The client secret is empty; paste the secret your intermediary issued.")]
    EmptyClientSecret,
    #[error(
        "This union gives Kura no refresh token, so its access ended when the access token expired; link the union again to continue (your cached history is kept)."
    )]
    NoRefreshToken,
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
}

/// One metadata location discovery tried, and why it did not serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveryAttempt {
    pub url: String,
    pub why: String,
}

fn tried_text(tried: &[DiscoveryAttempt]) -> String {
    tried.iter().map(|t| format!("{} ({})", t.url, t.why)).collect::<Vec<_>>().join(", ")
}

fn describe(description: &Option<String>) -> String {
    description.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
}

fn wait_text(d: Duration) -> String {
    match d.as_secs() {
        s if s >= 60 => format!("{} minutes", s.div_ceil(60)),
        s => format!("{} seconds", s.max(1)),
    }
}
