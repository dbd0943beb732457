//! The page frame every document shares: the letterhead on its first page (the sender's
//! details, tagged as content) and the footer of every page (contact line and « Page n sur m »,
//! marked as artifacts).

use super::{
    ACCENT, ArtifactKind, CONTENT_WIDTH, Draw, FOOTER_BASELINE, FOOTER_RULE_Y, FOOTER_SIZE, Item,
    LETTERHEAD_WIDTH, Layouter, MARGIN_LEFT, MARGIN_RIGHT, MUTED, Mark, NodeKind, PAGE_WIDTH, RULE,
    Style, TEXT,
};
use crate::document::{Sender, Span};
use crate::error::PdfError;
use crate::fonts::Weight;
use crate::wrap::wrap;

impl Layouter<'_> {
    pub(super) fn letterhead(&mut self, sender: &Sender) -> Result<(), PdfError> {
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

    /// Adds the footer to every page of the document that started at `first_page`.
    pub(super) fn footers(&mut self, sender: &Sender, first_page: usize) -> Result<(), PdfError> {
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
