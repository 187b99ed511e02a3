//! An error as a person is told it: one sentence of what happened, one of what to do, and the
//! other side's own words (the union's error, the OS's message) for whoever asks for them.

use super::Language;

/// What a person reads about a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// What happened, in one sentence.
    pub what: String,
    /// What to do about it, when there is something to do.
    pub todo: Option<String>,
    /// The union's, the OS's or a library's own words, shown on demand.
    pub detail: Option<String>,
}

impl Explanation {
    pub fn new(what: String) -> Self {
        Explanation { what, todo: None, detail: None }
    }

    pub fn todo(mut self, todo: String) -> Self {
        self.todo = Some(todo);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// What happened and what to do, as one paragraph.
    pub fn summary(&self) -> String {
        match &self.todo {
            Some(todo) => join_sentences(&self.what, todo),
            None => self.what.clone(),
        }
    }
}

/// An error that can tell a person, in their language, what happened and what to do.
pub trait Explain {
    fn explain(&self, lang: Language) -> Explanation;
}

/// Two sentences as one paragraph: English ones with a space between, Japanese ones (ending in
/// a full-width mark) without.
pub fn join_sentences(first: &str, second: &str) -> String {
    match first.ends_with(|c: char| c.is_ascii()) {
        true => format!("{first} {second}"),
        false => format!("{first}{second}"),
    }
}
