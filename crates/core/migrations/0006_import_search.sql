-- Import of export packages (GDPR art. 20, receiving side) and a search index ordered by date.

-- Who signed an entry that was signed in another vault, as that vault's export named them
-- ("Anna Lindqvist, leg. psykoterapeut"). NULL: this vault's own therapist signed it.
ALTER TABLE entry ADD COLUMN signed_by TEXT;

-- One row per imported package: which record of which vault it was, so the same package is not
-- imported twice, and whose practice it came from. No client names: the client row has those.
-- It goes with the client at erasure.
CREATE TABLE import_run (
    id              INTEGER PRIMARY KEY,
    imported_at     TEXT NOT NULL,
    source_client   TEXT NOT NULL UNIQUE,
    source_practice TEXT NOT NULL,
    exported_at     TEXT NOT NULL,
    client_id       INTEGER NOT NULL REFERENCES client (id),
    entries         INTEGER NOT NULL CHECK (entries >= 0),
    attachments     INTEGER NOT NULL CHECK (attachments >= 0)
) STRICT;
CREATE INDEX import_run_client ON import_run (client_id);

-- The indexed words of four letters or more, so a typed prefix can be expanded to the whole
-- words it begins instead of FTS5 merging every match of every such word (search/mod.rs).
CREATE TABLE search_term (
    term TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- Search hits come newest first straight from the index: a record's row id in the index is now
-- derived from its date (search/mod.rs), so the index is made anew here and rebuilt from the
-- records, in Rust, before the first search after the upgrade (domain/finder.rs).
-- The index keeps which column of which record holds a word, not where in it
-- (detail = column): snippets are cut from the records' own text, phrases are not searched,
-- and word positions were most of the index's size and of its writing time.
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5 (
    scope, title, body, tags,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3',
    detail = column
);
DELETE FROM search_doc;
-- Only a vault with records has an index to rebuild (a new vault has none).
INSERT INTO meta (key, value)
    SELECT 'search_rebuild', '1' WHERE EXISTS (SELECT 1 FROM client)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
