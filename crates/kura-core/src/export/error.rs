use chrono::NaiveDate;

use crate::i18n::{Explain, Explanation, Language};
use crate::{explain, t};

/// Why an export failed. Nothing is written to the destination file when it does (see
/// [`super::write_atomically`]).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum ExportError {
    Io(#[from] std::io::Error),
    Unmappable {
        row: u64,
        date: NaiveDate,
        account: String,
        field: &'static str,
        ch: char,
    },
    BadReplacement(char),
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    AmountTooLarge {
        row: u64,
        date: NaiveDate,
        account: String,
        amount: i64,
    },
    SheetFull {
        sheet: String,
    },
    /// `why` names the rule broken, as the catalog's `export-name-rule` knows them.
    InvalidAccountName {
        name: String,
        tool: &'static str,
        why: &'static str,
    },
    /// A category's journal account (the person's choice, or the one made from its names) that
    /// the target tool cannot read.
    CategoryAccountName {
        /// The category as `大項目:中項目`.
        category: String,
        name: String,
        tool: &'static str,
        why: &'static str,
    },
    OutOfOrder {
        account: String,
        date: NaiveDate,
    },
    UnknownAccount(String),
    Store(#[from] rusqlite::Error),
    /// The categories could not be read.
    Books(#[from] crate::store::StoreError),
    Json(#[from] serde_json::Error),
}

impl ExportError {
    /// Whether the choices cannot be written as they are (a character, an amount, a name, an
    /// account): the person changes the choice, not the destination.
    pub fn is_unwritable_choice(&self) -> bool {
        matches!(
            self,
            ExportError::Unmappable { .. }
                | ExportError::BadReplacement(_)
                | ExportError::AmountTooLarge { .. }
                | ExportError::SheetFull { .. }
                | ExportError::InvalidAccountName { .. }
                | ExportError::CategoryAccountName { .. }
                | ExportError::UnknownAccount(_)
        )
    }
}

impl Explain for ExportError {
    fn explain(&self, lang: Language) -> Explanation {
        use ExportError as E;
        match self {
            E::Io(e) => explain!(lang, "export-io", reason = e.to_string()),
            E::Unmappable { row, date, account, field, ch } => explain!(
                lang,
                "export-unmappable",
                row = row.to_string(),
                date = date.to_string(),
                account = account.as_str(),
                field = t!(lang, "export-field", field = *field),
                ch = format!("{ch:?}"),
                code = format!("U+{:04X}", *ch as u32),
            ),
            E::BadReplacement(ch) => explain!(lang, "export-bad-replacement", ch = format!("{ch:?}")),
            E::Xlsx(e) => explain!(lang, "export-xlsx").detail(e.to_string()),
            E::AmountTooLarge { row, date, account, amount } => explain!(
                lang,
                "export-amount-too-large",
                row = row.to_string(),
                date = date.to_string(),
                account = account.as_str(),
                amount = amount.to_string(),
            ),
            E::SheetFull { sheet } => explain!(lang, "export-sheet-full", sheet = sheet.as_str()),
            E::InvalidAccountName { name, tool, why } => explain!(
                lang,
                "export-invalid-account-name",
                name = format!("{name:?}"),
                tool = *tool,
                why = t!(lang, "export-name-rule", rule = *why),
            ),
            E::CategoryAccountName { category, name, tool, why } => explain!(
                lang,
                "export-category-account-name",
                category = category.as_str(),
                name = format!("{name:?}"),
                tool = *tool,
                why = t!(lang, "export-name-rule", rule = *why),
            ),
            E::OutOfOrder { account, date } => {
                explain!(lang, "export-out-of-order", account = account.as_str(), date = date.to_string())
            }
            E::UnknownAccount(id) => explain!(lang, "export-unknown-account", id = format!("{id:?}")),
            E::Store(e) => explain!(lang, "export-store").detail(e.to_string()),
            E::Books(e) => explain!(lang, "export-store").detail(e.explain(lang).summary()),
            E::Json(e) => explain!(lang, "export-json").detail(e.to_string()),
        }
    }
}
