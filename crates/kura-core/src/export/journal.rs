//! Plain-text accounting journals: ledger, hledger and beancount.
//!
//! Each bank account becomes an asset account, by default `Assets:Shinkumi:B<bank code>:<Type>-
//! <branch>-<number>` (e.g. `Assets:Shinkumi:B2011:Futsu-001-1234567`): ASCII, so that ledger,
//! hledger and every beancount version accept it (beancount 2 rejects components that do not start
//! with a capital letter or digit). Users can name each account themselves; Japanese names work in
//! ledger and hledger. Each account opens with its balance before the first exported row (against
//! `Equity:Opening-Balances`), so the journal's balances equal the bank's.
//!
//! Every row posts against its category's account (`Expenses:食費:外食`, the person's own choice
//! for the category, or in beancount always ASCII: `Expenses:Food:Dining-Out`); an uncategorised
//! row against `Expenses:Unknown` / `Income:Unknown`. A transfer between the household's own
//! accounts is neither: when both of Kura's paired lines are in the export it is one transaction
//! between the two asset accounts, written once, in the block of the account that comes first,
//! on that line's date (the second line posts nothing); any other transfer (its other side
//! outside the export, or never recognised) posts against `Assets:Transfers`, which then holds
//! the money between the two sides. The memo is the transaction's comment (beancount: its
//! narration, with the remarks as payee).
//!
//! Kura's balance snapshots become assertions: in ledger/hledger a zero posting with `= ¥N` after
//! the day's rows, in beancount a `balance` directive dated the next day (beancount checks balances
//! at the start of their date). An assertion is written only where every tool computes the
//! snapshot's balance: ledger checks assertions in file order, hledger and beancount in date
//! order, and a pair written in an earlier account's block on its own date is seen by one and not
//! the other until both of its dates have passed. A snapshot that disagrees (a row arrived after
//! it was taken or is missing, or a transfer's two dates straddle it) is written as a comment
//! saying so, keeping the journal valid.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use chrono::{Days, NaiveDate};

use super::ExportError;
use super::driver::Sink;
use super::model::{
    AccountTotals, BalanceSnapshot, ExportAccount, ExportBooks, ExportOptions, ExportRow, Format, Lang,
};
use crate::books::journal::{account_of, is_beancount_account};
use crate::model::CategoryId;

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

/// The rule of the target tool that `name` breaks, as the catalog's `export-name-rule` knows them.
fn rule_broken(name: &str, beancount: bool) -> Option<&'static str> {
    if name.split(':').any(str::is_empty) {
        return Some("empty-component");
    }
    if name.chars().any(|c| c.is_control() || c == ';') || name.contains("  ") {
        return Some("bad-characters");
    }
    if beancount {
        let mut components = name.split(':');
        let root = components.next().unwrap_or_default();
        if !["Assets", "Liabilities", "Equity", "Income", "Expenses"].contains(&root) {
            return Some("beancount-root");
        }
        for component in components {
            let first = component.chars().next().unwrap_or_default();
            if !(first.is_ascii_uppercase() || first.is_ascii_digit() || !first.is_ascii()) {
                return Some("beancount-start");
            }
            if component.chars().any(|c| c.is_ascii() && !(c.is_ascii_alphanumeric() || c == '-')) {
                return Some("beancount-chars");
            }
        }
    }
    None
}

/// Checks a user-given account name against what the target tool parses.
fn validate(name: &str, beancount: bool) -> Result<(), ExportError> {
    let tool = if beancount { "beancount" } else { "ledger/hledger" };
    match rule_broken(name, beancount) {
        Some(why) => Err(ExportError::InvalidAccountName { name: name.into(), tool, why }),
        None => Ok(()),
    }
}

/// A category's journal account that the tool cannot read: its path and name, and the rule.
#[derive(Debug, Clone)]
struct BadCategoryAccount {
    category: String,
    name: String,
    why: &'static str,
}

/// Each category's journal account in the target tool, or why it cannot be one (reported only
/// when a row posts to it).
fn category_accounts(
    books: &ExportBooks,
    lang: Lang,
    beancount: bool,
) -> HashMap<CategoryId, Result<String, BadCategoryAccount>> {
    let tree = &books.categories;
    tree.categories
        .iter()
        .filter_map(|c| {
            let name = account_of(tree, c.id, lang, beancount)?;
            // Beancount's names are ASCII here whatever the person chose (beancount 2 reads no
            // other, and one file should load everywhere).
            let why = match beancount && !is_beancount_account(&name) {
                true => Some("beancount-ascii"),
                false => rule_broken(&name, beancount),
            };
            let account = match why {
                None => Ok(name),
                Some(why) => Err(BadCategoryAccount {
                    category: tree.path(c.id, lang).unwrap_or_else(|| c.name.clone()),
                    name,
                    why,
                }),
            };
            Some((c.id, account))
        })
        .collect()
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

pub(super) struct JournalSink<W: Write> {
    out: W,
    beancount: bool,
    lang: Lang,
    options: ExportOptions,
    assertions: bool,
    /// Each exported account's journal account and its place in the export's order, by Kura's
    /// account id.
    assets: HashMap<String, (usize, String)>,
    categories: HashMap<CategoryId, Result<String, BadCategoryAccount>>,
    /// Postings already written to accounts whose block comes later (the second sides of pairs),
    /// by Kura's account id: their dates and amounts.
    ahead: HashMap<String, Vec<(NaiveDate, i64)>>,
    /// The first date each journal account is posted to: beancount opens them then.
    first_use: BTreeMap<String, NaiveDate>,
    /// State of the account being written.
    current: Option<Current>,
}

struct Current {
    id: String,
    name: String,
    /// The bank's balance after the rows so far; `None` when the bank stated no balance to open with.
    bank: Option<i64>,
    /// What this account's own block has posted to it so far (the opening balance included).
    posted: i64,
    /// What earlier blocks posted to it (pairs with accounts that come first), by date.
    earlier: Vec<(NaiveDate, i64)>,
    /// Date of the opening balance; snapshots before it lie outside the export.
    opened: Option<NaiveDate>,
    /// The account's snapshots not yet written, oldest first.
    snapshots: std::vec::IntoIter<BalanceSnapshot>,
    pending: Option<BalanceSnapshot>,
}

impl Current {
    /// The account's balance as of the end of `date` in a tool that reads the file in order
    /// (ledger), and in one that sorts it by date (hledger, beancount).
    fn journal_balances(&self, date: NaiveDate) -> (i64, i64) {
        let in_order = self.posted + self.earlier.iter().map(|(_, a)| a).sum::<i64>();
        let by_date = self.posted + self.earlier.iter().filter(|(d, _)| *d <= date).map(|(_, a)| a).sum::<i64>();
        (in_order, by_date)
    }
}

/// One posting: an account and its amount (`None`: the amount that balances the transaction).
type Posting<'a> = (&'a str, Option<i64>);

/// A comment on one line.
fn comment(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_owned()
}

impl<W: Write> JournalSink<W> {
    pub(super) fn new(
        mut out: W,
        options: &ExportOptions,
        accounts: &[ExportAccount],
        books: &ExportBooks,
    ) -> Result<Self, ExportError> {
        let beancount = options.format == Format::Beancount;
        let names = &options.journal;
        for name in [&names.expense, &names.income, &names.opening, &names.transfers]
            .into_iter()
            .chain(names.overrides.values())
        {
            validate(name, beancount)?;
        }
        if beancount {
            writeln!(out, "option \"title\" \"Kura\"\noption \"operating_currency\" \"JPY\"\n")?;
        } else {
            writeln!(out, "; Exported by Kura. Amounts are yen (¥), no decimals.\n")?;
        }
        let assets = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let name = names.overrides.get(&a.id).cloned().unwrap_or_else(|| default_account_name(a));
                (a.id.clone(), (i, name))
            })
            .collect();
        Ok(JournalSink {
            out,
            beancount,
            lang: options.lang,
            assertions: options.assertions,
            options: options.clone(),
            assets,
            categories: category_accounts(books, options.lang, beancount),
            ahead: HashMap::new(),
            first_use: BTreeMap::new(),
            current: None,
        })
    }

    fn amount(&self, yen: i64) -> String {
        if self.beancount { format!("{yen} JPY") } else { format!("¥{yen}") }
    }

    /// Writes a transaction. `note` is its comment (beancount: the narration, `text` becoming the
    /// payee); `meta` are beancount metadata, or further comment lines in ledger/hledger.
    fn transaction(
        &mut self,
        date: NaiveDate,
        code: Option<&str>,
        text: &str,
        note: Option<&str>,
        meta: &[(&str, String)],
        postings: &[Posting<'_>],
    ) -> Result<(), ExportError> {
        for (account, _) in postings {
            let first = self.first_use.entry((*account).to_owned()).or_insert(date);
            *first = (*first).min(date);
        }
        if self.beancount {
            match note.map(comment).filter(|n| !n.is_empty()) {
                Some(note) => {
                    writeln!(self.out, "{date} * \"{}\" \"{}\"", description(text, true), description(&note, true))?
                }
                None => writeln!(self.out, "{date} * \"{}\"", description(text, true))?,
            }
            if let Some(code) = code {
                writeln!(self.out, "  kura-id: \"{}\"", description(code, true))?;
            }
            for (key, value) in meta {
                writeln!(self.out, "  {key}: \"{}\"", description(value, true))?;
            }
        } else {
            let code = code.map(|c| format!("({}) ", c.replace([')', '\n', '\r'], "_"))).unwrap_or_default();
            writeln!(self.out, "{date} * {code}{}", description(text, false))?;
            for line in note.into_iter().chain(meta.iter().map(|(_, v)| v.as_str())) {
                let line = comment(line);
                if !line.is_empty() {
                    writeln!(self.out, "    ; {line}")?;
                }
            }
        }
        for (account, amount) in postings {
            match amount {
                Some(yen) => writeln!(self.out, "    {account}    {}", self.amount(*yen))?,
                None => writeln!(self.out, "    {account}")?,
            }
        }
        writeln!(self.out)?;
        Ok(())
    }

    /// The account a row that is not a transfer posts against: its category's, else the default
    /// for money in or out.
    fn counter_account(&self, row: &ExportRow) -> Result<String, ExportError> {
        let tool = if self.beancount { "beancount" } else { "ledger/hledger" };
        match row.books.category_id.and_then(|c| self.categories.get(&c)) {
            Some(Ok(name)) => Ok(name.clone()),
            Some(Err(bad)) => Err(ExportError::CategoryAccountName {
                category: bad.category.clone(),
                name: bad.name.clone(),
                tool,
                why: bad.why,
            }),
            None if row.amount >= 0 => Ok(self.options.journal.income.clone()),
            None => Ok(self.options.journal.expense.clone()),
        }
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
        let Some(current) = self.current.as_ref() else { return Ok(()) };
        let (name, bank, opened) = (current.name.clone(), current.bank, current.opened);
        let journal: Vec<(i64, i64)> = due.iter().map(|s| current.journal_balances(s.date)).collect();
        for (snapshot, (in_order, by_date)) in due.into_iter().zip(journal) {
            let (Some(bank), Some(opened)) = (bank, opened) else { continue };
            if snapshot.date < opened || !self.assertions {
                continue;
            }
            let as_of = snapshot.as_of.with_timezone(&crate::format::jst());
            let said = format!(
                "; Kura snapshot {} said {} for {name}",
                as_of.format("%Y-%m-%d %H:%M JST"),
                self.amount(snapshot.balance)
            );
            if bank != snapshot.balance {
                writeln!(
                    self.out,
                    "{said}, but the exported rows sum to {}: a row is missing or arrived later\n",
                    self.amount(bank)
                )?;
            } else if in_order != snapshot.balance || by_date != snapshot.balance {
                writeln!(
                    self.out,
                    "{said}: not asserted, as a transfer with another account is written on that account's \
                     date, which falls on the other side of this one\n"
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
        let name = match self.assets.get(&account.id) {
            Some((_, name)) => name.clone(),
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
        let mut earlier = self.ahead.remove(&account.id).unwrap_or_default();
        earlier.sort();
        self.current = Some(Current {
            id: account.id.clone(),
            name,
            bank: None,
            posted: 0,
            earlier,
            opened: None,
            snapshots: account.snapshots.clone().into_iter(),
            pending: None,
        });
        Ok(())
    }

    fn row(&mut self, _: &ExportAccount, _: u64, row: &ExportRow) -> Result<(), ExportError> {
        self.flush_snapshots(Some(row.transaction_date))?;
        let current = self.current.as_mut().expect("rows come inside an account");
        let (id, name) = (current.id.clone(), current.name.clone());
        if current.opened.is_none() {
            current.opened = Some(row.transaction_date);
            if let Some(balance) = row.balance {
                let opening = balance - row.amount;
                current.bank = Some(opening);
                current.posted = opening;
                let text = match self.lang {
                    Lang::Ja => "開始残高",
                    Lang::En => "Opening balance",
                };
                let equity = self.options.journal.opening.clone();
                self.transaction(
                    row.transaction_date,
                    None,
                    text,
                    None,
                    &[],
                    &[(&name, Some(opening)), (&equity, None)],
                )?;
            }
        }
        let current = self.current.as_mut().expect("rows come inside an account");
        current.bank = current.bank.map(|b| b + row.amount);
        // What the row posts against (`None`: the amount that balances), and the metadata naming
        // a pair's other line.
        let (counter, counter_amount, meta) = if row.books.transfer {
            let here = self.assets.get(&id).map(|(i, _)| *i);
            let pair = row.books.exported_pair().and_then(|p| Some((p, self.assets.get(&p.account_id)?.clone())));
            match pair {
                // The second side: written with the first, in the block of its account.
                Some((_, (there, _))) if Some(there) < here => return Ok(()),
                Some((pair, (_, other))) => {
                    self.ahead.entry(pair.account_id.clone()).or_default().push((row.transaction_date, pair.amount));
                    let meta = match (self.beancount, self.lang) {
                        (true, _) => ("kura-pair", format!("{} {}", pair.account_id, pair.uid)),
                        (false, Lang::Ja) => ("", format!("振替: {} {} ({})", pair.account_id, pair.date, pair.uid)),
                        (false, Lang::En) => {
                            ("", format!("Transfer with {} on {} ({})", pair.account_id, pair.date, pair.uid))
                        }
                    };
                    (other, Some(pair.amount), vec![meta])
                }
                None => (self.options.journal.transfers.clone(), None, Vec::new()),
            }
        } else {
            (self.counter_account(row)?, None, Vec::new())
        };
        self.current.as_mut().expect("rows come inside an account").posted += row.amount;
        self.transaction(
            row.transaction_date,
            Some(&row.uid),
            &row.remarks,
            row.books.memo.as_deref(),
            &meta,
            &[(&name, Some(row.amount)), (&counter, counter_amount)],
        )
    }

    fn account_end(&mut self, _: &ExportAccount, _: &AccountTotals) -> Result<(), ExportError> {
        self.flush_snapshots(None)?;
        self.current = None;
        Ok(())
    }

    fn finish(mut self) -> Result<(), ExportError> {
        if self.beancount && !self.first_use.is_empty() {
            writeln!(self.out, "; Each account opens on the day it is first posted to.")?;
            for (name, date) in &self.first_use {
                writeln!(self.out, "{date} open {name} JPY")?;
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

    fn journal(format: Format) -> String {
        let mut out = Vec::new();
        super::super::export(super::super::testdata::input(), &ExportOptions::new(format), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lines_post_to_their_categories_and_a_pair_is_one_transaction_between_the_assets() {
        let (a, b) = ("Assets:Shinkumi:B2011:Futsu-001-1111111", "Assets:Shinkumi:B2011:Futsu-001-2222222");
        let text = journal(Format::Hledger);
        let dining = format!("(a1) ｶ-ﾄﾞ ﾎｸﾃﾞﾝ\n    ; =昼, 同僚と\n    {a}    ¥-1200\n    Expenses:食費:外食\n");
        assert!(text.contains(&dining), "{text}");
        assert!(text.contains(&format!("    {a}    ¥-30000\n    {b}    ¥30000\n")), "{text}");
        assert!(!text.contains("* (b1)"), "the pair's second side is written with the first: {text}");
        assert!(text.contains(&format!("(a3) ﾌﾘｶｴ\n    {a}    ¥-5000\n    Assets:Transfers\n")), "{text}");
        assert!(text.contains(&format!("(b2) ｷﾕｳﾖ\n    {b}    ¥250000\n    Income:給与\n")), "{text}");
        assert!(text.contains(&format!("(b3) ATM\n    {b}    ¥700\n    Assets:Transfers\n")), "{text}");

        let text = journal(Format::Beancount);
        assert!(text.contains("    Expenses:Food:Dining-Out\n"), "{text}");
        assert!(text.contains("    Income:Salary\n"), "{text}");
        assert_eq!(text.matches("kura-id: \"b1\"").count(), 0, "{text}");
        assert_eq!(text.matches("kura-pair: ").count(), 1, "{text}");
        for account in [a, b, "Expenses:Food:Dining-Out", "Income:Salary", "Assets:Transfers"] {
            assert_eq!(text.matches(&format!(" open {account} JPY")).count(), 1, "{account}: {text}");
        }
    }

    #[test]
    fn a_category_account_the_tool_cannot_read_is_refused_with_its_category() {
        let mut input = super::super::testdata::input();
        let dining = input.books.categories.categories.iter_mut().find(|c| c.id == CategoryId(2)).unwrap();
        dining.journal_account = Some("Expenses:外食".into());
        let err = super::super::export(input, &ExportOptions::new(Format::Beancount), Vec::new()).unwrap_err();
        match err {
            ExportError::CategoryAccountName { category, why, .. } => {
                assert_eq!((category.as_str(), why), ("食費:外食", "beancount-ascii"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn descriptions_stay_on_one_line_and_parse_back() {
        assert_eq!(description("a;b\nc", false), "a；b c");
        assert_eq!(description("say \"hi\" \\", true), "say \\\"hi\\\" \\\\");
    }
}
