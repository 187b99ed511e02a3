//! A rule as a person writes it: conditions on a line (its remarks, amount, direction, account)
//! and what to do with a line that meets them (file it under a category, give it a memo, mark
//! it as a transfer).

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::BooksError;
use crate::model::{AccountId, CategoryId, RuleId};
use crate::query::Direction;
use crate::text::{fold, fold_pattern};

/// How a rule's pattern meets a line's remarks. Both sides are folded first (text::fold), so
/// ｶｰﾄﾞ, カード, ｶ-ﾄﾞ and かーど are one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MatchKind {
    Contains,
    /// The whole remarks.
    Is,
    StartsWith,
    /// A regular expression (Rust `regex` syntax), case-insensitive.
    Regex,
}

crate::model::sql_text_enum!(MatchKind { Contains => "contains", Is => "is", StartsWith => "starts_with", Regex => "regex" });

/// What a person writes: the conditions and the actions of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleSpec {
    pub match_kind: MatchKind,
    /// As written; folded when compiled.
    pub pattern: String,
    /// Only money in, or only money out.
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Bounds on the amount's magnitude in yen, inclusive.
    #[serde(default)]
    pub min_amount: Option<i64>,
    #[serde(default)]
    pub max_amount: Option<i64>,
    /// Only lines of this account.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub account_id: Option<AccountId>,
    /// File the line under this category.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub category_id: Option<CategoryId>,
    /// Give the line this memo.
    #[serde(default)]
    pub memo: Option<String>,
    /// Mark the line as a transfer (left out of spending and income).
    #[serde(default)]
    pub transfer: bool,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "RuleItem")]
pub struct Rule {
    #[ts(type = "number")]
    pub id: RuleId,
    /// Rules run in this order (0 first).
    pub position: i64,
    /// The starter set's key, `None` for the person's own rules.
    pub builtin: Option<String>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub spec: RuleSpec,
}

/// The folded remarks condition of a rule, ready to run.
#[derive(Debug, Clone)]
pub(super) enum Pattern {
    /// `Contains`, `Is` or `StartsWith` over the folded pattern.
    Literal {
        kind: MatchKind,
        folded: String,
    },
    Regex(Regex),
}

/// Regular expressions stay small: a rule runs on every line of every sync.
pub(super) const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl RuleSpec {
    /// The spec with its text tidied: the pattern trimmed, an empty memo dropped.
    pub fn normalized(mut self) -> RuleSpec {
        self.pattern = self.pattern.trim().to_owned();
        self.memo = self.memo.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty());
        self
    }

    /// Checks everything that can be checked without the store (it checks that the category
    /// and the account exist): the pattern, the amounts, that the rule does something and does
    /// not meet every line.
    pub fn validate(&self) -> Result<(), BooksError> {
        self.compile().map(|_| ())
    }

    /// [`validate`](Self::validate), returning the compiled remarks condition.
    pub(super) fn compile(&self) -> Result<Pattern, BooksError> {
        if let Some(n) = [self.min_amount, self.max_amount].into_iter().flatten().find(|n| *n < 0) {
            return Err(BooksError::NegativeAmount(n));
        }
        if let (Some(min), Some(max)) = (self.min_amount, self.max_amount)
            && min > max
        {
            return Err(BooksError::AmountsReversed { min, max });
        }
        if self.category_id.is_none() && self.memo.is_none() && !self.transfer {
            return Err(BooksError::RuleDoesNothing);
        }
        let pattern = match self.match_kind {
            MatchKind::Regex => Pattern::Regex(compile_regex(&self.pattern)?),
            kind => Pattern::Literal { kind, folded: fold(&self.pattern) },
        };
        let matches_any_text = match &pattern {
            Pattern::Literal { kind: MatchKind::Is, .. } => false,
            Pattern::Literal { folded, .. } => folded.is_empty(),
            Pattern::Regex(re) => re.is_match(""),
        };
        let narrowed = self.account_id.is_some() || self.min_amount.is_some() || self.max_amount.is_some();
        if matches_any_text && !narrowed {
            return Err(BooksError::RuleMatchesEverything);
        }
        Ok(pattern)
    }

    /// How specific the rule is, for placing a new rule: a whole-remarks match over a prefix
    /// over a substring, then a longer pattern, then more conditions. A new rule goes above the
    /// first rule less specific than itself, so `ATMﾃｽｳﾘﾖｳ` lands above `ATM`.
    pub fn specificity(&self) -> (u8, usize, u8) {
        let kind = match self.match_kind {
            MatchKind::Is => 3,
            MatchKind::StartsWith => 2,
            MatchKind::Contains | MatchKind::Regex => 1,
        };
        let length = match self.match_kind {
            MatchKind::Regex => fold_pattern(&self.pattern).chars().count(),
            _ => fold(&self.pattern).chars().count(),
        };
        let conditions = u8::from(self.direction.is_some())
            + u8::from(self.account_id.is_some())
            + u8::from(self.min_amount.is_some() || self.max_amount.is_some());
        (kind, length, conditions)
    }

    /// Whether the amount, direction and account conditions admit a line.
    pub(super) fn admits(&self, amount: i64, account: AccountId) -> bool {
        self.direction.is_none_or(|d| d.allows(amount))
            && self.account_id.is_none_or(|a| a == account)
            && self.min_amount.is_none_or(|min| amount.unsigned_abs() >= min.unsigned_abs())
            && self.max_amount.is_none_or(|max| amount.unsigned_abs() <= max.unsigned_abs())
    }
}

/// Compiles a rule's regular expression for folded remarks.
pub(super) fn compile_regex(pattern: &str) -> Result<Regex, BooksError> {
    let build = |p: &str| RegexBuilder::new(p).case_insensitive(true).size_limit(REGEX_SIZE_LIMIT).build();
    build(&fold_pattern(pattern)).map_err(|folded| {
        // The detail quotes the pattern and points into it: show what the person wrote, not its fold.
        let detail = build(pattern).err().unwrap_or(folded).to_string();
        BooksError::InvalidRegex { pattern: pattern.to_owned(), detail }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: MatchKind, pattern: &str) -> RuleSpec {
        RuleSpec {
            match_kind: kind,
            pattern: pattern.into(),
            direction: None,
            min_amount: None,
            max_amount: None,
            account_id: None,
            category_id: Some(CategoryId(1)),
            memo: None,
            transfer: false,
            enabled: true,
        }
    }

    #[test]
    fn a_regex_that_does_not_compile_is_refused_with_the_reason() {
        let err = spec(MatchKind::Regex, "ｶｰﾄﾞ(").compile().unwrap_err();
        let BooksError::InvalidRegex { pattern, detail } = err else { panic!("{err:?}") };
        assert_eq!(pattern, "ｶｰﾄﾞ(");
        assert!(detail.contains("unclosed group") && detail.contains("ｶｰﾄﾞ("), "{detail}");
    }

    #[test]
    fn a_rule_matching_every_line_is_refused_unless_narrowed() {
        for s in [spec(MatchKind::Contains, ""), spec(MatchKind::StartsWith, "  "), spec(MatchKind::Regex, ".*")] {
            assert!(matches!(s.compile(), Err(BooksError::RuleMatchesEverything)), "{s:?}");
        }
        // Every line of one account, or every large amount, is a real rule.
        let savings = RuleSpec { account_id: Some(AccountId(2)), ..spec(MatchKind::Contains, "") };
        savings.compile().unwrap();
        let large = RuleSpec { min_amount: Some(1_000_000), ..spec(MatchKind::Regex, "") };
        large.compile().unwrap();
        // An empty `is` only meets lines with no remarks.
        spec(MatchKind::Is, "").compile().unwrap();
    }

    #[test]
    fn a_rule_needs_an_action_and_sane_amounts() {
        let idle = RuleSpec { category_id: None, ..spec(MatchKind::Contains, "ATM") };
        assert!(matches!(idle.compile(), Err(BooksError::RuleDoesNothing)));
        let reversed = RuleSpec { min_amount: Some(5_000), max_amount: Some(100), ..spec(MatchKind::Contains, "ATM") };
        assert!(matches!(reversed.compile(), Err(BooksError::AmountsReversed { min: 5_000, max: 100 })));
        let negative = RuleSpec { min_amount: Some(-1), ..spec(MatchKind::Contains, "ATM") };
        assert!(matches!(negative.compile(), Err(BooksError::NegativeAmount(-1))));
    }

    #[test]
    fn specificity_puts_exact_over_prefix_over_substring_and_long_over_short() {
        let is = spec(MatchKind::Is, "ATM").specificity();
        let starts = spec(MatchKind::StartsWith, "ATM").specificity();
        let fee = spec(MatchKind::Contains, "ATMﾃｽｳﾘﾖｳ").specificity();
        let atm = spec(MatchKind::Contains, "ATM").specificity();
        let atm_out = RuleSpec { direction: Some(Direction::Out), ..spec(MatchKind::Contains, "ATM") }.specificity();
        assert!(is > starts && starts > fee && fee > atm_out && atm_out > atm);
    }

    #[test]
    fn amount_bounds_are_on_the_magnitude_and_direction_on_the_sign() {
        let s = RuleSpec {
            direction: Some(Direction::Out),
            min_amount: Some(1_000),
            max_amount: Some(5_000),
            ..spec(MatchKind::Contains, "x")
        };
        assert!(s.admits(-1_000, AccountId(1)));
        assert!(s.admits(-5_000, AccountId(1)));
        assert!(!s.admits(-5_001, AccountId(1)));
        assert!(!s.admits(2_000, AccountId(1)));
        let one = RuleSpec { account_id: Some(AccountId(7)), ..spec(MatchKind::Contains, "x") };
        assert!(one.admits(5, AccountId(7)) && !one.admits(5, AccountId(8)));
    }
}
