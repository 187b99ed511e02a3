//! One union's OAuth client: the authorization URL, code exchange, refresh and revocation,
//! through the `oauth2` crate.

use chrono::{DateTime, FixedOffset, Utc};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet, ExtraTokenFields,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardErrorResponse,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::client_auth::ClientAuth;
use super::discovery::{self, ServerInfo};
use super::error::OAuthError;
use super::http::{Authenticated, Http, TransportError};
use crate::profile::Profile;
use crate::secrets::{SecretStore, TokenSet};

/// The federation's additions to the token response.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FederationFields {
    /// When the user's consent ends; refreshing stops working then.
    pub consent_expires_at: Option<DateTime<FixedOffset>>,
    /// The union the grant is for.
    pub bank_code: Option<String>,
}
impl ExtraTokenFields for FederationFields {}

type FederationTokenResponse = StandardTokenResponse<FederationFields, BasicTokenType>;

type Oauth2Client = oauth2::Client<
    BasicErrorResponse,
    FederationTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Tokens as the authorization server granted them.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    pub tokens: TokenSet,
    /// How long the access token lives (`expires_in`), when the server said.
    pub lifetime: Option<chrono::Duration>,
    pub consent_expires_at: Option<DateTime<FixedOffset>>,
    pub bank_code: Option<String>,
}

/// A union's authorization server as one profile sees it.
#[derive(Clone)]
pub struct OAuthClient {
    http: Http,
    profile: Profile,
    server: ServerInfo,
    auth: ClientAuth,
}

impl std::fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthClient").field("profile", &self.profile).field("server", &self.server).finish()
    }
}

/// What RFC 9207's `iss` in an authorization response must be.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IssuerCheck {
    /// The issuer the request went to, when known: an `iss` naming another is refused.
    pub issuer: Option<String>,
    /// The server announced that it always sends `iss`: a response without one is refused.
    pub required: bool,
}

impl OAuthClient {
    /// Resolves the endpoints of `profile` (RFC 8414 discovery when it names only an issuer) and,
    /// for a confidential client, its secret from the credential store.
    pub async fn new(profile: Profile, secrets: &SecretStore) -> Result<Self, OAuthError> {
        let http = Http::new();
        let server = discovery::server_info(&http, &profile.auth_server).await?;
        let client_secret = if profile.confidential {
            let secret = secrets
                .client_secret(&profile.name)
                .await?
                .ok_or_else(|| OAuthError::MissingClientSecret(profile.name.clone()))?;
            Some(ClientSecret::new(secret))
        } else {
            None
        };
        let auth = ClientAuth::new(profile.client_id.clone(), client_secret);
        Ok(OAuthClient { http, profile, server, auth })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// What the `iss` of this server's authorization responses must be (RFC 9207).
    pub fn issuer_check(&self) -> IssuerCheck {
        IssuerCheck { issuer: self.server.issuer.clone(), required: self.server.iss_parameter_supported }
    }

    /// The `oauth2` crate's client, without the secret: [`ClientAuth`] authenticates every
    /// request the same way instead (see [`Authenticated`]).
    fn client(&self, redirect: Option<&Url>) -> Oauth2Client {
        let endpoints = &self.server.endpoints;
        let client = oauth2::Client::new(ClientId::new(self.profile.client_id.clone()))
            .set_auth_uri(AuthUrl::from_url(endpoints.authorization.clone()))
            .set_token_uri(TokenUrl::from_url(endpoints.token.clone()));
        match redirect {
            Some(r) => client.set_redirect_uri(RedirectUrl::from_url(r.clone())),
            None => client,
        }
    }

    /// The URL to open in the browser, asking for the profile's scopes at its union.
    pub(crate) fn authorize_url(&self, redirect: &Url, state: &CsrfToken, challenge: PkceCodeChallenge) -> Url {
        let state = state.clone();
        let (url, _) = self
            .client(Some(redirect))
            .authorize_url(move || state)
            .set_pkce_challenge(challenge)
            .add_scopes(self.profile.scopes.iter().cloned().map(Scope::new))
            .add_extra_param("bank_code", self.profile.bank_code.clone())
            .url();
        url
    }

    /// Trades an authorization code for tokens.
    pub(crate) async fn exchange_code(
        &self,
        code: String,
        redirect: &Url,
        verifier: PkceCodeVerifier,
    ) -> Result<TokenGrant, OAuthError> {
        let response = self
            .client(Some(redirect))
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(verifier)
            .request_async(&self.authenticated())
            .await
            .map_err(|e| token_error(&self.profile, e))?;
        Ok(grant(response, None))
    }

    /// A new access token (and, with rotation, a new refresh token) for `refresh_token`.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenGrant, OAuthError> {
        let token = RefreshToken::new(refresh_token.to_owned());
        let response = self
            .client(None)
            .exchange_refresh_token(&token)
            .request_async(&self.authenticated())
            .await
            .map_err(|e| token_error(&self.profile, e))?;
        // Servers that do not rotate keep the old refresh token valid (RFC 6749 §6).
        Ok(grant(response, Some(refresh_token)))
    }

    fn authenticated(&self) -> Authenticated<'_> {
        Authenticated { http: &self.http, auth: &self.auth }
    }

    /// Revokes the refresh and access tokens (RFC 7009). A server without a revocation
    /// endpoint cannot be told; the caller still forgets the tokens.
    ///
    /// Sent with Kura's own client: the `oauth2` crate insists on https here, which would refuse
    /// the loopback sandbox that [`crate::profile::require_secure`] deliberately allows.
    pub async fn revoke(&self, tokens: &TokenSet) -> Result<bool, OAuthError> {
        let Some(endpoint) = &self.server.endpoints.revocation else { return Ok(false) };
        // The refresh token first: revoking it ends the whole grant on most servers.
        let mut revocable = Vec::new();
        if let Some(refresh) = &tokens.refresh_token {
            revocable.push((refresh.as_str(), "refresh_token"));
        }
        revocable.push((tokens.access_token.as_str(), "access_token"));
        for (token, hint) in revocable {
            // RFC 7009 §2.2: 200 whether or not the token was still valid.
            self.post_form(endpoint, vec![("token", token), ("token_type_hint", hint)]).await?;
        }
        Ok(true)
    }

    /// The consent expiry the server publishes through token introspection (RFC 7662), for a
    /// server whose token responses leave it out: the federation's `consent_expires_at` of the
    /// grant's token. `None` when the server has no introspection endpoint or does not say.
    pub async fn introspected_consent_expiry(
        &self,
        tokens: &TokenSet,
    ) -> Result<Option<DateTime<FixedOffset>>, OAuthError> {
        let Some(endpoint) = &self.server.endpoints.introspection else { return Ok(None) };
        // The refresh token stands for the grant; without one, the access token does.
        let (token, hint) = match &tokens.refresh_token {
            Some(refresh) => (refresh.as_str(), "refresh_token"),
            None => (tokens.access_token.as_str(), "access_token"),
        };
        let body = self.post_form(endpoint, vec![("token", token), ("token_type_hint", hint)]).await?;
        #[derive(Deserialize)]
        struct Introspection {
            active: bool,
            consent_expires_at: Option<DateTime<FixedOffset>>,
        }
        let found: Introspection = serde_json::from_slice(&body)
            .map_err(|e| OAuthError::Protocol(format!("unexpected introspection response at line {}", e.line())))?;
        Ok(found.consent_expires_at.filter(|_| found.active))
    }

    /// POSTs `form` to `endpoint` with the client's authentication; returns the body of a 2xx
    /// answer, or the server's refusal.
    async fn post_form(&self, endpoint: &Url, form: Vec<(&str, &str)>) -> Result<Vec<u8>, OAuthError> {
        let mut form: Vec<(String, String)> = form.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        let mut request = self.http.0.post(endpoint.clone());
        if let Some(authorization) = self.auth.apply(&mut form) {
            request = request.header(http::header::AUTHORIZATION, authorization);
        }
        let response = request.form(&form).send().await.map_err(|e| OAuthError::Network(e.to_string()))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| OAuthError::Network(e.to_string()))?;
        if status.is_success() {
            return Ok(body.to_vec());
        }
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let error = body["error"].as_str().map_or_else(|| format!("HTTP {status}"), str::to_owned);
        let description = body["error_description"].as_str().map(str::to_owned);
        Err(refused(&self.profile, error, description))
    }
}

fn grant(response: FederationTokenResponse, previous_refresh: Option<&str>) -> TokenGrant {
    let lifetime = response.expires_in().and_then(|d| chrono::Duration::from_std(d).ok());
    let tokens = TokenSet {
        access_token: response.access_token().secret().clone(),
        refresh_token: response
            .refresh_token()
            .map(|t| t.secret().clone())
            .or_else(|| previous_refresh.map(str::to_owned)),
        expires_at: lifetime.map(|d| Utc::now() + d),
        scope: response.scopes().map(|s| s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")),
    };
    let extra = response.extra_fields().clone();
    TokenGrant { tokens, lifetime, consent_expires_at: extra.consent_expires_at, bank_code: extra.bank_code }
}

fn token_error<T: oauth2::ErrorResponseType + AsRef<str> + std::fmt::Display>(
    profile: &Profile,
    e: RequestTokenError<TransportError, StandardErrorResponse<T>>,
) -> OAuthError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let description = r.error_description().cloned();
            match r.error().as_ref() {
                "invalid_grant" => OAuthError::InvalidGrant(description),
                other => refused(profile, other.to_owned(), description),
            }
        }
        RequestTokenError::Request(e) => OAuthError::Network(e.to_string()),
        // Only the path: serde's message could quote a token from the body.
        RequestTokenError::Parse(e, _) => OAuthError::Protocol(format!("unexpected token response at `{}`", e.path())),
        RequestTokenError::Other(message) => OAuthError::Protocol(message),
    }
}

/// A refusal at the token or revocation endpoint; the client's own credentials get a message
/// that says where to fix them.
fn refused(profile: &Profile, error: String, description: Option<String>) -> OAuthError {
    match error.as_str() {
        "invalid_client" | "unauthorized_client" => OAuthError::ClientRefused {
            profile: profile.name.clone(),
            error,
            description,
            confidential: profile.confidential,
        },
        _ => OAuthError::TokenEndpoint { error, description },
    }
}
