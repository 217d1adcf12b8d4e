//! Lines over the layers of a network: variances on a log axis, fractions on a linear one.

use super::{
    err, log_tick, marker_radius, short, themed, with_legend, ChartResult, LegendEntry, Theme,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How a series' line is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    /// A solid line.
    Solid,
    /// A dashed line (used for theory).
    Dashed,
}

/// One line: `values[i]` is plotted at x = `x_start + i`.
#[derive(Clone, Debug)]
pub struct Series {
    /// Legend text; an empty label leaves the series out of the legend.
    pub label: String,
    /// Index into the theme's palette.
    pub color: usize,
    /// Solid or dashed.
    pub dash: Dash,
    /// Draw a marker at each point.
    pub markers: bool,
    /// The values; NaN and ±∞ mark overflow, and on a log axis values ≤ 0 sit on the floor.
    pub values: Vec<f64>,
}

/// The y axis.
#[derive(Clone, Copy, Debug)]
pub enum YScale {
    /// Logarithmic, its range fitted to the positive finite values.
    Log,
    /// Linear from `min` to `max`.
    Linear {
        /// Bottom of the axis.
        min: f64,
        /// Top of the axis.
        max: f64,
    },
}

/// A chart of lines over layers.
#[derive(Clone, Debug)]
pub struct LineChart {
    /// Label of the x axis.
    pub x_label: String,
    /// Label of the y axis.
    pub y_label: String,
    /// The y axis.
    pub y: YScale,
    /// x of each series' first value (1 for layer 1).
    pub x_start: f64,
    /// Distance in x between consecutive values (1 for layers).
    pub x_step: f64,
    /// The lines, drawn in order.
    pub series: Vec<Series>,
}

/// The log range covering every positive finite value, widened to whole decades (at least two).
fn log_range(series: &[Series]) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in series.iter().flat_map(|s| &s.values) {
        if v.is_finite() && *v > 0.0 {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
    }
    if lo > hi {
        return (1e-3, 1.0);
    }
    let lo = 10f64.powf(lo.log10().floor()).max(1e-300);
    let mut hi = 10f64.powf(hi.log10().ceil()).min(1e300);
    if hi <= lo * 10.0 {
        hi = lo * 100.0;
    }
    (lo, hi)
}

/// Draws `chart` on `area`: legend on top, then the axes and lines. Non-finite values end a line
/// and shade the layers from the first of them as an overflow band.
pub fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
) -> ChartResult {
    area.fill(&theme.background).map_err(err)?;
    let entries: Vec<LegendEntry> = chart
        .series
        .iter()
        .filter(|s| !s.label.is_empty())
        .map(|s| LegendEntry {
            label: &s.label,
            color: theme.color(s.color),
            dashed: s.dash == Dash::Dashed,
            markers: s.markers,
        })
        .collect();
    let plot = with_legend(area, &entries, theme)?;
    let n = chart
        .series
        .iter()
        .map(|s| s.values.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let step = if chart.x_step > 0.0 && chart.x_step.is_finite() {
        chart.x_step
    } else {
        1.0
    };
    let x0 = chart.x_start - 0.5 * step;
    let x1 = chart.x_start + (n as f64 - 0.5) * step;
    let first_bad = chart
        .series
        .iter()
        .filter_map(|s| s.values.iter().position(|v| !v.is_finite()))
        .min();
    let x_labels = n.min(10);
    let x_fmt = |v: &f64| {
        if (v - v.round()).abs() < 1e-9 {
            format!("{}", v.round() as i64)
        } else {
            String::new()
        }
    };
    // A log axis is drawn as log10 of the values on a linear axis, labelled with powers of ten:
    // plotters' own log axis places too few labels across the 70 decades the article needs.
    let (log, lo, hi) = match chart.y {
        YScale::Log => {
            let (lo, hi) = log_range(&chart.series);
            (true, lo.log10(), hi.log10())
        }
        YScale::Linear { min, max } if min < max => (false, min, max),
        YScale::Linear { .. } => (false, 0.0, 1.0),
    };
    let to_axis = |v: f64| {
        if log {
            if v > 0.0 {
                v.log10()
            } else {
                lo
            }
        } else {
            v.clamp(lo, hi)
        }
    };
    let y_fmt = |t: &f64| {
        if log {
            log_tick(10f64.powf(*t))
        } else if t.abs() < 1e-9 * (hi - lo) {
            "0".into()
        } else {
            short(*t)
        }
    };
    let mut c = ChartBuilder::on(&plot)
        .margin_left(theme.px(6.0))
        .margin_right(theme.px(14.0))
        .margin_top(theme.px(6.0))
        .margin_bottom(theme.px(4.0))
        .x_label_area_size(theme.px(36.0))
        .y_label_area_size(theme.px(56.0))
        .build_cartesian_2d(x0..x1, lo..hi)
        .map_err(err)?;
    themed(&mut c.configure_mesh(), theme)
        .x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .x_labels(x_labels)
        .y_labels(if log { 8 } else { 6 })
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()
        .map_err(err)?;
    if let Some(k) = first_bad {
        overflow_band(
            &mut c,
            chart.x_start + (k as f64 - 0.5) * step,
            x1,
            lo,
            hi,
            theme,
        )?;
    }
    for s in &chart.series {
        // On a log axis, values ≤ 0 are drawn on the floor so they stay visible.
        let pts = points(s, chart.x_start, step, to_axis);
        draw_series(&mut c, s, &pts, theme)?;
    }
    Ok(())
}

/// Runs of consecutive finite points (a non-finite value breaks the line).
fn points(s: &Series, x_start: f64, step: f64, map: impl Fn(f64) -> f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (i, &v) in s.values.iter().enumerate() {
        if v.is_finite() {
            if let Some(run) = runs.last_mut() {
                run.push((x_start + i as f64 * step, map(v)));
            }
        } else if runs.last().is_some_and(|r| !r.is_empty()) {
            runs.push(Vec::new());
        }
    }
    runs
}

fn draw_series<DB: DrawingBackend, X, Y>(
    c: &mut ChartContext<DB, Cartesian2d<X, Y>>,
    s: &Series,
    runs: &[Vec<(f64, f64)>],
    theme: &Theme,
) -> ChartResult
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    let color = theme.color(s.color);
    let style = color.stroke_width(theme.px(if s.dash == Dash::Dashed { 1.5 } else { 2.0 }) as u32);
    for run in runs.iter().filter(|r| !r.is_empty()) {
        match s.dash {
            Dash::Solid => {
                c.draw_series(LineSeries::new(run.iter().copied(), style))
                    .map_err(err)?;
            }
            Dash::Dashed => {
                c.draw_series(DashedLineSeries::new(
                    run.iter().copied(),
                    theme.px(6.0) as u32,
                    theme.px(4.0) as u32,
                    style,
                ))
                .map_err(err)?;
            }
        }
        if s.markers {
            let r = marker_radius(theme);
            c.draw_series(run.iter().map(|&p| Circle::new(p, r, color.filled())))
                .map_err(err)?;
        }
    }
    Ok(())
}

fn overflow_band<DB: DrawingBackend, X, Y>(
    c: &mut ChartContext<DB, Cartesian2d<X, Y>>,
    from: f64,
    to: f64,
    lo: f64,
    hi: f64,
    theme: &Theme,
) -> ChartResult
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    c.draw_series(std::iter::once(Rectangle::new(
        [(from, lo), (to, hi)],
        theme.overflow.mix(0.15).filled(),
    )))
    .map_err(err)?;
    let font = theme
        .font_in(12.0, theme.overflow)
        .pos(Pos::new(HPos::Left, VPos::Top));
    c.draw_series(std::iter::once(Text::new(
        " overflow: ∞ or NaN".to_string(),
        (from, hi),
        font,
    )))
    .map_err(err)?;
    Ok(())
}
