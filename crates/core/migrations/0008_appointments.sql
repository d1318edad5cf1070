-- Sessions in the therapist's calendar ("appointment": `session` is the vault's own word for an
-- unlocked connection). A session is planned, then its attendance is recorded once it is known:
-- attended, cancelled in time, cancelled late, or not come to. A planned session that was a
-- mistake can be removed; once attendance is recorded the session is a record of contact (and,
-- later, of what may be invoiced) and stays with the journal until erasure.
CREATE TABLE appointment (
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
) STRICT;
CREATE INDEX appointment_client ON appointment (client_id, starts_at);
CREATE INDEX appointment_time ON appointment (starts_at);

-- A session whose attendance is recorded is kept as it is: only its fee and course may still be
-- set (the fee is often agreed afterwards), and its note linked once.
CREATE TRIGGER appointment_recorded_kept BEFORE UPDATE ON appointment
WHEN OLD.attendance <> 'planned' AND (
       NEW.id IS NOT OLD.id OR NEW.client_id IS NOT OLD.client_id OR NEW.starts_at IS NOT OLD.starts_at
    OR NEW.minutes IS NOT OLD.minutes OR NEW.kind IS NOT OLD.kind OR NEW.attendance IS NOT OLD.attendance
    OR (OLD.entry_id IS NOT NULL AND NEW.entry_id IS NOT OLD.entry_id))
BEGIN
    SELECT RAISE(ABORT, 'recorded appointment is kept');
END;
CREATE TRIGGER appointment_recorded_no_delete BEFORE DELETE ON appointment
WHEN OLD.attendance <> 'planned'
  AND NOT EXISTS (SELECT 1 FROM erasure_permit WHERE client_id = OLD.client_id)
BEGIN
    SELECT RAISE(ABORT, 'recorded appointment is kept');
END;
-- Restriction (art. 18) stops new sessions and changes to planned ones.
CREATE TRIGGER appointment_restricted_no_insert BEFORE INSERT ON appointment
WHEN (SELECT restricted_at FROM client WHERE id = NEW.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;
CREATE TRIGGER appointment_restricted_no_update BEFORE UPDATE ON appointment
WHEN (SELECT restricted_at FROM client WHERE id = OLD.client_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'client record is restricted');
END;
