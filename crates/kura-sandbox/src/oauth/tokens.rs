//! Authorization codes, grants, access and refresh tokens: issuance, redemption, rotation,
//! revocation and the bearer check of the resource API. Only digests of secrets are stored.

use std::collections::HashMap;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;

use super::errors::OAuthError;
use super::pkce;
use super::scopes::Scope;
use super::secrets::{Digest, digest, new_secret};
use super::{Grant, TokenRejection};
use crate::clock::jst;

/// Authorization codes live this long (RFC 6749 §4.1.2 recommends at most 10 minutes).
const CODE_TTL: Duration = Duration::seconds(60);
/// How long spent codes and expired tokens are remembered, so that a replayed code still
/// revokes its tokens and an old token is reported as expired, not unknown.
const RETENTION: Duration = Duration::days(7);

/// What the user agreed to on the consent page.
#[derive(Debug, Clone)]
pub struct Consent {
    pub username: String,
    pub bank_code: String,
    pub account_ids: Vec<String>,
    pub scopes: Vec<Scope>,
    pub expires_at: DateTime<Utc>,
}

/// What a code is bound to at the token endpoint.
#[derive(Debug, Clone)]
pub struct CodeBinding {
    pub client_id: &'static str,
    pub redirect_uri: String,
    /// S256 challenge; `None` only for a confidential client that did not use PKCE.
    pub code_challenge: Option<String>,
}

/// What the token endpoint issues: lifetimes, and which optional parts a response carries.
#[derive(Debug, Clone, Copy)]
pub struct Issuance {
    pub access: Duration,
    pub refresh: Duration,
    /// Whether a refresh token comes with the access token.
    pub refresh_tokens: bool,
    /// Whether responses carry the federation's `consent_expires_at` and `bank_code`.
    pub federation_fields: bool,
}

/// A successful token response (RFC 6749 §5.1) plus the federation's consent expiry and the
/// union the grant is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Empty, and left out of the JSON, when the server issues no refresh tokens.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub refresh_token: String,
    /// Space-delimited scopes of the access token.
    pub scope: String,
    /// RFC 3339 in JST, e.g. `2027-02-22T10:15:00+09:00`; after it the user must link again.
    /// Empty, and left out of the JSON, with plain token responses (as is `bank_code`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub consent_expires_at: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bank_code: String,
}

/// What introspection (RFC 7662) tells its client of an active token, with the federation's
/// consent expiry, which a server that keeps token responses plain publishes only here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Introspection {
    pub active: bool,
    pub client_id: &'static str,
    pub username: String,
    pub scope: String,
    pub token_type: &'static str,
    /// The token's own expiry, seconds since the epoch.
    pub exp: i64,
    pub consent_expires_at: String,
    pub bank_code: String,
}

pub type GrantId = u64;

struct CodeRecord {
    binding: CodeBinding,
    consent: Consent,
    expires_at: DateTime<Utc>,
    redeemed: bool,
    /// The grant created when the code was redeemed, or the session's grant it was issued
    /// under; revoked if the code is replayed.
    grant: Option<GrantId>,
}

struct GrantRecord {
    client_id: &'static str,
    consent: Consent,
}

struct AccessRecord {
    grant: GrantId,
    scopes: Vec<Scope>,
    expires_at: DateTime<Utc>,
    /// Set by fault injection: the token is reported expired whatever the clock says.
    forced_expired: bool,
}

struct RefreshRecord {
    grant: GrantId,
    expires_at: DateTime<Utc>,
    /// Already exchanged for a new pair; presenting it again means it leaked.
    rotated: bool,
}

#[derive(Default)]
pub struct TokenStore {
    /// Refresh-token grants served, for tests that count them.
    pub refreshes: u64,
    next_grant: GrantId,
    codes: HashMap<Digest, CodeRecord>,
    grants: HashMap<GrantId, GrantRecord>,
    access: HashMap<Digest, AccessRecord>,
    refresh: HashMap<Digest, RefreshRecord>,
}

impl TokenStore {
    /// A code for `consent`; with `under`, one issued under that existing grant (a session's).
    pub fn issue_code(
        &mut self,
        binding: CodeBinding,
        consent: Consent,
        under: Option<GrantId>,
        now: DateTime<Utc>,
    ) -> String {
        self.prune(now);
        let code = new_secret();
        let record = CodeRecord { binding, consent, expires_at: now + CODE_TTL, redeemed: false, grant: under };
        self.codes.insert(digest(&code), record);
        code
    }

    /// The `authorization_code` grant. A code is spent by its first redemption attempt from its
    /// own client, successful or not; a replay revokes whatever was issued from it.
    pub fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        redirect_uri: &str,
        code_verifier: Option<&str>,
        now: DateTime<Utc>,
        issuance: Issuance,
    ) -> Result<(GrantId, TokenResponse), OAuthError> {
        self.prune(now);
        let record = self
            .codes
            .get_mut(&digest(code))
            .filter(|r| r.binding.client_id == client_id)
            .ok_or_else(|| OAuthError::invalid_grant("unknown authorization code"))?;
        if record.redeemed {
            let issued = record.grant.take();
            if let Some(grant) = issued {
                self.revoke_grant(grant);
            }
            return Err(OAuthError::invalid_grant(
                "authorization code was already used; the tokens issued from it are revoked",
            ));
        }
        record.redeemed = true;
        if now >= record.expires_at {
            return Err(OAuthError::invalid_grant("authorization code expired; start the authorization again"));
        }
        if record.binding.redirect_uri != redirect_uri {
            return Err(OAuthError::invalid_grant("redirect_uri differs from the one of the authorization request"));
        }
        match (&record.binding.code_challenge, code_verifier) {
            (Some(challenge), Some(verifier)) if pkce::verify_s256(verifier, challenge) => {}
            (Some(_), Some(_)) => {
                return Err(OAuthError::invalid_grant("code_verifier does not match the code_challenge"));
            }
            (Some(_), None) => return Err(OAuthError::invalid_grant("code_verifier is required (PKCE)")),
            // A verifier without a challenge is a PKCE downgrade attempt (RFC 9700 §2.1.1).
            (None, Some(_)) => {
                return Err(OAuthError::invalid_grant(
                    "code_verifier sent but the authorization request had no code_challenge",
                ));
            }
            (None, None) => {}
        }
        let (client_id, consent) = (record.binding.client_id, record.consent.clone());
        if let Some(grant) = record.grant {
            // Issued under a session's grant: the tokens join it, and the grant now carries
            // what the user just agreed to.
            let Some(existing) = self.grants.get_mut(&grant) else {
                return Err(OAuthError::invalid_grant(
                    "the grant this code was issued under has been revoked; start the authorization again",
                ));
            };
            existing.consent = consent.clone();
            let scopes = consent.scopes.clone();
            return Ok((grant, self.issue_pair(grant, &consent, scopes, now, issuance)));
        }
        let (grant, response) = self.issue_grant(client_id, consent, now, issuance);
        if let Some(record) = self.codes.get_mut(&digest(code)) {
            record.grant = Some(grant);
        }
        Ok((grant, response))
    }

    /// How many grants of `username` hold an access or refresh token that still works at `now`.
    pub fn live_grants_of(&self, username: &str, now: DateTime<Utc>) -> usize {
        self.grants
            .iter()
            .filter(|(_, g)| g.consent.username == username && now < g.consent.expires_at)
            .filter(|(id, _)| {
                self.access.values().any(|a| a.grant == **id && now < a.expires_at)
                    || self.refresh.values().any(|r| r.grant == **id && !r.rotated && now < r.expires_at)
            })
            .count()
    }

    /// Whether `grant` is still alive.
    pub fn has_grant(&self, grant: GrantId) -> bool {
        self.grants.contains_key(&grant)
    }

    /// The `refresh_token` grant with rotation: the presented token is spent, a new pair is
    /// issued, and presenting a spent token again revokes the whole grant (RFC 9700 §4.14.2).
    pub fn refresh(
        &mut self,
        token: &str,
        client_id: &str,
        requested: Option<Vec<Scope>>,
        now: DateTime<Utc>,
        issuance: Issuance,
    ) -> Result<TokenResponse, OAuthError> {
        self.prune(now);
        self.refreshes += 1;
        let unknown = || OAuthError::invalid_grant("unknown or revoked refresh token; link the account again");
        let record = self.refresh.get_mut(&digest(token)).ok_or_else(unknown)?;
        let grant_id = record.grant;
        let grant = self.grants.get(&grant_id).ok_or_else(unknown)?;
        if grant.client_id != client_id {
            return Err(unknown());
        }
        if record.rotated {
            self.revoke_grant(grant_id);
            return Err(OAuthError::invalid_grant(
                "refresh token was already used; the grant is revoked, link the account again",
            ));
        }
        if now >= grant.consent.expires_at {
            return Err(OAuthError::invalid_grant("the user's consent has expired; link the account again"));
        }
        if now >= record.expires_at {
            return Err(OAuthError::invalid_grant("refresh token expired; link the account again"));
        }
        let scopes = match requested {
            Some(scopes) if scopes.iter().all(|s| grant.consent.scopes.contains(s)) => scopes,
            Some(_) => return Err(OAuthError::invalid_scope("scope exceeds what the user granted")),
            None => grant.consent.scopes.clone(),
        };
        record.rotated = true;
        let consent = grant.consent.clone();
        Ok(self.issue_pair(grant_id, &consent, scopes, now, issuance))
    }

    /// Creates a grant from a consent and issues its first token pair.
    pub fn issue_grant(
        &mut self,
        client_id: &'static str,
        consent: Consent,
        now: DateTime<Utc>,
        issuance: Issuance,
    ) -> (GrantId, TokenResponse) {
        let scopes = consent.scopes.clone();
        let id = self.open_grant(client_id, consent.clone(), now);
        let response = self.issue_pair(id, &consent, scopes, now, issuance);
        (id, response)
    }

    /// Creates a grant for `consent` with no tokens yet (a session's, which codes are then
    /// issued under).
    pub fn open_grant(&mut self, client_id: &'static str, consent: Consent, now: DateTime<Utc>) -> GrantId {
        self.prune(now);
        let id = self.next_grant;
        self.next_grant += 1;
        self.grants.insert(id, GrantRecord { client_id, consent });
        id
    }

    fn issue_pair(
        &mut self,
        grant: GrantId,
        consent: &Consent,
        scopes: Vec<Scope>,
        now: DateTime<Utc>,
        issuance: Issuance,
    ) -> TokenResponse {
        // No token outlives the consent it was issued under.
        let access_expires = (now + issuance.access).min(consent.expires_at);
        let refresh_expires = (now + issuance.refresh).min(consent.expires_at);
        let access_token = new_secret();
        let scope = Scope::join(&scopes);
        self.access.insert(
            digest(&access_token),
            AccessRecord { grant, scopes, expires_at: access_expires, forced_expired: false },
        );
        let refresh_token = issuance.refresh_tokens.then(|| {
            let token = new_secret();
            self.refresh.insert(digest(&token), RefreshRecord { grant, expires_at: refresh_expires, rotated: false });
            token
        });
        let federation = issuance.federation_fields;
        TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: (access_expires - now).num_seconds(),
            refresh_token: refresh_token.unwrap_or_default(),
            scope,
            consent_expires_at: if federation { consent_expiry(consent) } else { String::new() },
            bank_code: if federation { consent.bank_code.clone() } else { String::new() },
        }
    }

    /// RFC 7662 introspection of `token` for `client_id`: `None` (inactive) for unknown, expired
    /// or revoked tokens and for tokens of other clients.
    pub fn introspect(&self, token: &str, client_id: &str, now: DateTime<Utc>) -> Option<Introspection> {
        let key = digest(token);
        let (grant, scopes, expires_at, token_type) = match (self.access.get(&key), self.refresh.get(&key)) {
            (Some(a), _) if !a.forced_expired => (a.grant, a.scopes.clone(), a.expires_at, "access_token"),
            (None, Some(r)) if !r.rotated => (r.grant, Vec::new(), r.expires_at, "refresh_token"),
            _ => return None,
        };
        let record = self.grants.get(&grant).filter(|g| g.client_id == client_id)?;
        if now >= expires_at || now >= record.consent.expires_at {
            return None;
        }
        let scopes = if scopes.is_empty() { record.consent.scopes.clone() } else { scopes };
        Some(Introspection {
            active: true,
            client_id: record.client_id,
            username: record.consent.username.clone(),
            scope: Scope::join(&scopes),
            token_type,
            exp: expires_at.timestamp(),
            consent_expires_at: consent_expiry(&record.consent),
            bank_code: record.consent.bank_code.clone(),
        })
    }

    pub fn authenticate(&self, token: &str, now: DateTime<Utc>) -> Result<Grant, TokenRejection> {
        let record = self.access.get(&digest(token)).ok_or(TokenRejection::Invalid)?;
        let grant = self.grants.get(&record.grant).ok_or(TokenRejection::Invalid)?;
        if record.forced_expired || now >= record.expires_at {
            return Err(TokenRejection::Expired);
        }
        Ok(Grant {
            username: grant.consent.username.clone(),
            bank_code: grant.consent.bank_code.clone(),
            account_ids: grant.consent.account_ids.clone(),
            scopes: record.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
        })
    }

    /// RFC 7009 revocation by `client_id`. Revoking a refresh token ends the grant; revoking an
    /// access token ends only that token. Unknown tokens, and tokens of other clients (left
    /// alone, and not revealed to exist), are answered like revoked ones.
    pub fn revoke(&mut self, token: &str, client_id: &str) {
        let key = digest(token);
        let (grant, is_refresh) = match (self.access.get(&key), self.refresh.get(&key)) {
            (Some(access), _) => (access.grant, false),
            (None, Some(refresh)) => (refresh.grant, true),
            (None, None) => return,
        };
        if self.grants.get(&grant).is_none_or(|g| g.client_id != client_id) {
            return;
        }
        if is_refresh {
            self.revoke_grant(grant);
        } else {
            self.access.remove(&key);
        }
    }

    pub fn expire_all_access_tokens(&mut self) {
        self.access.values_mut().for_each(|a| a.forced_expired = true);
    }

    pub fn revoke_all(&mut self) {
        self.grants.clear();
        self.access.clear();
        self.refresh.clear();
        self.codes.clear();
    }

    fn revoke_grant(&mut self, grant: GrantId) {
        self.grants.remove(&grant);
        self.access.retain(|_, a| a.grant != grant);
        self.refresh.retain(|_, r| r.grant != grant);
    }

    /// Forgets what can no longer matter, so a long-running sandbox does not grow without bound.
    fn prune(&mut self, now: DateTime<Utc>) {
        self.codes.retain(|_, c| now < c.expires_at + RETENTION);
        let ended: Vec<GrantId> =
            self.grants.iter().filter(|(_, g)| now >= g.consent.expires_at + RETENTION).map(|(id, _)| *id).collect();
        for grant in ended {
            self.revoke_grant(grant);
        }
        self.access.retain(|_, a| now < a.expires_at + RETENTION);
        self.refresh.retain(|_, r| now < r.expires_at + RETENTION);
    }
}

/// The federation's form of a consent's end: RFC 3339 in JST.
fn consent_expiry(consent: &Consent) -> String {
    consent.expires_at.with_timezone(&jst()).to_rfc3339_opts(SecondsFormat::Secs, false)
}
