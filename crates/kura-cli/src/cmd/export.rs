//! `kura export`: cached history to a file for household bookkeeping.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::ValueEnum;
use clap::builder::PossibleValue;
use kura_core::app::export::{self, ExportFormat, ExportRequest, JournalNames};
use kura_core::app::history::Flow;
use kura_core::app::monthly_export::{self, MonthFile};
use kura_core::app::{AppContext, CommandError, household};
use kura_core::i18n::{Explain, Explanation, Language, join_sentences};
use kura_core::t;

use crate::error::CliError;
use crate::term::Term;

/// `--format`: the core's list of formats, named as in the API.
#[derive(Debug, Clone, Copy)]
pub struct FormatArg(ExportFormat);

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        const VARIANTS: [FormatArg; ExportFormat::ALL.len()] = {
            let mut variants = [FormatArg(ExportFormat::Csv); ExportFormat::ALL.len()];
            let mut i = 0;
            while i < variants.len() {
                variants[i] = FormatArg(ExportFormat::ALL[i]);
                i += 1;
            }
            variants
        };
        &VARIANTS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.name()).help(self.0.description()))
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EncodingArg {
    Utf8,
    Cp932,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Ja,
    En,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SheetsArg {
    PerAccount,
    Combined,
}

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, short = 'f', value_enum)]
    format: FormatArg,
    #[arg(long = "account", value_name = "ID")]
    accounts: Vec<String>,
    #[arg(long, value_name = "MEMBER")]
    member: Option<String>,
    #[arg(long)]
    from: Option<NaiveDate>,
    #[arg(long)]
    to: Option<NaiveDate>,
    #[arg(long = "in", conflicts_with = "out_only")]
    in_only: bool,
    #[arg(long = "out")]
    out_only: bool,
    #[arg(long, value_enum, default_value = "utf8")]
    encoding: EncodingArg,
    #[arg(long, value_enum, default_value = "ja")]
    lang: LangArg,
    #[arg(long, value_name = "CHAR", num_args = 0..=1, default_missing_value = "〓")]
    replace_unmappable: Option<char>,
    #[arg(long, value_enum, default_value = "per-account")]
    sheets: SheetsArg,
    #[arg(long = "journal-account", value_name = "ID=NAME")]
    journal_accounts: Vec<String>,
    #[arg(long, value_name = "NAME")]
    expense_account: Option<String>,
    #[arg(long, value_name = "NAME")]
    income_account: Option<String>,
    #[arg(long, value_name = "NAME")]
    opening_account: Option<String>,
    #[arg(long, value_name = "NAME")]
    transfers_account: Option<String>,
    #[arg(long, short = 'o', value_name = "FILE", required_unless_present = "monthly_to")]
    output: Option<PathBuf>,
    #[arg(long, requires = "output")]
    force: bool,
    #[arg(long, value_name = "DIR", conflicts_with_all = ["output", "from", "to"])]
    monthly_to: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM", requires = "monthly_to")]
    month: Option<String>,
}

impl Args {
    /// The app layer's request for what the flags ask.
    fn request(&self, ctx: &AppContext, lang: Language) -> Result<ExportRequest, CliError> {
        let member_id = self.member.as_deref().map(|m| household::member_by_word(ctx, m)).transpose()?.map(|m| m.id.0);
        let mut journal = JournalNames::default();
        for pair in &self.journal_accounts {
            let Some((id, name)) = pair.split_once('=') else {
                return Err(CliError::said(t!(lang, "cli-export-journal-account", got = format!("{pair:?}"))));
            };
            journal.accounts.insert(id.trim().to_owned(), name.trim().to_owned());
        }
        journal.expense = self.expense_account.clone();
        journal.income = self.income_account.clone();
        journal.opening = self.opening_account.clone();
        journal.transfers = self.transfers_account.clone();
        Ok(ExportRequest {
            shift_jis: matches!(self.encoding, EncodingArg::Cp932),
            replacement: self.replace_unmappable,
            account_ids: Some(self.accounts.clone()),
            member_id,
            from: self.from,
            to: self.to,
            flow: match (self.in_only, self.out_only) {
                (true, _) => Some(Flow::In),
                (_, true) => Some(Flow::Out),
                _ => None,
            },
            english: matches!(self.lang, LangArg::En),
            combined_sheet: Some(matches!(self.sheets, SheetsArg::Combined)),
            journal: Some(journal),
            ..ExportRequest::new(self.format.0)
        })
    }
}

pub async fn run(args: Args, ctx: &AppContext, term: &Term) -> Result<(), CliError> {
    let lang = term.lang;
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        return Err(CliError::said(t!(
            lang,
            "cli-export-dates-reversed",
            from = from.to_string(),
            to = to.to_string()
        )));
    }
    let request = args.request(ctx, lang)?;
    if let Some(dir) = &args.monthly_to {
        let month = match &args.month {
            Some(m) => Some(
                NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
                    .map_err(|_| CliError::said(t!(lang, "cli-export-month", got = format!("{m:?}"))))?,
            ),
            None => None,
        };
        let failed =
            |e: CommandError| failure(lang, e, t!(lang, "cli-export-monthly-failed", dir = dir.display().to_string()));
        match monthly_export::export_month_to(ctx, dir, month, &request).map_err(failed)? {
            MonthFile::Written { path, rows } => {
                eprintln!("{}", t!(lang, "cli-export-month-written", rows, path = path.display().to_string()))
            }
            MonthFile::Exists(path) => {
                eprintln!("{}", t!(lang, "cli-export-month-exists", path = path.display().to_string()))
            }
        }
        return Ok(());
    }
    let output = args.output.clone().expect("clap requires -o without --monthly-to");
    let shown = output.display().to_string();
    let failed = |e: CommandError| failure(lang, e, t!(lang, "cli-export-failed", path = shown.as_str()));
    let (rows, accounts) = if output.as_os_str() == "-" {
        let stdout = std::io::stdout();
        if request.format == ExportFormat::Xlsx && stdout.is_terminal() {
            return Err(CliError::said(t!(lang, "cli-export-xlsx-terminal")));
        }
        let mut out = std::io::BufWriter::new(stdout);
        let summary = export::export_to_writer(ctx, &request, &mut out).map_err(failed)?;
        out.flush().map_err(|e| {
            CliError::Said(Explanation::new(t!(lang, "cli-export-failed", path = "-")).detail(e.to_string()))
        })?;
        (summary.rows, summary.accounts.len())
    } else {
        if !args.force && output.exists() {
            return Err(CliError::said(t!(lang, "cli-export-exists", path = shown.as_str())));
        }
        let request = ExportRequest { destination: Some(shown.clone()), ..request };
        let written = export::export(ctx, request).await.map_err(failed)?;
        (written.rows, written.accounts as usize)
    };
    let done = match output.as_os_str() == "-" {
        true => t!(lang, "cli-export-done", rows, accounts),
        false => t!(lang, "cli-export-done-to", rows, accounts, path = shown.as_str()),
    };
    eprintln!("{done}");
    Ok(())
}

/// An export that failed, said as "export to X failed; no file was written" and the reason, with
/// what the terminal can do about it.
fn failure(lang: Language, e: CommandError, what: String) -> CliError {
    let reason = e.explain(lang);
    if e.unwritable_destination() {
        // The place is the problem: the OS's words (which name a temporary file) on demand.
        let said = Explanation::new(what).todo(t!(lang, "cli-export-choose-folder"));
        return CliError::Said(said.detail(reason.what));
    }
    let todo = match e.unmappable_character() {
        true => Some(t!(lang, "cli-export-unmappable-todo")),
        false => reason.todo,
    };
    CliError::Said(Explanation { what: join_sentences(&what, &reason.what), todo, detail: reason.detail })
}
