//! Rendering: the laid-out pages written as one PDF/UA-1 file with krilla.
//!
//! krilla runs its PDF/UA-1 validator on every file: it refuses to write one without a
//! document language, a title (which viewers are told to display), an outline, heading titles
//! or glyphs for every character. Every piece of content is either a marked span under its
//! structure element or a marked artifact (header, footer, decoration). No I/O: the bytes are
//! returned.
//!
//! What PDF/UA-1 shapes here:
//! - web addresses are printed text, not link annotations: a link would need its own `Link`
//!   structure element holding the annotation and an alternative text (PDF/UA-1 7.18.5), and
//!   on a letter meant for paper it adds nothing. Add it with those two when a downloadable
//!   document needs clickable links;
//! - a picture (a QR code on an attestation) must be a `Figure` with an alternative text:
//!   krilla refuses the file otherwise;
//! - the PDF version is 1.7, the highest PDF/UA-1 allows;
//! - poppler 22 prints « Suspects object is wrong type (boolean) » on these files: its own bug
//!   reading `/MarkInfo`, whose `/Suspects false` PDF/UA-1 requires.

use std::num::NonZeroU16;

use krilla::configure::{Accessibility, ConfigurationBuilder, ValidationError};
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::Rect;
use krilla::geom::{PathBuilder, Point, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, BBox, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope,
    Tag, TagGroup, TagKind, TagTree,
};
use krilla::{Document as PdfDocument, SerializeSettings};

use crate::document::{Document, FileInfo, HeadingLevel, ListStyle};
use crate::error::PdfError;
use crate::fonts::Fonts;
use crate::layout::{
    self, ArtifactKind, Bookmark, Child, Draw, Layout, Mark, NodeKind, PAGE_HEIGHT, PAGE_WIDTH, Rgb,
};

/// The language of every document of the portal.
const LANGUAGE: &str = "fr-FR";

/// Renders `documents` into one PDF whose title (in the metadata, shown by viewers in place of
/// the file name) is `title`. Each document starts on a new page and gets its own letterhead,
/// « Page n sur m » footer and outline entry.
///
/// Errors: [`PdfError::NoDocuments`] for an empty slice, [`PdfError::MissingTitle`] for an
/// empty title, [`PdfError::UnsupportedCharacter`] for text the embedded fonts cannot draw.
pub fn render_documents(title: &str, documents: &[Document]) -> Result<Vec<u8>, PdfError> {
    render_documents_with(title, documents, &FileInfo::default())
}

/// [`render_documents`], with a subject and keywords in the file's metadata (the document
/// information dictionary and the XMP packet, both written uncompressed, so a program can read
/// them back without a PDF library).
pub fn render_documents_with(
    title: &str,
    documents: &[Document],
    info: &FileInfo,
) -> Result<Vec<u8>, PdfError> {
    if documents.is_empty() {
        return Err(PdfError::NoDocuments);
    }
    if title.trim().is_empty() {
        return Err(PdfError::MissingTitle);
    }
    let fonts = Fonts::load()?;
    let laid_out = layout::lay_out(&fonts, documents)?;

    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| PdfError::Rendering(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut pdf = PdfDocument::new_with(settings);

    let mut leaves: Vec<Option<Identifier>> = vec![None; laid_out.leaf_count];
    let page_settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| PdfError::Rendering("invalid page size".to_owned()))?;
    for page in &laid_out.pages {
        let mut pdf_page = pdf.start_page_with(page_settings.clone());
        let mut surface = pdf_page.surface();
        for item in &page.items {
            let tag = match (item.mark, &item.draw) {
                // A picture's drawing is not text: it is marked content of its Figure.
                (Mark::Content(_), Draw::Modules { .. }) => ContentTag::Other,
                (Mark::Content(_), _) => ContentTag::Span(SpanTag::empty()),
                (Mark::Artifact(kind), _) => {
                    ContentTag::Artifact(Artifact::with_kind(match kind {
                        ArtifactKind::Layout => ArtifactType::Layout,
                        ArtifactKind::Header => ArtifactType::Header,
                        ArtifactKind::Footer => ArtifactType::Footer,
                    }))
                }
            };
            let id = surface.start_tagged(tag);
            draw(&mut surface, &fonts, &item.draw);
            surface.end_tagged();
            if let Mark::Content(leaf) = item.mark
                && let Some(slot) = leaves.get_mut(leaf)
            {
                *slot = Some(id);
            }
        }
        surface.finish();
        pdf_page.finish();
    }

    let mut tree = TagTree::new();
    for &root in &laid_out.roots {
        tree.push(tag_group(&laid_out, root, &mut leaves)?);
    }
    pdf.set_tag_tree(tree);

    let mut outline = Outline::new();
    for bookmark in &laid_out.outline {
        outline.push_child(outline_node(bookmark));
    }
    pdf.set_outline(outline);

    let mut metadata = Metadata::new()
        .title(title.to_owned())
        .language(LANGUAGE.to_owned())
        .creator("Caisse".to_owned());
    let first_sender = &documents[0].sender.organisation;
    if documents
        .iter()
        .all(|d| &d.sender.organisation == first_sender)
        && !first_sender.trim().is_empty()
    {
        metadata = metadata.authors(vec![first_sender.clone()]);
    }
    if let Some(subject) = &info.subject {
        metadata = metadata.description(subject.clone());
    }
    metadata = metadata.keywords(info.keywords.clone());
    pdf.set_metadata(metadata);

    pdf.finish().map_err(|e| PdfError::Rendering(describe(&e)))
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: krilla::color::rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn stroke(color: Rgb, width: f32) -> Stroke {
    Stroke {
        paint: krilla::color::rgb::Color::new(color.0, color.1, color.2).into(),
        width,
        ..Stroke::default()
    }
}

fn draw(surface: &mut Surface<'_>, fonts: &Fonts, item: &Draw) {
    match item {
        Draw::Text {
            x,
            baseline,
            size,
            weight,
            color,
            text,
            glyphs,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(fill(*color)));
            surface.draw_glyphs(
                Point::from_xy(*x, *baseline),
                glyphs,
                fonts.face(*weight).pdf.clone(),
                text,
                *size,
                false,
            );
        }
        Draw::Rect {
            x,
            y,
            width,
            height,
            radius,
            fill: background,
            stroke: border,
        } => {
            let mut pb = PathBuilder::new();
            rounded_rect(&mut pb, *x, *y, *width, *height, *radius);
            if let Some(path) = pb.finish() {
                surface.set_fill(background.map(fill));
                surface.set_stroke(border.map(|(c, w)| stroke(c, w)));
                surface.draw_path(&path);
            }
        }
        Draw::Line {
            x1,
            y1,
            x2,
            y2,
            color,
            width,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*color, *width)));
                surface.draw_path(&path);
            }
        }
        Draw::Modules {
            x,
            y,
            module,
            width,
            dark,
        } => {
            if let Some(path) = modules_path(*width, dark).finish() {
                surface.push_transform(&Transform::from_row(*module, 0.0, 0.0, *module, *x, *y));
                // Pure black on white scans best.
                surface.set_stroke(None);
                surface.set_fill(Some(fill(Rgb(0, 0, 0))));
                surface.draw_path(&path);
                surface.pop();
            }
        }
    }
}

/// The dark modules as rectangles `(left, top, right, bottom)` in module units: a run of dark
/// modules in a row is one rectangle, extended down over the following rows holding the very
/// same run. Fewer, larger rectangles keep the content stream short and leave no hairline gaps
/// between neighbours.
fn module_rects(width: usize, dark: &[bool]) -> Vec<(usize, usize, usize, usize)> {
    let runs: Vec<Vec<(usize, usize)>> = dark
        .chunks(width.max(1))
        .map(|cells| {
            let mut runs = Vec::new();
            let mut column = 0;
            while column < cells.len() {
                if cells[column] {
                    let start = column;
                    while column < cells.len() && cells[column] {
                        column += 1;
                    }
                    runs.push((start, column));
                } else {
                    column += 1;
                }
            }
            runs
        })
        .collect();
    let mut drawn: Vec<Vec<bool>> = runs.iter().map(|r| vec![false; r.len()]).collect();
    let mut rects = Vec::new();
    for row in 0..runs.len() {
        for (index, &(start, end)) in runs[row].iter().enumerate() {
            if drawn[row][index] {
                continue;
            }
            let mut bottom = row + 1;
            while let Some(next) = runs
                .get(bottom)
                .and_then(|r| r.iter().position(|&run| run == (start, end)))
            {
                drawn[bottom][next] = true;
                bottom += 1;
            }
            rects.push((start, row, end, bottom));
        }
    }
    rects
}

/// The rectangles of [`module_rects`] as one path, in module units (the caller scales it):
/// small whole numbers keep the content stream short.
fn modules_path(width: usize, dark: &[bool]) -> PathBuilder {
    let mut pb = PathBuilder::new();
    for (left, top, right, bottom) in module_rects(width, dark) {
        let (left, top, right, bottom) = (left as f32, top as f32, right as f32, bottom as f32);
        pb.move_to(left, top);
        pb.line_to(right, top);
        pb.line_to(right, bottom);
        pb.line_to(left, bottom);
        pb.close();
    }
    pb
}

/// A rectangle with corners rounded by `r` (quarter circles approximated by cubic curves).
fn rounded_rect(pb: &mut PathBuilder, x: f32, y: f32, w: f32, h: f32, r: f32) {
    let r = r.min(w / 2.0).min(h / 2.0).max(0.0);
    // Distance of the control points for a quarter circle.
    let k = r * 0.552_284_8;
    let (right, bottom) = (x + w, y + h);
    pb.move_to(x + r, y);
    pb.line_to(right - r, y);
    pb.cubic_to(right - r + k, y, right, y + r - k, right, y + r);
    pb.line_to(right, bottom - r);
    pb.cubic_to(
        right,
        bottom - r + k,
        right - r + k,
        bottom,
        right - r,
        bottom,
    );
    pb.line_to(x + r, bottom);
    pb.cubic_to(x + r - k, bottom, x, bottom - r + k, x, bottom - r);
    pb.line_to(x, y + r);
    pb.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    pb.close();
}

fn tag_kind(kind: &NodeKind) -> TagKind {
    match kind {
        NodeKind::Article => Tag::Article.into(),
        NodeKind::Div => Tag::Div.into(),
        NodeKind::P => Tag::P.into(),
        NodeKind::Heading(level, title) => {
            let n = match level {
                HeadingLevel::Title => 1,
                HeadingLevel::Section => 2,
                HeadingLevel::Subsection => 3,
            };
            Tag::Hn(NonZeroU16::MIN.saturating_add(n - 1), Some(title.clone())).into()
        }
        NodeKind::List(style) => Tag::L(match style {
            ListStyle::Numbered => ListNumbering::Decimal,
            ListStyle::Bulleted => ListNumbering::Disc,
        })
        .into(),
        NodeKind::ListItem => Tag::LI.into(),
        NodeKind::Label => Tag::Lbl.into(),
        NodeKind::ListBody => Tag::LBody.into(),
        NodeKind::Table => Tag::Table.into(),
        NodeKind::Row => Tag::TR.into(),
        NodeKind::HeaderCell => Tag::TH(TableHeaderScope::Row).into(),
        NodeKind::DataCell => Tag::TD.into(),
        NodeKind::ColumnHeader => Tag::TH(TableHeaderScope::Column).into(),
        NodeKind::Figure { alt, page, rect } => {
            let bbox = Rect::from_xywh(rect[0], rect[1], rect[2], rect[3])
                .map(|rect| BBox::new(*page, rect));
            Tag::Figure(Some(alt.clone())).with_bbox(bbox).into()
        }
    }
}

/// The structure element of `node` and, recursively, its children in reading order.
fn tag_group(
    laid_out: &Layout,
    node: usize,
    leaves: &mut [Option<Identifier>],
) -> Result<TagGroup, PdfError> {
    let missing = || PdfError::Rendering("a structure element points at nothing".to_owned());
    let node = laid_out.nodes.get(node).ok_or_else(missing)?;
    let mut group = TagGroup::new(tag_kind(&node.kind));
    for child in &node.children {
        match *child {
            Child::Node(id) => group.push(tag_group(laid_out, id, leaves)?),
            Child::Leaf(leaf) => {
                let id = leaves.get_mut(leaf).and_then(Option::take);
                group.push(id.ok_or_else(missing)?);
            }
        }
    }
    Ok(group)
}

fn outline_node(bookmark: &Bookmark) -> OutlineNode {
    let mut node = OutlineNode::new(
        bookmark.title.clone(),
        XyzDestination::new(bookmark.page, Point::from_xy(0.0, bookmark.y)),
    );
    for child in &bookmark.children {
        node.push_child(outline_node(child));
    }
    node
}

/// krilla's error, described without the document's text (a `.notdef` report carries it).
fn describe(error: &KrillaError) -> String {
    match error {
        KrillaError::Validation(errors) => {
            let names: Vec<&str> = errors
                .iter()
                .map(|(error, _)| match error {
                    ValidationError::ContainsNotDefGlyph(..) => "missing glyph",
                    ValidationError::NoCodepointMapping(..)
                    | ValidationError::InvalidCodepointMapping(..)
                    | ValidationError::UnicodePrivateArea(..) => "unmappable glyph",
                    ValidationError::NoDocumentLanguage => "no document language",
                    ValidationError::NoDocumentTitle => "no document title",
                    ValidationError::MissingHeadingTitle => "heading without title",
                    ValidationError::MissingDocumentOutline => "no outline",
                    ValidationError::MissingAltText(_) => "figure without alternative text",
                    ValidationError::MissingTagging => "untagged content",
                    _ => "PDF/UA-1 requirement not met",
                })
                .collect();
            format!("PDF/UA-1 validation failed: {}", names.join(", "))
        }
        KrillaError::Font(_, message) => format!("font: {message}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::module_rects;

    #[test]
    fn module_rectangles_cover_exactly_the_dark_modules_once() {
        let width = 29;
        // A deterministic pattern with runs, single modules and repeated rows.
        let dark: Vec<bool> = (0..width * width)
            .map(|i| {
                let (x, y) = (i % width, i / width);
                if y / 4 == 2 {
                    // Four identical rows: one rectangle.
                    x < 9
                } else {
                    (x * 7 + y * 3) % 5 < 2
                }
            })
            .collect();
        let mut covered = vec![0u8; dark.len()];
        let rects = module_rects(width, &dark);
        for (left, top, right, bottom) in &rects {
            for y in *top..*bottom {
                for x in *left..*right {
                    covered[y * width + x] += 1;
                }
            }
        }
        for (i, is_dark) in dark.iter().enumerate() {
            assert_eq!(covered[i], u8::from(*is_dark), "module {i}");
        }
        let runs = dark
            .chunks(width)
            .map(|row| row.windows(2).filter(|w| !w[0] && w[1]).count() + usize::from(row[0]))
            .sum::<usize>();
        assert!(
            rects.len() < runs,
            "repeated rows merge: {} < {runs}",
            rects.len()
        );
    }
}
