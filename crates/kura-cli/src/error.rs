//! Why a `kura` command failed: the app layer's error, or one of the command's own (a flag
//! combination, a file that exists, an answer not given), already in the person's words.

use kura_core::app::CommandError;
use kura_core::i18n::{Explain, Explanation, Language};

#[derive(Debug)]
pub enum CliError {
    App(CommandError),
    /// Said already, in the terminal's language.
    Said(Explanation),
}

impl From<CommandError> for CliError {
    fn from(e: CommandError) -> Self {
        CliError::App(e)
    }
}

impl CliError {
    /// A failure of the command itself, in one sentence.
    pub fn said(what: String) -> Self {
        CliError::Said(Explanation::new(what))
    }

    pub fn explain(&self, lang: Language) -> Explanation {
        match self {
            CliError::App(e) => e.explain(lang),
            CliError::Said(e) => e.clone(),
        }
    }
}
