//! Pictures: a QR code drawn as vector modules, in a framed box with its caption beside it.
//! The code is a `Figure` with its alternative text; its quiet zone (four light modules around
//! it, which scanners need) is a white square under it.

use super::{
    ACCENT, ArtifactKind, CONTENT_WIDTH, Draw, Item, Layouter, MARGIN_LEFT, Mark, NodeKind,
    PARAGRAPH_GAP, Rgb, Style, TEXT, TINT,
};
use crate::document::{Document, Span};
use crate::error::PdfError;
use crate::qr;
use crate::wrap::wrap;

/// Padding inside the box, left and right.
const PAD: f32 = 10.0;
/// Padding above and below: the symbol's white quiet zone already sets it apart, and the
/// verification address (issue 20) makes the symbol taller than it was.
const PAD_Y: f32 = 6.0;
/// The largest side of the symbol (modules only), in points (about 28 mm).
const MAX_SIDE: f32 = 80.0;
/// The smallest module that prints and scans reliably, in points (0.5 mm).
const MIN_MODULE: f32 = 1.42;
/// The quiet zone, in modules.
const QUIET: f32 = 4.0;
const WHITE: Rgb = Rgb(255, 255, 255);

impl Layouter<'_> {
    pub(super) fn qr_code(
        &mut self,
        document: &Document,
        data: &str,
        alt: &str,
        caption: &[Vec<Span>],
    ) -> Result<(), PdfError> {
        if alt.trim().is_empty() {
            return Err(PdfError::MissingAltText);
        }
        let code = qr::encode(data.as_bytes())?;
        let width = code.width;
        let module = (MAX_SIDE / width as f32).max(MIN_MODULE);
        let side = module * width as f32;
        let quiet = QUIET * module;
        let framed = side + 2.0 * quiet;

        let text_x = MARGIN_LEFT + PAD + framed + PAD;
        let text_width = CONTENT_WIDTH - (text_x - MARGIN_LEFT) - PAD;
        let style = Style {
            size: 9.5,
            leading: 13.0,
            color: TEXT,
        };
        let paragraphs: Vec<_> = caption
            .iter()
            .map(|spans| wrap(self.fonts, spans, style.size, text_width))
            .filter(|lines| !lines.is_empty())
            .collect();
        let text_height: f32 = paragraphs
            .iter()
            .map(|lines| lines.len() as f32 * style.leading + 4.0)
            .sum();
        let height = 2.0 * PAD_Y + framed.max(text_height);

        self.y += 2.0;
        self.ensure(document, height)?;
        let top = self.y;
        let page = self.out.pages.len().saturating_sub(1);
        for (x, y, w, h, fill, stroke) in [
            (
                MARGIN_LEFT,
                top,
                CONTENT_WIDTH,
                height,
                TINT,
                Some((ACCENT, 1.0)),
            ),
            (MARGIN_LEFT + PAD, top + PAD_Y, framed, framed, WHITE, None),
        ] {
            self.page().items.push(Item {
                mark: Mark::Artifact(ArtifactKind::Layout),
                draw: Draw::Rect {
                    x,
                    y,
                    width: w,
                    height: h,
                    radius: if stroke.is_some() { 4.0 } else { 0.0 },
                    fill: Some(fill),
                    stroke,
                },
            });
        }
        let (x, y) = (MARGIN_LEFT + PAD + quiet, top + PAD_Y + quiet);
        let figure = self.node(
            NodeKind::Figure {
                alt: alt.to_owned(),
                page,
                rect: [x - quiet, y - quiet, framed, framed],
            },
            self.article,
        );
        let mark = self.leaf(figure);
        self.page().items.push(Item {
            mark,
            draw: Draw::Modules {
                x,
                y,
                module,
                width,
                dark: code.dark,
            },
        });

        let div = self.node(NodeKind::Div, self.article);
        let mut y = top + PAD_Y;
        for lines in &paragraphs {
            let p = self.node(NodeKind::P, div);
            for line in lines {
                self.line(p, line, text_x, y, style)?;
                y += style.leading;
            }
            y += 4.0;
        }
        self.y = top + height + PARAGRAPH_GAP + 6.0;
        self.fresh = false;
        Ok(())
    }
}
