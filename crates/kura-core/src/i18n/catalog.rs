//! The Fluent catalogs, parsed once, and formatting a message from them.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::Language;

/// Every catalog file: its language, its name (for messages about it) and its text.
pub(super) const FILES: &[(Language, &str, &str)] = &[
    (Language::Ja, "ja/alerts.ftl", include_str!("../../locales/ja/alerts.ftl")),
    (Language::En, "en/alerts.ftl", include_str!("../../locales/en/alerts.ftl")),
    (Language::Ja, "ja/desktop.ftl", include_str!("../../locales/ja/desktop.ftl")),
    (Language::En, "en/desktop.ftl", include_str!("../../locales/en/desktop.ftl")),
    (Language::Ja, "ja/cli.ftl", include_str!("../../locales/ja/cli.ftl")),
    (Language::En, "en/cli.ftl", include_str!("../../locales/en/cli.ftl")),
    (Language::Ja, "ja/errors.ftl", include_str!("../../locales/ja/errors.ftl")),
    (Language::En, "en/errors.ftl", include_str!("../../locales/en/errors.ftl")),
    (Language::Ja, "ja/help.ftl", include_str!("../../locales/ja/help.ftl")),
    (Language::En, "en/help.ftl", include_str!("../../locales/en/help.ftl")),
    (Language::Ja, "ja/books.ftl", include_str!("../../locales/ja/books.ftl")),
    (Language::En, "en/books.ftl", include_str!("../../locales/en/books.ftl")),
    (Language::Ja, "ja/household.ftl", include_str!("../../locales/ja/household.ftl")),
    (Language::En, "en/household.ftl", include_str!("../../locales/en/household.ftl")),
];

struct Catalog {
    ja: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog { ja: bundle(Language::Ja), en: bundle(Language::En) });

fn bundle(lang: Language) -> FluentBundle<FluentResource> {
    let id = lang.tag().parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Terminals and notification services show the isolation marks as stray characters.
    bundle.set_use_isolating(false);
    for (_, name, text) in FILES.iter().filter(|(l, _, _)| *l == lang) {
        // The files are part of the source tree; the tests parse every one.
        let resource = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(_, e)| panic!("{name}: {e:?}"));
        bundle.add_resource(resource).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
    bundle
}

/// The named arguments of a message.
#[derive(Default)]
pub struct Args(FluentArgs<'static>);

impl Args {
    pub fn new() -> Self {
        Args(FluentArgs::new())
    }

    /// Sets `name`: text (shown as it is) or a number (which also chooses plural forms).
    pub fn set(&mut self, name: &'static str, value: impl Into<Arg>) {
        let value = match value.into() {
            Arg::Text(text) => FluentValue::String(Cow::Owned(text)),
            Arg::Number(n) => FluentValue::from(n),
        };
        self.0.set(name, value);
    }
}

/// A message argument.
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

impl From<Cow<'_, str>> for Arg {
    fn from(s: Cow<'_, str>) -> Self {
        Arg::Text(s.into_owned())
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(n as i64)
            }
        }
    )*};
}
number_args!(i64, i32, u8, u16, u32, u64, usize);

/// Whether the catalog has message `id` (in every language: the tests hold both alike).
pub fn has(id: &str) -> bool {
    CATALOG.en.has_message(id)
}

/// What happened (message `id`) and, where the catalog has `id-do`, what to do.
pub fn explanation(lang: Language, id: &str, args: &Args) -> super::Explanation {
    let todo_id = format!("{id}-do");
    let explanation = super::Explanation::new(text(lang, id, args));
    match has(&todo_id) {
        true => explanation.todo(text(lang, &todo_id, args)),
        false => explanation,
    }
}

/// The message `id` in `lang` with `args`. A message missing from the catalog (a test keeps
/// that from shipping) shows its id rather than nothing.
pub fn text(lang: Language, id: &str, args: &Args) -> String {
    let bundle = match lang {
        Language::Ja => &CATALOG.ja,
        Language::En => &CATALOG.en,
    };
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        tracing::error!(id, lang = lang.tag(), "a message is missing from the catalog");
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&args.0), &mut errors);
    if !errors.is_empty() {
        tracing::error!(id, lang = lang.tag(), ?errors, "a message did not format cleanly");
    }
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    /// Each message of a language's files, with the variables it uses.
    fn messages(lang: Language) -> BTreeMap<String, BTreeSet<String>> {
        let mut found = BTreeMap::new();
        for (_, name, text) in FILES.iter().filter(|(l, _, _)| *l == lang) {
            let resource = fluent_syntax::parser::parse(*text).unwrap_or_else(|(_, e)| panic!("{name}: {e:?}"));
            for entry in resource.body {
                if let ast::Entry::Message(m) = entry {
                    let mut vars = BTreeSet::new();
                    if let Some(pattern) = &m.value {
                        variables(pattern, &mut vars);
                    }
                    assert!(m.value.is_some(), "{name}: {} has no text", m.id.name);
                    let previous = found.insert(m.id.name.to_owned(), vars);
                    assert!(previous.is_none(), "{name}: {} is defined twice", m.id.name);
                }
            }
        }
        found
    }

    fn variables(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, vars);
            }
        }
    }

    fn expression_variables(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, vars);
                for v in variants {
                    variables(&v.value, vars);
                }
            }
            ast::Expression::Inline(inline) => inline_variables(inline, vars),
        }
    }

    fn inline_variables(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => expression_variables(expression, vars),
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline_variables(a, vars);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_message_exists_in_both_languages_with_the_same_arguments() {
        let (ja, en) = (messages(Language::Ja), messages(Language::En));
        let only_ja: Vec<_> = ja.keys().filter(|k| !en.contains_key(*k)).collect();
        let only_en: Vec<_> = en.keys().filter(|k| !ja.contains_key(*k)).collect();
        assert!(
            only_ja.is_empty() && only_en.is_empty(),
            "in Japanese only: {only_ja:?}; in English only: {only_en:?}"
        );
        for (id, vars) in &ja {
            assert_eq!(vars, &en[id], "{id} takes other arguments in Japanese than in English");
        }
    }

    #[test]
    fn both_catalogs_load() {
        for lang in Language::ALL {
            let bundle = bundle(lang);
            assert!(!messages(lang).is_empty());
            assert!(messages(lang).keys().all(|id| bundle.has_message(id)));
        }
    }
}
