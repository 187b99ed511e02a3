//! The books in the store: categories, rules, budgets, and how each line is filed. Every change
//! is one SQLite transaction that either happens whole or leaves the book as it was.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use ts_rs::TS;

use super::{Store, StoreError};
use crate::books::{
    BooksError, Category, CategoryTree, DecidedBy, Kind, LineFacts, Matcher, PairCandidate, Pairer, Rule, RuleEntry,
    RuleSpec, RulesFile, TRANSFER_WINDOW_DAYS, journal, pair_transfers,
};
use crate::i18n::Language;
use crate::model::{AccountId, CategoryId, RuleId};
use crate::query::Direction;

/// A new category: a 大項目 (no parent; its kind given) or a 中項目 (its 大項目's kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    pub parent_id: Option<CategoryId>,
    pub kind: Kind,
    pub name: String,
    pub name_en: Option<String>,
}

/// What deleting a category would touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryUsage {
    /// Lines filed under it or its 中項目s.
    pub lines: i64,
    /// Rules that file lines into it or its 中項目s.
    pub rules: i64,
    /// Its 中項目s.
    pub children: i64,
    pub has_budget: bool,
}

/// How re-running the rules would change the lines they decide (never the person's own).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RulesEffect {
    /// Lines whose category, memo or transfer mark would change.
    pub lines: i64,
    /// Category moves, largest first: from (`None`: uncategorised) → to.
    pub moves: Vec<CategoryMove>,
    /// A few of those lines (the last stored first), to show what the rules would do to them.
    pub samples: Vec<RefiledLine>,
}

/// A line the rules change: as it is, and what they set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefiledLine {
    pub id: i64,
    pub transaction_date: NaiveDate,
    pub amount: i64,
    pub remarks: String,
    /// Its category before and after (`None`: uncategorised).
    #[ts(type = "number | null")]
    pub from: Option<CategoryId>,
    #[ts(type = "number | null")]
    pub to: Option<CategoryId>,
    /// Its memo and transfer mark after.
    pub memo: Option<String>,
    pub transfer: bool,
}

/// How many changed lines [`RulesEffect::samples`] shows.
const SAMPLES: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryMove {
    #[ts(type = "number | null")]
    pub from: Option<CategoryId>,
    #[ts(type = "number | null")]
    pub to: Option<CategoryId>,
    pub lines: i64,
}

/// A person's change to one line; `None` fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    /// `Some(None)` files the line as uncategorised (and keeps the rules off it).
    pub category: Option<Option<CategoryId>>,
    pub memo: Option<Option<String>>,
    pub transfer: Option<bool>,
}

/// What [`Store::apply_rules`] does on each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyScope {
    /// Every rule decides every line it may.
    All,
    /// Only lines this rule would now decide.
    Rule(RuleId),
}

const CATEGORY_COLUMNS: &str = "c.id, c.parent_id, c.kind, c.builtin, c.name, c.name_en, c.position, c.journal_account";

fn category_row(r: &Row<'_>) -> rusqlite::Result<(Category, String)> {
    Ok((
        Category {
            id: CategoryId(r.get(0)?),
            parent_id: r.get::<_, Option<i64>>(1)?.map(CategoryId),
            kind: Kind::Expense,
            builtin: r.get(3)?,
            name: r.get(4)?,
            name_en: r.get(5)?,
            position: r.get(6)?,
            journal_account: r.get(7)?,
        },
        r.get(2)?,
    ))
}

const RULE_COLUMNS: &str = "id, position, enabled, builtin, match_kind, pattern, direction, min_amount, max_amount, \
                            account_id, category_id, memo, transfer";

fn rule_row(r: &Row<'_>) -> rusqlite::Result<(Rule, String, Option<String>)> {
    Ok((
        Rule {
            id: RuleId(r.get(0)?),
            position: r.get(1)?,
            builtin: r.get(3)?,
            spec: RuleSpec {
                match_kind: crate::books::MatchKind::Contains,
                pattern: r.get(5)?,
                direction: None,
                min_amount: r.get(7)?,
                max_amount: r.get(8)?,
                account_id: r.get::<_, Option<i64>>(9)?.map(AccountId),
                category_id: r.get::<_, Option<i64>>(10)?.map(CategoryId),
                memo: r.get(11)?,
                transfer: r.get(12)?,
                enabled: r.get(2)?,
            },
        },
        r.get(4)?,
        r.get(6)?,
    ))
}

fn finish_rule((mut rule, kind, direction): (Rule, String, Option<String>)) -> Result<Rule, StoreError> {
    rule.spec.match_kind = kind.parse()?;
    rule.spec.direction = direction.map(|d| d.parse()).transpose()?;
    Ok(rule)
}

/// The categories, in display order.
pub(crate) fn load_categories(conn: &Connection) -> Result<CategoryTree, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM categories c LEFT JOIN categories p ON p.id = c.parent_id
         ORDER BY ifnull(p.kind, c.kind) = 'income', ifnull(p.position, c.position), ifnull(p.id, c.id),
                  c.parent_id IS NOT NULL, c.position, c.id"
    ))?;
    let rows = stmt.query_map([], category_row)?.collect::<Result<Vec<_>, _>>()?;
    let categories = rows
        .into_iter()
        .map(|(mut c, kind)| {
            c.kind = kind.parse()?;
            Ok(c)
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(CategoryTree { categories })
}

/// The rules, in position order.
pub(crate) fn load_rules(conn: &Connection) -> Result<Vec<Rule>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {RULE_COLUMNS} FROM rules ORDER BY position, id"))?;
    let rows = stmt.query_map([], rule_row)?.collect::<Result<Vec<_>, _>>()?;
    rows.into_iter().map(finish_rule).collect()
}

/// One line as the rules see it.
struct LineState {
    id: i64,
    account: AccountId,
    amount: i64,
    folded: String,
    category: Option<CategoryId>,
    category_by: Option<String>,
    memo: Option<String>,
    memo_by: Option<String>,
    transfer: bool,
    transfer_by: Option<String>,
}

/// What the rules would set on a line, where they may.
#[derive(Clone)]
struct Refiled {
    category: Option<(Option<CategoryId>, Option<RuleId>)>,
    memo: Option<Option<String>>,
    transfer: Option<bool>,
}

fn refile(matcher: &Matcher, line: &LineState, scope: ApplyScope) -> Refiled {
    let decision = matcher.decide(LineFacts { folded: &line.folded, amount: line.amount, account: line.account });
    let in_scope = |rule: Option<RuleId>| match scope {
        ApplyScope::All => true,
        ApplyScope::Rule(r) => rule == Some(r),
    };
    let person = |by: &Option<String>| by.as_deref() == Some(DecidedBy::Person.as_str());
    let (category, rule) = decision.category.map_or((None, None), |(c, r)| (Some(c), Some(r)));
    let category =
        (!person(&line.category_by) && line.category != category && in_scope(rule)).then_some((category, rule));
    let memo = decision.memo.map(|(m, r)| (m.to_owned(), r));
    let memo = (!person(&line.memo_by)
        && line.memo.as_deref() != memo.as_ref().map(|(m, _)| m.as_str())
        && in_scope(memo.as_ref().map(|(_, r)| *r)))
    .then(|| memo.map(|(m, _)| m));
    // A detected pair is a fact about two lines, not a rule's call: re-applying leaves it.
    let automatic_transfer = matches!(line.transfer_by.as_deref(), None | Some("rule"));
    let transfer = (automatic_transfer && line.transfer != decision.transfer.is_some() && in_scope(decision.transfer))
        .then_some(decision.transfer.is_some());
    Refiled { category, memo, transfer }
}

impl Refiled {
    fn changes(&self) -> bool {
        self.category.is_some() || self.memo.is_some() || self.transfer.is_some()
    }
}

/// Re-runs the rules over every stored line they may decide; with `write`, stores the result.
fn run_rules(conn: &Connection, scope: ApplyScope, write: bool) -> Result<RulesEffect, BooksError> {
    let matcher = Matcher::new(&load_rules(conn)?);
    let mut select = conn.prepare(
        "SELECT id, account_id, amount, remarks_folded, category_id, category_by, memo, memo_by, transfer, transfer_by
         FROM transactions
         WHERE category_by IS NOT 'person' OR memo_by IS NOT 'person' OR transfer_by IS NOT 'person'",
    )?;
    let mut set_category =
        conn.prepare_cached("UPDATE transactions SET category_id = ?2, category_by = ?3, rule_id = ?4 WHERE id = ?1")?;
    let mut set_memo = conn.prepare_cached("UPDATE transactions SET memo = ?2, memo_by = ?3 WHERE id = ?1")?;
    let mut set_transfer =
        conn.prepare_cached("UPDATE transactions SET transfer = ?2, transfer_by = ?3 WHERE id = ?1")?;
    let mut effect = RulesEffect::default();
    let mut moves: HashMap<(Option<CategoryId>, Option<CategoryId>), i64> = HashMap::new();
    let mut rows = select.query([])?;
    // Changes are collected while reading and written after: an update under an open read of
    // the same table could be read again.
    let mut pending = Vec::new();
    let mut samples = std::collections::VecDeque::with_capacity(SAMPLES);
    while let Some(r) = rows.next()? {
        let line = LineState {
            id: r.get(0)?,
            account: AccountId(r.get(1)?),
            amount: r.get(2)?,
            folded: r.get(3)?,
            category: r.get::<_, Option<i64>>(4)?.map(CategoryId),
            category_by: r.get(5)?,
            memo: r.get(6)?,
            memo_by: r.get(7)?,
            transfer: r.get(8)?,
            transfer_by: r.get(9)?,
        };
        let change = refile(&matcher, &line, scope);
        if !change.changes() {
            continue;
        }
        effect.lines += 1;
        if let Some((to, _)) = change.category
            && to != line.category
        {
            *moves.entry((line.category, to)).or_default() += 1;
        }
        if write {
            pending.push((line.id, change.clone()));
        }
        // The last lines read, which are the last stored: the ones a person is likeliest to know.
        if samples.len() == SAMPLES {
            samples.pop_front();
        }
        samples.push_back((line, change));
    }
    drop(rows);
    // Only the samples' dates and remarks are read: the scan above needs neither.
    let mut shown = conn.prepare_cached("SELECT transaction_date, remarks FROM transactions WHERE id = ?1")?;
    effect.samples = samples
        .into_iter()
        .rev()
        .map(|(line, change)| {
            let (transaction_date, remarks) = shown.query_row([line.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(RefiledLine {
                id: line.id,
                transaction_date,
                amount: line.amount,
                remarks,
                from: line.category,
                to: change.category.map_or(line.category, |(c, _)| c),
                memo: change.memo.unwrap_or(line.memo),
                transfer: change.transfer.unwrap_or(line.transfer),
            })
        })
        .collect::<Result<_, BooksError>>()?;
    for (id, change) in pending {
        if let Some((category, rule)) = change.category {
            let by = category.map(|_| DecidedBy::Rule.as_str());
            set_category.execute(params![id, category.map(|c| c.0), by, rule.map(|r| r.0)])?;
        }
        if let Some(memo) = change.memo {
            let by = memo.as_ref().map(|_| DecidedBy::Rule.as_str());
            set_memo.execute(params![id, memo, by])?;
        }
        if let Some(transfer) = change.transfer {
            set_transfer.execute(params![id, transfer, transfer.then_some(DecidedBy::Rule.as_str())])?;
        }
    }
    let mut moves: Vec<CategoryMove> =
        moves.into_iter().map(|((from, to), lines)| CategoryMove { from, to, lines }).collect();
    moves.sort_by_key(|m| (std::cmp::Reverse(m.lines), m.from, m.to));
    effect.moves = moves;
    Ok(effect)
}

/// Pairs the lines `account` just stored (rows after `floor`) with opposite lines of the other
/// accounts, and marks both sides as a detected transfer. Only the other accounts' candidates are
/// held; the new lines are read back in (date, id) order, however many there are.
pub(super) fn detect_transfers(conn: &Connection, account: AccountId, floor: i64) -> Result<u64, StoreError> {
    let (first, last): (Option<NaiveDate>, Option<NaiveDate>) = conn
        .prepare_cached("SELECT min(transaction_date), max(transaction_date) FROM transactions WHERE id > ?1")?
        .query_row([floor], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(0);
    };
    let window = chrono::Duration::days(TRANSFER_WINDOW_DAYS);
    let mut pairer = Pairer::new(
        conn.prepare_cached(
            "SELECT id, account_id, transaction_date, amount FROM transactions
             WHERE transaction_date BETWEEN ?1 AND ?2 AND transfer_pair IS NULL AND transfer_by IS NOT 'person'
               AND account_id <> ?3",
        )?
        .query_map(params![first - window, last + window, account.0], pair_candidate)?
        .collect::<Result<Vec<_>, _>>()?,
    );
    if pairer.is_empty() {
        return Ok(0);
    }
    let mut pairs = Vec::new();
    let mut new = conn.prepare_cached(
        "SELECT id, account_id, transaction_date, amount FROM transactions WHERE id > ?1
         ORDER BY +transaction_date, id",
    )?;
    for line in new.query_map([floor], pair_candidate)? {
        let line = line?;
        if pairer.may_pair(line.amount) {
            pairs.extend(pairer.offer(&line));
        }
    }
    mark_transfers(conn, &pairs)?;
    Ok(pairs.len() as u64)
}

/// A transfer candidate from `id, account_id, transaction_date, amount`.
fn pair_candidate(r: &Row<'_>) -> rusqlite::Result<PairCandidate> {
    Ok(PairCandidate { id: r.get(0)?, account: AccountId(r.get(1)?), date: r.get(2)?, amount: r.get(3)? })
}

/// Marks both sides of each pair as a detected transfer pointing at the other.
fn mark_transfers(conn: &Connection, pairs: &[(i64, i64)]) -> rusqlite::Result<()> {
    let mut mark = conn.prepare_cached(
        "UPDATE transactions SET transfer = 1, transfer_by = 'detected', transfer_pair = ?2 WHERE id = ?1",
    )?;
    for (a, b) in pairs {
        mark.execute(params![a, b])?;
        mark.execute(params![b, a])?;
    }
    Ok(())
}

/// Files every stored line by the rules and pairs transfers across all of them: what the schema
/// 4 migration does to a book's existing history once the starter rules are in.
pub(super) fn file_history(conn: &Connection) -> Result<(), BooksError> {
    run_rules(conn, ApplyScope::All, true)?;
    let mut stmt = conn.prepare(
        "SELECT id, account_id, transaction_date, amount FROM transactions WHERE transfer_pair IS NULL
         ORDER BY transaction_date, id",
    )?;
    let all = stmt.query_map([], pair_candidate)?.collect::<Result<Vec<_>, _>>()?;
    mark_transfers(conn, &pair_transfers(&all, &[]))?;
    Ok(())
}

fn check_name(name: &str) -> Result<String, BooksError> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(BooksError::EmptyCategoryName);
    }
    if name.contains([':', '/', '：', '／']) {
        return Err(BooksError::CategoryNameSeparator { name });
    }
    Ok(name)
}

/// A unique-index violation on a category's name means a sibling has it already.
fn duplicate_name(name: &str) -> impl Fn(rusqlite::Error) -> BooksError + '_ {
    move |e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => BooksError::DuplicateCategoryName { name: name.to_owned() },
        _ => e.into(),
    }
}

/// Stores a person's rule (one made or imported) at `position`; its id.
fn insert_rule(conn: &Connection, position: i64, spec: &RuleSpec, now: DateTime<Utc>) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO rules (position, enabled, match_kind, pattern, direction, min_amount, max_amount, account_id,
             category_id, memo, transfer, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) RETURNING id",
    )?;
    bind_rule(&mut stmt, position, spec, now)?;
    let mut rows = stmt.raw_query();
    rows.next()?.expect("RETURNING gives the new row").get(0)
}

/// Binds a rule's conditions and actions to `?2`…`?11` of `stmt` (the insert's and the update's
/// column order), `key` (its position or id) to `?1` and `now` to `?12`.
fn bind_rule(
    stmt: &mut rusqlite::Statement<'_>,
    key: i64,
    spec: &RuleSpec,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(1, key)?;
    stmt.raw_bind_parameter(2, spec.enabled)?;
    stmt.raw_bind_parameter(3, spec.match_kind.as_str())?;
    stmt.raw_bind_parameter(4, &spec.pattern)?;
    stmt.raw_bind_parameter(5, spec.direction.map(Direction::as_str))?;
    stmt.raw_bind_parameter(6, spec.min_amount)?;
    stmt.raw_bind_parameter(7, spec.max_amount)?;
    stmt.raw_bind_parameter(8, spec.account_id.map(|a| a.0))?;
    stmt.raw_bind_parameter(9, spec.category_id.map(|c| c.0))?;
    stmt.raw_bind_parameter(10, &spec.memo)?;
    stmt.raw_bind_parameter(11, spec.transfer)?;
    stmt.raw_bind_parameter(12, now)
}

fn renumber(conn: &Connection, table: &str, ids: &[i64]) -> rusqlite::Result<()> {
    let mut stmt =
        conn.prepare_cached(&format!("UPDATE {table} SET position = ?2 WHERE id = ?1 AND position IS NOT ?2"))?;
    for (position, id) in ids.iter().enumerate() {
        stmt.execute(params![id, position as i64])?;
    }
    Ok(())
}

fn siblings(
    conn: &Connection,
    parent: Option<CategoryId>,
    kind: Kind,
    except: CategoryId,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM categories WHERE parent_id IS ?1 AND (parent_id IS NOT NULL OR kind = ?2) AND id <> ?3
         ORDER BY position, id",
    )?;
    stmt.query_map(params![parent.map(|p| p.0), kind.as_str(), except.0], |r| r.get(0))?.collect()
}

impl Store {
    /// Every category, in display order.
    pub fn categories(&self) -> Result<CategoryTree, StoreError> {
        load_categories(&self.conn)
    }

    /// Adds a category at the end of its siblings.
    pub fn create_category(&mut self, new: &NewCategory, now: DateTime<Utc>) -> Result<CategoryId, BooksError> {
        let name = check_name(&new.name)?;
        let name_en = new.name_en.as_deref().map(check_name).transpose()?;
        let tx = self.conn.transaction()?;
        let tree = load_categories(&tx)?;
        let kind = match new.parent_id {
            None => new.kind,
            Some(parent) => {
                let p = tree.get(parent).ok_or(BooksError::UnknownCategory(parent))?;
                if p.parent_id.is_some() {
                    return Err(BooksError::TooDeep { name: p.name.clone() });
                }
                p.kind
            }
        };
        let position = siblings(&tx, new.parent_id, kind, CategoryId(0))?.len() as i64;
        let id: i64 = tx
            .query_row(
                "INSERT INTO categories (parent_id, kind, name, name_en, position, created_at, uid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, lower(hex(randomblob(16)))) RETURNING id",
                params![new.parent_id.map(|p| p.0), kind.as_str(), name, name_en, position, now],
                |r| r.get(0),
            )
            .map_err(duplicate_name(&name))?;
        tx.commit()?;
        Ok(CategoryId(id))
    }

    /// Renames a category; `name_en: Some(None)` drops its English name.
    pub fn rename_category(
        &mut self,
        id: CategoryId,
        name: Option<&str>,
        name_en: Option<Option<&str>>,
    ) -> Result<(), BooksError> {
        let tx = self.conn.transaction()?;
        if !category_exists(&tx, id)? {
            return Err(BooksError::UnknownCategory(id));
        }
        if let Some(name) = name {
            let name = check_name(name)?;
            tx.execute("UPDATE categories SET name = ?2 WHERE id = ?1", params![id.0, name])
                .map_err(duplicate_name(&name))?;
        }
        if let Some(name_en) = name_en {
            let name_en = name_en.map(check_name).transpose()?;
            tx.execute("UPDATE categories SET name_en = ?2 WHERE id = ?1", params![id.0, name_en])
                .map_err(duplicate_name(name_en.as_deref().unwrap_or_default()))?;
        }
        let fields = [("name", name.is_some()), ("name_en", name_en.is_some())];
        stamp_category(&tx, id, &fields.iter().filter(|(_, set)| *set).map(|(f, _)| *f).collect::<Vec<_>>())?;
        tx.commit()?;
        Ok(())
    }

    /// Moves a category under another 大項目 (`Some(parent)`) or to the top level (`None`) and/or
    /// to `position` among its (new) siblings. A 中項目 takes its new 大項目's kind, and so do its
    /// lines' totals.
    pub fn move_category(
        &mut self,
        id: CategoryId,
        parent: Option<Option<CategoryId>>,
        position: Option<usize>,
    ) -> Result<(), BooksError> {
        let tx = self.conn.transaction()?;
        let tree = load_categories(&tx)?;
        let c = tree.get(id).ok_or(BooksError::UnknownCategory(id))?.clone();
        let new_parent = parent.unwrap_or(c.parent_id);
        let kind = match new_parent {
            None => c.kind,
            Some(p) => {
                let parent = tree.get(p).ok_or(BooksError::UnknownCategory(p))?;
                if parent.parent_id.is_some() || p == id {
                    return Err(BooksError::TooDeep { name: parent.name.clone() });
                }
                if tree.children(id).next().is_some() {
                    return Err(BooksError::HasChildren { name: c.name.clone() });
                }
                parent.kind
            }
        };
        tx.execute(
            "UPDATE categories SET parent_id = ?2, kind = ?3 WHERE id = ?1",
            params![id.0, new_parent.map(|p| p.0), kind.as_str()],
        )
        .map_err(duplicate_name(&c.name))?;
        let mut order = siblings(&tx, new_parent, kind, id)?;
        let at = position.unwrap_or(if new_parent == c.parent_id { c.position as usize } else { order.len() });
        order.insert(at.min(order.len()), id.0);
        renumber(&tx, "categories", &order)?;
        if new_parent != c.parent_id {
            renumber(&tx, "categories", &siblings(&tx, c.parent_id, c.kind, id)?)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// What deleting `id` would touch.
    pub fn category_usage(&self, id: CategoryId) -> Result<CategoryUsage, BooksError> {
        let tree = self.categories()?;
        if tree.get(id).is_none() {
            return Err(BooksError::UnknownCategory(id));
        }
        let ids = serde_json::to_string(&tree.with_children(id).iter().map(|c| c.0).collect::<Vec<_>>())
            .expect("ids serialise");
        let count = |sql: &str| -> Result<i64, BooksError> { Ok(self.conn.query_row(sql, [&ids], |r| r.get(0))?) };
        Ok(CategoryUsage {
            lines: count(
                "SELECT ifnull(sum(lines_in + lines_out), 0) FROM category_months WHERE category_id IN (SELECT value FROM json_each(?1))",
            )?,
            rules: count("SELECT count(*) FROM rules WHERE category_id IN (SELECT value FROM json_each(?1))")?,
            children: tree.children(id).count() as i64,
            has_budget: self
                .conn
                .query_row("SELECT count(*) FROM budgets WHERE category_id = ?1", [id.0], |r| r.get::<_, i64>(0))?
                > 0,
        })
    }

    /// Deletes a category and its 中項目s. Their lines and rules go to `move_to` (`None`: the
    /// lines become uncategorised, and rules that did nothing but file into it are deleted).
    pub fn delete_category(&mut self, id: CategoryId, move_to: Option<CategoryId>) -> Result<(), BooksError> {
        let tx = self.conn.transaction()?;
        // A tombstone, with where the lines went, for the household's other desktops.
        let uid = |c: CategoryId| -> Result<Option<String>, BooksError> {
            Ok(tx.query_row("SELECT uid FROM categories WHERE id = ?1", [c.0], |r| r.get(0)).optional()?)
        };
        if let Some(gone) = uid(id)? {
            let to = move_to.map(uid).transpose()?.flatten();
            super::share::stamp_detail(&tx, "category", &gone, "removed", to.as_deref())?;
        }
        delete_category(&tx, id, move_to)?;
        tx.commit()?;
        Ok(())
    }

    /// Sets (or with `None` clears) the journal account a category posts to.
    pub fn set_category_journal_account(&mut self, id: CategoryId, account: Option<&str>) -> Result<(), BooksError> {
        if let Some(name) = account {
            journal::check_account_name(name)?;
        }
        let tx = self.conn.transaction()?;
        let n = tx.execute("UPDATE categories SET journal_account = ?2 WHERE id = ?1", params![id.0, account])?;
        if n == 0 {
            return Err(BooksError::UnknownCategory(id));
        }
        stamp_category(&tx, id, &["journal_account"])?;
        tx.commit()?;
        Ok(())
    }

    /// Every rule, in the order they run.
    pub fn rules(&self) -> Result<Vec<Rule>, StoreError> {
        load_rules(&self.conn)
    }

    pub fn rule(&self, id: RuleId) -> Result<Rule, BooksError> {
        self.rules()?.into_iter().find(|r| r.id == id).ok_or(BooksError::UnknownRule(id))
    }

    /// Adds a rule at `position`, or, without one, above the first rule less specific than it.
    pub fn create_rule(
        &mut self,
        spec: &RuleSpec,
        position: Option<usize>,
        now: DateTime<Utc>,
    ) -> Result<RuleId, BooksError> {
        let spec = spec.clone().normalized();
        spec.validate()?;
        let tx = self.conn.transaction()?;
        check_references(&tx, &spec)?;
        let rules = load_rules(&tx)?;
        let at = position.unwrap_or_else(|| {
            let mine = spec.specificity();
            rules.iter().position(|r| r.spec.specificity() < mine).unwrap_or(rules.len())
        });
        let id = insert_rule(&tx, at as i64, &spec, now)?;
        let mut order: Vec<i64> = rules.iter().map(|r| r.id.0).collect();
        order.insert(at.min(order.len()), id);
        renumber(&tx, "rules", &order)?;
        tx.commit()?;
        Ok(RuleId(id))
    }

    /// Replaces a rule's conditions and actions (its place in the order stays).
    pub fn update_rule(&mut self, id: RuleId, spec: &RuleSpec, now: DateTime<Utc>) -> Result<(), BooksError> {
        let spec = spec.clone().normalized();
        spec.validate()?;
        let tx = self.conn.transaction()?;
        check_references(&tx, &spec)?;
        let n = {
            let mut stmt = tx.prepare_cached(
                "UPDATE rules SET enabled = ?2, match_kind = ?3, pattern = ?4, direction = ?5, min_amount = ?6,
                     max_amount = ?7, account_id = ?8, category_id = ?9, memo = ?10, transfer = ?11, updated_at = ?12
                 WHERE id = ?1",
            )?;
            bind_rule(&mut stmt, id.0, &spec, now)?;
            stmt.raw_execute()?
        };
        if n == 0 {
            return Err(BooksError::UnknownRule(id));
        }
        tx.commit()?;
        Ok(())
    }

    /// Moves a rule to `position` in the order (0 runs first).
    pub fn move_rule(&mut self, id: RuleId, position: usize) -> Result<(), BooksError> {
        let tx = self.conn.transaction()?;
        let mut order: Vec<i64> = load_rules(&tx)?.iter().map(|r| r.id.0).filter(|r| *r != id.0).collect();
        if order.len() == tx.query_row("SELECT count(*) FROM rules", [], |r| r.get::<_, i64>(0))? as usize {
            return Err(BooksError::UnknownRule(id));
        }
        order.insert(position.min(order.len()), id.0);
        renumber(&tx, "rules", &order)?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a rule. The lines it filed keep their category until the rules are applied again.
    pub fn delete_rule(&mut self, id: RuleId) -> Result<(), BooksError> {
        let tx = self.conn.transaction()?;
        if tx.execute("DELETE FROM rules WHERE id = ?1", [id.0])? == 0 {
            return Err(BooksError::UnknownRule(id));
        }
        let order: Vec<i64> = load_rules(&tx)?.iter().map(|r| r.id.0).collect();
        renumber(&tx, "rules", &order)?;
        tx.commit()?;
        Ok(())
    }

    /// What applying the rules to the stored lines would change, without changing anything.
    pub fn preview_rules(&self, scope: ApplyScope) -> Result<RulesEffect, BooksError> {
        check_scope(&self.conn, scope)?;
        run_rules(&self.conn, scope, false)
    }

    /// Applies the rules to the stored lines they may decide (never to what the person set).
    pub fn apply_rules(&mut self, scope: ApplyScope) -> Result<RulesEffect, BooksError> {
        let tx = self.conn.transaction()?;
        check_scope(&tx, scope)?;
        let effect = run_rules(&tx, scope, true)?;
        tx.commit()?;
        Ok(effect)
    }

    /// The rules as a file, categories by path in `lang` and accounts by their ids.
    pub fn export_rules(&self, lang: Language) -> Result<RulesFile, BooksError> {
        let tree = self.categories()?;
        let accounts = account_names(&self.conn)?;
        let rules = self
            .rules()?
            .into_iter()
            .map(|r| RuleEntry {
                key: None,
                match_kind: r.spec.match_kind,
                pattern: r.spec.pattern,
                direction: r.spec.direction,
                min_amount: r.spec.min_amount,
                max_amount: r.spec.max_amount,
                account: r
                    .spec
                    .account_id
                    .and_then(|a| accounts.iter().find(|(id, _)| *id == a).map(|(_, n)| n.clone())),
                category: r.spec.category_id.and_then(|c| tree.path(c, lang)),
                memo: r.spec.memo,
                transfer: r.spec.transfer,
                enabled: r.spec.enabled,
            })
            .collect();
        Ok(RulesFile { rules })
    }

    /// Adds the rules of `file` after the existing ones (or instead of them, with `replace`).
    /// Every rule is checked first: one unknown category or account, or one rule that would be
    /// refused on its own, and nothing is stored.
    pub fn import_rules(&mut self, file: &RulesFile, replace: bool, now: DateTime<Utc>) -> Result<usize, BooksError> {
        let tx = self.conn.transaction()?;
        let tree = load_categories(&tx)?;
        let accounts = account_names(&tx)?;
        let mut unknown = Vec::new();
        let mut specs = Vec::new();
        for (i, entry) in file.rules.iter().enumerate() {
            let category = match &entry.category {
                None => None,
                Some(name) => match tree.find(name) {
                    Ok(id) => Some(id),
                    Err(BooksError::UnknownCategoryName(_)) => {
                        unknown.push(name.clone());
                        None
                    }
                    Err(e) => return Err(BooksError::RulesFileInvalidRule { number: i + 1, source: Box::new(e) }),
                },
            };
            let account = match &entry.account {
                None => None,
                Some(name) => match accounts.iter().find(|(_, n)| n == name) {
                    Some((id, _)) => Some(*id),
                    None => {
                        unknown.push(name.clone());
                        None
                    }
                },
            };
            let spec = RuleSpec {
                match_kind: entry.match_kind,
                pattern: entry.pattern.clone(),
                direction: entry.direction,
                min_amount: entry.min_amount,
                max_amount: entry.max_amount,
                account_id: account,
                category_id: category,
                memo: entry.memo.clone(),
                transfer: entry.transfer,
                enabled: entry.enabled,
            }
            .normalized();
            specs.push(spec);
        }
        if !unknown.is_empty() {
            unknown.sort();
            unknown.dedup();
            return Err(BooksError::RulesFileUnknownCategories { names: unknown });
        }
        for (i, spec) in specs.iter().enumerate() {
            spec.validate().map_err(|e| BooksError::RulesFileInvalidRule { number: i + 1, source: Box::new(e) })?;
        }
        if replace {
            tx.execute("DELETE FROM rules", [])?;
        }
        let start: i64 = tx.query_row("SELECT ifnull(max(position) + 1, 0) FROM rules", [], |r| r.get(0))?;
        for (i, spec) in specs.iter().enumerate() {
            insert_rule(&tx, start + i as i64, spec, now)?;
        }
        tx.commit()?;
        Ok(specs.len())
    }

    /// The person's change to one line. Whatever they set, no rule or detection changes again.
    /// Unmarking one side of a detected pair unmarks the other side too.
    pub fn edit_line(&mut self, id: i64, edit: &LineEdit) -> Result<(), BooksError> {
        let tx = self.conn.transaction()?;
        set_line(&tx, id, edit)?;
        // When each field was set, for the household's other desktops (store/share.rs).
        let key = super::share::line_key(&tx, id)?;
        for (field, edited) in [
            ("category", edit.category.is_some()),
            ("memo", edit.memo.is_some()),
            ("transfer", edit.transfer.is_some()),
        ] {
            if edited {
                super::share::stamp(&tx, "line", &key, field)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Gives a line back to the rules: forgets what the person set on it and files it as the
    /// rules now would.
    pub fn reset_line(&mut self, id: i64) -> Result<(), BooksError> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE transactions SET category_id = NULL, category_by = NULL, rule_id = NULL, memo = NULL, memo_by = NULL,
                 transfer = CASE WHEN transfer_by = 'detected' THEN transfer ELSE 0 END,
                 transfer_by = CASE WHEN transfer_by = 'detected' THEN transfer_by END
             WHERE id = ?1",
            [id],
        )?;
        if n == 0 {
            return Err(BooksError::UnknownTransaction(id));
        }
        let matcher = Matcher::new(&load_rules(&tx)?);
        let (account, amount, folded): (i64, i64, String) =
            tx.query_row("SELECT account_id, amount, remarks_folded FROM transactions WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let d = matcher.decide(LineFacts { folded: &folded, amount, account: AccountId(account) });
        tx.execute(
            "UPDATE transactions SET category_id = ?2, category_by = ?3, rule_id = ?4, memo = ?5, memo_by = ?6,
                 transfer = max(transfer, ?7), transfer_by = ifnull(transfer_by, ?8)
             WHERE id = ?1",
            params![
                id,
                d.category.map(|(c, _)| c.0),
                d.category.map(|_| "rule"),
                d.category.map(|(_, r)| r.0),
                d.memo.map(|(m, _)| m),
                d.memo.map(|_| "rule"),
                d.transfer.is_some(),
                d.transfer.map(|_| "rule"),
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// How many lines the rules would refile if `spec` were added: the lines its pattern meets
    /// that it would move to another category (what "make a rule from this" offers to change).
    pub fn rule_reach(&self, spec: &RuleSpec) -> Result<i64, BooksError> {
        spec.validate()?;
        let mut rules = self.rules()?;
        let probe = RuleId(i64::MIN);
        rules.insert(0, Rule { id: probe, position: i64::MIN, builtin: None, spec: spec.clone() });
        let matcher = Matcher::new(&rules);
        let mut stmt = self.conn.prepare(
            "SELECT account_id, amount, remarks_folded, category_id FROM transactions WHERE category_by IS NOT 'person'",
        )?;
        let mut rows = stmt.query([])?;
        let mut reach = 0;
        while let Some(r) = rows.next()? {
            let folded: String = r.get(2)?;
            let line = LineFacts { folded: &folded, amount: r.get(1)?, account: AccountId(r.get(0)?) };
            let current = r.get::<_, Option<i64>>(3)?.map(CategoryId);
            if let Some((c, rule)) = matcher.decide(line).category
                && rule == probe
                && Some(c) != current
            {
                reach += 1;
            }
        }
        Ok(reach)
    }

    /// The monthly budget of each 大項目 that has one.
    pub fn budgets(&self) -> Result<Vec<(CategoryId, i64)>, BooksError> {
        let mut stmt = self.conn.prepare_cached("SELECT category_id, monthly FROM budgets ORDER BY category_id")?;
        Ok(stmt.query_map([], |r| Ok((CategoryId(r.get(0)?), r.get(1)?)))?.collect::<Result<_, _>>()?)
    }

    /// Sets (or with `None` removes) a spending 大項目's monthly budget.
    pub fn set_budget(&mut self, id: CategoryId, monthly: Option<i64>) -> Result<(), BooksError> {
        let tree = self.categories()?;
        let c = tree.get(id).ok_or(BooksError::UnknownCategory(id))?;
        if c.parent_id.is_some() || c.kind != Kind::Expense {
            return Err(BooksError::BudgetNotSpending { name: c.name.clone() });
        }
        if let Some(n) = monthly.filter(|n| *n <= 0) {
            return Err(BooksError::BudgetAmount(n));
        }
        let tx = self.conn.transaction()?;
        set_budget(&tx, id, monthly)?;
        stamp_category(&tx, id, &["budget"])?;
        tx.commit()?;
        Ok(())
    }

    /// The other side of a line's transfer pair, if it has one: (its id, its account).
    pub fn transfer_partner(&self, id: i64) -> Result<Option<(i64, AccountId)>, BooksError> {
        Ok(self
            .conn
            .query_row(
                "SELECT p.id, p.account_id FROM transactions t JOIN transactions p ON p.id = t.transfer_pair
                 WHERE t.id = ?1",
                [id],
                |r| Ok((r.get(0)?, AccountId(r.get(1)?))),
            )
            .optional()?)
    }

    /// The first and last JST dates with stored lines, for the books' month picker.
    pub fn history_span(&self) -> Result<Option<(NaiveDate, NaiveDate)>, BooksError> {
        let span: (Option<NaiveDate>, Option<NaiveDate>) =
            self.conn.query_row("SELECT min(transaction_date), max(transaction_date) FROM transactions", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        Ok(span.0.zip(span.1))
    }
}

fn category_exists(conn: &Connection, id: CategoryId) -> rusqlite::Result<bool> {
    conn.query_row("SELECT count(*) FROM categories WHERE id = ?1", [id.0], |r| r.get::<_, i64>(0)).map(|n| n > 0)
}

fn check_references(conn: &Connection, spec: &RuleSpec) -> Result<(), BooksError> {
    if let Some(c) = spec.category_id
        && !category_exists(conn, c)?
    {
        return Err(BooksError::UnknownCategory(c));
    }
    if let Some(a) = spec.account_id {
        let n: i64 = conn.query_row("SELECT count(*) FROM accounts WHERE id = ?1", [a.0], |r| r.get(0))?;
        if n == 0 {
            return Err(StoreError::UnknownAccount(a).into());
        }
    }
    Ok(())
}

fn check_scope(conn: &Connection, scope: ApplyScope) -> Result<(), BooksError> {
    if let ApplyScope::Rule(id) = scope {
        let n: i64 = conn.query_row("SELECT count(*) FROM rules WHERE id = ?1", [id.0], |r| r.get(0))?;
        if n == 0 {
            return Err(BooksError::UnknownRule(id));
        }
    }
    Ok(())
}

/// Each account's local id and the id exports show.
fn account_names(conn: &Connection) -> rusqlite::Result<Vec<(AccountId, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, remote_account_id FROM accounts ORDER BY id")?;
    stmt.query_map([], |r| Ok((AccountId(r.get(0)?), r.get(1)?)))?.collect()
}

/// Sets what the person chose on line `id` (no clock: the caller stamps it, or applies another
/// desktop's).
pub(super) fn set_line(tx: &Connection, id: i64, edit: &LineEdit) -> Result<(), BooksError> {
    let pair: Option<Option<i64>> =
        tx.query_row("SELECT transfer_pair FROM transactions WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    let Some(pair) = pair else {
        return Err(BooksError::UnknownTransaction(id));
    };
    if let Some(category) = edit.category {
        if let Some(c) = category
            && !category_exists(tx, c)?
        {
            return Err(BooksError::UnknownCategory(c));
        }
        tx.execute(
            "UPDATE transactions SET category_id = ?2, category_by = 'person', rule_id = NULL WHERE id = ?1",
            params![id, category.map(|c| c.0)],
        )?;
    }
    if let Some(memo) = &edit.memo {
        let memo = memo.as_deref().map(str::trim).filter(|m| !m.is_empty());
        tx.execute("UPDATE transactions SET memo = ?2, memo_by = 'person' WHERE id = ?1", params![id, memo])?;
    }
    if let Some(transfer) = edit.transfer {
        let mut set = tx.prepare_cached(
            "UPDATE transactions SET transfer = ?2, transfer_by = 'person', transfer_pair = CASE WHEN ?2 THEN transfer_pair END
             WHERE id = ?1",
        )?;
        set.execute(params![id, transfer])?;
        if !transfer && let Some(other) = pair {
            set.execute(params![other, false])?;
        }
    }
    Ok(())
}

/// Deletes a category and its 中項目s inside `tx` (see [`Store::delete_category`]).
pub(super) fn delete_category(tx: &Connection, id: CategoryId, move_to: Option<CategoryId>) -> Result<(), BooksError> {
    let tree = load_categories(tx)?;
    let c = tree.get(id).ok_or(BooksError::UnknownCategory(id))?;
    let doomed = tree.with_children(id);
    if let Some(target) = move_to {
        if tree.get(target).is_none() {
            return Err(BooksError::UnknownCategory(target));
        }
        if doomed.contains(&target) {
            return Err(BooksError::MoveIntoDeleted { name: c.name.clone() });
        }
    }
    let ids = serde_json::to_string(&doomed.iter().map(|c| c.0).collect::<Vec<_>>()).expect("ids serialise");
    tx.execute(
        "UPDATE transactions SET category_id = ?2,
             category_by = CASE WHEN ?2 IS NULL AND category_by = 'rule' THEN NULL ELSE category_by END
         WHERE category_id IN (SELECT value FROM json_each(?1))",
        params![ids, move_to.map(|c| c.0)],
    )?;
    if move_to.is_none() {
        tx.execute(
            "DELETE FROM rules WHERE category_id IN (SELECT value FROM json_each(?1)) AND memo IS NULL AND transfer = 0",
            [&ids],
        )?;
    }
    tx.execute(
        "UPDATE rules SET category_id = ?2 WHERE category_id IN (SELECT value FROM json_each(?1))",
        params![ids, move_to.map(|c| c.0)],
    )?;
    let (parent, kind) = (c.parent_id, c.kind);
    tx.execute("DELETE FROM categories WHERE id = ?1", [id.0])?;
    renumber(tx, "categories", &siblings(tx, parent, kind, id)?)?;
    Ok(())
}

/// Records that the person set `fields` of category `id` now (store/share.rs).
fn stamp_category(tx: &Connection, id: CategoryId, fields: &[&str]) -> Result<(), StoreError> {
    let uid: String = tx.query_row("SELECT uid FROM categories WHERE id = ?1", [id.0], |r| r.get(0))?;
    for field in fields {
        super::share::stamp(tx, "category", &uid, field)?;
    }
    Ok(())
}

/// A 大項目's monthly budget as given (checked by the caller), or none.
pub(super) fn set_budget(tx: &Connection, id: CategoryId, monthly: Option<i64>) -> Result<(), StoreError> {
    match monthly {
        Some(n) => tx.execute(
            "INSERT INTO budgets (category_id, monthly) VALUES (?1, ?2)
             ON CONFLICT (category_id) DO UPDATE SET monthly = excluded.monthly",
            params![id.0, n],
        )?,
        None => tx.execute("DELETE FROM budgets WHERE category_id = ?1", [id.0])?,
    };
    Ok(())
}
