//! How the sandbox is served: HTTPS with a generated CA, the refusal of plain HTTP off loopback,
//! the loopback-only admin API and large-data mode.

mod support;

use std::net::{IpAddr, SocketAddr, UdpSocket};

use kura_sandbox::{SandboxConfig, SandboxError};
use reqwest::StatusCode;
use serde_json::Value;
use support::*;

fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("kura-sandbox-test-{}-{name}", std::process::id()))
}

#[tokio::test]
async fn https_with_a_client_that_trusts_the_written_ca() {
    let ca_path = temp_path("ca.pem");
    let sandbox = start_with(SandboxConfig { tls_ca_out: Some(ca_path.clone()), ..config() }).await;
    assert!(sandbox.base_url.starts_with("https://localhost:"), "{}", sandbox.base_url);
    let pem = std::fs::read(&ca_path).unwrap();
    assert_eq!(sandbox.ca_pem.as_deref().map(str::as_bytes), Some(&pem[..]));
    let trusting = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
        .build()
        .unwrap();
    let response = trusting.get(format!("{}/admin/clock", sandbox.base_url)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-api-version"], "1.0.0");
    let response = trusting
        .post(format!("{}/admin/tokens", sandbox.base_url))
        .json(&serde_json::json!({"username": "demo", "bankCode": "2011"}))
        .send()
        .await
        .unwrap();
    let token = response.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned();
    let accounts = trusting.get(format!("{}/v1/accounts", sandbox.base_url)).bearer_auth(token).send().await.unwrap();
    assert_eq!(accounts.status(), StatusCode::OK);
    // A client that trusts only the public roots refuses the generated certificate.
    let stranger = reqwest::Client::builder().no_proxy().build().unwrap();
    assert!(stranger.get(format!("{}/admin/clock", sandbox.base_url)).send().await.is_err());
    std::fs::remove_file(ca_path).unwrap();
}

#[tokio::test]
async fn plain_http_is_refused_off_loopback() {
    let config = SandboxConfig { addr: SocketAddr::from(([0, 0, 0, 0], 0)), ..config() };
    let error = kura_sandbox::start(config).await.err().expect("refused");
    assert!(matches!(error, SandboxError::PlainHttpNotLoopback { .. }));
    assert!(error.to_string().contains("--tls"), "{error}");
}

/// The address this machine uses towards the network (no packet is sent).
fn non_loopback_ip() -> IpAddr {
    let socket = UdpSocket::bind("0.0.0.0:0").unwrap();
    socket.connect("192.0.2.1:9").expect("a network route for the loopback-only test");
    let ip = socket.local_addr().unwrap().ip();
    assert!(!ip.is_loopback() && !ip.is_unspecified(), "{ip}");
    ip
}

#[tokio::test]
async fn admin_api_refuses_peers_that_are_not_loopback() {
    let ca_path = temp_path("admin-ca.pem");
    let config =
        SandboxConfig { addr: SocketAddr::from(([0, 0, 0, 0], 0)), tls_ca_out: Some(ca_path.clone()), ..config() };
    let sandbox = start_with(config).await;
    let pem = std::fs::read(&ca_path).unwrap();
    let ip = non_loopback_ip();
    // The certificate is for the loopback names: resolve `localhost` to the network address so
    // the peer is not loopback while the name still matches.
    let client = reqwest::Client::builder()
        .no_proxy()
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
        .resolve("localhost", SocketAddr::new(ip, sandbox.addr.port()))
        .build()
        .unwrap();
    let url = format!("https://localhost:{}", sandbox.addr.port());
    let response = client.get(format!("{url}/admin/faults")).send().await.unwrap();
    expect_error(response, StatusCode::FORBIDDEN, "FORBIDDEN").await;
    // The resource API itself is reachable (and needs a token).
    let response = client.get(format!("{url}/v1/accounts")).send().await.unwrap();
    expect_error(response, StatusCode::UNAUTHORIZED, "INVALID_TOKEN").await;
    std::fs::remove_file(ca_path).unwrap();
}

#[tokio::test]
async fn large_mode_serves_every_line_in_pages_of_500() {
    let sandbox = start_with(SandboxConfig { large_transactions: Some(20_000), ..config() }).await;
    let token = token(&sandbox, "bench", "2011", "balance transactions").await;
    let ids = account_ids(&sandbox, &token).await;
    assert_eq!(ids.len(), 1);
    let pages = all_pages(&sandbox, &token, &ids[0], "").await;
    assert_eq!(pages.len(), 40);
    assert!(pages.iter().all(|p| p["transactions"].as_array().unwrap().len() == 500));
    let all = lines(&pages);
    assert_eq!(all.len(), 20_000);
    assert_chain(&all);
    let keys: Vec<&str> = all.iter().map(|l| l["itemKey"].as_str().unwrap()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "strictly ascending across pages");
    assert_eq!(all[0]["transactionDate"], "2026-08-27");
    assert_eq!(all.last().unwrap()["transactionDate"], TODAY);
    let balance = get_json(&sandbox, &token, &format!("/v1/accounts/{}/balance", ids[0])).await;
    assert_eq!(balance["balance"], all.last().unwrap()["balance"]);
    // A narrower query pages within its own dates.
    let week = lines(&all_pages(&sandbox, &token, &ids[0], "dateFrom=2026-11-18&dateTo=2026-11-24").await);
    let expected = all.iter().filter(|l| l["transactionDate"].as_str().unwrap() >= "2026-11-18").count();
    assert_eq!(week.len(), expected);
}
