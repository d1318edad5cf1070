//! Invoices, credit notes and payments: what a practice bills for its sessions, by the rules of
//! Swedish and Danish bookkeeping and VAT law (sources in `law.md` of the project notes and
//! at each rule below).
//!
//! # Rules
//! - **Drafts** are edited freely (buyer, lines) and may be deleted. A session is billed once, on
//!   at most one invoice that is not credited, and only when it took the therapist's time and
//!   has a fee; a credited invoice's sessions can be billed again.
//! - **Issuing** checks what a full invoice must carry (SE mervärdesskattelagen (2023:200)
//!   17 kap. 24 §; DK momsbekendtgørelsen § 58): the seller's name, address and organisation
//!   or CVR number, a VAT number when any line carries VAT, the buyer's name, the buyer's
//!   address unless the invoice is a simplified one (SE total ≤ 4 000 kr, 17 kap. 26 §; DK
//!   ≤ 3 000 kr), at least one line, and for exempt lines the exempting rule, printed on the
//!   invoice ([`exemption_reference`]). A missing field is refused with a field error naming it.
//! - At issue the invoice gets the **next number** of the practice's one series (credit notes
//!   included), in the same transaction, so a crash can leave neither a gap nor a duplicate;
//!   the seller's details and the totals are **frozen** with it. From then on the database
//!   refuses every change and deletion ([`crate::db`] migration 0009).
//! - **VAT** is worked out per rate on the invoice's net total at that rate, rounded once to
//!   the öre/øre, half away from zero ([`totals`]): the VAT amount per rate is what the law
//!   asks an invoice to state. Amounts are whole minor units, never floats.
//! - A **correction** is a credit note: issued at once, with its own number, referring to the
//!   original, every line negated, with the original's seller (not checked against today's
//!   profile). An invoice is credited at most once, a credit note never. A paid invoice can be
//!   credited too: its payments stay recorded, to be refunded.
//! - **Payments** (date, amount, method) are recorded against an issued invoice, never more
//!   than is outstanding, and are never changed. An invoice is *paid* once payments cover it,
//!   *overdue* when not paid after its due day, *credited* when a credit note cancels it.
//! - Invoices outlive the journal: erasing a client's records deletes their drafts and unlinks
//!   the issued ones, whose frozen buyer details the bookkeeping law keeps (SE 7 years after
//!   the financial year, DK 5 years; [`crate::law`]). After that period they may be deleted
//!   on the therapist's word ([`purge`]), and only then.

mod document;
mod flow;
mod purge;
pub(crate) mod store;
mod totals;

pub use purge::{latest_free_year, OldBookkeeping};
pub(crate) use store::{forget_client, issued_of_client, NOT_INVOICED_SQL};
pub use totals::{default_vat, exemption_reference, simplified_limit, totals, vat_of, RateTotal, Totals};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

closed_enum! {
    /// The VAT a line carries.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum VatRate {
        /// Exempt: healthcare by a licensed professional (the rule is printed).
        #[default]
        Exempt,
        /// 25 %: coaching and other taxable services.
        Vat25,
    }
}

impl VatRate {
    /// The rate in hundredths of a percent (2500 = 25 %).
    pub fn basis_points(self) -> i64 {
        match self {
            VatRate::Exempt => 0,
            VatRate::Vat25 => 2500,
        }
    }
}

closed_enum! {
    /// An invoice or a credit note.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum InvoiceKind {
        /// An invoice.
        Invoice,
        /// A credit note cancelling an invoice.
        CreditNote,
    }
}

closed_enum! {
    /// Where an invoice stands on a day.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum InvoiceState {
        /// Not issued: editable, no number.
        Draft,
        /// Issued, not yet paid, not yet due.
        Open,
        /// Issued and past its due day without being paid.
        Overdue,
        /// Paid in full.
        Paid,
        /// Cancelled by a credit note.
        Credited,
        /// A credit note (issued).
        CreditNote,
    }
}

closed_enum! {
    /// How a payment was made.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum PaymentMethod {
        /// A bank transfer (bankgiro, plusgiro, account).
        BankTransfer,
        /// A card.
        Card,
        /// Cash.
        Cash,
        /// Swish (SE).
        Swish,
        /// MobilePay (DK).
        Mobilepay,
        /// Another way.
        Other,
    }
}

/// The seller's details every invoice carries, beside the practice profile's name and address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Billing {
    /// SE organisationsnummer (a sole trader's personnummer), DK CVR-nummer.
    pub org_number: String,
    /// VAT registration number (SE556677889901, DK12345678); needed when a line carries VAT.
    pub vat_number: String,
    /// SE: approved for F-tax ("Godkänd för F-skatt" is printed).
    pub f_skatt: bool,
    /// SE bankgiro.
    pub bankgiro: String,
    /// SE plusgiro.
    pub plusgiro: String,
    /// IBAN.
    pub iban: String,
    /// BIC.
    pub bic: String,
    /// A domestic account (DK reg.nr. and konto).
    pub account: String,
    /// Days to pay (0–120).
    pub payment_days: u32,
}

impl Default for Billing {
    fn default() -> Self {
        Billing {
            org_number: String::new(),
            vat_number: String::new(),
            f_skatt: false,
            bankgiro: String::new(),
            plusgiro: String::new(),
            iban: String::new(),
            bic: String::new(),
            account: String::new(),
            payment_days: 30,
        }
    }
}

/// A line of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LineInput {
    /// What was provided ("Samtal, 50 min").
    pub description: String,
    /// When (if not the invoice day).
    pub service_date: Option<NaiveDate>,
    /// How many (1–10 000).
    pub quantity: u32,
    /// Price of one, in öre/øre/cents, without VAT.
    pub unit_price: i64,
    /// Its VAT.
    pub vat: VatRate,
    /// The session billed.
    pub appointment_id: Option<i64>,
}

/// A draft's editable content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoiceInput {
    /// Who pays (the client, or whoever the client names).
    pub buyer_name: String,
    /// Their postal address.
    pub buyer_address: String,
    /// The lines, in order.
    pub lines: Vec<LineInput>,
}

/// A line as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InvoiceLine {
    /// What was provided.
    pub description: String,
    /// When.
    pub service_date: Option<NaiveDate>,
    /// How many.
    pub quantity: u32,
    /// Price of one, without VAT (negative on a credit note).
    pub unit_price: i64,
    /// Its VAT.
    pub vat: VatRate,
    /// The session billed.
    pub appointment_id: Option<i64>,
    /// `quantity × unit_price`.
    pub net: i64,
}

/// The seller as an issued invoice names them, frozen at issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Seller {
    /// Practice name.
    pub name: String,
    /// Postal address.
    pub address: String,
    /// The therapist, with title ("Karin Demo, leg. psykoterapeut").
    pub therapist: String,
    /// The details of [`Billing`] at issue.
    pub billing: Billing,
    /// The rule that exempts the exempt lines, when there are any.
    pub exemption: Option<String>,
}

/// A payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Payment {
    /// Row id.
    pub id: i64,
    /// The day the money came.
    pub paid_on: NaiveDate,
    /// In öre/øre/cents.
    pub amount: i64,
    /// How.
    pub method: PaymentMethod,
}

/// A payment to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PaymentInput {
    /// The day the money came (not after today).
    pub paid_on: NaiveDate,
    /// In öre/øre/cents, more than zero and not more than is outstanding.
    pub amount: i64,
    /// How.
    pub method: PaymentMethod,
}

/// An invoice or credit note as read, with its state on the day asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Invoice {
    /// Row id.
    pub id: i64,
    /// Invoice or credit note.
    pub kind: InvoiceKind,
    /// Its number, once issued.
    pub number: Option<i64>,
    /// Where it stands.
    pub state: InvoiceState,
    /// The client billed (`None` once the client's records were erased).
    pub client_id: Option<i64>,
    /// The invoice a credit note cancels.
    pub credits_id: Option<i64>,
    /// The credit note that cancels this invoice.
    pub credited_by: Option<i64>,
    /// The language it is written in.
    pub language: crate::domain::profile::Language,
    /// ISO 4217 code.
    pub currency: String,
    /// Who pays.
    pub buyer_name: String,
    /// Their address.
    pub buyer_address: String,
    /// A credit note's reason.
    pub note: String,
    /// Issue day.
    pub issued_on: Option<NaiveDate>,
    /// Due day.
    pub due_on: Option<NaiveDate>,
    /// The seller, frozen at issue.
    pub seller: Option<Seller>,
    /// The lines.
    pub lines: Vec<InvoiceLine>,
    /// Net, VAT per rate and gross.
    pub totals: Totals,
    /// Payments, oldest first.
    pub payments: Vec<Payment>,
    /// Gross less payments.
    pub outstanding: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
}
