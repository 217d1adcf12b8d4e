//! Lines over the layers of a network: variances on a log axis, fractions on a linear one.

use super::{
    err, fit, marker_radius, short, text_width, themed, with_legend, ChartResult, LegendEntry,
    Theme,
};
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
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
    /// Line width in CSS pixels; 0 for the default (2 solid, 1.5 dashed).
    pub width: f64,
    /// The values; NaN and ±∞ mark overflow, and on a log axis values ≤ 0 sit on the floor.
    pub values: Vec<f64>,
    /// A ghost draws nothing (no line, markers, legend entry or overflow band): its values only
    /// stretch the axes, the x extent and a log axis's fitted range, so that a page can draw
    /// axes that will hold a curve it has not shown yet.
    pub ghost: bool,
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

/// The log range covering every positive finite value (ghosts' too), widened to whole decades (at least two).
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
    // Whole decades from 10^-300 to 10^300, at least two of them: a range at either end of what
    // f64 holds widens inwards, never to 0 or ∞.
    let mut lo = lo.log10().floor().clamp(-300.0, 298.0);
    let hi = hi.log10().ceil().clamp(-300.0, 300.0).max(lo + 2.0);
    if hi > 300.0 {
        lo = 298.0;
    }
    (10f64.powf(lo), 10f64.powf(hi.min(300.0)))
}

/// A y axis as drawn: its range in axis units (log10 of the value on a log axis), where the ticks
/// go and what they say.
#[derive(Clone, Debug)]
pub(crate) struct YAxis {
    pub log: bool,
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
    pub labels: Vec<String>,
}

impl YAxis {
    /// The width of the label area: the longest tick label, the tick, and the axis title.
    pub fn area_width(&self, title: bool, theme: &Theme) -> i32 {
        let widest = self
            .labels
            .iter()
            .map(|l| text_width(l, 12.0 * theme.scale))
            .fold(0.0, f64::max);
        let title = if title { theme.px(13.0) } else { 0 };
        widest.ceil() as i32 + 2 * TICK.max(theme.px(4.0)) + title + theme.px(8.0)
    }
}

/// A linear coordinate with the ticks we chose (plotters picks its own otherwise).
#[derive(Clone)]
pub(crate) struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type ValueType = f64;
    type FormatOption = NoDefaultFormatting;
    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }
    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }
}

impl ValueFormatter<f64> for Ticked {
    fn format(value: &f64) -> String {
        short(*value)
    }
}

impl Ticked {
    /// The range lo..hi with ticks at `ticks`.
    pub(crate) fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Ticked {
        Ticked {
            inner: (lo..hi).into(),
            ticks,
        }
    }
}

impl YAxis {
    /// The label of each tick, for the mesh's label formatter.
    pub fn formatter(&self) -> impl Fn(&f64) -> String {
        let (ticks, labels) = (self.ticks.clone(), self.labels.clone());
        move |t: &f64| {
            ticks
                .iter()
                .position(|k| (k - t).abs() <= 1e-9 * (1.0 + k.abs()))
                .map(|i| labels[i].clone())
                .unwrap_or_default()
        }
    }

    /// The coordinate to build a chart on.
    pub fn coord(&self) -> Ticked {
        Ticked::new(self.lo, self.hi, self.ticks.clone())
    }
}

/// The most points of one line drawn with markers.
const MAX_MARKERS: usize = 400;

/// plotters' tick length in pixels (it does not scale with the theme).
const TICK: i32 = 5;

/// Superscript digits for exponents: 10⁻⁵.
fn superscript(k: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s: String = k
        .unsigned_abs()
        .to_string()
        .chars()
        .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
        .collect();
    if k < 0 {
        s.insert(0, '⁻');
    }
    s
}

/// A power of ten as a tick label: 10⁻⁵, 10⁰, 10³.
pub fn decade_label(k: i64) -> String {
    format!("10{}", superscript(k))
}

/// The y axis for `scale` over `series`, with at most one tick per 28 CSS pixels of `plot_h`
/// device pixels (and at least two). A log axis is drawn as log10 of the values on a linear
/// axis, with ticks on whole decades only, so every label reads the same way.
pub(crate) fn y_axis(scale: YScale, series: &[Series], plot_h: i32, theme: &Theme) -> YAxis {
    let most = ((plot_h as f64 / (28.0 * theme.scale)).floor() as usize).clamp(2, 8);
    match scale {
        YScale::Log => {
            let (lo, hi) = log_range(series);
            let (lo, hi) = (lo.log10().round(), hi.log10().round());
            let span = (hi - lo) as i64;
            let step = [1, 2, 3, 5, 10, 20, 25, 50, 100, 200, 250, 500]
                .into_iter()
                .find(|s| span / s < most as i64)
                .unwrap_or(1000);
            let first = (lo as i64).div_euclid(step) * step;
            let ticks: Vec<f64> = (0..)
                .map(|i| (first + i * step) as f64)
                .skip_while(|&k| k < lo)
                .take_while(|&k| k <= hi)
                .collect();
            let labels = ticks.iter().map(|&k| decade_label(k as i64)).collect();
            YAxis {
                log: true,
                lo,
                hi,
                ticks,
                labels,
            }
        }
        YScale::Linear { min, max } => {
            let (lo, hi) = if min < max { (min, max) } else { (0.0, 1.0) };
            let range: RangedCoordf64 = (lo..hi).into();
            let ticks = range.key_points(most);
            let labels = ticks
                .iter()
                .map(|&t| {
                    if t.abs() < 1e-9 * (hi - lo) {
                        "0".into()
                    } else {
                        short(t)
                    }
                })
                .collect();
            YAxis {
                log: false,
                lo,
                hi,
                ticks,
                labels,
            }
        }
    }
}

/// The legend entries of `series`: every labelled one, once (a label repeated in the same style,
/// as in small multiples, is listed once), and a note when a log axis has to leave out zeros.
fn legend_entries<'a>(
    series: impl Iterator<Item = &'a Series>,
    log: bool,
    theme: &Theme,
) -> Vec<LegendEntry<'a>> {
    let mut entries: Vec<LegendEntry> = Vec::new();
    let (mut zeros, mut positive) = (false, false);
    for s in series.filter(|s| !s.ghost) {
        zeros |= log && s.values.contains(&0.0);
        positive |= s.values.iter().any(|v| v.is_finite() && *v > 0.0);
        let dashed = s.dash == Dash::Dashed;
        let seen = entries.iter().any(|e| {
            e.label == s.label
                && e.dashed == dashed
                && e.markers == s.markers
                && e.color == theme.color(s.color)
        });
        if !s.label.is_empty() && !seen {
            entries.push(LegendEntry {
                label: &s.label,
                color: theme.color(s.color),
                dashed,
                markers: s.markers,
                note: false,
            });
        }
    }
    // On a log axis a value of exactly 0 has no place: it is left out, and a note says so.
    if zeros {
        entries.push(LegendEntry {
            label: if positive {
                "exact zeros: not drawable on a log axis"
            } else {
                "all values are exactly 0: none on a log axis"
            },
            color: theme.text,
            dashed: false,
            markers: false,
            note: true,
        });
    }
    entries
}

/// Draws `chart` on `area`: legend on top, then the axes and lines. Non-finite values end a line
/// and shade the layers from the first of them as an overflow band.
pub fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
) -> Result<PlotArea, String> {
    area.fill(&theme.background).map_err(err)?;
    let log = matches!(chart.y, YScale::Log);
    let entries = legend_entries(chart.series.iter(), log, theme);
    let plot = with_legend(area, &entries, theme)?;
    plot_lines(&plot, chart, (true, true), theme)
}

/// Where a chart's plot landed, in device pixels of the whole drawing, and the ranges it shows:
/// what a page needs to tell which point the pointer is over, or to draw on the chart's axes.
/// The edges are the pixels the edge values are drawn at, so that a value maps linearly to a
/// pixel: x = `x_min` at `left` and `x_max` at `right`; y (its log10 on a log axis) = `y_lo` at
/// `bottom` and `y_hi` at `top`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotArea {
    /// Left edge of the plot.
    pub left: f64,
    /// Right edge.
    pub right: f64,
    /// Top edge.
    pub top: f64,
    /// Bottom edge.
    pub bottom: f64,
    /// The x value at the left edge.
    pub x_min: f64,
    /// The x value at the right edge.
    pub x_max: f64,
    /// A log y axis: `y_lo` and `y_hi` are then log10 of the values at the edges.
    pub y_log: bool,
    /// The y value at the bottom edge (on a log axis, its decade exponent).
    pub y_lo: f64,
    /// The y value at the top edge (on a log axis, its decade exponent).
    pub y_hi: f64,
}

impl PlotArea {
    /// As numbers: left, right, top, bottom, x at the left edge, x at the right edge, 1 for a log
    /// y axis (else 0), y at the bottom edge, y at the top edge.
    pub fn to_vec(self) -> Vec<f64> {
        vec![
            self.left,
            self.right,
            self.top,
            self.bottom,
            self.x_min,
            self.x_max,
            if self.y_log { 1.0 } else { 0.0 },
            self.y_lo,
            self.y_hi,
        ]
    }
}

/// One panel of a [`LinePanels`] chart: a title (a second line after `\n` is set smaller) and
/// its lines.
#[derive(Clone, Debug)]
pub struct LinePanel {
    /// The title.
    pub title: String,
    /// The lines.
    pub series: Vec<Series>,
}

/// Small multiples of line charts sharing axis labels and one legend, each panel with its own y
/// range: curves hundreds of decades apart each get the whole height.
#[derive(Clone, Debug)]
pub struct LinePanels {
    /// Axis labels, scale and x positions; its `series` are unused.
    pub chart: LineChart,
    /// The panels, row by row.
    pub panels: Vec<LinePanel>,
    /// Panels per row.
    pub columns: usize,
}

/// Draws `panels`: the legend of all their labelled lines on top, then a grid of panels. The y
/// axis title is drawn in the first column, the x axis title in the bottom row. Returns where
/// each panel's plot landed.
pub fn draw_line_panels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panels: &LinePanels,
    theme: &Theme,
) -> Result<Vec<PlotArea>, String> {
    area.fill(&theme.background).map_err(err)?;
    let log = matches!(panels.chart.y, YScale::Log);
    let entries = legend_entries(panels.panels.iter().flat_map(|p| &p.series), log, theme);
    let rest = with_legend(area, &entries, theme)?;
    let n = panels.panels.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut areas = Vec::with_capacity(n);
    let columns = panels.columns.clamp(1, n);
    let rows = n.div_ceil(columns);
    let cells = rest.split_evenly((rows, columns));
    for (i, (cell, p)) in cells.iter().zip(&panels.panels).enumerate() {
        let (w, _) = cell.dim_in_pixel();
        let mut lines = p.title.split('\n');
        let (first, second) = (lines.next().unwrap_or(""), lines.next());
        let pad = theme.px(8.0);
        let room = w as f64 - 2.0 * pad as f64;
        let top = theme.font(12.0).pos(Pos::new(HPos::Left, VPos::Top));
        cell.draw_text(
            &fit(first, room, 12.0 * theme.scale),
            &top,
            (pad, theme.px(4.0)),
        )
        .map_err(err)?;
        let mut title_h = theme.px(20.0);
        if let Some(second) = second {
            let small = theme.font(11.0).pos(Pos::new(HPos::Left, VPos::Top));
            cell.draw_text(
                &fit(second, room, 11.0 * theme.scale),
                &small,
                (pad, theme.px(19.0)),
            )
            .map_err(err)?;
            title_h = theme.px(34.0);
        }
        let (_, plot) = cell.split_vertically(title_h);
        let chart = LineChart {
            series: p.series.clone(),
            ..panels.chart.clone()
        };
        let descs = (i + columns >= n, i % columns == 0);
        areas.push(plot_lines(&plot, &chart, descs, theme)?);
    }
    Ok(areas)
}

/// The axes and lines of `chart` on `plot` (no legend), with the x and y axis titles when asked.
fn plot_lines<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    (x_desc, y_desc): (bool, bool),
    theme: &Theme,
) -> Result<PlotArea, String> {
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
        .filter(|s| !s.ghost)
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
    let (margin_top, margin_bottom, x_area) = (theme.px(6.0), theme.px(4.0), theme.px(36.0));
    let plot_h = plot.dim_in_pixel().1 as i32 - margin_top - margin_bottom - x_area;
    let y = y_axis(chart.y, &chart.series, plot_h, theme);
    let (log, lo, hi) = (y.log, y.lo, y.hi);
    let to_axis = |v: f64| if log { v.log10() } else { v.clamp(lo, hi) };
    let y_fmt = y.formatter();
    let mut c = ChartBuilder::on(plot)
        .margin_left(theme.px(6.0))
        .margin_right(theme.px(14.0))
        .margin_top(margin_top)
        .margin_bottom(margin_bottom)
        .x_label_area_size(x_area)
        .y_label_area_size(y.area_width(y_desc, theme))
        .build_cartesian_2d(x0..x1, y.coord())
        .map_err(err)?;
    let mut mesh = c.configure_mesh();
    themed(&mut mesh, theme);
    if x_desc {
        mesh.x_desc(chart.x_label.as_str());
    }
    // The y title only where it fits along the axis (small multiples can be short).
    if y_desc && text_width(&chart.y_label, 13.0 * theme.scale) <= plot_h as f64 {
        mesh.y_desc(chart.y_label.as_str());
    }
    mesh.x_labels(x_labels)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()
        .map_err(err)?;
    if first_bad.is_some() {
        // The layers where some line overflowed (∞ or NaN) are shaded: over the plot's height
        // where no line is drawn, as a strip along the top (the overflowed values lie above the
        // chart) where another line still is, so that the band never covers a line.
        let drawable = |v: f64| v.is_finite() && !(log && v <= 0.0);
        let at = |i: usize| chart.x_start + (i as f64 - 0.5) * step;
        let kind = |i: usize| {
            let bad = chart
                .series
                .iter()
                .filter(|s| !s.ghost)
                .any(|s| s.values.get(i).is_some_and(|v| !v.is_finite()));
            let drawn = chart
                .series
                .iter()
                .filter(|s| !s.ghost)
                .any(|s| s.values.get(i).is_some_and(|&v| drawable(v)));
            bad.then_some(drawn)
        };
        let mut labelled = false;
        let mut i = 0;
        while i < n {
            let Some(strip) = kind(i) else {
                i += 1;
                continue;
            };
            let mut j = i + 1;
            while j < n && kind(j) == Some(strip) {
                j += 1;
            }
            let to = if j == n { x1 } else { at(j) };
            overflow_band(&mut c, (at(i), to, x1), (lo, hi), (strip, !labelled), theme)?;
            labelled = true;
            i = j;
        }
    }
    for s in chart.series.iter().filter(|s| !s.ghost) {
        let pts = points(s, chart.x_start, step, log, to_axis);
        draw_series(&mut c, s, &pts, theme)?;
    }
    // The edges where the axes' ends are drawn (the plot's last pixel row and column, not the
    // pixel past them), in the whole drawing's pixels.
    let (left, top) = c.backend_coord(&(x0, hi));
    let (right, bottom) = c.backend_coord(&(x1, lo));
    Ok(PlotArea {
        left: left as f64,
        right: right as f64,
        top: top as f64,
        bottom: bottom as f64,
        x_min: x0,
        x_max: x1,
        y_log: log,
        y_lo: lo,
        y_hi: hi,
    })
}

/// Runs of consecutive finite points (a non-finite value breaks the line).
fn points(
    s: &Series,
    x_start: f64,
    step: f64,
    log: bool,
    map: impl Fn(f64) -> f64,
) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (i, &v) in s.values.iter().enumerate() {
        if v.is_finite() && !(log && v <= 0.0) {
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
    let width = if s.width > 0.0 {
        s.width
    } else if s.dash == Dash::Dashed {
        1.5
    } else {
        2.0
    };
    let style = color.stroke_width(theme.px(width) as u32);
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
        // Markers mark points a reader can count; past a few hundred they are a thicker line.
        if s.markers && run.len() <= MAX_MARKERS {
            let r = marker_radius(theme);
            c.draw_series(run.iter().map(|&p| Circle::new(p, r, color.filled())))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The band of layers `from` to `to` where a value overflowed, on a plot that ends at `right`;
/// the first band carries the label.
fn overflow_band<DB: DrawingBackend, X, Y>(
    c: &mut ChartContext<DB, Cartesian2d<X, Y>>,
    (from, to, right): (f64, f64, f64),
    (lo, hi): (f64, f64),
    (strip, labelled): (bool, bool),
    theme: &Theme,
) -> ChartResult
where
    X: plotters::coord::ranged1d::Ranged<ValueType = f64>,
    Y: plotters::coord::ranged1d::Ranged<ValueType = f64>,
{
    // A strip is as tall as its label and insets, in the axis's units.
    let bottom = if strip {
        let (top_px, bottom_px) = (
            c.backend_coord(&(from, hi)).1,
            c.backend_coord(&(from, lo)).1,
        );
        let tall =
            (f64::from(theme.px(12.0 + 8.0)) / f64::from((bottom_px - top_px).max(1))).min(1.0);
        hi - tall * (hi - lo)
    } else {
        lo
    };
    c.draw_series(std::iter::once(Rectangle::new(
        [(from, bottom), (to, hi)],
        theme.overflow.mix(0.15).filled(),
    )))
    .map_err(err)?;
    if !labelled {
        return Ok(());
    }
    // The label starts at the band when it fits between the band's start and the plot's right
    // edge (over the band, or past it into the plot), else it ends at the plot's right edge:
    // never left of the plot, where the axis's labels are.
    let label = "overflow: ∞ or NaN";
    let inset = theme.px(4.0);
    let room = c.backend_coord(&(right, hi)).0 - c.backend_coord(&(from, hi)).0;
    let fits = text_width(label, 12.0 * theme.scale) + 2.0 * inset as f64 <= room as f64;
    let (at, h, dx) = if fits {
        (from, HPos::Left, inset)
    } else {
        (right, HPos::Right, -inset)
    };
    let font = theme
        .font_in(12.0, theme.overflow)
        .pos(Pos::new(h, VPos::Top));
    c.draw_series(std::iter::once(
        EmptyElement::at((at, hi)) + Text::new(label, (dx, inset), font),
    ))
    .map_err(err)?;
    Ok(())
}
