//! The household's books (家計簿): categories in two levels (大項目 / 中項目), the rules that file
//! bank lines into them as they arrive, transfers between the household's own accounts, and
//! budgets. The store keeps them (store/books.rs); this module holds what they are and the pure
//! logic: validating and compiling rules, choosing the rule that wins, pairing transfers.

mod error;
pub mod journal;
mod matcher;
pub mod report;
mod rule;
mod rules_file;
pub mod starter;
mod transfers;

pub use error::BooksError;
pub use matcher::{Decision, LineFacts, Matcher};
pub use rule::{MatchKind, Rule, RuleSpec};
pub use rules_file::{RuleEntry, RulesFile};
pub use transfers::{PairCandidate, Pairer, TRANSFER_WINDOW_DAYS, pair_transfers};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::Language;
use crate::model::CategoryId;

/// Whether a category counts money spent or money received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "CategoryKind")]
pub enum Kind {
    Expense,
    Income,
}

crate::model::sql_text_enum!(Kind { Expense => "expense", Income => "income" });

/// One category as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "CategoryItem")]
pub struct Category {
    #[ts(type = "number")]
    pub id: CategoryId,
    /// The 大項目 of a 中項目; `None` for a 大項目.
    #[ts(type = "number | null")]
    pub parent_id: Option<CategoryId>,
    pub kind: Kind,
    /// The starter set's key (`food.dining`), `None` for the person's own categories.
    pub builtin: Option<String>,
    /// The Japanese name (or the only name the person gave).
    pub name: String,
    /// The English name, when there is one.
    pub name_en: Option<String>,
    /// Order among siblings.
    pub position: i64,
    /// The journal account the person chose for it, if any.
    pub journal_account: Option<String>,
}

impl Category {
    /// The name shown in `lang`: the English name in English when there is one.
    pub fn name_in(&self, lang: Language) -> &str {
        match (lang, &self.name_en) {
            (Language::En, Some(en)) => en,
            _ => &self.name,
        }
    }
}

/// Who decided how a line is filed: a rule (which re-applying rules may change), Kura's transfer
/// detection, or the person (which nothing automatic ever changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "DecidedBy")]
pub enum DecidedBy {
    Rule,
    Detected,
    Person,
}

crate::model::sql_text_enum!(DecidedBy { Rule => "rule", Detected => "detected", Person => "person" });

/// How a stored line is filed in the books.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineBooks {
    #[ts(type = "number | null")]
    pub category_id: Option<CategoryId>,
    pub category_by: Option<DecidedBy>,
    pub memo: Option<String>,
    pub memo_by: Option<DecidedBy>,
    /// Money moving between the household's own accounts: left out of spending and income.
    pub transfer: bool,
    pub transfer_by: Option<DecidedBy>,
    /// The other side of a recognised transfer (a line id).
    pub transfer_pair: Option<i64>,
}

/// Every category in display order: each 大項目 (expense ones first, then income) followed by
/// its 中項目s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryTree {
    pub categories: Vec<Category>,
}

impl CategoryTree {
    pub fn get(&self, id: CategoryId) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The 大項目 of `id` (itself for a 大項目).
    pub fn top_of(&self, id: CategoryId) -> Option<&Category> {
        let c = self.get(id)?;
        match c.parent_id {
            Some(parent) => self.get(parent),
            None => Some(c),
        }
    }

    /// `id` and its 中項目s.
    pub fn with_children(&self, id: CategoryId) -> Vec<CategoryId> {
        self.categories.iter().filter(|c| c.id == id || c.parent_id == Some(id)).map(|c| c.id).collect()
    }

    pub fn children(&self, id: CategoryId) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(move |c| c.parent_id == Some(id))
    }

    pub fn tops(&self) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(|c| c.parent_id.is_none())
    }

    /// `大項目` or `大項目:中項目` in `lang`, as the CLI and exports write a category.
    pub fn path(&self, id: CategoryId, lang: Language) -> Option<String> {
        let c = self.get(id)?;
        Some(match c.parent_id.and_then(|p| self.get(p)) {
            Some(parent) => format!("{}:{}", parent.name_in(lang), c.name_in(lang)),
            None => c.name_in(lang).to_owned(),
        })
    }

    /// The category a person names: `食費`, `外食`, `食費:外食` or `食費/外食`, in either language,
    /// ignoring width and kana differences. A 中項目 name shared by two 大項目s needs its path.
    pub fn find(&self, name: &str) -> Result<CategoryId, BooksError> {
        let key = |s: &str| crate::text::fold(s);
        let wanted = name.trim();
        let (parent, child) = match wanted.split_once([':', '/', '：', '／']) {
            Some((p, c)) => (Some(key(p)), key(c)),
            None => (None, key(wanted)),
        };
        let names = |c: &Category| {
            let mut v = vec![key(&c.name)];
            v.extend(c.name_en.as_deref().map(key));
            v
        };
        let matches: Vec<&Category> = self
            .categories
            .iter()
            .filter(|c| names(c).contains(&child))
            .filter(|c| match (&parent, c.parent_id.and_then(|p| self.get(p))) {
                (None, _) => true,
                (Some(p), Some(top)) => names(top).contains(p),
                (Some(_), None) => false,
            })
            .collect();
        match matches.as_slice() {
            [one] => Ok(one.id),
            [] => Err(BooksError::UnknownCategoryName(wanted.to_owned())),
            // A 大項目 and a 中項目 of the same name: the 大項目 is meant.
            many => match many.iter().filter(|c| c.parent_id.is_none()).collect::<Vec<_>>().as_slice() {
                [top] => Ok(top.id),
                _ => Err(BooksError::AmbiguousCategoryName {
                    name: wanted.to_owned(),
                    paths: many.iter().filter_map(|c| self.path(c.id, Language::Ja)).collect(),
                }),
            },
        }
    }
}
