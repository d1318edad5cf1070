-- Bookkeeping past its period (issue 12 §2: "retention clocks apply"): issued invoices, their
-- lines and payments may be deleted once the bookkeeping law's period for their financial year
-- is over, and only then. The core writes a permit naming the last day of the latest year that
-- may go, deletes, and removes the permit in the same transaction (like `erasure_permit`:
-- triggers cannot see TEMP tables, so a main table that is always empty between transactions).
-- A client under a legal hold keeps their invoices whatever the permit says.
CREATE TABLE invoice_purge_permit (
    through TEXT NOT NULL
) STRICT;

DROP TRIGGER invoice_issued_no_delete;
CREATE TRIGGER invoice_issued_no_delete BEFORE DELETE ON invoice
WHEN OLD.status = 'issued' AND (
       NOT EXISTS (SELECT 1 FROM invoice_purge_permit p WHERE OLD.issued_on <= p.through)
    OR EXISTS (SELECT 1 FROM legal_hold h WHERE h.client_id = OLD.client_id AND h.released_at IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END;

DROP TRIGGER invoice_line_issued_no_delete;
CREATE TRIGGER invoice_line_issued_no_delete BEFORE DELETE ON invoice_line
WHEN (SELECT status FROM invoice WHERE id = OLD.invoice_id) = 'issued'
 AND NOT EXISTS (SELECT 1 FROM invoice_purge_permit p JOIN invoice i ON i.issued_on <= p.through
                 WHERE i.id = OLD.invoice_id)
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END;

DROP TRIGGER payment_kept_delete;
CREATE TRIGGER payment_kept_delete BEFORE DELETE ON payment
WHEN NOT EXISTS (SELECT 1 FROM invoice_purge_permit p JOIN invoice i ON i.issued_on <= p.through
                 WHERE i.id = OLD.invoice_id)
BEGIN
    SELECT RAISE(ABORT, 'payment is kept');
END;
