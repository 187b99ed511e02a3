//! Rules as a file: what `kura rules export` writes and `kura rules import` reads (TOML), and
//! the shape of the starter set's rules. A rule names its category by path (`食費:外食`, in
//! either language) and its account by Kura's account id, so a file moves between books.

use serde::{Deserialize, Serialize};

use super::{BooksError, MatchKind};
use crate::query::Direction;

/// One rule in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleEntry {
    /// The starter set's key (only in the starter file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(rename = "match")]
    pub match_kind: MatchKind,
    pub pattern: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<i64>,
    /// The account id exports and `kura accounts` show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The category's path (or, in the starter file, its key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub transfer: bool,
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// A rules file: its rules in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    #[serde(rename = "rule", default)]
    pub rules: Vec<RuleEntry>,
}

impl RulesFile {
    pub fn parse(text: &str) -> Result<RulesFile, BooksError> {
        toml::from_str(text).map_err(|e| BooksError::RulesFile { detail: e.to_string() })
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("rules always serialise")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_round_trips() {
        let file = RulesFile {
            rules: vec![RuleEntry {
                key: None,
                match_kind: MatchKind::StartsWith,
                pattern: "ｶｰﾄﾞ".into(),
                direction: Some(Direction::Out),
                min_amount: Some(1_000),
                max_amount: None,
                account: Some("2011-001-01-1234567".into()),
                category: Some("現金・カード:カード引き落とし".into()),
                memo: Some("クレカ".into()),
                transfer: true,
                enabled: false,
            }],
        };
        let text = file.to_toml();
        assert_eq!(RulesFile::parse(&text).unwrap(), file, "{text}");
    }

    #[test]
    fn a_malformed_file_says_where() {
        let err = RulesFile::parse("[[rule]]\nmatch = \"sometimes\"\npattern = \"x\"\n").unwrap_err();
        let BooksError::RulesFile { detail } = err else { panic!("{err:?}") };
        assert!(detail.contains("line 2"), "{detail}");
        let err = RulesFile::parse("[[rule]]\nmatch = \"contains\"\npattern = \"x\"\ncolour = 1\n").unwrap_err();
        assert!(
            err.to_string().contains("colour")
                || matches!(&err, BooksError::RulesFile { detail } if detail.contains("colour"))
        );
    }
}
