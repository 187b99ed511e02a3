use crate::explain;
use crate::format::yen;
use crate::i18n::{Explain, Explanation, Language};
use crate::model::{CategoryId, RuleId};
use crate::store::StoreError;

/// Why a change to the books was refused. Every refusal leaves what is stored untouched.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.explain(Language::En).summary())]
pub enum BooksError {
    #[error(transparent)]
    Store(#[from] StoreError),
    InvalidRegex {
        pattern: String,
        detail: String,
    },
    RuleMatchesEverything,
    RuleDoesNothing,
    AmountsReversed {
        min: i64,
        max: i64,
    },
    NegativeAmount(i64),
    UnknownCategory(CategoryId),
    UnknownRule(RuleId),
    UnknownTransaction(i64),
    UnknownCategoryName(String),
    AmbiguousCategoryName {
        name: String,
        paths: Vec<String>,
    },
    EmptyCategoryName,
    /// `:` and `/` separate a 大項目 from its 中項目 in paths (`食費:外食`).
    CategoryNameSeparator {
        name: String,
    },
    DuplicateCategoryName {
        name: String,
    },
    /// Categories have two levels: a 中項目 cannot hold 中項目s.
    TooDeep {
        name: String,
    },
    /// A 大項目 with 中項目s cannot itself become a 中項目.
    HasChildren {
        name: String,
    },
    /// Deleting a category and sending its lines to itself or one of its 中項目s.
    MoveIntoDeleted {
        name: String,
    },
    BudgetNotSpending {
        name: String,
    },
    BudgetAmount(i64),
    /// A rules file that is not one.
    RulesFile {
        detail: String,
    },
    /// A rules file naming categories this book does not have.
    RulesFileUnknownCategories {
        names: Vec<String>,
    },
    /// A rules file with rules that would be refused one by one.
    RulesFileInvalidRule {
        number: usize,
        source: Box<BooksError>,
    },
    JournalAccountName {
        name: String,
    },
}

impl Explain for BooksError {
    fn explain(&self, lang: Language) -> Explanation {
        use BooksError as E;
        match self {
            E::Store(e) => e.explain(lang),
            E::InvalidRegex { pattern, detail } => {
                explain!(lang, "books-invalid-regex", pattern = pattern.as_str()).detail(detail.clone())
            }
            E::RuleMatchesEverything => explain!(lang, "books-rule-matches-everything"),
            E::RuleDoesNothing => explain!(lang, "books-rule-does-nothing"),
            E::AmountsReversed { min, max } => {
                explain!(lang, "books-amounts-reversed", min = yen(*min), max = yen(*max))
            }
            E::NegativeAmount(n) => explain!(lang, "books-negative-amount", amount = *n),
            E::UnknownCategory(id) => explain!(lang, "books-unknown-category", id = id.0),
            E::UnknownRule(id) => explain!(lang, "books-unknown-rule", id = id.0),
            E::UnknownTransaction(id) => explain!(lang, "books-unknown-transaction", id = *id),
            E::UnknownCategoryName(name) => explain!(lang, "books-unknown-category-name", name = name.as_str()),
            E::AmbiguousCategoryName { name, paths } => {
                explain!(lang, "books-ambiguous-category-name", name = name.as_str(), paths = paths.join(", "))
            }
            E::EmptyCategoryName => explain!(lang, "books-empty-category-name"),
            E::CategoryNameSeparator { name } => explain!(lang, "books-category-name-separator", name = name.as_str()),
            E::DuplicateCategoryName { name } => explain!(lang, "books-duplicate-category-name", name = name.as_str()),
            E::TooDeep { name } => explain!(lang, "books-too-deep", name = name.as_str()),
            E::HasChildren { name } => explain!(lang, "books-has-children", name = name.as_str()),
            E::MoveIntoDeleted { name } => explain!(lang, "books-move-into-deleted", name = name.as_str()),
            E::BudgetNotSpending { name } => explain!(lang, "books-budget-not-spending", name = name.as_str()),
            E::BudgetAmount(n) => explain!(lang, "books-budget-amount", amount = *n),
            E::RulesFile { detail } => explain!(lang, "books-rules-file").detail(detail.clone()),
            E::RulesFileUnknownCategories { names } => {
                explain!(lang, "books-rules-file-unknown-categories", names = names.join(", "))
            }
            E::RulesFileInvalidRule { number, source } => {
                let inner = source.explain(lang);
                let mut e = explain!(lang, "books-rules-file-invalid-rule", number = *number, reason = inner.summary());
                e.detail = inner.detail;
                e
            }
            E::JournalAccountName { name } => explain!(lang, "books-journal-account-name", name = name.as_str()),
        }
    }
}

impl From<rusqlite::Error> for BooksError {
    fn from(e: rusqlite::Error) -> Self {
        BooksError::Store(e.into())
    }
}
