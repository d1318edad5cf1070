//! The engine as the core's [`Typesetter`]: the core's flows (export, erasure) say which
//! document and hand over its data; a failure reaches them as a closed core error naming the
//! document, never its text.

use confidant_core::documents::{DocumentKind, Typesetter};

use crate::{Engine, Template};

impl Typesetter for Engine {
    fn render(&self, kind: DocumentKind, data_json: &[u8]) -> confidant_core::Result<Vec<u8>> {
        let (template, name) = match kind {
            DocumentKind::Journal => (Template::Journal, "journal"),
            DocumentKind::ErasureReply => (Template::ErasureReply, "erasure reply"),
            DocumentKind::BreachNotice => (Template::BreachNotice, "breach notification"),
            DocumentKind::BreachLetter => (Template::BreachLetter, "breach letter"),
            DocumentKind::ProcessingRecord => (Template::ProcessingRecord, "record of processing"),
            DocumentKind::Referral => (Template::Referral, "referral"),
            DocumentKind::Invoice => (Template::Invoice, "invoice"),
        };
        Engine::render(self, template, data_json).map_err(|_| confidant_core::Error::DocumentFailed(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_reaches_the_core_as_a_closed_code() {
        let e = Typesetter::render(&Engine::new(), DocumentKind::Journal, b"{not json QZXSECRET").unwrap_err();
        assert_eq!(e.code(), confidant_core::Code::DocumentFailed);
        assert!(!e.to_string().contains("QZXSECRET"));
    }
}
