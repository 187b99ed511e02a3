//! Sharing the household with other desktops through a shared folder (`kura share`, Settings):
//! set a folder up and get its pairing code, join one with the code, write this desktop's new
//! changes and apply the others', show who was heard from when, leave (the data stays).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError};
use crate::share::code::Secret;
use crate::share::records::Body;
use crate::share::segment::{self, SegmentId, Unreadable};
use crate::share::{Folder, ShareError};
use crate::store::Store;

const FOLDER: &str = "folder";
const HOUSEHOLD: &str = "household";
const NAME: &str = "desktop.name";

/// Where this desktop shares its household, as Settings and `kura share` show it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareStatus {
    /// The shared folder; absent when the household is not shared.
    pub folder: Option<String>,
    pub desktop_name: String,
    /// The household's other desktops, as their logs told.
    pub peers: Vec<PeerItem>,
    /// What reading the folder met and did not apply, newest first.
    pub problems: Vec<ShareProblem>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeerItem {
    pub name: String,
    pub last_heard_at: DateTime<Utc>,
    /// The links it polls (their data reaches this desktop through its log).
    pub links: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareProblem {
    pub at: DateTime<Utc>,
    pub file: String,
    pub problem: ShareProblemKind,
    pub detail: Option<String>,
}

/// Why a file of the shared folder was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ShareProblemKind {
    /// Not one of Kura's log files.
    NotKura,
    /// Written by a newer Kura: update this one.
    Newer,
    /// Of another household.
    OtherHousehold,
    /// Its contents name another place in the log than its name.
    Misplaced,
    /// Still being written or carried, or cut off: tried again later.
    Incomplete,
    /// It does not open with this household's key (another key, or damaged).
    WrongKey,
    /// It opened, but what it holds cannot be read.
    Unreadable,
}

impl ShareProblemKind {
    fn of(u: &Unreadable) -> ShareProblemKind {
        match u {
            Unreadable::NotKura => ShareProblemKind::NotKura,
            Unreadable::Newer(_) => ShareProblemKind::Newer,
            Unreadable::OtherHousehold => ShareProblemKind::OtherHousehold,
            Unreadable::Misplaced => ShareProblemKind::Misplaced,
            Unreadable::Incomplete => ShareProblemKind::Incomplete,
            Unreadable::WrongKey => ShareProblemKind::WrongKey,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ShareProblemKind::NotKura => "notKura",
            ShareProblemKind::Newer => "newer",
            ShareProblemKind::OtherHousehold => "otherHousehold",
            ShareProblemKind::Misplaced => "misplaced",
            ShareProblemKind::Incomplete => "incomplete",
            ShareProblemKind::WrongKey => "wrongKey",
            ShareProblemKind::Unreadable => "unreadable",
        }
    }

    fn parse(text: &str) -> ShareProblemKind {
        [
            ShareProblemKind::NotKura,
            ShareProblemKind::Newer,
            ShareProblemKind::OtherHousehold,
            ShareProblemKind::Misplaced,
            ShareProblemKind::Incomplete,
            ShareProblemKind::WrongKey,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
        .unwrap_or(ShareProblemKind::Unreadable)
    }
}

/// What one round of sharing did.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareSyncReport {
    /// The segment this desktop wrote, if it had anything new.
    pub written: Option<u64>,
    /// Segments of other desktops applied.
    pub applied: u32,
    pub lines: u64,
    pub edits: u64,
    /// Files not applied this time (see `problems` in the status).
    pub skipped: u32,
}

/// The folder and household this store shares, when it does.
fn shared(store: &Store) -> Result<Option<(Folder, [u8; 16])>, CommandError> {
    let (Some(folder), Some(household)) = (store.share_state(FOLDER)?, store.share_state(HOUSEHOLD)?) else {
        return Ok(None);
    };
    let household: [u8; 16] = hex::decode(&household)
        .ok()
        .and_then(|h| h.try_into().ok())
        .ok_or_else(|| ShareError::BadHouseholdFile { folder: folder.clone().into(), detail: "household id".into() })?;
    Ok(Some((Folder::new(Path::new(&folder)), household)))
}

/// This computer's name, for the other desktops to show.
fn default_desktop_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "Kura".into())
}

async fn key(ctx: &AppContext, household: &[u8; 16]) -> Result<[u8; 32], CommandError> {
    let secret = ctx.secrets().household_secret(&hex::encode(household)).await?.ok_or(ShareError::SecretMissing)?;
    Ok(Secret::from_hex(&secret).ok_or(ShareError::SecretMissing)?.key(household))
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ShareStatusRequest {}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareCreateRequest {
    /// A folder the person's sync program shares (Syncthing, a cloud or NAS folder).
    pub folder: String,
    /// This desktop's name as the others show it (default: the computer's name).
    #[serde(default)]
    #[ts(optional)]
    pub desktop_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareJoinRequest {
    pub folder: String,
    /// The pairing code the first desktop shows.
    pub code: String,
    #[serde(default)]
    #[ts(optional)]
    pub desktop_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareCodeResponse {
    /// For another desktop to join with; a secret: whoever has it and the folder reads the books.
    pub code: String,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ShareCodeRequest {}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ShareSyncRequest {}

#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ShareLeaveRequest {}

/// How often a running app writes and reads the household's logs (also after each sync).
const INTERVAL: std::time::Duration = std::time::Duration::from_secs(30);

/// Shares the household in the background while the app syncs: after each sync report and
/// every [`INTERVAL`], until syncing stops.
pub(super) fn spawn(ctx: &AppContext) {
    let ctx = ctx.clone();
    let mut reports = ctx.sync_reports().subscribe();
    tokio::spawn(async move {
        loop {
            if let Err(e) = sync(&ctx).await {
                tracing::warn!(error = %e, "sharing the household failed; trying again later");
            }
            tokio::select! {
                () = tokio::time::sleep(INTERVAL) => {}
                report = reports.recv() => match report {
                    Ok(Some(_)) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Ok(None) | Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    });
}

/// Makes the folder this household's shared folder; answers the pairing code for other desktops.
pub async fn create(ctx: &AppContext, req: ShareCreateRequest) -> Result<ShareCodeResponse, CommandError> {
    if let Some((existing, _)) = shared(&ctx.store())? {
        return Err(ShareError::AlreadyShared { folder: existing.root().to_owned() }.into());
    }
    let folder = absolute(Path::new(req.folder.trim()))?;
    let desktop_name = req.desktop_name.as_deref();
    let (secret, household) = (Secret::random(), rand::random::<[u8; 16]>());
    Folder::new(&folder).create(household, &secret.key(&household))?;
    ctx.secrets().set_household_secret(&hex::encode(household), &secret.to_hex()).await?;
    begin(ctx, &folder, household, desktop_name)?;
    sync(ctx).await?;
    Ok(ShareCodeResponse { code: secret.code() })
}

/// Joins the household in `folder` with its pairing code.
pub async fn join(ctx: &AppContext, req: ShareJoinRequest) -> Result<ShareSyncReport, CommandError> {
    if let Some((existing, _)) = shared(&ctx.store())? {
        return Err(ShareError::AlreadyShared { folder: existing.root().to_owned() }.into());
    }
    let folder = absolute(Path::new(req.folder.trim()))?;
    let desktop_name = req.desktop_name.as_deref();
    let secret = Secret::from_code(&req.code)?;
    let file = Folder::new(&folder).household()?;
    if !Folder::new(&folder).opens(&file, &secret.key(&file.household)) {
        return Err(ShareError::WrongCode { folder }.into());
    }
    ctx.secrets().set_household_secret(&hex::encode(file.household), &secret.to_hex()).await?;
    begin(ctx, &folder, file.household, desktop_name)?;
    // This desktop's members that nothing belongs to (the first member a new data folder starts
    // with) give way to the household's, before anything of this desktop's goes out: otherwise
    // both desktops would show two of "わたし". Should nothing arrive, a first member comes back.
    ctx.store().drop_idle_members()?;
    let received = round(ctx, false).await?;
    if ctx.store().members()?.is_empty() {
        ctx.store().add_member(crate::household::FIRST_MEMBER_NAME, None, chrono::Utc::now())?;
    }
    let sent = round(ctx, true).await?;
    Ok(ShareSyncReport {
        written: sent.written,
        applied: received.applied + sent.applied,
        lines: received.lines + sent.lines,
        edits: received.edits + sent.edits,
        skipped: sent.skipped,
    })
}

fn absolute(folder: &Path) -> Result<PathBuf, CommandError> {
    std::path::absolute(folder).map_err(|source| ShareError::Io { path: folder.to_owned(), source }.into())
}

fn begin(ctx: &AppContext, folder: &Path, household: [u8; 16], desktop_name: Option<&str>) -> Result<(), CommandError> {
    let mut store = ctx.store();
    store.reset_share()?;
    store.set_share_state(FOLDER, Some(&folder.display().to_string()))?;
    store.set_share_state(HOUSEHOLD, Some(&hex::encode(household)))?;
    let name = desktop_name.map(str::trim).filter(|n| !n.is_empty()).map_or_else(default_desktop_name, str::to_owned);
    store.set_share_state(NAME, Some(&name))?;
    store.stamp_unclocked()?;
    Ok(())
}

/// The pairing code, for another desktop to join with.
pub async fn code(ctx: &AppContext, _req: ShareCodeRequest) -> Result<ShareCodeResponse, CommandError> {
    let (_, household) = shared(&ctx.store())?.ok_or(ShareError::NotShared)?;
    let secret = ctx.secrets().household_secret(&hex::encode(household)).await?.ok_or(ShareError::SecretMissing)?;
    Ok(ShareCodeResponse { code: Secret::from_hex(&secret).ok_or(ShareError::SecretMissing)?.code() })
}

pub async fn sync_now(ctx: &AppContext, _req: ShareSyncRequest) -> Result<ShareSyncReport, CommandError> {
    sync(ctx).await
}

/// Writes this desktop's new changes to its log and applies the other desktops' new segments.
/// Does nothing when the household is not shared.
pub async fn sync(ctx: &AppContext) -> Result<ShareSyncReport, CommandError> {
    round(ctx, true).await
}

/// One round: this desktop's new segment (when `publish`), then the others' new ones.
async fn round(ctx: &AppContext, publish: bool) -> Result<ShareSyncReport, CommandError> {
    let Some((folder, household)) = shared(&ctx.store())? else { return Ok(ShareSyncReport::default()) };
    let key = key(ctx, &household).await?;
    let (desktop, name) = {
        let store = ctx.store();
        (store.desktop_id()?, store.share_state(NAME)?.unwrap_or_else(default_desktop_name))
    };
    let round = Round {
        folder,
        household,
        key,
        desktop,
        name,
        publish,
        data_dir: ctx.data_dir().to_owned(),
        database: ctx.database_file().to_owned(),
    };
    // Files and SQLite, seconds for a large log: off the async runtime.
    tokio::task::spawn_blocking(move || round.run()).await.expect("a sharing round does not panic")
}

/// What one round works with.
struct Round {
    folder: Folder,
    household: [u8; 16],
    key: [u8; 32],
    desktop: String,
    name: String,
    publish: bool,
    data_dir: PathBuf,
    database: PathBuf,
}

impl Round {
    fn run(self) -> Result<ShareSyncReport, CommandError> {
        let Round { folder, household, key, desktop, name, publish, data_dir, database } = self;
        let mut report = ShareSyncReport::default();
        let desktop_bytes: [u8; 16] = hex::decode(&desktop).ok().and_then(|d| d.try_into().ok()).expect("a 16-byte id");
        // One writer per desktop at a time (the app's background round and `kura share sync`
        // alike): two would number their segments alike.
        let _lock = lock(&data_dir)?;
        // Its own connection: applying a large log must not hold the shared one.
        let mut store = Store::open_file(&database)?;
        if let Some(outbox) = publish.then(|| store.outbox(&name)).transpose()?.flatten() {
            let sent = store.share_state("out.seq")?.and_then(|s| s.parse().ok()).unwrap_or(0);
            let seq = folder.next_seq(&desktop, sent)?;
            let body = outbox.body.encode();
            folder.write_segment(&key, &SegmentId { household, desktop: desktop_bytes, seq }, &body)?;
            store.mark_sent(&outbox, seq)?;
            report.written = Some(seq);
        }
        for found in folder.segments()? {
            if found.desktop_hex == desktop || store.segment_applied(&found.desktop_hex, found.seq)? {
                continue;
            }
            let shown = found.path.strip_prefix(folder.root()).unwrap_or(&found.path).display().to_string();
            let bytes = match std::fs::read(&found.path) {
                Ok(b) => b,
                // Replaced by the sync engine as it was read: the next round takes it.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => return Err(ShareError::Io { path: found.path.clone(), source }.into()),
            };
            let id = SegmentId { household, desktop: found.desktop, seq: found.seq };
            let body = match segment::open(&key, &id, &bytes) {
                Ok(plain) => Body::decode(&plain).map_err(|e| (ShareProblemKind::Unreadable, Some(e))),
                Err(u) => Err((
                    ShareProblemKind::of(&u),
                    match u {
                        Unreadable::Newer(v) => Some(format!("format {v}")),
                        _ => None,
                    },
                )),
            };
            match body {
                Ok(body) => {
                    let applied = store.apply_segment(&found.desktop_hex, found.seq, &body, Utc::now())?;
                    report.applied += 1;
                    report.lines += applied.lines;
                    report.edits += applied.edits;
                }
                Err((problem, detail)) => {
                    report.skipped += 1;
                    note_problem(&mut store, &shown, problem, detail.as_deref())?;
                }
            }
        }
        Ok(report)
    }
}

/// This desktop's share lock, held until dropped (the OS releases it if the process dies).
fn lock(data_dir: &Path) -> Result<std::fs::File, CommandError> {
    let path = data_dir.join("share.lock");
    let io = |source| ShareError::Io { path: path.clone(), source };
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io)?;
    file.lock().map_err(io)?;
    Ok(file)
}

/// Notes a file not applied, once for as long as its problem stays the same.
fn note_problem(
    store: &mut Store,
    file: &str,
    problem: ShareProblemKind,
    detail: Option<&str>,
) -> Result<(), CommandError> {
    let latest = store.share_events(50)?.into_iter().find(|(_, f, _, _)| f == file);
    if latest.is_none_or(|(_, _, p, _)| p != problem.as_str()) {
        tracing::warn!(file, problem = problem.as_str(), "a file of the shared folder was not applied");
        store.record_share_event(file, problem.as_str(), detail)?;
    }
    Ok(())
}

/// Where sharing stands.
pub async fn status(ctx: &AppContext, _req: ShareStatusRequest) -> Result<ShareStatus, CommandError> {
    let store = ctx.store();
    let folder = shared(&store)?.map(|(f, _)| f.root().display().to_string());
    let links = store.links()?;
    let peers = store
        .share_peers()?
        .into_iter()
        .map(|(desktop, name, last_heard_at, _)| PeerItem {
            name,
            last_heard_at,
            links: links.iter().filter(|l| l.polled_by.as_deref() == Some(desktop.as_str())).map(|l| l.id.0).collect(),
        })
        .collect();
    let problems = store
        .share_events(20)?
        .into_iter()
        .map(|(at, file, problem, detail)| ShareProblem {
            at,
            file,
            problem: ShareProblemKind::parse(&problem),
            detail,
        })
        .collect();
    Ok(ShareStatus {
        folder,
        desktop_name: store.share_state(NAME)?.unwrap_or_else(default_desktop_name),
        peers,
        problems,
    })
}

/// Leaves the household: this desktop stops writing and reading the folder and forgets the
/// household's secret. Everything in its store stays; the folder is left for the others.
pub async fn leave(ctx: &AppContext, _req: ShareLeaveRequest) -> Result<ShareStatus, CommandError> {
    let (_, household) = shared(&ctx.store())?.ok_or(ShareError::NotShared)?;
    ctx.secrets().delete_household_secret(&hex::encode(household)).await?;
    {
        let mut store = ctx.store();
        store.reset_share()?;
        for key in [FOLDER, HOUSEHOLD, NAME] {
            store.set_share_state(key, None)?;
        }
    }
    status(ctx, ShareStatusRequest {}).await
}
