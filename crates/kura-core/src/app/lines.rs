//! The person's changes to one line: its category, memo and transfer mark, which no sync or rule
//! changes again, or giving it back to the rules. A new category comes with an offer to make a
//! rule from the line, the way household-book apps learn.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppContext, CommandError};
use crate::books::{BooksError, LineFacts, MatchKind, Matcher, RuleSpec};
use crate::model::{AccountId, CategoryId};
use crate::query::{Direction, TxRow};
use crate::store::LineEdit;

/// One change to a line.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "change", rename_all = "camelCase")]
pub enum LineChange {
    /// File it under a category (`null`: uncategorised); rules leave it alone from then on.
    #[serde(rename_all = "camelCase")]
    Category { category_id: Option<i64> },
    /// Its memo (`null` or empty: none).
    Memo { memo: Option<String> },
    /// Mark it as a transfer between one's own accounts, or unmark it (and its pair).
    Transfer { transfer: bool },
    /// Forget what the person set and let the rules file it again.
    Reset,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineUpdateRequest {
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub change: LineChange,
}

/// A rule made from a line the person just filed: pre-filled from its remarks, not yet saved.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedRule {
    pub spec: RuleSpec,
    /// Other stored lines it would file the same way.
    pub lines: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineUpdateResponse {
    /// The line as it now is.
    pub line: TxRow,
    /// After a new category: the rule that would file lines like it the same way, unless the
    /// rules already do.
    pub suggestion: Option<SuggestedRule>,
}

pub async fn update(ctx: &AppContext, req: LineUpdateRequest) -> Result<LineUpdateResponse, CommandError> {
    let mut store = ctx.store();
    let edit = match &req.change {
        LineChange::Category { category_id } => {
            Some(LineEdit { category: Some(category_id.map(CategoryId)), ..LineEdit::default() })
        }
        LineChange::Memo { memo } => Some(LineEdit { memo: Some(memo.clone()), ..LineEdit::default() }),
        LineChange::Transfer { transfer } => Some(LineEdit { transfer: Some(*transfer), ..LineEdit::default() }),
        LineChange::Reset => None,
    };
    match edit {
        Some(edit) => store.edit_line(req.id, &edit)?,
        None => store.reset_line(req.id)?,
    }
    let line = store.transaction(req.id)?.ok_or(BooksError::UnknownTransaction(req.id))?;
    let suggestion = match (&req.change, line.books.category_id) {
        (LineChange::Category { .. }, Some(category)) => {
            let spec = suggest(&line, category);
            let rules = store.rules()?;
            let folded = crate::text::fold(&line.remarks);
            let facts = LineFacts { folded: &folded, amount: line.amount, account: line.account_id };
            // Nothing to learn when the rules would already file it there.
            let known = Matcher::new(&rules).decide(facts).category.map(|(c, _)| c) == Some(category);
            match spec {
                Some(spec) if !known => Some(SuggestedRule { lines: store.rule_reach(&spec)?, spec }),
                _ => None,
            }
        }
        _ => None,
    };
    Ok(LineUpdateResponse { line, suggestion })
}

/// The rule a person would likely write for `line`: its remarks without a trailing number (a
/// card's or a transfer's reference changes every time), money the same way, the category.
fn suggest(line: &TxRow, category: CategoryId) -> Option<RuleSpec> {
    let pattern = line.remarks.trim().trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    let pattern = if pattern.is_empty() { line.remarks.trim() } else { pattern };
    if pattern.is_empty() {
        return None;
    }
    let spec = RuleSpec {
        match_kind: MatchKind::Contains,
        pattern: pattern.to_owned(),
        direction: Some(if line.amount > 0 { Direction::In } else { Direction::Out }),
        min_amount: None,
        max_amount: None,
        account_id: None::<AccountId>,
        category_id: Some(category),
        memo: None,
        transfer: false,
        enabled: true,
    };
    spec.validate().is_ok().then_some(spec)
}
