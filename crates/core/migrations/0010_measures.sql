-- Outcome measures (issue 12 §3): a questionnaire's result for a client, with its item answers
-- and the score, band and flags worked out when it was recorded. A result is a signed record:
-- never changed; it goes with the journal at erasure.
CREATE TABLE measure (
    id           INTEGER PRIMARY KEY,
    client_id    INTEGER NOT NULL REFERENCES client (id),
    instrument   TEXT NOT NULL,
    taken_on     TEXT NOT NULL,
    answers      TEXT NOT NULL,
    score        INTEGER NOT NULL,
    band         TEXT,
    flags        TEXT NOT NULL DEFAULT '[]',
    recorded_at  TEXT NOT NULL
) STRICT;
CREATE INDEX measure_client ON measure (client_id, instrument, taken_on);

CREATE TRIGGER measure_kept BEFORE UPDATE ON measure
BEGIN
    SELECT RAISE(ABORT, 'measure is kept');
END;
CREATE TRIGGER measure_no_delete BEFORE DELETE ON measure
WHEN NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'measure is kept');
END;
CREATE TRIGGER measure_restricted_no_insert BEFORE INSERT ON measure
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;
