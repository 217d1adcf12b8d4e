//! Every figure, drawn at the sizes the page gives it (desktop and phone, 1× and 3× pixel ratio)
//! with the data it really shows, keeps each piece of text clear of every other and inside the
//! canvas.
//!
//! Text boxes come from the SVG the chart writes: position, anchor, rotation and font size are
//! exact; the width of a string is [`text_width`], the same generous model the charts use to
//! make room for text (a DejaVu-like sans-serif, wider than the fonts phones use).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use plotters::prelude::*;
use weight_init::charts::{spec, text_width, Theme};
use weight_init::core::value::{map, Value};

/// A text's box in device pixels: left, top, right, bottom; and its text.
#[derive(Debug, Clone)]
struct TextBox {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let rest = &tag[tag.find(&key)? + key.len()..];
    Some(rest[..rest.find('"')?].to_string())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every non-empty `<text>` of an SVG written by plotters, as the box it covers on a canvas.
fn text_boxes(svg: &str) -> Vec<TextBox> {
    let mut out = Vec::new();
    for part in svg.split("<text").skip(1) {
        let Some(end) = part.find('>') else { continue };
        let tag = &part[..end];
        let body = &part[end + 1..part.find("</text>").unwrap_or(part.len())];
        let text = unescape(body.trim());
        if text.is_empty() {
            continue;
        }
        let num = |n: &str| attr(tag, n).and_then(|v| v.parse::<f64>().ok());
        let (x, y) = (num("x").unwrap(), num("y").unwrap());
        // plotters' SVG backend writes its font size divided by 1.24; the canvas uses it as is.
        let size = num("font-size").unwrap() * 1.24;
        let w = text_width(&text, size);
        let h = size;
        let (l, r) = match attr(tag, "text-anchor").as_deref() {
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            Some("end") => (x - w, x),
            _ => (x, x + w),
        };
        let (t, b) = match attr(tag, "dy").as_deref() {
            Some("0.76em") => (y, y + h),
            Some("-0.5ex") => (y - h, y),
            _ => (y - h / 2.0, y + h / 2.0),
        };
        // Rotation by ±90° about (x, y): the box turns with it.
        let turn = attr(tag, "transform").map(|t| {
            if t.starts_with("rotate(270") {
                -1.0
            } else {
                1.0
            }
        });
        let (x0, y0, x1, y1) = match turn {
            None => (l, t, r, b),
            // (dx, dy) → (dy, −dx) for 270°, (−dy, dx) for 90°.
            Some(s) => {
                let xs = [t - y, b - y].map(|d| x + s * -d);
                let ys = [l - x, r - x].map(|d| y + s * d);
                (
                    xs[0].min(xs[1]),
                    ys[0].min(ys[1]),
                    xs[0].max(xs[1]),
                    ys[0].max(ys[1]),
                )
            }
        };
        out.push(TextBox {
            text,
            x0,
            y0,
            x1,
            y1,
        });
    }
    out
}

/// Draws into an SVG of `w × h` CSS pixels at pixel ratio `scale` and checks its text; returns
/// the problems found, each naming the figure and the texts.
fn check(
    name: &str,
    (w, h): (f64, f64),
    scale: f64,
    draw: &dyn Fn(&DrawingArea<SVGBackend, plotters::coord::Shift>, &Theme),
) -> Vec<String> {
    let size = ((w * scale).round() as u32, (h * scale).round() as u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw(&root, &Theme::new(false, scale));
        root.present().unwrap();
    }
    let boxes = text_boxes(&svg);
    assert!(!boxes.is_empty(), "{name}: no text at all");
    let mut problems = Vec::new();
    let slack = scale;
    let at = format!("{name} at {w}×{h} ×{scale}");
    for b in &boxes {
        if b.x0 < -slack
            || b.y0 < -slack
            || b.x1 > size.0 as f64 + slack
            || b.y1 > size.1 as f64 + slack
        {
            problems.push(format!("{at}: '{}' leaves the canvas ({b:?})", b.text));
        }
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let dx = a.x1.min(b.x1) - a.x0.max(b.x0);
            let dy = a.y1.min(b.y1) - a.y0.max(b.y0);
            if dx > slack && dy > slack {
                problems.push(format!("{at}: '{}' overlaps '{}'", a.text, b.text));
            }
        }
    }
    problems
}

/// The page's canvas sizes in CSS pixels: a desktop figure (16:10 and the wide 2:1), a phone
/// (4:3 and the wide 3:2), each at 1× and 3×.
const NORMAL: [(f64, f64); 2] = [(900.0, 562.0), (340.0, 255.0)];
const WIDE: [(f64, f64); 2] = [(900.0, 450.0), (340.0, 227.0)];

fn check_all(
    name: &str,
    sizes: &[(f64, f64)],
    draw: &dyn Fn(&DrawingArea<SVGBackend, plotters::coord::Shift>, &Theme),
) -> Vec<String> {
    let mut problems = Vec::new();
    for &s in sizes {
        for scale in [1.0, 3.0] {
            problems.extend(check(name, s, scale, draw));
        }
    }
    problems
}

fn numbers(v: impl IntoIterator<Item = f64>) -> Value {
    Value::Numbers(v.into_iter().collect())
}

fn series(label: &str, color: f64, dashed: bool, values: Value) -> Value {
    map([
        ("label", label.into()),
        ("color", color.into()),
        ("dashed", Value::Bool(dashed)),
        ("markers", Value::Bool(!dashed)),
        ("values", values),
    ])
}

/// A line chart the figures' specs do not cover: the training figure's, whose numbers come from
/// runs that train over time.
#[test]
fn line_charts_keep_their_text_apart_and_inside() {
    // A linear axis with long tick labels (the fraction chart's cousin).
    let specs = [(
        "linear axis",
        map([
            ("xLabel", "training step".into()),
            ("yLabel", "accuracy".into()),
            ("yMin", 0.0.into()),
            ("yMax", 0.0316.into()),
            ("xStart", 0.0.into()),
            ("xStep", 50.0.into()),
            (
                "series",
                Value::List(vec![series(
                    "too small (σ = 0.01): 50 %",
                    0.0,
                    false,
                    numbers((0..61).map(|i| 0.01 + 0.0002 * i as f64)),
                )]),
            ),
        ]),
    )];
    let mut problems = Vec::new();
    for (name, spec) in &specs {
        let chart = spec::lines(spec).unwrap();
        problems.extend(check_all(name, &NORMAL, &|a, t| {
            weight_init::charts::lines::draw_lines(a, &chart, t).unwrap();
        }));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The charts the figures' specs do not cover: the hiking picture (no data), the Xavier figure's
/// weights (every sampled weight, too many for the specs' file) and the training figure's
/// boundaries and digits (from runs that train over time).
#[test]
fn small_multiples_keep_their_text_apart_and_inside() {
    use weight_init::charts::{boundary, hiking, weights};
    let mut problems = Vec::new();
    problems.extend(check_all("hiking", &WIDE, &|a, t| {
        hiking::draw_hiking(a, t).unwrap()
    }));
    let n = 100;
    let layer = |scheme: &str| common::square_layer_weights(scheme, n);
    let samples = vec![
        weights::WeightSample {
            label: "Xavier normal".into(),
            color: 0,
            values: layer("xavier-normal"),
            density: weights::normal_density,
            param: 0.1,
        },
        weights::WeightSample {
            label: "Xavier uniform".into(),
            color: 1,
            values: layer("xavier-uniform"),
            density: weights::uniform_density,
            param: 0.3f64.sqrt() / 10f64.sqrt(),
        },
    ];
    problems.extend(check_all("weights", &NORMAL, &|a, t| {
        weights::draw_weights(a, &samples, 40, t).unwrap()
    }));
    let res = 20;
    let panels: Vec<boundary::BoundaryPanel> = [
        "zeros: 50 %",
        "σ = 0.01: 50 %",
        "He: 100 %",
        "Xavier: 97 %",
        "σ = 1: diverged",
    ]
    .iter()
    .map(|title| boundary::BoundaryPanel {
        title: title.to_string(),
        probs: vec![0.5; res * res],
        res,
        points: vec![0.1, 0.2, 1.0],
        alarm: title.contains("diverged"),
    })
    .collect();
    // The page draws five across on a desktop and three on a phone.
    for (size, columns) in [((900.0, 225.0), 5), ((340.0, 261.0), 3)] {
        problems.extend(check_all("boundaries", &[size], &|a, t| {
            boundary::draw_boundaries(a, &panels, columns, t).unwrap()
        }));
    }
    // The digits in the same canvas: twelve test images per network, every answer wrong (the
    // widest label, "7 ✗"), except a run with no answers ("? ✗").
    let images = weight_init::charts::digits::Images {
        pixels: (0..12 * 64).map(|k| (k % 17) as f64 / 16.0).collect(),
        labels: vec![1.0; 12],
    };
    let digit_panels: Vec<weight_init::charts::digits::DigitPanel> = [
        "zeros: 9 % on the test set",
        "σ = 0.01: 9 %",
        "He: 91 %",
        "Xavier: 85 %",
        "σ = 1: diverged",
    ]
    .iter()
    .map(|title| weight_init::charts::digits::DigitPanel {
        title: title.to_string(),
        predictions: vec![
            if title.contains("diverged") {
                -1.0
            } else {
                7.0
            };
            12
        ],
        alarm: title.contains("diverged"),
    })
    .collect();
    for (size, columns) in [((900.0, 225.0), 5), ((340.0, 261.0), 3)] {
        problems.extend(check_all("digits", &[size], &|a, t| {
            weight_init::charts::digits::draw_digits(a, &digit_panels, &images, columns, t).unwrap()
        }));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself: two labels drawn on top of each other, and one past the edge, are found.
#[test]
fn the_checker_sees_overlap_and_overflow() {
    let problems = check("probe", (200.0, 100.0), 1.0, &|a, t| {
        let font = t.font(12.0);
        a.draw_text("first label", &font, (10, 10)).unwrap();
        a.draw_text("second label", &font, (20, 12)).unwrap();
        a.draw_text("far right", &font, (190, 50)).unwrap();
    });
    assert!(
        problems.iter().any(|p| p.contains("overlaps")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("'far right' leaves")),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
}

/// A spec from the page's specs file: JSON, with NaN and ±Infinity written as strings.
fn value_of(j: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match j {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Number(n.as_f64().unwrap()),
        J::String(s) => match s.as_str() {
            "NaN" => Value::Number(f64::NAN),
            "Infinity" => Value::Number(f64::INFINITY),
            "-Infinity" => Value::Number(f64::NEG_INFINITY),
            _ => Value::Text(s.clone()),
        },
        J::Array(items) => {
            let items: Vec<Value> = items.iter().map(value_of).collect();
            if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Number(_))) {
                Value::Numbers(
                    items
                        .iter()
                        .map(|v| match v {
                            Value::Number(x) => *x,
                            _ => unreachable!(),
                        })
                        .collect(),
                )
            } else {
                Value::List(items)
            }
        }
        J::Object(fields) => Value::Map(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), value_of(v)))
                .collect(),
        ),
    }
}

/// Every chart of the figures as the page specifies it: each figure's own module computes and
/// draws it at its defaults, its presets and its sliders' ends, on a desktop and on a phone at
/// the stylesheet's canvas sizes (`tests/wasm/specs.test.mjs` writes the file and fails when it
/// is stale).
#[test]
fn the_pages_charts_keep_their_text_apart_and_inside() {
    use weight_init::charts::{grid, histograms, lines, phase};
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/page-specs.json"
    );
    let text = std::fs::read_to_string(path).expect("tests/fixtures/page-specs.json");
    let entries: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert!(entries.len() > 100, "{} charts", entries.len());
    let mut problems = Vec::new();
    for e in &entries {
        let name = e["name"].as_str().unwrap();
        let size = (e["width"].as_f64().unwrap(), e["height"].as_f64().unwrap());
        let spec = value_of(&e["spec"]);
        let drawn = match e["kind"].as_str().unwrap() {
            "lines" => {
                let chart = spec::lines(&spec).unwrap();
                check_all(name, &[size], &|a, t| {
                    lines::draw_lines(a, &chart, t).unwrap();
                })
            }
            "linePanels" => {
                let chart = spec::line_panels(&spec).unwrap();
                check_all(name, &[size], &|a, t| {
                    lines::draw_line_panels(a, &chart, t).unwrap();
                })
            }
            "histograms" => {
                let (panels, columns, color) = spec::histograms(&spec).unwrap();
                check_all(name, &[size], &|a, t| {
                    histograms::draw_histograms(a, &panels, columns, color, t).unwrap();
                })
            }
            "grids" => {
                let grids = spec::grids(&spec).unwrap();
                check_all(name, &[size], &|a, t| {
                    grid::draw_grids(a, &grids, t).unwrap();
                })
            }
            "phase" => {
                let p = spec::phase(&spec).unwrap();
                check_all(name, &[size], &|a, t| {
                    phase::draw_phase(a, &p, t).unwrap();
                })
            }
            other => panic!("{name}: a chart of kind {other}, which this test does not draw"),
        };
        problems.extend(drawn);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
