//! Everything Rust shows to a person — CLI output and errors, the tray, notifications, error
//! hints — comes from one catalog per language, written in Fluent (`crates/kura-core/locales/
//! {ja,en}/*.ftl`) and embedded in the binary. [`t!`](crate::t) formats a message; a test fails
//! when a message exists in one language only, or when code names one that exists in neither.
//!
//! Which language: the app's own setting where the person made one (Settings → 言語), else the
//! OS locale (`LC_ALL`, `LC_MESSAGES`, `LANG`): Japanese for `ja*`, English otherwise.

mod catalog;
mod explain;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use catalog::{Args, explanation, has, text};
pub use explain::{Explain, Explanation, join_sentences};

/// A language Kura speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Language {
    #[default]
    Ja,
    En,
}

impl Language {
    /// The language a POSIX locale name asks for (`ja_JP.UTF-8` → Japanese, `en_US` → English);
    /// `None` for the portable `C`/`POSIX` locale and for an empty value, which ask for nothing.
    pub fn of_locale(locale: &str) -> Option<Language> {
        let name = locale.split(['.', '@']).next().unwrap_or_default();
        match name {
            "" | "C" | "POSIX" => None,
            _ if name.starts_with("ja") => Some(Language::Ja),
            _ => Some(Language::En),
        }
    }

    /// The OS locale's language, read as POSIX does (`LC_ALL`, then `LC_MESSAGES`, then `LANG`);
    /// English when none asks for one.
    pub fn of_environment() -> Language {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty())
            .and_then(|value| Language::of_locale(&value))
            .unwrap_or(Language::En)
    }

    /// The BCP 47 tag of the catalog.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Ja => "ja",
            Language::En => "en",
        }
    }

    pub const ALL: [Language; 2] = [Language::Ja, Language::En];
}

/// Formats the catalog's message `id` in `lang`, with named arguments, a variable standing for
/// the argument of its name: `t!(lang, "cli-tx-none")`, `t!(lang, "cli-sync-account", account, count = n, balance)`.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {{
        #[allow(unused_mut)]
        let mut args = $crate::i18n::Args::new();
        $(args.set(stringify!($name), $crate::t!(@value $name $(, $value)?));)*
        $crate::i18n::text($lang, $id, &args)
    }};
    (@value $name:ident) => {
        $name
    };
    (@value $name:ident, $value:expr) => {
        $value
    };
}

/// An [`Explanation`] from the catalog: what happened is message `id`, what to do is `id-do`
/// where the catalog has it; both take the same named arguments as [`t!`](crate::t).
#[macro_export]
macro_rules! explain {
    ($lang:expr, $id:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {{
        #[allow(unused_mut)]
        let mut args = $crate::i18n::Args::new();
        $(args.set(stringify!($name), $crate::t!(@value $name $(, $value)?));)*
        $crate::i18n::explanation($lang, $id, &args)
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locale_name_chooses_the_language() {
        assert_eq!(Language::of_locale("ja_JP.UTF-8"), Some(Language::Ja));
        assert_eq!(Language::of_locale("ja"), Some(Language::Ja));
        assert_eq!(Language::of_locale("en_US.UTF-8"), Some(Language::En));
        assert_eq!(Language::of_locale("de_DE@euro"), Some(Language::En));
        assert_eq!(Language::of_locale("C.UTF-8"), None);
        assert_eq!(Language::of_locale("POSIX"), None);
        assert_eq!(Language::of_locale(""), None);
    }
}
