//! Billing details and invoices. "Today" is the computer's local day, handed to the core, which
//! decides every state and clock; PDFs go to the picked or the default folder.

use chrono::{Local, NaiveDate};
use confidant_core::invoicing::{Billing, Invoice, InvoiceInput, OldBookkeeping, PaymentInput};
use tauri::State;

use super::export::{destination, engine};
use crate::state::{AppState, CmdResult};

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// The seller's billing details.
#[tauri::command]
#[specta::specta]
pub async fn billing(state: State<'_, AppState>) -> CmdResult<Billing> {
    state.with_vault(|v| v.billing()).await
}

/// Saves the billing details.
#[tauri::command]
#[specta::specta]
pub async fn set_billing(state: State<'_, AppState>, billing: Billing) -> CmdResult<Billing> {
    state.with_vault(move |v| v.set_billing(&billing)).await
}

/// Invoices and credit notes, newest first: a client's, or all.
#[tauri::command]
#[specta::specta]
pub async fn invoices(state: State<'_, AppState>, client_id: Option<i64>) -> CmdResult<Vec<Invoice>> {
    state.with_vault(move |v| v.invoices(client_id, today())).await
}

/// Starts a draft for a client from sessions not yet invoiced.
#[tauri::command]
#[specta::specta]
pub async fn create_invoice(state: State<'_, AppState>, client_id: i64, sessions: Vec<i64>) -> CmdResult<Invoice> {
    state.with_vault(move |v| v.create_invoice(client_id, &sessions, today())).await
}

/// Saves a draft's buyer and lines.
#[tauri::command]
#[specta::specta]
pub async fn save_invoice_draft(state: State<'_, AppState>, id: i64, input: InvoiceInput) -> CmdResult<Invoice> {
    state.with_vault(move |v| v.save_invoice_draft(id, &input, today())).await
}

/// Deletes a draft.
#[tauri::command]
#[specta::specta]
pub async fn delete_invoice_draft(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.with_vault(move |v| v.delete_invoice_draft(id)).await
}

/// Issues a draft: the next number, frozen from now on.
#[tauri::command]
#[specta::specta]
pub async fn issue_invoice(state: State<'_, AppState>, id: i64) -> CmdResult<Invoice> {
    state.with_vault(move |v| v.issue_invoice(id, today())).await
}

/// Cancels an issued invoice with a credit note; returns the credit note.
#[tauri::command]
#[specta::specta]
pub async fn credit_invoice(state: State<'_, AppState>, id: i64, reason: String) -> CmdResult<Invoice> {
    state.with_vault(move |v| v.credit_invoice(id, &reason, today())).await
}

/// Records a payment.
#[tauri::command]
#[specta::specta]
pub async fn record_payment(state: State<'_, AppState>, id: i64, payment: PaymentInput) -> CmdResult<Invoice> {
    state.with_vault(move |v| v.record_payment(id, &payment, today())).await
}

/// Saves the invoices issued from `from` to `to` as CSV for the accountant; the path comes back.
#[tauri::command]
#[specta::specta]
pub async fn accounting_csv(
    state: State<'_, AppState>,
    from: NaiveDate,
    to: NaiveDate,
    folder: Option<String>,
) -> CmdResult<String> {
    let dest = destination(&state, folder)?;
    state
        .with_vault(move |v| v.save_accounting_csv(from, to, &dest, today()))
        .await
        .map(|p| p.to_string_lossy().into_owned())
}

/// Saves an issued invoice (or the receipt of a paid one) as a PDF; the path comes back.
#[tauri::command]
#[specta::specta]
pub async fn invoice_pdf(
    state: State<'_, AppState>,
    id: i64,
    receipt: bool,
    folder: Option<String>,
) -> CmdResult<String> {
    let dest = destination(&state, folder)?;
    state
        .with_vault(move |v| v.invoice_pdf(id, receipt, &dest, engine(), today()))
        .await
        .map(|p| p.to_string_lossy().into_owned())
}

/// The issued invoices the bookkeeping law no longer keeps today.
#[tauri::command]
#[specta::specta]
pub async fn old_invoices(state: State<'_, AppState>) -> CmdResult<OldBookkeeping> {
    state.with_vault(|v| v.old_invoices(today())).await
}

/// Deletes them (the therapist confirmed); returns what went.
#[tauri::command]
#[specta::specta]
pub async fn purge_old_invoices(state: State<'_, AppState>) -> CmdResult<OldBookkeeping> {
    state.with_vault(|v| v.purge_old_invoices(today())).await
}
