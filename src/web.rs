//! The page's drawing functions: each takes a `<canvas>`, a plain-object spec and a theme, and draws
//! one of the charts in [`crate::charts`] with plotters on the canvas.
//!
//! Specs are read defensively (a missing or odd field takes a default, a long array is cut), and
//! every failure becomes a thrown `Error`; nothing here panics.

use crate::charts::boundary::{draw_boundaries, BoundaryPanel};
use crate::charts::grid::{draw_grids, Grid};
use crate::charts::hiking::draw_hiking;
use crate::charts::histograms::{draw_histograms, Panel};
use crate::charts::lines::{draw_lines, Dash, LineChart, Series, YScale};
use crate::charts::weights::{draw_weights, normal_density, uniform_density, WeightSample};
use crate::charts::Theme;
use js_sys::{Array, Float64Array, Reflect};
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The most numbers read from one array of a spec.
const MAX_VALUES: u32 = 1 << 20;

/// plotters' canvas backend, but measuring text with the canvas itself: plotters' default
/// measures through a DOM element, which forces a page layout for every label.
struct Canvas {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
}

impl DrawingBackend for Canvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        p: BackendCoord,
        c: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, s)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        v: I,
        s: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(v, s)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        s: &S,
        p: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_text(text, s, p)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        s: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.context.set_font(&format!(
            "{} {}px {}",
            s.style().as_str(),
            s.size(),
            s.family().as_str()
        ));
        let width = self
            .context
            .measure_text(text)
            .map(|m| m.width())
            .unwrap_or(0.0);
        Ok((
            width.ceil().max(0.0) as u32,
            s.size().ceil().max(0.0) as u32,
        ))
    }
}

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
    Ok(Some(Canvas { inner, context }))
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn num(obj: &JsValue, key: &str, default: f64) -> f64 {
    get(obj, key).as_f64().unwrap_or(default)
}

fn text(obj: &JsValue, key: &str) -> String {
    get(obj, key)
        .as_string()
        .map(|s| s.chars().take(200).collect())
        .unwrap_or_default()
}

fn flag(obj: &JsValue, key: &str) -> bool {
    get(obj, key).as_bool().unwrap_or(false)
}

fn index(obj: &JsValue, key: &str) -> usize {
    let v = num(obj, key, 0.0);
    if v.is_finite() && v >= 0.0 {
        (v as usize).min(64)
    } else {
        0
    }
}

/// Numbers from an array or typed array (non-numbers read as NaN), at most [`MAX_VALUES`].
fn numbers(v: &JsValue) -> Vec<f64> {
    if !(Array::is_array(v) || js_sys::ArrayBuffer::is_view(v)) {
        return Vec::new();
    }
    let all = Float64Array::new(v);
    all.subarray(0, all.length().min(MAX_VALUES)).to_vec()
}

fn items(v: &JsValue) -> Vec<JsValue> {
    if Array::is_array(v) {
        let a: &Array = v.unchecked_ref();
        a.iter().take(256).collect()
    } else {
        Vec::new()
    }
}

fn theme(t: &JsValue) -> Theme {
    Theme::new(flag(t, "dark"), num(t, "scale", 1.0))
}

fn fail(e: String) -> JsError {
    JsError::new(&e)
}

/// Draws lines over layers. `spec`: `{ xLabel, yLabel, log, yMin, yMax, xStart, series: [{ label,
/// color, dashed, markers, values }] }`; `theme`: `{ dark, scale }`.
#[wasm_bindgen(js_name = drawLines)]
pub fn draw_lines_js(
    canvas: &HtmlCanvasElement,
    spec: &JsValue,
    theme_spec: &JsValue,
) -> Result<(), JsError> {
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    let chart = LineChart {
        x_label: text(spec, "xLabel"),
        y_label: text(spec, "yLabel"),
        y: if flag(spec, "log") {
            YScale::Log
        } else {
            YScale::Linear {
                min: num(spec, "yMin", 0.0),
                max: num(spec, "yMax", 1.0),
            }
        },
        x_start: num(spec, "xStart", 1.0),
        x_step: num(spec, "xStep", 1.0),
        series: items(&get(spec, "series"))
            .iter()
            .map(|s| Series {
                label: text(s, "label"),
                color: index(s, "color"),
                dash: if flag(s, "dashed") {
                    Dash::Dashed
                } else {
                    Dash::Solid
                },
                markers: flag(s, "markers"),
                values: numbers(&get(s, "values")),
            })
            .collect(),
    };
    draw_lines(&backend.into_drawing_area(), &chart, &theme(theme_spec)).map_err(fail)
}

/// Draws histograms as small multiples. `spec`: `{ columns, color, panels: [{ title, lo, hi,
/// counts, nonFinite }] }`.
#[wasm_bindgen(js_name = drawHistograms)]
pub fn draw_histograms_js(
    canvas: &HtmlCanvasElement,
    spec: &JsValue,
    theme_spec: &JsValue,
) -> Result<(), JsError> {
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    let panels: Vec<Panel> = items(&get(spec, "panels"))
        .iter()
        .map(|p| Panel {
            title: text(p, "title"),
            lo: num(p, "lo", 0.0),
            hi: num(p, "hi", 1.0),
            counts: numbers(&get(p, "counts")),
            non_finite: num(p, "nonFinite", 0.0),
        })
        .collect();
    let columns = num(spec, "columns", 3.0).clamp(1.0, 12.0) as usize;
    draw_histograms(
        &backend.into_drawing_area(),
        &panels,
        columns,
        index(spec, "color"),
        &theme(theme_spec),
    )
    .map_err(fail)
}

/// Draws sampled weights with their densities. `spec`: `{ bins, samples: [{ label, color, values,
/// kind: "normal" | "uniform", param }] }` — `param` is σ for a normal, the half-width for a uniform.
#[wasm_bindgen(js_name = drawWeights)]
pub fn draw_weights_js(
    canvas: &HtmlCanvasElement,
    spec: &JsValue,
    theme_spec: &JsValue,
) -> Result<(), JsError> {
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    let samples: Vec<WeightSample> = items(&get(spec, "samples"))
        .iter()
        .map(|s| WeightSample {
            label: text(s, "label"),
            color: index(s, "color"),
            values: numbers(&get(s, "values")),
            density: if text(s, "kind") == "uniform" {
                uniform_density
            } else {
                normal_density
            },
            param: num(s, "param", 1.0),
        })
        .collect();
    let bins = num(spec, "bins", 40.0).clamp(1.0, 400.0) as usize;
    draw_weights(
        &backend.into_drawing_area(),
        &samples,
        bins,
        &theme(theme_spec),
    )
    .map_err(fail)
}

/// Draws the hiking analogy.
#[wasm_bindgen(js_name = drawHiking)]
pub fn draw_hiking_js(canvas: &HtmlCanvasElement, theme_spec: &JsValue) -> Result<(), JsError> {
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    draw_hiking(&backend.into_drawing_area(), &theme(theme_spec)).map_err(fail)
}

/// Draws neurons × layers grids. `spec`: `{ grids: [{ title, values: number[][] }] }`.
#[wasm_bindgen(js_name = drawGrids)]
pub fn draw_grids_js(
    canvas: &HtmlCanvasElement,
    spec: &JsValue,
    theme_spec: &JsValue,
) -> Result<(), JsError> {
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    let grids: Vec<Grid> = items(&get(spec, "grids"))
        .iter()
        .map(|g| Grid {
            title: text(g, "title"),
            values: items(&get(g, "values")).iter().map(numbers).collect(),
        })
        .collect();
    draw_grids(&backend.into_drawing_area(), &grids, &theme(theme_spec)).map_err(fail)
}

/// Draws decision boundaries. `spec`: `{ columns, panels: [{ title, res, probs, points, alarm }] }`.
#[wasm_bindgen(js_name = drawBoundaries)]
pub fn draw_boundaries_js(
    canvas: &HtmlCanvasElement,
    spec: &JsValue,
    theme_spec: &JsValue,
) -> Result<(), JsError> {
    let Some(backend) = open(canvas)? else {
        return Ok(());
    };
    let panels: Vec<BoundaryPanel> = items(&get(spec, "panels"))
        .iter()
        .map(|p| BoundaryPanel {
            title: text(p, "title"),
            probs: numbers(&get(p, "probs")),
            res: num(p, "res", 20.0).clamp(1.0, 200.0) as usize,
            points: numbers(&get(p, "points")),
            alarm: flag(p, "alarm"),
        })
        .collect();
    let columns = num(spec, "columns", 5.0).clamp(1.0, 12.0) as usize;
    draw_boundaries(
        &backend.into_drawing_area(),
        &panels,
        columns,
        &theme(theme_spec),
    )
    .map_err(fail)
}
