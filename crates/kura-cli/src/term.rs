//! How the `kura` command talks to a person in a terminal: in their language (the app's setting,
//! else the locale), errors as what happened and what to do, and tables that line up with
//! Japanese (double-width) text.

use std::io::{BufRead, IsTerminal, Write};

use kura_core::i18n::{Explanation, Language};
use kura_core::t;
use unicode_width::UnicodeWidthStr;

use crate::error::CliError;

/// The terminal's language, and whether it asked for details (`--verbose`).
#[derive(Debug, Clone, Copy)]
pub struct Term {
    pub lang: Language,
    pub verbose: bool,
}

impl Term {
    /// An error on standard error: what happened and what to do; the other side's own words
    /// only when asked for.
    pub fn error(&self, e: &Explanation) {
        eprintln!("{}", t!(self.lang, "cli-error", what = e.what.as_str()));
        if let Some(todo) = &e.todo {
            eprintln!("{todo}");
        }
        if let (true, Some(detail)) = (self.verbose, &e.detail) {
            eprintln!("{}", t!(self.lang, "cli-details", detail = detail.as_str()));
        }
    }

    /// Whether the person agrees to a change `kura` asks about: yes when `yes` (`--yes`) was
    /// given, else asked on the terminal (no by default). Without a terminal to ask on, the
    /// change is refused with `unasked`, which says how to ask for it (as `kura unlink` does).
    pub fn confirm(&self, yes: bool, question: &str, unasked: String) -> Result<bool, CliError> {
        if yes {
            return Ok(true);
        }
        if !std::io::stdin().is_terminal() {
            return Err(CliError::said(unasked));
        }
        let unanswered = || CliError::said(t!(self.lang, "cli-confirm-no-answer"));
        loop {
            print!("{}", t!(self.lang, "cli-confirm", question));
            std::io::stdout().flush().map_err(|_| unanswered())?;
            let mut answer = String::new();
            if std::io::stdin().lock().read_line(&mut answer).map_err(|_| unanswered())? == 0 {
                return Err(unanswered());
            }
            match answer.trim().to_lowercase().as_str() {
                "y" | "yes" | "はい" => return Ok(true),
                "n" | "no" | "いいえ" | "" => return Ok(false),
                _ => println!("{}", t!(self.lang, "cli-confirm-answer")),
            }
        }
    }
}

/// A plain text table whose columns line up in a terminal with Japanese (double-width) text.
/// Columns listed in `right` are right-aligned (amounts).
pub fn table(headers: &[String], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut all = vec![headers.to_vec()];
    all.extend_from_slice(rows);
    columns(&all, right)
}

/// Rows whose columns line up (a [`table`] without headers); a row may have fewer cells.
pub fn columns(rows: &[Vec<String>], right: &[usize]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if widths.len() <= i {
                widths.push(0);
            }
            widths[i] = widths[i].max(cell.width());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - cell.width());
            if i > 0 {
                line.push_str("  ");
            }
            if right.contains(&i) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::table;

    #[test]
    fn columns_line_up_with_double_width_text() {
        let rows = vec![vec!["北央".to_owned(), "¥1,000".to_owned()], vec!["ab".to_owned(), "¥5".to_owned()]];
        let out = table(&["Union".to_owned(), "Balance".to_owned()], &rows, &[1]);
        assert_eq!(out, "Union  Balance\n北央    ¥1,000\nab          ¥5\n");
    }
}
