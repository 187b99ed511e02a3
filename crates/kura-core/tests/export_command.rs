//! The `export` command as the desktop and browser dialogs call it: a character Shift_JIS cannot
//! hold fails with advice in the dialog's terms unless the dialog asked for replacement.

use chrono::{NaiveDate, Utc};
use kura_core::app::{AppContext, ErrorKind, dispatch};
use kura_core::store::Store;
use kura_core::testing::{line, link_with_account, store_lines};
use serde_json::json;

/// `寿司` and `〓` in Shift_JIS (CP932).
const SUSHI_GETA_SJIS: &[u8] = b"\x8e\xf5\x8e\x69\x81\xac";

#[tokio::test]
async fn an_export_to_shift_jis_replaces_what_it_cannot_hold_only_when_asked() {
    let data = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open(Some(data.path())).unwrap();
        let (_, account) = link_with_account(&mut store, "sandbox", Utc::now());
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        store_lines(&mut store, account, &[line(day, -5_000, Some(95_000), "寿司🍣", None)], Utc::now());
    }
    let ctx = AppContext::open(data.path().to_owned()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let destination = out.path().join("kura.csv");
    let request = |replace: bool| json!({"format": "csv", "shiftJis": true, "replaceUnmappable": replace, "destination": destination});

    let err = dispatch(&ctx, "export", request(false)).await.unwrap_err();
    let failure = err.to_failure();
    assert_eq!(failure.kind, ErrorKind::Invalid, "the choice needs changing, not the destination");
    assert!(failure.message.contains("row 1 (2026-11-21") && failure.message.contains("U+1F363"), "{failure:?}");
    assert!(failure.message.contains("Replace characters Shift_JIS cannot hold"), "{failure:?}");
    assert!(!failure.message.contains("--replace-unmappable"), "a dialog user has no CLI flag: {failure:?}");
    assert!(!destination.exists(), "a failed export writes nothing");

    let done = dispatch(&ctx, "export", request(true)).await.unwrap();
    assert_eq!(done["rows"], 1, "{done}");
    let written = std::fs::read(&destination).unwrap();
    assert!(written.windows(SUSHI_GETA_SJIS.len()).any(|w| w == SUSHI_GETA_SJIS), "寿司〓 in CP932");

    // A request from an older UI, without the field, keeps failing rather than replacing.
    let older = json!({"format": "csv", "shiftJis": true, "destination": destination});
    assert_eq!(dispatch(&ctx, "export", older).await.unwrap_err().kind(), ErrorKind::Invalid);
}
