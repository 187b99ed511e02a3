-- Schema 8: sharing one household between desktops through a folder an existing sync engine
-- keeps in step (share/). Each desktop writes its own append-only log of changes there and
-- applies the others'; this is what the store keeps for that.

-- Identities that mean the same on every desktop (local ids do not).
ALTER TABLE members ADD COLUMN uid TEXT;
UPDATE members SET uid = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX members_uid ON members (uid);
ALTER TABLE categories ADD COLUMN uid TEXT;
UPDATE categories SET uid = CASE WHEN builtin IS NOT NULL THEN 'builtin:' || builtin ELSE lower(hex(randomblob(16))) END;
CREATE UNIQUE INDEX categories_uid ON categories (uid);

-- A link another desktop polls (it alone holds the tokens): which desktop, and the link's key
-- there ("<desktop>/<its id>"). NULL for this desktop's own links.
ALTER TABLE links ADD COLUMN polled_by TEXT;
ALTER TABLE links ADD COLUMN share_key TEXT;
CREATE UNIQUE INDEX links_share_key ON links (share_key) WHERE share_key IS NOT NULL;

-- When each field the person edits was last set, as a hybrid logical clock
-- ("<ms:013>.<counter:04>.<desktop>", which sorts as the clock does): the later one wins when
-- two desktops edited the same field apart. entity: 'member', 'line'; key: the uid, or a line's
-- natural key.
CREATE TABLE field_clocks (
    entity TEXT NOT NULL,
    key    TEXT NOT NULL,
    field  TEXT NOT NULL,
    hlc    TEXT NOT NULL,
    PRIMARY KEY (entity, key, field)
) STRICT, WITHOUT ROWID;
CREATE INDEX field_clocks_hlc ON field_clocks (hlc);

-- This desktop's sharing state: its id, the folder, the household, what its log has carried.
CREATE TABLE share_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The other desktops of the household as their logs tell, and which of their files were applied.
CREATE TABLE share_peers (
    desktop       TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    last_heard_at TEXT NOT NULL,
    last_seq      INTEGER NOT NULL
) STRICT;
CREATE TABLE share_applied (
    desktop    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (desktop, seq)
) STRICT, WITHOUT ROWID;

-- What reading the shared folder met that it did not apply, and why (the sync log shows it).
CREATE TABLE share_events (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    file    TEXT NOT NULL,
    problem TEXT NOT NULL,
    detail  TEXT
) STRICT;
