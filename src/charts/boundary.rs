//! Decision boundaries: what a classifier predicts over the plane, with the data on top.

use super::{err, panel_cells, panel_title, ChartResult, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One classifier's view of the plane.
#[derive(Clone, Debug)]
pub struct BoundaryPanel {
    /// Title, e.g. "He normal: 98 %".
    pub title: String,
    /// P(class 1) on a `res × res` grid over [−1.8, 1.8]², rows from the top; NaN when unknown.
    pub probs: Vec<f64>,
    /// Grid resolution.
    pub res: usize,
    /// The data as (x, y, class) triples.
    pub points: Vec<f64>,
    /// Draw the title in the overflow colour (the run diverged).
    pub alarm: bool,
}

/// Draws the panels side by side (wrapping into rows of `columns`).
pub fn draw_boundaries<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panels: &[BoundaryPanel],
    columns: usize,
    theme: &Theme,
) -> ChartResult {
    let (c0, c1) = (theme.color(0), theme.color(1));
    for (cell, p) in panel_cells(area, panels.len(), columns, theme)?
        .iter()
        .zip(panels)
    {
        let pad = theme.px(4.0);
        let inner = cell.margin(pad, pad, pad, pad);
        let title_h = theme.px(18.0);
        panel_title(&inner, &p.title, p.alarm, theme)?;
        let (w, h) = inner.dim_in_pixel();
        let side = (w as i32).min(h as i32 - title_h).max(1);
        let res = p.res.max(1);
        if p.probs.len() < res * res {
            continue;
        }
        let cell_px = side as f64 / res as f64;
        for r in 0..res {
            for c in 0..res {
                let v = p.probs[r * res + c];
                let color = if v.is_finite() {
                    let t = ((v - 0.5).abs() * 2.0).min(1.0);
                    (if v >= 0.5 { c1 } else { c0 }).mix(0.08 + 0.4 * t)
                } else {
                    theme.overflow.mix(0.35)
                };
                let x0 = (c as f64 * cell_px) as i32;
                let y0 = title_h + (r as f64 * cell_px) as i32;
                let x1 = ((c + 1) as f64 * cell_px) as i32;
                let y1 = title_h + ((r + 1) as f64 * cell_px) as i32;
                inner
                    .draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))
                    .map_err(err)?;
            }
        }
        let to_px = |x: f64, y: f64| {
            (
                ((x + 1.8) / 3.6 * side as f64) as i32,
                title_h + ((1.8 - y) / 3.6 * side as f64) as i32,
            )
        };
        let r = theme.px(1.6) as u32;
        for t in p.points.chunks_exact(3) {
            let color = if t[2] >= 0.5 { c1 } else { c0 };
            inner
                .draw(&Circle::new(to_px(t[0], t[1]), r, color.filled()))
                .map_err(err)?;
        }
        inner
            .draw(&Rectangle::new(
                [(0, title_h), (side, title_h + side)],
                theme.grid.stroke_width(1),
            ))
            .map_err(err)?;
    }
    Ok(())
}
