//! A process that syncs one sandbox link into a Kura database, for the crash test to SIGKILL
//! mid-sync. Usage: `kura-sync-child <sandbox base URL> <data dir>`, access token in
//! `KURA_TEST_ACCESS_TOKEN`. It uses the real client, engine and store; only the token comes
//! from the sandbox's admin API instead of the keyring.

use std::sync::{Arc, Mutex};

use kura_core::api::{ApiClient, ClientConfig};
use kura_core::store::Store;
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_core::testing::{self, StaticToken};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(base), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: kura-sync-child <sandbox base URL> <data dir>");
        std::process::exit(2);
    };
    let token = std::env::var("KURA_TEST_ACCESS_TOKEN").expect("KURA_TEST_ACCESS_TOKEN");
    let mut store = Store::open(Some(std::path::Path::new(&dir))).expect("open the store");
    let link = store.add_link(&testing::new_link("2011", "sandbox"), chrono::Utc::now()).expect("record the link");
    let client = ApiClient::new(ClientConfig::new(base)).expect("client");
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    let report = engine.sync_link(link, &client, &StaticToken(token)).await;
    println!("{:?} {} new", report.status, report.new_transactions());
}
