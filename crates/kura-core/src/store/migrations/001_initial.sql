-- Kura's store, schema 1. Instants are UTC text written by chrono ("YYYY-MM-DD HH:MM:SS+00:00"),
-- which sorts chronologically; calendar dates are JST "YYYY-MM-DD". Amounts are integer yen.

-- A consent at one union through one profile. Never holds a secret (tokens live in the keyring).
-- AUTOINCREMENT: a new link never takes the id of a deleted one (logs and tokens refer to ids).
CREATE TABLE links (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    bank_code          TEXT NOT NULL,
    profile            TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'reauth_required', 'revoked')),
    scope              TEXT NOT NULL DEFAULT '',
    consent_expires_at TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    last_sync_at       TEXT,
    last_error         TEXT,
    UNIQUE (profile, bank_code)
) STRICT;

-- link_id is nullable so that history survives unlinking; the natural key lets a re-link find
-- the same row again.
CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY,
    link_id           INTEGER REFERENCES links (id) ON DELETE SET NULL,
    remote_account_id TEXT NOT NULL,
    bank_code         TEXT NOT NULL,
    branch_code       TEXT NOT NULL,
    branch_name       TEXT NOT NULL,
    account_type_code TEXT NOT NULL,
    account_type_name TEXT NOT NULL,
    account_number    TEXT NOT NULL,
    account_name_kana TEXT NOT NULL,
    currency          TEXT NOT NULL,
    reconcile_status  TEXT NOT NULL DEFAULT 'ok' CHECK (reconcile_status IN ('ok', 'mismatch')),
    reconcile_detail  TEXT,
    synced_through    TEXT,
    last_synced_at    TEXT,
    hidden            INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at        TEXT NOT NULL,
    UNIQUE (bank_code, branch_code, account_type_code, account_number)
) STRICT;
CREATE INDEX accounts_link ON accounts (link_id);

CREATE TABLE sync_runs (
    id               INTEGER PRIMARY KEY,
    link_id          INTEGER REFERENCES links (id) ON DELETE SET NULL,
    account_id       INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    started_at       TEXT NOT NULL,
    finished_at      TEXT,
    status           TEXT NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'ok', 'failed', 'partial')),
    new_transactions INTEGER NOT NULL DEFAULT 0,
    error_kind       TEXT,
    error_message    TEXT,
    http_status      INTEGER,
    -- The raw body of a failed request, so a problem can be reported without syncing again.
    response_body    BLOB
) STRICT;
CREATE INDEX sync_runs_link ON sync_runs (link_id, id);

-- One row per sync of an account: the balance history.
CREATE TABLE balance_snapshots (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    balance      INTEGER NOT NULL,
    withdrawable INTEGER NOT NULL,
    base_date    TEXT NOT NULL,
    base_at      TEXT NOT NULL,
    fetched_at   TEXT NOT NULL,
    sync_run_id  INTEGER REFERENCES sync_runs (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX balance_snapshots_account ON balance_snapshots (account_id, base_date, base_at);

-- amount is signed (credit positive). fingerprint is a 64-bit hash of the line's content;
-- occurrence numbers identical lines within one fetched window, so two identical ATM
-- withdrawals on one day stay two rows and re-fetching adds nothing.
CREATE TABLE transactions (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    item_key         TEXT,
    fingerprint      INTEGER NOT NULL,
    occurrence       INTEGER NOT NULL CHECK (occurrence >= 1),
    transaction_date TEXT NOT NULL,
    value_date       TEXT,
    amount           INTEGER NOT NULL,
    balance_after    INTEGER,
    remarks          TEXT NOT NULL,
    remarks_folded   TEXT NOT NULL,
    first_seen_at    TEXT NOT NULL,
    sync_run_id      INTEGER REFERENCES sync_runs (id) ON DELETE SET NULL
) STRICT;
CREATE UNIQUE INDEX transactions_item_key ON transactions (account_id, item_key)
    WHERE item_key IS NOT NULL;
CREATE UNIQUE INDEX transactions_fingerprint ON transactions (account_id, fingerprint, occurrence);
-- Keyset paging, newest first, per account and across accounts.
CREATE INDEX transactions_account_date ON transactions (account_id, transaction_date, id);
CREATE INDEX transactions_date ON transactions (transaction_date, id);

-- Trigram index over the folded remarks (external content: the text is stored once).
CREATE VIRTUAL TABLE transactions_fts USING fts5 (
    remarks_folded, content = 'transactions', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER transactions_fts_insert AFTER INSERT ON transactions BEGIN
    INSERT INTO transactions_fts (rowid, remarks_folded) VALUES (new.id, new.remarks_folded);
END;
CREATE TRIGGER transactions_fts_delete AFTER DELETE ON transactions BEGIN
    INSERT INTO transactions_fts (transactions_fts, rowid, remarks_folded)
    VALUES ('delete', old.id, old.remarks_folded);
END;
CREATE TRIGGER transactions_fts_update AFTER UPDATE OF remarks_folded ON transactions BEGIN
    INSERT INTO transactions_fts (transactions_fts, rowid, remarks_folded)
    VALUES ('delete', old.id, old.remarks_folded);
    INSERT INTO transactions_fts (rowid, remarks_folded) VALUES (new.id, new.remarks_folded);
END;

-- Periods lost for good: the bank no longer serves them and Kura never stored them.
CREATE TABLE gaps (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    date_from   TEXT NOT NULL,
    date_to     TEXT NOT NULL CHECK (date_to >= date_from),
    detected_at TEXT NOT NULL,
    UNIQUE (account_id, date_from, date_to)
) STRICT;
