-- Contact kinds gain a video session and a no-show (issue 12 §4). SQLite cannot change a CHECK
-- in place, so `entry` is rebuilt the documented way (https://sqlite.org/lang_altertable.html
-- #otheralter): foreign keys are off while migrating (migrate.rs checks them before commit),
-- every row is copied unchanged (a signed entry's hash covers its kind, which stays as it was),
-- then the indexes and triggers of `entry` are made again exactly as migrations 0001–0007 left
-- them. Triggers on other tables refer to `entry` by name and need no change.
CREATE TABLE entry_new (
    id               INTEGER PRIMARY KEY,
    client_id        INTEGER NOT NULL REFERENCES client (id),
    course_id        INTEGER NOT NULL REFERENCES course (id),
    kind             TEXT NOT NULL CHECK (kind IN ('session', 'video', 'phone_call', 'no_show', 'message', 'administrative', 'note')),
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
    signed_by        TEXT,
    CHECK ((status = 'signed') = (signed_at IS NOT NULL))
) STRICT;

INSERT INTO entry_new (id, client_id, course_id, kind, occurred_at, recorded_at, duration_minutes, title, body,
                       tags, template_id, status, signed_at, content_sha256, created_at, updated_at, signed_by)
SELECT id, client_id, course_id, kind, occurred_at, recorded_at, duration_minutes, title, body,
       tags, template_id, status, signed_at, content_sha256, created_at, updated_at, signed_by
FROM entry;

-- Other tables' triggers name `entry`; between the drop and the rename it does not exist, and
-- a rename in SQLite's current mode refuses a schema with such a dangling name. The legacy mode
-- renames the table alone, which is all this needs.
PRAGMA legacy_alter_table = ON;
DROP TABLE entry;
ALTER TABLE entry_new RENAME TO entry;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX entry_course ON entry (course_id);
CREATE INDEX entry_summary ON entry (client_id, occurred_at, id, course_id, kind, status, title);

CREATE TRIGGER entry_signed_no_update BEFORE UPDATE ON entry WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;
CREATE TRIGGER entry_signed_no_delete BEFORE DELETE ON entry
WHEN OLD.status = 'signed' AND NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;
CREATE TRIGGER entry_signed_no_replace BEFORE INSERT ON entry
WHEN EXISTS (SELECT 1 FROM entry WHERE id = NEW.id AND status = 'signed')
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;
CREATE TRIGGER entry_restricted_no_insert BEFORE INSERT ON entry
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;
CREATE TRIGGER entry_restricted_no_update BEFORE UPDATE ON entry
WHEN (SELECT restricted_at FROM client WHERE id = OLD.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;
