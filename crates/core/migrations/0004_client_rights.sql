-- A client's rights and the law's clocks: legal holds, restriction of processing (GDPR art. 18)
-- and erasure (art. 17) of records the database otherwise refuses to delete.

-- A legal hold (a complaint, a supervisory case) stops every retention clock of its client and
-- forbids erasure while it is in force. Released holds stay as history.
CREATE TABLE legal_hold (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES client (id),
    reason      TEXT NOT NULL CHECK (reason IN ('complaint', 'supervisory_case', 'legal_claim', 'other')),
    note        TEXT NOT NULL DEFAULT '',
    placed_at   TEXT NOT NULL,
    released_at TEXT,
    CHECK (released_at IS NULL OR released_at >= placed_at)
) STRICT;
CREATE INDEX legal_hold_client ON legal_hold (client_id, released_at);

-- Restriction of processing: while set, nothing of the client may change (storage only) until
-- it is lifted. The database refuses, so no code path can forget the check.
ALTER TABLE client ADD COLUMN restricted_at TEXT;

CREATE TRIGGER client_restricted_no_update BEFORE UPDATE ON client
WHEN OLD.restricted_at IS NOT NULL AND NEW.restricted_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;
CREATE TRIGGER course_restricted_no_insert BEFORE INSERT ON course
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;
CREATE TRIGGER course_restricted_no_update BEFORE UPDATE ON course
WHEN (SELECT restricted_at FROM client WHERE id = OLD.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
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
CREATE TRIGGER amendment_restricted_no_insert BEFORE INSERT ON amendment
WHEN (SELECT c.restricted_at FROM client c JOIN entry e ON e.client_id = c.id WHERE e.id = NEW.entry_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;
CREATE TRIGGER attachment_restricted_no_insert BEFORE INSERT ON attachment
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;

-- Erasure: signed entries and amendments may only be deleted while a permit for their client
-- exists. The core inserts the permit and removes it in the same transaction as the deletion,
-- after checking the retention rules; the database adds that no permit is granted under a
-- legal hold. (Triggers cannot see TEMP tables, hence a main table that is always empty
-- between transactions.)
CREATE TABLE erasure_permit (
    client_id INTEGER PRIMARY KEY
) STRICT;

CREATE TRIGGER erasure_permit_not_held BEFORE INSERT ON erasure_permit
WHEN EXISTS (SELECT 1 FROM legal_hold WHERE client_id = NEW.client_id AND released_at IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'client is under a legal hold');
END;

DROP TRIGGER entry_signed_no_delete;
CREATE TRIGGER entry_signed_no_delete BEFORE DELETE ON entry
WHEN OLD.status = 'signed' AND NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;

DROP TRIGGER amendment_no_delete;
CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment
WHEN NOT EXISTS (
    SELECT 1 FROM erasure_permit p JOIN entry e ON e.client_id = p.client_id WHERE e.id = OLD.entry_id
)
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;

-- Erasures and their outcome, without personal data: why (a request and the day it came in, or
-- a retention clock), when, and the parts erased and kept with the rule and the day each may go
-- (JSON). The access-log row of the erasure names the client's former id and this record.
CREATE TABLE erasure_record (
    id          INTEGER PRIMARY KEY,
    cause       TEXT NOT NULL CHECK (cause IN ('request', 'retention')),
    received_on TEXT,
    executed_at TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    CHECK ((cause = 'request') = (received_on IS NOT NULL))
) STRICT;

-- Rectification (GDPR art. 16) keeps the history: every change of a client's identity or contact
-- details keeps the version it replaced. The history changes only under an erasure permit
-- (erasure of contact details or of the client).
CREATE TABLE client_history (
    id                INTEGER PRIMARY KEY,
    client_id         INTEGER NOT NULL REFERENCES client (id),
    replaced_at       TEXT NOT NULL,
    given_name        TEXT NOT NULL,
    family_name       TEXT NOT NULL,
    date_of_birth     TEXT,
    national_id_kind  TEXT,
    national_id       TEXT,
    address           TEXT NOT NULL,
    email             TEXT NOT NULL,
    phones            TEXT NOT NULL,
    emergency_contact TEXT,
    custom_fields     TEXT NOT NULL
) STRICT;
CREATE INDEX client_history_client ON client_history (client_id, id);

CREATE TRIGGER client_keeps_history AFTER UPDATE ON client
WHEN OLD.given_name IS NOT NEW.given_name OR OLD.family_name IS NOT NEW.family_name
  OR OLD.date_of_birth IS NOT NEW.date_of_birth OR OLD.national_id_kind IS NOT NEW.national_id_kind
  OR OLD.national_id IS NOT NEW.national_id OR OLD.address IS NOT NEW.address OR OLD.email IS NOT NEW.email
  OR OLD.phones IS NOT NEW.phones OR OLD.emergency_contact IS NOT NEW.emergency_contact
  OR OLD.custom_fields IS NOT NEW.custom_fields
BEGIN
    INSERT INTO client_history (client_id, replaced_at, given_name, family_name, date_of_birth, national_id_kind,
        national_id, address, email, phones, emergency_contact, custom_fields)
    VALUES (OLD.id, NEW.updated_at, OLD.given_name, OLD.family_name, OLD.date_of_birth, OLD.national_id_kind,
        OLD.national_id, OLD.address, OLD.email, OLD.phones, OLD.emergency_contact, OLD.custom_fields);
END;
CREATE TRIGGER client_history_no_update BEFORE UPDATE ON client_history
WHEN NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'client history is append-only');
END;
CREATE TRIGGER client_history_no_delete BEFORE DELETE ON client_history
WHEN NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'client history is append-only');
END;
