//! The phase diagram of signal propagation: χ₁ over (σ_w², σ_b²), ordered (χ₁ < 1, blue) and
//! chaotic (χ₁ > 1, orange), the critical lines on it and the chosen point.

use super::{err, themed, with_legend, LegendEntry, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A line over the diagram.
#[derive(Clone, Debug)]
pub struct PhaseLine {
    /// Its legend entry.
    pub label: String,
    /// (σ_w², σ_b²) pairs.
    pub points: Vec<f64>,
    /// Drawn dashed.
    pub dashed: bool,
}

/// The diagram's data.
#[derive(Clone, Debug)]
pub struct Phase {
    /// σ_w² at the right edge.
    pub sw2_max: f64,
    /// σ_b² at the top.
    pub sb2_max: f64,
    /// Grid columns.
    pub columns: usize,
    /// Grid rows.
    pub rows: usize,
    /// χ₁ per cell, row by row from the top.
    pub chi: Vec<f64>,
    /// Lines over it.
    pub lines: Vec<PhaseLine>,
    /// The marked point, if any.
    pub point: Option<(f64, f64)>,
}

/// Where the diagram landed: its pixel box and the values at its edges.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhaseArea {
    /// Left, right, top, bottom, in device pixels.
    pub left: f64,
    /// See `left`.
    pub right: f64,
    /// See `left`.
    pub top: f64,
    /// See `left`.
    pub bottom: f64,
    /// σ_w² at the right edge (0 at the left).
    pub sw2_max: f64,
    /// σ_b² at the top (0 at the bottom).
    pub sb2_max: f64,
}

/// The colour of a cell: blue shades for ln χ₁ < 0, orange for > 0, paler towards the edge of chaos.
fn shade(chi: f64, theme: &Theme) -> RGBAColor {
    if !chi.is_finite() || chi <= 0.0 {
        return theme.grid.mix(0.5);
    }
    let t = (chi.ln() / 4f64.ln()).clamp(-1.0, 1.0);
    let base = if t < 0.0 {
        theme.color(0)
    } else {
        theme.color(1)
    };
    base.mix(0.08 + 0.6 * t.abs())
}

/// Draws the diagram with a legend of its lines on top.
pub fn draw_phase<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    p: &Phase,
    theme: &Theme,
) -> Result<PhaseArea, String> {
    area.fill(&theme.background).map_err(err)?;
    let mut entries = vec![
        LegendEntry {
            label: "ordered: χ₁ < 1",
            color: theme.color(0),
            dashed: false,
            markers: false,
            note: false,
        },
        LegendEntry {
            label: "chaotic: χ₁ > 1",
            color: theme.color(1),
            dashed: false,
            markers: false,
            note: false,
        },
    ];
    for l in &p.lines {
        entries.push(LegendEntry {
            label: &l.label,
            color: theme.text,
            dashed: l.dashed,
            markers: false,
            note: false,
        });
    }
    let plot = with_legend(area, &entries, theme)?;
    // y ticks at whole tenths (or hundredths for a short range), at most six.
    let step = if p.sb2_max >= 0.3 { 0.1 } else { 0.01 };
    let ticks: Vec<f64> = (0..=((p.sb2_max / step).floor() as usize))
        .map(|k| k as f64 * step)
        .filter(|t| *t <= p.sb2_max)
        .collect();
    let stride = ticks.len().div_ceil(6).max(1);
    let ticks: Vec<f64> = ticks.into_iter().step_by(stride).collect();
    let mut c = ChartBuilder::on(&plot)
        .margin_left(theme.px(6.0))
        .margin_right(theme.px(14.0))
        .margin_top(theme.px(6.0))
        .margin_bottom(theme.px(4.0))
        .x_label_area_size(theme.px(36.0))
        .y_label_area_size(theme.px(52.0))
        // The same coordinate types as the line charts' (a plain x range, a ticked y range), so
        // that the module carries one copy of plotters' chart code, not two.
        .build_cartesian_2d(
            0.0..p.sw2_max,
            super::lines::Ticked::new(0.0, p.sb2_max, ticks),
        )
        .map_err(err)?;
    let mut mesh = c.configure_mesh();
    themed(&mut mesh, theme);
    // Ticks as short as they go; the corner's 0 is the x axis's alone, so the two never collide.
    let x_fmt = |v: &f64| super::short(*v);
    let y_fmt = |v: &f64| {
        if *v == 0.0 {
            String::new()
        } else {
            super::short(*v)
        }
    };
    mesh.x_desc("σ_w² (weight variance × fan-in)")
        .y_desc("σ_b² (bias variance)")
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()
        .map_err(err)?;
    let (cols, rows) = (p.columns, p.rows);
    if cols > 0 && rows > 0 && p.chi.len() >= cols * rows {
        let (dw, db) = (p.sw2_max / cols as f64, p.sb2_max / rows as f64);
        for r in 0..rows {
            for col in 0..cols {
                let chi = p.chi[r * cols + col];
                let (x0, y1) = (col as f64 * dw, p.sb2_max - r as f64 * db);
                c.draw_series(std::iter::once(Rectangle::new(
                    [(x0, y1 - db), (x0 + dw, y1)],
                    shade(chi, theme).filled(),
                )))
                .map_err(err)?;
            }
        }
    }
    let width = theme.px(2.0) as u32;
    for l in &p.lines {
        let pts: Vec<(f64, f64)> = l
            .points
            .chunks_exact(2)
            .map(|q| (q[0], q[1]))
            .filter(|q| q.0.is_finite() && q.1.is_finite())
            .collect();
        let style = theme.text.stroke_width(width);
        if l.dashed {
            // Dashes of about 8 device pixels, measured along the line in pixel space.
            let to_px = |q: (f64, f64)| c.backend_coord(&q);
            let mut pieces = Vec::new();
            for seg in pts.windows(2) {
                let (a, b) = (to_px(seg[0]), to_px(seg[1]));
                let len = f64::from((b.0 - a.0).pow(2) + (b.1 - a.1).pow(2)).sqrt();
                let n = ((len / f64::from(theme.px(8.0))).ceil() as usize).max(1);
                for k in (0..n).step_by(2) {
                    let at = |t: f64| {
                        (
                            seg[0].0 + t * (seg[1].0 - seg[0].0),
                            seg[0].1 + t * (seg[1].1 - seg[0].1),
                        )
                    };
                    pieces.push(vec![
                        at(k as f64 / n as f64),
                        at(((k + 1) as f64 / n as f64).min(1.0)),
                    ]);
                }
            }
            c.draw_series(pieces.into_iter().map(|v| PathElement::new(v, style)))
                .map_err(err)?;
        } else {
            c.draw_series(std::iter::once(PathElement::new(pts, style)))
                .map_err(err)?;
        }
    }
    if let Some(q) = p.point {
        let r = theme.px(5.0) as u32;
        c.draw_series([
            Circle::new(q, r + theme.px(1.5) as u32, theme.background.filled()),
            Circle::new(q, r, theme.text.filled()),
        ])
        .map_err(err)?;
    }
    let (xs, ys) = c.plotting_area().get_pixel_range();
    Ok(PhaseArea {
        left: xs.start as f64,
        right: xs.end as f64,
        top: ys.start as f64,
        bottom: ys.end as f64,
        sw2_max: p.sw2_max,
        sb2_max: p.sb2_max,
    })
}
