//! What real authorization servers may do that the federation's default does not, each against
//! a sandbox mode that behaves that way (all within the RFCs): grants shared with the browser's
//! session and ended by revocation, an issuer with a path, a client secret full of reserved
//! characters, no refresh token, RFC 9207 `iss`, 30-second access tokens, plain token responses,
//! and a second person at a union already linked. Real sandbox over loopback HTTP, a scripted
//! person on its login pages, the real OS keyring (run inside scripts/with-keyring.sh).

mod sync_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use kura_core::api::ApiClient;
use kura_core::app::linking::{self, CachedData, LinkError};
use kura_core::model::{LinkId, LinkStatus};
use kura_core::oauth::{self, Browser, OAuthClient, OAuthError, Opener};
use kura_core::profile::{Profile, Profiles};
use kura_core::secrets::SecretStore;
use kura_core::store::Store;
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_sandbox::oauth::OAuthModes;
use kura_sandbox::{Sandbox, SandboxConfig};
use reqwest::header::LOCATION;
use sync_support::{fast_config, today};

/// A person at the sandbox's login and consent pages: signs in as `user` (whose password is the
/// same word) when asked, allows every account, and follows the redirect back to Kura's loopback
/// listener. Keeps cookies, so a second link through the same browser meets the union's session.
#[derive(Clone)]
struct Person {
    http: reqwest::Client,
    user: &'static str,
    /// For each login: whether the union showed its login page (else it went straight to consent).
    saw_login_page: Arc<Mutex<Vec<bool>>>,
}

impl Person {
    fn new(user: &'static str) -> Person {
        let http = reqwest::Client::builder()
            .no_proxy()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Person { http, user, saw_login_page: Arc::default() }
    }

    fn browser(&self) -> Browser {
        let person = self.clone();
        Browser::Opener(Opener::new("a scripted person", move |url: &str| {
            let (person, url) = (person.clone(), url.to_owned());
            tokio::spawn(async move { person.log_in_and_allow(&url).await });
            Ok(())
        }))
    }

    async fn log_in_and_allow(&self, url: &str) {
        let origin = url::Url::parse(url).unwrap().origin().ascii_serialization();
        let mut page = self.http.get(url).send().await.unwrap().text().await.unwrap();
        let login = page.contains("name=\"username\"");
        self.saw_login_page.lock().unwrap().push(login);
        let request_id = input(&page, "request_id");
        if login {
            let form = [("request_id", request_id.as_str()), ("username", self.user), ("password", self.user)];
            let response = self.http.post(format!("{origin}/oauth/authorize/login")).form(&form).send().await;
            page = response.unwrap().text().await.unwrap();
        }
        let mut form = vec![("request_id".to_owned(), request_id), ("decision".to_owned(), "allow".to_owned())];
        form.extend(accounts(&page).into_iter().map(|a| ("account_id".to_owned(), a)));
        let decided = self.http.post(format!("{origin}/oauth/authorize/consent")).form(&form).send().await.unwrap();
        let callback = decided.headers().get(LOCATION).unwrap_or_else(|| panic!("no redirect: {decided:?}"));
        let _ = self.http.get(callback.to_str().unwrap()).send().await;
    }

    fn logins(&self) -> Vec<bool> {
        self.saw_login_page.lock().unwrap().clone()
    }
}

fn input(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {name} in:\n{page}")) + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

fn accounts(page: &str) -> Vec<String> {
    page.split("name=\"account_id\" value=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_owned()).collect()
}

/// A sandbox in `modes`, and a fresh Kura data folder with its store and keyring namespace.
struct Setup {
    sandbox: Sandbox,
    data: tempfile::TempDir,
    store: Store,
    secrets: SecretStore,
}

async fn setup(modes: OAuthModes) -> Setup {
    setup_with(SandboxConfig { oauth: modes, ..SandboxConfig::default() }).await
}

async fn setup_with(config: SandboxConfig) -> Setup {
    let sandbox = kura_sandbox::start(SandboxConfig { today: Some(today()), ..config }).await.unwrap();
    let data = tempfile::Builder::new().prefix("kura-oauth-servers-").tempdir().unwrap();
    let store = Store::open(Some(data.path())).unwrap();
    let secrets = SecretStore::for_data_dir(data.path()).unwrap();
    Setup { sandbox, data, store, secrets }
}

impl Setup {
    /// The built-in sandbox profile for 2011.
    fn sandbox_profile(&self) -> Profile {
        Profiles::load_from(None, Some(&self.sandbox.base_url)).unwrap().resolve("2011").unwrap()
    }

    /// The profile for 2011 of a profiles.toml holding `[profiles.union]` with `lines`.
    fn profile(&self, lines: &str) -> Profile {
        let path = self.data.path().join("profiles.toml");
        let base = &self.sandbox.base_url;
        std::fs::write(&path, format!("[profiles.union]\nbanks = [\"2011\"]\napi_base = \"{base}\"\n{lines}\n"))
            .unwrap();
        Profiles::load_from(Some(&path), Some(base)).unwrap().resolve("2011").unwrap()
    }

    async fn link(&mut self, profile: Profile, person: &Person) -> Result<linking::Linked, LinkError> {
        let browser = person.browser();
        linking::link(&mut self.store, &self.secrets, profile, None, &browser, Duration::from_secs(60), |_| {}).await
    }

    /// Syncs `link` as `kura sync` does, with the tokens from the keyring.
    async fn sync(&self, link: LinkId, profiles: &Profiles) -> kura_core::sync::LinkReport {
        let store = Store::open(Some(self.data.path())).unwrap();
        let row = store.link(link).unwrap();
        let tokens = oauth::tokens_for(&row, profiles, &self.secrets).await.unwrap();
        let api = ApiClient::new(fast_config(&self.sandbox.base_url)).unwrap();
        SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default()).sync_link(link, &api, &tokens).await
    }

    fn sandbox_profiles(&self) -> Profiles {
        Profiles::load_from(None, Some(&self.sandbox.base_url)).unwrap()
    }

    fn live_grants_of(&self, user: &str) -> usize {
        self.sandbox.state.oauth.live_grants_of(user, self.sandbox.state.clock.now())
    }

    /// Leaves nothing of this test in the shared keyring.
    async fn forget(self) {
        for link in self.store.links().unwrap() {
            self.secrets.delete_tokens(link.id.0).await.unwrap();
        }
        let _ = self.secrets.delete_client_secret("union").await;
    }
}

/// Broken 1: the union issues the re-link's code under the grant the browser's session holds,
/// and revoking a refresh token ends that whole grant. Revoking the replaced tokens would take
/// the new ones with them; Kura forgets them instead, and the new link works.
#[tokio::test]
async fn relinking_where_the_browser_is_still_signed_in_keeps_the_new_tokens() {
    let mut s = setup(OAuthModes { session_grants: true, ..OAuthModes::default() }).await;
    let person = Person::new("demo");
    let first = s.link(s.sandbox_profile(), &person).await.expect("the first link");
    let before = s.secrets.load_tokens(first.link.id.0).await.unwrap().unwrap();

    let again = s.link(s.sandbox_profile(), &person).await.expect("the re-link");
    assert_eq!(person.logins(), [true, false], "the second login went through the union's session");
    assert_eq!(again.link.id, first.link.id);
    assert_eq!(again.accounts.len(), first.accounts.len());
    let after = s.secrets.load_tokens(first.link.id.0).await.unwrap().unwrap();
    assert_ne!(after.access_token, before.access_token);

    // The new tokens work, and renew: the shared grant is alive.
    let report = s.sync(first.link.id, &s.sandbox_profiles()).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    s.sandbox.state.oauth.expire_all_access_tokens();
    let report = s.sync(first.link.id, &s.sandbox_profiles()).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    assert_eq!(s.store.link(first.link.id).unwrap().status, LinkStatus::Active);
    assert_eq!(s.live_grants_of("demo"), 1, "one grant, shared by the session");
    s.forget().await;
}

/// Broken 2: an issuer with a path whose metadata is only at the two locations appended to it.
#[tokio::test]
async fn discovery_finds_a_path_issuer_where_it_is_served_and_checks_it_exactly() {
    let mut s = setup(OAuthModes { issuer_path: Some("/fed/2011".into()), ..OAuthModes::default() }).await;
    let base = s.sandbox.base_url.clone();
    let profile = s.profile(&format!("issuer = \"{base}/fed/2011\"\nclient_id = \"kura-desktop\""));
    let linked = s.link(profile, &Person::new("demo")).await.expect("linked through the fallback metadata");
    assert!(!linked.accounts.is_empty());

    // Another issuer: nothing serves it, and the error names every place asked, in order.
    let other = s.profile(&format!("issuer = \"{base}/fed/2254\"\nclient_id = \"kura-desktop\""));
    let e = OAuthClient::new(other, &s.secrets).await.unwrap_err();
    let message = e.to_string();
    let tried = [
        format!("{base}/.well-known/oauth-authorization-server/fed/2254 (HTTP 404)"),
        format!("{base}/fed/2254/.well-known/openid-configuration (HTTP 404)"),
        format!("{base}/fed/2254/.well-known/oauth-authorization-server (HTTP 404)"),
    ];
    let positions: Vec<usize> = tried.iter().map(|t| message.find(t.as_str()).expect(&message)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{message}");
    assert!(matches!(e, OAuthError::Discovery { .. }), "{e:?}");

    // The issuer must be the very string the server names (RFC 8414 §3.3): a trailing slash is
    // another issuer.
    let slashed = s.profile(&format!("issuer = \"{base}/fed/2011/\"\nclient_id = \"kura-desktop\""));
    let e = OAuthClient::new(slashed, &s.secrets).await.unwrap_err().to_string();
    assert!(e.contains(&format!("names the issuer \"{base}/fed/2011\"")), "{e}");
    s.forget().await;
}

/// Broken 3: a confidential client whose id and secret hold `:`, `+`, `/`, `%` and more links,
/// renews and unlinks: every endpoint gets the credentials form-encoded before HTTP Basic.
#[tokio::test]
async fn a_client_secret_with_reserved_characters_links_renews_and_revokes() {
    use kura_sandbox::oauth::{INTERMEDIARY_RESERVED, INTERMEDIARY_RESERVED_SECRET};
    let mut s = setup(OAuthModes::default()).await;
    let base = s.sandbox.base_url.clone();
    let lines = format!("issuer = \"{base}\"\nclient_id = \"{INTERMEDIARY_RESERVED}\"\nconfidential = true");
    let profile = s.profile(&lines);
    let browser = Person::new("demo").browser();
    let timeout = Duration::from_secs(60);
    let linked = linking::link_with_client_secret(
        &mut s.store,
        &s.secrets,
        profile,
        None,
        INTERMEDIARY_RESERVED_SECRET,
        &browser,
        timeout,
        |_| {},
    )
    .await
    .expect("linked with the reserved-character secret");
    let id = linked.link.id;

    let profiles = Profiles::load_from(Some(&s.data.path().join("profiles.toml")), Some(&base)).unwrap();
    s.sandbox.state.oauth.expire_all_access_tokens();
    let report = s.sync(id, &profiles).await;
    assert!(report.error.is_none(), "the refresh authenticated: {:?}", report.error);
    assert_eq!(s.sandbox.state.oauth.refreshes(), 1);

    let unlinked = linking::unlink(&mut s.store, &s.secrets, &profiles, id, CachedData::Purge).await.unwrap();
    assert!(unlinked.revoke_error.is_none(), "{:?}", unlinked.revoke_error);
    assert!(unlinked.revoked && unlinked.client_secret_deleted);
    assert_eq!(s.live_grants_of("demo"), 0, "the union revoked the grant");
    s.forget().await;
}

/// Broken 4 (fixed by the household): another person's login at a union already linked never
/// replaces the first person's link; it becomes a link of its own, for the member named, beside
/// it. Each person's own login renews their own link.
#[tokio::test]
async fn a_second_person_at_a_linked_union_gets_a_link_of_their_own() {
    let mut s = setup(OAuthModes::default()).await;
    let first = s.link(s.sandbox_profile(), &Person::new("demo")).await.unwrap();
    assert!(!first.renewed);
    let id = first.link.id;
    let tokens = s.secrets.load_tokens(id.0).await.unwrap().unwrap();
    let held = s.store.accounts_of_link(id).unwrap();
    let hanako = s.store.add_member("花子", None, Utc::now()).unwrap();

    let (browser, profile) = (Person::new("family").browser(), s.sandbox_profile());
    let second =
        linking::link(&mut s.store, &s.secrets, profile, Some(hanako.id), &browser, Duration::from_secs(60), |_| {})
            .await
            .expect("another person's login is linked beside the first");
    assert!(!second.renewed);
    assert_ne!(second.link.id, id);
    assert_eq!(second.link.member_id, hanako.id);
    assert_eq!(first.link.member_id, s.store.first_member().unwrap());
    assert_eq!(s.live_grants_of("family"), 1, "the second person's consent is kept");
    assert_eq!(s.secrets.load_tokens(id.0).await.unwrap().as_ref(), Some(&tokens), "the first consent is untouched");
    assert_eq!(s.store.accounts_of_link(id).unwrap(), held);
    let theirs = s.store.accounts_of_link(second.link.id).unwrap();
    assert!(!theirs.is_empty() && theirs.iter().all(|a| !held.contains(a)));
    assert_eq!(s.store.links().unwrap().len(), 2);
    for link in [id, second.link.id] {
        assert!(s.sync(link, &s.sandbox_profiles()).await.error.is_none(), "link {link} syncs with its own tokens");
    }

    let renewed = s.link(s.sandbox_profile(), &Person::new("demo")).await.expect("the same person re-links");
    assert!(renewed.renewed);
    assert_eq!(renewed.link.id, id);
    assert_ne!(s.secrets.load_tokens(id.0).await.unwrap().as_ref(), Some(&tokens));
    let again = s.link(s.sandbox_profile(), &Person::new("family")).await.expect("and so does the second");
    assert_eq!((again.renewed, again.link.id, again.link.member_id), (true, second.link.id, hanako.id));
    assert_eq!(s.store.links().unwrap().len(), 2);
    s.forget().await;
}

/// Silently tolerated 5: no refresh token. The link says when it needs a new login, and then it
/// is a re-authentication, not an error and not a refresh that cannot work.
#[tokio::test]
async fn without_a_refresh_token_the_link_says_when_it_needs_a_new_login() {
    let mut s = setup(OAuthModes { no_refresh_token: true, ..OAuthModes::default() }).await;
    let linked = s.link(s.sandbox_profile(), &Person::new("demo")).await.unwrap();
    let id = linked.link.id;
    let until = linked.access_expires_at.expect("the link says when its access ends");
    let in_an_hour = Utc::now() + chrono::Duration::hours(1);
    assert!((until - in_an_hour).num_seconds().abs() < 60, "{until}");
    let mut tokens = s.secrets.load_tokens(id.0).await.unwrap().unwrap();
    assert_eq!(tokens.refresh_token, None);
    // With 20 seconds left the token still serves: no early "refresh" that cannot happen.
    tokens.expires_at = Some(Utc::now() + chrono::Duration::seconds(20));
    s.secrets.save_tokens(id.0, &tokens).await.unwrap();
    assert!(s.sync(id, &s.sandbox_profiles()).await.error.is_none());

    // Once it has expired, the link needs a new login, without a word to the token endpoint.
    tokens.expires_at = Some(Utc::now() - chrono::Duration::seconds(1));
    s.secrets.save_tokens(id.0, &tokens).await.unwrap();
    let report = s.sync(id, &s.sandbox_profiles()).await;
    let error = report.error.expect("no access without a login");
    assert!(error.to_string().contains("gives Kura no refresh token"), "{error}");
    let link = s.store.link(id).unwrap();
    assert_eq!(link.status, LinkStatus::ReauthRequired);
    assert_eq!(s.sandbox.state.oauth.refreshes(), 0);
    let run = s.store.sync_runs(Some(id), None, 1).unwrap().remove(0);
    assert_eq!(run.error_kind.as_deref(), Some("reauth_required"), "{run:?}");
    s.forget().await;
}

/// Silently tolerated 6: RFC 9207. A server that announces `iss` gets its answers checked: its
/// own links; a missing or foreign `iss` is refused before the code is used.
#[tokio::test]
async fn a_server_that_names_itself_gets_its_iss_checked() {
    let mut s = setup(OAuthModes { iss_parameter: true, ..OAuthModes::default() }).await;
    assert!(s.link(s.sandbox_profile(), &Person::new("demo")).await.is_ok());
    let base = s.sandbox.base_url.clone();
    for (iss, received) in [(Some("https://evil.example"), "https://evil.example"), (None, "(none named)")] {
        // A mix-up: an answer for this attempt's state, from another server (or none named).
        let answer = Browser::Opener(Opener::new("a forged answer", move |url: &str| {
            let url = url::Url::parse(url).unwrap();
            let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).unwrap().1.into_owned();
            let mut callback = url::Url::parse(&param("redirect_uri")).unwrap();
            callback
                .query_pairs_mut()
                .append_pair("code", "a-code-from-elsewhere")
                .append_pair("state", &param("state"));
            if let Some(iss) = iss {
                callback.query_pairs_mut().append_pair("iss", iss);
            }
            tokio::spawn(
                async move { reqwest::Client::builder().no_proxy().build().unwrap().get(callback).send().await },
            );
            Ok(())
        }));
        let profile = s.sandbox_profile();
        let e = linking::link(&mut s.store, &s.secrets, profile, None, &answer, Duration::from_secs(60), |_| {})
            .await
            .unwrap_err();
        let LinkError::OAuth(OAuthError::IssuerMismatch { expected, received: got }) = &e else { panic!("{e:?}") };
        assert_eq!(expected, &base);
        assert_eq!(got.as_deref().unwrap_or("(none named)"), received);
        assert!(e.to_string().contains("RFC 9207") && e.to_string().contains("Nothing was linked"), "{e}");
    }
    s.forget().await;
}

/// Silently tolerated 7: a 30-second access token serves most of its life instead of being
/// renewed before every request.
#[tokio::test]
async fn a_thirty_second_access_token_is_not_renewed_before_every_request() {
    let config = SandboxConfig { access_token_ttl: chrono::Duration::seconds(30), ..SandboxConfig::default() };
    let mut s = setup_with(config).await;
    let linked = s.link(s.sandbox_profile(), &Person::new("demo")).await.unwrap();
    let store = Arc::new(Mutex::new(Store::open(Some(s.data.path())).unwrap()));
    let row = s.store.link(linked.link.id).unwrap();
    let tokens = oauth::tokens_for(&row, &s.sandbox_profiles(), &s.secrets).await.unwrap();
    let api = ApiClient::new(fast_config(&s.sandbox.base_url)).unwrap();
    let engine = SyncEngine::new(store, SyncOptions::default());
    for _ in 0..2 {
        let report = engine.sync_link(row.id, &api, &tokens).await;
        assert!(report.error.is_none(), "{:?}", report.error);
        assert!(report.accounts.len() >= 4, "many requests: accounts, balances, history pages");
    }
    // The token read from the keyring has an unknown lifetime, so it is renewed once; the one
    // renewed is known to live 30 seconds and serves the rest.
    assert!(s.sandbox.state.oauth.refreshes() <= 1, "{} refreshes", s.sandbox.state.oauth.refreshes());
    s.forget().await;
}

/// Silently tolerated 8: token responses without the federation's fields. The expiry comes from
/// introspection where the server offers it, and is plainly unknown where it does not.
#[tokio::test]
async fn plain_token_responses_take_the_consent_expiry_from_introspection_or_say_it_is_unknown() {
    let mut s = setup(OAuthModes { plain_token_response: true, ..OAuthModes::default() }).await;
    let linked = s.link(s.sandbox_profile(), &Person::new("demo")).await.unwrap();
    let expires = linked.link.consent_expires_at.expect("introspection names the consent expiry");
    // 90 days on the sandbox's simulated clock.
    let in_90_days = s.sandbox.state.clock.now().with_timezone(&Utc) + chrono::Duration::days(90);
    assert!((expires - in_90_days).num_seconds().abs() < 60, "{expires}");
    assert!(!linked.accounts.is_empty() && linked.accounts.iter().all(|a| a.identity.bank_code == "2011"));

    // The same server without introspection in the profile: the expiry is unknown, and the
    // link still works.
    let base = s.sandbox.base_url.clone();
    let profile = s.profile(&format!(
        "authorization_endpoint = \"{base}/oauth/authorize\"\ntoken_endpoint = \"{base}/oauth/token\"\nrevocation_endpoint = \"{base}/oauth/revoke\"\nclient_id = \"kura-desktop\""
    ));
    let linked = s.link(profile, &Person::new("demo")).await.unwrap();
    assert_eq!(linked.link.consent_expires_at, None);
    let profiles = Profiles::load_from(Some(&s.data.path().join("profiles.toml")), Some(&base)).unwrap();
    assert!(s.sync(linked.link.id, &profiles).await.error.is_none());
    s.forget().await;
}
