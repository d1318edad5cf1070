-- Consent records (GDPR art. 6(1)(a), 7, 9(2)(a)), the breach register (art. 33(5), 34) and
-- access-log retention.

-- A consent: what it covers (purpose), the exact text the client agreed to and its version,
-- when and how it was given, and when it was withdrawn. A consent is never edited: the only
-- change is its withdrawal, once. It goes with the client's journal at erasure.
CREATE TABLE consent (
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
) STRICT;
CREATE INDEX consent_client ON consent (client_id, purpose);

CREATE TRIGGER consent_only_withdrawn BEFORE UPDATE ON consent
WHEN OLD.withdrawn_on IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id OR NEW.purpose IS NOT OLD.purpose
  OR NEW.body IS NOT OLD.body OR NEW.text_version IS NOT OLD.text_version OR NEW.given_on IS NOT OLD.given_on
  OR NEW.given_how IS NOT OLD.given_how OR NEW.evidence_id IS NOT OLD.evidence_id OR NEW.recorded_at IS NOT OLD.recorded_at
BEGIN
    SELECT RAISE(ABORT, 'consent is immutable but for its withdrawal');
END;
CREATE TRIGGER consent_no_delete BEFORE DELETE ON consent
WHEN NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'consent is kept with the journal');
END;
-- Restriction (art. 18) stops new consents; withdrawing one stays possible (it stops processing).
CREATE TRIGGER consent_restricted_no_insert BEFORE INSERT ON consent
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;

-- The breach register (art. 33(5)): every personal-data breach, notified or not, with the facts,
-- its effects and the remedial action. Free text must not name clients: the affected clients
-- are linked in breach_client, which erasure of a client empties of that client (the count
-- stays). A breach is never deleted.
CREATE TABLE breach (
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
) STRICT;
CREATE TRIGGER breach_no_delete BEFORE DELETE ON breach
BEGIN
    SELECT RAISE(ABORT, 'the breach register is kept');
END;

CREATE TABLE breach_client (
    breach_id INTEGER NOT NULL REFERENCES breach (id),
    client_id INTEGER NOT NULL REFERENCES client (id),
    PRIMARY KEY (breach_id, client_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX breach_client_client ON breach_client (client_id);

-- Access-log retention: rows past the profile's period may be deleted (oldest first, never the
-- newest row), only while the core holds a permit naming the last row to go, in the transaction
-- that also writes the log's start marker (meta.log_start) so the chain still verifies.
CREATE TABLE log_prune_permit (
    up_to INTEGER PRIMARY KEY
) STRICT;

DROP TRIGGER access_log_no_delete;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
WHEN NOT EXISTS (SELECT 1 FROM log_prune_permit WHERE OLD.seq <= up_to)
BEGIN
    SELECT RAISE(ABORT, 'access log is append-only');
END;
