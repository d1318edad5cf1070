//! Reading the access log: the newest rows for the therapist (reading is logged too) and a
//! walk of the whole chain. Writing it is [`crate::audit`]'s alone.

use rusqlite::params;

use crate::audit::{self, Action, LogEntry, LogVerification, Target};
use crate::{Result, Vault};

impl Vault {
    /// The newest `limit` log rows, optionally for one client. Reading the log is logged too.
    pub fn access_log(&mut self, client_id: Option<i64>, limit: u32) -> Result<Vec<LogEntry>> {
        let s = self.session()?;
        let mut st = s.reader().prepare(
            "SELECT seq, at, action, object_kind, object_id, client_id FROM access_log
             WHERE ?1 IS NULL OR client_id = ?1 ORDER BY seq DESC LIMIT ?2",
        )?;
        let rows = st
            .query_map(params![client_id, limit], |r| {
                Ok(LogEntry {
                    seq: r.get(0)?,
                    at: crate::time::parse_ts(&r.get::<_, String>(1)?),
                    action: r.get(2)?,
                    object_kind: r.get(3)?,
                    object_id: r.get(4)?,
                    client_id: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        let target = client_id.map_or(Target::none(), Target::client);
        s.log(Action::LogRead, target)?;
        Ok(rows)
    }

    /// Verifies the whole access log chain.
    pub fn verify_access_log(&mut self) -> Result<LogVerification> {
        let s = self.session()?;
        audit::verify(s.reader(), &s.log_key)
    }
}
