//! The hiking analogy: a loss landscape shaped like a sine wave that trends downward, one walker
//! starting on a hilltop and one deep in a cave.

use super::{err, ChartResult, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The landscape: a wave around a downward trend, so the lowest point is far to the right.
pub fn landscape(x: f64) -> f64 {
    3.2 - 0.22 * x + 0.55 * (1.9 * x + 0.4).sin()
}

/// The x of the hilltop the good start stands on, and of the hill the cave is dug into.
const HILLTOP: f64 = 0.62;
const CAVE_HILL: f64 = 4.0;

/// Draws the landscape, the cave, both walkers and the goal.
pub fn draw_hiking<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
) -> ChartResult {
    area.fill(&theme.background).map_err(err)?;
    let (x0, x1) = (0.0, 10.0);
    let mut c = ChartBuilder::on(area)
        .margin(theme.px(8.0))
        .x_label_area_size(theme.px(24.0))
        .y_label_area_size(theme.px(28.0))
        .build_cartesian_2d(x0..x1, 0.0..4.6)
        .map_err(err)?;
    c.configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc("weights (where training starts and moves)")
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
        AreaSeries::new(ground.iter().copied(), 0.0, earth.mix(0.25))
            .border_style(earth.stroke_width(theme.px(2.5) as u32)),
    )
    .map_err(err)?;

    // The cave: a pocket hollowed out under the hill at CAVE_HILL, well below its surface.
    let (cx, cy, rx, ry) = (CAVE_HILL, landscape(CAVE_HILL) - 1.15, 0.75, 0.42);
    let pocket: Vec<(f64, f64)> = (0..=64)
        .map(|k| {
            let t = std::f64::consts::TAU * k as f64 / 64.0;
            (cx + rx * t.cos(), cy + ry * t.sin())
        })
        .collect();
    c.draw_series(std::iter::once(Polygon::new(
        pocket.clone(),
        theme.background.filled(),
    )))
    .map_err(err)?;
    c.draw_series(std::iter::once(PathElement::new(
        pocket,
        theme.text.stroke_width(theme.px(1.5) as u32),
    )))
    .map_err(err)?;

    let good = (HILLTOP, landscape(HILLTOP));
    let bad = (cx, cy - ry);
    walker(&mut c, good, theme.color(0), theme)?;
    walker(&mut c, bad, theme.color(5), theme)?;

    // The goal: the lowest point of the landscape.
    let goal = ground
        .iter()
        .copied()
        .fold((0.0, f64::INFINITY), |a, p| if p.1 < a.1 { p } else { a });
    c.draw_series(std::iter::once(Circle::new(
        goal,
        theme.px(6.0) as u32,
        theme.color(1).filled(),
    )))
    .map_err(err)?;

    let (c0, c5, c1) = (theme.color(0), theme.color(5), theme.color(1));
    let font =
        |color: &RGBColor, h: HPos| theme.font_in(13.0, *color).pos(Pos::new(h, VPos::Bottom));
    c.draw_series([
        Text::new(
            "good start: on a hilltop, downhill from here".to_string(),
            (good.0 - 0.1, good.1 + 0.55),
            font(&c0, HPos::Left),
        ),
        Text::new(
            "bad start: deep in a cave,".to_string(),
            (cx, cy - ry - 0.12),
            font(&c5, HPos::Center).pos(Pos::new(HPos::Center, VPos::Top)),
        ),
        Text::new(
            "must climb out first".to_string(),
            (cx, cy - ry - 0.42),
            font(&c5, HPos::Center).pos(Pos::new(HPos::Center, VPos::Top)),
        ),
        Text::new(
            "lowest loss".to_string(),
            (goal.0, goal.1 - 0.35),
            font(&c1, HPos::Right),
        ),
    ])
    .map_err(err)?;
    Ok(())
}

/// A stick figure standing at `feet`.
fn walker<DB: DrawingBackend>(
    c: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
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
