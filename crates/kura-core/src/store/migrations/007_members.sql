-- Schema 7: a household's members. Every link, and through it every account, belongs to one
-- member; two members can each link their own login at the same union, so links are no longer
-- unique per (profile, union): `app::linking` tells a renewal from another person's login by the
-- accounts the login shares. Existing links go to the first member, which the user renames.
--
-- Runs with foreign keys off (store/open.rs): `links` is rebuilt to drop its UNIQUE constraint,
-- and dropping it with them on would null every account's and sync run's link. The foreign key
-- check after the migration proves nothing was left dangling.
CREATE TABLE members (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0 AND name = trim(name)),
    -- #rrggbb, lower case, as the UI's palette gives it.
    colour     TEXT NOT NULL CHECK (length(colour) = 7 AND colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX members_name ON members (name);
INSERT INTO members (id, name, colour, created_at, updated_at)
    VALUES (1, 'わたし', '#2f6fb0', strftime('%Y-%m-%d %H:%M:%S+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%S+00:00', 'now'));

CREATE TABLE links_new (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    bank_code          TEXT NOT NULL,
    profile            TEXT NOT NULL,
    member_id          INTEGER NOT NULL REFERENCES members (id),
    status             TEXT NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'reauth_required', 'revoked')),
    scope              TEXT NOT NULL DEFAULT '',
    consent_expires_at TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    last_sync_at       TEXT,
    last_error         TEXT
) STRICT;
-- A new link must never take the id of a deleted one (the keyring and the sync log refer to
-- ids): carry the sequence over before the rows.
INSERT INTO sqlite_sequence (name, seq) SELECT 'links_new', seq FROM sqlite_sequence WHERE name = 'links';
INSERT INTO links_new (id, bank_code, profile, member_id, status, scope, consent_expires_at, created_at, updated_at,
                       last_sync_at, last_error)
    SELECT id, bank_code, profile, 1, status, scope, consent_expires_at, created_at, updated_at, last_sync_at, last_error
    FROM links;
DROP TABLE links;
ALTER TABLE links_new RENAME TO links;
CREATE INDEX links_union ON links (profile, bank_code);
CREATE INDEX links_member ON links (member_id);
