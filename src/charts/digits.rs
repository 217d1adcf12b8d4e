//! Test digits with each network's answers: one panel per network, the same images in each, the
//! predicted digit under every image, wrong answers marked.

use super::{err, fit, panel_cells, panel_title, ChartResult, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Pixels per image side.
const SIDE: usize = 8;

/// One network's answers for the shared images.
#[derive(Clone, Debug)]
pub struct DigitPanel {
    /// Title, e.g. "He: 91 % on the test set".
    pub title: String,
    /// Each image's predicted digit; −1 where the network gives no single answer.
    pub predictions: Vec<f64>,
    /// Draw the title in the overflow colour (the run diverged).
    pub alarm: bool,
}

/// The images (64 values each, 0 to 1, row by row) and their true digits.
#[derive(Clone, Debug)]
pub struct Images {
    /// 64 values per image.
    pub pixels: Vec<f64>,
    /// Each image's digit.
    pub labels: Vec<f64>,
}

/// Draws the panels in rows of `columns`; within each, the images in a grid as square as fits,
/// each with the network's answer under it: in the text colour when right, and in the overflow
/// colour with a ✗ when wrong or missing ("?").
pub fn draw_digits<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panels: &[DigitPanel],
    images: &Images,
    columns: usize,
    theme: &Theme,
) -> ChartResult {
    let n = images.labels.len().min(images.pixels.len() / (SIDE * SIDE));
    for (cell, p) in panel_cells(area, panels.len(), columns, theme)?
        .iter()
        .zip(panels)
    {
        let pad = theme.px(4.0);
        let inner = cell.margin(pad, pad, pad, pad);
        let (w, h) = inner.dim_in_pixel();
        let title_h = theme.px(18.0);
        panel_title(
            &inner,
            &fit(&p.title, w as f64, 12.0 * theme.scale),
            p.alarm,
            theme,
        )?;
        if n == 0 {
            continue;
        }
        // The grid of images: as many across as keeps each image at least 18 CSS pixels.
        let label_h = theme.px(14.0);
        let gap = theme.px(3.0);
        let avail_h = h as i32 - title_h;
        let mut across = n;
        let mut size = 0;
        for a in 1..=n {
            let rows = n.div_ceil(a) as i32;
            let s = ((w as i32 - gap * (a as i32 - 1)) / a as i32)
                .min((avail_h - rows * (label_h + gap)) / rows);
            if s > size {
                (size, across) = (s, a);
            }
        }
        if size < 4 {
            continue;
        }
        let px = (size as f64 / SIDE as f64).max(1.0);
        for i in 0..n {
            let (col, row) = ((i % across) as i32, (i / across) as i32);
            let x = col * (size + gap);
            let y = title_h + row * (size + label_h + gap);
            for (k, &v) in images.pixels[i * 64..(i + 1) * 64].iter().enumerate() {
                let (r, c) = ((k / SIDE) as f64, (k % SIDE) as f64);
                let ink = theme.text.mix(0.06 + 0.94 * v.clamp(0.0, 1.0));
                inner
                    .draw(&Rectangle::new(
                        [
                            (x + (c * px) as i32, y + (r * px) as i32),
                            (x + ((c + 1.0) * px) as i32, y + ((r + 1.0) * px) as i32),
                        ],
                        ink.filled(),
                    ))
                    .map_err(err)?;
            }
            let guess = p.predictions.get(i).copied().unwrap_or(-1.0);
            let right = guess >= 0.0 && guess == images.labels[i];
            let (text, color) = if right {
                (format!("{guess}"), theme.text)
            } else if guess >= 0.0 {
                (format!("{guess} ✗"), theme.overflow)
            } else {
                ("? ✗".to_string(), theme.overflow)
            };
            inner
                .draw_text(
                    &text,
                    &theme
                        .font_in(11.0, color)
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                    (x + size / 2, y + size + theme.px(1.0)),
                )
                .map_err(err)?;
        }
    }
    Ok(())
}
