-- Confidant schema v1. Released migrations are never edited: add a new file instead.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE practice_profile (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    therapist_name   TEXT NOT NULL DEFAULT '',
    therapist_title  TEXT NOT NULL DEFAULT '',
    practice_name    TEXT NOT NULL DEFAULT '',
    practice_address TEXT NOT NULL DEFAULT '',
    language         TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('sv', 'da', 'en')),
    jurisdiction     TEXT NOT NULL DEFAULT 'custom'
        CHECK (jurisdiction IN ('se_licensed', 'se_other', 'dk_psychologist', 'dk_therapist_coach', 'custom')),
    updated_at       TEXT NOT NULL
) STRICT;

CREATE TABLE client (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    given_name        TEXT NOT NULL,
    family_name       TEXT NOT NULL,
    date_of_birth     TEXT,
    national_id_kind  TEXT CHECK (national_id_kind IN ('se_personnummer', 'se_samordningsnummer', 'dk_cpr', 'other')),
    national_id       TEXT,
    address           TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    phones            TEXT NOT NULL DEFAULT '[]',
    emergency_contact TEXT,
    custom_fields     TEXT NOT NULL DEFAULT '[]',
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK ((national_id IS NULL) = (national_id_kind IS NULL))
) STRICT;
CREATE INDEX client_status_name ON client (status, family_name, given_name);

CREATE TABLE course (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES client (id),
    title      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date   TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX course_client ON course (client_id, start_date);

CREATE TABLE user_template (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE entry (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES client (id),
    course_id        INTEGER NOT NULL REFERENCES course (id),
    kind             TEXT NOT NULL CHECK (kind IN ('session', 'phone_call', 'message', 'administrative', 'note')),
    occurred_at      TEXT NOT NULL,
    recorded_at      TEXT NOT NULL,
    duration_minutes INTEGER CHECK (duration_minutes IS NULL OR duration_minutes BETWEEN 0 AND 1440),
    title            TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL DEFAULT '',
    tags             TEXT NOT NULL DEFAULT '[]',
    template_id      TEXT,
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),
    signed_at        TEXT,
    content_sha256   TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK ((status = 'signed') = (signed_at IS NOT NULL))
) STRICT;
CREATE INDEX entry_client_time ON entry (client_id, occurred_at);
CREATE INDEX entry_course ON entry (course_id);

-- Signing is final: the database itself refuses to change or remove a signed entry, whatever
-- code path asks. Corrections go to `amendment`.
CREATE TRIGGER entry_signed_no_update BEFORE UPDATE ON entry WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;
CREATE TRIGGER entry_signed_no_delete BEFORE DELETE ON entry WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;

CREATE TABLE amendment (
    id         INTEGER PRIMARY KEY,
    entry_id   INTEGER NOT NULL REFERENCES entry (id),
    amended_at TEXT NOT NULL,
    reason     TEXT NOT NULL CHECK (length(reason) > 0),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    tags       TEXT NOT NULL
) STRICT;
CREATE INDEX amendment_entry ON amendment (entry_id, id);
CREATE TRIGGER amendment_needs_signed_entry BEFORE INSERT ON amendment
WHEN (SELECT status FROM entry WHERE id = NEW.entry_id) IS NOT 'signed'
BEGIN
    SELECT RAISE(ABORT, 'amendment of unsigned entry');
END;
CREATE TRIGGER amendment_no_update BEFORE UPDATE ON amendment
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;
CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;

CREATE TABLE attachment (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES client (id),
    entry_id   INTEGER REFERENCES entry (id),
    file_name  TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size >= 0),
    sha256     TEXT NOT NULL,
    added_at   TEXT NOT NULL
) STRICT;
CREATE INDEX attachment_client ON attachment (client_id);
CREATE INDEX attachment_entry ON attachment (entry_id);

-- Content apart from metadata so listing attachments never pages through their bytes.
CREATE TABLE attachment_content (
    attachment_id INTEGER PRIMARY KEY REFERENCES attachment (id),
    data          BLOB NOT NULL
) STRICT;

-- Full-text search. The FTS table is contentless and holds folded text (lowercase, no
-- diacritics); `scope` holds one token per client so a client-scoped search is an FTS AND,
-- not a join filter over the whole corpus.
CREATE TABLE search_doc (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('client', 'entry')),
    object_id INTEGER NOT NULL,
    client_id INTEGER NOT NULL REFERENCES client (id),
    UNIQUE (kind, object_id)
) STRICT;
CREATE VIRTUAL TABLE search_fts USING fts5 (
    scope, title, body, tags,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- Append-only, hash-chained access log: ids and actions only, never names or text.
CREATE TABLE access_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_kind TEXT,
    object_id   INTEGER,
    client_id   INTEGER,
    prev_mac    TEXT NOT NULL,
    mac         TEXT NOT NULL
) STRICT;
CREATE INDEX access_log_client ON access_log (client_id, seq);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access log is append-only');
END;
