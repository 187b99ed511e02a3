//! `kura --help` in the person's language: every subcommand's and option's text comes from the
//! catalog (`help-<subcommand>[-<option>]`, `help-<subcommand>-<its subcommand>[-<option>]`,
//! `help-kura[-<option>]` for the command itself).

use clap::{Command, CommandFactory};
use kura_core::i18n::{Args, Language, has, text};

use crate::Cli;

/// The `kura` command with its help texts in `lang`.
pub fn localized(lang: Language) -> Command {
    let mut command = texts(Cli::command(), "help-kura", lang);
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in names {
        command = command.mut_subcommand(&name, |sub| with_subcommands(sub, &format!("help-{name}"), lang));
    }
    command
}

/// A subcommand's texts and those of its own subcommands (`kura rules add`).
fn with_subcommands(command: Command, prefix: &str, lang: Language) -> Command {
    let mut command = texts(command, prefix, lang);
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in names {
        command = command.mut_subcommand(&name, |sub| with_subcommands(sub, &format!("{prefix}-{name}"), lang));
    }
    command
}

/// `command`'s about and its options' help from the messages `prefix` and `prefix-<option>`.
fn texts(command: Command, prefix: &str, lang: Language) -> Command {
    let mut command = command.about(text(lang, prefix, &Args::new()));
    let ids: Vec<String> = command.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        let message = format!("{prefix}-{id}");
        if has(&message) {
            command = command.mut_arg(&id, |arg| arg.help(text(lang, &message, &Args::new())));
        }
    }
    command
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every subcommand and option the person can ask about, as its message id.
    fn ids(command: &Command, prefix: &str, out: &mut BTreeSet<String>) {
        out.insert(prefix.to_owned());
        for arg in command.get_arguments().filter(|a| !["help", "version"].contains(&a.get_id().as_str())) {
            // Global options are explained once, on `kura` itself.
            if prefix == "help-kura" || !arg.is_global_set() {
                out.insert(format!("{prefix}-{}", arg.get_id()));
            }
        }
        if prefix != "help-kura" {
            for sub in command.get_subcommands() {
                ids(sub, &format!("{prefix}-{}", sub.get_name()), out);
            }
        }
    }

    #[test]
    fn every_subcommand_and_option_is_explained_in_both_languages() {
        let command = Cli::command();
        let mut wanted = BTreeSet::new();
        ids(&command, "help-kura", &mut wanted);
        for sub in command.get_subcommands() {
            ids(sub, &format!("help-{}", sub.get_name()), &mut wanted);
        }
        let missing: Vec<_> = wanted.iter().filter(|id| !has(id)).collect();
        assert!(missing.is_empty(), "no help text for {missing:?}");

        let catalog =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../kura-core/locales/en/help.ftl")).unwrap();
        let stale: Vec<_> = catalog
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id))
            .filter(|id| id.starts_with("help-") && !wanted.contains(*id))
            .collect();
        assert!(stale.is_empty(), "help texts of options that do not exist: {stale:?}");
    }

    #[test]
    fn the_help_speaks_the_language() {
        let ja = localized(Language::Ja);
        let en = localized(Language::En);
        let about = |c: &Command, name: &str| c.find_subcommand(name).unwrap().get_about().unwrap().to_string();
        assert!(about(&ja, "link").starts_with("信用組合と連携する"), "{}", about(&ja, "link"));
        assert!(about(&en, "link").starts_with("Link a credit union"), "{}", about(&en, "link"));
    }
}
