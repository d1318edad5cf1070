-- Confidant schema v2: the history of backup runs. Released migrations are never edited.
-- Only a file name and a target label are kept: never a full path, which can name a person.

CREATE TABLE backup_run (
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
) STRICT;

CREATE INDEX backup_run_by_time ON backup_run (finished_at);
