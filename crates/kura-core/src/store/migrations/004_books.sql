-- Schema 4: the household's books (家計簿). Categories in two levels, the rules that file lines
-- into them, what each line was filed as (and by whom), monthly totals kept by triggers, budgets.
-- The migration's hook (store/open.rs) fills in the starter categories and rules.

-- Two levels: a 大項目 has parent_id NULL, a 中項目 names its 大項目. kind is the 大項目's, copied
-- to its 中項目s. builtin is the starter set's key (e.g. 'food.dining'), NULL for the user's own.
CREATE TABLE categories (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id       INTEGER REFERENCES categories (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('expense', 'income')),
    builtin         TEXT UNIQUE,
    name            TEXT NOT NULL CHECK (trim(name) <> ''),
    name_en         TEXT,
    position        INTEGER NOT NULL,
    -- The journal account this category posts to, replacing the one made from its names.
    journal_account TEXT,
    created_at      TEXT NOT NULL
) STRICT;
-- Siblings have distinct names (in each language); 大項目s across both kinds too.
CREATE UNIQUE INDEX categories_name ON categories (ifnull(parent_id, 0), name);
CREATE UNIQUE INDEX categories_name_en ON categories (ifnull(parent_id, 0), name_en) WHERE name_en IS NOT NULL;

-- Rules run in position order; for each action (category, memo, transfer) the first matching
-- rule that sets it wins. Patterns are stored as the person wrote them and folded when compiled.
CREATE TABLE rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    position    INTEGER NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    builtin     TEXT UNIQUE,
    match_kind  TEXT NOT NULL CHECK (match_kind IN ('contains', 'is', 'starts_with', 'regex')),
    pattern     TEXT NOT NULL,
    direction   TEXT CHECK (direction IN ('in', 'out')),
    min_amount  INTEGER CHECK (min_amount >= 0),
    max_amount  INTEGER CHECK (max_amount >= 0),
    account_id  INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    memo        TEXT,
    transfer    INTEGER NOT NULL DEFAULT 0 CHECK (transfer IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- What a line was filed as. *_by says who decided: a rule (re-applying rules may change it) or
-- the person (nothing automatic ever does); a transfer may also be 'detected' (a matching
-- opposite line in another own account, transfer_pair).
ALTER TABLE transactions ADD COLUMN category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL;
ALTER TABLE transactions ADD COLUMN category_by TEXT CHECK (category_by IN ('rule', 'person'));
ALTER TABLE transactions ADD COLUMN rule_id INTEGER REFERENCES rules (id) ON DELETE SET NULL;
ALTER TABLE transactions ADD COLUMN memo TEXT;
ALTER TABLE transactions ADD COLUMN memo_by TEXT CHECK (memo_by IN ('rule', 'person'));
ALTER TABLE transactions ADD COLUMN transfer INTEGER NOT NULL DEFAULT 0 CHECK (transfer IN (0, 1));
ALTER TABLE transactions ADD COLUMN transfer_by TEXT CHECK (transfer_by IN ('rule', 'detected', 'person'));
ALTER TABLE transactions ADD COLUMN transfer_pair INTEGER REFERENCES transactions (id) ON DELETE SET NULL;
-- A category's lines newest first (drill-down, `kura tx --category`, --uncategorised).
CREATE INDEX transactions_category ON transactions (category_id, transaction_date, id);
-- Foreign-key lookups when a rule or a paired line is deleted.
CREATE INDEX transactions_rule ON transactions (rule_id) WHERE rule_id IS NOT NULL;
CREATE INDEX transactions_transfer_pair ON transactions (transfer_pair) WHERE transfer_pair IS NOT NULL;

-- Monthly totals per account, category (0: uncategorised) and transfer flag, kept exact by the
-- triggers below, so a year of the books reads a few hundred rows instead of every line.
-- inflow is the sum of positive amounts over lines_in lines, outflow of the others (≤ 0).
CREATE TABLE category_months (
    month       TEXT NOT NULL,
    account_id  INTEGER NOT NULL,
    category_id INTEGER NOT NULL,
    transfer    INTEGER NOT NULL,
    inflow      INTEGER NOT NULL,
    outflow     INTEGER NOT NULL,
    lines_in    INTEGER NOT NULL,
    lines_out   INTEGER NOT NULL,
    PRIMARY KEY (month, account_id, category_id, transfer)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER category_months_insert AFTER INSERT ON transactions BEGIN
    INSERT INTO category_months (month, account_id, category_id, transfer, inflow, outflow, lines_in, lines_out)
    VALUES (substr(new.transaction_date, 1, 7), new.account_id, ifnull(new.category_id, 0), new.transfer,
            max(new.amount, 0), min(new.amount, 0), new.amount > 0, new.amount <= 0)
    ON CONFLICT DO UPDATE SET inflow = inflow + excluded.inflow, outflow = outflow + excluded.outflow,
                              lines_in = lines_in + excluded.lines_in, lines_out = lines_out + excluded.lines_out;
END;
CREATE TRIGGER category_months_delete AFTER DELETE ON transactions BEGIN
    UPDATE category_months
    SET inflow = inflow - max(old.amount, 0), outflow = outflow - min(old.amount, 0),
        lines_in = lines_in - (old.amount > 0), lines_out = lines_out - (old.amount <= 0)
    WHERE month = substr(old.transaction_date, 1, 7) AND account_id = old.account_id
      AND category_id = ifnull(old.category_id, 0) AND transfer = old.transfer;
END;
CREATE TRIGGER category_months_update
AFTER UPDATE OF transaction_date, account_id, amount, category_id, transfer ON transactions
WHEN old.transaction_date IS NOT new.transaction_date OR old.account_id IS NOT new.account_id
  OR old.amount IS NOT new.amount OR old.category_id IS NOT new.category_id OR old.transfer IS NOT new.transfer
BEGIN
    UPDATE category_months
    SET inflow = inflow - max(old.amount, 0), outflow = outflow - min(old.amount, 0),
        lines_in = lines_in - (old.amount > 0), lines_out = lines_out - (old.amount <= 0)
    WHERE month = substr(old.transaction_date, 1, 7) AND account_id = old.account_id
      AND category_id = ifnull(old.category_id, 0) AND transfer = old.transfer;
    INSERT INTO category_months (month, account_id, category_id, transfer, inflow, outflow, lines_in, lines_out)
    VALUES (substr(new.transaction_date, 1, 7), new.account_id, ifnull(new.category_id, 0), new.transfer,
            max(new.amount, 0), min(new.amount, 0), new.amount > 0, new.amount <= 0)
    ON CONFLICT DO UPDATE SET inflow = inflow + excluded.inflow, outflow = outflow + excluded.outflow,
                              lines_in = lines_in + excluded.lines_in, lines_out = lines_out + excluded.lines_out;
END;
-- Every existing line is uncategorised and not a transfer.
INSERT INTO category_months (month, account_id, category_id, transfer, inflow, outflow, lines_in, lines_out)
    SELECT substr(transaction_date, 1, 7), account_id, 0, 0, sum(max(amount, 0)), sum(min(amount, 0)),
           sum(amount > 0), sum(amount <= 0)
    FROM transactions GROUP BY 1, 2;

-- A monthly budget per 大項目 of spending.
CREATE TABLE budgets (
    category_id INTEGER PRIMARY KEY REFERENCES categories (id) ON DELETE CASCADE,
    monthly     INTEGER NOT NULL CHECK (monthly > 0)
) STRICT;

-- The search fold now also unifies small kana, dashes and long vowels and drops spaces
-- (text::fold). The hook refolds the stored remarks with this trigger off; migration 005 refills
-- the trigram index in one pass and brings the trigger back.
DROP TRIGGER transactions_fts_update;
