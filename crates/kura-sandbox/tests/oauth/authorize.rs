//! The authorization endpoint: redirect URI rules, request errors, login, consent, deny.

use chrono::{DateTime, Duration};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};

use crate::support::*;

#[tokio::test]
async fn native_client_links_on_any_loopback_port_with_pkce() {
    let sandbox = sandbox().await;
    let pkce = pkce('k');
    let browser = browser();
    let login = open(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.headers[CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(login.headers[CACHE_CONTROL], "no-store");
    assert!(login.html.contains("<meta charset=\"utf-8\">"));
    assert!(login.html.contains("ログイン") && login.html.contains("Sign in"));
    assert!(login.html.contains("北央信用組合（2011）"), "the union named by bank_code is shown");
    assert!(!login.html.contains("<select"), "no union picker when bank_code is given");
    let first_button = |html: &str, a: &str, b: &str| html.find(a).unwrap() < html.find(b).unwrap();
    assert!(first_button(&login.html, "value=\"sign_in\"", "value=\"cancel\""), "Enter must sign in, not cancel");

    let request_id = login.input("request_id");
    let consent = sign_in(&browser, &sandbox, &request_id, "demo", "demo").await;
    assert_eq!(consent.status, StatusCode::OK, "{}", consent.html);
    for text in ["残高照会", "入出金明細照会", "許可する", "拒否する", "90日間", "2027年2月22日"]
    {
        assert!(consent.html.contains(text), "consent page lacks {text}:\n{}", consent.html);
    }
    let accounts = consent.accounts();
    let expected: Vec<String> =
        sandbox.state.bank.accounts_of("demo", BANK).into_iter().map(|a| a.account_id).collect();
    assert_eq!(accounts.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), expected);
    assert!(accounts.iter().all(|(_, checked)| *checked), "every account is checked by default");
    assert!(first_button(&consent.html, "value=\"allow\"", "value=\"deny\""));

    let ids: Vec<String> = accounts.into_iter().map(|(id, _)| id).collect();
    let callback = decide(&browser, &sandbox, &request_id, &ids, "allow").await;
    let (target, params) = callback.location();
    assert_eq!(target, LOOPBACK_REDIRECT);
    assert_eq!(params["state"], "st-123");
    assert_eq!(params["code"].len(), 43);

    let before = sandbox.state.clock.now();
    let tokens = exchange_code(&sandbox, &params["code"], LOOPBACK_REDIRECT, &pkce.verifier).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.json);
    assert_eq!(tokens.field("token_type"), "Bearer");
    assert_eq!(tokens.json["expires_in"], 3600);
    assert_eq!(tokens.field("scope"), "balance transactions");
    assert_eq!(tokens.field("bank_code"), BANK);
    assert_ne!(tokens.field("refresh_token"), tokens.field("access_token"));
    let consent_end = DateTime::parse_from_rfc3339(&tokens.field("consent_expires_at")).expect("RFC 3339");
    assert_eq!(consent_end.offset().local_minus_utc(), 9 * 3600);
    assert!(tokens.field("consent_expires_at").ends_with("+09:00"));
    let after = sandbox.state.clock.now();
    assert!(
        consent_end >= before + Duration::days(90) - Duration::seconds(1) && consent_end <= after + Duration::days(90)
    );

    let grant = authenticate(&sandbox, &tokens.field("access_token")).expect("access token works");
    assert_eq!((grant.username.as_str(), grant.bank_code.as_str()), ("demo", BANK));
    assert_eq!(grant.account_ids, ids);
    assert_eq!(grant.scopes, ["balance", "transactions"]);
    let (status, body) = accounts_status(&sandbox, &tokens.field("access_token")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["accounts"].as_array().map(Vec::len), Some(ids.len()));
}

#[tokio::test]
async fn ipv6_loopback_redirect_is_accepted() {
    let sandbox = sandbox().await;
    let pkce = pkce('6');
    let redirect = "http://[::1]:40123/callback";
    let callback = authorize(&browser(), &sandbox, &desktop_request(redirect, &pkce)).await;
    let tokens = exchange_code(&sandbox, &callback["code"], redirect, &pkce.verifier).await;
    assert_eq!(tokens.status, StatusCode::OK, "{}", tokens.json);
}

/// Each of these would hand the code to someone else, so the user sees an error page and the
/// browser goes nowhere.
#[tokio::test]
async fn unverified_client_or_redirect_shows_an_error_page_never_a_redirect() {
    let sandbox = sandbox().await;
    let pkce = pkce('e');
    let base = desktop_request(LOOPBACK_REDIRECT, &pkce);
    let cases = [
        with(base.clone(), "redirect_uri", Some("http://localhost:53682/callback")),
        with(base.clone(), "redirect_uri", Some("http://127.0.0.1:53682/other")),
        with(base.clone(), "redirect_uri", Some("https://evil.example/callback")),
        with(base.clone(), "redirect_uri", None),
        with(base.clone(), "client_id", Some("someone-else")),
        with(base.clone(), "client_id", None),
        // The confidential client's URI is exact: no other port.
        with(
            with(base.clone(), "client_id", Some(CONFIDENTIAL)),
            "redirect_uri",
            Some("https://client.example.test:8443/callback"),
        ),
    ];
    for query in cases {
        let page = open(&browser(), &sandbox, &query).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{query:?}");
        assert!(page.headers.get(LOCATION).is_none(), "{query:?}");
        assert!(page.html.contains("エラー"), "{}", page.html);
    }
}

#[tokio::test]
async fn request_errors_go_back_to_a_verified_redirect_uri() {
    let sandbox = sandbox().await;
    let pkce = pkce('r');
    let base = desktop_request(LOOPBACK_REDIRECT, &pkce);
    let cases = [
        (with(base.clone(), "response_type", Some("token")), "unsupported_response_type"),
        (with(base.clone(), "response_type", None), "invalid_request"),
        (with(base.clone(), "scope", Some("balance payments")), "invalid_scope"),
        (with(base.clone(), "scope", None), "invalid_scope"),
        // Missing PKCE for a public client.
        (with(with(base.clone(), "code_challenge", None), "code_challenge_method", None), "invalid_request"),
        // `plain`, explicitly or by omitting the method.
        (with(base.clone(), "code_challenge_method", Some("plain")), "invalid_request"),
        (with(base.clone(), "code_challenge_method", None), "invalid_request"),
        (with(base.clone(), "code_challenge", Some("too-short")), "invalid_request"),
        (with(base.clone(), "bank_code", Some("9999")), "invalid_request"),
    ];
    for (query, error) in cases {
        let page = open(&browser(), &sandbox, &query).await;
        let (target, params) = page.location();
        assert_eq!(target, LOOPBACK_REDIRECT, "{query:?}");
        assert_eq!(params.get("error").map(String::as_str), Some(error), "{query:?}");
        assert_eq!(params["state"], "st-123");
        assert!(!params.contains_key("code"));
    }
}

#[tokio::test]
async fn deny_and_cancel_return_access_denied() {
    let sandbox = sandbox().await;
    let pkce = pkce('d');
    let browser = browser();
    let login = open(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    let request_id = login.input("request_id");
    let consent = sign_in(&browser, &sandbox, &request_id, "demo", "demo").await;
    let ids: Vec<String> = consent.accounts().into_iter().map(|(id, _)| id).collect();
    let (target, params) = decide(&browser, &sandbox, &request_id, &ids, "deny").await.location();
    assert_eq!(target, LOOPBACK_REDIRECT);
    assert_eq!(params["error"], "access_denied");
    assert_eq!(params["state"], "st-123");
    assert!(!params.contains_key("code"));
    // The request is finished: its forms no longer work.
    let again = decide(&browser, &sandbox, &request_id, &ids, "allow").await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);

    let login = open(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    let form = [("request_id", login.input("request_id")), ("action", "cancel".into())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (_, params) = post_form(&browser, &sandbox, "/oauth/authorize/login", &form).await.location();
    assert_eq!(params["error"], "access_denied");
}

#[tokio::test]
async fn wrong_password_shows_the_login_again_without_telling_which_part_was_wrong() {
    let sandbox = sandbox().await;
    let pkce = pkce('w');
    let browser = browser();
    let login = open(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    let request_id = login.input("request_id");
    let wrong_password = sign_in(&browser, &sandbox, &request_id, "demo", "nope").await;
    let unknown_user = sign_in(&browser, &sandbox, &request_id, "nobody", "nope").await;
    for page in [&wrong_password, &unknown_user] {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.html.contains("ユーザーIDまたはパスワードが正しくありません"), "{}", page.html);
        assert!(page.html.contains("name=\"password\""), "the login form is shown again");
        assert!(!page.html.contains("account_id"));
    }
    assert_eq!(wrong_password.input("username"), "demo", "the user ID is kept for the next try");
    let consent = sign_in(&browser, &sandbox, &request_id, "demo", "demo").await;
    assert_eq!(consent.status, StatusCode::OK);
    assert!(!consent.accounts().is_empty());
}

#[tokio::test]
async fn five_wrong_passwords_end_the_request_with_access_denied() {
    let sandbox = sandbox().await;
    let pkce = pkce('5');
    let browser = browser();
    let login = open(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    let request_id = login.input("request_id");
    for _ in 0..4 {
        let page = sign_in(&browser, &sandbox, &request_id, "demo", "guess").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (_, params) = sign_in(&browser, &sandbox, &request_id, "demo", "guess").await.location();
    assert_eq!(params["error"], "access_denied");
    let late = sign_in(&browser, &sandbox, &request_id, "demo", "demo").await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn user_input_is_html_escaped() {
    let sandbox = sandbox().await;
    let pkce = pkce('x');
    let browser = browser();
    let login = open(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    let page = sign_in(&browser, &sandbox, &login.input("request_id"), "\"><script>alert(1)</script>", "x").await;
    assert!(!page.html.contains("<script>"), "{}", page.html);
    assert!(page.html.contains("&#34;&#62;&#60;script&#62;") || page.html.contains("&quot;&gt;&lt;script&gt;"));
}

#[tokio::test]
async fn without_bank_code_the_login_page_offers_the_95_unions() {
    let sandbox = sandbox().await;
    let pkce = pkce('u');
    let browser = browser();
    let login = open(&browser, &sandbox, &with(desktop_request(LOOPBACK_REDIRECT, &pkce), "bank_code", None)).await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.html.matches("<option value=\"").count(), 1 + 95, "placeholder plus 95 unions");
    assert!(login.html.contains("<option value=\"2680\">2680 広島市信用組合</option>"));
    let request_id = login.input("request_id");

    let no_union = sign_in(&browser, &sandbox, &request_id, "demo", "demo").await;
    assert_eq!(no_union.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_union.html.contains("信用組合を選択してください"));

    let form = [("request_id", request_id.as_str()), ("bank_code", "2680"), ("username", "demo"), ("password", "demo")];
    let consent = post_form(&browser, &sandbox, "/oauth/authorize/login", &form).await;
    assert_eq!(consent.status, StatusCode::OK, "{}", consent.html);
    assert!(consent.html.contains("広島市信用組合（2680）"));
    let ids: Vec<String> = consent.accounts().into_iter().map(|(id, _)| id).collect();
    let (_, params) = decide(&browser, &sandbox, &request_id, &ids, "allow").await.location();
    let tokens = exchange_code(&sandbox, &params["code"], LOOPBACK_REDIRECT, &pkce.verifier).await;
    assert_eq!(tokens.field("bank_code"), "2680");
}

#[tokio::test]
async fn consent_needs_at_least_one_account_and_shares_only_the_chosen_ones() {
    let sandbox = sandbox().await;
    let pkce = pkce('c');
    let browser = browser();
    let login = open(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    let request_id = login.input("request_id");
    let consent = sign_in(&browser, &sandbox, &request_id, "demo", "demo").await;
    let ids: Vec<String> = consent.accounts().into_iter().map(|(id, _)| id).collect();
    assert!(ids.len() >= 2, "demo has several accounts at {BANK}");

    let none = decide(&browser, &sandbox, &request_id, &[], "allow").await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.html.contains("1つ以上選択してください"), "{}", none.html);
    assert!(none.accounts().iter().all(|(_, checked)| !checked), "the page shows what was submitted");

    let foreign = sandbox.state.bank.accounts_of("family", BANK)[0].account_id.clone();
    let tampered = decide(&browser, &sandbox, &request_id, &[foreign], "allow").await;
    assert_eq!(tampered.status, StatusCode::UNPROCESSABLE_ENTITY);

    let chosen = vec![ids[1].clone()];
    let (_, params) = decide(&browser, &sandbox, &request_id, &chosen, "allow").await.location();
    let tokens = exchange_code(&sandbox, &params["code"], LOOPBACK_REDIRECT, &pkce.verifier).await;
    let grant = authenticate(&sandbox, &tokens.field("access_token")).expect("valid");
    assert_eq!(grant.account_ids, chosen);
    let (_, body) = accounts_status(&sandbox, &tokens.field("access_token")).await;
    assert_eq!(body["accounts"][0]["accountId"], chosen[0].as_str());
    assert_eq!(body["accounts"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_request_is_bound_to_the_browser_that_started_it() {
    let sandbox = sandbox().await;
    let pkce = pkce('b');
    let victim = browser();
    let login = open(&victim, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    let request_id = login.input("request_id");
    // Another browser (or a cross-site form) knows the id but not the cookie.
    let attacker = browser();
    let forged = sign_in(&attacker, &sandbox, &request_id, "demo", "demo").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let consent = sign_in(&victim, &sandbox, &request_id, "demo", "demo").await;
    let ids: Vec<String> = consent.accounts().into_iter().map(|(id, _)| id).collect();
    let forged = decide(&attacker, &sandbox, &request_id, &ids, "allow").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // Consent before sign-in is refused too.
    let fresh = open(&victim, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    let early = decide(&victim, &sandbox, &fresh.input("request_id"), &ids, "allow").await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_login_page_expires_after_ten_minutes_of_simulated_time() {
    let sandbox = sandbox().await;
    let pkce = pkce('t');
    let browser = browser();
    let login = open(&browser, &sandbox, &desktop_request(LOOPBACK_REDIRECT, &pkce)).await;
    sandbox.state.clock.advance(Duration::minutes(11));
    let late = sign_in(&browser, &sandbox, &login.input("request_id"), "demo", "demo").await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
    assert!(late.html.contains("有効期限"), "{}", late.html);
}

#[tokio::test]
async fn a_user_without_accounts_at_the_union_can_only_deny() {
    let sandbox = sandbox().await;
    let pkce = pkce('n');
    let browser = browser();
    // `family` banks at 2011 and 2680 only.
    let query = with(desktop_request(LOOPBACK_REDIRECT, &pkce), "bank_code", Some("2254"));
    let login = open(&browser, &sandbox, &query).await;
    let request_id = login.input("request_id");
    let consent = sign_in(&browser, &sandbox, &request_id, "family", "family").await;
    assert_eq!(consent.status, StatusCode::OK);
    assert!(consent.accounts().is_empty());
    assert!(consent.html.contains("口座がありません"), "{}", consent.html);
    assert!(!consent.html.contains("value=\"allow\""));
    let forced = decide(&browser, &sandbox, &request_id, &[], "allow").await;
    assert_eq!(forced.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, params) = decide(&browser, &sandbox, &request_id, &[], "deny").await.location();
    assert_eq!(params["error"], "access_denied");
}
