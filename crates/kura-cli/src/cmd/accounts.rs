//! `kura accounts`: every stored account with its latest balance, how current it is, and flags.

use chrono::Utc;
use kura_core::format::{jst_datetime, yen};
use kura_core::model::{LinkStatus, ReconcileStatus};
use kura_core::query::{AccountSummary, Staleness};
use kura_core::store::Store;
use unicode_width::UnicodeWidthStr;

use crate::Global;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<()> {
    let store = Store::open(global.data_dir.as_deref())?;
    let accounts = store.account_summaries(Utc::now())?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&accounts)?);
        return Ok(());
    }
    if accounts.is_empty() {
        println!("No accounts yet. Link a union with `kura link <union code>`, then run `kura sync`.");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = accounts.iter().map(row).collect();
    print!(
        "{}",
        table(&["ID", "Union", "Branch", "Type", "Number", "Balance", "As of (JST)", "Synced", "Flags"], &rows, &[5])
    );
    for a in accounts.iter().filter(|a| !a.gaps.is_empty()) {
        for g in &a.gaps {
            println!(
                "account {}: history from {} to {} was lost (not synced before the bank stopped serving it)",
                a.id,
                kura_core::format::date(g.date_from),
                kura_core::format::date(g.date_to)
            );
        }
    }
    Ok(())
}

fn row(a: &AccountSummary) -> Vec<String> {
    let union = a.bank_name.clone().unwrap_or_else(|| a.bank_code.clone());
    let staleness = match a.staleness {
        Staleness::Fresh => "fresh",
        Staleness::Stale => "stale",
        Staleness::AtRisk => "AT RISK: sync now",
        Staleness::NeverSynced => "never",
    };
    let mut flags = Vec::new();
    match a.link_status {
        Some(LinkStatus::Active) => {}
        Some(LinkStatus::ReauthRequired) => flags.push("re-link needed"),
        Some(LinkStatus::Revoked) | None => flags.push("unlinked"),
    }
    if a.reconcile_status == ReconcileStatus::Mismatch {
        flags.push("balance mismatch");
    }
    if !a.gaps.is_empty() {
        flags.push("gaps");
    }
    if a.hidden {
        flags.push("hidden");
    }
    vec![
        a.id.to_string(),
        union,
        format!("{} {}", a.branch_code, a.branch_name),
        a.account_type_name.clone(),
        a.account_number.clone(),
        a.balance.map(yen).unwrap_or_else(|| "-".into()),
        a.as_of.map(|t| jst_datetime(t.at)).unwrap_or_else(|| "-".into()),
        staleness.into(),
        flags.join(", "),
    ]
}

/// A plain text table whose columns line up in a terminal with Japanese (double-width) text.
/// Columns listed in `right` are right-aligned (amounts).
pub fn table(headers: &[&str], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - cell.width());
            if i > 0 {
                out.push_str("  ");
            }
            if right.contains(&i) {
                out.push_str(&pad);
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.push_str(&pad);
            }
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::table;

    #[test]
    fn columns_line_up_with_double_width_text() {
        let rows = vec![vec!["北央".to_owned(), "¥1,000".to_owned()], vec!["ab".to_owned(), "¥5".to_owned()]];
        let out = table(&["Union", "Balance"], &rows, &[1]);
        assert_eq!(out, "Union  Balance\n北央    ¥1,000\nab          ¥5\n");
    }
}
