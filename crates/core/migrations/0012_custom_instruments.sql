-- The therapist's own instruments (issue 12 §3): items, answer scale, scoring, bands, flags and
-- reliable change as data, the same shape as a built-in instrument (`definition`, JSON). A
-- result names it as `custom-<id>`. Once a result was scored by a definition, the definition is
-- kept as it was; an instrument is never deleted, only retired (no new results), so its id is
-- never given to another and every past result can still be read and plotted.
CREATE TABLE instrument (
    id          INTEGER PRIMARY KEY,
    definition  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    retired_at  TEXT
) STRICT;
CREATE INDEX measure_instrument ON measure (instrument);

CREATE TRIGGER instrument_used_kept BEFORE UPDATE OF definition ON instrument
WHEN EXISTS (SELECT 1 FROM measure WHERE instrument = 'custom-' || OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'instrument is in use');
END;
CREATE TRIGGER instrument_no_delete BEFORE DELETE ON instrument
BEGIN
    SELECT RAISE(ABORT, 'instrument is kept');
END;
