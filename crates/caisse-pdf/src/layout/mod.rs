//! Layout: documents in, positioned and tagged items on A4 pages out.
//!
//! This is where the one look of the portal's documents lives: page size, margins,
//! letterhead, footer, type sizes, colours, the place of the envelope window. It wraps text
//! greedily at spaces, breaks pages before a line, table row or box that would cross the
//! bottom margin, and records the structure tree (which item belongs to which paragraph,
//! heading, list or table cell) in reading order. It draws nothing: `render` turns the result
//! into a PDF. Coordinates are in points from the top-left corner, y growing downwards.

mod blocks;
mod figures;
mod frame;
mod grid;

use krilla::text::KrillaGlyph;

use crate::document::{Document, HeadingLevel, ListStyle};
use crate::error::PdfError;
use crate::fonts::{Fonts, Weight};
use crate::wrap::Line;

/// A4 in points.
pub(crate) const PAGE_WIDTH: f32 = 595.276;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;

const MARGIN_LEFT: f32 = 56.7; // 20 mm
const MARGIN_RIGHT: f32 = 56.7;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// Top of the letterhead on a document's first page (15 mm).
const FIRST_PAGE_TOP: f32 = 42.5;
/// Top of the body on continuation pages, under the running header.
const CONTINUATION_TOP: f32 = 68.0;
/// Nothing of the body goes below this line; the footer lives under it.
const BODY_BOTTOM: f32 = PAGE_HEIGHT - 62.0;
const FOOTER_RULE_Y: f32 = PAGE_HEIGHT - 46.0;
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 34.0;
const HEADER_BASELINE: f32 = 38.0;
const HEADER_RULE_Y: f32 = 46.0;

/// Where the address shows through the window of a DL window envelope (window on the right,
/// 100 × 45 mm): 110 mm from the left edge, 48 mm from the top.
const WINDOW_X: f32 = 311.8;
const WINDOW_TOP: f32 = 136.0;
const WINDOW_WIDTH: f32 = PAGE_WIDTH - MARGIN_RIGHT - WINDOW_X;
/// The letterhead stays left of the window.
const LETTERHEAD_WIDTH: f32 = WINDOW_X - MARGIN_LEFT - 16.0;

const BODY_SIZE: f32 = 10.0;
const BODY_LEADING: f32 = 14.0;
const SMALL_SIZE: f32 = 8.0;
const SMALL_LEADING: f32 = 10.5;
const FOOTER_SIZE: f32 = 7.5;
const PARAGRAPH_GAP: f32 = 7.0;
/// Ascent of DejaVu Sans, in em: from the top of a line box to its baseline.
const ASCENT: f32 = 0.93;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rgb(pub(crate) u8, pub(crate) u8, pub(crate) u8);

/// Body text: near black.
const TEXT: Rgb = Rgb(26, 26, 26);
/// Headings, the highlighted value, the letterhead's name: dark blue (10.9:1 on white).
const ACCENT: Rgb = Rgb(22, 54, 92);
/// Secondary text (labels, small print, footer): grey with 7.5:1 contrast on white.
const MUTED: Rgb = Rgb(84, 84, 84);
/// Background of highlighted boxes.
const TINT: Rgb = Rgb(234, 240, 247);
/// Hairlines between table rows and above the footer.
const RULE: Rgb = Rgb(170, 178, 190);

/// Why a piece of page content is not part of the text: PDF/UA wants every piece of content
/// either in the structure tree or marked as one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArtifactKind {
    /// Decoration: rules, box backgrounds, the letterhead's bar.
    Layout,
    /// The running header of continuation pages.
    Header,
    /// The page footer: sender's contact line and page number.
    Footer,
}

/// What an item is, for tagging.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    /// Real content: leaf number `n` of the structure tree, numbered in drawing order.
    Content(usize),
    Artifact(ArtifactKind),
}

#[derive(Clone, Debug)]
pub(crate) enum Draw {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        text: String,
        glyphs: Vec<KrillaGlyph>,
    },
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        radius: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Rgb,
        width: f32,
    },
    /// The dark modules of a QR code: `width` × `width` squares of `module` points from
    /// (`x`, `y`), row by row.
    Modules {
        x: f32,
        y: f32,
        module: f32,
        width: usize,
        dark: Vec<bool>,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub(crate) mark: Mark,
    pub(crate) draw: Draw,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Page {
    pub(crate) items: Vec<Item>,
}

/// Kinds of structure elements the layout produces.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NodeKind {
    /// One document of the file (tagged Art: self-contained).
    Article,
    Div,
    P,
    /// A heading, with its text as the PDF/UA-required title.
    Heading(HeadingLevel, String),
    List(ListStyle),
    ListItem,
    Label,
    ListBody,
    Table,
    Row,
    HeaderCell,
    DataCell,
    /// A header cell of a column (the header row of a [`crate::Block::Table`]).
    ColumnHeader,
    /// A picture with its alternative text, and where it is: page index and its box
    /// (x, y, width, height) in layout coordinates.
    Figure {
        alt: String,
        page: usize,
        rect: [f32; 4],
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Child {
    Node(usize),
    Leaf(usize),
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) children: Vec<Child>,
}

/// A bookmark: where a document or one of its headings starts.
#[derive(Clone, Debug)]
pub(crate) struct Bookmark {
    pub(crate) title: String,
    pub(crate) page: usize,
    pub(crate) y: f32,
    pub(crate) children: Vec<Bookmark>,
}

/// The laid-out file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Layout {
    pub(crate) pages: Vec<Page>,
    /// The structure tree: an arena; `roots` are the documents' articles, in order.
    pub(crate) nodes: Vec<Node>,
    pub(crate) roots: Vec<usize>,
    pub(crate) leaf_count: usize,
    pub(crate) outline: Vec<Bookmark>,
}

/// Lays out `documents` one after the other, each starting on a new page.
pub(crate) fn lay_out(fonts: &Fonts, documents: &[Document]) -> Result<Layout, PdfError> {
    let mut layouter = Layouter {
        fonts,
        out: Layout::default(),
        y: 0.0,
        fresh: true,
        window_free: false,
        article: 0,
    };
    for document in documents {
        layouter.document(document)?;
    }
    Ok(layouter.out)
}

struct Layouter<'f> {
    fonts: &'f Fonts,
    out: Layout,
    /// Top of the free space on the current page.
    y: f32,
    /// Nothing placed on the current page's body yet (no break needed before the first block).
    fresh: bool,
    /// The envelope window's area of this first page is still free.
    window_free: bool,
    /// The current document's article node.
    article: usize,
}

/// Text style of a block of lines.
#[derive(Clone, Copy)]
struct Style {
    size: f32,
    leading: f32,
    color: Rgb,
}

impl Layouter<'_> {
    fn document(&mut self, document: &Document) -> Result<(), PdfError> {
        if document.title.trim().is_empty() {
            return Err(PdfError::MissingTitle);
        }
        let first_page = self.out.pages.len();
        self.article = self.out.nodes.len();
        self.out.nodes.push(Node {
            kind: NodeKind::Article,
            children: Vec::new(),
        });
        self.out.roots.push(self.article);
        self.out.outline.push(Bookmark {
            title: document.title.clone(),
            page: first_page,
            y: 0.0,
            children: Vec::new(),
        });

        self.new_page(document, true)?;
        self.letterhead(&document.sender)?;
        self.window_free = true;
        for (i, block) in document.blocks.iter().enumerate() {
            self.block(document, block, document.blocks.get(i + 1))?;
            self.window_free = false;
        }
        self.footers(&document.sender, first_page)
    }

    fn page(&mut self) -> &mut Page {
        if self.out.pages.is_empty() {
            self.out.pages.push(Page::default());
        }
        let last = self.out.pages.len() - 1;
        &mut self.out.pages[last]
    }

    fn new_page(&mut self, document: &Document, first: bool) -> Result<(), PdfError> {
        self.out.pages.push(Page::default());
        self.fresh = true;
        self.window_free = false;
        if first {
            self.y = FIRST_PAGE_TOP;
        } else {
            self.y = CONTINUATION_TOP;
            let title = format!("{} \u{2013} suite", document.title);
            self.text(
                Mark::Artifact(ArtifactKind::Header),
                MARGIN_LEFT,
                HEADER_BASELINE,
                Style {
                    size: FOOTER_SIZE,
                    leading: 0.0,
                    color: MUTED,
                },
                Weight::Regular,
                &title,
            )?;
            self.rule(HEADER_RULE_Y);
        }
        Ok(())
    }

    /// Makes room for `height` points, on a new page if this one has not got them.
    fn ensure(&mut self, document: &Document, height: f32) -> Result<(), PdfError> {
        if !self.fresh && self.y + height > BODY_BOTTOM {
            self.new_page(document, false)?;
        }
        Ok(())
    }

    fn node(&mut self, kind: NodeKind, parent: usize) -> usize {
        let id = self.out.nodes.len();
        self.out.nodes.push(Node {
            kind,
            children: Vec::new(),
        });
        self.out.nodes[parent].children.push(Child::Node(id));
        id
    }

    fn leaf(&mut self, node: usize) -> Mark {
        let leaf = self.out.leaf_count;
        self.out.leaf_count += 1;
        self.out.nodes[node].children.push(Child::Leaf(leaf));
        Mark::Content(leaf)
    }

    /// Draws one run of text with its baseline at `baseline`; returns its width.
    fn text(
        &mut self,
        mark: Mark,
        x: f32,
        baseline: f32,
        style: Style,
        weight: Weight,
        text: &str,
    ) -> Result<f32, PdfError> {
        let face = self.fonts.face(weight);
        face.check(text)?;
        let shaped = face.shape(text);
        let width = shaped.advance_em * style.size;
        self.page().items.push(Item {
            mark,
            draw: Draw::Text {
                x,
                baseline,
                size: style.size,
                weight,
                color: style.color,
                text: text.to_owned(),
                glyphs: shaped.glyphs,
            },
        });
        Ok(width)
    }

    /// Draws one wrapped line whose box starts at `top`, tagging each run under `node`.
    fn line(
        &mut self,
        node: usize,
        line: &Line,
        x: f32,
        top: f32,
        style: Style,
    ) -> Result<(), PdfError> {
        let baseline = top + style.size * ASCENT;
        let mut x = x;
        for (weight, text) in &line.segments {
            let mark = self.leaf(node);
            x += self.text(mark, x, baseline, style, *weight, text)?;
        }
        Ok(())
    }

    fn rule(&mut self, y: f32) {
        self.page().items.push(Item {
            mark: Mark::Artifact(ArtifactKind::Layout),
            draw: Draw::Line {
                x1: MARGIN_LEFT,
                y1: y,
                x2: PAGE_WIDTH - MARGIN_RIGHT,
                y2: y,
                color: RULE,
                width: 0.5,
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, Sender};

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    fn long_document(paragraphs: usize) -> Document {
        let text = "Les remboursements sont versés sur le compte bancaire de votre dossier, \
                    dans un délai moyen de sept jours après réception de la feuille de soins.";
        let mut blocks = vec![Block::heading(HeadingLevel::Title, "Relevé")];
        for n in 0..paragraphs {
            if n % 5 == 0 {
                blocks.push(Block::heading(HeadingLevel::Section, format!("Partie {n}")));
            }
            blocks.push(Block::paragraph(format!("{n}. {text} {text}")));
        }
        Document {
            title: "Relevé".to_owned(),
            sender: Sender {
                organisation: "Caisse".to_owned(),
                address_lines: vec!["1 rue de la Paix".to_owned()],
                phone: "36 46".to_owned(),
                website: "exemple.fr".to_owned(),
            },
            blocks,
        }
    }

    #[test]
    fn body_text_never_goes_below_the_body_area() {
        let fonts = fonts();
        let layout = lay_out(&fonts, &[long_document(40)]).unwrap();
        assert!(layout.pages.len() > 2);
        for page in &layout.pages {
            for item in &page.items {
                if let (Mark::Content(_), Draw::Text { baseline, x, .. }) = (item.mark, &item.draw)
                {
                    assert!(*baseline <= BODY_BOTTOM, "baseline {baseline}");
                    assert!(*x >= MARGIN_LEFT && *x < PAGE_WIDTH - MARGIN_RIGHT);
                }
            }
        }
    }

    #[test]
    fn a_heading_is_never_the_last_line_of_a_page() {
        let fonts = fonts();
        let layout = lay_out(&fonts, &[long_document(60)]).unwrap();
        for page in &layout.pages {
            let last_content = page
                .items
                .iter()
                .rfind(|i| matches!(i.mark, Mark::Content(_)))
                .unwrap();
            let Mark::Content(leaf) = last_content.mark else {
                unreachable!()
            };
            let owner = layout
                .nodes
                .iter()
                .find(|n| n.children.contains(&Child::Leaf(leaf)))
                .unwrap();
            assert!(!matches!(owner.kind, NodeKind::Heading(..)));
        }
    }

    #[test]
    fn every_leaf_has_exactly_one_parent() {
        let fonts = fonts();
        let layout = lay_out(&fonts, &[long_document(12), long_document(3)]).unwrap();
        let mut seen = vec![0; layout.leaf_count];
        for node in &layout.nodes {
            for child in &node.children {
                if let Child::Leaf(leaf) = child {
                    seen[*leaf] += 1;
                }
            }
        }
        assert!(seen.iter().all(|&n| n == 1));
        assert_eq!(layout.roots.len(), 2);
        assert_eq!(layout.outline.len(), 2);
    }
}
