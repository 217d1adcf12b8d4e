//! The hiking analogy as a real function graph: loss over one weight, with a broad flat plateau
//! high up on the left, a valley, and a steep slope on the right. Two walkers who can only follow
//! the slope (gradient descent) take the same number of steps: the one on the slope reaches the
//! valley, the one on the plateau barely moves.

use super::lines::Ticked;
use super::{err, with_legend, ChartResult, LegendEntry, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The loss: a plateau at 3.5 that drops off a cliff around x = 4.3, and a bowl whose lowest
/// point is near x = 7 (switched on smoothly around x = 4.5, so the plateau stays flat).
pub fn landscape(x: f64) -> f64 {
    0.5 + 3.0 * logistic(-3.0 * (x - 4.3)) + 0.35 * (x - 7.0).powi(2) * logistic(3.0 * (x - 4.5))
}

/// The slope of [`landscape`].
pub fn slope(x: f64) -> f64 {
    let cliff = logistic(-3.0 * (x - 4.3));
    let gate = logistic(3.0 * (x - 4.5));
    -3.0 * 3.0 * cliff * (1.0 - cliff)
        + 0.7 * (x - 7.0) * gate
        + 0.35 * (x - 7.0).powi(2) * 3.0 * gate * (1.0 - gate)
}

fn logistic(t: f64) -> f64 {
    1.0 / (1.0 + (-t).exp())
}

/// Where the plateau walker and the slope walker start.
pub const PLATEAU_START: f64 = 1.0;
/// The slope walker's start: about as high as the plateau, but on ground that tilts.
pub const SLOPE_START: f64 = 9.5;
/// Gradient-descent step size and step count for both walkers.
pub const RATE: f64 = 0.3;
/// How many steps each walker takes.
pub const STEPS: usize = 12;

/// The positions of a walker doing gradient descent from `x`: the start, then one per step.
pub fn walk(mut x: f64) -> Vec<f64> {
    let mut xs = vec![x];
    for _ in 0..STEPS {
        x -= RATE * slope(x);
        xs.push(x);
    }
    xs
}

/// Draws the landscape, both walkers with their footprints, and the lowest point.
pub fn draw_hiking<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
) -> ChartResult {
    area.fill(&theme.background).map_err(err)?;
    let (bad, good, goal_color) = (theme.color(5), theme.color(0), theme.color(1));
    let entry = |label, color| LegendEntry {
        label,
        color,
        dashed: false,
        markers: true,
        note: false,
    };
    let plot = with_legend(
        area,
        &[
            entry("bad start: a flat plateau, no slope to follow", bad),
            entry("good start: the slope points the way down", good),
            entry("lowest loss", goal_color),
        ],
        theme,
    )?;
    let (x0, x1) = (0.0, 10.0);
    let mut c = ChartBuilder::on(&plot)
        .margin(theme.px(8.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(24.0))
        .build_cartesian_2d(x0..x1, Ticked::new(0.0, 4.3, Vec::new()))
        .map_err(err)?;
    c.configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc("a weight")
        .y_desc("loss")
        .axis_desc_style(theme.font(13.0))
        .axis_style(theme.text.stroke_width(theme.px(1.0) as u32))
        .draw()
        .map_err(err)?;
    let steps = 400;
    let ground: Vec<(f64, f64)> = (0..=steps)
        .map(|k| x0 + (x1 - x0) * k as f64 / steps as f64)
        .map(|x| (x, landscape(x)))
        .collect();
    let earth = theme.color(2);
    c.draw_series(
        AreaSeries::new(ground.iter().copied(), 0.0, earth.mix(0.2))
            .border_style(earth.stroke_width(theme.px(2.5) as u32)),
    )
    .map_err(err)?;

    // Footprints: where each walker stands after every step.
    for (start, color) in [(PLATEAU_START, bad), (SLOPE_START, good)] {
        let path = walk(start);
        c.draw_series(path.iter().skip(1).map(|&x| {
            Circle::new(
                (x, landscape(x)),
                theme.px(3.0) as u32,
                color.mix(0.8).filled(),
            )
        }))
        .map_err(err)?;
        walker(&mut c, (start, landscape(start)), color, theme)?;
    }

    let goal = ground
        .iter()
        .copied()
        .fold((0.0, f64::INFINITY), |a, p| if p.1 < a.1 { p } else { a });
    c.draw_series(std::iter::once(Circle::new(
        goal,
        theme.px(6.0) as u32,
        goal_color.filled(),
    )))
    .map_err(err)?;
    Ok(())
}

/// A stick figure standing at `feet`.
fn walker<DB: DrawingBackend>(
    c: &mut ChartContext<DB, Cartesian2d<plotters::coord::types::RangedCoordf64, Ticked>>,
    feet: (f64, f64),
    color: RGBColor,
    theme: &Theme,
) -> ChartResult {
    let (x, y) = feet;
    let style = color.stroke_width(theme.px(2.5) as u32);
    let h = 0.42;
    c.draw_series([
        PathElement::new(vec![(x - 0.07, y), (x, y + h * 0.4), (x + 0.07, y)], style),
        PathElement::new(vec![(x, y + h * 0.4), (x, y + h * 0.8)], style),
        PathElement::new(
            vec![(x - 0.09, y + h * 0.65), (x + 0.09, y + h * 0.65)],
            style,
        ),
    ])
    .map_err(err)?;
    c.draw_series(std::iter::once(Circle::new(
        (x, y + h * 0.92),
        theme.px(4.0) as u32,
        color.filled(),
    )))
    .map_err(err)?;
    Ok(())
}
