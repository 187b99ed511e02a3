//! Plain-text accounting journals: ledger, hledger and beancount.
//!
//! Each bank account becomes an asset account, by default `Assets:Shinkumi:B<bank code>:<Type>-
//! <branch>-<number>` (e.g. `Assets:Shinkumi:B2011:Futsu-001-1234567`): ASCII, so that ledger,
//! hledger and every beancount version accept it (beancount 2 rejects components that do not start
//! with a capital letter or digit). Users can name each account themselves; Japanese names work in
//! all three tools. Every row posts against a counter account (`Expenses:Unknown` /
//! `Income:Unknown` by default), and each account opens with its balance before the first exported
//! row (against `Equity:Opening-Balances`), so the journal's balances equal the bank's.
//!
//! Kura's balance snapshots become assertions: in ledger/hledger a zero posting with `= ¥N` after
//! the day's rows, in beancount a `balance` directive dated the next day (beancount checks balances
//! at the start of their date). A snapshot that disagrees with the rows (a row arrived after it was
//! taken, or is missing) is written as a comment saying so, keeping the journal valid.

use std::io::Write;

use chrono::{Days, NaiveDate};

use super::ExportError;
use super::driver::Sink;
use super::model::{AccountTotals, BalanceSnapshot, ExportAccount, ExportOptions, ExportRow, Format, Lang};

pub(super) struct JournalSink<W: Write> {
    out: W,
    beancount: bool,
    lang: Lang,
    options: ExportOptions,
    assertions: bool,
    /// State of the account being written.
    current: Option<Current>,
    /// Earliest date any posting uses (beancount opens the counter accounts then).
    earliest: Option<NaiveDate>,
}

struct Current {
    name: String,
    /// Balance after the rows written so far; `None` when the bank stated no balance to open with.
    running: Option<i64>,
    /// Date of the opening balance; snapshots before it lie outside the export.
    opened: Option<NaiveDate>,
    /// The account's snapshots not yet written, oldest first.
    snapshots: std::vec::IntoIter<BalanceSnapshot>,
    pending: Option<BalanceSnapshot>,
}

/// Romanised account type, for ASCII account names.
fn type_name(code: &str) -> String {
    match code {
        "01" => "Futsu".into(),
        "02" => "Toza".into(),
        "04" => "Chochiku".into(),
        "11" => "Teiki".into(),
        other => format!("Type{}", ascii_component(other)),
    }
}

fn ascii_component(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

/// The journal account of a bank account when the user has not named it.
pub(crate) fn default_account_name(account: &ExportAccount) -> String {
    format!(
        "Assets:Shinkumi:B{}:{}-{}-{}",
        ascii_component(&account.identity.bank_code),
        type_name(&account.identity.account_type_code),
        ascii_component(&account.identity.branch_code),
        ascii_component(&account.identity.account_number)
    )
}

/// Checks a user-given account name against what the target tool parses.
fn validate(name: &str, beancount: bool) -> Result<(), ExportError> {
    let tool = if beancount { "beancount" } else { "ledger/hledger" };
    let invalid = |why| Err(ExportError::InvalidAccountName { name: name.into(), tool, why });
    if name.split(':').any(str::is_empty) {
        return invalid("empty-component");
    }
    if name.chars().any(|c| c.is_control() || c == ';') || name.contains("  ") {
        return invalid("bad-characters");
    }
    if beancount {
        let mut components = name.split(':');
        let root = components.next().unwrap_or_default();
        if !["Assets", "Liabilities", "Equity", "Income", "Expenses"].contains(&root) {
            return invalid("beancount-root");
        }
        for component in components {
            let first = component.chars().next().unwrap_or_default();
            if !(first.is_ascii_uppercase() || first.is_ascii_digit() || !first.is_ascii()) {
                return invalid("beancount-start");
            }
            if component.chars().any(|c| c.is_ascii() && !(c.is_ascii_alphanumeric() || c == '-')) {
                return invalid("beancount-chars");
            }
        }
    }
    Ok(())
}

/// A description on one line that the journal's parser reads back intact: line breaks become
/// spaces; `;` (a comment in ledger/hledger) becomes the full-width `；`; beancount strings escape
/// `\` and `"`.
fn description(s: &str, beancount: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_control() => out.push(' '),
            ';' if !beancount => out.push('；'),
            '"' | '\\' if beancount => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

impl<W: Write> JournalSink<W> {
    pub(super) fn new(mut out: W, options: &ExportOptions) -> Result<Self, ExportError> {
        let beancount = options.format == Format::Beancount;
        let names = &options.journal;
        for name in [&names.expense, &names.income, &names.opening].into_iter().chain(names.overrides.values()) {
            validate(name, beancount)?;
        }
        if beancount {
            writeln!(out, "option \"title\" \"Kura\"\noption \"operating_currency\" \"JPY\"\n")?;
        } else {
            writeln!(out, "; Exported by Kura. Amounts are yen (¥), no decimals.\n")?;
        }
        Ok(JournalSink {
            out,
            beancount,
            lang: options.lang,
            assertions: options.assertions,
            options: options.clone(),
            current: None,
            earliest: None,
        })
    }

    fn amount(&self, yen: i64) -> String {
        if self.beancount { format!("{yen} JPY") } else { format!("¥{yen}") }
    }

    fn transaction(
        &mut self,
        date: NaiveDate,
        code: Option<&str>,
        text: &str,
        postings: [(&str, Option<i64>); 2],
    ) -> Result<(), ExportError> {
        self.earliest = Some(self.earliest.map_or(date, |e| e.min(date)));
        if self.beancount {
            writeln!(self.out, "{date} * \"{}\"", description(text, true))?;
            if let Some(code) = code {
                writeln!(self.out, "  kura-id: \"{}\"", description(code, true))?;
            }
        } else {
            let code = code.map(|c| format!("({}) ", c.replace([')', '\n', '\r'], "_"))).unwrap_or_default();
            writeln!(self.out, "{date} * {code}{}", description(text, false))?;
        }
        for (account, amount) in postings {
            match amount {
                Some(yen) => writeln!(self.out, "    {account}    {}", self.amount(yen))?,
                None => writeln!(self.out, "    {account}")?,
            }
        }
        writeln!(self.out)?;
        Ok(())
    }

    /// Writes the snapshots dated before `until` (all when `None`), keeping only the last of each day.
    fn flush_snapshots(&mut self, until: Option<NaiveDate>) -> Result<(), ExportError> {
        let Some(current) = self.current.as_mut() else { return Ok(()) };
        let mut due = Vec::new();
        loop {
            let next = current.pending.take().or_else(|| current.snapshots.next());
            let Some(snapshot) = next else { break };
            if until.is_some_and(|u| snapshot.date >= u) {
                current.pending = Some(snapshot);
                break;
            }
            if due.last().is_some_and(|last: &BalanceSnapshot| last.date == snapshot.date) {
                due.pop();
            }
            due.push(snapshot);
        }
        let (name, running, opened) = (current.name.clone(), current.running, current.opened);
        for snapshot in due {
            let (Some(running), Some(opened)) = (running, opened) else { continue };
            if snapshot.date < opened || !self.assertions {
                continue;
            }
            let as_of = snapshot.as_of.with_timezone(&crate::format::jst());
            if running != snapshot.balance {
                writeln!(
                    self.out,
                    "; Kura snapshot {} said {} for {name}, but the exported rows sum to {}: a row is missing or arrived later\n",
                    as_of.format("%Y-%m-%d %H:%M JST"),
                    self.amount(snapshot.balance),
                    self.amount(running)
                )?;
            } else if self.beancount {
                let next_day = snapshot.date.checked_add_days(Days::new(1)).unwrap_or(snapshot.date);
                writeln!(self.out, "{next_day} balance {name}  {}\n", self.amount(snapshot.balance))?;
            } else {
                let text = match self.lang {
                    Lang::Ja => format!("残高確認 {}", as_of.format("%Y-%m-%d %H:%M")),
                    Lang::En => format!("Balance check {}", as_of.format("%Y-%m-%d %H:%M JST")),
                };
                writeln!(
                    self.out,
                    "{} * {text}\n    {name}    {} = {}\n",
                    snapshot.date,
                    self.amount(0),
                    self.amount(snapshot.balance)
                )?;
            }
        }
        Ok(())
    }
}

impl<W: Write> Sink for JournalSink<W> {
    fn account_start(&mut self, account: &ExportAccount) -> Result<(), ExportError> {
        let name = match self.options.journal.overrides.get(&account.id) {
            Some(name) => name.clone(),
            None => default_account_name(account),
        };
        writeln!(
            self.out,
            "; {} {} {} {} {} ({})\n",
            account.bank_name,
            account.identity.branch_name,
            account.identity.account_type_name,
            account.identity.account_number,
            name,
            account.id
        )?;
        self.current = Some(Current {
            name,
            running: None,
            opened: None,
            snapshots: account.snapshots.clone().into_iter(),
            pending: None,
        });
        Ok(())
    }

    fn row(&mut self, _: &ExportAccount, _: u64, row: &ExportRow) -> Result<(), ExportError> {
        self.flush_snapshots(Some(row.transaction_date))?;
        let current = self.current.as_mut().expect("rows come inside an account");
        let name = current.name.clone();
        if current.opened.is_none() {
            current.opened = Some(row.transaction_date);
            if self.beancount {
                writeln!(self.out, "{} open {name} JPY\n", row.transaction_date)?;
            }
            if let Some(balance) = row.balance {
                let opening = balance - row.amount;
                current.running = Some(opening);
                let text = match self.lang {
                    Lang::Ja => "開始残高",
                    Lang::En => "Opening balance",
                };
                let equity = self.options.journal.opening.clone();
                self.transaction(row.transaction_date, None, text, [(&name, Some(opening)), (&equity, None)])?;
            }
        }
        let current = self.current.as_mut().expect("rows come inside an account");
        current.running = current.running.map(|r| r + row.amount);
        let counter =
            if row.amount >= 0 { self.options.journal.income.clone() } else { self.options.journal.expense.clone() };
        self.transaction(
            row.transaction_date,
            Some(&row.uid),
            &row.remarks,
            [(&name, Some(row.amount)), (&counter, None)],
        )
    }

    fn account_end(&mut self, _: &ExportAccount, _: &AccountTotals) -> Result<(), ExportError> {
        self.flush_snapshots(None)?;
        self.current = None;
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        if let (true, Some(earliest)) = (self.beancount, self.earliest) {
            let names = &self.options.journal;
            for name in [&names.opening, &names.income, &names.expense] {
                writeln!(self.out, "{earliest} open {name} JPY")?;
            }
        }
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beancount_names_are_checked_and_defaults_pass() {
        assert!(validate("Assets:Shinkumi:B2011:Futsu-001-1234567", true).is_ok());
        assert!(validate("Assets:Bank:北央信用組合:普通", true).is_ok());
        assert!(validate("Assets:bank", true).is_err());
        assert!(validate("Bank:Futsu", true).is_err());
        assert!(validate("Assets:My Bank", true).is_err());
        assert!(validate("Assets:My Bank", false).is_ok());
        assert!(validate("Assets::X", false).is_err());
        assert!(validate("Assets:X;Y", false).is_err());
    }

    #[test]
    fn descriptions_stay_on_one_line_and_parse_back() {
        assert_eq!(description("a;b\nc", false), "a；b c");
        assert_eq!(description("say \"hi\" \\", true), "say \\\"hi\\\" \\\\");
    }
}
