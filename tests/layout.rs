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
use weight_init::simulate_value;

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

fn sim(pairs: &[(&str, Value)]) -> weight_init::Simulation {
    let fields = pairs.iter().map(|(k, v)| (k.to_string(), v.clone()));
    simulate_value(&Value::Map(fields.collect())).unwrap()
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

/// The explorer's variance chart for one setting, as the page builds its spec.
fn explorer_lines(scheme: &str, activation: &str, sigma: f64, layers: f64, width: f64) -> Value {
    let r = sim(&[
        ("scheme", scheme.into()),
        ("activation", activation.into()),
        ("sigma", sigma.into()),
        ("layers", layers.into()),
        ("width", width.into()),
        (
            "input",
            map([("samples", 32.0.into()), ("features", width.into())]),
        ),
    ]);
    let theory = r.theory.clone().unwrap_or_default();
    map([
        ("xLabel", "layer".into()),
        ("yLabel", "variance".into()),
        ("log", Value::Bool(true)),
        (
            "series",
            Value::List(vec![
                series(
                    "Var(Z) measured",
                    0.0,
                    false,
                    numbers(r.layers.iter().map(|l| l.pre_variance)),
                ),
                series(
                    "Var(H) measured",
                    1.0,
                    false,
                    numbers(r.layers.iter().map(|l| l.post_variance)),
                ),
                series(
                    "Var(Z) theory",
                    0.0,
                    true,
                    numbers(theory.iter().map(|t| t.pre_variance)),
                ),
                series(
                    "Var(H) theory",
                    1.0,
                    true,
                    numbers(theory.iter().map(|t| t.post_variance)),
                ),
            ]),
        ),
    ])
}

#[test]
fn line_charts_keep_their_text_apart_and_inside() {
    let mut specs = vec![
        (
            "explorer, normal σ = 0.1",
            explorer_lines("normal", "relu", 0.1, 20.0, 64.0),
        ),
        (
            "explorer, normal σ = 10, depth 100",
            explorer_lines("normal", "relu", 10.0, 100.0, 512.0),
        ),
        (
            "explorer, tanh σ = 1",
            explorer_lines("normal", "tanh", 1.0, 20.0, 64.0),
        ),
        (
            "explorer, He, depth 1",
            explorer_lines("he-normal", "relu", 1.0, 1.0, 1.0),
        ),
        (
            "explorer, zeros",
            explorer_lines("zeros", "relu", 1.0, 20.0, 64.0),
        ),
        (
            "explorer, sigmoid σ = 1e-5",
            explorer_lines("normal", "sigmoid", 1e-5, 100.0, 512.0),
        ),
    ];
    // A linear axis with long tick labels (the fraction chart's cousin).
    specs.push((
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
    ));
    let mut problems = Vec::new();
    for (name, spec) in &specs {
        let chart = spec::lines(spec).unwrap();
        problems.extend(check_all(name, &NORMAL, &|a, t| {
            weight_init::charts::lines::draw_lines(a, &chart, t).unwrap();
        }));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A ratio as the experiment's panel titles give it: 5e−10, 0.05, 1.25.
fn compact(v: f64) -> String {
    if v < 1e-3 {
        let e = v.log10().floor();
        format!("{}e−{}", (v / 10f64.powf(e)).round(), -e)
    } else {
        weight_init::charts::short(v)
    }
}

/// The experiment figure: six panels of Var(Z) and Var(H), measured and expected, three across on
/// a desktop and two across on a phone.
#[test]
fn line_panels_keep_their_text_apart_and_inside() {
    let mut panels = Vec::new();
    for (sigma, name) in [
        (1e-5, "10⁻⁵"),
        (1e-3, "10⁻³"),
        (1e-2, "10⁻²"),
        (0.1, "0.1"),
        (0.5, "0.5"),
        (1.0, "1 (added)"),
    ] {
        let r = sim(&[("sigma", sigma.into())]);
        let t = r.theory.unwrap();
        let ratio = t[1].pre_variance / t[0].pre_variance;
        let mut list = Vec::new();
        for (key, color) in [("Var(Z)", 0.0), ("Var(H)", 1.0)] {
            let pre = key == "Var(Z)";
            let measured = r
                .layers
                .iter()
                .map(|l| if pre { l.pre_variance } else { l.post_variance });
            let expected = t
                .iter()
                .map(|l| if pre { l.pre_variance } else { l.post_variance });
            list.push(series(
                &format!("{key}, this draw"),
                color,
                false,
                numbers(measured),
            ));
            list.push(series(
                &format!("{key}, expected"),
                color,
                true,
                numbers(expected),
            ));
        }
        panels.push(map([
            (
                "title",
                format!("σ = {name}\n×{} per layer", compact(ratio))
                    .as_str()
                    .into(),
            ),
            ("series", Value::List(list)),
        ]));
    }
    let mut problems = Vec::new();
    for (size, columns) in [((900.0, 600.0), 3.0), ((340.0, 567.0), 2.0)] {
        let spec = map([
            ("xLabel", "layer".into()),
            ("yLabel", "Var(Z) and Var(H)".into()),
            ("log", Value::Bool(true)),
            ("columns", columns.into()),
            ("panels", Value::List(panels.clone())),
        ]);
        let chart = spec::line_panels(&spec).unwrap();
        problems.extend(check_all("experiment", &[size], &|a, t| {
            weight_init::charts::lines::draw_line_panels(a, &chart, t).unwrap();
        }));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn small_multiples_keep_their_text_apart_and_inside() {
    use weight_init::charts::{boundary, grid, hiking, histograms, weights};
    let mut problems = Vec::new();
    problems.extend(check_all("hiking", &WIDE, &|a, t| {
        hiking::draw_hiking(a, t).unwrap()
    }));
    let trace = |scheme: &str| {
        sim(&[
            ("scheme", scheme.into()),
            ("sigma", 0.3.into()),
            ("trace", Value::Bool(true)),
        ])
        .trace
        .unwrap()
    };
    let grids = vec![
        grid::Grid {
            title: "every weight 0.3".into(),
            values: trace("constant"),
        },
        grid::Grid {
            title: "random N(0, 0.3²)".into(),
            values: trace("normal"),
        },
    ];
    problems.extend(check_all("symmetry", &NORMAL, &|a, t| {
        grid::draw_grids(a, &grids, t).unwrap();
    }));
    let r = sim(&[
        ("layers", 20.0.into()),
        ("width", 64.0.into()),
        ("sigma", 1e-3.into()),
        ("bins", 30.0.into()),
    ]);
    let panels: Vec<histograms::Panel> = [1, 5, 10, 15, 20]
        .iter()
        .map(|&k| {
            let h = &r.layers[k - 1].histogram;
            histograms::Panel {
                title: format!("layer {k}"),
                lo: h.lo,
                hi: h.hi,
                counts: h.counts.iter().map(|&c| c as f64).collect(),
                non_finite: h.non_finite as f64,
            }
        })
        .collect();
    for columns in [2, 3] {
        problems.extend(check_all("histograms", &NORMAL, &|a, t| {
            histograms::draw_histograms(a, &panels, columns, 0, t).unwrap();
        }));
    }
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

#[test]
fn the_phase_diagram_keeps_its_text_apart_and_inside() {
    use weight_init::charts::phase::{draw_phase, Phase, PhaseLine};
    use weight_init::core::config::Activation;
    use weight_init::core::meanfield::{critical_line, phase_grid};
    let qs: Vec<f64> = (0..60).map(|k| 0.01 * 1.08f64.powi(k)).collect();
    let line: Vec<f64> = critical_line(Activation::Tanh, &qs)
        .into_iter()
        .filter(|p| p.1 <= 0.5)
        .flat_map(|(w, b)| [w, b])
        .collect();
    let p = Phase {
        sw2_max: 4.0,
        sb2_max: 0.5,
        columns: 32,
        rows: 20,
        chi: phase_grid(Activation::Tanh, (0.0, 4.0), (0.0, 0.5), 32, 20),
        lines: vec![
            PhaseLine {
                label: "tanh: edge of chaos, χ₁ = 1".into(),
                points: line,
                dashed: false,
            },
            PhaseLine {
                label: "ReLU: σ_w² = 2 (He)".into(),
                points: vec![2.0, 0.0, 2.0, 0.5],
                dashed: true,
            },
        ],
        point: Some((1.5, 0.05)),
    };
    let problems = check_all("phase", &NORMAL, &|a, t| {
        draw_phase(a, &p, t).unwrap();
    });
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
