//! Sampled weights as histograms, each with the density it was drawn from.

use super::lines::{y_axis, YScale};
use super::{err, short, themed, with_legend, ChartResult, LegendEntry, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One sample of weights and the density it came from.
#[derive(Clone, Debug)]
pub struct WeightSample {
    /// Legend text.
    pub label: String,
    /// Palette index.
    pub color: usize,
    /// The sampled weights.
    pub values: Vec<f64>,
    /// The density at x.
    pub density: fn(f64, f64) -> f64,
    /// The density's parameter (σ for a normal, the half-width a for a uniform).
    pub param: f64,
}

/// The N(0, σ²) density at x.
pub fn normal_density(x: f64, sigma: f64) -> f64 {
    (-0.5 * (x / sigma).powi(2)).exp() / (sigma * (2.0 * std::f64::consts::PI).sqrt())
}

/// The U(−a, a) density at x.
pub fn uniform_density(x: f64, a: f64) -> f64 {
    if x.abs() <= a {
        0.5 / a
    } else {
        0.0
    }
}

/// The largest |weight| drawn.
pub const MAX_EXTENT: f64 = 1e100;

/// Draws each sample as a density-scaled histogram outline with its density as a dashed curve.
pub fn draw_weights<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    samples: &[WeightSample],
    bins: usize,
    theme: &Theme,
) -> ChartResult {
    area.fill(&theme.background).map_err(err)?;
    let entries: Vec<LegendEntry> = samples
        .iter()
        .map(|s| LegendEntry {
            label: &s.label,
            color: theme.color(s.color),
            dashed: false,
            markers: false,
            note: false,
        })
        .collect();
    let plot = with_legend(area, &entries, theme)?;
    // The x axis spans the largest |weight|, within ±MAX_EXTENT: an axis wider than that has
    // no readable ticks (and ±1e308 would overflow its width); larger values are left out, as
    // NaN and ±∞ are.
    let extent = samples
        .iter()
        .flat_map(|s| s.values.iter().map(|v| v.abs()))
        .filter(|v| *v <= MAX_EXTENT)
        .fold(0.0, f64::max)
        .max(1e-12)
        * 1.05;
    let bins = bins.max(1);
    let width = 2.0 * extent / bins as f64;
    let mut hists = Vec::new();
    let mut top: f64 = 0.0;
    for s in samples {
        let mut counts = vec![0.0; bins];
        for v in s.values.iter().filter(|v| v.abs() <= MAX_EXTENT) {
            let i = (((v + extent) / width) as usize).min(bins - 1);
            counts[i] += 1.0;
        }
        let scale = 1.0 / (s.values.len().max(1) as f64 * width);
        let dens: Vec<f64> = counts.iter().map(|c| c * scale).collect();
        top = top.max(dens.iter().copied().fold(0.0, f64::max));
        top = top.max((s.density)(0.0, s.param));
        hists.push(dens);
    }
    let top = if top > 0.0 && top.is_finite() {
        top * 1.1
    } else {
        1.0
    };
    let (margin_top, x_area) = (theme.px(6.0), theme.px(36.0));
    let plot_h = plot.dim_in_pixel().1 as i32 - margin_top - x_area;
    let y = y_axis(YScale::Linear { min: 0.0, max: top }, &[], plot_h, theme);
    let y_fmt = y.formatter();
    let mut c = ChartBuilder::on(&plot)
        .margin_right(theme.px(14.0))
        .margin_top(margin_top)
        .x_label_area_size(x_area)
        .y_label_area_size(y.area_width(true, theme))
        .build_cartesian_2d(-extent..extent, y.coord())
        .map_err(err)?;
    themed(&mut c.configure_mesh(), theme)
        .x_desc("weight value")
        .y_desc("density")
        .x_labels(7)
        .x_label_formatter(&|v| {
            if v.abs() < 1e-9 * extent {
                "0".into()
            } else {
                short(*v)
            }
        })
        .y_label_formatter(&y_fmt)
        .draw()
        .map_err(err)?;
    for (s, dens) in samples.iter().zip(&hists) {
        let color = theme.color(s.color);
        c.draw_series(dens.iter().enumerate().map(|(i, &d)| {
            let x0 = -extent + i as f64 * width;
            Rectangle::new([(x0, 0.0), (x0 + width, d)], color.mix(0.25).filled())
        }))
        .map_err(err)?;
        let steps = 240;
        let curve = (0..=steps).map(|k| {
            let x = -extent + 2.0 * extent * k as f64 / steps as f64;
            (x, (s.density)(x, s.param))
        });
        c.draw_series(DashedLineSeries::new(
            curve,
            theme.px(6.0) as u32,
            theme.px(4.0) as u32,
            color.stroke_width(theme.px(2.0) as u32),
        ))
        .map_err(err)?;
    }
    Ok(())
}
