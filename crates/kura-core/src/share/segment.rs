//! One file of a desktop's change log: a header that says what it is (never what it holds) and
//! the changes, sealed with ChaCha20-Poly1305 under the household's key. The header is the
//! cipher's associated data, so a file renamed into another desktop's folder, given another
//! sequence number or cut short fails to open instead of being applied.
//!
//! ```text
//! 0   8  magic "KURALOG\0"
//! 8   2  format version (big-endian)
//! 10 16  household id
//! 26 16  desktop id
//! 42  8  sequence number within the desktop's log (big-endian)
//! 50  8  sealed body length (big-endian)
//! 58 12  nonce (random)
//! 70  …  sealed body: the JSON of the changes, then the 16-byte tag
//! ```

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};

pub const MAGIC: &[u8; 8] = b"KURALOG\0";
/// The format this Kura writes and the newest it reads.
pub const FORMAT: u16 = 1;
const HEADER: usize = 70;
const TAG: usize = 16;

/// Who wrote a segment and where it falls in their log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentId {
    pub household: [u8; 16],
    pub desktop: [u8; 16],
    pub seq: u64,
}

/// Why a file could not be opened. None of these is ever applied, in part or at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Not one of Kura's log files.
    NotKura,
    /// Written by a newer Kura (its format version).
    Newer(u16),
    /// Of another household.
    OtherHousehold,
    /// Its header names another desktop or place in the log than its name does.
    Misplaced,
    /// Shorter than its header says: still being written or carried, or cut off.
    Incomplete,
    /// Whole, but it does not open with this household's key: another key, or damaged.
    WrongKey,
}

fn header(id: &SegmentId, sealed_len: u64, nonce: &[u8; 12]) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[..8].copy_from_slice(MAGIC);
    h[8..10].copy_from_slice(&FORMAT.to_be_bytes());
    h[10..26].copy_from_slice(&id.household);
    h[26..42].copy_from_slice(&id.desktop);
    h[42..50].copy_from_slice(&id.seq.to_be_bytes());
    h[50..58].copy_from_slice(&sealed_len.to_be_bytes());
    h[58..70].copy_from_slice(nonce);
    h
}

fn cipher(key: &[u8; 32]) -> LessSafeKey {
    LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, key).expect("a 32-byte key"))
}

/// The file for `body` in the log `id` names.
pub fn seal(key: &[u8; 32], id: &SegmentId, body: &[u8]) -> Vec<u8> {
    // A fresh random nonce per file: a household writes far fewer files than it would take for
    // two 96-bit random nonces to meet.
    let nonce: [u8; 12] = rand::random();
    let head = header(id, (body.len() + TAG) as u64, &nonce);
    let mut sealed = body.to_vec();
    cipher(key)
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(&head), &mut sealed)
        .expect("sealing fits in memory");
    let mut file = head.to_vec();
    file.extend_from_slice(&sealed);
    file
}

/// The body of a file expected to be segment `expected` (its household, its desktop and place
/// as its name says).
pub fn open(key: &[u8; 32], expected: &SegmentId, file: &[u8]) -> Result<Vec<u8>, Unreadable> {
    let start = file.len().min(MAGIC.len());
    if file[..start] != MAGIC[..start] {
        return Err(Unreadable::NotKura);
    }
    // An empty file or one cut inside the header: still being written, or cut off.
    if file.len() < 10 {
        return Err(Unreadable::Incomplete);
    }
    let format = u16::from_be_bytes([file[8], file[9]]);
    if format > FORMAT {
        return Err(Unreadable::Newer(format));
    }
    if format == 0 {
        return Err(Unreadable::NotKura);
    }
    if file.len() < HEADER {
        return Err(Unreadable::Incomplete);
    }
    let (head, sealed) = file.split_at(HEADER);
    if head[10..26] != expected.household {
        return Err(Unreadable::OtherHousehold);
    }
    let seq = u64::from_be_bytes(head[42..50].try_into().expect("8 bytes"));
    if head[26..42] != expected.desktop || seq != expected.seq {
        return Err(Unreadable::Misplaced);
    }
    let length = u64::from_be_bytes(head[50..58].try_into().expect("8 bytes"));
    if (sealed.len() as u64) < length {
        return Err(Unreadable::Incomplete);
    }
    if sealed.len() as u64 != length || length < TAG as u64 {
        return Err(Unreadable::WrongKey);
    }
    let nonce: [u8; 12] = head[58..70].try_into().expect("12 bytes");
    let mut body = sealed.to_vec();
    let opened = cipher(key)
        .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(head), &mut body)
        .map_err(|_| Unreadable::WrongKey)?;
    Ok(opened.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];
    const ID: SegmentId = SegmentId { household: [1; 16], desktop: [2; 16], seq: 5 };

    #[test]
    fn a_segment_opens_with_its_key_and_place() {
        let file = seal(&KEY, &ID, br#"{"changes":[]}"#);
        assert_eq!(open(&KEY, &ID, &file).unwrap(), br#"{"changes":[]}"#);
        assert!(!file.windows(7).any(|w| w == b"changes"), "the body is not in plain bytes");
    }

    #[test]
    fn every_kind_of_bad_file_is_told_apart_and_never_opened() {
        let file = seal(&KEY, &ID, b"lines");
        for cut in [3, 9, 40, HEADER, file.len() - 1] {
            assert_eq!(open(&KEY, &ID, &file[..cut]), Err(Unreadable::Incomplete), "cut at {cut}");
        }
        assert_eq!(open(&[8; 32], &ID, &file), Err(Unreadable::WrongKey));
        let mut flipped = file.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(open(&KEY, &ID, &flipped), Err(Unreadable::WrongKey));
        assert_eq!(open(&KEY, &SegmentId { seq: 6, ..ID }, &file), Err(Unreadable::Misplaced));
        assert_eq!(open(&KEY, &SegmentId { desktop: [3; 16], ..ID }, &file), Err(Unreadable::Misplaced));
        assert_eq!(open(&KEY, &SegmentId { household: [9; 16], ..ID }, &file), Err(Unreadable::OtherHousehold));
        assert_eq!(open(&KEY, &ID, b"PK\x03\x04 a zip file, say"), Err(Unreadable::NotKura));
        let mut newer = file.clone();
        newer[8..10].copy_from_slice(&2u16.to_be_bytes());
        assert_eq!(open(&KEY, &ID, &newer), Err(Unreadable::Newer(2)));
        // A header moved onto another file's body, or a longer file: not opened either.
        let mut longer = file.clone();
        longer.push(0);
        assert_eq!(open(&KEY, &ID, &longer), Err(Unreadable::WrongKey));
    }
}
