-- Schema 3: each account keeps its number of stored transactions, so the overview (painted on
-- every dashboard view and polled while it is open) no longer counts them: at 1,000,000 rows a
-- count walked the whole index, 40-258 ms per call under the store lock.
--
-- The store's write path keeps it exact: `apply_account_sync` adds what it inserted in the same
-- SQLite transaction; transactions are only ever deleted with their account (purge), which takes
-- the count with it. Adding the column is instant; the backfill walks the index once.
ALTER TABLE accounts ADD COLUMN transaction_count INTEGER NOT NULL DEFAULT 0;
UPDATE accounts SET transaction_count = (SELECT count(*) FROM transactions t WHERE t.account_id = accounts.id);
