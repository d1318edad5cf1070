//! Arguments of the invoice commands: billing details, drafts, issue, credit, payments,
//! documents and the accountant's CSV.

use std::path::PathBuf;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum BillingAction {
    /// The seller's details every invoice carries.
    Show,
    /// Set them (only the options given change).
    Set {
        /// SE organisationsnummer (a sole trader's personnummer), DK CVR-nummer.
        #[arg(long)]
        org: Option<String>,
        /// VAT registration number; needed when a line carries VAT.
        #[arg(long)]
        vat: Option<String>,
        /// SE: approved for F-tax (on/off).
        #[arg(long)]
        f_skatt: Option<crate::args::OnOff>,
        #[arg(long)]
        bankgiro: Option<String>,
        #[arg(long)]
        plusgiro: Option<String>,
        #[arg(long)]
        iban: Option<String>,
        #[arg(long)]
        bic: Option<String>,
        /// A domestic account (DK reg.nr. and konto).
        #[arg(long)]
        account: Option<String>,
        /// Days to pay.
        #[arg(long)]
        days: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum InvoiceAction {
    /// Start a draft for a client, one line per session given (see `session uninvoiced`).
    Create {
        #[arg(long)]
        client: i64,
        #[arg(long = "session")]
        sessions: Vec<i64>,
    },
    /// Add a line to a draft.
    Line {
        id: i64,
        #[arg(long)]
        description: String,
        /// Price of one, without VAT ("950", "1 100,50").
        #[arg(long)]
        price: String,
        #[arg(long, default_value_t = 1)]
        qty: u32,
        /// exempt or vat25.
        #[arg(long, default_value = "exempt")]
        vat: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Set a draft's buyer.
    Buyer {
        id: i64,
        #[arg(long)]
        name: String,
        /// Lines separated by "\n".
        #[arg(long, default_value = "")]
        address: String,
    },
    /// Issue a draft: it gets the next number and can no longer change.
    Issue { id: i64 },
    /// Delete a draft.
    Delete { id: i64 },
    /// Cancel an issued invoice with a credit note.
    Credit {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Record a payment.
    Pay {
        id: i64,
        /// "950", "1 100,50".
        #[arg(long)]
        amount: String,
        /// The day the money came (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        /// bank_transfer, card, cash, swish, mobilepay or other.
        #[arg(long, default_value = "bank_transfer")]
        method: String,
    },
    /// One invoice with its lines, totals and payments.
    Show { id: i64 },
    /// Invoices and credit notes, newest first.
    List {
        #[arg(long)]
        client: Option<i64>,
    },
    /// Issued invoices past their due day and not paid.
    Overdue,
    /// Save an issued invoice (or, with --receipt, the receipt of a paid one) as a PDF.
    Pdf {
        id: i64,
        #[arg(long)]
        to: PathBuf,
        #[arg(long)]
        receipt: bool,
    },
    /// The invoices issued in a period as CSV for the accountant.
    Csv {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Issued invoices the bookkeeping law no longer keeps (SE 7, DK 5 years after their year):
    /// shows what may go; deletes them, with their payments, only with --yes.
    Purge {
        #[arg(long)]
        yes: bool,
    },
}
