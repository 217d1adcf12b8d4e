//! Neurons × layers as a grid of cells coloured by each neuron's output: identical columns mean
//! identical neurons.

use super::{err, fit, text_width, ChartResult, Region, Theme};
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

/// The colour of a cell whose value is `t` of its row's largest |value| (`t` in −1..=1).
fn shade(t: f64, theme: &Theme) -> RGBAColor {
    let base = if t < 0.0 {
        theme.color(5)
    } else {
        theme.color(0)
    };
    base.mix(0.08 + 0.92 * t.abs().min(1.0))
}

/// Draws the grids side by side with a colour scale underneath. Each row is scaled to its own
/// largest |value|, so the pattern within a layer shows even as the signal shrinks or grows with
/// depth. Returns where each grid's cells lie, layer 1 on top and neuron 1 on the left.
pub fn draw_grids<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    grids: &[Grid],
    theme: &Theme,
) -> Result<Vec<Region>, String> {
    area.fill(&theme.background).map_err(err)?;
    if grids.is_empty() {
        return Ok(Vec::new());
    }
    let mut regions = Vec::with_capacity(grids.len());
    let negative = grids
        .iter()
        .flat_map(|g| g.values.iter().flatten())
        .any(|v| *v < 0.0);
    let height = area.dim_in_pixel().1 as i32;
    let (top_part, scale_strip) = area.split_vertically(height - theme.px(26.0));
    let panels = top_part.split_evenly((1, grids.len()));
    for (panel, g) in panels.iter().zip(grids) {
        let pad = theme.px(8.0);
        let inner = panel.margin(pad, pad, pad, pad);
        let (w, h) = inner.dim_in_pixel();
        inner
            .draw_text(
                &fit(&g.title, w as f64, 13.0 * theme.scale),
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
        regions.push(Region::inside(
            &inner,
            (left, top),
            (left + cols * cell_w, top + rows * cell_h),
        ));
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
                    v / scale
                } else {
                    0.0
                };
                let color = if v.is_finite() {
                    shade(t, theme)
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
    colour_scale(&scale_strip, negative, theme)?;
    Ok(regions)
}

/// The colour scale: what a cell's shade means, as a ramp from 0 (or −1) to 1.
fn colour_scale<DB: DrawingBackend>(
    strip: &DrawingArea<DB, Shift>,
    negative: bool,
    theme: &Theme,
) -> ChartResult {
    let (w, h) = strip.dim_in_pixel();
    let px = 11.0 * theme.scale;
    let font = theme.font(11.0).pos(Pos::new(HPos::Left, VPos::Center));
    let y = h as i32 / 2;
    let gap = theme.px(6.0);
    let title = "colour: output ÷ largest |output| in its layer";
    let title = fit(title, w as f64 * 0.6, px);
    let mut x = theme.px(8.0);
    strip.draw_text(&title, &font, (x, y)).map_err(err)?;
    x += text_width(&title, px).ceil() as i32 + gap;
    let (from, low) = if negative { (-1.0, "−1") } else { (0.0, "0") };
    strip.draw_text(low, &font, (x, y)).map_err(err)?;
    x += text_width(low, px).ceil() as i32 + gap / 2;
    let ramp =
        (w as i32 - x - text_width("1", px).ceil() as i32 - 2 * gap).clamp(0, theme.px(140.0));
    let steps = 24;
    let half = theme.px(6.0);
    for k in 0..steps {
        let t = from + (1.0 - from) * (k as f64 + 0.5) / steps as f64;
        let (a, b) = (x + ramp * k / steps, x + ramp * (k + 1) / steps);
        strip
            .draw(&Rectangle::new(
                [(a, y - half), (b, y + half)],
                shade(t, theme).filled(),
            ))
            .map_err(err)?;
    }
    strip
        .draw_text("1", &font, (x + ramp + gap / 2, y))
        .map_err(err)?;
    Ok(())
}
