//! The article's figures as functions of data, drawn on any plotters backend: a canvas in the
//! page, SVG in the native tests. Nothing here runs a simulation; callers pass the numbers.

pub mod boundary;
pub mod digits;
pub mod grid;
pub mod hiking;
pub mod histograms;
pub mod lines;
pub mod phase;
pub mod picture;
pub mod spec;
pub mod text;
pub mod weights;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A drawing failure, as text (plotters' error types differ per backend).
pub type ChartResult = Result<(), String>;

pub(crate) fn err(e: impl std::fmt::Display) -> String {
    format!("drawing failed: {e}")
}

/// Colours and scale for one drawing. `scale` multiplies every size (device pixels per CSS pixel),
/// so a figure drawn into a 2× backing store is as sharp as the screen allows.
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    /// Page background.
    pub background: RGBColor,
    /// Text and axes.
    pub text: RGBColor,
    /// Faint grid lines.
    pub grid: RGBColor,
    /// The overflow band's colour.
    pub overflow: RGBColor,
    /// Series colours, chosen to stay apart for colour-blind readers (Okabe–Ito order).
    pub palette: [RGBColor; 7],
    /// Device pixels per CSS pixel.
    pub scale: f64,
}

impl Theme {
    /// The light or dark theme at the given scale.
    pub fn new(dark: bool, scale: f64) -> Theme {
        let scale = if scale.is_finite() {
            scale.clamp(0.5, 4.0)
        } else {
            1.0
        };
        if dark {
            Theme {
                background: RGBColor(0x16, 0x18, 0x1d),
                text: RGBColor(0xe6, 0xe6, 0xe6),
                grid: RGBColor(0x33, 0x37, 0x40),
                overflow: RGBColor(0xff, 0x6b, 0x6b),
                palette: [
                    RGBColor(0x56, 0xb4, 0xe9),
                    RGBColor(0xe6, 0x9f, 0x00),
                    RGBColor(0x00, 0xc0, 0x8b),
                    RGBColor(0xf0, 0xe4, 0x42),
                    RGBColor(0xff, 0x8c, 0xc6),
                    RGBColor(0xd5, 0x5e, 0x00),
                    RGBColor(0xbb, 0xbb, 0xbb),
                ],
                scale,
            }
        } else {
            Theme {
                background: RGBColor(0xff, 0xff, 0xff),
                text: RGBColor(0x22, 0x22, 0x22),
                grid: RGBColor(0xe4, 0xe4, 0xe4),
                overflow: RGBColor(0xc0, 0x1c, 0x28),
                palette: [
                    RGBColor(0x00, 0x72, 0xb2),
                    RGBColor(0xe6, 0x9f, 0x00),
                    RGBColor(0x00, 0x9e, 0x73),
                    RGBColor(0xcc, 0x79, 0xa7),
                    RGBColor(0x56, 0xb4, 0xe9),
                    RGBColor(0xd5, 0x5e, 0x00),
                    RGBColor(0x66, 0x66, 0x66),
                ],
                scale,
            }
        }
    }

    /// A size in device pixels for `css` CSS pixels.
    pub fn px(&self, css: f64) -> i32 {
        (css * self.scale).round().max(1.0) as i32
    }

    /// The text style at `css` CSS pixels.
    pub fn font(&self, css: f64) -> TextStyle<'static> {
        ("sans-serif", css * self.scale)
            .into_font()
            .color(&self.text)
    }

    /// The text style at `css` CSS pixels in `color`.
    pub fn font_in(&self, css: f64, color: RGBColor) -> TextStyle<'static> {
        let mut style = self.font(css);
        style.color = color.to_backend_color();
        style
    }

    /// Colour `i` of the palette (wrapping).
    pub fn color(&self, i: usize) -> RGBColor {
        self.palette[i % self.palette.len()]
    }
}

/// A rectangle of a drawing, in device pixels of the whole drawing: where a panel's plot landed,
/// so that a page can tell what the pointer is over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Region {
    /// Left edge.
    pub left: f64,
    /// Right edge.
    pub right: f64,
    /// Top edge.
    pub top: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl Region {
    /// The rectangle from `(x0, y0)` to `(x1, y1)` inside `area`, in the whole drawing's pixels.
    pub(crate) fn inside<DB: DrawingBackend>(
        area: &DrawingArea<DB, plotters::coord::Shift>,
        (x0, y0): (i32, i32),
        (x1, y1): (i32, i32),
    ) -> Region {
        let (bx, by) = area.get_base_pixel();
        Region {
            left: f64::from(bx + x0),
            right: f64::from(bx + x1),
            top: f64::from(by + y0),
            bottom: f64::from(by + y1),
        }
    }

    /// The regions as numbers, four each: left, right, top, bottom.
    pub fn flatten(regions: &[Region]) -> Vec<f64> {
        regions
            .iter()
            .flat_map(|r| [r.left, r.right, r.top, r.bottom])
            .collect()
    }
}

/// A small multiple's title at its top left, in the overflow colour when `alarm` (a run that
/// diverged).
pub(crate) fn panel_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    alarm: bool,
    theme: &Theme,
) -> ChartResult {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let font = if alarm {
        theme.font_in(12.0, theme.overflow)
    } else {
        theme.font(12.0)
    };
    area.draw_text(title, &font.pos(Pos::new(HPos::Left, VPos::Top)), (0, 0))
        .map_err(err)
}

/// Clears `area` and splits it into a grid of `count` cells, `columns` wide (small multiples).
pub(crate) fn panel_cells<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    count: usize,
    columns: usize,
    theme: &Theme,
) -> Result<Vec<DrawingArea<DB, plotters::coord::Shift>>, String> {
    area.fill(&theme.background).map_err(err)?;
    if count == 0 {
        return Ok(Vec::new());
    }
    let columns = columns.clamp(1, count);
    Ok(area.split_evenly((count.div_ceil(columns), columns)))
}

/// Gives a chart's mesh the theme's fonts, axis and grid lines.
pub(crate) fn themed<'a, 'b, 'm, X, Y, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
    theme: &Theme,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    DB: DrawingBackend,
{
    mesh.label_style(theme.font(12.0))
        .axis_desc_style(theme.font(13.0))
        .axis_style(theme.text.stroke_width(theme.px(1.0) as u32))
        .bold_line_style(theme.grid.stroke_width(theme.px(1.0) as u32))
        .light_line_style(theme.background)
}

/// Formats a number for labels and tables: 3 significant digits, exponent form when tiny or huge.
pub fn short(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "∞" } else { "−∞" }.into()
    } else if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        let s = format!("{v:.2e}");
        s.replace("e-", "e−")
    } else {
        let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 6) as usize;
        let s = format!("{v:.digits$}");
        // Trailing zeros say nothing: 0.200 → 0.2, 2.50 → 2.5.
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// The width in pixels of `text` set at `px` pixels: a generous estimate (a DejaVu-like
/// sans-serif, wider than most phone fonts) used to make room for text without measuring it, so
/// the layout is the same on a canvas and in the SVG the tests read.
pub fn text_width(text: &str, px: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            ' ' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'i' | 'l' | 'j' | '(' | ')' | '['
            | ']' => 0.36,
            '⁰'..='⁹' | '¹' | '²' | '³' | '⁻' => 0.42,
            'm' | 'w' | 'M' | 'W' | '%' | '∞' | '→' | '×' | '−' | '—' => 0.9,
            _ => 0.64,
        })
        .sum::<f64>()
        * px
}

/// `text` shortened with an ellipsis to fit `width` pixels at `px` pixels (whole when it fits).
pub fn fit(text: &str, width: f64, px: f64) -> String {
    if text_width(text, px) <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().collect();
    while !out.is_empty() && text_width(&out, px) + text_width("…", px) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// One legend entry: a colour swatch (solid or dashed, with a marker when its line has them) and
/// its label.
pub struct LegendEntry<'a> {
    /// The text.
    pub label: &'a str,
    /// Swatch colour.
    pub color: RGBColor,
    /// Draw the swatch dashed.
    pub dashed: bool,
    /// Draw a marker in the middle of the swatch, as on the line it names.
    pub markers: bool,
    /// A note rather than an entry: text only, no swatch.
    pub note: bool,
}

/// The radius of a line's markers, in device pixels.
pub(crate) fn marker_radius(theme: &Theme) -> u32 {
    theme.px(2.5) as u32
}

/// Where each legend entry goes: rows that wrap to `width`. Returns the positions and the height.
fn legend_layout(entries: &[LegendEntry], width: i32, theme: &Theme) -> (Vec<(i32, i32)>, i32) {
    let swatch = theme.px(18.0);
    let row_h = theme.px(18.0);
    let left = theme.px(8.0);
    let (mut x, mut y) = (left, theme.px(10.0));
    let mut at = Vec::with_capacity(entries.len());
    for e in entries {
        let text_w = text_width(e.label, 12.0 * theme.scale).ceil() as i32;
        let item_w = if e.note { 0 } else { swatch + theme.px(6.0) } + text_w + theme.px(14.0);
        if x > left && x + item_w > width {
            x = left;
            y += row_h;
        }
        at.push((x, y));
        x += item_w;
    }
    let height = if entries.is_empty() {
        0
    } else {
        y + row_h / 2 + theme.px(4.0)
    };
    (at, height)
}

/// Splits a legend off the top of `area`, draws it, and returns the rest of the area.
pub fn with_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    entries: &[LegendEntry],
    theme: &Theme,
) -> Result<DrawingArea<DB, plotters::coord::Shift>, String> {
    let (w, _) = area.dim_in_pixel();
    let (at, height) = legend_layout(entries, w as i32, theme);
    let (top, rest) = area.split_vertically(height);
    let font = theme.font(12.0).pos(Pos::new(HPos::Left, VPos::Center));
    let swatch = theme.px(18.0);
    for (e, &(x, y)) in entries.iter().zip(&at) {
        let room = (w as i32 - x - theme.px(4.0)) as f64;
        if e.note {
            top.draw_text(&fit(e.label, room, 12.0 * theme.scale), &font, (x, y))
                .map_err(err)?;
            continue;
        }
        let style = e.color.stroke_width(theme.px(2.5) as u32);
        if e.dashed {
            let d = swatch / 4;
            for k in [0, 2] {
                top.draw(&PathElement::new(
                    vec![(x + k * d, y), (x + (k + 1) * d + d / 2, y)],
                    style,
                ))
                .map_err(err)?;
            }
        } else {
            top.draw(&PathElement::new(vec![(x, y), (x + swatch, y)], style))
                .map_err(err)?;
        }
        if e.markers {
            top.draw(&Circle::new(
                (x + swatch / 2, y),
                marker_radius(theme),
                e.color.filled(),
            ))
            .map_err(err)?;
        }
        let label = fit(
            e.label,
            room - (swatch + theme.px(6.0)) as f64,
            12.0 * theme.scale,
        );
        top.draw_text(&label, &font, (x + swatch + theme.px(6.0), y))
            .map_err(err)?;
    }
    Ok(rest)
}
