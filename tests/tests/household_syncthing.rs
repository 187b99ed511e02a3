//! Two desktops of one household kept in step by two real Syncthing instances on loopback
//! (tests/syncthing-pair.sh): each desktop a `kura` data folder of its own, the shared folder
//! carried by Syncthing alone. A polls the sandbox; B sees A's lines; an edit on B reaches A;
//! both edit one line apart and converge; a segment cut in half on its way is never applied in
//! part, and the whole one is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kura_core::api::{ApiClient, ClientConfig};
use kura_core::store::{LineEdit, Store};
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_core::testing::{self, StaticToken};
use kura_e2e::kura_bin;
use kura_sandbox::SandboxConfig;

/// A Syncthing pair, stopped when dropped.
struct Pair {
    env: HashMap<String, String>,
    script: PathBuf,
}

impl Pair {
    fn start() -> Pair {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("syncthing-pair.sh");
        let out = Command::new("bash").arg(&script).arg("start").output().expect("bash runs");
        assert!(out.status.success(), "the Syncthing pair did not start: {}", String::from_utf8_lossy(&out.stderr));
        let env = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect();
        Pair { env, script }
    }

    fn folder(&self, side: &str) -> PathBuf {
        PathBuf::from(&self.env[&format!("ST_{side}_FOLDER")])
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg(&self.script).arg("stop").arg(&self.env["ST_ROOT"]).output();
    }
}

/// `kura ARGS` on desktop `home` (its data and config folders); must succeed.
fn kura(home: &Path, args: &[&str]) -> String {
    let out = kura_out(home, args);
    assert!(out.status.success(), "kura {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn kura_out(home: &Path, args: &[&str]) -> Output {
    Command::new(kura_bin())
        .args(args)
        .env("KURA_DATA_DIR", home.join("data"))
        .env("KURA_CONFIG_DIR", home.join("config"))
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap()
}

/// Every line of desktop `home` as (date, amount, remarks, memo), sorted.
fn lines(home: &Path) -> Vec<(String, i64, String, Option<String>)> {
    let out: serde_json::Value = serde_json::from_str(&kura(home, &["tx", "--json", "--limit", "2000"])).unwrap();
    let mut rows: Vec<_> = out["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["transactionDate"].as_str().unwrap().to_owned(),
                r["amount"].as_i64().unwrap(),
                r["remarks"].as_str().unwrap().to_owned(),
                r["memo"].as_str().map(str::to_owned),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// Waits until `path` exists as a whole file that `ready` accepts (Syncthing renames a file into
/// place once it has it all).
fn wait_for(path: &Path, what: &str, ready: impl Fn(&[u8]) -> bool) {
    let start = Instant::now();
    while !std::fs::read(path).is_ok_and(|b| ready(&b)) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "Syncthing did not bring {what} ({}) in 60 s",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The newest segment of `desktop`'s log in `folder`.
fn newest_segment(folder: &Path, desktop: &str) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder.join("desktops").join(desktop))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "kseg"))
        .collect();
    files.sort();
    files.pop().expect("a segment")
}

/// Waits until Syncthing has carried `desktop`'s newest segment from `from` to `to`.
fn carried(from: &Path, to: &Path, desktop: &str) {
    let newest = newest_segment(from, desktop);
    let there = to.join(newest.strip_prefix(from).unwrap());
    let bytes = std::fs::read(&newest).unwrap();
    wait_for(&there, "a segment", |b| b == bytes.as_slice());
}

fn desktop_id(home: &Path) -> String {
    Store::open(Some(&home.join("data"))).unwrap().desktop_id().unwrap()
}

fn set_memo(home: &Path, remarks: &str, memo: &str) {
    let mut store = Store::open(Some(&home.join("data"))).unwrap();
    let rows = store.transactions(&Default::default(), None, 5000).unwrap().rows;
    let id = rows.iter().find(|r| r.remarks == remarks).unwrap().id;
    store.edit_line(id, &LineEdit { category: None, memo: Some(Some(memo.into())), transfer: None }).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn two_desktops_share_a_household_through_syncthing() {
    // Desktop A: demo's four accounts at 2011, synced from the sandbox.
    let sandbox =
        kura_sandbox::start(SandboxConfig { today: Some("2026-11-24".parse().unwrap()), ..Default::default() })
            .await
            .unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let token = {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let issued = testing::sandbox_grant(&http, &sandbox.base_url, "demo", "2011").await;
        issued["access_token"].as_str().unwrap().to_owned()
    };
    {
        let mut store = Store::open(Some(&a.path().join("data"))).unwrap();
        let link = store.add_link(&testing::new_link("2011", "sandbox"), chrono::Utc::now()).unwrap();
        let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
        let client = ApiClient::new(ClientConfig::new(sandbox.base_url.clone())).unwrap();
        let report = engine.sync_link(link, &client, &StaticToken(token.clone())).await;
        assert!(report.error.is_none(), "{report:?}");
    }

    let pair = Pair::start();
    let (fa, fb) = (pair.folder("A"), pair.folder("B"));
    let created = kura(a.path(), &["share", "create", fa.to_str().unwrap(), "--name", "living-room"]);
    let code = created.lines().find(|l| l.starts_with("  ")).expect("the pairing code").trim().to_owned();
    let a_id = desktop_id(a.path());
    wait_for(&fb.join("kura-household.json"), "the household file", |b| !b.is_empty());
    carried(&fa, &fb, &a_id);

    // B joins through its own copy of the folder, as Syncthing brought it.
    kura(b.path(), &["share", "join", fb.to_str().unwrap(), &code, "--name", "study"]);
    let a_lines = lines(a.path());
    assert!(a_lines.len() > 10);
    assert_eq!(lines(b.path()), a_lines, "B shows every line A fetched");
    let status = kura(b.path(), &["share"]);
    assert!(status.contains("living-room"), "{status}");

    // B adds a memo; A shows it once Syncthing carried B's log.
    let once = {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        a_lines.iter().for_each(|l| *seen.entry(l.2.as_str()).or_default() += 1);
        a_lines.iter().find(|l| seen[l.2.as_str()] == 1).unwrap().2.clone()
    };
    let b_id = desktop_id(b.path());
    set_memo(b.path(), &once, "from the study");
    kura(b.path(), &["share", "sync"]);
    carried(&fb, &fa, &b_id);
    kura(a.path(), &["share", "sync"]);
    assert_eq!(lines(a.path()), lines(b.path()));
    assert!(lines(a.path()).iter().any(|l| l.2 == once && l.3.as_deref() == Some("from the study")));

    // Both edit the same line while apart; the later edit wins on both.
    set_memo(a.path(), &once, "A's word");
    std::thread::sleep(Duration::from_millis(5));
    set_memo(b.path(), &once, "B's word, later");
    kura(a.path(), &["share", "sync"]);
    kura(b.path(), &["share", "sync"]);
    carried(&fa, &fb, &a_id);
    carried(&fb, &fa, &b_id);
    kura(a.path(), &["share", "sync"]);
    kura(b.path(), &["share", "sync"]);
    assert_eq!(lines(a.path()), lines(b.path()));
    assert!(lines(a.path()).iter().any(|l| l.2 == once && l.3.as_deref() == Some("B's word, later")));

    // A segment that arrives cut in half (a writer killed mid-file by another program, carried
    // by Syncthing as it was) is left alone; the whole file, when it comes, is applied.
    set_memo(a.path(), &once, "the last word");
    kura(a.path(), &["share", "sync"]);
    let newest = newest_segment(&fa, &a_id);
    let whole = std::fs::read(&newest).unwrap();
    let name = newest.file_name().unwrap().to_owned();
    std::fs::remove_file(&newest).unwrap();
    let stray = fa.join("desktops").join(&a_id).join(&name);
    std::fs::write(&stray, &whole[..whole.len() / 2]).unwrap();
    let there = fb.join("desktops").join(&a_id).join(&name);
    wait_for(&there, "the cut segment", |b| b.len() == whole.len() / 2);
    kura(b.path(), &["share", "sync"]);
    assert!(lines(b.path()).iter().any(|l| l.2 == once && l.3.as_deref() == Some("B's word, later")), "not applied");
    assert!(kura(b.path(), &["share"]).contains("cut off"));
    std::fs::write(&stray, &whole).unwrap();
    wait_for(&there, "the whole segment", |b| b == whole.as_slice());
    kura(b.path(), &["share", "sync"]);
    assert_eq!(lines(a.path()), lines(b.path()));

    // Nothing in either copy of the folder reads as the household's data or secrets.
    let account = Store::open(Some(&a.path().join("data"))).unwrap().account_summaries(chrono::Utc::now()).unwrap()[0]
        .identity
        .account_number
        .clone();
    for root in [&fa, &fb] {
        for entry in walk(root) {
            let bytes = std::fs::read(&entry).unwrap();
            for secret in [token.as_bytes(), once.as_bytes(), account.as_bytes(), code.as_bytes()] {
                assert!(!bytes.windows(secret.len()).any(|w| w == secret), "{} holds plain data", entry.display());
            }
        }
    }
    for home in [a.path(), b.path()] {
        kura(home, &["share", "leave", "--yes"]);
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// SIGKILL while Kura writes a segment of its log: what Syncthing carries across (the writer's
/// temporary file) is never taken for a segment, and the next run writes the segment whole.
#[tokio::test(flavor = "multi_thread")]
async fn a_desktop_killed_while_writing_its_log_leaves_nothing_half_applied() {
    let lines = 30_000;
    let sandbox = kura_sandbox::start(SandboxConfig {
        today: Some("2026-11-24".parse().unwrap()),
        large_transactions: Some(lines),
        ..Default::default()
    })
    .await
    .unwrap();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let token = testing::sandbox_grant(&http, &sandbox.base_url, "bench", "2011").await["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut store = Store::open(Some(&a.path().join("data"))).unwrap();
        let link = store.add_link(&testing::new_link("2011", "sandbox"), chrono::Utc::now()).unwrap();
        let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
        let client = ApiClient::new(ClientConfig::new(sandbox.base_url.clone())).unwrap();
        assert!(engine.sync_link(link, &client, &StaticToken(token)).await.error.is_none());
    }
    let pair = Pair::start();
    let (fa, fb) = (pair.folder("A"), pair.folder("B"));
    let a_id = desktop_id(a.path());
    let log = fa.join("desktops").join(&a_id);

    // `kura share create` writes the household file, then the first segment (every line): kill
    // it once the segment's temporary file is there, before it is renamed into place.
    let mut killed_mid_write = false;
    for _ in 0..20 {
        let mut child = Command::new(kura_bin())
            .args(["share", "create", fa.to_str().unwrap(), "--name", "A"])
            .env("KURA_DATA_DIR", a.path().join("data"))
            .env("KURA_CONFIG_DIR", a.path().join("config"))
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        loop {
            let tmp = std::fs::read_dir(&log).ok().and_then(|d| {
                d.flatten().find(|e| e.file_name().to_string_lossy().ends_with(".tmp")).map(|e| e.path())
            });
            if tmp.is_some() {
                child.kill().unwrap();
                child.wait().unwrap();
                killed_mid_write = !std::fs::read_dir(&log)
                    .unwrap()
                    .flatten()
                    .any(|e| e.path().extension().is_some_and(|x| x == "kseg"));
                break;
            }
            if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(60) {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        if killed_mid_write {
            break;
        }
        // Missed the moment: start over from an unshared desktop and an empty folder.
        let _ = child.kill();
        let _ = child.wait();
        kura(a.path(), &["share", "leave", "--yes"]);
        std::fs::remove_dir_all(&fa.join("desktops")).unwrap();
        std::fs::remove_file(fa.join("kura-household.json")).unwrap();
    }
    assert!(killed_mid_write, "Kura was never caught writing its segment");
    let half =
        std::fs::read_dir(&log).unwrap().flatten().find(|e| e.file_name().to_string_lossy().ends_with(".tmp")).unwrap();
    let half_there = fb.join("desktops").join(&a_id).join(half.file_name());
    let carried_half = {
        let start = Instant::now();
        while !half_there.exists() && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(100));
        }
        half_there.exists()
    };
    assert!(carried_half, "Syncthing carried the killed writer's temporary file");
    wait_for(&fb.join("kura-household.json"), "the household file", |b| !b.is_empty());
    let code = kura(a.path(), &["share", "code"]).trim().to_owned();
    // B joins what Syncthing brought (the half file, if it crossed, among it): nothing applied.
    let joined = kura(b.path(), &["share", "join", fb.to_str().unwrap(), &code, "--name", "B"]);
    assert_eq!(lines_count(b.path()), 0, "nothing applied in part (the half file carried: {carried_half}): {joined}");

    // The next run on A completes its log; B then holds every line.
    kura(a.path(), &["share", "sync"]);
    carried(&fa, &fb, &a_id);
    kura(b.path(), &["share", "sync"]);
    assert_eq!(lines_count(b.path()), lines_count(a.path()));
    assert_eq!(lines_count(a.path()), lines);
    assert!(!half.path().exists(), "the next run cleared the killed writer's temporary file");
    for home in [a.path(), b.path()] {
        kura(home, &["share", "leave", "--yes"]);
    }
}

fn lines_count(home: &Path) -> u64 {
    rusqlite::Connection::open(home.join("data").join(kura_core::store::DB_FILE_NAME))
        .unwrap()
        .query_row("SELECT count(*) FROM transactions", [], |r| r.get::<_, i64>(0))
        .unwrap() as u64
}
