index access_log_client: CREATE INDEX access_log_client ON access_log (client_id, seq)
index amendment_entry: CREATE INDEX amendment_entry ON amendment (entry_id, id)
index appointment_client: CREATE INDEX appointment_client ON appointment (client_id, starts_at)
index appointment_time: CREATE INDEX appointment_time ON appointment (starts_at)
index attachment_client: CREATE INDEX attachment_client ON attachment (client_id)
index attachment_entry: CREATE INDEX attachment_entry ON attachment (entry_id)
index backup_run_by_time: CREATE INDEX backup_run_by_time ON backup_run (finished_at)
index breach_client_client: CREATE INDEX breach_client_client ON breach_client (client_id)
index client_history_client: CREATE INDEX client_history_client ON client_history (client_id, id)
index client_status_name: CREATE INDEX client_status_name ON client (status, family_name, given_name)
index consent_client: CREATE INDEX consent_client ON consent (client_id, purpose)
index course_client: CREATE INDEX course_client ON course (client_id, start_date)
index entry_course: CREATE INDEX entry_course ON entry (course_id)
index entry_summary: CREATE INDEX entry_summary ON entry (client_id, occurred_at, id, course_id, kind, status, title)
index import_run_client: CREATE INDEX import_run_client ON import_run (client_id)
index invoice_client: CREATE INDEX invoice_client ON invoice (client_id)
index invoice_line_appointment: CREATE INDEX invoice_line_appointment ON invoice_line (appointment_id)
index legal_hold_client: CREATE INDEX legal_hold_client ON legal_hold (client_id, released_at)
index measure_client: CREATE INDEX measure_client ON measure (client_id, instrument, taken_on)
index measure_instrument: CREATE INDEX measure_instrument ON measure (instrument)
index payment_invoice: CREATE INDEX payment_invoice ON payment (invoice_id)
index sqlite_autoindex_appointment_1: 
index sqlite_autoindex_client_1: 
index sqlite_autoindex_import_run_1: 
index sqlite_autoindex_invoice_1: 
index sqlite_autoindex_invoice_2: 
index sqlite_autoindex_invoice_line_1: 
index sqlite_autoindex_meta_1: 
index sqlite_autoindex_search_doc_1: 
table access_log: CREATE TABLE access_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_kind TEXT,
    object_id   INTEGER,
    client_id   INTEGER,
    prev_mac    TEXT NOT NULL,
    mac         TEXT NOT NULL
) STRICT
table amendment: CREATE TABLE amendment (
    id         INTEGER PRIMARY KEY,
    entry_id   INTEGER NOT NULL REFERENCES entry (id),
    amended_at TEXT NOT NULL,
    reason     TEXT NOT NULL CHECK (length(reason) > 0),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    tags       TEXT NOT NULL
) STRICT
table appointment: CREATE TABLE appointment (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES client (id),
    course_id   INTEGER REFERENCES course (id),
    starts_at   TEXT NOT NULL,
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 600),
    kind        TEXT NOT NULL CHECK (kind IN ('individual', 'couple', 'group', 'phone', 'video')),
    attendance  TEXT NOT NULL DEFAULT 'planned'
                CHECK (attendance IN ('planned', 'attended', 'cancelled_in_time', 'late_cancellation', 'no_show')),
    -- In öre/øre/cents of the profile's currency; NULL: no fee (free session, or not decided).
    fee         INTEGER CHECK (fee IS NULL OR fee BETWEEN 0 AND 100000000),
    -- The journal entry written for it (at most one entry per session).
    entry_id    INTEGER UNIQUE REFERENCES entry (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (entry_id IS NULL OR attendance = 'attended')
) STRICT
table attachment: CREATE TABLE attachment (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES client (id),
    entry_id   INTEGER REFERENCES entry (id),
    file_name  TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size >= 0),
    sha256     TEXT NOT NULL,
    added_at   TEXT NOT NULL
) STRICT
table attachment_content: CREATE TABLE attachment_content (
    attachment_id INTEGER PRIMARY KEY REFERENCES attachment (id),
    data          BLOB NOT NULL
) STRICT
table backup_run: CREATE TABLE backup_run (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    file_name     TEXT,
    target_label  TEXT NOT NULL DEFAULT '',
    size_bytes    INTEGER NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    duration_ms   INTEGER NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
    status        TEXT NOT NULL CHECK (status IN ('verified', 'failed')),
    failed_check  TEXT,
    CHECK ((status = 'verified') = (failed_check IS NULL))
) STRICT
table billing: CREATE TABLE billing (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    org_number    TEXT NOT NULL DEFAULT '',
    vat_number    TEXT NOT NULL DEFAULT '',
    f_skatt       INTEGER NOT NULL DEFAULT 0 CHECK (f_skatt IN (0, 1)),
    bankgiro      TEXT NOT NULL DEFAULT '',
    plusgiro      TEXT NOT NULL DEFAULT '',
    iban          TEXT NOT NULL DEFAULT '',
    bic           TEXT NOT NULL DEFAULT '',
    account       TEXT NOT NULL DEFAULT '',
    payment_days  INTEGER NOT NULL DEFAULT 30 CHECK (payment_days BETWEEN 0 AND 120),
    updated_at    TEXT NOT NULL
) STRICT
table breach: CREATE TABLE breach (
    id                     INTEGER PRIMARY KEY,
    discovered_at          TEXT NOT NULL,
    occurred_from          TEXT,
    occurred_to            TEXT,
    nature                 TEXT NOT NULL,
    description            TEXT NOT NULL,
    data_categories        TEXT NOT NULL,
    subjects_estimate      INTEGER NOT NULL CHECK (subjects_estimate >= 0),
    records_estimate       INTEGER CHECK (records_estimate IS NULL OR records_estimate >= 0),
    consequences           TEXT NOT NULL,
    measures               TEXT NOT NULL,
    risk                   TEXT NOT NULL CHECK (risk IN ('unlikely', 'risk', 'high_risk')),
    encrypted              INTEGER NOT NULL CHECK (encrypted IN (0, 1)),
    authority_notified_at  TEXT,
    authority_reference    TEXT NOT NULL DEFAULT '',
    delay_reason           TEXT NOT NULL DEFAULT '',
    subjects_informed_at   TEXT,
    recorded_at            TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    CHECK (occurred_to IS NULL OR occurred_from IS NULL OR occurred_to >= occurred_from)
) STRICT
table breach_client: CREATE TABLE breach_client (
    breach_id INTEGER NOT NULL REFERENCES breach (id),
    client_id INTEGER NOT NULL REFERENCES client (id),
    PRIMARY KEY (breach_id, client_id)
) STRICT, WITHOUT ROWID
table client: CREATE TABLE client (
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
    updated_at        TEXT NOT NULL, restricted_at TEXT,
    CHECK ((national_id IS NULL) = (national_id_kind IS NULL))
) STRICT
table client_history: CREATE TABLE client_history (
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
) STRICT
table consent: CREATE TABLE consent (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES client (id),
    purpose       TEXT NOT NULL CHECK (purpose IN ('treatment', 'referral', 'reminders_sms', 'reminders_email', 'marketing')),
    body          TEXT NOT NULL,
    text_version  TEXT NOT NULL,
    given_on      TEXT NOT NULL,
    given_how     TEXT NOT NULL CHECK (given_how IN ('written', 'verbal', 'digital')),
    evidence_id   INTEGER REFERENCES attachment (id),
    recorded_at   TEXT NOT NULL,
    withdrawn_on  TEXT,
    withdrawn_at  TEXT,
    CHECK (withdrawn_on IS NULL OR withdrawn_on >= given_on),
    CHECK ((withdrawn_on IS NULL) = (withdrawn_at IS NULL))
) STRICT
table course: CREATE TABLE course (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES client (id),
    title      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date   TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT
table entry: CREATE TABLE "entry" (
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
) STRICT
table erasure_permit: CREATE TABLE erasure_permit (
    client_id INTEGER PRIMARY KEY
) STRICT
table erasure_record: CREATE TABLE erasure_record (
    id          INTEGER PRIMARY KEY,
    cause       TEXT NOT NULL CHECK (cause IN ('request', 'retention')),
    received_on TEXT,
    executed_at TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    CHECK ((cause = 'request') = (received_on IS NOT NULL))
) STRICT
table import_run: CREATE TABLE import_run (
    id              INTEGER PRIMARY KEY,
    imported_at     TEXT NOT NULL,
    source_client   TEXT NOT NULL UNIQUE,
    source_practice TEXT NOT NULL,
    exported_at     TEXT NOT NULL,
    client_id       INTEGER NOT NULL REFERENCES client (id),
    entries         INTEGER NOT NULL CHECK (entries >= 0),
    attachments     INTEGER NOT NULL CHECK (attachments >= 0)
) STRICT
table instrument: CREATE TABLE instrument (
    id          INTEGER PRIMARY KEY,
    definition  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    retired_at  TEXT
) STRICT
table invoice: CREATE TABLE invoice (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued')),
    number         INTEGER UNIQUE CHECK (number IS NULL OR number > 0),
    client_id      INTEGER REFERENCES client (id),
    credits_id     INTEGER UNIQUE REFERENCES invoice (id),
    language       TEXT NOT NULL CHECK (language IN ('sv', 'da', 'en')),
    currency       TEXT NOT NULL,
    buyer_name     TEXT NOT NULL DEFAULT '',
    buyer_address  TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    issued_on      TEXT,
    due_on         TEXT,
    -- Frozen at issue: the seller as the invoice names them (JSON), and the totals.
    seller         TEXT,
    net_total      INTEGER,
    vat_total      INTEGER,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK ((status = 'issued') = (number IS NOT NULL)),
    CHECK (status = 'draft' OR (issued_on IS NOT NULL AND due_on IS NOT NULL AND seller IS NOT NULL
                                AND net_total IS NOT NULL AND vat_total IS NOT NULL)),
    CHECK ((kind = 'credit_note') = (credits_id IS NOT NULL))
) STRICT
table invoice_line: CREATE TABLE invoice_line (
    id              INTEGER PRIMARY KEY,
    invoice_id      INTEGER NOT NULL REFERENCES invoice (id),
    position        INTEGER NOT NULL,
    description     TEXT NOT NULL,
    service_date    TEXT,
    quantity        INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
    unit_price      INTEGER NOT NULL,
    vat             TEXT NOT NULL CHECK (vat IN ('exempt', 'vat25')),
    -- The session billed, by id alone: the session goes with the journal at erasure, the line
    -- stays (ids are never handed out again, see `db::ids`).
    appointment_id  INTEGER,
    UNIQUE (invoice_id, position)
) STRICT
table invoice_purge_permit: CREATE TABLE invoice_purge_permit (
    through TEXT NOT NULL
) STRICT
table legal_hold: CREATE TABLE legal_hold (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES client (id),
    reason      TEXT NOT NULL CHECK (reason IN ('complaint', 'supervisory_case', 'legal_claim', 'other')),
    note        TEXT NOT NULL DEFAULT '',
    placed_at   TEXT NOT NULL,
    released_at TEXT,
    CHECK (released_at IS NULL OR released_at >= placed_at)
) STRICT
table log_prune_permit: CREATE TABLE log_prune_permit (
    up_to INTEGER PRIMARY KEY
) STRICT
table measure: CREATE TABLE measure (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES client (id),
    instrument   TEXT NOT NULL,
    taken_on     TEXT NOT NULL,
    answers      TEXT NOT NULL,
    score        INTEGER NOT NULL,
    band         TEXT,
    flags        TEXT NOT NULL DEFAULT '[]',
    recorded_at  TEXT NOT NULL
) STRICT
table meta: CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT
table payment: CREATE TABLE payment (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoice (id),
    paid_on      TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    method       TEXT NOT NULL CHECK (method IN ('bank_transfer', 'card', 'cash', 'swish', 'mobilepay', 'other')),
    recorded_at  TEXT NOT NULL
) STRICT
table practice_profile: CREATE TABLE practice_profile (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    therapist_name   TEXT NOT NULL DEFAULT '',
    therapist_title  TEXT NOT NULL DEFAULT '',
    practice_name    TEXT NOT NULL DEFAULT '',
    practice_address TEXT NOT NULL DEFAULT '',
    language         TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('sv', 'da', 'en')),
    jurisdiction     TEXT NOT NULL DEFAULT 'custom'
        CHECK (jurisdiction IN ('se_licensed', 'se_other', 'dk_psychologist', 'dk_therapist_coach', 'custom')),
    updated_at       TEXT NOT NULL
) STRICT
table search_doc: CREATE TABLE search_doc (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('client', 'entry')),
    object_id INTEGER NOT NULL,
    client_id INTEGER NOT NULL REFERENCES client (id),
    UNIQUE (kind, object_id)
) STRICT
table search_fts: CREATE VIRTUAL TABLE search_fts USING fts5 (
    scope, title, body, tags,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3',
    detail = column
)
table search_fts_config: CREATE TABLE 'search_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID
table search_fts_data: CREATE TABLE 'search_fts_data'(id INTEGER PRIMARY KEY, block BLOB)
table search_fts_docsize: CREATE TABLE 'search_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB, origin INTEGER)
table search_fts_idx: CREATE TABLE 'search_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID
table search_term: CREATE TABLE search_term (
    term TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID
table user_template: CREATE TABLE user_template (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT
trigger access_log_no_delete: CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN NOT EXISTS (SELECT 1 FROM log_prune_permit WHERE OLD.seq <= up_to)
BEGIN
    SELECT RAISE(ABORT, 'access log is append-only');
END
trigger access_log_no_replace: CREATE TRIGGER access_log_no_replace BEFORE INSERT ON access_log
WHEN EXISTS (SELECT 1 FROM access_log WHERE seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'access log is append-only');
END
trigger access_log_no_update: CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access log is append-only');
END
trigger amendment_needs_signed_entry: CREATE TRIGGER amendment_needs_signed_entry BEFORE INSERT ON amendment
WHEN (SELECT status FROM entry WHERE id = NEW.entry_id) IS NOT 'signed'
BEGIN
    SELECT RAISE(ABORT, 'amendment of unsigned entry');
END
trigger amendment_no_delete: CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment
WHEN NOT EXISTS (
    SELECT 1 FROM erasure_permit p JOIN entry e ON e.client_id = p.client_id WHERE e.id = OLD.entry_id
)
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END
trigger amendment_no_replace: CREATE TRIGGER amendment_no_replace BEFORE INSERT ON amendment
WHEN EXISTS (SELECT 1 FROM amendment WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END
trigger amendment_no_update: CREATE TRIGGER amendment_no_update BEFORE UPDATE ON amendment
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END
trigger amendment_restricted_no_insert: CREATE TRIGGER amendment_restricted_no_insert BEFORE INSERT ON amendment
WHEN (SELECT c.restricted_at FROM client c JOIN entry e ON e.client_id = c.id WHERE e.id = NEW.entry_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger appointment_recorded_kept: CREATE TRIGGER appointment_recorded_kept BEFORE UPDATE ON appointment
WHEN OLD.attendance <> 'planned' AND (
       NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id OR NEW.starts_at IS NOT OLD.starts_at
    OR NEW.minutes IS NOT OLD.minutes OR NEW.kind IS NOT OLD.kind OR NEW.attendance IS NOT OLD.attendance
    OR (OLD.entry_id IS NOT NULL AND NEW.entry_id IS NOT OLD.entry_id))
BEGIN
    SELECT RAISE(ABORT, 'recorded appointment is kept');
END
trigger appointment_recorded_no_delete: CREATE TRIGGER appointment_recorded_no_delete BEFORE DELETE ON appointment
WHEN OLD.attendance <> 'planned'
  AND NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'recorded appointment is kept');
END
trigger appointment_restricted_no_insert: CREATE TRIGGER appointment_restricted_no_insert BEFORE INSERT ON appointment
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger appointment_restricted_no_update: CREATE TRIGGER appointment_restricted_no_update BEFORE UPDATE ON appointment
WHEN (SELECT restricted_at FROM client WHERE id = OLD.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger attachment_restricted_no_insert: CREATE TRIGGER attachment_restricted_no_insert BEFORE INSERT ON attachment
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger breach_no_delete: CREATE TRIGGER breach_no_delete BEFORE DELETE ON breach
BEGIN
    SELECT RAISE(ABORT, 'the breach register is kept');
END
trigger client_history_no_delete: CREATE TRIGGER client_history_no_delete BEFORE DELETE ON client_history
WHEN NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'client history is append-only');
END
trigger client_history_no_update: CREATE TRIGGER client_history_no_update BEFORE UPDATE ON client_history
WHEN NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'client history is append-only');
END
trigger client_keeps_history: CREATE TRIGGER client_keeps_history AFTER UPDATE ON client
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
END
trigger client_restricted_no_update: CREATE TRIGGER client_restricted_no_update BEFORE UPDATE ON client
WHEN OLD.restricted_at IS NOT NULL AND NEW.restricted_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger consent_no_delete: CREATE TRIGGER consent_no_delete BEFORE DELETE ON consent
WHEN NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'consent is kept with the journal');
END
trigger consent_only_withdrawn: CREATE TRIGGER consent_only_withdrawn BEFORE UPDATE ON consent
WHEN OLD.withdrawn_on IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id OR NEW.purpose IS NOT OLD.purpose
  OR NEW.body IS NOT OLD.body OR NEW.text_version IS NOT OLD.text_version OR NEW.given_on IS NOT OLD.given_on
  OR NEW.given_how IS NOT OLD.given_how OR NEW.evidence_id IS NOT OLD.evidence_id OR NEW.recorded_at IS NOT OLD.recorded_at
BEGIN
    SELECT RAISE(ABORT, 'consent is immutable but for its withdrawal');
END
trigger consent_restricted_no_insert: CREATE TRIGGER consent_restricted_no_insert BEFORE INSERT ON consent
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger course_restricted_no_insert: CREATE TRIGGER course_restricted_no_insert BEFORE INSERT ON course
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger course_restricted_no_update: CREATE TRIGGER course_restricted_no_update BEFORE UPDATE ON course
WHEN (SELECT restricted_at FROM client WHERE id = OLD.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger entry_restricted_no_insert: CREATE TRIGGER entry_restricted_no_insert BEFORE INSERT ON entry
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger entry_restricted_no_update: CREATE TRIGGER entry_restricted_no_update BEFORE UPDATE ON entry
WHEN (SELECT restricted_at FROM client WHERE id = OLD.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger entry_signed_no_delete: CREATE TRIGGER entry_signed_no_delete BEFORE DELETE ON entry
WHEN OLD.status = 'signed' AND NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END
trigger entry_signed_no_replace: CREATE TRIGGER entry_signed_no_replace BEFORE INSERT ON entry
WHEN EXISTS (SELECT 1 FROM entry WHERE id = NEW.id AND status = 'signed')
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END
trigger entry_signed_no_update: CREATE TRIGGER entry_signed_no_update BEFORE UPDATE ON entry WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END
trigger erasure_permit_not_held: CREATE TRIGGER erasure_permit_not_held BEFORE INSERT ON erasure_permit
WHEN EXISTS (SELECT 1 FROM legal_hold WHERE client_id = NEW.client_id AND released_at IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'client is under a legal hold');
END
trigger instrument_no_delete: CREATE TRIGGER instrument_no_delete BEFORE DELETE ON instrument
BEGIN
    SELECT RAISE(ABORT, 'instrument is kept');
END
trigger instrument_used_kept: CREATE TRIGGER instrument_used_kept BEFORE UPDATE OF definition ON instrument
WHEN EXISTS (SELECT 1 FROM measure WHERE instrument = 'custom-' || OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'instrument is in use');
END
trigger invoice_issued_kept: CREATE TRIGGER invoice_issued_kept BEFORE UPDATE ON invoice
WHEN OLD.status = 'issued' AND (
       NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.status IS NOT OLD.status
    OR NEW.number IS NOT OLD.number OR NEW.credits_id IS NOT OLD.credits_id
    OR NEW.language IS NOT OLD.language OR NEW.currency IS NOT OLD.currency
    OR NEW.buyer_name IS NOT OLD.buyer_name OR NEW.buyer_address IS NOT OLD.buyer_address
    OR NEW.note IS NOT OLD.note OR NEW.issued_on IS NOT OLD.issued_on OR NEW.due_on IS NOT OLD.due_on
    OR NEW.seller IS NOT OLD.seller OR NEW.net_total IS NOT OLD.net_total OR NEW.vat_total IS NOT OLD.vat_total
    OR NEW.created_at IS NOT OLD.created_at OR NEW.updated_at IS NOT OLD.updated_at
    OR (NEW.client_id IS NOT OLD.client_id
        AND (NEW.client_id IS NOT NULL
             OR NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id))))
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END
trigger invoice_issued_no_delete: CREATE TRIGGER invoice_issued_no_delete BEFORE DELETE ON invoice
WHEN OLD.status = 'issued' AND (
       NOT EXISTS (SELECT 1 FROM invoice_purge_permit p WHERE OLD.issued_on <= p.through)
    OR EXISTS (SELECT 1 FROM legal_hold h WHERE h.client_id = OLD.client_id AND h.released_at IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END
trigger invoice_issued_on_insert: CREATE TRIGGER invoice_issued_on_insert BEFORE INSERT ON invoice WHEN NEW.status = 'issued' OR NEW.number IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END
trigger invoice_line_issued_no_delete: CREATE TRIGGER invoice_line_issued_no_delete BEFORE DELETE ON invoice_line
WHEN (SELECT status FROM invoice WHERE id = OLD.invoice_id) = 'issued'
 AND NOT EXISTS (SELECT 1 FROM invoice_purge_permit p JOIN invoice i ON i.issued_on <= p.through
                 WHERE i.id = OLD.invoice_id)
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END
trigger invoice_line_issued_no_insert: CREATE TRIGGER invoice_line_issued_no_insert BEFORE INSERT ON invoice_line
WHEN (SELECT status FROM invoice WHERE id = NEW.invoice_id) = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END
trigger invoice_line_issued_no_update: CREATE TRIGGER invoice_line_issued_no_update BEFORE UPDATE ON invoice_line
WHEN (SELECT status FROM invoice WHERE id = OLD.invoice_id) = 'issued'
  OR (SELECT status FROM invoice WHERE id = NEW.invoice_id) = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END
trigger measure_kept: CREATE TRIGGER measure_kept BEFORE UPDATE ON measure
BEGIN
    SELECT RAISE(ABORT, 'measure is kept');
END
trigger measure_no_delete: CREATE TRIGGER measure_no_delete BEFORE DELETE ON measure
WHEN NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'measure is kept');
END
trigger measure_restricted_no_insert: CREATE TRIGGER measure_restricted_no_insert BEFORE INSERT ON measure
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END
trigger payment_kept_delete: CREATE TRIGGER payment_kept_delete BEFORE DELETE ON payment
WHEN NOT EXISTS (SELECT 1 FROM invoice_purge_permit p JOIN invoice i ON i.issued_on <= p.through
                 WHERE i.id = OLD.invoice_id)
BEGIN
    SELECT RAISE(ABORT, 'payment is kept');
END
trigger payment_kept_update: CREATE TRIGGER payment_kept_update BEFORE UPDATE ON payment
BEGIN
    SELECT RAISE(ABORT, 'payment is kept');
END
trigger payment_to_issued: CREATE TRIGGER payment_to_issued BEFORE INSERT ON payment
WHEN (SELECT status FROM invoice WHERE id = NEW.invoice_id) IS NOT 'issued'
BEGIN
    SELECT RAISE(ABORT, 'payment is kept');
END
