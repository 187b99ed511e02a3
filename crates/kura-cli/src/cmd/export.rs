//! `kura export`: cached history to a file for household bookkeeping.

use std::collections::BTreeMap;
use std::io::{ErrorKind, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{NaiveDate, Utc};
use clap::ValueEnum;
use clap::builder::PossibleValue;
use kura_core::export::monthly::{export_month, month_file, previous_month};
use kura_core::export::store::{Direction, ExportFilter, export_from_store};
use kura_core::export::{
    Encoding, ExportError, ExportOptions, Format, Lang, SheetLayout, Unmappable, write_atomically,
};
use kura_core::format::jst_date;
use kura_core::store::Store;

use crate::Global;

/// `--format`: the core's [`Format`] list, named as in the API.
#[derive(Debug, Clone, Copy)]
pub struct FormatArg(Format);

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        const VARIANTS: [FormatArg; Format::ALL.len()] = {
            let mut variants = [FormatArg(Format::Csv); Format::ALL.len()];
            let mut i = 0;
            while i < variants.len() {
                variants[i] = FormatArg(Format::ALL[i]);
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
    /// Output format.
    #[arg(long, short = 'f', value_enum)]
    format: FormatArg,
    /// Account to export (its id, e.g. 2011-001-1-1234567); repeat for several. Default: all
    /// accounts that are not hidden.
    #[arg(long = "account", value_name = "ID")]
    accounts: Vec<String>,
    /// First transaction date (YYYY-MM-DD), inclusive.
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Last transaction date (YYYY-MM-DD), inclusive.
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Only money in.
    #[arg(long = "in", conflicts_with = "out_only")]
    in_only: bool,
    /// Only money out.
    #[arg(long = "out")]
    out_only: bool,
    /// CSV text encoding.
    #[arg(long, value_enum, default_value = "utf8")]
    encoding: EncodingArg,
    /// Language of headers and fixed texts.
    #[arg(long, value_enum, default_value = "ja")]
    lang: LangArg,
    /// In CP932, write this character for one CP932 cannot hold (default 〓) instead of failing.
    #[arg(long, value_name = "CHAR", num_args = 0..=1, default_missing_value = "〓")]
    replace_unmappable: Option<char>,
    /// XLSX: one sheet per account, or all on one sheet.
    #[arg(long, value_enum, default_value = "per-account")]
    sheets: SheetsArg,
    /// Journals: the account name for a Kura account, as ID=NAME (repeatable), e.g.
    /// 2011-001-1-1234567=Assets:Bank:北央:普通.
    #[arg(long = "journal-account", value_name = "ID=NAME")]
    journal_accounts: Vec<String>,
    /// Journals: counter account of money out.
    #[arg(long, value_name = "NAME")]
    expense_account: Option<String>,
    /// Journals: counter account of money in.
    #[arg(long, value_name = "NAME")]
    income_account: Option<String>,
    /// Journals: counter account of opening balances.
    #[arg(long, value_name = "NAME")]
    opening_account: Option<String>,
    /// Where to write; `-` for standard output. The file appears only once the export succeeded.
    #[arg(long, short = 'o', value_name = "FILE", required_unless_present = "monthly_to")]
    output: Option<PathBuf>,
    /// Replace FILE when it exists already (without this, an existing file is left alone).
    #[arg(long, requires = "output")]
    force: bool,
    /// Monthly export for a scheduled job: write last month (JST) to DIR/kura-YYYY-MM.<ext>, unless
    /// that file exists already.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["output", "from", "to"])]
    monthly_to: Option<PathBuf>,
    /// With --monthly-to: export this month (YYYY-MM) instead of last month.
    #[arg(long, value_name = "YYYY-MM", requires = "monthly_to")]
    month: Option<String>,
}

fn options(args: &Args) -> anyhow::Result<ExportOptions> {
    let mut options = ExportOptions::new(args.format.0);
    options.encoding = match args.encoding {
        EncodingArg::Utf8 => Encoding::Utf8Bom,
        EncodingArg::Cp932 => Encoding::Cp932,
    };
    options.lang = match args.lang {
        LangArg::Ja => Lang::Ja,
        LangArg::En => Lang::En,
    };
    options.unmappable = args.replace_unmappable.map_or(Unmappable::Error, Unmappable::Replace);
    options.sheets = match args.sheets {
        SheetsArg::PerAccount => SheetLayout::PerAccount,
        SheetsArg::Combined => SheetLayout::Combined,
    };
    let mut overrides = BTreeMap::new();
    for pair in &args.journal_accounts {
        let Some((id, name)) = pair.split_once('=') else {
            bail!("--journal-account takes ID=NAME, e.g. 2011-001-1-1234567=Assets:Bank:Futsu; got {pair:?}");
        };
        overrides.insert(id.trim().to_owned(), name.trim().to_owned());
    }
    options.journal.overrides = overrides;
    if let Some(name) = &args.expense_account {
        options.journal.expense = name.clone();
    }
    if let Some(name) = &args.income_account {
        options.journal.income = name.clone();
    }
    if let Some(name) = &args.opening_account {
        options.journal.opening = name.clone();
    }
    // Balances cannot match when only one direction is exported.
    options.assertions = !(args.in_only || args.out_only);
    Ok(options)
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<()> {
    let options = options(&args)?;
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        bail!("--from {from} is after --to {to}");
    }
    let filter = ExportFilter {
        accounts: args.accounts.clone(),
        from: args.from,
        to: args.to,
        direction: match (args.in_only, args.out_only) {
            (true, _) => Direction::In,
            (_, true) => Direction::Out,
            _ => Direction::All,
        },
    };
    let store = Store::open(global.data_dir.as_deref()).context("cannot open Kura's store")?;
    if let Some(dir) = &args.monthly_to {
        let month = match &args.month {
            Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
                .with_context(|| format!("--month takes YYYY-MM, e.g. 2026-10; got {m:?}"))?,
            None => previous_month(jst_date(Utc::now())),
        };
        match export_month(&store, dir, month, &filter, &options)
            .with_context(|| format!("monthly export to {} failed; no file was written", dir.display()))?
        {
            Some((path, summary)) => eprintln!("{} rows exported to {}", summary.rows, path.display()),
            None => eprintln!("{} exists already; nothing to do", month_file(dir, month, &options).display()),
        }
        return Ok(());
    }
    let output = args.output.expect("clap requires -o without --monthly-to");
    let summary = if output.as_os_str() == "-" {
        let stdout = std::io::stdout();
        if options.format == Format::Xlsx && stdout.is_terminal() {
            bail!("an XLSX workbook is binary; write it to a file with -o FILE.xlsx");
        }
        let mut out = std::io::BufWriter::new(stdout);
        let summary = export_from_store(&store, &filter, &options, &mut out)?;
        out.flush()?;
        summary
    } else {
        if !args.force && output.exists() {
            bail!("{} exists already; pass --force to replace it, or choose another file with -o", output.display());
        }
        write_atomically(&output, |out| export_from_store(&store, &filter, &options, out)).map_err(|e| {
            let hint = match &e {
                ExportError::Io(io)
                    if matches!(
                        io.kind(),
                        ErrorKind::NotFound
                            | ErrorKind::PermissionDenied
                            | ErrorKind::NotADirectory
                            | ErrorKind::ReadOnlyFilesystem
                    ) =>
                {
                    "; choose a folder that exists and that you may write to"
                }
                _ => "",
            };
            anyhow::Error::new(e).context(format!("export to {} failed; no file was written{hint}", output.display()))
        })?
    };
    eprintln!(
        "{} rows from {} accounts exported{}",
        summary.rows,
        summary.accounts.len(),
        if output.as_os_str() == "-" { String::new() } else { format!(" to {}", output.display()) }
    );
    Ok(())
}
