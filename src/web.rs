//! The page's drawing functions: each takes a `<canvas>`, a spec and a theme (as tapes, see
//! `src/simulator.js`), checks the spec against its schema ([`crate::charts::spec`]) and draws one
//! of the charts in [`crate::charts`] with plotters on the canvas. A malformed spec is an `Error`
//! naming the field; nothing here panics.

use crate::bindings::read;
use crate::charts::boundary::draw_boundaries;
use crate::charts::digits::draw_digits;
use crate::charts::grid::draw_grids;
use crate::charts::hiking::draw_hiking;
use crate::charts::histograms::draw_histograms;
use crate::charts::lines::{draw_line_panels, draw_lines, PlotArea};
use crate::charts::phase::draw_phase;
use crate::charts::spec;
use crate::charts::text::{TextRule, Texted};
use crate::charts::weights::draw_weights;
use crate::charts::{Region, Theme};
use crate::core::value::Value;
use plotters::prelude::*;
use plotters_backend::BackendTextStyle;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Text measured with the canvas itself: plotters' canvas backend measures it through a DOM
/// element, which forces a page layout for every label.
struct CanvasText(CanvasRenderingContext2d);

impl TextRule for CanvasText {
    fn measure<S: BackendTextStyle>(&self, text: &str, s: &S) -> (u32, u32) {
        self.0.set_font(&format!(
            "{} {}px {}",
            s.style().as_str(),
            s.size(),
            s.family().as_str()
        ));
        let width = self.0.measure_text(text).map(|m| m.width()).unwrap_or(0.0);
        (
            width.ceil().max(0.0) as u32,
            s.size().ceil().max(0.0) as u32,
        )
    }
}

/// plotters' canvas backend, measuring text with the canvas.
type Canvas = Texted<CanvasBackend, CanvasText>;

/// Opens `canvas` for drawing, or `None` when it is too small to hold a chart (hidden, collapsed).
fn open(canvas: &HtmlCanvasElement) -> Result<Option<Canvas>, JsError> {
    if canvas.width() < 40 || canvas.height() < 40 {
        return Ok(None);
    }
    let context = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        .ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
    let inner = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| JsError::new("the canvas cannot be drawn on"))?;
    Ok(Some(Texted {
        inner,
        rule: CanvasText(context),
    }))
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
    canvas: &HtmlCanvasElement,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let chart = spec::lines(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    let Some(backend) = open(canvas)? else {
        return Ok(Vec::new());
    };
    let area = draw_lines(&backend.into_drawing_area(), &chart, &theme).map_err(fail)?;
    Ok(area.to_vec())
}

/// Draws line charts as small multiples (spec: `LinePanelsSpec`); returns where each panel's
/// plot landed, six numbers each (see `PlotArea`), empty when the canvas has no size.
#[wasm_bindgen(js_name = drawLinePanelsTape)]
pub fn draw_line_panels_tape(
    canvas: &HtmlCanvasElement,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let panels = spec::line_panels(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    let Some(backend) = open(canvas)? else {
        return Ok(Vec::new());
    };
    let areas = draw_line_panels(&backend.into_drawing_area(), &panels, &theme).map_err(fail)?;
    Ok(areas.into_iter().flat_map(PlotArea::to_vec).collect())
}

/// Draws histograms as small multiples (spec: `HistogramsSpec`); returns where each panel's bars
/// span, four numbers each (see `Region`), empty when the canvas has no size.
#[wasm_bindgen(js_name = drawHistogramsTape)]
pub fn draw_histograms_tape(
    canvas: &HtmlCanvasElement,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let (panels, columns, color) = spec::histograms(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    let Some(backend) = open(canvas)? else {
        return Ok(Vec::new());
    };
    let regions = draw_histograms(
        &backend.into_drawing_area(),
        &panels,
        columns,
        color,
        &theme,
    )
    .map_err(fail)?;
    Ok(Region::flatten(&regions))
}

/// Draws sampled weights with their densities (spec: `WeightsSpec`).
#[wasm_bindgen(js_name = drawWeightsTape)]
pub fn draw_weights_tape(
    canvas: &HtmlCanvasElement,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<(), JsError> {
    let (samples, bins) = spec::weights(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    draw_weights(&backend.into_drawing_area(), &samples, bins, &theme).map_err(fail)
}

/// Draws the hiking analogy.
#[wasm_bindgen(js_name = drawHikingTape)]
pub fn draw_hiking_tape(canvas: &HtmlCanvasElement, theme_tape: &[f64]) -> Result<(), JsError> {
    let theme = theme(theme_tape)?;
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    draw_hiking(&backend.into_drawing_area(), &theme).map_err(fail)
}

/// Draws neurons × layers grids (spec: `GridsSpec`); returns where each grid's cells lie, four
/// numbers each (see `Region`), empty when the canvas has no size.
#[wasm_bindgen(js_name = drawGridsTape)]
pub fn draw_grids_tape(
    canvas: &HtmlCanvasElement,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let grids = spec::grids(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    let Some(backend) = open(canvas)? else {
        return Ok(Vec::new());
    };
    let regions = draw_grids(&backend.into_drawing_area(), &grids, &theme).map_err(fail)?;
    Ok(Region::flatten(&regions))
}

/// Draws test digits with each network's answers (spec: `DigitsSpec`).
#[wasm_bindgen(js_name = drawDigitsTape)]
pub fn draw_digits_tape(
    canvas: &HtmlCanvasElement,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<(), JsError> {
    let (panels, images, columns) = spec::digits(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    draw_digits(
        &backend.into_drawing_area(),
        &panels,
        &images,
        columns,
        &theme,
    )
    .map_err(fail)
}

/// Draws the phase diagram (spec: `PhaseSpec`); returns `[left, right, top, bottom, sw2Max,
/// sb2Max]`, empty when the canvas has no size.
#[wasm_bindgen(js_name = drawPhaseTape)]
pub fn draw_phase_tape(
    canvas: &HtmlCanvasElement,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<Vec<f64>, JsError> {
    let phase = spec::phase(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    let Some(backend) = open(canvas)? else {
        return Ok(Vec::new());
    };
    let a = draw_phase(&backend.into_drawing_area(), &phase, &theme).map_err(fail)?;
    Ok(vec![a.left, a.right, a.top, a.bottom, a.sw2_max, a.sb2_max])
}

/// Draws decision boundaries (spec: `BoundariesSpec`).
#[wasm_bindgen(js_name = drawBoundariesTape)]
pub fn draw_boundaries_tape(
    canvas: &HtmlCanvasElement,
    spec: &[f64],
    theme_tape: &[f64],
) -> Result<(), JsError> {
    let (panels, columns) = spec::boundaries(&spec_of(spec)?).map_err(fail)?;
    let theme = theme(theme_tape)?;
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    draw_boundaries(&backend.into_drawing_area(), &panels, columns, &theme).map_err(fail)
}
