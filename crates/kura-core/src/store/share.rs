//! What sharing a household keeps in the store: this desktop's id and clock, when each field the
//! person edits was set, what this desktop's log has carried, and applying another desktop's
//! segment (share/ reads and writes the files).
//!
//! Bank data is applied by the natural keys a sync already uses, so a segment applied twice adds
//! nothing; what the person sets is applied field by field when its clock is later than the
//! field's here (last writer wins, by a hybrid logical clock), so desktops converge whatever
//! order segments arrive in.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{AccountSyncEnd, LineEdit, Store, StoreError, books};
use crate::books::BooksError;
use crate::model::{AccountId, CategoryId, LinkId, MemberId, RemoteAccount, Transaction};
use crate::share::records::{
    AccountRecord, BalanceRecord, Body, CategoryClocks, CategoryRecord, CategoryTombstone, LineEdit as EditRecord,
    LineField, LineRecord, LinkRecord, MemberRecord, Tombstone,
};

/// This desktop's id in the household's logs (32 hex digits), made on first use.
pub(crate) fn desktop_id(conn: &Connection) -> Result<String, StoreError> {
    if let Some(id) = state(conn, "desktop")? {
        return Ok(id);
    }
    let id = hex::encode(rand::random::<[u8; 16]>());
    set_state(conn, "desktop", &id)?;
    Ok(id)
}

fn state(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn.query_row("SELECT value FROM share_state WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

fn set_state(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO share_state (key, value) VALUES (?1, ?2) ON CONFLICT DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// A hybrid logical clock reading: milliseconds, a counter for readings within one, and the
/// desktop that made it. Its text sorts as the clock does.
fn hlc_text(ms: i64, counter: u32, desktop: &str) -> String {
    format!("{ms:013}.{counter:04}.{desktop}")
}

fn hlc_parts(hlc: &str) -> Option<(i64, u32)> {
    let mut parts = hlc.splitn(3, '.');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// The next reading of this desktop's clock: never behind the wall clock, nor behind any
/// reading it has made or seen.
fn next_hlc(conn: &Connection) -> Result<String, StoreError> {
    let desktop = desktop_id(conn)?;
    let last = state(conn, "hlc")?.and_then(|h| hlc_parts(&h)).unwrap_or((0, 0));
    let now = Utc::now().timestamp_millis();
    let (ms, counter) = if now > last.0 { (now, 0) } else { (last.0, last.1 + 1) };
    set_state(conn, "hlc", &hlc_text(ms, counter, ""))?;
    Ok(hlc_text(ms, counter, &desktop))
}

/// Moves this desktop's clock past another desktop's reading.
fn observe_hlc(conn: &Connection, seen: &str) -> Result<(), StoreError> {
    let (Some(seen), last) = (hlc_parts(seen), state(conn, "hlc")?.and_then(|h| hlc_parts(&h)).unwrap_or((0, 0)))
    else {
        return Ok(());
    };
    if seen > last {
        set_state(conn, "hlc", &hlc_text(seen.0, seen.1, ""))?;
    }
    Ok(())
}

/// Records that the person set `field` of `entity` `key` now.
pub(crate) fn stamp(conn: &Connection, entity: &str, key: &str, field: &str) -> Result<(), StoreError> {
    let hlc = next_hlc(conn)?;
    set_clock(conn, entity, key, field, &hlc)
}

fn set_clock(conn: &Connection, entity: &str, key: &str, field: &str, hlc: &str) -> Result<(), StoreError> {
    set_clock_detail(conn, entity, key, field, hlc, None)
}

fn set_clock_detail(
    conn: &Connection,
    entity: &str,
    key: &str,
    field: &str,
    hlc: &str,
    detail: Option<&str>,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO field_clocks (entity, key, field, hlc, detail) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO UPDATE SET hlc = excluded.hlc, detail = excluded.detail",
        params![entity, key, field, hlc, detail],
    )?;
    Ok(())
}

/// Records that the person set `field` now, with a detail the other desktops need (a deleted
/// category's: where its lines went).
pub(crate) fn stamp_detail(
    conn: &Connection,
    entity: &str,
    key: &str,
    field: &str,
    detail: Option<&str>,
) -> Result<(), StoreError> {
    let hlc = next_hlc(conn)?;
    set_clock_detail(conn, entity, key, field, &hlc, detail)
}

/// When `field` of `entity` `key` was last set ("" when never: any reading is later).
fn clock(conn: &Connection, entity: &str, key: &str, field: &str) -> Result<String, StoreError> {
    Ok(conn
        .query_row(
            "SELECT hlc FROM field_clocks WHERE entity = ?1 AND key = ?2 AND field = ?3",
            params![entity, key, field],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// An account's key on every desktop: union, branch, type and number.
const ACCOUNT_KEY: &str =
    "a.bank_code || '/' || a.branch_code || '/' || a.account_type_code || '/' || a.account_number";

/// A line's natural key on every desktop: its account's, then the bank's item key, or else its
/// date, content hash and place among identical lines that day.
pub(crate) fn line_key(conn: &Connection, id: i64) -> Result<String, StoreError> {
    Ok(conn.query_row(
        &format!(
            "SELECT {ACCOUNT_KEY} || CASE WHEN t.item_key IS NOT NULL THEN '|k|' || t.item_key
                 ELSE '|f|' || t.transaction_date || '|' || t.fingerprint || '|' || t.occurrence END
             FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE t.id = ?1"
        ),
        [id],
        |r| r.get(0),
    )?)
}

/// The line a natural key names here, if it is stored.
fn line_by_key(conn: &Connection, key: &str) -> Result<Option<i64>, StoreError> {
    let Some((account, rest)) = key.split_once('|') else { return Ok(None) };
    let parts: Vec<&str> = account.splitn(4, '/').collect();
    let [bank, branch, kind, number] = parts[..] else { return Ok(None) };
    let account: Option<i64> = conn
        .query_row(
            "SELECT id FROM accounts WHERE bank_code = ?1 AND branch_code = ?2 AND account_type_code = ?3
                 AND account_number = ?4",
            params![bank, branch, kind, number],
            |r| r.get(0),
        )
        .optional()?;
    let Some(account) = account else { return Ok(None) };
    let found = if let Some(item_key) = rest.strip_prefix("k|") {
        conn.query_row(
            "SELECT id FROM transactions WHERE account_id = ?1 AND item_key = ?2",
            params![account, item_key],
            |r| r.get(0),
        )
        .optional()?
    } else if let Some(f) = rest.strip_prefix("f|") {
        let parts: Vec<&str> = f.splitn(3, '|').collect();
        let [date, fingerprint, occurrence] = parts[..] else { return Ok(None) };
        let (Ok(fingerprint), Ok(occurrence)) = (fingerprint.parse::<i64>(), occurrence.parse::<i64>()) else {
            return Ok(None);
        };
        conn.query_row(
            "SELECT id FROM transactions WHERE account_id = ?1 AND transaction_date = ?2 AND fingerprint = ?3
                 AND occurrence = ?4",
            params![account, date, fingerprint, occurrence],
            |r| r.get(0),
        )
        .optional()?
    } else {
        None
    };
    Ok(found)
}

/// What a segment of this desktop's log will carry, and how far it takes the log.
#[derive(Debug)]
pub struct Outbox {
    pub body: Body,
    marks: Marks,
}

#[derive(Debug, Clone)]
struct Marks {
    transaction: i64,
    balance: i64,
    edit: String,
    snapshot: String,
}

/// What applying a segment did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub lines: u64,
    pub edits: u64,
    /// Edits of lines not stored here yet (another desktop's log brings them): the segment is
    /// applied again later.
    pub waiting: u64,
}

impl Store {
    /// This desktop's id in the household's logs.
    pub fn desktop_id(&self) -> Result<String, StoreError> {
        desktop_id(&self.conn)
    }

    pub fn share_state(&self, key: &str) -> Result<Option<String>, StoreError> {
        state(&self.conn, key)
    }

    pub fn set_share_state(&mut self, key: &str, value: Option<&str>) -> Result<(), StoreError> {
        match value {
            Some(v) => set_state(&self.conn, key, v),
            None => {
                self.conn.execute("DELETE FROM share_state WHERE key = ?1", [key])?;
                Ok(())
            }
        }
    }

    /// Forgets what this desktop's log carried and what it applied of the others' (leaving a
    /// household: the data stays, a later household starts its log from the beginning).
    pub fn reset_share(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM share_state WHERE key NOT IN ('desktop', 'hlc');
             DELETE FROM share_applied; DELETE FROM share_peers;
             UPDATE links SET polled_by = NULL, share_key = NULL WHERE polled_by IS NOT NULL;",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Gives every field the person set before the household was shared a clock, so that it
    /// travels and is ordered against the other desktops' edits.
    pub fn stamp_unclocked(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let members: Vec<String> =
            tx.prepare("SELECT uid FROM members")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        for uid in members {
            for field in ["name", "colour"] {
                if clock(&tx, "member", &uid, field)?.is_empty() {
                    stamp(&tx, "member", &uid, field)?;
                }
            }
        }
        // Categories as the person made them: their own, and a starter category's names where
        // they differ from the starter set (else a new desktop's defaults would count as edits).
        let mut defaults: HashMap<String, (String, String)> = HashMap::new();
        for top in &crate::books::starter::starter().categories {
            defaults.insert(format!("builtin:{}", top.key), (top.ja.clone(), top.en.clone()));
            for sub in &top.sub {
                defaults.insert(format!("builtin:{}", sub.key), (sub.ja.clone(), sub.en.clone()));
            }
        }
        let categories: Vec<(String, String, Option<String>, bool, bool)> = tx
            .prepare(
                "SELECT c.uid, c.name, c.name_en, c.journal_account IS NOT NULL, b.monthly IS NOT NULL
                 FROM categories c LEFT JOIN budgets b ON b.category_id = c.id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<Result<_, _>>()?;
        for (uid, name, name_en, journal, budget) in categories {
            let default = defaults.get(&uid);
            let fields = [
                ("name", default.is_none_or(|(ja, _)| *ja != name)),
                ("name_en", default.is_none_or(|(_, en)| Some(en) != name_en.as_ref())),
                ("journal_account", journal),
                ("budget", budget),
            ];
            for (field, set) in fields {
                if set && clock(&tx, "category", &uid, field)?.is_empty() {
                    stamp(&tx, "category", &uid, field)?;
                }
            }
        }
        let edited: Vec<(i64, bool, bool, bool)> = tx
            .prepare(
                "SELECT id, category_by IS 'person', memo_by IS 'person', transfer_by IS 'person' FROM transactions
                 WHERE 'person' IN (category_by, memo_by, transfer_by)",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        for (id, category, memo, transfer) in edited {
            let key = line_key(&tx, id)?;
            for (field, set) in [("category", category), ("memo", memo), ("transfer", transfer)] {
                if set && clock(&tx, "line", &key, field)?.is_empty() {
                    stamp(&tx, "line", &key, field)?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// What this desktop's next segment carries: its members, its own categories, the links it
    /// polls with their accounts' state, and the lines, balances and the person's edits new
    /// since the last segment. `None` when nothing changed.
    pub fn outbox(&self, desktop_name: &str) -> Result<Option<Outbox>, StoreError> {
        let conn = &self.conn;
        let desktop = desktop_id(conn)?;
        let number =
            |key: &str| -> Result<i64, StoreError> { Ok(state(conn, key)?.and_then(|v| v.parse().ok()).unwrap_or(0)) };
        let (after_tx, after_balance) = (number("out.transaction")?, number("out.balance")?);
        let after_edit = state(conn, "out.edit")?.unwrap_or_default();
        let mut body = Body { desktop_name: desktop_name.to_owned(), ..Body::default() };

        let mut members = conn.prepare("SELECT uid, name, colour FROM members ORDER BY id")?;
        for row in members.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))? {
            let (uid, name, colour) = row?;
            body.members.push(MemberRecord {
                name_set: clock(conn, "member", &uid, "name")?,
                colour_set: clock(conn, "member", &uid, "colour")?,
                uid,
                name,
                colour,
            });
        }
        let mut removed = conn.prepare(
            "SELECT key, hlc FROM field_clocks WHERE entity = 'member' AND field = 'removed'
             AND key NOT IN (SELECT uid FROM members) ORDER BY key",
        )?;
        body.removed_members =
            removed.query_map([], |r| Ok(Tombstone { uid: r.get(0)?, at: r.get(1)? }))?.collect::<Result<_, _>>()?;
        let mut categories = conn.prepare(
            "SELECT c.uid, p.uid, c.kind, c.name, c.name_en, c.journal_account, b.monthly
             FROM categories c LEFT JOIN categories p ON p.id = c.parent_id LEFT JOIN budgets b ON b.category_id = c.id
             WHERE c.builtin IS NULL OR c.uid IN (SELECT key FROM field_clocks WHERE entity = 'category')
             ORDER BY c.parent_id IS NOT NULL, c.id",
        )?;
        let rows: Vec<CategoryRecord> = categories
            .query_map([], |r| {
                Ok(CategoryRecord {
                    uid: r.get(0)?,
                    parent: r.get(1)?,
                    kind: r.get(2)?,
                    name: r.get(3)?,
                    name_en: r.get(4)?,
                    journal_account: r.get(5)?,
                    budget: r.get(6)?,
                    set: CategoryClocks::default(),
                })
            })?
            .collect::<Result<_, _>>()?;
        for mut c in rows {
            c.set = CategoryClocks {
                name: clock(conn, "category", &c.uid, "name")?,
                name_en: clock(conn, "category", &c.uid, "name_en")?,
                journal_account: clock(conn, "category", &c.uid, "journal_account")?,
                budget: clock(conn, "category", &c.uid, "budget")?,
            };
            body.categories.push(c);
        }
        let mut removed = conn.prepare(
            "SELECT key, hlc, detail FROM field_clocks WHERE entity = 'category' AND field = 'removed'
             AND key NOT IN (SELECT uid FROM categories) ORDER BY key",
        )?;
        body.removed_categories = removed
            .query_map([], |r| Ok(CategoryTombstone { uid: r.get(0)?, at: r.get(1)?, moved_to: r.get(2)? }))?
            .collect::<Result<_, _>>()?;
        let mut links = conn.prepare(
            "SELECT l.id, l.bank_code, l.profile, m.uid, l.status, l.consent_expires_at, l.last_sync_at
             FROM links l JOIN members m ON m.id = l.member_id WHERE l.polled_by IS NULL ORDER BY l.id",
        )?;
        body.links = links
            .query_map([], |r| {
                Ok(LinkRecord {
                    key: format!("{desktop}/{}", r.get::<_, i64>(0)?),
                    bank_code: r.get(1)?,
                    profile: r.get(2)?,
                    member: r.get(3)?,
                    status: r.get(4)?,
                    consent_expires_at: r.get(5)?,
                    last_sync_at: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut accounts = conn.prepare(
            "SELECT a.id, a.link_id, a.remote_account_id, a.bank_code, a.branch_code, a.branch_name, a.account_type_code,
                    a.account_type_name, a.account_number, a.account_name_kana, a.currency, a.synced_through,
                    a.last_synced_at
             FROM accounts a JOIN links l ON l.id = a.link_id WHERE l.polled_by IS NULL ORDER BY a.id",
        )?;
        let mut ids = Vec::new();
        for row in accounts.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                AccountRecord {
                    link: format!("{desktop}/{}", r.get::<_, i64>(1)?),
                    remote_account_id: r.get(2)?,
                    identity: super::account_identity(r)?,
                    currency: r.get(10)?,
                    synced_through: r.get(11)?,
                    last_synced_at: r.get(12)?,
                    lines: Vec::new(),
                    balances: Vec::new(),
                },
            ))
        })? {
            let (id, record) = row?;
            ids.push(id);
            body.accounts.push(record);
        }
        // The snapshot (members, categories, links, accounts' state) travels again only when it
        // changed; lines, balances and edits by watermark.
        let snapshot = hex::encode(Sha256::digest(
            serde_json::to_vec(&(
                &body.members,
                &body.removed_members,
                &body.categories,
                &body.removed_categories,
                &body.links,
                &body.accounts,
            ))
            .expect("records serialise"),
        ));
        let mut marks = Marks { transaction: after_tx, balance: after_balance, edit: after_edit.clone(), snapshot };
        let by_id: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut lines = conn.prepare(
            "SELECT id, account_id, transaction_date, value_date, amount, balance_after, remarks, item_key, occurrence
             FROM transactions WHERE id > ?1 ORDER BY account_id, transaction_date, id",
        )?;
        let mut rows = lines.query([after_tx])?;
        let mut new_lines = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            marks.transaction = marks.transaction.max(id);
            let Some(&at) = by_id.get(&r.get::<_, i64>(1)?) else { continue };
            new_lines += 1;
            body.accounts[at].lines.push(LineRecord {
                date: r.get(2)?,
                value_date: r.get(3)?,
                amount: r.get(4)?,
                balance: r.get(5)?,
                remarks: r.get(6)?,
                item_key: r.get(7)?,
                occurrence: r.get(8)?,
            });
        }
        let mut balances = conn.prepare(
            "SELECT id, account_id, balance, withdrawable, base_date, base_at, fetched_at FROM balance_snapshots
             WHERE id > ?1 ORDER BY id",
        )?;
        let mut rows = balances.query([after_balance])?;
        let mut new_balances = 0;
        while let Some(r) = rows.next()? {
            marks.balance = marks.balance.max(r.get(0)?);
            let Some(&at) = by_id.get(&r.get::<_, i64>(1)?) else { continue };
            new_balances += 1;
            body.accounts[at].balances.push(BalanceRecord {
                balance: r.get(2)?,
                withdrawable: r.get(3)?,
                base_date: r.get(4)?,
                base_at: r.get(5)?,
                fetched_at: r.get(6)?,
            });
        }
        // This desktop's own edits since the last segment (the others' travel in their logs).
        let mut edits = conn.prepare(
            "SELECT key, field, hlc FROM field_clocks WHERE entity = 'line' AND hlc > ?1 AND hlc LIKE '%.' || ?2
             ORDER BY hlc",
        )?;
        let found: Vec<(String, String, String)> = edits
            .query_map(params![after_edit, desktop], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        for (line, field, at) in found {
            marks.edit = marks.edit.max(at.clone());
            let Some(id) = line_by_key(conn, &line)? else { continue };
            let (category, memo, transfer): (Option<String>, Option<String>, bool) = conn.query_row(
                "SELECT c.uid, t.memo, t.transfer FROM transactions t LEFT JOIN categories c ON c.id = t.category_id
                 WHERE t.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let field = match field.as_str() {
                "category" => LineField::Category(category),
                "memo" => LineField::Memo(memo),
                _ => LineField::Transfer(transfer),
            };
            body.line_edits.push(EditRecord { line, field, at });
        }
        let unchanged = state(conn, "out.snapshot")?.as_deref() == Some(marks.snapshot.as_str());
        if unchanged && new_lines == 0 && new_balances == 0 && body.line_edits.is_empty() {
            return Ok(None);
        }
        body.written_at = Some(Utc::now());
        Ok(Some(Outbox { body, marks }))
    }

    /// Records that `outbox` went out as segment `seq`: the next one carries what is newer.
    pub fn mark_sent(&mut self, outbox: &Outbox, seq: u64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let m = &outbox.marks;
        set_state(&tx, "out.transaction", &m.transaction.to_string())?;
        set_state(&tx, "out.balance", &m.balance.to_string())?;
        set_state(&tx, "out.edit", &m.edit)?;
        set_state(&tx, "out.snapshot", &m.snapshot)?;
        set_state(&tx, "out.seq", &seq.to_string())?;
        tx.commit()?;
        Ok(())
    }

    /// Whether segment `seq` of `desktop`'s log was applied here.
    pub fn segment_applied(&self, desktop: &str, seq: u64) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM share_applied WHERE desktop = ?1 AND seq = ?2",
                params![desktop, seq as i64],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// The household's other desktops as their logs told: (id, name, last heard from, last segment).
    pub fn share_peers(&self) -> Result<Vec<(String, String, DateTime<Utc>, u64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT desktop, name, last_heard_at, last_seq FROM share_peers ORDER BY name, desktop")?;
        Ok(stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? as u64)))?
            .collect::<Result<_, _>>()?)
    }

    /// Notes a file of the shared folder that was not applied, and why.
    pub fn record_share_event(&mut self, file: &str, problem: &str, detail: Option<&str>) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO share_events (at, file, problem, detail) VALUES (?1, ?2, ?3, ?4)",
            params![Utc::now(), file, problem, detail],
        )?;
        Ok(())
    }

    /// The latest notes about the shared folder, newest first: (when, file, problem, detail).
    pub fn share_events(
        &self,
        limit: usize,
    ) -> Result<Vec<(DateTime<Utc>, String, String, Option<String>)>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT at, file, problem, detail FROM share_events ORDER BY id DESC LIMIT ?1")?;
        Ok(stmt
            .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?)
    }

    /// Applies segment `seq` of desktop `from`'s log. The members, categories, links, accounts
    /// and balances go in one transaction, each account's lines in one more (as a sync's), the
    /// person's edits in a last one; the segment counts as applied once all of it is, so a crash
    /// in between applies it again, which changes nothing twice.
    pub fn apply_segment(
        &mut self,
        from: &str,
        seq: u64,
        body: &Body,
        now: DateTime<Utc>,
    ) -> Result<Applied, BooksError> {
        let mut applied = Applied::default();
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        for m in &body.members {
            observe_hlc(&tx, &m.name_set)?;
            observe_hlc(&tx, &m.colour_set)?;
        }
        for e in &body.line_edits {
            observe_hlc(&tx, &e.at)?;
        }
        for m in &body.members {
            apply_member(&tx, m, now)?;
        }
        for t in &body.removed_members {
            remove_member(&tx, t, now)?;
        }
        for c in &body.categories {
            apply_category(&tx, c, now)?;
        }
        for t in &body.removed_categories {
            remove_category(&tx, t)?;
        }
        let mut link_ids = HashMap::new();
        for l in &body.links {
            link_ids.insert(l.key.as_str(), apply_link(&tx, from, l, now)?);
        }
        let mut accounts = Vec::new();
        for a in &body.accounts {
            let Some(&link) = link_ids.get(a.link.as_str()) else { continue };
            accounts.push((apply_account(&tx, link, a, now)?, a));
        }
        tx.commit().map_err(StoreError::from)?;

        for (account, record) in accounts.into_iter().filter(|(_, a)| !a.lines.is_empty()) {
            let fetched_at = record.last_synced_at.unwrap_or(now);
            let mut writer = self.account_writer(account, None, fetched_at, true)?;
            let lines: Vec<Transaction> = record
                .lines
                .iter()
                .map(|l| Transaction {
                    transaction_date: l.date,
                    value_date: l.value_date,
                    amount: l.amount,
                    balance: l.balance,
                    remarks: l.remarks.clone(),
                    item_key: l.item_key.clone(),
                })
                .collect();
            let occurrences: Vec<i64> = record.lines.iter().map(|l| l.occurrence).collect();
            writer.add_numbered(&writer.filer().file(lines), &occurrences)?;
            let counts = writer.commit(&AccountSyncEnd { balance: None, synced_through: record.synced_through })?;
            applied.lines += counts.inserted;
        }

        let tx = self.conn.transaction().map_err(StoreError::from)?;
        for e in &body.line_edits {
            match apply_line_edit(&tx, e)? {
                Some(true) => applied.edits += 1,
                Some(false) => {}
                None => applied.waiting += 1,
            }
        }
        if applied.waiting == 0 {
            tx.execute(
                "INSERT OR IGNORE INTO share_applied (desktop, seq, applied_at) VALUES (?1, ?2, ?3)",
                params![from, seq as i64, now],
            )
            .map_err(StoreError::from)?;
        }
        tx.execute(
            "INSERT INTO share_peers (desktop, name, last_heard_at, last_seq) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO UPDATE SET name = excluded.name, last_heard_at = max(last_heard_at, excluded.last_heard_at),
                 last_seq = max(last_seq, excluded.last_seq)",
            params![from, body.desktop_name, body.written_at.unwrap_or(now), seq as i64],
        )
        .map_err(StoreError::from)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(applied)
    }
}

/// A member as another desktop has them: created if new here (a name another member has here
/// gets a number), each field taken when set later there than here.
fn apply_member(conn: &Connection, m: &MemberRecord, now: DateTime<Utc>) -> Result<(), StoreError> {
    let here: Option<i64> =
        conn.query_row("SELECT id FROM members WHERE uid = ?1", [&m.uid], |r| r.get(0)).optional()?;
    let Some(id) = here else {
        let removed = clock(conn, "member", &m.uid, "removed")?;
        if !removed.is_empty() && removed >= m.name_set.clone().max(m.colour_set.clone()) {
            return Ok(());
        }
        let name = free_member_name(conn, &m.name, None)?;
        conn.execute(
            "INSERT INTO members (name, colour, created_at, updated_at, uid) VALUES (?1, ?2, ?3, ?3, ?4)",
            params![name, m.colour, now, m.uid],
        )?;
        set_clock(conn, "member", &m.uid, "name", &m.name_set)?;
        set_clock(conn, "member", &m.uid, "colour", &m.colour_set)?;
        return Ok(());
    };
    if m.name_set > clock(conn, "member", &m.uid, "name")? {
        let name = free_member_name(conn, &m.name, Some(id))?;
        conn.execute("UPDATE members SET name = ?2, updated_at = ?3 WHERE id = ?1", params![id, name, now])?;
        set_clock(conn, "member", &m.uid, "name", &m.name_set)?;
    }
    if m.colour_set > clock(conn, "member", &m.uid, "colour")? {
        conn.execute("UPDATE members SET colour = ?2, updated_at = ?3 WHERE id = ?1", params![id, m.colour, now])?;
        set_clock(conn, "member", &m.uid, "colour", &m.colour_set)?;
    }
    Ok(())
}

/// `name`, or `name (2)`, `name (3)` … when another member (not `except`) has it here.
fn free_member_name(conn: &Connection, name: &str, except: Option<i64>) -> Result<String, StoreError> {
    let taken = |candidate: &str| -> Result<bool, StoreError> {
        Ok(conn
            .query_row("SELECT 1 FROM members WHERE name = ?1 AND id IS NOT ?2", params![candidate, except], |_| Ok(()))
            .optional()?
            .is_some())
    };
    let mut candidate = name.to_owned();
    let mut n = 1;
    while taken(&candidate)? {
        n += 1;
        candidate = format!("{name} ({n})");
    }
    Ok(candidate)
}

/// A member another desktop removed: their links go to the first other member, unless they were
/// edited here after the removal.
fn remove_member(conn: &Connection, t: &Tombstone, now: DateTime<Utc>) -> Result<(), StoreError> {
    observe_hlc(conn, &t.at)?;
    let here: Option<i64> =
        conn.query_row("SELECT id FROM members WHERE uid = ?1", [&t.uid], |r| r.get(0)).optional()?;
    if let Some(id) = here {
        let edited = clock(conn, "member", &t.uid, "name")?.max(clock(conn, "member", &t.uid, "colour")?);
        let heir: Option<i64> = conn.query_row("SELECT min(id) FROM members WHERE id <> ?1", [id], |r| r.get(0))?;
        if edited > t.at || heir.is_none() {
            return Ok(());
        }
        conn.execute("UPDATE links SET member_id = ?2, updated_at = ?3 WHERE member_id = ?1", params![id, heir, now])?;
        conn.execute("DELETE FROM members WHERE id = ?1", [id])?;
    }
    if t.at > clock(conn, "member", &t.uid, "removed")? {
        set_clock(conn, "member", &t.uid, "removed", &t.at)?;
    }
    Ok(())
}

/// A category as the other desktop has it: created when this one lacks it (and did not delete
/// it later), each field the person set taken when set later there than here. A name a sibling
/// has here already stays as it is here.
fn apply_category(conn: &Connection, c: &CategoryRecord, now: DateTime<Utc>) -> Result<(), BooksError> {
    let exists = |uid: &str| -> Result<Option<i64>, StoreError> {
        Ok(conn.query_row("SELECT id FROM categories WHERE uid = ?1", [uid], |r| r.get(0)).optional()?)
    };
    if exists(&c.uid)?.is_none() {
        let removed = clock(conn, "category", &c.uid, "removed")?;
        let latest = [&c.set.name, &c.set.name_en, &c.set.journal_account, &c.set.budget].into_iter().max().cloned();
        if removed.is_empty() || latest.is_some_and(|l| l > removed) {
            create_category(conn, c, now)?;
        }
    }
    let Some(id) = exists(&c.uid)? else { return Ok(()) };
    let take = |field: &str, set: &str| -> Result<bool, StoreError> {
        Ok(!set.is_empty() && set > clock(conn, "category", &c.uid, field)?.as_str())
    };
    for (field, set, value) in [("name", &c.set.name, Some(&c.name)), ("name_en", &c.set.name_en, c.name_en.as_ref())] {
        if take(field, set)? {
            // A name a sibling has here already: this desktop keeps its own.
            match conn.execute(&format!("UPDATE categories SET {field} = ?2 WHERE id = ?1"), params![id, value]) {
                Ok(_) => set_clock(conn, "category", &c.uid, field, set)?,
                Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {}
                Err(e) => return Err(StoreError::from(e).into()),
            }
        }
    }
    if take("journal_account", &c.set.journal_account)? {
        conn.execute("UPDATE categories SET journal_account = ?2 WHERE id = ?1", params![id, c.journal_account])
            .map_err(StoreError::from)?;
        set_clock(conn, "category", &c.uid, "journal_account", &c.set.journal_account)?;
    }
    if take("budget", &c.set.budget)? {
        books::set_budget(conn, CategoryId(id), c.budget)?;
        set_clock(conn, "category", &c.uid, "budget", &c.set.budget)?;
    }
    Ok(())
}

/// A category another desktop deleted, unless edited here since: its lines and rules go where
/// they went there.
fn remove_category(conn: &Connection, t: &CategoryTombstone) -> Result<(), BooksError> {
    observe_hlc(conn, &t.at)?;
    let here: Option<i64> = conn
        .query_row("SELECT id FROM categories WHERE uid = ?1", [&t.uid], |r| r.get(0))
        .optional()
        .map_err(StoreError::from)?;
    if let Some(id) = here {
        let mut edited = String::new();
        for field in ["name", "name_en", "journal_account", "budget"] {
            edited = edited.max(clock(conn, "category", &t.uid, field)?);
        }
        if edited > t.at {
            return Ok(());
        }
        let to = match &t.moved_to {
            Some(uid) => conn
                .query_row("SELECT id FROM categories WHERE uid = ?1", [uid], |r| r.get(0))
                .optional()
                .map_err(StoreError::from)?
                .filter(|to: &i64| *to != id)
                .map(CategoryId),
            None => None,
        };
        books::delete_category(conn, CategoryId(id), to)?;
    }
    if t.at > clock(conn, "category", &t.uid, "removed")? {
        set_clock_detail(conn, "category", &t.uid, "removed", &t.at, t.moved_to.as_deref())?;
    }
    Ok(())
}

/// Creates a category another desktop made (its parent first; skipped while the parent is not
/// here). A name its siblings have here gets a number.
fn create_category(conn: &Connection, c: &CategoryRecord, now: DateTime<Utc>) -> Result<(), StoreError> {
    let exists = |uid: &str| -> Result<Option<i64>, StoreError> {
        Ok(conn.query_row("SELECT id FROM categories WHERE uid = ?1", [uid], |r| r.get(0)).optional()?)
    };
    let parent = match &c.parent {
        Some(p) => match exists(p)? {
            Some(id) => Some(id),
            None => return Ok(()),
        },
        None => None,
    };
    let position: i64 = conn.query_row(
        "SELECT count(*) FROM categories WHERE parent_id IS ?1 AND kind = ?2",
        params![parent, c.kind],
        |r| r.get(0),
    )?;
    let mut name = c.name.clone();
    let mut n = 1;
    loop {
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO categories (parent_id, kind, name, name_en, position, created_at, uid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![parent, c.kind, name, if n == 1 { c.name_en.clone() } else { None }, position, now, c.uid],
        )?;
        if inserted == 1 {
            return Ok(());
        }
        n += 1;
        name = format!("{} ({n})", c.name);
    }
}

/// A link another desktop polls, as this one shows it (without tokens: it never syncs it).
fn apply_link(conn: &Connection, from: &str, l: &LinkRecord, now: DateTime<Utc>) -> Result<LinkId, StoreError> {
    let member: Option<i64> =
        conn.query_row("SELECT id FROM members WHERE uid = ?1", [&l.member], |r| r.get(0)).optional()?;
    let member = match member {
        Some(m) => m,
        None => conn.query_row("SELECT min(id) FROM members", [], |r| r.get(0))?,
    };
    let id = conn.query_row(
        "INSERT INTO links (bank_code, profile, member_id, status, scope, consent_expires_at, created_at, updated_at,
             last_sync_at, polled_by, share_key)
         VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, ?6, ?7, ?8, ?9)
         ON CONFLICT (share_key) WHERE share_key IS NOT NULL DO UPDATE SET
             member_id = excluded.member_id, status = excluded.status, consent_expires_at = excluded.consent_expires_at,
             last_sync_at = max(ifnull(last_sync_at, ''), ifnull(excluded.last_sync_at, '')), updated_at = excluded.updated_at
         RETURNING id",
        params![l.bank_code, l.profile, member, l.status, l.consent_expires_at, now, l.last_sync_at, from, l.key],
        |r| r.get(0),
    )?;
    Ok(LinkId(id))
}

/// An account of a link another desktop polls, its balances and how far it is synced. An account
/// this desktop polls itself stays with its own link.
fn apply_account(
    conn: &Connection,
    link: LinkId,
    a: &AccountRecord,
    now: DateTime<Utc>,
) -> Result<AccountId, StoreError> {
    let i = &a.identity;
    let here: Option<(i64, bool)> = conn
        .query_row(
            "SELECT a.id, l.polled_by IS NULL AND l.status <> 'revoked' FROM accounts a LEFT JOIN links l ON l.id = a.link_id
             WHERE a.bank_code = ?1 AND a.branch_code = ?2 AND a.account_type_code = ?3 AND a.account_number = ?4",
            params![i.bank_code, i.branch_code, i.account_type_code, i.account_number],
            |r| Ok((r.get(0)?, r.get::<_, Option<bool>>(1)?.unwrap_or(false))),
        )
        .optional()?;
    let id = match here {
        Some((id, true)) => id,
        _ => {
            let remote = RemoteAccount {
                account_id: a.remote_account_id.clone(),
                identity: a.identity.clone(),
                currency_code: a.currency.clone(),
            };
            super::write::upsert_account(conn, link, &remote, now)?.0
        }
    };
    for b in &a.balances {
        conn.execute(
            "INSERT INTO balance_snapshots (account_id, balance, withdrawable, base_date, base_at, fetched_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (
                 SELECT 1 FROM balance_snapshots WHERE account_id = ?1 AND base_at = ?5 AND balance = ?2)",
            params![id, b.balance, b.withdrawable, b.base_date, b.base_at, b.fetched_at],
        )?;
    }
    conn.execute(
        "UPDATE accounts SET
             synced_through = CASE WHEN ?2 IS NOT NULL AND (synced_through IS NULL OR synced_through < ?2) THEN ?2
                                   ELSE synced_through END,
             last_synced_at = CASE WHEN ?3 IS NOT NULL AND (last_synced_at IS NULL OR last_synced_at < ?3) THEN ?3
                                   ELSE last_synced_at END
         WHERE id = ?1",
        params![id, a.synced_through, a.last_synced_at],
    )?;
    Ok(AccountId(id))
}

/// One field the person set on a line at another desktop: taken when set later there than here.
/// `None` when the line (or the category it names) is not here yet.
fn apply_line_edit(conn: &Connection, e: &EditRecord) -> Result<Option<bool>, BooksError> {
    let Some(id) = line_by_key(conn, &e.line)? else { return Ok(None) };
    if e.at <= clock(conn, "line", &e.line, e.field.name())? {
        return Ok(Some(false));
    }
    let edit = match &e.field {
        LineField::Category(uid) => {
            let category = match uid {
                None => None,
                Some(uid) => {
                    let found: Option<i64> = conn
                        .query_row("SELECT id FROM categories WHERE uid = ?1", [uid], |r| r.get(0))
                        .optional()
                        .map_err(StoreError::from)?;
                    match found {
                        Some(c) => Some(CategoryId(c)),
                        None => return Ok(None),
                    }
                }
            };
            LineEdit { category: Some(category), memo: None, transfer: None }
        }
        LineField::Memo(memo) => LineEdit { category: None, memo: Some(memo.clone()), transfer: None },
        LineField::Transfer(transfer) => LineEdit { category: None, memo: None, transfer: Some(*transfer) },
    };
    books::set_line(conn, id, &edit)?;
    set_clock(conn, "line", &e.line, e.field.name(), &e.at)?;
    Ok(Some(true))
}

/// A member's change by the person on this desktop, for the household's other desktops.
pub(crate) fn stamp_member(conn: &Connection, member: MemberId, fields: &[&str]) -> Result<(), StoreError> {
    let uid: String = conn.query_row("SELECT uid FROM members WHERE id = ?1", [member.0], |r| r.get(0))?;
    for field in fields {
        stamp(conn, "member", &uid, field)?;
    }
    Ok(())
}
