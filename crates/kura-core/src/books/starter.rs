//! The starter books (data/books/starter.toml): the categories and rules a new book begins
//! with. Written into the store once, by the migration that creates the books; the file's keys
//! let Kura tell its own entries from the person's later on.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Deserialize;

use super::Kind;
use super::rules_file::RuleEntry;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarterBooks {
    #[serde(rename = "category")]
    pub categories: Vec<StarterCategory>,
    #[serde(rename = "rule")]
    pub rules: Vec<RuleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarterCategory {
    pub key: String,
    pub kind: Kind,
    pub ja: String,
    pub en: String,
    #[serde(default)]
    pub sub: Vec<StarterSub>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarterSub {
    pub key: String,
    pub ja: String,
    pub en: String,
}

/// The starter set shipped with this build.
pub fn starter() -> &'static StarterBooks {
    static STARTER: LazyLock<StarterBooks> = LazyLock::new(|| {
        toml::from_str(include_str!("../../data/books/starter.toml")).expect("data/books/starter.toml parses")
    });
    &STARTER
}

/// Writes the starter categories and rules into a book that has none (the schema 4 migration).
pub(crate) fn seed(conn: &Connection, now: DateTime<Utc>) -> rusqlite::Result<()> {
    let books = starter();
    let mut ids: HashMap<&str, i64> = HashMap::new();
    let mut insert = conn.prepare(
        "INSERT INTO categories (parent_id, kind, builtin, name, name_en, position, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    )?;
    for (position, top) in books.categories.iter().enumerate() {
        let id: i64 = insert
            .query_row(params![None::<i64>, top.kind.as_str(), top.key, top.ja, top.en, position as i64, now], |r| {
                r.get(0)
            })?;
        ids.insert(&top.key, id);
        for (position, sub) in top.sub.iter().enumerate() {
            let child: i64 = insert
                .query_row(params![id, top.kind.as_str(), sub.key, sub.ja, sub.en, position as i64, now], |r| {
                    r.get(0)
                })?;
            ids.insert(&sub.key, child);
        }
    }
    let mut insert = conn.prepare(
        "INSERT INTO rules (position, enabled, builtin, match_kind, pattern, direction, min_amount, max_amount,
             category_id, memo, transfer, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?;
    for (position, rule) in books.rules.iter().enumerate() {
        insert.execute(params![
            position as i64,
            rule.enabled,
            rule.key,
            rule.match_kind.as_str(),
            rule.pattern,
            rule.direction.map(|d| d.as_str()),
            rule.min_amount,
            rule.max_amount,
            rule.category.as_deref().map(|key| ids[key]),
            rule.memo,
            rule.transfer,
            now,
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::books::{RuleSpec, rule::MatchKind};

    #[test]
    fn the_starter_set_is_consistent() {
        let books = starter();
        let mut keys = HashSet::new();
        let mut names = HashSet::new();
        for top in &books.categories {
            assert!(keys.insert(top.key.as_str()), "duplicate key {}", top.key);
            assert!(names.insert(top.ja.as_str()), "duplicate 大項目 {}", top.ja);
            let mut sub_names = HashSet::new();
            for sub in &top.sub {
                assert!(sub.key.starts_with(&format!("{}.", top.key)), "{} is not under {}", sub.key, top.key);
                assert!(keys.insert(sub.key.as_str()), "duplicate key {}", sub.key);
                assert!(sub_names.insert(sub.ja.as_str()), "duplicate 中項目 {} in {}", sub.ja, top.ja);
            }
        }
        let mut rule_keys = HashSet::new();
        for rule in &books.rules {
            let key = rule.key.as_deref().expect("every starter rule has a key");
            assert!(rule_keys.insert(key), "duplicate rule key {key}");
            if let Some(category) = &rule.category {
                assert!(keys.contains(category.as_str()), "rule {key} names unknown category {category}");
            }
            let spec = RuleSpec {
                match_kind: rule.match_kind,
                pattern: rule.pattern.clone(),
                direction: rule.direction,
                min_amount: rule.min_amount,
                max_amount: rule.max_amount,
                account_id: None,
                category_id: rule.category.as_ref().map(|_| crate::model::CategoryId(1)),
                memo: rule.memo.clone(),
                transfer: rule.transfer,
                enabled: rule.enabled,
            };
            spec.validate().unwrap_or_else(|e| panic!("rule {key}: {e}"));
        }
    }

    #[test]
    fn the_issue_s_categories_are_all_there() {
        let books = starter();
        let tops: Vec<&str> = books.categories.iter().map(|c| c.ja.as_str()).collect();
        for wanted in [
            "食費",
            "日用品",
            "趣味・娯楽",
            "交際費",
            "交通費",
            "衣服・美容",
            "健康・医療",
            "自動車",
            "教養・教育",
            "特別な支出",
            "現金・カード",
            "水道・光熱費",
            "通信費",
            "住宅",
            "税・社会保障",
            "保険",
            "その他",
            "給与",
            "賞与",
            "年金",
            "利息",
            "その他収入",
        ] {
            assert!(tops.contains(&wanted), "{wanted} missing");
        }
        let food = books.categories.iter().find(|c| c.key == "food").unwrap();
        let subs: Vec<&str> = food.sub.iter().map(|s| s.ja.as_str()).collect();
        assert_eq!(subs, ["食料品", "外食", "カフェ"]);
        assert!(books.rules.iter().any(|r| r.match_kind == MatchKind::Regex));
    }
}
