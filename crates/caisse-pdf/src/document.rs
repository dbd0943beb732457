//! The building blocks every document of the portal is made of.
//!
//! A [`Document`] is a sender (the letterhead and footer) and a list of [`Block`]s in
//! reading order. The layout wraps text, breaks pages and tags each block for assistive
//! technology; a new kind of document (an attestation, an exported message thread) is a
//! function that builds blocks, never a new layout. A kind of content the blocks cannot express
//! yet (a QR code: a `Figure` with a required alternative text; a message thread: headings and
//! paragraphs already do) is a new variant here, laid out in `layout::blocks`. These are plain
//! data: no I/O, nothing computed until rendering.

/// The fund that sends a document: shown in the letterhead on its first page and in the footer
/// of every page. Always supplied by the caller; the crate holds no fund's details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    /// The fund's name, e.g. « Caisse primaire d'assurance maladie du Bas-Rhin ».
    pub organisation: String,
    /// Postal address, one line each, e.g. « 16 rue de Lausanne », « 67090 STRASBOURG CEDEX ».
    pub address_lines: Vec<String>,
    /// Phone number members call, as it should be printed, e.g. « 36 46 ».
    pub phone: String,
    /// Website, as it should be printed, e.g. « portail.example.fr ».
    pub website: String,
}

/// One document: it starts on a new page, with its own letterhead, page numbering and outline
/// entry. Its `Debug` shows the title and the number of blocks only, since blocks carry the
/// recipient's personal data.
#[derive(Clone, PartialEq)]
pub struct Document {
    /// Short title: the outline entry and the header of continuation pages. Must not be empty.
    pub title: String,
    /// Letterhead and footer.
    pub sender: Sender,
    /// The content, in reading order.
    pub blocks: Vec<Block>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("title", &self.title)
            .field("sender", &self.sender.organisation)
            .field("blocks", &self.blocks.len())
            .finish()
    }
}

/// Level of a heading: the document's title is [`HeadingLevel::Title`], its sections
/// [`HeadingLevel::Section`], their parts [`HeadingLevel::Subsection`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadingLevel {
    /// H1, one per document.
    Title,
    /// H2.
    Section,
    /// H3.
    Subsection,
}

/// Horizontal alignment of a paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Align {
    /// Ragged right (French letters are not justified here: no hyphenation).
    #[default]
    Left,
    /// Flush right, e.g. the date line of a letter.
    Right,
}

/// How list items are labelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListStyle {
    /// « 1. », « 2. », … for steps to follow in order.
    Numbered,
    /// « • » for items in no particular order.
    Bulleted,
}

/// A run of text in one weight. Spaces (and line feeds, which count as spaces) are where
/// lines may break; use a no-break space (U+00A0) to keep words together, as French does
/// before « : » and inside « ».
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Whether it is set in bold.
    pub bold: bool,
}

impl Span {
    /// Regular text.
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: false,
        }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: true,
        }
    }
}

/// One block of a document. Each one is tagged with its meaning in the PDF structure tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading (tagged H1–H3, listed in the outline).
    Heading {
        /// H1, H2 or H3.
        level: HeadingLevel,
        /// The heading's text.
        text: String,
    },
    /// A paragraph of body text, wrapped to the page width (tagged P).
    Paragraph {
        /// The runs of text, one after the other.
        spans: Vec<Span>,
        /// Left or right.
        align: Align,
    },
    /// A list (tagged L, LI, Lbl, LBody).
    List {
        /// Numbers or bullets.
        style: ListStyle,
        /// One item per entry, each wrapped under its own label.
        items: Vec<Vec<Span>>,
    },
    /// A two-column table: a header cell (tagged TH, row scope) and its value (TD) per row.
    /// A row is never split across pages.
    KeyValueTable {
        /// (label, value) pairs.
        rows: Vec<(String, String)>,
    },
    /// A framed, tinted box with a small label, one large bold value and an optional note
    /// under it, e.g. a code the reader must type. Never split across pages.
    Highlight {
        /// What the value is, e.g. « Votre code provisoire ».
        label: String,
        /// The value, printed large.
        value: String,
        /// A line under the value, e.g. how long it is valid.
        note: Option<String>,
    },
    /// The recipient's postal address. At the top of a document's first page it sits where the
    /// window of a French window envelope (DL, window on the right) shows it; elsewhere it
    /// flows like any block, in the same right-hand column.
    AddressWindow {
        /// One line each: name, street, postcode and town.
        lines: Vec<String>,
    },
    /// Fine print at a smaller size, e.g. references and legal mentions (tagged P).
    SmallPrint(String),
    /// A table with a header row (tagged Table, TR, TH with column scope, TD), e.g. the people
    /// an attestation covers. Cells wrap; a row is never split across pages.
    Table {
        /// Column headers; their number sets the number of columns.
        headers: Vec<String>,
        /// Relative widths of the columns (`[3, 2, 1]`); empty for equal columns.
        weights: Vec<u8>,
        /// The rows, one text per column (missing cells are empty, extra ones ignored).
        rows: Vec<Vec<String>>,
    },
    /// A QR code, drawn as vector squares (sharp at any zoom, no image), in a framed box with
    /// text beside it. The code is a picture to assistive technology: tagged `Figure` with the
    /// alternative text, which must not be empty ([`crate::PdfError::MissingAltText`]). The
    /// caption paragraphs are text like any other. Never split across pages.
    QrCode {
        /// What the code encodes (capital letters, digits and `-:./` encode most compactly).
        data: String,
        /// What the picture is, read out in its place.
        alt_text: String,
        /// Paragraphs printed beside the code, e.g. how to verify the document.
        caption: Vec<Vec<Span>>,
    },
}

/// What a PDF file says about itself besides its title: shown in a viewer's document
/// properties and readable by programs without reading the pages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileInfo {
    /// A one-line description (the « Subject » of the document properties).
    pub subject: Option<String>,
    /// Keywords, each kept whole (written in the document information and the XMP metadata).
    pub keywords: Vec<String>,
}

impl Block {
    /// A heading.
    pub fn heading(level: HeadingLevel, text: impl Into<String>) -> Block {
        Block::Heading {
            level,
            text: text.into(),
        }
    }

    /// A left-aligned paragraph in regular weight.
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block::Paragraph {
            spans: vec![Span::plain(text)],
            align: Align::Left,
        }
    }

    /// A left-aligned paragraph made of several runs.
    pub fn rich(spans: Vec<Span>) -> Block {
        Block::Paragraph {
            spans,
            align: Align::Left,
        }
    }

    /// A right-aligned paragraph in regular weight.
    pub fn right(text: impl Into<String>) -> Block {
        Block::Paragraph {
            spans: vec![Span::plain(text)],
            align: Align::Right,
        }
    }
}
