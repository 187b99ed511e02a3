//! `kura tx`: stored transactions, newest first, with filters and kana/width-insensitive search.

use chrono::NaiveDate;
use kura_core::app::AppContext;
use kura_core::app::history::{self, Flow, HistoryFilter, TransactionsPageRequest};
use kura_core::format::{date, signed_yen, yen};
use kura_core::i18n::Language;
use kura_core::t;

use crate::error::CliError;
use crate::term::{Term, table};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long = "account", value_name = "ID")]
    pub accounts: Vec<i64>,
    #[arg(long, value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    #[arg(long, value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    #[arg(long = "in", conflicts_with = "out")]
    pub incoming: bool,
    #[arg(long)]
    pub out: bool,
    #[arg(long, value_name = "YEN")]
    pub min: Option<i64>,
    #[arg(long, value_name = "YEN")]
    pub max: Option<i64>,
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[arg(long)]
    pub after: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .map_err(|_| t!(kura_core::i18n::Language::of_environment(), "cli-tx-bad-date", value = format!("{s:?}")))
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let filter = HistoryFilter {
        accounts: args.accounts,
        from: args.from,
        to: args.to,
        flow: match (args.incoming, args.out) {
            (true, _) => Some(Flow::In),
            (_, true) => Some(Flow::Out),
            _ => None,
        },
        min_amount: args.min,
        max_amount: args.max,
        search: args.search,
        ..HistoryFilter::default()
    };
    let page =
        history::transactions(ctx, TransactionsPageRequest { filter, cursor: args.after, limit: args.limit }).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&page).expect("pages serialise"));
        return Ok(());
    }
    if page.rows.is_empty() {
        println!("{}", t!(lang, "cli-tx-none"));
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
                r.balance.map(yen).unwrap_or_default(),
                r.remarks.clone(),
            ]
        })
        .collect();
    print!("{}", table(&headers(lang), &rows, &[2, 3]));
    if let Some(cursor) = page.next_cursor {
        println!("{}", t!(lang, "cli-tx-more", cursor));
    }
    Ok(())
}

fn headers(lang: Language) -> [String; 5] {
    ["cli-col-date", "cli-col-account", "cli-col-amount", "cli-col-balance", "cli-col-remarks"]
        .map(|id| kura_core::i18n::text(lang, id, &Default::default()))
}
