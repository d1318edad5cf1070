//! Arguments of the register commands: consents and the breach register.

use std::path::PathBuf;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum ConsentAction {
    /// A client's consents and the purposes in force today.
    List {
        #[arg(long)]
        client: i64,
    },
    /// Record a consent the client gave.
    Give {
        #[arg(long)]
        client: i64,
        /// treatment, referral, reminders_sms, reminders_email or marketing.
        #[arg(long)]
        purpose: String,
        /// The text the client agreed to.
        #[arg(long)]
        text: String,
        /// The text's version.
        #[arg(long)]
        version: String,
        /// The day it was given (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        given: Option<String>,
        /// written, verbal or digital.
        #[arg(long, default_value = "written")]
        how: String,
        /// The signed form: an attachment id of the client.
        #[arg(long)]
        evidence: Option<i64>,
    },
    /// Withdraw a consent.
    Withdraw {
        id: i64,
        /// The day (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum BreachAction {
    /// The register with each breach's clock.
    List,
    /// Record a breach.
    Record {
        /// When you became aware of it, local time "YYYY-MM-DD HH:MM" (default: now).
        #[arg(long)]
        discovered: Option<String>,
        /// confidentiality, integrity, availability (comma-separated).
        #[arg(long, value_delimiter = ',', required = true)]
        nature: Vec<String>,
        /// What happened, without naming clients.
        #[arg(long)]
        description: String,
        /// identity, national_id, contact_details, health_notes, attachments, financial.
        #[arg(long, value_delimiter = ',', required = true)]
        data: Vec<String>,
        /// An affected client (repeatable).
        #[arg(long)]
        client: Vec<i64>,
        /// About how many people are affected.
        #[arg(long)]
        people: u32,
        /// About how many records.
        #[arg(long)]
        records: Option<u32>,
        #[arg(long, default_value = "")]
        consequences: String,
        #[arg(long, default_value = "")]
        measures: String,
        /// unlikely, risk or high_risk.
        #[arg(long)]
        risk: String,
        /// The data was encrypted and the key not compromised (art. 34(3)(a)).
        #[arg(long)]
        encrypted: bool,
    },
    /// Mark the notification to the authority as sent.
    Notified {
        id: i64,
        /// Local time "YYYY-MM-DD HH:MM" (default: now).
        #[arg(long)]
        at: Option<String>,
        /// The authority's case number.
        #[arg(long, default_value = "")]
        reference: String,
        /// Why it came after 72 hours (required then).
        #[arg(long, default_value = "")]
        delay_reason: String,
    },
    /// Mark the affected clients as told.
    Informed {
        id: i64,
        #[arg(long)]
        at: Option<String>,
    },
    /// Write the draft notification to the authority (PDF) into DIR.
    Notice {
        id: i64,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Write one letter per affected client (PDF) into DIR.
    Letters {
        id: i64,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
}
