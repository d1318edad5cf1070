//! The closed world a render sees: our embedded templates, one `data.json`, our embedded fonts.
//!
//! Everything typst could reach out for is answered here, and answered "no" unless it is one of
//! those: no file system, no packages (so no network), no system fonts, no clock.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::Template;

/// Noto Sans (OFL-1.1, see fonts/OFL.txt): wide Latin, Greek and Cyrillic coverage, so names and
/// quotations outside Nordic Latin still print, and å ä ö æ ø é ü have real glyphs.
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../fonts/NotoSans-BoldItalic.ttf"),
];

const JOURNAL: &str = include_str!("../templates/journal.typ");
const ERASURE_REPLY: &str = include_str!("../templates/erasure_reply.typ");
const BREACH_NOTICE: &str = include_str!("../templates/breach_notice.typ");
const BREACH_LETTER: &str = include_str!("../templates/breach_letter.typ");
const PROCESSING_RECORD: &str = include_str!("../templates/processing_record.typ");
const REFERRAL: &str = include_str!("../templates/referral.typ");
const INVOICE: &str = include_str!("../templates/invoice.typ");

/// Shared by every template so the letterhead, dates and labels look the same in all of them.
const COMMON: &str = include_str!("../templates/common.typ");

/// The virtual path the templates read their data from (`json("data.json")`).
const DATA_PATH: &str = "/data.json";

/// What an [`crate::Engine`] builds once and shares between renders.
pub(crate) struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    common: Source,
    data_id: FileId,
    journal: Source,
    erasure_reply: Source,
    breach_notice: Source,
    breach_letter: Source,
    processing_record: Source,
    referral: Source,
    invoice: Source,
}

impl Shared {
    /// `None` only if one of our constant virtual paths were invalid, which they are not; typst's
    /// path API is fallible and this keeps a panic out of the library all the same.
    pub(crate) fn new() -> Option<Self> {
        let fonts: Vec<Font> = FONT_FILES.iter().flat_map(|bytes| Font::iter(Bytes::new(*bytes))).collect();
        Some(Self {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            common: Source::new(file_id("/common.typ")?, COMMON.to_owned()),
            data_id: file_id(DATA_PATH)?,
            journal: Source::new(file_id("/journal.typ")?, JOURNAL.to_owned()),
            erasure_reply: Source::new(file_id("/erasure_reply.typ")?, ERASURE_REPLY.to_owned()),
            breach_notice: Source::new(file_id("/breach_notice.typ")?, BREACH_NOTICE.to_owned()),
            breach_letter: Source::new(file_id("/breach_letter.typ")?, BREACH_LETTER.to_owned()),
            processing_record: Source::new(file_id("/processing_record.typ")?, PROCESSING_RECORD.to_owned()),
            referral: Source::new(file_id("/referral.typ")?, REFERRAL.to_owned()),
            invoice: Source::new(file_id("/invoice.typ")?, INVOICE.to_owned()),
        })
    }

    pub(crate) fn source(&self, template: Template) -> &Source {
        match template {
            Template::Journal => &self.journal,
            Template::ErasureReply => &self.erasure_reply,
            Template::BreachNotice => &self.breach_notice,
            Template::BreachLetter => &self.breach_letter,
            Template::ProcessingRecord => &self.processing_record,
            Template::Referral => &self.referral,
            Template::Invoice => &self.invoice,
        }
    }

    #[cfg(test)]
    pub(crate) fn font_count(&self) -> usize {
        self.fonts.len()
    }
}

/// One render: a main template and the caller's data, over the shared fonts and library.
pub(crate) struct RenderWorld<'a> {
    shared: &'a Shared,
    main: Source,
    data: Bytes,
}

impl<'a> RenderWorld<'a> {
    pub(crate) fn new(shared: &'a Shared, template: Template, data: &[u8]) -> Self {
        Self { shared, main: shared.source(template).clone(), data: Bytes::new(data.to_vec()) }
    }

    /// A world whose main file is `text` in place of a template, to probe what typst can reach.
    #[cfg(test)]
    fn probe(shared: &'a Shared, text: &str, data: &[u8]) -> Self {
        Self { shared, main: Source::new(shared.journal.id(), text.to_owned()), data: Bytes::new(data.to_vec()) }
    }
}

impl RenderWorld<'_> {
    /// The name of our template file `id` is, or `None` for anything else (the caller's data).
    pub(crate) fn template_file(&self, id: FileId) -> Option<&'static str> {
        [
            (&self.shared.journal, "journal.typ"),
            (&self.shared.erasure_reply, "erasure_reply.typ"),
            (&self.shared.common, "common.typ"),
        ]
        .into_iter()
        .find_map(|(source, name)| (source.id() == id).then_some(name))
    }
}

fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for RenderWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.shared.common.id() {
            Ok(self.shared.common.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    /// No clock: the same data must give the same bytes, so the templates take every date from
    /// the data (`generated_on`), and `datetime.today()` fails instead of reading the time.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use typst::diag::Warned;
    use typst_layout::PagedDocument;

    use super::*;

    fn compiles(shared: &Shared, text: &str) -> bool {
        let world = RenderWorld::probe(shared, text, br#"{"x": 1}"#);
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        output.is_ok()
    }

    #[test]
    fn the_world_serves_the_data_and_the_common_template_only() {
        let shared = Shared::new().expect("constant paths are valid");
        assert!(compiles(&shared, "#import \"common.typ\": *\n#json(\"data.json\").x"));
        for reach in [
            "#import \"@preview/cetz:0.3.0\": *",
            "#import \"@local/x:0.1.0\": *",
            "#read(\"/etc/passwd\")",
            "#read(\"../../Cargo.toml\")",
            "#image(\"/usr/share/pixmaps/debian-logo.png\")",
            "#datetime.today()",
            "#text(font: \"DejaVu Sans\", fallback: false)[x]",
        ] {
            // A font that is not embedded is only a warning in typst; it must not find one anyway.
            if reach.contains("font") {
                let world = RenderWorld::probe(&shared, reach, b"{}");
                let Warned { warnings, .. } = typst::compile::<PagedDocument>(&world);
                assert!(warnings.iter().any(|w| w.message.contains("unknown font family")), "{reach}");
            } else {
                assert!(!compiles(&shared, reach), "{reach} must fail");
            }
        }
    }
}
