-- `INSERT OR REPLACE` (and an UPSERT's REPLACE) deletes the conflicting row without firing
-- delete triggers, so it could overwrite a signed entry, an amendment or an access-log row in
-- one statement. Refuse any insert whose key names a row that may never change.
CREATE TRIGGER entry_signed_no_replace BEFORE INSERT ON entry
WHEN EXISTS (SELECT 1 FROM entry WHERE id = NEW.id AND status = 'signed')
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;
CREATE TRIGGER amendment_no_replace BEFORE INSERT ON amendment
WHEN EXISTS (SELECT 1 FROM amendment WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'signed entry is immutable');
END;
CREATE TRIGGER access_log_no_replace BEFORE INSERT ON access_log
WHEN EXISTS (SELECT 1 FROM access_log WHERE seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'access log is append-only');
END;
