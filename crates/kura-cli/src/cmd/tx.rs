//! `kura tx`: stored transactions, newest first, with filters and kana/width-insensitive search.

use chrono::NaiveDate;
use kura_core::format::{date, signed_yen, yen};
use kura_core::model::AccountId;
use kura_core::query::{Cursor, Direction, TxFilter};
use kura_core::store::Store;

use crate::Global;
use crate::cmd::accounts::table;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only this account (the ID `kura accounts` shows); repeat for several.
    #[arg(long = "account", value_name = "ID")]
    pub accounts: Vec<i64>,
    /// From this date (YYYY-MM-DD or YYYY/MM/DD), inclusive.
    #[arg(long, value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Up to this date, inclusive.
    #[arg(long, value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Only money in.
    #[arg(long = "in", conflicts_with = "out")]
    pub incoming: bool,
    /// Only money out.
    #[arg(long)]
    pub out: bool,
    /// Smallest amount in yen (either direction).
    #[arg(long, value_name = "YEN")]
    pub min: Option<i64>,
    /// Largest amount in yen (either direction).
    #[arg(long, value_name = "YEN")]
    pub max: Option<i64>,
    /// Words in the remarks (ｶｰﾄﾞ, カード and かーど all match each other).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// How many rows to show.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Continue after this cursor (printed below a full page).
    #[arg(long)]
    pub after: Option<String>,
    /// Print JSON (rows and the next cursor) instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .map_err(|_| format!("{s:?} is not a date; write it as 2026-11-24 or 2026/11/24"))
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<()> {
    let store = Store::open(global.data_dir.as_deref())?;
    for &id in &args.accounts {
        anyhow::ensure!(store.account_exists(AccountId(id))?, "no account with ID {id}; `kura accounts` lists the IDs");
    }
    let filter = TxFilter {
        accounts: args.accounts.iter().copied().map(AccountId).collect(),
        from: args.from,
        to: args.to,
        direction: match (args.incoming, args.out) {
            (true, _) => Some(Direction::In),
            (_, true) => Some(Direction::Out),
            _ => None,
        },
        min_amount: args.min,
        max_amount: args.max,
        search: args.search,
    };
    let after = args.after.as_deref().map(str::parse::<Cursor>).transpose()?;
    let page = store.transactions(&filter, after, args.limit)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&page)?);
        return Ok(());
    }
    if page.rows.is_empty() {
        println!("No transactions match.");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .rows
        .iter()
        .map(|r| {
            vec![
                date(r.transaction_date),
                r.account_id.to_string(),
                signed_yen(r.amount),
                r.balance_after.map(yen).unwrap_or_default(),
                r.remarks.clone(),
            ]
        })
        .collect();
    print!("{}", table(&["Date", "Account", "Amount", "Balance", "Remarks"], &rows, &[2, 3]));
    if let Some(next) = page.next_cursor {
        println!("More: kura tx ... --after {next}");
    }
    Ok(())
}
