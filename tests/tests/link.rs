//! `kura link` end to end: the real binary, headless Chromium on the sandbox's login and consent
//! pages, the loopback redirect, and tokens in a real gnome-keyring (run through
//! scripts/with-keyring.sh).

use std::sync::{Arc, Mutex};

use kura_core::api::{ApiClient, ClientConfig};
use kura_core::model::{LinkId, LinkStatus};
use kura_core::oauth;
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_e2e::{Chromium, Kura, files_containing, finish};

/// Links 2011 through the browser; returns the callback URL the browser ended on.
async fn link_in_browser(kura: &Kura, chromium: &Chromium) -> (kura_e2e::Output, String) {
    let child = kura.spawn_link("2011");
    let url = kura.browser_url().await;
    chromium.log_in(&url).await;
    let callback = chromium.decide(true).await;
    (finish(child).await, callback)
}

/// Syncs link 1 in this process with the tokens in the keyring, as `kura sync` does.
async fn sync(kura: &Kura) -> kura_core::sync::LinkReport {
    let store = Arc::new(Mutex::new(kura.store()));
    let link = store.lock().unwrap().link(LinkId(1)).unwrap();
    let tokens = oauth::tokens_for(&link, &kura.profiles(), &kura.secrets()).await.unwrap();
    let api = ApiClient::new(ClientConfig::new(kura.sandbox.base_url.clone())).unwrap();
    SyncEngine::new(store, SyncOptions::default()).sync_link(link.id, &api, &tokens).await
}

async fn bearer_status(kura: &Kura, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/v1/accounts", kura.sandbox.base_url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn links_in_the_browser_syncs_and_unlinks_with_revocation() {
    let kura = Kura::start().await;
    let chromium = Chromium::start().await;
    let (out, callback) = link_in_browser(&kura, &chromium).await;
    assert!(out.success, "kura link failed:\n{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("Linked 北央信用組合 (2011)"), "{}", out.stdout);
    assert!(out.stdout.contains("run `kura sync`"), "{}", out.stdout);
    assert!(callback.starts_with("http://127.0.0.1:"), "{callback}");
    let page = chromium.driver.source().await.unwrap();
    assert!(page.contains("Kura に戻ってください / You can return to Kura"), "{page}");
    chromium.quit().await;

    // The tokens are in the keyring, and nowhere else.
    let tokens = kura.secrets().load_tokens(1).await.unwrap().expect("tokens in the keyring");
    let link = kura.store().link(LinkId(1)).unwrap();
    assert_eq!((link.bank_code.as_str(), link.status), ("2011", LinkStatus::Active));
    assert!(link.consent_expires_at.is_some());
    assert!(!kura.store().accounts_of_link(LinkId(1)).unwrap().is_empty());

    let report = sync(&kura).await;
    assert!(report.error.is_none(), "{:?}", report.error);
    assert!(report.new_transactions() > 0);

    // `kura sync` with the same stored tokens: everything is already there, so nothing is new.
    let cli_sync = kura.run(&["sync"]).await;
    assert!(cli_sync.success, "{}\n{}", cli_sync.stdout, cli_sync.stderr);
    assert!(cli_sync.stdout.contains("北央信用組合 (link 1)"), "{}", cli_sync.stdout);
    assert!(cli_sync.stdout.contains(" 0 new  balance ¥"), "{}", cli_sync.stdout);
    assert!(!cli_sync.stdout.contains("error"), "{}", cli_sync.stdout);
    let found = kura.run(&["tx", "--search", "カード", "--limit", "5"]).await;
    assert!(found.success && found.stdout.contains("ｶｰﾄﾞ"), "{}\n{}", found.stdout, found.stderr);

    let links = kura.run(&["links"]).await;
    assert!(links.success && links.stdout.contains("active"), "{}", links.stdout);
    assert!(
        links.stdout.contains("consent expires in 89 days") || links.stdout.contains("consent expires in 90 days"),
        "{}",
        links.stdout
    );

    let mut logs =
        format!("{}{}{}{}{}{}", out.stdout, out.stderr, cli_sync.stdout, cli_sync.stderr, links.stdout, links.stderr);
    let unlink = kura.run(&["unlink", "1", "--keep-data"]).await;
    assert!(unlink.success, "{}\n{}", unlink.stdout, unlink.stderr);
    assert!(unlink.stdout.contains("The union revoked Kura's access"), "{}", unlink.stdout);
    logs.push_str(&format!("{}{}", unlink.stdout, unlink.stderr));

    // Revoked at the union (RFC 7009), gone from the keyring, data kept.
    assert_eq!(bearer_status(&kura, &tokens.access_token).await, 401);
    assert!(kura.secrets().load_tokens(1).await.unwrap().is_none());
    assert_eq!(kura.store().link(LinkId(1)).unwrap().status, LinkStatus::Revoked);
    assert!(!kura.store().accounts_of_link(LinkId(1)).unwrap().is_empty());

    // No token in the database, its WAL, or anything Kura printed or logged (at debug level).
    let refresh = tokens.refresh_token.clone().expect("a refresh token");
    for secret in [&tokens.access_token, &refresh] {
        assert!(files_containing(&kura.data_dir(), secret).is_empty(), "a token is in the data folder");
        assert!(!logs.contains(secret.as_str()), "a token is in the output");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn denying_consent_links_nothing() {
    let kura = Kura::start().await;
    let chromium = Chromium::start().await;
    let child = kura.spawn_link("2011");
    chromium.log_in(&kura.browser_url().await).await;
    chromium.decide(false).await;
    let page = chromium.driver.source().await.unwrap();
    chromium.quit().await;
    let out = finish(child).await;
    assert!(!out.success);
    assert!(out.stderr.contains("Access was denied"), "{}", out.stderr);
    assert!(page.contains("Linking was denied"), "{page}");
    assert!(kura.store().links().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_state_ends_the_attempt() {
    let kura = Kura::start().await;
    let child = kura.spawn_link("2011");
    let url = url::Url::parse(&kura.browser_url().await).unwrap();
    let redirect = url.query_pairs().find(|(k, _)| k == "redirect_uri").unwrap().1.into_owned();
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"), "{redirect}");
    // A stray request does not end the attempt; a forged callback does.
    let stray = reqwest::get(redirect.replace("/callback", "/favicon.ico")).await.unwrap();
    assert_eq!(stray.status().as_u16(), 404);
    let forged = reqwest::get(format!("{redirect}?code=stolen&state=forged")).await.unwrap();
    assert_eq!(forged.status().as_u16(), 400);
    let out = finish(child).await;
    assert!(!out.success);
    assert!(out.stderr.contains("does not belong to this link attempt"), "{}", out.stderr);
    assert!(kura.store().links().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replayed_code_is_refused_and_revokes_its_tokens() {
    let kura = Kura::start().await;
    let chromium = Chromium::start().await;
    let (out, callback) = link_in_browser(&kura, &chromium).await;
    chromium.quit().await;
    assert!(out.success, "{}\n{}", out.stdout, out.stderr);
    let callback = url::Url::parse(&callback).unwrap();
    let code = callback.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let redirect = format!("http://127.0.0.1:{}/callback", callback.port().unwrap());
    let replay = reqwest::Client::new()
        .post(format!("{}/oauth/token", kura.sandbox.base_url))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("client_id", "kura-desktop"),
            ("code_verifier", "an-attacker-does-not-know-the-verifier-0123456789"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status().as_u16(), 400);
    let body: serde_json::Value = replay.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    // The grant issued from the replayed code is revoked: the next sync asks to link again.
    let report = sync(&kura).await;
    assert!(report.error.is_some());
    assert_eq!(kura.store().link(LinkId(1)).unwrap().status, LinkStatus::ReauthRequired);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_refresh_token_requires_a_relink_that_keeps_history() {
    let kura = Kura::start().await;
    let chromium = Chromium::start().await;
    let (out, _) = link_in_browser(&kura, &chromium).await;
    assert!(out.success, "{}\n{}", out.stdout, out.stderr);
    assert!(sync(&kura).await.error.is_none());
    let accounts_before = kura.store().accounts_of_link(LinkId(1)).unwrap();

    // 31 simulated days later the 30-day refresh token has expired.
    kura.sandbox.state.clock.advance(chrono::Duration::days(31));
    let report = sync(&kura).await;
    assert!(report.error.is_some());
    let link = kura.store().link(LinkId(1)).unwrap();
    assert_eq!(link.status, LinkStatus::ReauthRequired);
    assert!(kura.secrets().load_tokens(1).await.unwrap().is_none(), "dead tokens are deleted");
    let links = kura.run(&["links"]).await;
    assert!(links.stdout.contains("reauth required"), "{}", links.stdout);
    // The data stays.
    assert_eq!(kura.store().accounts_of_link(LinkId(1)).unwrap().len(), accounts_before.len());

    // Linking again restores syncing on the same link and accounts.
    let (out, _) = link_in_browser(&kura, &chromium).await;
    chromium.quit().await;
    assert!(out.success, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(kura.store().link(LinkId(1)).unwrap().status, LinkStatus::Active);
    let accounts_after = kura.store().accounts_of_link(LinkId(1)).unwrap();
    assert_eq!(
        accounts_after.iter().map(|a| a.id).collect::<Vec<_>>(),
        accounts_before.iter().map(|a| a.id).collect::<Vec<_>>()
    );
    assert!(sync(&kura).await.error.is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_credential_store_linking_stops_with_a_clear_message() {
    let kura = Kura::start().await;
    let out = kura_e2e::Output::from(
        kura.command(&["link", "2011"])
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kura-test-bus")
            .output()
            .await
            .unwrap(),
    );
    assert!(!out.success);
    assert!(out.stderr.contains("No OS credential store is available"), "{}", out.stderr);
    assert!(!kura.url_file().exists(), "the browser must not open when tokens have nowhere to go");
}

#[tokio::test(flavor = "multi_thread")]
async fn unlink_with_purge_deletes_the_cached_data() {
    let kura = Kura::start().await;
    let chromium = Chromium::start().await;
    let (out, _) = link_in_browser(&kura, &chromium).await;
    chromium.quit().await;
    assert!(out.success, "{}\n{}", out.stdout, out.stderr);
    assert!(sync(&kura).await.error.is_none());
    // Without --keep-data or --purge and no terminal to ask on, nothing happens.
    let refused = kura.run(&["unlink", "1"]).await;
    assert!(!refused.success && refused.stderr.contains("--keep-data"), "{}", refused.stderr);
    assert!(kura.secrets().load_tokens(1).await.unwrap().is_some());

    let unlink = kura.run(&["unlink", "1", "--purge"]).await;
    assert!(unlink.success, "{}\n{}", unlink.stdout, unlink.stderr);
    assert!(kura.store().links().unwrap().is_empty());
    assert!(kura.secrets().load_tokens(1).await.unwrap().is_none());
    let listed = kura.run(&["links"]).await;
    assert!(listed.stdout.contains("No unions linked yet"), "{}", listed.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_access_token_is_refreshed_and_the_rotated_refresh_token_is_kept() {
    let kura = Kura::start().await;
    let chromium = Chromium::start().await;
    let (out, _) = link_in_browser(&kura, &chromium).await;
    chromium.quit().await;
    assert!(out.success, "{}\n{}", out.stdout, out.stderr);
    let before = kura.secrets().load_tokens(1).await.unwrap().expect("tokens in the keyring");

    // Two simulated hours later the one-hour access token has expired; `kura sync` refreshes it.
    kura.sandbox.state.clock.advance(chrono::Duration::hours(2));
    let synced = kura.run(&["sync"]).await;
    assert!(synced.success, "{}\n{}", synced.stdout, synced.stderr);
    assert!(!synced.stdout.contains("error"), "{}", synced.stdout);
    assert_eq!(kura.store().link(LinkId(1)).unwrap().status, LinkStatus::Active);

    // The union rotated the refresh token and Kura kept the new one in the keyring.
    let after = kura.secrets().load_tokens(1).await.unwrap().expect("tokens in the keyring");
    assert_ne!(after.access_token, before.access_token);
    assert_ne!(after.refresh_token, before.refresh_token);
    assert_eq!(bearer_status(&kura, &after.access_token).await, 200);
    // And it works again later: the kept refresh token is the live one.
    kura.sandbox.state.clock.advance(chrono::Duration::hours(2));
    let again = kura.run(&["sync"]).await;
    assert!(again.success && !again.stdout.contains("error"), "{}\n{}", again.stdout, again.stderr);
}

/// The sandbox's confidential native client, as a contracted intermediary deploys Kura: a
/// profile in profiles.toml with its client id, serving 2011 and 2254.
fn write_intermediary_profile(kura: &Kura) {
    let base = &kura.sandbox.base_url;
    let profile = format!(
        "[profiles.agent]\nbanks = [\"2011\", \"2254\"]\nissuer = \"{base}\"\napi_base = \"{base}\"\nclient_id = \"{}\"\nconfidential = true\n",
        kura_sandbox::oauth::INTERMEDIARY_NATIVE
    );
    std::fs::write(kura.home.path().join("config/profiles.toml"), profile).unwrap();
}

fn intermediary_profiles(kura: &Kura) -> kura_core::profile::Profiles {
    let path = kura.home.path().join("config/profiles.toml");
    kura_core::profile::Profiles::load_from(Some(&path), Some(&kura.sandbox.base_url)).expect("profiles")
}

/// `kura link CODE`, given `secret` on standard input with `--client-secret-stdin` when it is
/// `Some`, through login and consent in Chromium.
async fn link_confidential(kura: &Kura, chromium: &Chromium, code: &str, secret: Option<&str>) -> kura_e2e::Output {
    use tokio::io::AsyncWriteExt;
    let _ = std::fs::remove_file(kura.url_file());
    let mut args = vec!["link", code, "--timeout-minutes", "3"];
    if secret.is_some() {
        args.push("--client-secret-stdin");
    }
    let mut child = kura
        .command(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kura link starts");
    let mut stdin = child.stdin.take().unwrap();
    if let Some(secret) = secret {
        stdin.write_all(format!("{secret}\n").as_bytes()).await.unwrap();
    }
    drop(stdin);
    chromium.log_in(&kura.browser_url().await).await;
    chromium.decide(true).await;
    finish(child).await
}

/// Syncs link `id` in this process with the tokens and client secret in the keyring.
async fn sync_confidential(kura: &Kura, id: i64) -> kura_core::sync::LinkReport {
    let store = Arc::new(Mutex::new(kura.store()));
    let link = store.lock().unwrap().link(LinkId(id)).unwrap();
    let tokens = oauth::tokens_for(&link, &intermediary_profiles(kura), &kura.secrets()).await.unwrap();
    let api = ApiClient::new(ClientConfig::new(kura.sandbox.base_url.clone())).unwrap();
    SyncEngine::new(store, SyncOptions::default()).sync_link(link.id, &api, &tokens).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_confidential_client_links_refreshes_and_revokes_with_its_secret_from_the_keyring() {
    const SECRET: &str = kura_sandbox::oauth::INTERMEDIARY_NATIVE_SECRET;
    let kura = Kura::start().await;
    write_intermediary_profile(&kura);
    let chromium = Chromium::start().await;
    let out = link_confidential(&kura, &chromium, "2011", Some(SECRET)).await;
    assert!(out.success, "kura link failed:\n{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("Stored the client secret of profile `agent`"), "{}", out.stdout);
    assert!(out.stdout.contains("Linked 北央信用組合 (2011)"), "{}", out.stdout);
    let link = kura.store().link(LinkId(1)).unwrap();
    assert_eq!((link.profile.as_str(), link.status), ("agent", LinkStatus::Active));
    assert_eq!(kura.secrets().client_secret("agent").await.unwrap().as_deref(), Some(SECRET));
    let first_tokens = kura.secrets().load_tokens(1).await.unwrap().expect("tokens in the keyring");
    assert!(sync_confidential(&kura, 1).await.error.is_none());

    // A second union of the same profile links with the stored secret.
    let second = link_confidential(&kura, &chromium, "2254", None).await;
    chromium.quit().await;
    assert!(second.success, "{}\n{}", second.stdout, second.stderr);
    assert_eq!(kura.store().link(LinkId(2)).unwrap().profile, "agent");

    // Two simulated hours later both access tokens have expired: `kura sync` refreshes them,
    // which the union only grants this client with HTTP Basic (client_secret_basic).
    kura.sandbox.state.clock.advance(chrono::Duration::hours(2));
    let synced = kura.run(&["sync"]).await;
    assert!(synced.success && !synced.stdout.contains("error"), "{}\n{}", synced.stdout, synced.stderr);
    let tokens = kura.secrets().load_tokens(1).await.unwrap().expect("tokens in the keyring");
    assert_ne!(tokens.refresh_token, first_tokens.refresh_token, "the refresh token rotated");
    assert_eq!(bearer_status(&kura, &tokens.access_token).await, 200);

    // A wrong secret in the keyring fails the refresh with the union's reason, and keeps the
    // link and its tokens for when the right secret is back.
    kura.secrets().set_client_secret("agent", "not-the-secret").await.unwrap();
    kura.sandbox.state.clock.advance(chrono::Duration::hours(2));
    let refused = kura.run(&["sync"]).await;
    assert!(
        format!("{}{}", refused.stdout, refused.stderr)
            .contains("refused the client credentials of profile `agent` (invalid_client"),
        "{}\n{}",
        refused.stdout,
        refused.stderr
    );
    // Logged as the client's credentials (the app says: re-authenticate and give the secret),
    // not as a locked keyring.
    let last_run = kura.store().sync_runs(Some(LinkId(1)), None, 1).unwrap().remove(0);
    assert_eq!(last_run.error_kind.as_deref(), Some("client_credentials"), "{last_run:?}");
    assert_eq!(kura.store().link(LinkId(1)).unwrap().status, LinkStatus::Active);
    assert_eq!(kura.secrets().load_tokens(1).await.unwrap().as_ref(), Some(&tokens));
    kura.secrets().set_client_secret("agent", SECRET).await.unwrap();
    let synced_again = kura.run(&["sync"]).await;
    assert!(
        synced_again.success && !synced_again.stdout.contains("error"),
        "{}\n{}",
        synced_again.stdout,
        synced_again.stderr
    );
    let tokens = kura.secrets().load_tokens(1).await.unwrap().expect("tokens in the keyring");

    // Unlinking one union revokes with the client's authentication; the other link still
    // needs the secret.
    let unlink = kura.run(&["unlink", "1", "--keep-data"]).await;
    assert!(unlink.success, "{}\n{}", unlink.stdout, unlink.stderr);
    assert!(unlink.stdout.contains("The union revoked Kura's access"), "{}", unlink.stdout);
    assert!(!unlink.stdout.contains("client secret"), "{}", unlink.stdout);
    assert_eq!(bearer_status(&kura, &tokens.access_token).await, 401);
    assert!(kura.secrets().load_tokens(1).await.unwrap().is_none());
    assert_eq!(kura.secrets().client_secret("agent").await.unwrap().as_deref(), Some(SECRET));

    // The last link of the profile takes the secret with it.
    let second_tokens = kura.secrets().load_tokens(2).await.unwrap().expect("tokens in the keyring");
    let last = kura.run(&["unlink", "2", "--purge"]).await;
    assert!(last.success, "{}\n{}", last.stdout, last.stderr);
    assert!(last.stdout.contains("The union revoked Kura's access"), "{}", last.stdout);
    assert!(last.stdout.contains("Deleted the client secret of profile `agent`"), "{}", last.stdout);
    assert_eq!(bearer_status(&kura, &second_tokens.access_token).await, 401);
    assert!(kura.secrets().client_secret("agent").await.unwrap().is_none());

    // The secret and the tokens are nowhere in Kura's folders (database, WAL, config) or output.
    let output = [&out, &second, &synced, &refused, &synced_again, &unlink, &last]
        .iter()
        .map(|o| format!("{}{}", o.stdout, o.stderr))
        .collect::<String>();
    let refresh = tokens.refresh_token.clone().expect("a refresh token");
    for secret in [SECRET, &tokens.access_token, &refresh, &first_tokens.access_token] {
        assert!(files_containing(kura.home.path(), secret).is_empty(), "a secret is in Kura's folders");
        assert!(!output.contains(secret), "a secret is in Kura's output");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_client_secret_links_nothing_and_is_not_kept() {
    let kura = Kura::start().await;
    write_intermediary_profile(&kura);
    let chromium = Chromium::start().await;
    let out = link_confidential(&kura, &chromium, "2011", Some("not-the-secret")).await;
    assert!(!out.success, "{}", out.stdout);
    assert!(out.stderr.contains("Nothing was linked; the secret just given was not kept."), "{}", out.stderr);
    assert!(out.stderr.contains("refused the client credentials of profile `agent` (invalid_client"), "{}", out.stderr);
    assert!(out.stderr.contains("--client-secret-stdin"), "{}", out.stderr);
    assert!(!out.stderr.contains("not-the-secret") && !out.stdout.contains("not-the-secret"));
    assert!(kura.store().links().unwrap().is_empty());
    assert!(kura.secrets().client_secret("agent").await.unwrap().is_none());

    // A wrong secret given over a stored one leaves the stored one in place.
    const SECRET: &str = kura_sandbox::oauth::INTERMEDIARY_NATIVE_SECRET;
    kura.secrets().set_client_secret("agent", SECRET).await.unwrap();
    let over = link_confidential(&kura, &chromium, "2011", Some("not-the-secret")).await;
    chromium.quit().await;
    assert!(!over.success, "{}", over.stdout);
    assert!(over.stderr.contains("the previously stored secret is kept"), "{}", over.stderr);
    assert_eq!(kura.secrets().client_secret("agent").await.unwrap().as_deref(), Some(SECRET));
    kura.secrets().delete_client_secret("agent").await.unwrap();

    // Without a secret stored, linking stops before the browser opens and says how to give one.
    std::fs::remove_file(kura.url_file()).unwrap();
    let missing = kura.run(&["link", "2011"]).await;
    assert!(!missing.success);
    assert!(missing.stderr.contains("--client-secret-stdin"), "{}", missing.stderr);
    assert!(!kura.url_file().exists(), "{}", missing.stdout);
}

/// `kura serve` of this home: its base URL, the session token, the child, and all it prints
/// (read as it comes, so a full pipe never stops the server).
async fn serve(kura: &Kura) -> (String, String, tokio::process::Child, tokio::task::JoinHandle<Vec<u8>>) {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt};
    let mut child = kura
        .command(&["serve"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kura serve starts");
    let mut stdout = tokio::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).await.unwrap();
    // "Kura is ready at http://127.0.0.1:PORT/#token=TOKEN"
    let rest = line.trim().split_once("http://").unwrap_or_else(|| panic!("{line}")).1;
    let (host, token) = rest.split_once("/#token=").unwrap();
    let (base, token) = (format!("http://{host}"), token.to_owned());
    let stderr = child.stderr.take().unwrap();
    let printed = tokio::spawn(async move {
        let mut all = line.into_bytes();
        let mut rest = stdout.chain(stderr);
        rest.read_to_end(&mut all).await.unwrap();
        all
    });
    (base, token, child, printed)
}

/// One command through `kura serve`'s HTTP transport, as the UI calls it.
async fn call(base: &str, token: &str, command: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/{command}"))
        .header("x-kura-token", token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// Polls `linkStatus` until the attempt ends.
async fn attempt_outcome(base: &str, token: &str, started: &serde_json::Value) -> serde_json::Value {
    for _ in 0..600 {
        let (_, status) =
            call(base, token, "linkStatus", serde_json::json!({ "attemptId": started["attemptId"] })).await;
        if status["state"] != "waiting" {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the link attempt never ended");
}

/// The app's link dialog for a confidential client: the union asks for the secret, a refused one
/// is not kept, an accepted one is, and unlinking the profile's last link deletes it and says so.
#[tokio::test(flavor = "multi_thread")]
async fn the_app_asks_for_the_client_secret_and_keeps_only_an_accepted_one() {
    const SECRET: &str = kura_sandbox::oauth::INTERMEDIARY_NATIVE_SECRET;
    let kura = Kura::start().await;
    write_intermediary_profile(&kura);
    let (base, token, mut server, printed) = serve(&kura).await;

    // No secret stored: the attempt stops before the browser opens, with the kind the UI asks on.
    let (status, missing) = call(&base, &token, "linkStart", serde_json::json!({ "bankCode": "2011" })).await;
    assert_eq!((status, missing["kind"].as_str()), (500, Some("clientSecret")), "{missing}");
    assert!(!kura.url_file().exists());

    let chromium = Chromium::start().await;
    let wrong = serde_json::json!({ "bankCode": "2011", "clientSecret": "not-the-secret" });
    let (status, started) = call(&base, &token, "linkStart", wrong).await;
    assert_eq!(status, 200, "{started}");
    chromium.log_in(&kura.browser_url().await).await;
    chromium.decide(true).await;
    let refused = attempt_outcome(&base, &token, &started).await;
    assert_eq!((refused["state"].as_str(), refused["error"]["kind"].as_str()), (Some("failed"), Some("clientSecret")));
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains("the secret just given was not kept"), "{message}");
    assert!(kura.secrets().client_secret("agent").await.unwrap().is_none());
    assert!(kura.store().links().unwrap().is_empty());

    std::fs::remove_file(kura.url_file()).unwrap();
    let right = serde_json::json!({ "bankCode": "2011", "clientSecret": format!("  {SECRET}\n") });
    let (status, started) = call(&base, &token, "linkStart", right).await;
    assert_eq!(status, 200, "{started}");
    chromium.log_in(&kura.browser_url().await).await;
    chromium.decide(true).await;
    chromium.quit().await;
    let linked = attempt_outcome(&base, &token, &started).await;
    assert_eq!(linked["state"], "linked", "{linked}");
    assert_eq!(kura.secrets().client_secret("agent").await.unwrap().as_deref(), Some(SECRET));

    let link_id = linked["linkId"].as_i64().unwrap();
    let (status, unlinked) =
        call(&base, &token, "unlink", serde_json::json!({ "linkId": link_id, "purge": true })).await;
    assert_eq!(status, 200, "{unlinked}");
    assert_eq!(
        (unlinked["revokedAtUnion"].as_bool(), unlinked["clientSecretDeleted"].as_bool()),
        (Some(true), Some(true))
    );
    assert!(kura.secrets().client_secret("agent").await.unwrap().is_none());

    // A public client has no secret to give.
    std::fs::write(kura.home.path().join("config/profiles.toml"), "").unwrap();
    let public = serde_json::json!({ "bankCode": "2011", "clientSecret": SECRET });
    let (status, refused) = call(&base, &token, "linkStart", public).await;
    assert_eq!((status, refused["kind"].as_str()), (500, Some("config")), "{refused}");

    server.kill().await.unwrap();
    let printed = String::from_utf8_lossy(&printed.await.unwrap()).into_owned();
    for secret in [SECRET, "not-the-secret"] {
        assert!(files_containing(kura.home.path(), secret).is_empty(), "a secret is in Kura's folders");
        assert!(!printed.contains(secret), "a secret is in Kura's output");
    }
}
