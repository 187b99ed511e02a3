//! Two desktops sharing one household through a plain shared folder (no sync engine: the tests
//! move the files themselves, in any order, twice, cut short): each desktop has its own data
//! folder, store and keyring entries; desktop A polls the sandbox, B sees A's lines through A's
//! log, edits travel both ways and converge.

mod sync_support;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use kura_core::app::AppContext;
use kura_core::app::CommandError;
use kura_core::app::share::{
    self, ShareCreateRequest, ShareJoinRequest, ShareLeaveRequest, ShareProblemKind, ShareStatusRequest,
    ShareSyncReport,
};
use kura_core::query::TxFilter;
use kura_core::store::LineEdit;
use kura_core::sync::{SyncEngine, SyncOptions};
use kura_core::testing;
use sync_support::*;
use tempfile::TempDir;

struct Desk {
    dir: TempDir,
    ctx: AppContext,
}

impl Desk {
    fn new() -> Desk {
        let dir = TempDir::new().unwrap();
        let ctx = AppContext::open(dir.path().join("data")).unwrap();
        Desk { dir, ctx }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Every line as (date, amount, remarks, memo, category's builtin key or name, transfer),
    /// sorted: what must be the same on both desktops.
    fn lines(&self) -> Vec<Line> {
        let store = self.ctx.store();
        let tree = store.categories().unwrap();
        let name = |id: Option<kura_core::model::CategoryId>| {
            id.and_then(|id| tree.get(id)).map(|c| c.builtin.clone().unwrap_or_else(|| c.name.clone()))
        };
        let mut rows: Vec<_> = store
            .transactions(&TxFilter::default(), None, 100_000)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| {
                (
                    r.transaction_date.to_string(),
                    r.amount,
                    r.remarks.clone(),
                    r.books.memo.clone(),
                    name(r.books.category_id),
                    r.books.transfer,
                )
            })
            .collect();
        rows.sort();
        rows
    }

    fn line_id(&self, remarks: &str) -> i64 {
        let store = self.ctx.store();
        let rows = store.transactions(&TxFilter::default(), None, 100_000).unwrap().rows;
        rows.iter().find(|r| r.remarks == remarks).unwrap_or_else(|| panic!("no {remarks}")).id
    }

    fn edit(&self, id: i64, edit: LineEdit) {
        self.ctx.store().edit_line(id, &edit).unwrap();
    }

    async fn forget(&self) {
        let (store, secrets) = (self.ctx.store().links().unwrap(), self.ctx.secrets());
        for link in store {
            secrets.delete_tokens(link.id.0).await.unwrap();
        }
        let _ = share::leave(&self.ctx, ShareLeaveRequest {}).await;
    }
}

/// A linked to `demo` at 2011 and synced from the sandbox.
async fn polled(sandbox: &kura_sandbox::Sandbox) -> (Desk, String) {
    let desk = Desk::new();
    let (store, links) = demo_links(sandbox, &desk.data(), &["2011"]).await;
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    sync_links(&engine, sandbox, &links).await;
    let token = links[0].1.access_token();
    (desk, token)
}

type Line = (String, i64, String, Option<String>, Option<String>, bool);

/// The remarks of a line no other line shares, among those `wanted`.
fn unique_remarks(desk: &Desk, wanted: impl Fn(&Line) -> bool) -> String {
    let lines = desk.lines();
    let once = |r: &str| lines.iter().filter(|l| l.2 == r).count() == 1;
    lines.iter().find(|l| wanted(l) && once(&l.2)).expect("a line with remarks of its own").2.clone()
}

async fn create(desk: &Desk, folder: &Path, name: &str) -> String {
    let request = ShareCreateRequest { folder: folder.display().to_string(), desktop_name: Some(name.into()) };
    share::create(&desk.ctx, request).await.unwrap().code
}

async fn join(desk: &Desk, folder: &Path, code: &str, name: &str) -> Result<ShareSyncReport, CommandError> {
    let request =
        ShareJoinRequest { folder: folder.display().to_string(), code: code.into(), desktop_name: Some(name.into()) };
    share::join(&desk.ctx, request).await
}

fn memo(text: &str) -> LineEdit {
    LineEdit { category: None, memo: Some(Some(text.into())), transfer: None }
}

/// Every byte of every file under `dir`.
fn all_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(all_bytes(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

#[tokio::test]
async fn a_second_desktop_sees_the_first_ones_lines_and_edits_travel_both_ways() {
    let sandbox = start().await;
    let (a, token) = polled(&sandbox).await;
    let folder = TempDir::new().unwrap();
    let code = create(&a, folder.path(), "居間のPC").await;

    let b = Desk::new();
    let wrong = join(&b, folder.path(), &kura_core::share::code::Secret::random().code(), "書斎のPC").await;
    assert!(wrong.unwrap_err().to_string().contains("does not open"), "a wrong code is told at once");
    let joined = join(&b, folder.path(), &code.to_lowercase().replace('-', " "), "書斎のPC").await.unwrap();
    assert!(joined.applied >= 1 && joined.lines > 0, "{joined:?}");
    assert_eq!(b.lines(), a.lines(), "B holds every line A synced");
    let names = |d: &Desk| d.ctx.store().members().unwrap().into_iter().map(|m| m.name).collect::<Vec<_>>();
    assert_eq!(names(&b), names(&a), "B's own first member, holding nothing, gave way to the household's");
    let (a_view, b_view) = (
        a.ctx.store().account_summaries(chrono::Utc::now()).unwrap(),
        b.ctx.store().account_summaries(chrono::Utc::now()).unwrap(),
    );
    assert_eq!(
        a_view.iter().map(|s| (s.identity.account_number.clone(), s.balance, s.synced_through)).collect::<Vec<_>>(),
        b_view.iter().map(|s| (s.identity.account_number.clone(), s.balance, s.synced_through)).collect::<Vec<_>>(),
        "balances and how far each account is synced"
    );
    let b_links = b.ctx.store().links().unwrap();
    assert_eq!(b_links.len(), 1);
    let a_desktop = a.ctx.store().desktop_id().unwrap();
    assert_eq!(b_links[0].polled_by.as_deref(), Some(a_desktop.as_str()), "B knows A polls it");
    assert!(b.ctx.secrets().load_tokens(b_links[0].id.0).await.unwrap().is_none(), "no tokens on B");
    let listed = kura_core::app::links::list(&b.ctx, Default::default()).await.unwrap().links;
    assert_eq!(listed[0].fetched_by.as_deref(), Some("居間のPC"), "B shows which desktop fetches the link");
    assert!(listed[0].last_sync_at.is_some(), "and when it last did");
    let request = kura_core::app::links::UnlinkRequest { link_id: listed[0].id, purge: true };
    let refused = kura_core::app::links::unlink(&b.ctx, request).await.unwrap_err();
    assert!(refused.to_string().contains("fetched by another desktop"), "{refused}");
    assert_eq!(b.lines(), a.lines(), "nothing was unlinked");
    let status = share::status(&b.ctx, ShareStatusRequest {}).await.unwrap();
    assert_eq!(status.peers.len(), 1);
    assert_eq!((status.peers[0].name.as_str(), status.peers[0].links.clone()), ("居間のPC", vec![b_links[0].id.0]));

    // B files a line; A shows it.
    let line = unique_remarks(&a, |l| l.1 < 0);
    let dining = {
        let tree = b.ctx.store().categories().unwrap();
        tree.categories.iter().find(|c| c.builtin.as_deref() == Some("food.dining")).unwrap().id
    };
    b.edit(
        b.line_id(&line),
        LineEdit { category: Some(Some(dining)), memo: Some(Some("昼ごはん".into())), transfer: None },
    );
    share::sync(&b.ctx).await.unwrap();
    let applied = share::sync(&a.ctx).await.unwrap();
    assert_eq!(applied.edits, 2, "{applied:?}");
    assert_eq!(a.lines(), b.lines());
    let edited = a.lines().into_iter().find(|l| l.2 == line).unwrap();
    assert_eq!((edited.3.as_deref(), edited.4.as_deref()), (Some("昼ごはん"), Some("food.dining")));
    testing::assert_books_consistent(&a.ctx.store());

    // Both edit the same field while apart: the later edit wins on both, whichever syncs first.
    a.edit(a.line_id(&line), memo("Aのメモ"));
    std::thread::sleep(std::time::Duration::from_millis(5));
    b.edit(b.line_id(&line), memo("Bのメモ"));
    share::sync(&b.ctx).await.unwrap();
    share::sync(&a.ctx).await.unwrap();
    share::sync(&b.ctx).await.unwrap();
    assert_eq!(a.lines(), b.lines());
    assert_eq!(a.lines().into_iter().find(|l| l.2 == line).unwrap().3.as_deref(), Some("Bのメモ"));

    // Members travel too, renamed on the other side.
    b.ctx.store().add_member("花子", None, chrono::Utc::now()).unwrap();
    share::sync(&b.ctx).await.unwrap();
    share::sync(&a.ctx).await.unwrap();
    let hanako = a.ctx.store().member_named("花子").unwrap();
    a.ctx.store().update_member(hanako.id, Some("はなこ"), None, chrono::Utc::now()).unwrap();
    share::sync(&a.ctx).await.unwrap();
    share::sync(&b.ctx).await.unwrap();
    assert!(b.ctx.store().member_named("はなこ").is_ok());
    assert_eq!(names(&a), names(&b), "the same members on both");

    // A later day at the bank: A's next segment is small, and B follows.
    advance_days(&sandbox, 1).await;
    let store = kura_core::store::Store::open(Some(&a.data())).unwrap();
    let link = store.links().unwrap()[0].id;
    let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
    sync_links(&engine, &sandbox, &[(link, tokens(&sandbox, "demo", "2011").await)]).await;
    let written = share::sync(&a.ctx).await.unwrap().written.unwrap();
    let segment = folder.path().join(format!("desktops/{a_desktop}/{written:012}.kseg"));
    let size = std::fs::metadata(&segment).unwrap().len();
    assert!(size < 16 * 1024, "one day's segment: {size} bytes");
    share::sync(&b.ctx).await.unwrap();
    assert_eq!(a.lines(), b.lines());

    // Nothing readable in the folder: no token, no remarks, no account number.
    let number = a_view[0].identity.account_number.clone();
    for (path, bytes) in all_bytes(folder.path()) {
        for secret in [token.as_bytes(), line.as_bytes(), number.as_bytes(), "昼ごはん".as_bytes()] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret), "{} holds plain data", path.display());
        }
    }
    a.forget().await;
    b.forget().await;
}

#[tokio::test]
async fn files_out_of_order_twice_cut_short_or_foreign_are_never_applied_in_part() {
    let sandbox = start().await;
    let (a, _) = polled(&sandbox).await;
    let written = TempDir::new().unwrap();
    let code = create(&a, written.path(), "A").await;
    // Three more segments: a new day twice, and an edit.
    for _ in 0..2 {
        advance_days(&sandbox, 1).await;
        let store = kura_core::store::Store::open(Some(&a.data())).unwrap();
        let link = store.links().unwrap()[0].id;
        let engine = SyncEngine::new(Arc::new(Mutex::new(store)), SyncOptions::default());
        sync_links(&engine, &sandbox, &[(link, tokens(&sandbox, "demo", "2011").await)]).await;
        share::sync(&a.ctx).await.unwrap();
    }
    let some = unique_remarks(&a, |_| true);
    a.edit(a.line_id(&some), memo("最後の編集"));
    share::sync(&a.ctx).await.unwrap();
    let a_desktop = a.ctx.store().desktop_id().unwrap();
    let log = written.path().join("desktops").join(&a_desktop);
    let mut segments: Vec<PathBuf> = std::fs::read_dir(&log).unwrap().map(|e| e.unwrap().path()).collect();
    segments.sort();
    assert_eq!(segments.len(), 4, "{segments:?}");

    // B's copy of the folder, filled by hand: the household file, then the segments newest
    // first, the newest cut short at first.
    let seen = TempDir::new().unwrap();
    std::fs::copy(written.path().join("kura-household.json"), seen.path().join("kura-household.json")).unwrap();
    let b_log = seen.path().join("desktops").join(&a_desktop);
    std::fs::create_dir_all(&b_log).unwrap();
    let copy = |from: &Path, cut: Option<usize>| {
        let bytes = std::fs::read(from).unwrap();
        let bytes = &bytes[..cut.unwrap_or(bytes.len())];
        std::fs::write(b_log.join(from.file_name().unwrap()), bytes).unwrap();
    };
    let b = Desk::new();
    let last = std::fs::read(&segments[3]).unwrap().len();
    copy(&segments[3], Some(last / 2));
    // Junk beside it: another program's file under a log's name, a file of another household.
    std::fs::write(b_log.join("000000000090.kseg"), b"PK\x03\x04 not a segment").unwrap();
    let other = TempDir::new().unwrap();
    let (c, _) = polled(&sandbox).await;
    create(&c, other.path(), "C").await;
    let c_desktop = c.ctx.store().desktop_id().unwrap();
    let c_segment = other.path().join(format!("desktops/{c_desktop}/000000000001.kseg"));
    std::fs::copy(&c_segment, b_log.join("000000000091.kseg")).unwrap();

    let first = join(&b, seen.path(), &code, "B").await.unwrap();
    assert_eq!((first.applied, first.skipped), (0, 3), "{first:?}");
    assert!(b.lines().is_empty(), "nothing applied in part");
    let problems: Vec<ShareProblemKind> =
        share::status(&b.ctx, ShareStatusRequest {}).await.unwrap().problems.iter().map(|p| p.problem).collect();
    for kind in [ShareProblemKind::Incomplete, ShareProblemKind::NotKura, ShareProblemKind::OtherHousehold] {
        assert!(problems.contains(&kind), "{kind:?} in {problems:?}");
    }

    // The rest arrive, out of order; the cut file whole at last; one arrives twice.
    for i in [2, 0, 1, 3, 0] {
        copy(&segments[i], None);
        share::sync(&b.ctx).await.unwrap();
    }
    assert_eq!(b.lines(), a.lines(), "the same lines and edits, each once");
    assert_eq!(b.lines().into_iter().find(|l| l.2 == some).unwrap().3.as_deref(), Some("最後の編集"));
    // Applied again from scratch (a store that forgot what it applied): nothing doubles.
    rusqlite::Connection::open(b.data().join("kura.sqlite3"))
        .unwrap()
        .execute("DELETE FROM share_applied", [])
        .unwrap();
    share::sync(&b.ctx).await.unwrap();
    assert_eq!(b.lines(), a.lines());
    testing::assert_books_consistent(&b.ctx.store());

    // A newer Kura's segment is left alone with a clear reason.
    let mut newer = std::fs::read(&segments[0]).unwrap();
    newer[8..10].copy_from_slice(&9u16.to_be_bytes());
    std::fs::write(b_log.join("000000000005.kseg"), newer).unwrap();
    share::sync(&b.ctx).await.unwrap();
    let problems = share::status(&b.ctx, ShareStatusRequest {}).await.unwrap().problems;
    assert!(problems.iter().any(|p| p.problem == ShareProblemKind::Newer && p.file.ends_with("000000000005.kseg")));
    a.forget().await;
    b.forget().await;
    c.forget().await;
}

/// The books' categories as the person set them travel too: renamed starter categories, their
/// own categories, budgets; a category deleted on one desktop goes on the other, its lines where
/// they went; two budgets set apart converge to the later one.
#[tokio::test]
async fn categories_and_budgets_travel_and_converge() {
    let sandbox = start().await;
    let (a, _) = polled(&sandbox).await;
    let id_of = |d: &Desk, key: &str| {
        let tree = d.ctx.store().categories().unwrap();
        tree.categories.iter().find(|c| c.builtin.as_deref() == Some(key) || c.name == key).map(|c| c.id)
    };
    let now = chrono::Utc::now();
    {
        let (food, dining) = (id_of(&a, "food").unwrap(), id_of(&a, "food.dining").unwrap());
        let mut store = a.ctx.store();
        store.set_budget(food, Some(60_000)).unwrap();
        store.rename_category(dining, Some("外食・カフェ"), None).unwrap();
        let new = kura_core::store::NewCategory {
            parent_id: None,
            kind: kura_core::books::Kind::Expense,
            name: "ペット".into(),
            name_en: Some("Pets".into()),
        };
        let pets = store.create_category(&new, now).unwrap();
        store.set_budget(pets, Some(8_000)).unwrap();
    }
    // A line filed under the renamed starter category, by hand.
    let line = unique_remarks(&a, |l| l.1 < 0);
    let dining = id_of(&a, "food.dining");
    a.edit(a.line_id(&line), LineEdit { category: Some(dining), memo: None, transfer: None });
    let folder = TempDir::new().unwrap();
    let code = create(&a, folder.path(), "A").await;
    let b = Desk::new();
    join(&b, folder.path(), &code, "B").await.unwrap();

    let books = |d: &Desk| {
        let store = d.ctx.store();
        let tree = store.categories().unwrap();
        let mut named: Vec<(String, String, Option<i64>)> = tree
            .categories
            .iter()
            .map(|c| {
                let budget = store.budgets().unwrap().into_iter().find(|(id, _)| *id == c.id).map(|(_, b)| b);
                (c.builtin.clone().unwrap_or_default(), c.name.clone(), budget)
            })
            .collect();
        named.sort();
        named
    };
    assert_eq!(books(&b), books(&a), "the same categories, names and budgets");
    assert!(books(&b).iter().any(|c| c.1 == "外食・カフェ"));
    assert!(books(&b).iter().any(|c| c.1 == "ペット" && c.2 == Some(8_000)));
    assert_eq!(b.lines(), a.lines(), "the hand-filed line too");

    // B renames the new category and deletes the starter one, sending its lines there.
    let pets = id_of(&b, "ペット").unwrap();
    b.ctx.store().rename_category(pets, Some("ペット用品"), None).unwrap();
    let dining = id_of(&b, "food.dining").unwrap();
    b.ctx.store().delete_category(dining, Some(pets)).unwrap();
    share::sync(&b.ctx).await.unwrap();
    share::sync(&a.ctx).await.unwrap();
    assert_eq!(books(&a), books(&b));
    assert!(id_of(&a, "food.dining").is_none(), "deleted on A too");
    assert_eq!(a.lines(), b.lines(), "its lines went where they went on B");
    assert_eq!(a.lines().into_iter().find(|l| l.2 == line).unwrap().4.as_deref(), Some("ペット用品"));

    // Both set the same budget apart: the later one wins on both.
    let food = id_of(&a, "food").unwrap();
    a.ctx.store().set_budget(food, Some(50_000)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    let food = id_of(&b, "food").unwrap();
    b.ctx.store().set_budget(food, Some(55_000)).unwrap();
    for desk in [&a, &b, &a, &b] {
        share::sync(&desk.ctx).await.unwrap();
    }
    assert_eq!(books(&a), books(&b));
    assert!(books(&a).iter().any(|c| c.0 == "food" && c.2 == Some(55_000)));
    testing::assert_books_consistent(&a.ctx.store());
    testing::assert_books_consistent(&b.ctx.store());
    a.forget().await;
    b.forget().await;
}
