//! SQLite's errors as the core's closed ones: the database's own refusals (triggers) become
//! their codes, and nothing of SQLite's text, which can quote SQL or values, is kept.

use super::Error;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        // Only the SQLite result code is kept: messages can quote SQL or constraint values.
        match e {
            rusqlite::Error::SqliteFailure(f, msg) => {
                if msg.as_deref().is_some_and(|m| m.contains("signed entry")) {
                    return Error::EntrySigned;
                }
                if msg.as_deref().is_some_and(|m| m.contains("client record is restricted")) {
                    return Error::Restricted;
                }
                if msg.as_deref().is_some_and(|m| m.contains("issued invoice is kept") || m.contains("payment is kept"))
                {
                    return Error::InvoiceIssued;
                }
                if msg
                    .as_deref()
                    .is_some_and(|m| m.contains("instrument is in use") || m.contains("instrument is kept"))
                {
                    return Error::invalid("instrument", crate::Reason::NotAllowed);
                }
                if msg.as_deref().is_some_and(|m| m.contains("client is under a legal hold")) {
                    return Error::LegalHold;
                }
                Error::Database(format!("{:?}", f.code))
            }
            rusqlite::Error::QueryReturnedNoRows => Error::NotFound("record"),
            other => Error::Database(
                match other {
                    rusqlite::Error::InvalidColumnType(..) => "column type",
                    rusqlite::Error::FromSqlConversionFailure(..) => "conversion",
                    rusqlite::Error::IntegralValueOutOfRange(..) => "range",
                    _ => "other",
                }
                .to_owned(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;

    #[test]
    fn sqlite_messages_are_not_forwarded() {
        let e = Error::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(19),
            Some("UNIQUE constraint failed: client.email = 'anna@example.se'".into()),
        ));
        assert!(!e.to_string().contains("anna"));
        assert_eq!(e.code(), Code::Database);
    }

    #[test]
    fn the_databases_own_refusals_keep_their_codes() {
        let refused =
            |m: &str| Error::from(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(19), Some(m.into())));
        assert_eq!(refused("signed entry is immutable").code(), Code::EntrySigned);
        assert_eq!(refused("client record is restricted").code(), Code::Restricted);
        assert_eq!(refused("client is under a legal hold").code(), Code::LegalHold);
        assert_eq!(refused("issued invoice is kept").code(), Code::InvoiceIssued);
        assert_eq!(refused("payment is kept").code(), Code::InvoiceIssued);
        assert_eq!(refused("the breach register is kept").code(), Code::Database);
    }
}
