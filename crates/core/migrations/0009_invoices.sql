-- Invoices, credit notes and payments (issue 12 §2). The rules the database keeps itself, so no
-- code path can break them:
-- - an issued invoice (or credit note) is never changed or deleted, nor are its lines; the one
--   change allowed is forgetting its client link when the client's records are erased (its
--   buyer details were frozen at issue and stay, as the bookkeeping law requires);
-- - invoice numbers are unique, and given only at issue, in the transaction that issues;
-- - a payment is never changed or deleted.

-- The seller's details every invoice carries (one row).
CREATE TABLE billing (
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
) STRICT;

CREATE TABLE invoice (
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
) STRICT;
CREATE INDEX invoice_client ON invoice (client_id);

CREATE TABLE invoice_line (
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
) STRICT;
CREATE INDEX invoice_line_appointment ON invoice_line (appointment_id);

CREATE TABLE payment (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoice (id),
    paid_on      TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    method       TEXT NOT NULL CHECK (method IN ('bank_transfer', 'card', 'cash', 'swish', 'mobilepay', 'other')),
    recorded_at  TEXT NOT NULL
) STRICT;
CREATE INDEX payment_invoice ON payment (invoice_id);

CREATE TRIGGER invoice_issued_kept BEFORE UPDATE ON invoice
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
END;
CREATE TRIGGER invoice_issued_no_delete BEFORE DELETE ON invoice WHEN OLD.status = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END;
-- A number is only ever given by issuing.
CREATE TRIGGER invoice_issued_on_insert BEFORE INSERT ON invoice WHEN NEW.status = 'issued' OR NEW.number IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END;
CREATE TRIGGER invoice_line_issued_no_insert BEFORE INSERT ON invoice_line
WHEN (SELECT status FROM invoice WHERE id = NEW.invoice_id) = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END;
CREATE TRIGGER invoice_line_issued_no_update BEFORE UPDATE ON invoice_line
WHEN (SELECT status FROM invoice WHERE id = OLD.invoice_id) = 'issued'
  OR (SELECT status FROM invoice WHERE id = NEW.invoice_id) = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END;
CREATE TRIGGER invoice_line_issued_no_delete BEFORE DELETE ON invoice_line
WHEN (SELECT status FROM invoice WHERE id = OLD.invoice_id) = 'issued'
BEGIN
    SELECT RAISE(ABORT, 'issued invoice is kept');
END;
CREATE TRIGGER payment_kept_update BEFORE UPDATE ON payment
BEGIN
    SELECT RAISE(ABORT, 'payment is kept');
END;
CREATE TRIGGER payment_kept_delete BEFORE DELETE ON payment
BEGIN
    SELECT RAISE(ABORT, 'payment is kept');
END;
-- A payment goes to an issued invoice.
CREATE TRIGGER payment_to_issued BEFORE INSERT ON payment
WHEN (SELECT status FROM invoice WHERE id = NEW.invoice_id) IS NOT 'issued'
BEGIN
    SELECT RAISE(ABORT, 'payment is kept');
END;
