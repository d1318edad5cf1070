//! Command-line grammar.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

mod invoice;
mod practice;
mod registers;
pub use invoice::{BillingAction, InvoiceAction};
pub use practice::{MeasureAction, SessionAction, SessionDetails};
pub use registers::{BreachAction, ConsentAction};

#[derive(Debug, Parser)]
#[command(name = "confidant", version = confidant_buildinfo::LINE, about = "Confidant: an encrypted journal for therapists", max_term_width = 100)]
pub struct Cli {
    /// The vault folder (default: the app's data folder).
    #[arg(long, global = true, env = "CONFIDANT_VAULT", value_name = "DIR")]
    pub vault: Option<PathBuf>,
    /// Read passphrases (one per line) from standard input instead of the terminal.
    #[arg(long, global = true)]
    pub passphrase_stdin: bool,
    /// Unlock with the recovery key instead of the passphrase.
    #[arg(long, global = true)]
    pub recovery_key: bool,
    /// Unlock (or restore) as the custodian, with the successor key file (age identity).
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "recovery_key")]
    pub successor_key: Option<PathBuf>,
    /// Unlock (or restore) as the custodian, with the successor passphrase.
    #[arg(long, global = true, conflicts_with_all = ["recovery_key", "successor_key"])]
    pub successor_passphrase: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new vault; prints the recovery key once.
    Init,
    /// Create a demo vault with fictional clients in DIR.
    Demo { dir: PathBuf },
    /// Change the passphrase (authorize with the current one or the recovery key).
    ChangePassphrase,
    /// Manage the recovery key.
    RecoveryKey {
        #[command(subcommand)]
        action: RecoveryAction,
    },
    /// Renew the vault's keys: a new database key, a new recovery key and new backups that the
    /// old passphrase, the old recovery key and old backups cannot open.
    Rekey {
        /// Why: someone may know the passphrase (a new one is asked), or the recovery sheet is
        /// lost (the passphrase may stay).
        #[arg(long, value_enum)]
        reason: RekeyWhy,
        #[arg(long)]
        progress: bool,
    },
    /// The successor key ("professional will"): a custodian who can open backups and export
    /// journals if you cannot.
    Successor {
        #[command(subcommand)]
        action: SuccessorAction,
    },
    /// Remember the vault key in the system keyring on this computer, or forget it.
    Remember { state: OnOff },
    /// Show the vault's id and key slots (no unlock needed).
    Info,
    /// The access log.
    Log {
        #[command(subcommand)]
        action: LogAction,
    },
    /// The practice profile.
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
    },
    /// Clients.
    Client {
        #[command(subcommand)]
        action: ClientAction,
    },
    /// Courses of treatment.
    Course {
        #[command(subcommand)]
        action: CourseAction,
    },
    /// Journal entries.
    Entry {
        #[command(subcommand)]
        action: EntryAction,
    },
    /// Attach a PDF or image to a client or an entry.
    Attach {
        #[arg(long, conflicts_with = "entry", required_unless_present = "entry")]
        client: Option<i64>,
        #[arg(long)]
        entry: Option<i64>,
        file: PathBuf,
    },
    /// Attachments.
    Attachment {
        #[command(subcommand)]
        action: AttachmentAction,
    },
    /// Back up the vault (verified, age-encrypted) to the remembered folder or --target.
    /// Unattended from cron/launchd/Task Scheduler when "remember" is on; exit code 1 on failure.
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        #[command(subcommand)]
        action: Option<BackupAction>,
        /// The folder to write to (default: the remembered target).
        #[arg(long, value_name = "DIR")]
        target: Option<PathBuf>,
        /// Print progress to stderr even when it is not a terminal.
        #[arg(long)]
        progress: bool,
    },
    /// Check a backup file completely (decrypt, hashes, database integrity).
    Verify {
        file: PathBuf,
        #[arg(long)]
        progress: bool,
    },
    /// Restore a backup into the vault folder (--vault); asks for the passphrase (or the
    /// recovery key with --recovery-key).
    Restore {
        file: PathBuf,
        /// Replace an existing vault; the old folder is kept next to it with a date.
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        progress: bool,
    },
    /// A legal hold on a client (a complaint, a supervisory case): stops every retention clock
    /// and any erasure of the client until released.
    Hold {
        #[command(subcommand)]
        action: HoldAction,
    },
    /// Restrict processing of a client (GDPR art. 18): nothing of the client can change until
    /// lifted.
    Restrict {
        #[arg(long)]
        client: i64,
        state: OnOff,
    },
    /// What is due for deletion under the practice profile's rules.
    Due {
        /// The day to count to (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Erase a client's records (GDPR art. 17 on request, or those whose retention clock has run
    /// out): shows what is erased and what the law keeps, then asks to confirm.
    Erase {
        #[arg(long)]
        client: i64,
        /// The day the client's request came in.
        #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "retention", required_unless_present = "retention")]
        request_received: Option<String>,
        /// Erase only what the retention rules say is due.
        #[arg(long)]
        retention: bool,
        /// Do not ask; erase what the preview lists.
        #[arg(long)]
        yes: bool,
        /// Write the reply letter (PDF, in the practice's language) into this folder.
        #[arg(long, value_name = "DIR", requires = "request_received")]
        letter_to: Option<PathBuf>,
        #[arg(long)]
        progress: bool,
    },
    /// Export a client's records for the client (GDPR art. 15/20): journal.pdf, data.json,
    /// the attachments and manifest.json, in a new folder inside DIR (or one encrypted file).
    Export {
        #[arg(long)]
        client: i64,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        /// How the requester's identity was checked ("Photo ID seen").
        #[arg(long)]
        identity_check: String,
        /// Withhold an entry's text (art. 15(4)): ENTRY_ID:REASON; repeatable.
        #[arg(long, value_name = "ID:REASON")]
        withhold: Vec<String>,
        /// One file encrypted with a generated passphrase (printed once) instead of a folder.
        #[arg(long)]
        encrypt: bool,
        #[arg(long)]
        progress: bool,
    },
    /// Import export packages (the folders `confidant export` writes) into this vault: a client
    /// arriving from another Confidant practice (GDPR art. 20), or every client of an old vault.
    /// All packages go in together or none does.
    Import {
        /// Package folders (each holds manifest.json and data.json), or folders of them.
        #[arg(required = true, value_name = "PACKAGE_DIR")]
        packages: Vec<PathBuf>,
        #[arg(long)]
        progress: bool,
    },
    /// A client's consents (GDPR art. 7): list, record one, withdraw one.
    Consent {
        #[command(subcommand)]
        action: ConsentAction,
    },
    /// What today holds: the day's sessions, unsigned notes, overdue invoices, clients due
    /// for deletion and the last verified backup (names and times only).
    Today,
    /// Sessions in the calendar: plan, record attendance, start the note, the week.
    Session {
        #[command(subcommand)]
        action: SessionAction,
    },
    /// Outcome measures (PHQ-9, GAD-7, WHO-5, CORE-10, …): record a result, see the series.
    Measure {
        #[command(subcommand)]
        action: MeasureAction,
    },
    /// The seller's details on every invoice (organisation and VAT number, payment details).
    Billing {
        #[command(subcommand)]
        action: BillingAction,
    },
    /// Invoices: draft from sessions, issue, credit, payments, PDF, CSV for the accountant.
    Invoice {
        #[command(subcommand)]
        action: InvoiceAction,
    },
    /// The breach register (GDPR art. 33/34): record a breach, see its 72-hour clock, mark the
    /// notification sent, write the draft notification and the letters to clients.
    Breach {
        #[command(subcommand)]
        action: BreachAction,
    },
    /// Save a client's journal, or one note (--entry), as a PDF into DIR, with who signed each
    /// note.
    Print {
        #[arg(long)]
        client: i64,
        #[arg(long)]
        entry: Option<i64>,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Write a referral letter about a client into DIR (needs a referral consent in force).
    Referral {
        #[arg(long)]
        client: i64,
        /// The recipient's name and address (use \n between lines).
        #[arg(long)]
        recipient: String,
        /// The letter's text, from a file.
        #[arg(long, value_name = "FILE")]
        body_file: PathBuf,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Write the record of processing (GDPR art. 30) as a PDF into DIR.
    ProcessingRecord {
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Full-text search over notes and client names.
    Search {
        query: String,
        #[arg(long)]
        client: Option<i64>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum BackupAction {
    /// Last verified backup, whether one is due, and the target.
    Status,
    /// Recent backup runs.
    History {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Removable disks that could hold backups.
    Targets,
    /// Remember DIR as the backup folder (writes a small marker file there).
    SetTarget { dir: PathBuf },
    /// Print the backup identity (age) and the vault key, for recovery without Confidant.
    Identity,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RekeyWhy {
    PassphraseKnown,
    RecoveryLost,
}

#[derive(Debug, Subcommand)]
pub enum SuccessorAction {
    /// For the custodian: make a successor key file and print its public key to give the
    /// therapist.
    Keygen {
        /// Where to write the key file (created, never overwritten; keep it safe).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Add the successor slot, or replace it (asks for your passphrase).
    Set {
        /// The custodian's name (kept inside the encrypted vault).
        #[arg(long)]
        name: String,
        /// The custodian's public key (age1…).
        #[arg(long, conflicts_with = "passphrase", required_unless_present = "passphrase")]
        recipient: Option<String>,
        /// Protect the slot with a passphrase the custodian chooses and types instead.
        #[arg(long)]
        passphrase: bool,
    },
    /// Show whether a successor is set, and who.
    Show,
    /// Remove the successor slot (asks for your passphrase).
    Remove,
}

#[derive(Debug, Subcommand)]
pub enum HoldAction {
    /// Place a hold.
    Place {
        #[arg(long)]
        client: i64,
        /// complaint, supervisory_case, legal_claim or other.
        #[arg(long)]
        reason: String,
        /// A case number or authority (needed with `other`).
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Release a hold (its history stays).
    Release { id: i64 },
    /// A client's holds.
    List {
        #[arg(long)]
        client: i64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

#[derive(Debug, Subcommand)]
pub enum RecoveryAction {
    /// Make a new recovery key; the old one no longer opens the vault (backups made before still
    /// open with it: see `rekey`).
    Regenerate,
}

#[derive(Debug, Subcommand)]
pub enum LogAction {
    /// Verify the hash chain of the whole access log.
    Verify,
    /// Show the newest log rows.
    Show {
        #[arg(long)]
        client: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Delete the rows past the profile's access-log period (the rest still verifies).
    Prune {
        /// The day to count to (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Do not ask; delete what is listed.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfileAction {
    Show,
    /// What a jurisdiction profile keeps, for how long, and by which rule (default: the
    /// vault's own profile; with --jurisdiction no vault is needed).
    Rules {
        /// se_licensed, se_other, dk_psychologist, dk_therapist_coach or custom.
        #[arg(long)]
        jurisdiction: Option<String>,
    },
    Set {
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        practice: Option<String>,
        #[arg(long)]
        address: Option<String>,
        /// sv, da or en.
        #[arg(long)]
        language: Option<String>,
        /// se_licensed, se_other, dk_psychologist, dk_therapist_coach or custom.
        #[arg(long)]
        jurisdiction: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientAction {
    Add {
        #[arg(long)]
        given: String,
        #[arg(long, default_value = "")]
        family: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        born: Option<String>,
        /// Personnummer, samordningsnummer, CPR or other ID (kind detected).
        #[arg(long)]
        national_id: Option<String>,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long)]
        phone: Vec<String>,
        #[arg(long, default_value = "")]
        address: String,
    },
    List {
        #[arg(long)]
        archived: bool,
        #[arg(long)]
        all: bool,
        /// Filter by name (prefix, diacritics optional).
        #[arg(long)]
        name: Option<String>,
    },
    Show {
        id: i64,
    },
    Archive {
        id: i64,
    },
    Unarchive {
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum CourseAction {
    Add {
        #[arg(long)]
        client: i64,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        reason: String,
        /// YYYY-MM-DD (default today).
        #[arg(long)]
        start: Option<String>,
    },
    Close {
        id: i64,
        /// YYYY-MM-DD (default today).
        #[arg(long)]
        end: Option<String>,
    },
    List {
        #[arg(long)]
        client: i64,
    },
}

#[derive(Debug, clap::Args)]
pub struct EntryFields {
    #[arg(long)]
    pub title: Option<String>,
    /// Body text (Markdown). Use --body-file to read it from a file.
    #[arg(long, conflicts_with = "body_file")]
    pub body: Option<String>,
    #[arg(long)]
    pub body_file: Option<PathBuf>,
    #[arg(long)]
    pub tag: Vec<String>,
    /// session, video, phone_call, no_show, message, administrative or note.
    #[arg(long)]
    pub kind: Option<String>,
    /// "YYYY-MM-DD HH:MM" local time (default now).
    #[arg(long)]
    pub at: Option<String>,
    #[arg(long)]
    pub minutes: Option<u32>,
    /// builtin:soap, builtin:dap, builtin:birp, builtin:free or user:N.
    #[arg(long)]
    pub template: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum EntryAction {
    /// Start a draft in a course.
    Add {
        #[arg(long)]
        course: i64,
        #[command(flatten)]
        fields: EntryFields,
    },
    /// Edit a draft.
    Edit {
        id: i64,
        #[command(flatten)]
        fields: EntryFields,
    },
    /// Sign a draft (final).
    Sign { id: i64 },
    /// Amend a signed entry.
    Amend {
        id: i64,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, conflicts_with = "body_file")]
        body: Option<String>,
        #[arg(long)]
        body_file: Option<PathBuf>,
    },
    /// Show an entry with its history.
    Show { id: i64 },
    /// A client's logbook, newest first.
    List {
        #[arg(long)]
        client: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum AttachmentAction {
    List {
        #[arg(long, conflicts_with = "entry", required_unless_present = "entry")]
        client: Option<i64>,
        #[arg(long)]
        entry: Option<i64>,
    },
    /// Save a copy of an attachment to a file you name.
    Save { id: i64, to: PathBuf },
}
