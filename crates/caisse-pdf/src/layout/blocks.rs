//! The blocks of a document body, each laid out and tagged: paragraphs, headings, lists,
//! key/value tables, highlighted boxes and the address window.

use super::{
    ACCENT, ASCENT, ArtifactKind, BODY_LEADING, BODY_SIZE, Bookmark, CONTENT_WIDTH, Draw, Item,
    Layouter, MARGIN_LEFT, MUTED, Mark, NodeKind, PARAGRAPH_GAP, SMALL_LEADING, SMALL_SIZE, Style,
    TEXT, TINT, WINDOW_TOP, WINDOW_WIDTH, WINDOW_X,
};
use crate::document::{Align, Block, Document, HeadingLevel, ListStyle, Span};
use crate::error::PdfError;
use crate::fonts::Weight;
use crate::wrap::wrap;

impl Layouter<'_> {
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

    /// Lays out `block`; `next` is the block after it, which a heading keeps its start with.
    pub(super) fn block(
        &mut self,
        document: &Document,
        block: &Block,
        next: Option<&Block>,
    ) -> Result<(), PdfError> {
        let body = Style {
            size: BODY_SIZE,
            leading: BODY_LEADING,
            color: TEXT,
        };
        match block {
            Block::Heading { level, text } => {
                // At least two lines of what follows; a table's header and first row.
                let keep = match next {
                    Some(Block::Table {
                        headers,
                        weights,
                        rows,
                    }) => self
                        .grid_lead(headers, weights, rows, body)
                        .max(2.0 * BODY_LEADING),
                    _ => 2.0 * BODY_LEADING,
                };
                self.heading(document, *level, text, keep)
            }
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
            Block::Table {
                headers,
                weights,
                rows,
            } => self.grid(document, headers, weights, rows, body),
            Block::QrCode {
                data,
                alt_text,
                caption,
            } => self.qr_code(document, data, alt_text, caption),
        }
    }

    fn heading(
        &mut self,
        document: &Document,
        level: HeadingLevel,
        text: &str,
        keep: f32,
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
        // Keep the heading with the start of what follows.
        let height = lines.len() as f32 * style.leading;
        self.ensure(document, before + height + after + keep)?;
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
}
