-- The trigram index is no longer fed row by row: a statement that writes to an FTS5 table opens
-- a savepoint, and FTS5 flushes its pending terms to disk at every savepoint, so a sync that
-- inserted its lines one statement at a time wrote one tiny index segment per line and spent
-- most of its time merging them. The store now adds a batch's new lines to the index in one
-- statement, in key order, inside the batch's transaction (store/account_sync.rs).
-- Deleting and re-dating lines keep their triggers.
DROP TRIGGER transactions_fts_insert;

-- The same for the monthly totals: a trigger on insert made every line's INSERT a two-table
-- statement, which SQLite journals page by page in case it must be undone halfway. The batch's
-- totals are added in one statement after its lines (store/account_sync.rs); edits and deletions keep
-- their triggers.
DROP TRIGGER category_months_insert;

-- Identical lines are told apart within their day, and a fingerprint covers the date: keyed by
-- date first, the index takes a batch's new entries a day at a time in a few pages instead of
-- one random page per line across the whole index (which outgrew SQLite's page cache at a few
-- hundred thousand lines). Uniqueness is the same.
DROP INDEX transactions_fingerprint;
CREATE UNIQUE INDEX transactions_fingerprint ON transactions (account_id, transaction_date, fingerprint, occurrence);
