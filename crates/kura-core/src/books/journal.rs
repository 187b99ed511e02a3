//! The journal account a category posts to in ledger, hledger and beancount exports:
//! `Expenses:食費:外食` from its names, `Expenses:Food:Dining-Out` where the tool needs ASCII
//! (beancount), or the account the person chose for it.

use super::{BooksError, Category, CategoryTree, Kind};
use crate::i18n::Language;
use crate::model::CategoryId;

/// The root a category's account hangs from.
fn root(kind: Kind) -> &'static str {
    match kind {
        Kind::Expense => "Expenses",
        Kind::Income => "Income",
    }
}

/// One account-name component from a category name, for ledger and hledger: any Unicode, one
/// space at most between words (two end an account name), no `:` (which separates components).
fn component(name: &str) -> String {
    name.replace([':', '：'], "・").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One ASCII component for beancount: letters and digits, words joined by `-`, a capital first
/// (`Dining Out` → `Dining-Out`); `None` when nothing ASCII is left.
fn ascii_component(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let mut joined = words.join("-");
    let first = joined.chars().next()?;
    if first.is_ascii_digit() {
        joined.insert(0, 'C');
    } else {
        joined.replace_range(..1, &first.to_ascii_uppercase().to_string());
    }
    Some(joined)
}

fn default_ascii(c: &Category) -> String {
    c.name_en.as_deref().and_then(ascii_component).unwrap_or_else(|| format!("Category{}", c.id.0))
}

/// The journal account of category `id`: the person's choice, else made from its names in
/// `lang`, or in ASCII when `ascii`.
pub fn account_of(tree: &CategoryTree, id: CategoryId, lang: Language, ascii: bool) -> Option<String> {
    let c = tree.get(id)?;
    if let Some(chosen) = &c.journal_account {
        return Some(chosen.clone());
    }
    let mut parts = vec![root(c.kind).to_owned()];
    let mut chain = vec![c];
    if let Some(parent) = c.parent_id.and_then(|p| tree.get(p)) {
        chain.insert(0, parent);
    }
    for c in chain {
        parts.push(if ascii { default_ascii(c) } else { component(c.name_in(lang)) });
    }
    Some(parts.join(":"))
}

/// Checks an account name a person chose for a category: components separated by `:`, none
/// empty, no double spaces or tabs (which end a name in ledger and hledger), no `;` (a comment).
pub fn check_account_name(name: &str) -> Result<(), BooksError> {
    let bad = name.trim() != name
        || name.split(':').any(|c| c.trim().is_empty())
        || name.contains("  ")
        || name.contains(['\t', '\n', ';'])
        || !name.contains(':');
    if bad { Err(BooksError::JournalAccountName { name: name.to_owned() }) } else { Ok(()) }
}

/// Whether beancount accepts `name`: ASCII components starting with a capital letter or digit.
pub fn is_beancount_account(name: &str) -> bool {
    name.split(':').all(|c| {
        let mut chars = c.chars();
        chars.next().is_some_and(|f| f.is_ascii_uppercase() || f.is_ascii_digit())
            && chars.all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> CategoryTree {
        let cat = |id, parent: Option<i64>, kind, name: &str, en: Option<&str>| Category {
            id: CategoryId(id),
            parent_id: parent.map(CategoryId),
            kind,
            builtin: None,
            name: name.into(),
            name_en: en.map(Into::into),
            position: 0,
            journal_account: None,
        };
        CategoryTree {
            categories: vec![
                cat(1, None, Kind::Expense, "食費", Some("Food")),
                cat(2, Some(1), Kind::Expense, "外食", Some("Dining Out")),
                cat(3, None, Kind::Income, "給与", Some("Salary")),
                cat(4, Some(1), Kind::Expense, "お弁当:手作り", None),
                cat(5, None, Kind::Expense, "趣味・娯楽", Some("Hobbies & Leisure")),
            ],
        }
    }

    #[test]
    fn names_in_the_language_or_ascii() {
        let t = tree();
        assert_eq!(account_of(&t, CategoryId(2), Language::Ja, false).unwrap(), "Expenses:食費:外食");
        assert_eq!(account_of(&t, CategoryId(2), Language::En, false).unwrap(), "Expenses:Food:Dining Out");
        assert_eq!(account_of(&t, CategoryId(2), Language::Ja, true).unwrap(), "Expenses:Food:Dining-Out");
        assert_eq!(account_of(&t, CategoryId(3), Language::Ja, false).unwrap(), "Income:給与");
        assert_eq!(account_of(&t, CategoryId(5), Language::Ja, true).unwrap(), "Expenses:Hobbies-Leisure");
        // A name with a colon, and one without any English: still one component each.
        assert_eq!(account_of(&t, CategoryId(4), Language::Ja, false).unwrap(), "Expenses:食費:お弁当・手作り");
        assert_eq!(account_of(&t, CategoryId(4), Language::Ja, true).unwrap(), "Expenses:Food:Category4");
        for id in 1..=5 {
            assert!(is_beancount_account(&account_of(&t, CategoryId(id), Language::En, true).unwrap()));
        }
    }

    #[test]
    fn the_person_s_choice_wins_and_is_checked() {
        let mut t = tree();
        t.categories[1].journal_account = Some("Expenses:Eating-Out".into());
        assert_eq!(account_of(&t, CategoryId(2), Language::Ja, false).unwrap(), "Expenses:Eating-Out");
        check_account_name("Expenses:外食").unwrap();
        for bad in ["Expenses", "Expenses::X", "Expenses:a  b", " Expenses:X", "Expenses:X;y"] {
            assert!(check_account_name(bad).is_err(), "{bad}");
        }
        assert!(!is_beancount_account("Expenses:外食"));
        assert!(!is_beancount_account("Expenses:eating"));
    }
}
