-- Schema 2: the trigram index is keyed by the history's own order, so a search walks its matches
-- newest first and stops after a page instead of collecting and sorting every match.
--
-- The index's rowid is the search key: the JST date as days since 1970-01-01, times 2^40, plus
-- the transaction's id (ids stay far below 2^40). Descending key order is exactly the history's
-- newest-first order (date, then id), and `key & (2^40 - 1)` is the id again. The index is
-- contentless (the text is not stored twice) with deletes enabled; an external-content index
-- would have to share the table's rowid.
DROP TRIGGER transactions_fts_insert;
DROP TRIGGER transactions_fts_delete;
DROP TRIGGER transactions_fts_update;
DROP TABLE transactions_fts;

CREATE VIRTUAL TABLE transactions_fts USING fts5 (
    remarks_folded, content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO transactions_fts (rowid, remarks_folded)
    SELECT unixepoch(transaction_date) / 86400 * 1099511627776 + id, remarks_folded FROM transactions;

CREATE TRIGGER transactions_fts_insert AFTER INSERT ON transactions BEGIN
    INSERT INTO transactions_fts (rowid, remarks_folded)
    VALUES (unixepoch(new.transaction_date) / 86400 * 1099511627776 + new.id, new.remarks_folded);
END;
CREATE TRIGGER transactions_fts_delete AFTER DELETE ON transactions BEGIN
    DELETE FROM transactions_fts
    WHERE rowid = unixepoch(old.transaction_date) / 86400 * 1099511627776 + old.id;
END;
CREATE TRIGGER transactions_fts_update AFTER UPDATE OF transaction_date, remarks_folded ON transactions BEGIN
    DELETE FROM transactions_fts
    WHERE rowid = unixepoch(old.transaction_date) / 86400 * 1099511627776 + old.id;
    INSERT INTO transactions_fts (rowid, remarks_folded)
    VALUES (unixepoch(new.transaction_date) / 86400 * 1099511627776 + new.id, new.remarks_folded);
END;
