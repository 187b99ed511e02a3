//! How the `kura` command talks to a person in a terminal: in their language (the app's setting,
//! else the locale), errors as what happened and what to do, and tables that line up with
//! Japanese (double-width) text.

use kura_core::i18n::{Explanation, Language};
use kura_core::t;
use unicode_width::UnicodeWidthStr;

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
}

/// A plain text table whose columns line up in a terminal with Japanese (double-width) text.
/// Columns listed in `right` are right-aligned (amounts).
pub fn table(headers: &[String], rows: &[Vec<String>], right: &[usize]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w - cell.width());
            if i > 0 {
                out.push_str("  ");
            }
            if right.contains(&i) {
                out.push_str(&pad);
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.push_str(&pad);
            }
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    };
    let mut out = line(headers.iter().map(String::as_str).collect());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
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
