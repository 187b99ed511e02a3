//! `kura tx`: stored transactions, newest first, with filters (by category too) and
//! kana/width-insensitive search; and the person's changes to one line: its category (with the
//! rule Kura offers to make from it), memo and transfer mark, or giving it back to the rules.

use chrono::NaiveDate;
use clap::ValueEnum;
use kura_core::app::categories::{self, CategoryTree};
use kura_core::app::history::{self, Flow, HistoryFilter, TransactionItem, TransactionsPageRequest};
use kura_core::app::lines::{self, LineChange, LineUpdateRequest, LineUpdateResponse};
use kura_core::app::{AppContext, household};
use kura_core::format::{date, signed_yen, yen};
use kura_core::i18n::Language;
use kura_core::t;

use crate::books::{add_command, find};
use crate::error::CliError;
use crate::term::{Term, table};

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[arg(long = "account", value_name = "ID")]
    pub accounts: Vec<i64>,
    #[arg(long, value_name = "MEMBER")]
    pub member: Option<String>,
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
    #[arg(long = "category", value_name = "CATEGORY")]
    pub categories: Vec<String>,
    #[arg(long, alias = "uncategorized")]
    pub uncategorised: bool,
    #[arg(long, conflicts_with = "no_transfers")]
    pub transfers: bool,
    #[arg(long)]
    pub no_transfers: bool,
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    #[arg(long)]
    pub after: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    SetCategory(SetCategoryArgs),
    SetMemo(SetMemoArgs),
    Transfer(TransferArgs),
    Reset(ResetArgs),
}

#[derive(clap::Args, Debug)]
struct SetCategoryArgs {
    #[arg(value_name = "LINE_ID")]
    id: i64,
    category: String,
}

#[derive(clap::Args, Debug)]
struct SetMemoArgs {
    #[arg(value_name = "LINE_ID")]
    id: i64,
    #[arg(required_unless_present = "clear", conflicts_with = "clear")]
    text: Option<String>,
    #[arg(long)]
    clear: bool,
}

#[derive(clap::Args, Debug)]
struct TransferArgs {
    #[arg(value_name = "LINE_ID")]
    id: i64,
    #[arg(value_enum)]
    mark: OnOff,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(clap::Args, Debug)]
struct ResetArgs {
    #[arg(value_name = "LINE_ID")]
    id: i64,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .map_err(|_| t!(kura_core::i18n::Language::of_environment(), "cli-tx-bad-date", value = format!("{s:?}")))
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    if let Some(command) = args.command {
        return change(command, ctx, lang).await;
    }
    let mut categories = Vec::new();
    for name in &args.categories {
        categories.push(find(ctx, lang, name)?.id.0);
    }
    let member_id = args.member.as_deref().map(|m| household::member_by_word(ctx, m)).transpose()?.map(|m| m.id.0);
    let filter = HistoryFilter {
        accounts: args.accounts,
        member_id,
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
        categories,
        uncategorised: args.uncategorised,
        transfers: match (args.transfers, args.no_transfers) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
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
    let tree = categories::tree(ctx)?;
    let rows: Vec<Vec<String>> = page
        .rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                date(r.transaction_date),
                r.account_id.to_string(),
                signed_yen(r.amount),
                r.balance.map(yen).unwrap_or_default(),
                filed_as(r, &tree, lang),
                r.remarks.clone(),
                r.books.memo.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print!("{}", table(&headers(lang), &rows, &[0, 3, 4]));
    if let Some(cursor) = page.next_cursor {
        println!("{}", t!(lang, "cli-tx-more", cursor));
    }
    Ok(())
}

fn headers(lang: Language) -> [String; 8] {
    [
        "cli-col-id",
        "cli-col-date",
        "cli-col-account",
        "cli-col-amount",
        "cli-col-balance",
        "cli-col-category",
        "cli-col-remarks",
        "cli-col-memo",
    ]
    .map(|id| kura_core::i18n::text(lang, id, &Default::default()))
}

/// How a line is filed: its category's path in the person's language, and 振替 for a transfer.
fn filed_as(r: &TransactionItem, tree: &CategoryTree, lang: Language) -> String {
    let path = r.books.category_id.and_then(|c| tree.path(c, lang));
    match (r.books.transfer, path) {
        (true, Some(path)) => format!("{} {path}", t!(lang, "cli-tx-transfer")),
        (true, None) => t!(lang, "cli-tx-transfer"),
        (false, path) => path.unwrap_or_default(),
    }
}

/// One change to one line, and the line as it now is.
async fn change(command: Command, ctx: &AppContext, lang: Language) -> Result<(), CliError> {
    let (id, change) = match command {
        Command::SetCategory(a) => {
            let category = match a.category.trim().eq_ignore_ascii_case("none") {
                true => None,
                false => Some(find(ctx, lang, &a.category)?.id.0),
            };
            (a.id, LineChange::Category { category_id: category })
        }
        Command::SetMemo(a) => (a.id, LineChange::Memo { memo: a.text.filter(|_| !a.clear) }),
        Command::Transfer(a) => (a.id, LineChange::Transfer { transfer: matches!(a.mark, OnOff::On) }),
        Command::Reset(a) => (a.id, LineChange::Reset),
    };
    let answer = lines::update(ctx, LineUpdateRequest { id, change: change.clone() }).await?;
    let tree = categories::tree(ctx)?;
    let line = &answer.line;
    let shown = format!("{} {} {}", date(line.transaction_date), signed_yen(line.amount), line.remarks);
    let category = line.books.category_id.and_then(|c| tree.path(c, lang));
    let said = match (&change, category) {
        (LineChange::Category { .. }, Some(category)) => t!(lang, "cli-tx-filed", id, line = shown, category),
        (LineChange::Category { .. }, None) => t!(lang, "cli-tx-unfiled", id, line = shown),
        (LineChange::Memo { .. }, _) => match &line.books.memo {
            Some(memo) => t!(lang, "cli-tx-memo-set", id, line = shown, memo = memo.as_str()),
            None => t!(lang, "cli-tx-memo-cleared", id, line = shown),
        },
        (LineChange::Transfer { .. }, _) => match line.books.transfer {
            true => t!(lang, "cli-tx-transfer-on", id, line = shown),
            false => t!(lang, "cli-tx-transfer-off", id, line = shown),
        },
        (LineChange::Reset, category) => {
            let filed = filed_as(line, &tree, lang);
            match (category, line.books.transfer) {
                (None, false) => t!(lang, "cli-tx-reset-uncategorised", id, line = shown),
                _ => t!(lang, "cli-tx-reset", id, line = shown, filed),
            }
        }
    };
    println!("{said}");
    print_suggestion(&answer, &tree, lang);
    Ok(())
}

/// The rule Kura offers to make from a line the person just filed, as the command that makes it.
fn print_suggestion(answer: &LineUpdateResponse, tree: &CategoryTree, lang: Language) {
    if let Some(suggestion) = &answer.suggestion {
        println!("{}", t!(lang, "cli-tx-suggest", lines = suggestion.lines));
        println!("  {}", add_command(&suggestion.spec, tree, lang));
    }
}
