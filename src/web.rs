//! The page's drawing functions: each takes a canvas's size in pixels, the page's text measure, a
//! spec and a theme (as tapes, see `www/simulator.js`), checks the spec against its schema
//! ([`crate::charts::spec`]) and draws one of the charts in [`crate::charts`] with plotters on a
//! [`Picture`], whose tape `simulator.js` paints on the canvas. No canvas ever reaches this
//! module. A malformed spec is an `Error` naming the field; nothing here panics.

use crate::bindings::read;
use crate::charts::boundary::draw_boundaries;
use crate::charts::digits::draw_digits;
use crate::charts::grid::draw_grids;
use crate::charts::hiking::draw_hiking;
use crate::charts::histograms::draw_histograms;
use crate::charts::lines::{draw_line_panels, draw_lines, PlotArea};
use crate::charts::phase::draw_phase;
use crate::charts::picture::Picture;
use crate::charts::spec;
use crate::charts::text::{TextRule, Texted};
use crate::charts::weights::draw_weights;
use crate::charts::{Region, Theme};
use crate::core::value::Value;
use plotters::prelude::*;
use plotters_backend::BackendTextStyle;
use wasm_bindgen::prelude::*;

/// Text measured by the page: `measure(font, text)` is simulator.js's own function (it measures on
/// a canvas of its own and never throws); any failure reads as width 0.
struct Measured<'a>(&'a js_sys::Function);

impl TextRule for Measured<'_> {
    fn measure<S: BackendTextStyle>(&self, text: &str, s: &S) -> (u32, u32) {
        let font = format!(
            "{} {}px {}",
            s.style().as_str(),
            s.size(),
            s.family().as_str()
        );
        let width = self
            .0
            .call2(
                &JsValue::NULL,
                &JsValue::from_str(&font),
                &JsValue::from_str(text),
            )
            .ok()
            .and_then(|w| w.as_f64())
            .filter(|w| w.is_finite())
            .unwrap_or(0.0);
        (
            width.ceil().clamp(0.0, 1e6) as u32,
            s.size().ceil().max(0.0) as u32,
        )
    }
}

/// A picture (see [`crate::charts::picture`]) with text sized by the page.
type Canvas<'a> = Texted<Picture, Measured<'a>>;

/// The largest canvas side drawn on, in pixels (browsers allow no larger).
const MAX_SIDE: u32 = 32_767;

/// Draws with `draw` on a `width × height` picture; returns `[k, what draw returned (k
/// numbers)…, the picture tape…]`, or `[0]` when the canvas is too small to hold a chart (hidden,
/// collapsed).
fn paint(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    draw: impl FnOnce(&DrawingArea<Canvas<'_>, plotters::coord::Shift>) -> Result<Vec<f64>, JsError>,
) -> Result<Vec<f64>, JsError> {
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(JsError::new(&format!(
            "canvas must be at most {MAX_SIDE} pixels wide and high (got {width} × {height})"
        )));
    }
    if width < 40 || height < 40 {
        return Ok(vec![0.0]);
    }
    let picture = Picture::new(width, height);
    let tape = picture.tape();
    let area = Texted {
        inner: picture,
        rule: Measured(measure),
    }
    .into_drawing_area();
    let head = draw(&area)?;
    drop(area);
    let ops = tape.take();
    let mut out = Vec::with_capacity(1 + head.len() + ops.len());
    out.push(head.len() as f64);
    out.extend(head);
    out.extend(ops);
    Ok(out)
}

fn fail(e: impl ToString) -> JsError {
    JsError::new(&e.to_string())
}

fn spec_of(tape: &[f64]) -> Result<Value, JsError> {
    read(tape, Value::Other("undefined".into()))
}

fn theme(tape: &[f64]) -> Result<Theme, JsError> {
    let v = read(tape, Value::Null)?;
    spec::theme(match &v {
        Value::Null => None,
        v => Some(v),
    })
    .map_err(fail)
}

/// Draws lines over layers (spec: `LinesSpec`); returns where the plot landed (see `PlotArea`),
/// empty when the canvas has no size.
#[wasm_bindgen(js_name = drawLinesTape)]
pub fn draw_lines_tape(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let chart = spec::lines(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    paint(width, height, measure, |area| {
        Ok(draw_lines(area, &chart, &theme).map_err(fail)?.to_vec())
    })
}

/// Draws line charts as small multiples (spec: `LinePanelsSpec`); returns where each panel's
/// plot landed, nine numbers each (see `PlotArea`), empty when the canvas has no size.
#[wasm_bindgen(js_name = drawLinePanelsTape)]
pub fn draw_line_panels_tape(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let panels = spec::line_panels(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    paint(width, height, measure, |area| {
        let areas = draw_line_panels(area, &panels, &theme).map_err(fail)?;
        Ok(areas.into_iter().flat_map(PlotArea::to_vec).collect())
    })
}

/// Draws histograms as small multiples (spec: `HistogramsSpec`); returns where each panel's bars
/// span, four numbers each (see `Region`), empty when the canvas has no size.
#[wasm_bindgen(js_name = drawHistogramsTape)]
pub fn draw_histograms_tape(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let (panels, columns, color) = spec::histograms(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    paint(width, height, measure, |area| {
        let regions = draw_histograms(area, &panels, columns, color, &theme).map_err(fail)?;
        Ok(Region::flatten(&regions))
    })
}

/// Draws sampled weights with their densities (spec: `WeightsSpec`).
#[wasm_bindgen(js_name = drawWeightsTape)]
pub fn draw_weights_tape(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let (samples, bins) = spec::weights(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    paint(width, height, measure, |area| {
        draw_weights(area, &samples, bins, &theme).map_err(fail)?;
        Ok(Vec::new())
    })
}

/// Draws the hiking analogy.
#[wasm_bindgen(js_name = drawHikingTape)]
pub fn draw_hiking_tape(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let theme = theme(theme_tape)?;
    paint(width, height, measure, |area| {
        draw_hiking(area, &theme).map_err(fail)?;
        Ok(Vec::new())
    })
}

/// Draws neurons × layers grids (spec: `GridsSpec`); returns where each grid's cells lie, four
/// numbers each (see `Region`), empty when the canvas has no size.
#[wasm_bindgen(js_name = drawGridsTape)]
pub fn draw_grids_tape(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let grids = spec::grids(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    paint(width, height, measure, |area| {
        let regions = draw_grids(area, &grids, &theme).map_err(fail)?;
        Ok(Region::flatten(&regions))
    })
}

/// Draws test digits with each network's answers (spec: `DigitsSpec`).
#[wasm_bindgen(js_name = drawDigitsTape)]
pub fn draw_digits_tape(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let (panels, images, columns) = spec::digits(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    paint(width, height, measure, |area| {
        draw_digits(area, &panels, &images, columns, &theme).map_err(fail)?;
        Ok(Vec::new())
    })
}

/// Draws the phase diagram (spec: `PhaseSpec`); returns `[left, right, top, bottom, sw2Max,
/// sb2Max]`, empty when the canvas has no size.
#[wasm_bindgen(js_name = drawPhaseTape)]
pub fn draw_phase_tape(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let phase = spec::phase(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    paint(width, height, measure, |area| {
        let a = draw_phase(area, &phase, &theme).map_err(fail)?;
        Ok(vec![a.left, a.right, a.top, a.bottom, a.sw2_max, a.sb2_max])
    })
}

/// Draws decision boundaries (spec: `BoundariesSpec`).
#[wasm_bindgen(js_name = drawBoundariesTape)]
pub fn draw_boundaries_tape(
    width: u32,
    height: u32,
    measure: &js_sys::Function,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let (panels, columns) = spec::boundaries(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    paint(width, height, measure, |area| {
        draw_boundaries(area, &panels, columns, &theme).map_err(fail)?;
        Ok(Vec::new())
    })
}
