//! The message catalog and the code that uses it agree: every message id the Rust sources name
//! (in `t!`, `explain!` or passed on as a literal) exists in both languages, and every message
//! in the catalog is used somewhere. (That each message exists in both languages with the same
//! arguments is `i18n::catalog`'s own test.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kura_core::i18n::{Args, Language, has, text};

/// The first part of every message id; a literal starting with one of these and a hyphen names
/// a message.
const PREFIXES: &[&str] = &[
    "alert",
    "api",
    "books",
    "cli",
    "command",
    "dialog",
    "export",
    "hint",
    "household",
    "link",
    "monthly",
    "month",
    "move",
    "notify",
    "oauth",
    "profile",
    "request",
    "secrets",
    "serve",
    "share",
    "store",
    "sync",
    "token",
    "tray",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The string literals of `source` that look like message ids.
fn ids_named(source: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for literal in source.split('"').skip(1).step_by(2) {
        let id_like = !literal.is_empty()
            && literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && literal.contains('-');
        if id_like && PREFIXES.iter().any(|p| literal.starts_with(&format!("{p}-"))) {
            ids.insert(literal.to_owned());
        }
    }
    ids
}

fn catalog_ids() -> BTreeSet<String> {
    let dir = workspace().join("crates/kura-core/locales/en");
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        for line in std::fs::read_to_string(entry.path()).unwrap().lines() {
            if let Some((id, _)) = line.split_once(" =")
                && !id.starts_with(['#', ' '])
                && !id.is_empty()
            {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

#[test]
fn the_code_and_the_catalog_name_the_same_messages() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in ["crates/kura-core/src", "crates/kura-cli/src", "src-tauri/src"] {
        rust_sources(&root.join(dir), &mut files);
    }
    let mut named = BTreeSet::new();
    for file in &files {
        named.extend(ids_named(&std::fs::read_to_string(file).unwrap()));
    }
    let missing: Vec<_> = named.iter().filter(|id| !has(id)).collect();
    assert!(missing.is_empty(), "named in the code but not in the catalog: {missing:?}");

    // A message of what to do (`-do`) is used with its message of what happened; the CLI's help
    // texts (`help-*`) are named by its options, which kura-cli's own test checks.
    let unused: Vec<_> = catalog_ids()
        .into_iter()
        .filter(|id| !id.starts_with("help-"))
        .filter(|id| !named.contains(id) && !id.strip_suffix("-do").is_some_and(|base| named.contains(base)))
        .collect();
    assert!(unused.is_empty(), "in the catalog but used nowhere: {unused:?}");
}

#[test]
fn a_message_formats_in_each_language() {
    let mut args = Args::new();
    args.set("union", "北央信用組合");
    args.set("on", "2026/12/24");
    args.set("days", 3);
    let ja = text(Language::Ja, "alert-consent-soon-body", &args);
    let en = text(Language::En, "alert-consent-soon-body", &args);
    assert_eq!(
        ja,
        "北央信用組合の連携の同意は2026/12/24に切れます（あと3日）。Kura の「連携」から再認証すると同期が続きます。"
    );
    assert!(en.starts_with("The consent for 北央信用組合 ends on 2026/12/24 (3 days left)."), "{en}");
}
