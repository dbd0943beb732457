//! Layout: documents in, positioned and tagged items on A4 pages out.
//!
//! This is where the one look of the portal's documents lives: page size, margins,
//! letterhead, footer, type sizes, colours, the place of the envelope window. It wraps text
//! greedily at spaces, breaks pages before a line, table row or box that would cross the
//! bottom margin, and records the structure tree (which item belongs to which paragraph,
//! heading, list or table cell) in reading order. It draws nothing: `render` turns the result
//! into a PDF. Coordinates are in points from the top-left corner, y growing downwards.

use krilla::text::KrillaGlyph;

use crate::document::{Align, Block, Document, HeadingLevel, ListStyle, Sender, Span};
use crate::error::PdfError;
use crate::fonts::{Fonts, Weight};

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
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// One wrapped line: runs of one weight each, and the width of the visible text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line {
    pub(crate) segments: Vec<(Weight, String)>,
    pub(crate) width: f32,
}

struct Word {
    pieces: Vec<(Weight, String)>,
    width: f32,
}

/// Only these break lines; a no-break space (U+00A0, U+202F) keeps its words together.
fn is_break(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Wraps `spans` greedily into lines no wider than `max_width` at `size`. A word wider than a
/// whole line (a long web address) is cut between characters. Every line but the last keeps
/// its trailing space in its text, so extracted text and screen readers get the word break.
pub(crate) fn wrap(fonts: &Fonts, spans: &[Span], size: f32, max_width: f32) -> Vec<Line> {
    let mut words: Vec<Word> = Vec::new();
    let mut pending_break = true;
    for span in spans {
        let weight = if span.bold {
            Weight::Bold
        } else {
            Weight::Regular
        };
        for c in span.text.chars() {
            if is_break(c) {
                pending_break = true;
                continue;
            }
            if pending_break {
                words.push(Word {
                    pieces: Vec::new(),
                    width: 0.0,
                });
                pending_break = false;
            }
            if let Some(word) = words.last_mut() {
                match word.pieces.last_mut() {
                    Some((w, text)) if *w == weight => text.push(c),
                    _ => word.pieces.push((weight, c.to_string())),
                }
            }
        }
    }
    let mut fitted = Vec::with_capacity(words.len());
    for mut word in words {
        word.width = word
            .pieces
            .iter()
            .map(|(w, t)| fonts.face(*w).width(t, size))
            .sum();
        if word.width > max_width {
            fitted.extend(cut_word(fonts, word, size, max_width));
        } else {
            fitted.push(word);
        }
    }

    let space = fonts.face(Weight::Regular).width(" ", size);
    let mut lines: Vec<(Vec<Word>, f32)> = Vec::new();
    for word in fitted {
        match lines.last_mut() {
            Some((line, width)) if *width + space + word.width <= max_width => {
                *width += space + word.width;
                line.push(word);
            }
            _ => {
                let width = word.width;
                lines.push((vec![word], width));
            }
        }
    }
    let count = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(index, (words, width))| {
            let mut segments: Vec<(Weight, String)> = Vec::new();
            for (n, word) in words.into_iter().enumerate() {
                if n > 0
                    && let Some((_, text)) = segments.last_mut()
                {
                    text.push(' ');
                }
                for (weight, piece) in word.pieces {
                    match segments.last_mut() {
                        Some((w, text)) if *w == weight => text.push_str(&piece),
                        _ => segments.push((weight, piece)),
                    }
                }
            }
            if index + 1 < count
                && let Some((_, text)) = segments.last_mut()
            {
                text.push(' ');
            }
            Line { segments, width }
        })
        .collect()
}

/// Cuts a word wider than `max_width` into pieces that fit, between characters.
fn cut_word(fonts: &Fonts, word: Word, size: f32, max_width: f32) -> Vec<Word> {
    let mut out = vec![Word {
        pieces: Vec::new(),
        width: 0.0,
    }];
    for (weight, piece) in word.pieces {
        let face = fonts.face(weight);
        for c in piece.chars() {
            let mut buf = [0u8; 4];
            let advance = face.width(c.encode_utf8(&mut buf), size);
            let needs_new = out
                .last()
                .is_some_and(|w| !w.pieces.is_empty() && w.width + advance > max_width);
            if needs_new {
                out.push(Word {
                    pieces: Vec::new(),
                    width: 0.0,
                });
            }
            if let Some(current) = out.last_mut() {
                current.width += advance;
                match current.pieces.last_mut() {
                    Some((w, text)) if *w == weight => text.push(c),
                    _ => current.pieces.push((weight, c.to_string())),
                }
            }
        }
    }
    out
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
        for block in &document.blocks {
            self.block(document, block)?;
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

    /// A paragraph across the content width, breaking pages between lines (never leaving a
    /// lone first line at the bottom of a page).
    fn paragraph(
        &mut self,
        document: &Document,
        spans: &[Span],
        align: Align,
        style: Style,
    ) -> Result<(), PdfError> {
        let lines = wrap(self.fonts, spans, style.size, CONTENT_WIDTH);
        if lines.is_empty() {
            return Ok(());
        }
        let node = self.node(NodeKind::P, self.article);
        let keep = lines.len().min(2) as f32 * style.leading;
        self.ensure(document, keep)?;
        for line in &lines {
            self.ensure(document, style.leading)?;
            let left = match align {
                Align::Left => MARGIN_LEFT,
                Align::Right => MARGIN_LEFT + CONTENT_WIDTH - line.width,
            };
            let top = self.y;
            self.line(node, line, left, top, style)?;
            self.y += style.leading;
            self.fresh = false;
        }
        self.y += PARAGRAPH_GAP;
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

    fn letterhead(&mut self, sender: &Sender) -> Result<(), PdfError> {
        let top = self.y;
        let div = self.node(NodeKind::Div, self.article);
        let name = wrap(
            self.fonts,
            &[Span::bold(sender.organisation.as_str())],
            13.0,
            LETTERHEAD_WIDTH,
        );
        let name_style = Style {
            size: 13.0,
            leading: 16.0,
            color: ACCENT,
        };
        if !name.is_empty() {
            let p = self.node(NodeKind::P, div);
            for line in &name {
                let y = self.y;
                self.line(p, line, MARGIN_LEFT, y, name_style)?;
                self.y += name_style.leading;
            }
            self.y += 3.0;
        }
        let detail = Style {
            size: 9.0,
            leading: 12.0,
            color: TEXT,
        };
        let phone = if sender.phone.trim().is_empty() {
            String::new()
        } else {
            format!("Tél.\u{a0}: {}", sender.phone)
        };
        let details = sender
            .address_lines
            .iter()
            .map(String::as_str)
            .chain([phone.as_str(), sender.website.as_str()]);
        for detail_line in details {
            let lines = wrap(
                self.fonts,
                &[Span::plain(detail_line)],
                detail.size,
                LETTERHEAD_WIDTH,
            );
            if lines.is_empty() {
                continue;
            }
            let p = self.node(NodeKind::P, div);
            for line in &lines {
                let y = self.y;
                self.line(p, line, MARGIN_LEFT, y, detail)?;
                self.y += detail.leading;
            }
        }
        // A thin accent bar left of the letterhead: decoration only.
        let bottom = self.y;
        self.page().items.push(Item {
            mark: Mark::Artifact(ArtifactKind::Layout),
            draw: Draw::Rect {
                x: MARGIN_LEFT - 12.0,
                y: top,
                width: 3.0,
                height: (bottom - top - 2.0).max(1.0),
                radius: 0.0,
                fill: Some(ACCENT),
                stroke: None,
            },
        });
        self.y += 18.0;
        self.fresh = false;
        Ok(())
    }

    fn block(&mut self, document: &Document, block: &Block) -> Result<(), PdfError> {
        let body = Style {
            size: BODY_SIZE,
            leading: BODY_LEADING,
            color: TEXT,
        };
        match block {
            Block::Heading { level, text } => self.heading(document, *level, text),
            Block::Paragraph { spans, align } => self.paragraph(document, spans, *align, body),
            Block::List { style, items } => self.list(document, *style, items, body),
            Block::KeyValueTable { rows } => self.table(document, rows, body),
            Block::Highlight { label, value, note } => {
                self.highlight(document, label, value, note.as_deref())
            }
            Block::AddressWindow { lines } => self.address(document, lines, body),
            Block::SmallPrint(text) => {
                let small = Style {
                    size: SMALL_SIZE,
                    leading: SMALL_LEADING,
                    color: MUTED,
                };
                self.paragraph(document, &[Span::plain(text.as_str())], Align::Left, small)
            }
        }
    }

    fn heading(
        &mut self,
        document: &Document,
        level: HeadingLevel,
        text: &str,
    ) -> Result<(), PdfError> {
        let (size, before, after, color) = match level {
            HeadingLevel::Title => (14.0, 8.0, 8.0, ACCENT),
            HeadingLevel::Section => (11.5, 8.0, 4.0, ACCENT),
            HeadingLevel::Subsection => (10.5, 6.0, 3.0, TEXT),
        };
        let style = Style {
            size,
            leading: size * 1.3,
            color,
        };
        let lines = wrap(self.fonts, &[Span::bold(text)], size, CONTENT_WIDTH);
        if lines.is_empty() {
            return Ok(());
        }
        // Keep the heading with at least two lines of what follows.
        let height = lines.len() as f32 * style.leading;
        self.ensure(document, before + height + after + 2.0 * BODY_LEADING)?;
        if !self.fresh {
            self.y += before;
        }
        let node = self.node(NodeKind::Heading(level, text.to_owned()), self.article);
        let page = self.out.pages.len().saturating_sub(1);
        let y = self.y;
        if let Some(current) = self.out.outline.last_mut() {
            current.children.push(Bookmark {
                title: text.to_owned(),
                page,
                y,
                children: Vec::new(),
            });
        }
        for line in &lines {
            let top = self.y;
            self.line(node, line, MARGIN_LEFT, top, style)?;
            self.y += style.leading;
        }
        self.y += after;
        self.fresh = false;
        Ok(())
    }

    fn list(
        &mut self,
        document: &Document,
        list_style: ListStyle,
        items: &[Vec<Span>],
        style: Style,
    ) -> Result<(), PdfError> {
        const INDENT: f32 = 22.0;
        let list = self.node(NodeKind::List(list_style), self.article);
        for (index, spans) in items.iter().enumerate() {
            let lines = wrap(self.fonts, spans, style.size, CONTENT_WIDTH - INDENT);
            if lines.is_empty() {
                continue;
            }
            let keep = lines.len().min(2) as f32 * style.leading;
            self.ensure(document, keep)?;
            let item = self.node(NodeKind::ListItem, list);
            let label_node = self.node(NodeKind::Label, item);
            let label = match list_style {
                ListStyle::Numbered => format!("{}.", index + 1),
                ListStyle::Bulleted => "\u{2022}".to_owned(),
            };
            let mark = self.leaf(label_node);
            let baseline = self.y + style.size * ASCENT;
            self.text(
                mark,
                MARGIN_LEFT + 6.0,
                baseline,
                style,
                Weight::Bold,
                &label,
            )?;
            let body = self.node(NodeKind::ListBody, item);
            self.fresh = false;
            for line in &lines {
                self.ensure(document, style.leading)?;
                let top = self.y;
                self.line(body, line, MARGIN_LEFT + INDENT, top, style)?;
                self.y += style.leading;
            }
            self.y += 3.0;
        }
        self.y += PARAGRAPH_GAP - 3.0;
        Ok(())
    }

    fn table(
        &mut self,
        document: &Document,
        rows: &[(String, String)],
        style: Style,
    ) -> Result<(), PdfError> {
        const KEY_WIDTH: f32 = 190.0;
        const GAP: f32 = 12.0;
        const PAD: f32 = 4.0;
        let key_style = Style {
            color: MUTED,
            ..style
        };
        let table = self.node(NodeKind::Table, self.article);
        let value_x = MARGIN_LEFT + KEY_WIDTH + GAP;
        let value_width = CONTENT_WIDTH - KEY_WIDTH - GAP;
        for (index, (key, value)) in rows.iter().enumerate() {
            let keys = wrap(
                self.fonts,
                &[Span::plain(key.as_str())],
                style.size,
                KEY_WIDTH,
            );
            let values = wrap(
                self.fonts,
                &[Span::bold(value.as_str())],
                style.size,
                value_width,
            );
            let height = keys.len().max(values.len()).max(1) as f32 * style.leading + 2.0 * PAD;
            self.ensure(document, height)?;
            let top = self.y;
            if index == 0 || self.fresh {
                self.rule(top);
            }
            let row = self.node(NodeKind::Row, table);
            let th = self.node(NodeKind::HeaderCell, row);
            for (n, line) in keys.iter().enumerate() {
                self.line(
                    th,
                    line,
                    MARGIN_LEFT,
                    top + PAD + n as f32 * style.leading,
                    key_style,
                )?;
            }
            let td = self.node(NodeKind::DataCell, row);
            for (n, line) in values.iter().enumerate() {
                self.line(
                    td,
                    line,
                    value_x,
                    top + PAD + n as f32 * style.leading,
                    style,
                )?;
            }
            self.y = top + height;
            self.rule(self.y);
            self.fresh = false;
        }
        self.y += PARAGRAPH_GAP + 3.0;
        Ok(())
    }

    fn highlight(
        &mut self,
        document: &Document,
        label: &str,
        value: &str,
        note: Option<&str>,
    ) -> Result<(), PdfError> {
        const PAD: f32 = 12.0;
        let inner = CONTENT_WIDTH - 2.0 * PAD;
        let label_style = Style {
            size: 9.5,
            leading: 13.0,
            color: MUTED,
        };
        let value_style = Style {
            size: 24.0,
            leading: 32.0,
            color: ACCENT,
        };
        let note_style = Style {
            size: 9.5,
            leading: 13.0,
            color: TEXT,
        };
        let parts = [
            (
                wrap(self.fonts, &[Span::plain(label)], label_style.size, inner),
                label_style,
            ),
            (
                wrap(self.fonts, &[Span::bold(value)], value_style.size, inner),
                value_style,
            ),
            (
                wrap(
                    self.fonts,
                    &[Span::plain(note.unwrap_or(""))],
                    note_style.size,
                    inner,
                ),
                note_style,
            ),
        ];
        let height = 2.0 * PAD
            + parts
                .iter()
                .map(|(lines, style)| lines.len() as f32 * style.leading)
                .sum::<f32>();
        self.y += 2.0;
        self.ensure(document, height)?;
        let top = self.y;
        self.page().items.push(Item {
            mark: Mark::Artifact(ArtifactKind::Layout),
            draw: Draw::Rect {
                x: MARGIN_LEFT,
                y: top,
                width: CONTENT_WIDTH,
                height,
                radius: 4.0,
                fill: Some(TINT),
                stroke: Some((ACCENT, 1.0)),
            },
        });
        let div = self.node(NodeKind::Div, self.article);
        let mut y = top + PAD;
        for (lines, style) in &parts {
            if lines.is_empty() {
                continue;
            }
            let p = self.node(NodeKind::P, div);
            for line in lines {
                let x = MARGIN_LEFT + (CONTENT_WIDTH - line.width) / 2.0;
                self.line(p, line, x, y, *style)?;
                y += style.leading;
            }
        }
        self.y = top + height + PARAGRAPH_GAP + 6.0;
        self.fresh = false;
        Ok(())
    }

    fn address(
        &mut self,
        document: &Document,
        address: &[String],
        style: Style,
    ) -> Result<(), PdfError> {
        let mut lines = Vec::new();
        for text in address {
            lines.push(wrap(
                self.fonts,
                &[Span::plain(text.as_str())],
                style.size,
                WINDOW_WIDTH,
            ));
        }
        let height = lines.iter().map(Vec::len).sum::<usize>() as f32 * style.leading;
        let in_window = self.window_free;
        let top = if in_window {
            WINDOW_TOP
        } else {
            self.ensure(document, height)?;
            self.y
        };
        let div = self.node(NodeKind::Div, self.article);
        let mut y = top;
        for wrapped in &lines {
            if wrapped.is_empty() {
                continue;
            }
            let p = self.node(NodeKind::P, div);
            for line in wrapped {
                self.line(p, line, WINDOW_X, y, style)?;
                y += style.leading;
            }
        }
        self.y = (if in_window { self.y.max(y) } else { y }) + 2.0 * PARAGRAPH_GAP;
        self.fresh = false;
        Ok(())
    }

    /// Adds the footer to every page of the document that started at `first_page`.
    fn footers(&mut self, sender: &Sender, first_page: usize) -> Result<(), PdfError> {
        let total = self.out.pages.len() - first_page;
        let style = Style {
            size: FOOTER_SIZE,
            leading: 0.0,
            color: MUTED,
        };
        let contact: Vec<&str> = [
            sender.organisation.as_str(),
            sender.phone.as_str(),
            sender.website.as_str(),
        ]
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
        let mut contact = contact.join(" \u{b7} ");
        let regular = self.fonts.face(Weight::Regular);
        if regular.width(&contact, FOOTER_SIZE) > CONTENT_WIDTH - 80.0 {
            // Too long for one line beside the page number: the name is enough.
            contact = sender.organisation.trim().to_owned();
        }
        for n in 0..total {
            let index = first_page + n;
            let label = format!("Page {} sur {}", n + 1, total);
            let label_width = self.fonts.face(Weight::Regular).width(&label, FOOTER_SIZE);
            let footer = Mark::Artifact(ArtifactKind::Footer);
            let mut items = Vec::new();
            items.push(Item {
                mark: Mark::Artifact(ArtifactKind::Layout),
                draw: Draw::Line {
                    x1: MARGIN_LEFT,
                    y1: FOOTER_RULE_Y,
                    x2: PAGE_WIDTH - MARGIN_RIGHT,
                    y2: FOOTER_RULE_Y,
                    color: RULE,
                    width: 0.5,
                },
            });
            for (x, text) in [
                (MARGIN_LEFT, contact.as_str()),
                (PAGE_WIDTH - MARGIN_RIGHT - label_width, label.as_str()),
            ] {
                if text.is_empty() {
                    continue;
                }
                let face = self.fonts.face(Weight::Regular);
                face.check(text)?;
                let shaped = face.shape(text);
                items.push(Item {
                    mark: footer,
                    draw: Draw::Text {
                        x,
                        baseline: FOOTER_BASELINE,
                        size: style.size,
                        weight: Weight::Regular,
                        color: style.color,
                        text: text.to_owned(),
                        glyphs: shaped.glyphs,
                    },
                });
            }
            if let Some(page) = self.out.pages.get_mut(index) {
                page.items.extend(items);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    fn text_of(line: &Line) -> String {
        line.segments.iter().map(|(_, t)| t.as_str()).collect()
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let fonts = fonts();
        let text = "Ce code est valable jusqu’au 6 décembre 2026 inclus et ne peut servir \
                    qu’une seule fois. Passé cette date, demandez-en un nouveau.";
        let lines = wrap(&fonts, &[Span::plain(text)], 10.0, 150.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(
                line.width <= 150.0,
                "{} is {} wide",
                text_of(line),
                line.width
            );
        }
        let joined: String = lines.iter().map(text_of).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn no_break_spaces_hold_words_together() {
        let fonts = fonts();
        let lines = wrap(&fonts, &[Span::plain("aaaa bbbb\u{a0}cccc")], 10.0, 60.0);
        let texts: Vec<String> = lines.iter().map(text_of).collect();
        assert_eq!(texts, ["aaaa ", "bbbb\u{a0}cccc"]);
    }

    #[test]
    fn weights_stay_with_their_runs() {
        let fonts = fonts();
        let lines = wrap(
            &fonts,
            &[
                Span::plain("Votre code : "),
                Span::bold("K7M4-Q9TX"),
                Span::plain("."),
            ],
            10.0,
            500.0,
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0].segments,
            [
                (Weight::Regular, "Votre code : ".to_owned()),
                (Weight::Bold, "K7M4-Q9TX".to_owned()),
                (Weight::Regular, ".".to_owned()),
            ]
        );
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        let fonts = fonts();
        let url = "https://portail.example.fr/un/tres/long/chemin/qui/ne/tient/pas";
        let lines = wrap(&fonts, &[Span::plain(url)], 10.0, 100.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 100.0));
        let joined: String = lines.iter().map(text_of).collect::<Vec<_>>().join("");
        assert_eq!(joined.replace(' ', ""), url);
    }

    #[test]
    fn empty_text_has_no_line() {
        let fonts = fonts();
        assert!(wrap(&fonts, &[Span::plain("  \n ")], 10.0, 100.0).is_empty());
    }
}
