//! Small multiples: the distribution of one layer's activations per panel.

use super::{err, panel_cells, short, Region, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One panel: a histogram over `[lo, hi]` with equal-width bins.
#[derive(Clone, Debug)]
pub struct Panel {
    /// Title, e.g. "layer 5".
    pub title: String,
    /// Left edge of the first bin.
    pub lo: f64,
    /// Right edge of the last bin.
    pub hi: f64,
    /// Count per bin.
    pub counts: Vec<f64>,
    /// Values that were NaN or ±∞.
    pub non_finite: f64,
}

/// Draws the panels in a grid `columns` wide, each with its own x range and its bars scaled to the
/// panel's tallest bin. Returns where each panel's bars span, `lo` at its left edge and `hi` at
/// its right (empty for a panel too small to hold any).
pub fn draw_histograms<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panels: &[Panel],
    columns: usize,
    color: usize,
    theme: &Theme,
) -> Result<Vec<Region>, String> {
    let cells = panel_cells(area, panels.len(), columns, theme)?;
    let mut regions = Vec::with_capacity(panels.len());
    let bar = theme.color(color);
    for (cell, p) in cells.iter().zip(panels) {
        let (w, h) = cell.dim_in_pixel();
        let pad = theme.px(6.0);
        let title_h = theme.px(18.0);
        let axis_h = theme.px(16.0);
        let inner = cell.margin(pad, pad, pad, pad);
        inner
            .draw_text(
                &p.title,
                &theme.font(12.0).pos(Pos::new(HPos::Left, VPos::Top)),
                (0, 0),
            )
            .map_err(err)?;
        let plot_w = w as i32 - 2 * pad;
        let plot_h = h as i32 - 2 * pad - title_h - axis_h;
        if plot_w <= 0 || plot_h <= 0 {
            regions.push(Region::inside(&inner, (0, 0), (0, 0)));
            continue;
        }
        let max = p.counts.iter().copied().fold(0.0, f64::max);
        let n = p.counts.len().max(1) as i32;
        let base = title_h + plot_h;
        regions.push(Region::inside(&inner, (0, title_h), (plot_w, base)));
        for (i, &c) in p.counts.iter().enumerate() {
            if c <= 0.0 || max <= 0.0 {
                continue;
            }
            let x0 = i as i32 * plot_w / n;
            let x1 = ((i as i32 + 1) * plot_w / n - 1).max(x0 + 1);
            let top = base - ((c / max) * plot_h as f64).round() as i32;
            inner
                .draw(&Rectangle::new([(x0, top), (x1, base)], bar.filled()))
                .map_err(err)?;
        }
        inner
            .draw(&PathElement::new(
                vec![(0, base), (plot_w, base)],
                theme.text.stroke_width(1),
            ))
            .map_err(err)?;
        let small = theme.font(11.0);
        inner
            .draw_text(
                &short(p.lo),
                &small.pos(Pos::new(HPos::Left, VPos::Top)),
                (0, base + theme.px(2.0)),
            )
            .map_err(err)?;
        inner
            .draw_text(
                &short(p.hi),
                &small.pos(Pos::new(HPos::Right, VPos::Top)),
                (plot_w, base + theme.px(2.0)),
            )
            .map_err(err)?;
        if p.non_finite > 0.0 {
            inner
                .draw_text(
                    &format!("{} overflowed", p.non_finite),
                    &theme
                        .font_in(11.0, theme.overflow)
                        .pos(Pos::new(HPos::Right, VPos::Top)),
                    (plot_w, 0),
                )
                .map_err(err)?;
        }
    }
    Ok(regions)
}
