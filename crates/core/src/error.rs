//! The core's typed errors. Every variant maps to a stable [`Code`] that crosses IPC; messages
//! never carry SQL, file paths, secrets or personal data, so they are safe to show and to log.

use serde::{Deserialize, Serialize};

/// The result type of every fallible core API.
pub type Result<T, E = Error> = std::result::Result<T, E>;

closed_enum! {
    /// A closed set of error codes, mirrored in the UI, which maps each to localized text.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum Code {
        /// The vault is locked; unlock it first.
        Locked,
        /// The passphrase did not open the vault.
        WrongPassphrase,
        /// The recovery key is well-formed but did not open the vault.
        WrongRecoveryKey,
        /// The recovery key is mistyped (bad characters, length or checksum).
        InvalidRecoveryKey,
        /// A new passphrase was rejected by the strength check.
        WeakPassphrase,
        /// There is no vault in the chosen folder.
        VaultNotFound,
        /// A vault already exists where a new one was to be created.
        VaultExists,
        /// The key file is missing while the database is there.
        KeyFileMissing,
        /// The key file is unreadable or damaged.
        KeyFileCorrupt,
        /// The database file is missing while the key file is there.
        DatabaseMissing,
        /// The database is not a Confidant vault or does not belong to this key file.
        NotAVault,
        /// The database was written by a newer Confidant.
        NewerVersion,
        /// The build is not linked against SQLCipher; refusing to store anything.
        EncryptionUnavailable,
        /// Input failed validation; `field` names which.
        Validation,
        /// The requested record does not exist.
        NotFound,
        /// A signed journal entry cannot be changed; amend it instead.
        EntrySigned,
        /// The operation needs a signed entry (e.g. amending a draft).
        EntryNotSigned,
        /// An attachment is larger than allowed.
        AttachmentTooLarge,
        /// An attachment is not a PDF or an image.
        AttachmentType,
        /// "Remember on this computer" is not turned on for this vault.
        NotRemembered,
        /// The OS keyring could not be reached.
        KeyringUnavailable,
        /// The OS keyring has no key for this vault any more.
        RememberedKeyMissing,
        /// The access log failed verification.
        LogTampered,
        /// The backup folder or disk is not there (not plugged in, or moved).
        BackupTargetMissing,
        /// The backup folder cannot be written to.
        BackupTargetReadOnly,
        /// The backup disk has not enough free space.
        BackupTargetFull,
        /// The backup would exceed the 4 GiB file limit of a FAT32 disk.
        BackupTooLargeForFat32,
        /// A backup file failed a check; the message names the check.
        BackupCorrupt,
        /// An export package to import failed a check; the message names the check. Nothing
        /// was imported.
        ImportRejected,
        /// The file is not a Confidant backup (or not one this credential can open).
        NotABackup,
        /// A vault already exists where a backup was to be restored.
        RestoreTargetExists,
        /// Reading or writing a file failed.
        Io,
        /// The database reported an unexpected error.
        Database,
        /// An internal invariant failed.
        Internal,
        /// A long job was cancelled (by the person, or because the vault was locked).
        Cancelled,
        /// Another program has the vault unlocked for writing (the app, or the command line).
        VaultBusy,
        /// The key file changed on disk since this vault read it (another program changed a key).
        KeyFileChanged,
        /// A backup or check is running on the vault; the change must wait for it.
        JobRunning,
        /// The backup was made before the vault's keys were renewed; the credentials of that
        /// time open it, today's do not.
        BackupFromOlderKeys,
        /// There is no successor (custodian) key for this vault, or the one presented is not it.
        WrongSuccessorKey,
        /// The PIN did not open the vault; a few attempts remain (the app status says how many).
        WrongPin,
        /// The last allowed PIN was wrong: the quick unlock is forgotten, the passphrase is needed.
        PinAttemptsUsedUp,
        /// No PIN can open the vault now (none set, expired, turned off, a key changed, or the
        /// vault was opened by PIN and setting one needs the passphrase).
        QuickUnlockUnavailable,
        /// Processing of the client is restricted (GDPR art. 18): nothing of the client can
        /// change until the restriction is lifted.
        Restricted,
        /// An issued invoice (or a payment) is never changed or deleted; correct it with a
        /// credit note.
        InvoiceIssued,
        /// A legal hold is in force on the client: nothing of the client can be erased.
        LegalHold,
        /// What can be erased changed since the preview was shown (a new entry, a hold, a
        /// rule); look at the preview again.
        ErasurePlanChanged,
        /// A document (PDF) could not be laid out.
        DocumentFailed,
        /// The export folder already holds a file of that name.
        ExportExists,
        /// This needs the client's consent for the purpose, and none is in force (never given,
        /// or withdrawn).
        NoConsent,
    }
}

impl Code {
    /// The code as it crosses IPC (`wrong_passphrase`).
    pub fn as_str(self) -> &'static str {
        crate::kinds::serde_name(&self)
    }
}

closed_enum! {
    /// The check a damaged backup failed (stable names, shown in the history and the UI).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum BackupCheck {
        /// The age header is unreadable.
        AgeHeader,
        /// The age header's MAC does not match.
        HeaderMac,
        /// The `confidant-keys` stanza is damaged.
        KeyStanza,
        /// The key in the stanza does not match the backup's recipient.
        KeyMismatch,
        /// The stanza's key could not be unwrapped.
        KeyUnwrap,
        /// The encrypted payload is damaged or cut short.
        Payload,
        /// The tar archive inside is damaged.
        Archive,
        /// `manifest.json` is missing or damaged.
        Manifest,
        /// A file named in the manifest is missing.
        MissingFile,
        /// A file's SHA-256 differs from the manifest.
        FileHash,
        /// The backup belongs to another vault than it says.
        VaultId,
        /// The `keys.json` inside is damaged or does not open with the credential.
        KeysFile,
        /// The database snapshot does not open with the key.
        DatabaseOpen,
        /// SQLite's integrity check failed.
        IntegrityCheck,
        /// SQLCipher's page check failed.
        CipherIntegrityCheck,
        /// The schema version differs from the manifest.
        SchemaVersion,
        /// Row counts differ from the manifest.
        RowCounts,
        /// Table contents differ from the manifest.
        ContentHash,
    }
}

impl BackupCheck {
    /// The stable name (`payload`).
    pub fn as_str(self) -> &'static str {
        crate::kinds::serde_name(&self)
    }
}

closed_enum! {
    /// The check a package failed (stable names, shown by the app and the CLI).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum ImportCheck {
        /// No `manifest.json` or `data.json`: not an export package.
        NotAPackage,
        /// The manifest is unreadable or names a path outside the package.
        Manifest,
        /// A file the manifest lists is missing.
        MissingFile,
        /// A file's size or SHA-256 differs from the manifest.
        FileHash,
        /// `data.json` is not a Confidant client export.
        Format,
        /// `data.json` was written by a newer Confidant.
        NewerVersion,
        /// `data.json` does not match its schema.
        Schema,
        /// A record refers to something the package does not hold, or contradicts itself.
        Reference,
        /// This client from that vault is already in this vault.
        AlreadyImported,
    }
}

impl ImportCheck {
    /// The stable name (`file_hash`).
    pub fn as_str(self) -> &'static str {
        crate::kinds::serde_name(&self)
    }
}

/// Which kind of program holds a vault for writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// The desktop app.
    App,
    /// The `confidant` command line.
    Cli,
}

/// Who stopped a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CancelReason {
    /// The person pressed cancel (or the CLI was interrupted).
    Person,
    /// The vault was locked; a job never keeps a key past a lock.
    Lock,
}

/// A validation failure: which field, and a stable reason the UI can localize.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldError {
    /// The field, in the request type's serde name (e.g. `national_id`).
    pub field: String,
    /// Why.
    pub reason: Reason,
}

closed_enum! {
    /// Why a field was rejected: a closed set the UI localizes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum Reason {
        /// Empty, but needed.
        Required,
        /// Longer than allowed.
        TooLong,
        /// Holds control characters.
        ControlCharacters,
        /// More than one line where one is expected.
        MultipleLines,
        /// Not in the expected format.
        Format,
        /// More items than allowed.
        TooMany,
        /// Outside the allowed range of values.
        OutOfRange,
        /// A setting outside its range (the UI shows the range).
        Range,
        /// A date before the start it must follow.
        BeforeStart,
        /// The date of birth disagrees with the national ID.
        DateOfBirthMismatch,
        /// A national ID whose birth date does not exist or lies ahead.
        Date,
        /// A national ID whose check digit is wrong.
        Checksum,
        /// Not a regular file.
        NotAFile,
        /// The file changed while it was read.
        ChangedWhileReading,
        /// A path the person did not pick in a dialog.
        NotChosen,
        /// A path that was not dropped on the window.
        NotDropped,
        /// The change would delete every older backup: ask the person, then send it confirmed.
        NeedsConfirmation,
        /// Easy to guess (a PIN of one repeated digit, a straight run, a repeated group).
        TooSimple,
        /// A day after today, where only a past or present day makes sense.
        InFuture,
        /// A version that already names another wording (a changed text needs a new version).
        OtherText,
        /// A record of another client.
        NotThisClient,
        /// The same thing is already recorded and in force.
        Duplicate,
        /// Already done once; the first time stands.
        AlreadyDone,
        /// Not possible here (e.g. a VAT exemption the practice profile has no rule for).
        NotAllowed,
    }
}

impl Reason {
    /// The stable name (`too_long`).
    pub fn as_str(self) -> &'static str {
        crate::kinds::serde_name(&self)
    }
}

/// Every error the core returns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// See [`Code::Locked`].
    #[error("the vault is locked")]
    Locked,
    /// See [`Code::WrongPassphrase`].
    #[error("the passphrase is not correct")]
    WrongPassphrase,
    /// See [`Code::WrongRecoveryKey`].
    #[error("the recovery key does not open this vault")]
    WrongRecoveryKey,
    /// See [`Code::InvalidRecoveryKey`].
    #[error("the recovery key is mistyped: {0}")]
    InvalidRecoveryKey(&'static str),
    /// See [`Code::WeakPassphrase`]; carries the strength checker's feedback.
    #[error("the passphrase is too weak: {0}")]
    WeakPassphrase(crate::keys::strength::Strength),
    /// See [`Code::VaultNotFound`].
    #[error("there is no vault in the chosen folder")]
    VaultNotFound,
    /// See [`Code::VaultExists`].
    #[error("a vault already exists in the chosen folder")]
    VaultExists,
    /// See [`Code::KeyFileMissing`].
    #[error("the vault's key file is missing; restore it from a backup")]
    KeyFileMissing,
    /// See [`Code::KeyFileCorrupt`].
    #[error("the vault's key file is damaged: {0}")]
    KeyFileCorrupt(&'static str),
    /// See [`Code::DatabaseMissing`].
    #[error("the vault's database file is missing; restore it from a backup")]
    DatabaseMissing,
    /// See [`Code::NotAVault`].
    #[error("the database is not an encrypted Confidant vault matching its key file: {0}")]
    NotAVault(&'static str),
    /// See [`Code::NewerVersion`].
    #[error("the vault was written by a newer Confidant (schema {found}, this build knows {known}); update Confidant")]
    NewerVersion {
        /// Schema version in the file.
        found: i64,
        /// Newest schema version this build knows.
        known: i64,
    },
    /// See [`Code::EncryptionUnavailable`].
    #[error("this build is not linked against SQLCipher; refusing to store anything")]
    EncryptionUnavailable,
    /// See [`Code::Validation`].
    #[error("invalid {}: {}", .0.field, crate::kinds::serde_name(&.0.reason))]
    Validation(FieldError),
    /// See [`Code::NotFound`].
    #[error("{0} not found")]
    NotFound(&'static str),
    /// See [`Code::EntrySigned`].
    #[error("the entry is signed and cannot be changed; add an amendment instead")]
    EntrySigned,
    /// See [`Code::EntryNotSigned`].
    #[error("only a signed entry can be amended; edit the draft instead")]
    EntryNotSigned,
    /// See [`Code::AttachmentTooLarge`].
    #[error("the attachment is larger than {max_mb} MB")]
    AttachmentTooLarge {
        /// The limit in megabytes.
        max_mb: u64,
    },
    /// See [`Code::AttachmentType`].
    #[error("only PDF files and images (PNG, JPEG, GIF, WebP, HEIC, TIFF) can be attached")]
    AttachmentType,
    /// See [`Code::NotRemembered`].
    #[error("this vault is not remembered on this computer")]
    NotRemembered,
    /// See [`Code::KeyringUnavailable`].
    #[error("the system keyring is not available; unlock with your passphrase")]
    KeyringUnavailable,
    /// See [`Code::RememberedKeyMissing`].
    #[error("the system keyring no longer holds this vault's key; unlock with your passphrase")]
    RememberedKeyMissing,
    /// See [`Code::LogTampered`].
    #[error("the access log does not verify at entry {seq}: {problem}")]
    LogTampered {
        /// Sequence number where verification failed.
        seq: i64,
        /// What failed.
        problem: &'static str,
    },
    /// See [`Code::BackupTargetMissing`].
    #[error("the backup folder is not available; plug in the backup disk or choose another folder")]
    BackupTargetMissing,
    /// See [`Code::BackupTargetReadOnly`].
    #[error("the backup folder cannot be written to (read-only or no permission)")]
    BackupTargetReadOnly,
    /// See [`Code::BackupTargetFull`].
    #[error("the backup disk is full: about {needed_mb} MB needed, {free_mb} MB free")]
    BackupTargetFull {
        /// Estimated space needed, in MB.
        needed_mb: u64,
        /// Free space, in MB.
        free_mb: u64,
    },
    /// See [`Code::BackupTooLargeForFat32`].
    #[error(
        "the backup (about {size_mb} MB) is too large for a FAT32 disk (4 GiB per file); use an exFAT or NTFS disk"
    )]
    BackupTooLargeForFat32 {
        /// Estimated size in MB.
        size_mb: u64,
    },
    /// See [`Code::BackupCorrupt`]; carries the check that failed.
    #[error("the backup is damaged or incomplete (check failed: {})", .0.as_str())]
    BackupCorrupt(BackupCheck),
    /// See [`Code::ImportRejected`]; carries the check that failed.
    #[error("the package cannot be imported (check failed: {}); nothing was imported", .0.as_str())]
    ImportRejected(ImportCheck),
    /// See [`Code::NotABackup`].
    #[error("this is not a Confidant backup: {0}")]
    NotABackup(&'static str),
    /// See [`Code::RestoreTargetExists`].
    #[error("a vault already exists in the chosen folder; choose to replace it (the old one is kept aside) or pick another folder")]
    RestoreTargetExists,
    /// See [`Code::Io`]. The OS error kind only: paths are never included.
    #[error("could not {op}: {kind}")]
    Io {
        /// What we were doing.
        op: &'static str,
        /// The OS error kind.
        kind: std::io::ErrorKind,
    },
    /// See [`Code::Database`]. The SQLite error code only: never SQL text or values.
    #[error("database error ({0})")]
    Database(String),
    /// See [`Code::Cancelled`].
    #[error("cancelled{}", if *.0 == CancelReason::Lock { " because the vault was locked" } else { "" })]
    Cancelled(CancelReason),
    /// See [`Code::VaultBusy`].
    #[error("{}", match .0 { Holder::App => "the journal is open in the Confidant app; lock it or quit the app first", Holder::Cli => "the journal is in use by the confidant command line; wait for it to finish" })]
    VaultBusy(Holder),
    /// See [`Code::KeyFileChanged`].
    #[error("the key file was changed by another program since the journal was opened; lock it and unlock again")]
    KeyFileChanged,
    /// See [`Code::WrongPin`].
    #[error("the PIN is not correct ({attempts_left} attempts left)")]
    WrongPin {
        /// Wrong PINs still allowed.
        attempts_left: u8,
    },
    /// See [`Code::PinAttemptsUsedUp`].
    #[error("too many wrong PINs; unlock with your passphrase")]
    PinAttemptsUsedUp,
    /// See [`Code::QuickUnlockUnavailable`].
    #[error("unlocking with a PIN is not available now; unlock with your passphrase")]
    QuickUnlockUnavailable,
    /// See [`Code::Restricted`].
    #[error("processing of this client is restricted; lift the restriction to make changes")]
    Restricted,
    /// See [`Code::InvoiceIssued`].
    #[error("an issued invoice cannot be changed or deleted; correct it with a credit note")]
    InvoiceIssued,
    /// See [`Code::LegalHold`].
    #[error("a legal hold is in force on this client; nothing can be erased until it is released")]
    LegalHold,
    /// See [`Code::ErasurePlanChanged`].
    #[error("what can be erased changed since the preview; look at the preview again")]
    ErasurePlanChanged,
    /// See [`Code::DocumentFailed`]; names the document, never its text.
    #[error("the {0} document could not be laid out")]
    DocumentFailed(&'static str),
    /// See [`Code::ExportExists`].
    #[error("the export folder already holds an export of that name")]
    ExportExists,
    /// See [`Code::NoConsent`].
    #[error("this needs the client's consent, and none is in force")]
    NoConsent,
    /// See [`Code::Internal`].
    #[error("a backup or check is running; wait for it to finish or cancel it, then try again")]
    JobRunning,

    #[error("this backup was made before the vault's keys were renewed; open it with the passphrase or recovery key that was in use then")]
    BackupFromOlderKeys,

    #[error("the successor key does not open this vault or backup")]
    WrongSuccessorKey,

    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> Code {
        match self {
            Error::Locked => Code::Locked,
            Error::WrongPassphrase => Code::WrongPassphrase,
            Error::WrongRecoveryKey => Code::WrongRecoveryKey,
            Error::InvalidRecoveryKey(_) => Code::InvalidRecoveryKey,
            Error::WeakPassphrase(_) => Code::WeakPassphrase,
            Error::VaultNotFound => Code::VaultNotFound,
            Error::VaultExists => Code::VaultExists,
            Error::KeyFileMissing => Code::KeyFileMissing,
            Error::KeyFileCorrupt(_) => Code::KeyFileCorrupt,
            Error::DatabaseMissing => Code::DatabaseMissing,
            Error::NotAVault(_) => Code::NotAVault,
            Error::NewerVersion { .. } => Code::NewerVersion,
            Error::EncryptionUnavailable => Code::EncryptionUnavailable,
            Error::Validation(_) => Code::Validation,
            Error::NotFound(_) => Code::NotFound,
            Error::EntrySigned => Code::EntrySigned,
            Error::EntryNotSigned => Code::EntryNotSigned,
            Error::AttachmentTooLarge { .. } => Code::AttachmentTooLarge,
            Error::AttachmentType => Code::AttachmentType,
            Error::NotRemembered => Code::NotRemembered,
            Error::KeyringUnavailable => Code::KeyringUnavailable,
            Error::RememberedKeyMissing => Code::RememberedKeyMissing,
            Error::LogTampered { .. } => Code::LogTampered,
            Error::BackupTargetMissing => Code::BackupTargetMissing,
            Error::BackupTargetReadOnly => Code::BackupTargetReadOnly,
            Error::BackupTargetFull { .. } => Code::BackupTargetFull,
            Error::BackupTooLargeForFat32 { .. } => Code::BackupTooLargeForFat32,
            Error::BackupCorrupt(_) => Code::BackupCorrupt,
            Error::ImportRejected(_) => Code::ImportRejected,
            Error::NotABackup(_) => Code::NotABackup,
            Error::RestoreTargetExists => Code::RestoreTargetExists,
            Error::Io { .. } => Code::Io,
            Error::Database(_) => Code::Database,
            Error::Cancelled(_) => Code::Cancelled,
            Error::VaultBusy(_) => Code::VaultBusy,
            Error::KeyFileChanged => Code::KeyFileChanged,
            Error::JobRunning => Code::JobRunning,
            Error::BackupFromOlderKeys => Code::BackupFromOlderKeys,
            Error::WrongSuccessorKey => Code::WrongSuccessorKey,
            Error::WrongPin { .. } => Code::WrongPin,
            Error::PinAttemptsUsedUp => Code::PinAttemptsUsedUp,
            Error::QuickUnlockUnavailable => Code::QuickUnlockUnavailable,
            Error::Restricted => Code::Restricted,
            Error::InvoiceIssued => Code::InvoiceIssued,
            Error::LegalHold => Code::LegalHold,
            Error::ErasurePlanChanged => Code::ErasurePlanChanged,
            Error::DocumentFailed(_) => Code::DocumentFailed,
            Error::ExportExists => Code::ExportExists,
            Error::NoConsent => Code::NoConsent,
            Error::Internal(_) => Code::Internal,
        }
    }

    /// The error as it crosses IPC: a code and a safe message.
    pub fn to_ipc(&self) -> IpcError {
        let field = match self {
            Error::Validation(f) => Some(f.clone()),
            _ => None,
        };
        IpcError { code: self.code(), message: self.to_string(), field }
    }

    /// A validation error for `field` with a stable `reason`.
    pub fn invalid(field: &str, reason: Reason) -> Self {
        Error::Validation(FieldError { field: field.to_owned(), reason })
    }

    /// Maps an I/O error for `op`; a job's cancellation, raised inside a reader or writer
    /// (see `JobCtl::io_report`), comes back out as [`Error::Cancelled`].
    pub(crate) fn io(op: &'static str) -> impl FnOnce(std::io::Error) -> Error {
        move |e| match cancelled_in(&e) {
            Some(reason) => Error::Cancelled(reason),
            None => Error::Io { op, kind: e.kind() },
        }
    }
}

/// The payload of the `io::Error` a reader or writer raises when its job is cancelled; mapped
/// back to [`Error::Cancelled`] by the core's I/O error mapping.
#[derive(Debug)]
pub(crate) struct CancelledIo(pub(crate) CancelReason);

impl std::fmt::Display for CancelledIo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for CancelledIo {}

/// Whether `e` is a job's cancellation raised inside I/O.
pub(crate) fn cancelled_in(e: &std::io::Error) -> Option<CancelReason> {
    e.get_ref().and_then(|inner| inner.downcast_ref::<CancelledIo>()).map(|c| c.0)
}

/// The serialized form of an error across IPC: `{ code, message, field? }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IpcError {
    /// The stable code.
    pub code: Code,
    /// An English message without personal data, for logs and as a fallback.
    pub message: String,
    /// For validation errors: which field and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<FieldError>,
}

mod sqlite;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipc_error_serializes_code_and_field() {
        let e = Error::invalid("email", Reason::Format);
        let json = serde_json::to_value(e.to_ipc()).unwrap_or_default();
        assert_eq!(json["code"], "validation");
        assert_eq!(json["field"]["field"], "email");
        assert_eq!(json["field"]["reason"], "format");
        let locked = serde_json::to_value(Error::Locked.to_ipc()).unwrap_or_default();
        assert_eq!(locked["code"], "locked");
        assert!(locked.get("field").is_none());
    }

    #[test]
    fn every_code_is_listed_once_and_named_in_snake_case() {
        let names: std::collections::HashSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len());
        assert!(names.contains("wrong_passphrase") && names.contains("cancelled"));
        assert!(names
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')));
    }
}
