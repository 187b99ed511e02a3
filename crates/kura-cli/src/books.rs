//! What the books' commands share: categories named the way a person types them (with the
//! closest names when one is unknown), a rule said in words and as the `kura rules add` line
//! that makes it, and yen as a person writes it on a command line.

use kura_core::app::categories::{self, CategoryItem, CategoryTree};
use kura_core::app::history::Flow;
use kura_core::app::rules::{MatchKind, RuleSpec};
use kura_core::app::{AppContext, ErrorKind};
use kura_core::format::yen;
use kura_core::i18n::{Explain, Language, join_sentences};
use kura_core::model::CategoryId;
use kura_core::t;
use kura_core::text::fold;

use crate::error::CliError;

/// The category a person names (`食費`, `外食`, `食費:外食`, `Food:Dining Out`); when there is
/// none of that name, the error offers the closest names.
pub fn find(ctx: &AppContext, lang: Language, name: &str) -> Result<CategoryItem, CliError> {
    match categories::find(ctx, name) {
        Ok(category) => Ok(category),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let mut said = e.explain(lang);
            let close = closest(&categories::tree(ctx)?, name, lang);
            if !close.is_empty() {
                let offer = t!(lang, "cli-category-did-you-mean", names = close.join(&t!(lang, "cli-list-separator")));
                said.todo = Some(match said.todo {
                    Some(todo) => join_sentences(&offer, &todo),
                    None => offer,
                });
            }
            Err(CliError::Said(said))
        }
        Err(e) => Err(e.into()),
    }
}

/// Up to three categories whose names are close to `name` (one holds the other, or few edits
/// apart), closest first, as paths in `lang`.
fn closest(tree: &CategoryTree, name: &str, lang: Language) -> Vec<String> {
    // A path's last part is the name to compare: `食費:外色` is close to 外食.
    let last = name.rsplit([':', '/', '：', '／']).next().unwrap_or(name);
    let wanted = fold(last);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &CategoryItem)> = tree
        .categories
        .iter()
        .filter_map(|c| {
            let score = [Some(c.name.as_str()), c.name_en.as_deref()]
                .into_iter()
                .flatten()
                .map(|n| {
                    let key = fold(n);
                    match key.contains(&wanted) || wanted.contains(&key) {
                        true => 1.0,
                        false => strsim::normalized_levenshtein(&wanted, &key),
                    }
                })
                .fold(0.0, f64::max);
            (score >= 0.5).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.iter().take(3).filter_map(|(_, c)| tree.path(c.id, lang)).collect()
}

/// A category's path in `lang`, or 未分類 for none.
pub fn path_or_uncategorised(tree: &CategoryTree, id: Option<CategoryId>, lang: Language) -> String {
    id.and_then(|c| tree.path(c, lang)).unwrap_or_else(|| t!(lang, "books-uncategorised"))
}

/// What a rule looks for, in words: `「ｶｰﾄﾞ」を含む・出金・¥1,000 以上`.
pub fn condition(spec: &RuleSpec, lang: Language) -> String {
    let pattern = spec.pattern.as_str();
    let mut parts = Vec::new();
    match spec.match_kind {
        MatchKind::Contains if pattern.is_empty() => {}
        MatchKind::Contains => parts.push(t!(lang, "cli-rule-contains", pattern)),
        MatchKind::Is => parts.push(t!(lang, "cli-rule-is", pattern)),
        MatchKind::StartsWith => parts.push(t!(lang, "cli-rule-starts-with", pattern)),
        MatchKind::Regex => parts.push(t!(lang, "cli-rule-regex", pattern)),
    }
    match spec.direction {
        Some(Flow::In) => parts.push(t!(lang, "cli-rule-in")),
        Some(Flow::Out) => parts.push(t!(lang, "cli-rule-out")),
        None => {}
    }
    match (spec.min_amount, spec.max_amount) {
        (Some(min), Some(max)) => parts.push(t!(lang, "cli-rule-range", min = yen(min), max = yen(max))),
        (Some(min), None) => parts.push(t!(lang, "cli-rule-min", min = yen(min))),
        (None, Some(max)) => parts.push(t!(lang, "cli-rule-max", max = yen(max))),
        (None, None) => {}
    }
    if let Some(account) = spec.account_id {
        parts.push(t!(lang, "cli-rule-account", id = account.0));
    }
    match parts.is_empty() {
        true => t!(lang, "cli-rule-every-line"),
        false => parts.join(&t!(lang, "cli-rule-and")),
    }
}

/// What a rule does, in words: `食費:外食・メモ「ランチ」・振替`.
pub fn action(spec: &RuleSpec, tree: &CategoryTree, lang: Language) -> String {
    let mut parts = Vec::new();
    if let Some(c) = spec.category_id {
        parts.push(tree.path(c, lang).unwrap_or_else(|| c.0.to_string()));
    }
    if let Some(memo) = &spec.memo {
        parts.push(t!(lang, "cli-rule-memo", memo = memo.as_str()));
    }
    if spec.transfer {
        parts.push(t!(lang, "cli-rule-transfer"));
    }
    parts.join(&t!(lang, "cli-rule-and"))
}

/// The `kura rules add …` line that makes `spec`, ready to paste into a POSIX shell.
pub fn add_command(spec: &RuleSpec, tree: &CategoryTree, lang: Language) -> String {
    let mut words: Vec<String> = ["kura", "rules", "add"].map(str::to_owned).into();
    let mut flag = |name: &str, value: Option<String>| match value {
        // A value that starts with `-` would read as another option.
        Some(v) if v.starts_with('-') => words.push(format!("{name}={}", shell_word(&v))),
        Some(v) => words.extend([name.to_owned(), shell_word(&v)]),
        None => words.push(name.to_owned()),
    };
    let kind = match spec.match_kind {
        MatchKind::Contains => "--contains",
        MatchKind::Is => "--is",
        MatchKind::StartsWith => "--starts-with",
        MatchKind::Regex => "--regex",
    };
    if !(spec.match_kind == MatchKind::Contains && spec.pattern.is_empty()) {
        flag(kind, Some(spec.pattern.clone()));
    }
    match spec.direction {
        Some(Flow::In) => flag("--in", None),
        Some(Flow::Out) => flag("--out", None),
        None => {}
    }
    if let Some(min) = spec.min_amount {
        flag("--min", Some(min.to_string()));
    }
    if let Some(max) = spec.max_amount {
        flag("--max", Some(max.to_string()));
    }
    if let Some(account) = spec.account_id {
        flag("--account", Some(account.0.to_string()));
    }
    if let Some(path) = spec.category_id.and_then(|c| tree.path(c, lang)) {
        flag("--category", Some(path));
    }
    if let Some(memo) = &spec.memo {
        flag("--memo", Some(memo.clone()));
    }
    if spec.transfer {
        flag("--transfer", None);
    }
    if !spec.enabled {
        flag("--disabled", None);
    }
    words.join(" ")
}

/// `s` as one word a POSIX shell reads back as `s`: as it is when it holds only letters (of any
/// script: 交際費, ﾀﾅｶ), digits and `-_.,:/@%+=`, else in single quotes (a `'` in it written
/// `'\''`). Quoting libraries treat every non-ASCII letter as unsafe, which would quote every
/// Japanese category name.
pub fn shell_word(s: &str) -> String {
    let plain = !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "-_.,:/@%+=".contains(c));
    match plain {
        true => s.to_owned(),
        false => format!("'{}'", s.replace('\'', r"'\''")),
    }
}

/// Yen as typed on a command line: `12000`, `12,000`, `¥12,000` or `12000円`.
pub fn parse_yen(s: &str) -> Result<i64, String> {
    let digits: String =
        s.trim().trim_start_matches(['¥', '￥']).trim_end_matches('円').chars().filter(|c| *c != ',').collect();
    match !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        true => digits.parse().map_err(|_| bad_yen(s)),
        false => Err(bad_yen(s)),
    }
}

fn bad_yen(s: &str) -> String {
    t!(Language::of_environment(), "cli-bad-yen", value = format!("{s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_the_shell_needs_it() {
        assert_eq!(shell_word("交際費"), "交際費");
        assert_eq!(shell_word("食費:外食"), "食費:外食");
        assert_eq!(shell_word("ﾌﾘｺﾐ ﾀﾅｶ"), "'ﾌﾘｺﾐ ﾀﾅｶ'");
        assert_eq!(shell_word("ｶ)ﾎｸｵｳ"), "'ｶ)ﾎｸｵｳ'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("$HOME"), "'$HOME'");
    }

    #[test]
    fn yen_is_read_with_or_without_its_marks() {
        assert_eq!(parse_yen("12000"), Ok(12_000));
        assert_eq!(parse_yen("¥12,000"), Ok(12_000));
        assert_eq!(parse_yen("12,000円"), Ok(12_000));
        assert!(parse_yen("-5").is_err());
        assert!(parse_yen("1.5").is_err());
        assert!(parse_yen("").is_err());
    }
}
