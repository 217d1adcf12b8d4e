//! Neurons × layers as a grid of cells coloured by each neuron's output: identical columns mean
//! identical neurons.

use super::{err, ChartResult, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One grid: `values[layer][neuron]` for one input sample.
#[derive(Clone, Debug)]
pub struct Grid {
    /// Title above the grid.
    pub title: String,
    /// Rows are layers (first on top), columns neurons.
    pub values: Vec<Vec<f64>>,
}

/// Draws the grids side by side. Each row is scaled to its own largest |value|, so the pattern
/// within a layer shows even as the signal shrinks or grows with depth.
pub fn draw_grids<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    grids: &[Grid],
    theme: &Theme,
) -> ChartResult {
    area.fill(&theme.background).map_err(err)?;
    if grids.is_empty() {
        return Ok(());
    }
    let panels = area.split_evenly((1, grids.len()));
    let pos = theme.color(0);
    let neg = theme.color(5);
    for (panel, g) in panels.iter().zip(grids) {
        let pad = theme.px(8.0);
        let inner = panel.margin(pad, pad, pad, pad);
        let (w, h) = inner.dim_in_pixel();
        inner
            .draw_text(
                &g.title,
                &theme.font(13.0).pos(Pos::new(HPos::Left, VPos::Top)),
                (0, 0),
            )
            .map_err(err)?;
        let top = theme.px(22.0);
        let left = theme.px(52.0);
        let rows = g.values.len().max(1) as i32;
        let cols = g.values.iter().map(|r| r.len()).max().unwrap_or(1).max(1) as i32;
        let cell_w = ((w as i32 - left) / cols).max(1);
        let cell_h = ((h as i32 - top - theme.px(18.0)) / rows).max(1);
        let small = theme.font(11.0);
        for (r, row) in g.values.iter().enumerate() {
            let y = top + r as i32 * cell_h;
            let scale = row
                .iter()
                .filter(|v| v.is_finite())
                .fold(0.0, |m: f64, v| m.max(v.abs()));
            if r == 0 || r + 1 == g.values.len() || rows <= 10 {
                inner
                    .draw_text(
                        &format!("layer {}", r + 1),
                        &small.pos(Pos::new(HPos::Left, VPos::Center)),
                        (0, y + cell_h / 2),
                    )
                    .map_err(err)?;
            }
            for (j, &v) in row.iter().enumerate() {
                let x = left + j as i32 * cell_w;
                let t = if scale > 0.0 && v.is_finite() {
                    (v.abs() / scale).min(1.0)
                } else {
                    0.0
                };
                let base = if v < 0.0 { neg } else { pos };
                let color = if v.is_finite() {
                    base.mix(0.08 + 0.92 * t)
                } else {
                    theme.overflow.mix(1.0)
                };
                inner
                    .draw(&Rectangle::new(
                        [(x, y), (x + cell_w - 1, y + cell_h - 1)],
                        color.filled(),
                    ))
                    .map_err(err)?;
            }
        }
        inner
            .draw_text(
                "neurons →",
                &small.pos(Pos::new(HPos::Left, VPos::Top)),
                (left, top + rows * cell_h + theme.px(3.0)),
            )
            .map_err(err)?;
    }
    Ok(())
}
