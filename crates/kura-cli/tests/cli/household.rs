//! `kura household` and `--member`, run as the binary against a store holding two people's
//! links at the same union (as the core stores them after each logged in).

use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use kura_core::model::AsOf;
use kura_core::store::Store;
use kura_core::testing;
use tempfile::TempDir;

use crate::support::{json, kura, kura_err};

/// Two links at 2011 made by the first member: 太郎's 普通 (300,000 yen, salary and a lunch) and
/// the other login's 普通 (100,000 yen, one transfer in), not yet given to anyone else.
fn seeded() -> (TempDir, i64) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(Some(&dir.path().join("data"))).unwrap();
    let now = Utc::now();
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let as_of = AsOf { date: day(30), at: Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap() };
    let mut second = 0;
    for (number, balance, lines) in [
        (
            "1234567",
            300_000,
            vec![
                testing::line(day(2), 250_000, None, "ｷﾕｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ", None),
                testing::line(day(21), -2_500, None, "ﾏｸﾄﾞﾅﾙﾄﾞ ｻﾂﾎﾟﾛ", None),
            ],
        ),
        ("7654321", 100_000, vec![testing::line(day(10), 30_000, None, "ﾌﾘｺﾐ ﾔﾏﾀﾞ ﾊﾅｺ", None)]),
    ] {
        let link = store.add_link(&testing::new_link(testing::BANK_CODE, "sandbox"), now).unwrap();
        second = link.0;
        let id = store.upsert_account(link, &testing::remote_account("01", number), now).unwrap();
        testing::store_sync(&mut store, id, &lines, Some(testing::reading(balance, as_of)), Some(day(30)), now);
    }
    (dir, second)
}

fn remarks(dir: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["tx", "--json", "--limit", "100"];
    all.extend_from_slice(args);
    json(dir, &all)["rows"].as_array().unwrap().iter().map(|r| r["remarks"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn members_are_added_given_links_and_scope_every_view() {
    let (dir, second) = seeded();
    let dir = dir.path();
    let listed = kura(dir, &["household"]);
    assert!(listed.contains("わたし") && listed.contains("世帯の合計: ¥400,000"), "{listed}");

    assert!(kura(dir, &["household", "add", " 花子 "]).contains("メンバー「花子」を加えました"));
    let taken = kura_err(dir, &["household", "add", "花子"]);
    assert!(taken.contains("「花子」というメンバーはもういます"), "{taken}");
    assert!(kura(dir, &["household", "assign", &second.to_string(), "花子"]).contains("「花子」のものにしました"));

    let shares = json(dir, &["household", "--json"]);
    let share = |name: &str| shares["shares"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap().clone();
    assert_eq!((share("わたし")["total"].as_i64(), share("わたし")["percent"].as_u64()), (Some(300_000), Some(75)));
    assert_eq!((share("花子")["total"].as_i64(), share("花子")["percent"].as_u64()), (Some(100_000), Some(25)));
    assert_eq!(shares["householdTotal"], 400_000);
    let members = shares["members"].as_array().unwrap();
    assert_eq!(members[1]["linkCount"], 1);
    assert_eq!(members[1]["accountCount"], 1);
    assert_eq!(members[1]["colour"], "#c0504d", "the palette's next colour");

    // Every view, by name or by ID.
    let hanako_id = members[1]["id"].as_i64().unwrap().to_string();
    for who in ["花子", hanako_id.as_str()] {
        let accounts = json(dir, &["accounts", "--json", "--member", who]);
        assert_eq!(accounts.as_array().unwrap().len(), 1, "{accounts}");
        assert_eq!(accounts[0]["accountNumber"], "7654321");
        assert_eq!(remarks(dir, &["--member", who]), ["ﾌﾘｺﾐ ﾔﾏﾀﾞ ﾊﾅｺ"]);
    }
    assert_eq!(remarks(dir, &["--member", "わたし"]).len(), 2);
    assert_eq!(remarks(dir, &[]).len(), 3, "the whole household");
    let report = json(dir, &["report", "--month", "2026-11", "--member", "花子", "--json"]);
    assert_eq!((&report["income"], &report["spending"]), (&30_000.into(), &0.into()), "{report}");
    let csv = kura(dir, &["export", "-f", "jsonl", "--member", "花子", "-o", "-"]);
    assert_eq!(csv.lines().count(), 1, "{csv}");
    assert!(csv.contains("ﾌﾘｺﾐ ﾔﾏﾀﾞ ﾊﾅｺ"));

    // A member without accounts: nothing to show, and an export that says why.
    kura(dir, &["household", "add", "次郎", "--colour", "#4F9A55"]);
    assert!(remarks(dir, &["--member", "次郎"]).is_empty());
    let none = kura_err(dir, &["export", "-f", "csv", "--member", "次郎", "-o", "-"]);
    assert!(none.contains("「次郎」の口座はまだありません"), "{none}");

    kura(dir, &["household", "rename", "花子", "はなこ"]);
    kura(dir, &["household", "colour", "はなこ", "#9A5FB4"]);
    let renamed = json(dir, &["household", "--json"]);
    assert_eq!(
        (&renamed["members"][1]["name"], &renamed["members"][1]["colour"]),
        (&"はなこ".into(), &"#9a5fb4".into())
    );
    let unknown = kura_err(dir, &["tx", "--member", "花子"]);
    assert!(unknown.contains("「花子」というメンバーはいません") && unknown.contains("はなこ"), "{unknown}");

    // Removing a member hands their link on; nothing else goes.
    assert!(
        kura(dir, &["household", "remove", "はなこ", "--to", "次郎", "--yes"]).contains("「次郎」に引き継ぎました")
    );
    assert_eq!(remarks(dir, &["--member", "次郎"]), ["ﾌﾘｺﾐ ﾔﾏﾀﾞ ﾊﾅｺ"]);
    kura(dir, &["household", "remove", "次郎", "--yes"]);
    assert_eq!(remarks(dir, &["--member", "わたし"]).len(), 3);
    let last = kura_err(dir, &["household", "remove", "わたし", "--yes"]);
    assert!(last.contains("最後のメンバー"), "{last}");
}
