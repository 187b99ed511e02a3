//! The shared folder on disk: the household file, and each desktop's log as numbered segment
//! files in a folder of its own (so two desktops never write the same file, and the sync engine
//! never has a conflict to resolve). A segment is written beside its name and renamed into
//! place once whole; a reader takes only names of the form `<12 digits>.kseg` and leaves the sync
//! engine's temporary and conflict files alone.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde::{Deserialize, Serialize};

use super::ShareError;
use super::segment::{self, SegmentId};

const HOUSEHOLD_FILE: &str = "kura-household.json";
const DESKTOPS: &str = "desktops";
const EXTENSION: &str = "kseg";
/// A segment being written, beside its name.
const TMP_PREFIX: &str = ".kura-";
const TMP_SUFFIX: &str = ".tmp";

/// The household file: which household the folder holds, and proof of its key (a sealed
/// constant) so a mistyped pairing code is told at once. Nothing of the books is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdFile {
    pub household: [u8; 16],
    check: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct HouseholdJson {
    kura: String,
    format: u16,
    household: String,
    check: String,
}

/// A file found in a desktop's log folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub desktop: [u8; 16],
    pub desktop_hex: String,
    pub seq: u64,
    pub path: PathBuf,
}

/// The shared folder.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

fn check_id(household: [u8; 16]) -> SegmentId {
    SegmentId { household, desktop: [0; 16], seq: 0 }
}

const CHECK: &[u8] = b"kura household key check";

impl Folder {
    pub fn new(root: &Path) -> Folder {
        Folder { root: root.to_owned() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ShareError + '_ {
        move |source| ShareError::Io { path: path.to_owned(), source }
    }

    /// Makes the folder a new household's (refused when it already holds one).
    pub fn create(&self, household: [u8; 16], key: &[u8; 32]) -> Result<HouseholdFile, ShareError> {
        std::fs::create_dir_all(self.root.join(DESKTOPS)).map_err(Self::io(&self.root))?;
        let path = self.root.join(HOUSEHOLD_FILE);
        if path.exists() {
            return Err(ShareError::FolderTaken { folder: self.root.clone() });
        }
        let check = segment::seal(key, &check_id(household), CHECK);
        let json = HouseholdJson {
            kura: "household".into(),
            format: segment::FORMAT,
            household: hex::encode(household),
            check: base64::engine::general_purpose::STANDARD.encode(&check),
        };
        write_atomically(&path, &serde_json::to_vec_pretty(&json).expect("the household file serialises"))?;
        Ok(HouseholdFile { household, check })
    }

    /// The household the folder holds.
    pub fn household(&self) -> Result<HouseholdFile, ShareError> {
        let path = self.root.join(HOUSEHOLD_FILE);
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ShareError::NoHousehold { folder: self.root.clone() });
            }
            Err(e) => return Err(Self::io(&path)(e)),
        };
        let bad = |detail: String| ShareError::BadHouseholdFile { folder: self.root.clone(), detail };
        let json: HouseholdJson = serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?;
        if json.kura != "household" {
            return Err(bad(format!("kura = {:?}", json.kura)));
        }
        if json.format > segment::FORMAT {
            return Err(bad(format!("format {} (this Kura reads up to {})", json.format, segment::FORMAT)));
        }
        let household: [u8; 16] = hex::decode(&json.household)
            .ok()
            .and_then(|h| h.try_into().ok())
            .ok_or_else(|| bad("household id".into()))?;
        let check =
            base64::engine::general_purpose::STANDARD.decode(&json.check).map_err(|_| bad("key check".into()))?;
        Ok(HouseholdFile { household, check })
    }

    /// Whether `key` is the household's.
    pub fn opens(&self, file: &HouseholdFile, key: &[u8; 32]) -> bool {
        segment::open(key, &check_id(file.household), &file.check).is_ok_and(|c| c == CHECK)
    }

    fn log_dir(&self, desktop_hex: &str) -> PathBuf {
        self.root.join(DESKTOPS).join(desktop_hex)
    }

    /// The number after the last segment of `desktop`'s log in the folder and `sent` (what the
    /// store says it wrote): a segment written just before a crash is never overwritten.
    pub fn next_seq(&self, desktop_hex: &str, sent: u64) -> Result<u64, ShareError> {
        let last = self.scan_dir(desktop_hex)?.into_iter().map(|f| f.seq).max().unwrap_or(0);
        Ok(last.max(sent) + 1)
    }

    /// Seals `body` as segment `id` of the desktop's log and puts it in place whole. What a
    /// writer killed before its rename left in this desktop's own folder goes first (the caller
    /// is this desktop's only writer: it holds the desktop's share lock).
    pub fn write_segment(&self, key: &[u8; 32], id: &SegmentId, body: &[u8]) -> Result<PathBuf, ShareError> {
        let dir = self.log_dir(&hex::encode(id.desktop));
        std::fs::create_dir_all(&dir).map_err(Self::io(&dir))?;
        for entry in std::fs::read_dir(&dir).map_err(Self::io(&dir))?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(TMP_PREFIX) && name.ends_with(TMP_SUFFIX) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let path = dir.join(format!("{:012}.{EXTENSION}", id.seq));
        write_atomically(&path, &segment::seal(key, id, body))?;
        Ok(path)
    }

    /// Every segment file of every desktop's log, by desktop and number.
    pub fn segments(&self) -> Result<Vec<Found>, ShareError> {
        let mut found = Vec::new();
        for entry in entries(&self.root.join(DESKTOPS))? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
                found.extend(self.scan_dir(&name)?);
            }
        }
        found.sort_by(|a, b| (&a.desktop_hex, a.seq).cmp(&(&b.desktop_hex, b.seq)));
        Ok(found)
    }

    fn scan_dir(&self, desktop_hex: &str) -> Result<Vec<Found>, ShareError> {
        let Some(desktop) = hex::decode(desktop_hex).ok().and_then(|d| <[u8; 16]>::try_from(d).ok()) else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for entry in entries(&self.log_dir(desktop_hex))? {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(number) = name.strip_suffix(&format!(".{EXTENSION}")) else { continue };
            if number.len() != 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let Ok(seq) = number.parse() else { continue };
            found.push(Found { desktop, desktop_hex: desktop_hex.to_owned(), seq, path: entry.path() });
        }
        Ok(found)
    }
}

/// The entries of `dir`; none while it does not exist (yet: the sync engine may not have made it).
fn entries(dir: &Path) -> Result<Vec<std::fs::DirEntry>, ShareError> {
    match std::fs::read_dir(dir) {
        Ok(e) => Ok(e.flatten().collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(ShareError::Io { path: dir.to_owned(), source }),
    }
}

/// Writes `bytes` beside `path`, flushes them to disk and renames the file into place, so no one
/// (the sync engine included) ever sees a part of it under its name.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ShareError> {
    let dir = path.parent().expect("a file in a folder");
    let io = |source| ShareError::Io { path: path.to_owned(), source };
    let mut tmp = tempfile::Builder::new().prefix(TMP_PREFIX).suffix(TMP_SUFFIX).tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_household_file_proves_its_key_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        let made = folder.create([4; 16], &[1; 32]).unwrap();
        let read = folder.household().unwrap();
        assert_eq!(read, made);
        assert!(folder.opens(&read, &[1; 32]));
        assert!(!folder.opens(&read, &[2; 32]));
        assert!(matches!(folder.create([5; 16], &[1; 32]), Err(ShareError::FolderTaken { .. })));
    }

    #[test]
    fn only_whole_segment_names_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        let id = SegmentId { household: [4; 16], desktop: [9; 16], seq: 3 };
        let path = folder.write_segment(&[1; 32], &id, b"x").unwrap();
        let log = path.parent().unwrap();
        for junk in [
            ".syncthing.000000000003.kseg.tmp",
            "000000000003.sync-conflict-20261206-101010-ABCDEFG.kseg",
            "3.kseg",
            "notes.txt",
        ] {
            std::fs::write(log.join(junk), b"junk").unwrap();
        }
        std::fs::create_dir_all(dir.path().join("desktops/not-a-desktop")).unwrap();
        let found = folder.segments().unwrap();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].desktop, found[0].seq), ([9; 16], 3));
        assert_eq!(folder.next_seq(&hex::encode([9u8; 16]), 1).unwrap(), 4);
        assert_eq!(folder.next_seq(&hex::encode([9u8; 16]), 7).unwrap(), 8);
    }
}
