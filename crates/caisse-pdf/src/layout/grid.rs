//! Tables with a header row: column widths from relative weights, cells wrapped, rows kept
//! whole on a page, header cells tagged with their column scope.

use super::{
    ArtifactKind, CONTENT_WIDTH, Draw, Item, Layouter, MARGIN_LEFT, MUTED, Mark, NodeKind,
    PARAGRAPH_GAP, Style, TINT,
};
use crate::document::{Document, Span};
use crate::error::PdfError;
use crate::wrap::{Line, wrap};

const PAD: f32 = 4.0;
const GAP: f32 = 8.0;

impl Layouter<'_> {
    pub(super) fn grid(
        &mut self,
        document: &Document,
        headers: &[String],
        weights: &[u8],
        rows: &[Vec<String>],
        style: Style,
    ) -> Result<(), PdfError> {
        let columns = headers.len();
        if columns == 0 {
            return Ok(());
        }
        let (xs, widths) = column_bounds(columns, weights);
        let header_style = Style {
            color: MUTED,
            ..style
        };
        let table = self.node(NodeKind::Table, self.article);

        let header_cells = self.header_cells(headers, &widths, style);
        let header_height = row_height(&header_cells, style);
        // Keep the header with the first row.
        self.ensure(document, self.grid_lead(headers, weights, rows, style))?;
        let top = self.y;
        self.page().items.push(Item {
            mark: Mark::Artifact(ArtifactKind::Layout),
            draw: Draw::Rect {
                x: MARGIN_LEFT,
                y: top,
                width: CONTENT_WIDTH,
                height: header_height,
                radius: 0.0,
                fill: Some(TINT),
                stroke: None,
            },
        });
        let tr = self.node(NodeKind::Row, table);
        self.row(
            tr,
            NodeKind::ColumnHeader,
            &header_cells,
            &xs,
            top,
            header_style,
        )?;
        self.y = top + header_height;
        self.rule(self.y);
        self.fresh = false;

        for row in rows {
            let cells = self.cells(row, columns, &widths, style);
            let height = row_height(&cells, style);
            self.ensure(document, height)?;
            let top = self.y;
            if self.fresh {
                self.rule(top);
            }
            let tr = self.node(NodeKind::Row, table);
            self.row(tr, NodeKind::DataCell, &cells, &xs, top, style)?;
            self.y = top + height;
            self.rule(self.y);
            self.fresh = false;
        }
        self.y += PARAGRAPH_GAP + 3.0;
        Ok(())
    }

    fn header_cells(&self, headers: &[String], widths: &[f32], style: Style) -> Vec<Vec<Line>> {
        headers
            .iter()
            .zip(widths)
            .map(|(text, width)| wrap(self.fonts, &[Span::bold(text.as_str())], style.size, *width))
            .collect()
    }

    /// The height of a table's header row and first row: what must fit on a page for the table
    /// to start there (a heading before it keeps this much with it).
    pub(super) fn grid_lead(
        &self,
        headers: &[String],
        weights: &[u8],
        rows: &[Vec<String>],
        style: Style,
    ) -> f32 {
        let columns = headers.len();
        if columns == 0 {
            return 0.0;
        }
        let (_, widths) = column_bounds(columns, weights);
        let header_height = row_height(&self.header_cells(headers, &widths, style), style);
        let first_height = rows
            .first()
            .map(|row| row_height(&self.cells(row, columns, &widths, style), style))
            .unwrap_or(0.0);
        header_height + first_height
    }

    fn cells(
        &self,
        row: &[String],
        columns: usize,
        widths: &[f32],
        style: Style,
    ) -> Vec<Vec<Line>> {
        (0..columns)
            .map(|i| {
                let text = row.get(i).map_or("", String::as_str);
                wrap(self.fonts, &[Span::plain(text)], style.size, widths[i])
            })
            .collect()
    }

    /// One row of cells, each a structure element of `kind` under `tr`.
    fn row(
        &mut self,
        tr: usize,
        kind: NodeKind,
        cells: &[Vec<Line>],
        xs: &[f32],
        top: f32,
        style: Style,
    ) -> Result<(), PdfError> {
        for (lines, x) in cells.iter().zip(xs) {
            let cell = self.node(kind.clone(), tr);
            for (n, line) in lines.iter().enumerate() {
                self.line(cell, line, *x, top + PAD + n as f32 * style.leading, style)?;
            }
        }
        Ok(())
    }
}

/// The left edge and width of each of `columns` columns, shared by `weights`.
fn column_bounds(columns: usize, weights: &[u8]) -> (Vec<f32>, Vec<f32>) {
    let weight = |i: usize| f32::from(weights.get(i).copied().unwrap_or(1).max(1));
    let total: f32 = (0..columns).map(weight).sum();
    let usable = CONTENT_WIDTH - GAP * columns.saturating_sub(1) as f32;
    let mut xs = Vec::with_capacity(columns);
    let mut widths = Vec::with_capacity(columns);
    let mut x = MARGIN_LEFT;
    for i in 0..columns {
        let width = usable * weight(i) / total;
        xs.push(x);
        widths.push(width);
        x += width + GAP;
    }
    (xs, widths)
}

fn row_height(cells: &[Vec<Line>], style: Style) -> f32 {
    cells.iter().map(Vec::len).max().unwrap_or(0).max(1) as f32 * style.leading + 2.0 * PAD
}
