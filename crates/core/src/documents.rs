//! The seam between the core's flows and the one typesetting engine (`crates/documents`, typst
//! embedded with its fonts). The core decides what a document says and hands the engine its
//! data as JSON; the engine lays it out. The core builds and tests without the engine: a flow
//! that makes a document takes a [`Typesetter`], which the app and the CLI provide.

use crate::Result;

/// A document the engine can lay out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// A client's journal for an access request (`journal.pdf` of an export).
    Journal,
    /// The reply letter to an erasure request.
    ErasureReply,
}

/// Lays out a document from its data (`data_json`, the contract documented in
/// `crates/documents`). Implementations must not put document text into their errors.
pub trait Typesetter: Send + Sync {
    /// The PDF (PDF/A-2b) bytes.
    fn render(&self, kind: DocumentKind, data_json: &[u8]) -> Result<Vec<u8>>;
}
