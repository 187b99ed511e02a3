//! `kura report`: the monthly picture of the books — a month's spending and income by category
//! (大項目 with their 中項目s), budgets with this month's pace, the uncategorised lines to work
//! through and the transfers left out — or a year of months side by side.

use chrono::{Datelike, NaiveDate};
use kura_core::app::books::{self, BooksMonthRequest, BooksYearRequest, BudgetPace, CategoryFigure, MonthReport};
use kura_core::app::{AppContext, household};
use kura_core::format::{signed_yen, yen};
use kura_core::i18n::{Language, text};
use kura_core::t;

use crate::error::CliError;
use crate::term::{Term, table};

/// The longest bar of `kura report --year`, in characters.
const BAR: i64 = 24;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, value_name = "YYYY-MM", conflicts_with = "year")]
    month: Option<String>,
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(u16).range(1000..=9999))]
    year: Option<u16>,
    #[arg(long = "account", value_name = "ID")]
    accounts: Vec<i64>,
    #[arg(long, value_name = "MEMBER")]
    member: Option<String>,
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    let member_id = args.member.as_deref().map(|m| household::member_by_word(ctx, m)).transpose()?.map(|m| m.id.0);
    if let Some(year) = args.year {
        let request =
            BooksYearRequest { last: Some(format!("{year}-12")), months: Some(12), accounts: args.accounts, member_id };
        let months = books::year(ctx, request).await?;
        match args.json {
            true => println!("{}", serde_json::to_string_pretty(&months).expect("reports serialise")),
            false => print!("{}", year_text(year, &months.months, lang)),
        }
        return Ok(());
    }
    let report = books::month(ctx, BooksMonthRequest { month: args.month, accounts: args.accounts, member_id }).await?;
    match args.json {
        true => println!("{}", serde_json::to_string_pretty(&report).expect("reports serialise")),
        false => print!("{}", month_text(&report, lang)),
    }
    Ok(())
}

fn heading(lang: Language, id: &str) -> String {
    text(lang, id, &Default::default())
}

/// `2026-11` as its first and last day.
fn month_days(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let last = first.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
    Some((first, last))
}

fn month_text(r: &MonthReport, lang: Language) -> String {
    let mut out = String::new();
    let (first, last) = month_days(&r.month).expect("the app answers with a valid month");
    out.push_str(&t!(lang, "cli-report-title", year = first.year(), month = first.month()));
    out.push('\n');
    let totals =
        t!(lang, "cli-report-totals", spending = yen(r.spending), income = yen(r.income), net = signed_yen(r.net));
    out.push_str(&format!("{totals}\n\n"));

    // Spending: the 大項目s with spending, then budgets not yet touched, then the uncategorised.
    let mut spending: Vec<&CategoryFigure> =
        r.spending_by_category.iter().filter(|f| f.category_id.is_some()).collect();
    spending.extend(&r.idle_budgets);
    spending.extend(r.spending_by_category.iter().filter(|f| f.category_id.is_none()));
    let sections = [
        ("cli-report-spending", spending, r.spending),
        ("cli-report-income", r.income_by_category.iter().collect(), r.income),
    ];
    for (title, figures, total) in sections {
        if figures.is_empty() {
            continue;
        }
        let headers = [title, "cli-col-amount", "cli-col-lines", "cli-col-budget"].map(|id| heading(lang, id));
        let mut rows = Vec::new();
        for f in &figures {
            rows.push(vec![f.name.clone(), yen(f.amount), f.lines.to_string(), budget_text(f.budget, lang)]);
            for c in &f.children {
                rows.push(vec![format!("  {}", c.name), yen(c.amount), c.lines.to_string(), String::new()]);
            }
        }
        let lines: i64 = figures.iter().map(|f| f.lines).sum();
        rows.push(vec![heading(lang, "cli-report-total"), yen(total), lines.to_string(), String::new()]);
        out.push_str(&table(&headers, &rows, &[1, 2]));
        out.push('\n');
    }
    if r.spending_by_category.is_empty() && r.income_by_category.is_empty() && r.idle_budgets.is_empty() {
        out.push_str(&format!("{}\n", t!(lang, "cli-report-no-lines")));
    }
    if r.uncategorised_lines > 0 {
        let command = format!("kura tx --uncategorised --from {first} --to {last}");
        out.push_str(&format!("{}\n", t!(lang, "cli-report-uncategorised", lines = r.uncategorised_lines, command)));
    }
    if r.transfer_lines > 0 {
        let command = format!("kura tx --transfers --from {first} --to {last}");
        let (lines, moved_in, moved_out) = (r.transfer_lines, yen(r.transfers_in), yen(r.transfers_out));
        out.push_str(&format!("{}\n", t!(lang, "cli-report-transfers", lines, moved_in, moved_out, command)));
    }
    out
}

/// A budget and its pace: `¥50,000（残り ¥12,000・1日あたり ¥800）`.
fn budget_text(budget: Option<BudgetPace>, lang: Language) -> String {
    let Some(b) = budget else { return String::new() };
    let pace = match (b.left, b.per_day) {
        (left, Some(per_day)) => t!(lang, "cli-report-pace", left = yen(left), per_day = yen(per_day)),
        (left, None) if left >= 0 => t!(lang, "cli-report-left", left = yen(left)),
        (left, None) => t!(lang, "cli-report-over", over = yen(-left)),
    };
    t!(lang, "cli-report-budget", monthly = yen(b.monthly), pace)
}

/// A year of months: spending, income and net each, and a bar of the spending.
fn year_text(year: u16, months: &[books::MonthSummary], lang: Language) -> String {
    let headers = ["cli-col-month", "cli-col-spending", "cli-col-income", "cli-col-net"].map(|id| heading(lang, id));
    let most = months.iter().map(|m| m.spending).max().unwrap_or(0).max(1);
    let mut rows: Vec<Vec<String>> = months
        .iter()
        .map(|m| {
            let bar = "█".repeat(((m.spending.max(0) * BAR + most / 2) / most) as usize);
            vec![m.month.clone(), yen(m.spending), yen(m.income), signed_yen(m.income - m.spending), bar]
        })
        .collect();
    let (spending, income): (i64, i64) =
        (months.iter().map(|m| m.spending).sum(), months.iter().map(|m| m.income).sum());
    rows.push(vec![
        heading(lang, "cli-report-total"),
        yen(spending),
        yen(income),
        signed_yen(income - spending),
        String::new(),
    ]);
    let mut headers = headers.to_vec();
    headers.push(String::new());
    format!("{}\n{}", t!(lang, "cli-report-year-title", year), table(&headers, &rows, &[1, 2, 3]))
}
