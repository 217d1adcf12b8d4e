//! Each chart function draws to SVG natively; the SVG is checked for what a reader would see.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use plotters::prelude::*;
use weight_init::charts::grid::{draw_grids, Grid};
use weight_init::charts::hiking::{draw_hiking, landscape};
use weight_init::charts::histograms::{draw_histograms, Panel};
use weight_init::charts::lines::decade_label;
use weight_init::charts::lines::{draw_lines, Dash, LineChart, PlotArea, Series, YScale};
use weight_init::charts::weights::{draw_weights, normal_density, uniform_density, WeightSample};
use weight_init::charts::{short, Theme};
use weight_init::{map, simulate_value};

fn svg(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>),
) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root);
        root.present().unwrap();
    }
    out
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

fn article_chart() -> LineChart {
    let mut series = Vec::new();
    for (k, sigma) in [1e-5, 1e-3, 1e-2, 1e-1, 0.5].into_iter().enumerate() {
        let r = simulate_value(&map([("sigma", sigma.into())])).unwrap();
        series.push(Series {
            label: format!("σ = {sigma}"),
            color: k,
            dash: Dash::Solid,
            markers: true,
            width: 0.0,
            values: r.layers.iter().map(|l| l.pre_variance).collect(),
            ghost: false,
        });
        series.push(Series {
            label: String::new(),
            color: k,
            dash: Dash::Dashed,
            markers: false,
            width: 0.0,
            values: r.theory.unwrap().iter().map(|t| t.pre_variance).collect(),
            ghost: false,
        });
    }
    LineChart {
        x_label: "layer".into(),
        y_label: "Var(Z)".into(),
        y: YScale::Log,
        x_start: 1.0,
        x_step: 1.0,
        series,
    }
}

#[test]
fn the_article_figure_spans_seventy_decades_with_readable_labels() {
    let s = svg((800, 500), |a| {
        draw_lines(a, &article_chart(), &Theme::new(false, 1.0)).unwrap();
    });
    // Legend: the five σ and no entry for the unlabelled theory lines.
    for label in ["σ = 0.00001", "σ = 0.001", "σ = 0.01", "σ = 0.1", "σ = 0.5"] {
        assert_eq!(count(&s, label), 1, "legend entry {label}");
    }
    // Powers-of-ten labels reaching down to the σ = 1e-5 curve (~1e-74), none of them mangled.
    assert!(
        s.contains("\n10⁻⁷⁰\n") || s.contains("\n10⁻⁶⁰\n"),
        "deep decade label missing"
    );
    assert!(
        !s.contains("000000"),
        "a tick label printed as a long digit string"
    );
    // Five measured lines with 8 markers each, five dashed theory lines made of many segments.
    assert!(
        count(&s, "<circle") >= 40,
        "markers: {}",
        count(&s, "<circle")
    );
    assert!(count(&s, "<polyline") >= 5 + 5 * 10);
    assert!(!s.contains("overflow"));
}

/// The overflow band's rectangles (the overflow colour at opacity 0.15) as (x, y, width, height).
fn overflow_rects(svg: &str, theme: &Theme) -> Vec<(f64, f64, f64, f64)> {
    let colour = format!(
        "#{:02X}{:02X}{:02X}",
        theme.overflow.0, theme.overflow.1, theme.overflow.2
    );
    svg.split("<rect")
        .skip(1)
        .filter(|r| r[..r.find('>').unwrap()].to_uppercase().contains(&colour))
        .map(|r| {
            let attr = |name: &str| -> f64 {
                let at = r.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                r[at..at + r[at..].find('"').unwrap()].parse().unwrap()
            };
            (attr("x"), attr("y"), attr("width"), attr("height"))
        })
        .collect()
}

#[test]
fn the_overflow_band_does_not_cover_a_line_still_drawn() {
    // One line overflows from layer 4; another stays finite to the end: the band over layers 4–10
    // is a strip along the top, not the plot's height, so the finite line is not covered.
    let theme = Theme::new(false, 1.0);
    let line = |label: &str, color: usize, values: Vec<f64>| Series {
        label: label.into(),
        color,
        dash: Dash::Solid,
        markers: false,
        width: 0.0,
        values,
        ghost: false,
    };
    let mut bad = vec![1.0, 10.0, 100.0];
    bad.extend([f64::INFINITY; 7]);
    let chart = LineChart {
        x_label: "layer".into(),
        y_label: "Var(Z)".into(),
        y: YScale::Log,
        x_start: 1.0,
        x_step: 1.0,
        series: vec![
            line("overflows", 0, bad.clone()),
            line("finite", 1, vec![1.0; 10]),
        ],
    };
    let s = svg((600, 400), |a| {
        draw_lines(a, &chart, &theme).unwrap();
    });
    let rects = overflow_rects(&s, &theme);
    assert_eq!(rects.len(), 1, "{rects:?}");
    assert!(rects[0].3 < 40.0, "a strip along the top: {rects:?}");
    assert_eq!(count(&s, "overflow: ∞ or NaN"), 1);
    // Once no line is left, the band fills the plot's height from there.
    let mut other = vec![1.0; 6];
    other.extend([f64::NAN; 4]);
    let chart = LineChart {
        series: vec![line("overflows", 0, bad), line("ends", 1, other)],
        ..chart
    };
    let s = svg((600, 400), |a| {
        draw_lines(a, &chart, &theme).unwrap();
    });
    let rects = overflow_rects(&s, &theme);
    assert_eq!(rects.len(), 2, "{rects:?}");
    assert!(
        rects[0].3 < 40.0 && rects[1].3 > 200.0,
        "strip, then full: {rects:?}"
    );
    assert!(
        (rects[0].0 + rects[0].2 - rects[1].0).abs() < 1.5,
        "the full band starts where the strip ends: {rects:?}"
    );
    assert_eq!(count(&s, "overflow: ∞ or NaN"), 1);
    // An overflow at the start (a gradient that grew on its way back to layer 1) shades only the
    // layers where it is, not everything after it.
    let mut early = vec![f64::INFINITY; 3];
    early.extend([1e10, 1e8, 1e6, 1e4, 1e2, 1.0, 0.1]);
    let chart = LineChart {
        series: vec![line("gradient", 2, early)],
        ..chart
    };
    let s = svg((600, 400), |a| {
        draw_lines(a, &chart, &theme).unwrap();
    });
    let rects = overflow_rects(&s, &theme);
    assert_eq!(rects.len(), 1, "{rects:?}");
    assert!(
        rects[0].3 > 200.0,
        "no line is drawn there: the full height"
    );
    assert!(rects[0].2 < 0.4 * 600.0, "three layers of ten: {rects:?}");
}

/// A line chart says where its plot landed, so a page can tell which layer the pointer is over.
#[test]
fn a_line_chart_reports_its_plot_area() {
    let mut area = None;
    svg((800, 500), |a| {
        area = Some(draw_lines(a, &article_chart(), &Theme::new(false, 1.0)).unwrap());
    });
    let p = area.unwrap();
    assert!(
        p.left > 40.0 && p.right < 800.0 && p.left < p.right,
        "{p:?}"
    );
    assert!(
        p.top > 20.0 && p.bottom < 500.0 && p.top < p.bottom,
        "{p:?}"
    );
    // Layers 1 to 8, each given half a step of room on either side.
    assert_eq!((p.x_min, p.x_max), (0.5, 8.5));
}

/// An SVG colour as plotters writes it: `#RRGGBB`.
fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The points of every polyline stroked in `colour`, in the drawing's pixels.
fn polylines(svg: &str, colour: &str) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polyline")
        .skip(1)
        .map(|p| &p[..p.find("/>").unwrap()])
        .filter(|p| p.contains(&format!("stroke=\"{colour}\"")))
        .map(|p| {
            let at = p.find("points=\"").unwrap() + 8;
            p[at..at + p[at..].find('"').unwrap()]
                .split_whitespace()
                .map(|xy| {
                    let (x, y) = xy.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

/// The pixel a point maps to by the plot area's numbers, as a page maps it.
fn pixel(p: &PlotArea, x: f64, y: f64) -> (f64, f64) {
    let y = if p.y_log { y.log10() } else { y };
    (
        p.left + (x - p.x_min) / (p.x_max - p.x_min) * (p.right - p.left),
        p.bottom - (y - p.y_lo) / (p.y_hi - p.y_lo) * (p.bottom - p.top),
    )
}

/// A ghost series stretches the axes and draws nothing; the plot area's y range maps values to
/// pixels exactly as the chart drew them, the range's ends onto the plot's edges.
#[test]
fn a_ghost_widens_the_axes_and_the_plot_area_maps_values_to_pixels() {
    let theme = Theme::new(false, 1.0);
    let (seen, ghost) = (hex(theme.color(0)), hex(theme.color(5)));
    let line = |color: usize, values: Vec<f64>, ghost: bool| Series {
        label: String::new(),
        color,
        dash: Dash::Solid,
        markers: true,
        width: 0.0,
        values,
        ghost,
    };
    let chart = LineChart {
        x_label: "layer".into(),
        y_label: "Var(Z)".into(),
        y: YScale::Log,
        x_start: 1.0,
        x_step: 1.0,
        series: vec![
            line(0, vec![1e-2, 1.0, 10.0], false),
            line(5, vec![1e-8, 1e3, f64::NAN, 1.0], true),
        ],
    };
    let draw = |chart: &LineChart| {
        let mut area = None;
        let s = svg((600, 400), |a| {
            area = Some(draw_lines(a, chart, &theme).unwrap())
        });
        (s, area.unwrap())
    };
    let (s, p) = draw(&chart);
    // The ghost's decades and its length make the axes; it leaves no pixel of its colour, no
    // marker, no overflow band.
    assert!(p.y_log && p.y_lo <= -8.0 && p.y_hi >= 3.0, "{p:?}");
    assert_eq!((p.y_lo, p.y_hi), (-8.0, 3.0));
    assert_eq!((p.x_min, p.x_max), (0.5, 4.5));
    assert!(
        !s.to_uppercase().contains(&ghost),
        "the ghost drew something"
    );
    assert_eq!(count(&s, "<circle"), 3, "the seen line's markers only");
    assert!(!s.contains("overflow") && overflow_rects(&s, &theme).is_empty());
    // Labelled, it still has no legend entry: the plot lands where it did.
    let mut labelled = chart.clone();
    labelled.series[1].label = "your guess".into();
    let (s, q) = draw(&labelled);
    assert!(!s.contains("your guess"));
    assert_eq!(q, p);
    let numbers = p.to_vec();
    assert_eq!(numbers.len(), 9);
    assert_eq!(numbers[6..], [1.0, -8.0, 3.0]);
    // The seen line's points are where the plot area's numbers put them (plotters rounds down).
    let runs = polylines(&s, &seen);
    assert_eq!(runs.len(), 1, "{runs:?}");
    for (&(px, py), (x, v)) in runs[0].iter().zip([(1.0, 1e-2), (2.0, 1.0), (3.0, 10.0)]) {
        let (ex, ey) = pixel(&p, x, v);
        assert!(
            (px - ex).abs() < 1.0 && (py - ey).abs() < 1.0,
            "{x}, {v}: ({px}, {py}) vs ({ex}, {ey})"
        );
    }
    // The same values drawn: the same axes, and 10⁻⁸ and 10³ drawn on the plot's bottom and top
    // edges exactly.
    let mut shown = chart.clone();
    shown.series[1].ghost = false;
    let (s, r) = draw(&shown);
    assert_eq!(r, p);
    let runs = polylines(&s, &ghost);
    assert_eq!(runs[0].len(), 2, "{runs:?}");
    assert_eq!((runs[0][0].1, runs[0][1].1), (p.bottom, p.top));
    assert!((runs[0][0].0 - pixel(&p, 1.0, 1.0).0).abs() < 1.0);
    // A linear axis: yMin on the bottom edge, yMax on the top, x_min and x_max on the left and
    // right edges; a ghost leaves the range as given.
    let linear = LineChart {
        y: YScale::Linear {
            min: -1.0,
            max: 3.0,
        },
        x_start: 0.0,
        x_step: 2.0,
        series: vec![
            line(0, vec![-1.0, 3.0, 1.0], false),
            line(5, vec![1e3, -1e3], true),
        ],
        ..chart
    };
    let (s, p) = draw(&linear);
    assert!(!p.y_log && (p.y_lo, p.y_hi) == (-1.0, 3.0), "{p:?}");
    assert_eq!(p.to_vec()[6], 0.0);
    assert!(
        !s.to_uppercase().contains(&ghost),
        "the ghost drew something"
    );
    let runs = polylines(&s, &seen);
    assert_eq!(runs.len(), 1, "{runs:?}");
    let ys: Vec<f64> = runs[0].iter().map(|q| q.1).collect();
    assert_eq!((ys[0], ys[1]), (p.bottom, p.top));
    assert!((ys[2] - pixel(&p, 4.0, 1.0).1).abs() < 1.0, "{ys:?} {p:?}");
    let xs: Vec<f64> = runs[0].iter().map(|q| q.0).collect();
    for (px, x) in xs.iter().zip([0.0, 2.0, 4.0]) {
        assert!((px - pixel(&p, x, 0.0).0).abs() < 1.0, "{xs:?} {p:?}");
    }
}

#[test]
fn overflow_is_drawn_as_a_band_not_a_crash() {
    let r = simulate_value(&map([("sigma", 1e6.into()), ("layers", 60.0.into())])).unwrap();
    let chart = LineChart {
        x_label: "layer".into(),
        y_label: "Var(Z)".into(),
        y: YScale::Log,
        x_start: 1.0,
        x_step: 1.0,
        series: vec![Series {
            label: "σ = 1e6".into(),
            color: 0,
            dash: Dash::Solid,
            markers: false,
            width: 0.0,
            values: r.layers.iter().map(|l| l.pre_variance).collect(),
            ghost: false,
        }],
    };
    let s = svg((600, 400), |a| {
        draw_lines(a, &chart, &Theme::new(false, 1.0)).unwrap();
    });
    assert!(s.contains("overflow: ∞ or NaN"));
    // A series that is all NaN, all zero, or empty still draws its axes.
    for values in [vec![f64::NAN; 5], vec![0.0; 5], vec![]] {
        let chart = LineChart {
            series: vec![Series {
                values,
                ..chart.series[0].clone()
            }],
            ..chart.clone()
        };
        let s = svg((300, 200), |a| {
            draw_lines(a, &chart, &Theme::new(true, 2.0)).unwrap();
        });
        assert!(s.contains("layer"));
    }
}

#[test]
fn dark_theme_and_scale_change_the_drawing() {
    let light = svg((400, 300), |a| {
        draw_lines(a, &article_chart(), &Theme::new(false, 1.0)).unwrap();
    });
    let dark = svg((400, 300), |a| {
        draw_lines(a, &article_chart(), &Theme::new(true, 1.0)).unwrap();
    });
    assert!(
        light.contains("#FFFFFF") && dark.contains("#16181D"),
        "backgrounds"
    );
    let sharp = svg((800, 600), |a| {
        draw_lines(a, &article_chart(), &Theme::new(false, 2.0)).unwrap();
    });
    // 12 CSS px labels become 24 device pixels at devicePixelRatio 2 (the SVG backend writes
    // plotters' sizes divided by 1.24; the canvas backend uses them as they are).
    assert!(light.contains(&format!("font-size=\"{}\"", 12.0 / 1.24)));
    assert!(
        sharp.contains(&format!("font-size=\"{}\"", 24.0 / 1.24)),
        "fonts scale with devicePixelRatio"
    );
}

#[test]
fn histograms_draw_one_bar_per_nonempty_bin_per_panel() {
    let panels = vec![
        Panel {
            title: "layer 1".into(),
            lo: 0.0,
            hi: 1.0,
            counts: vec![1.0, 0.0, 3.0, 2.0],
            non_finite: 0.0,
        },
        Panel {
            title: "layer 8".into(),
            lo: -2.0,
            hi: 2.0,
            counts: vec![5.0, 5.0],
            non_finite: 3.0,
        },
    ];
    let mut regions = Vec::new();
    let s = svg((600, 300), |a| {
        regions = draw_histograms(a, &panels, 2, 0, &Theme::new(false, 1.0)).unwrap();
    });
    assert!(s.contains("layer 1") && s.contains("layer 8"));
    assert_eq!(count(&s, "<rect") - 1, 3 + 2, "bars (plus the background)");
    assert!(s.contains("3 overflowed"));
    // Where each panel's bars span, for the read-out under the pointer: side by side, and every
    // bar inside its panel's region, the first bin at its left edge and the last at its right.
    assert_eq!(regions.len(), 2);
    assert!(regions[0].right < regions[1].left, "{regions:?}");
    let bars = rects(&s);
    let inside = |r: &weight_init::charts::Region, b: &[f64; 4]| {
        b[0] >= r.left
            && b[0] + b[2] <= r.right + 1.0
            && b[1] >= r.top
            && b[1] + b[3] <= r.bottom + 1.0
    };
    assert!(
        bars[1..4].iter().all(|b| inside(&regions[0], b)),
        "{bars:?} {regions:?}"
    );
    assert!(
        bars[4..6].iter().all(|b| inside(&regions[1], b)),
        "{bars:?} {regions:?}"
    );
    assert_eq!(
        bars[1][0], regions[0].left,
        "the first bin starts at the left edge"
    );
    assert!(
        (bars[5][0] + bars[5][2] - regions[1].right).abs() <= 1.0,
        "the last bin ends at the right edge"
    );
}

/// Every `<rect>` of an SVG as x, y, width, height.
fn rects(s: &str) -> Vec<[f64; 4]> {
    s.split("<rect")
        .skip(1)
        .map(|r| {
            let attr = |name: &str| -> f64 {
                r.split(&format!(" {name}=\""))
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0.0)
            };
            [attr("x"), attr("y"), attr("width"), attr("height")]
        })
        .collect()
}

#[test]
fn xavier_weights_match_their_densities() {
    let n = 100;
    let sample = |scheme: &str| common::square_layer_weights(scheme, n);
    let normal = sample("xavier-normal");
    let uniform = sample("xavier-uniform");
    let var = 2.0 / (2 * n) as f64;
    // The sampled variances are the target 2/(n_in + n_out) within 3 % (10,000 weights).
    for w in [&normal, &uniform] {
        let (_, v) = weight_init::core::stats::mean_variance(w);
        assert!((v / var - 1.0).abs() < 0.03, "{v} vs {var}");
    }
    let a = (3.0 * var).sqrt();
    assert!(
        uniform.iter().all(|w| w.abs() <= a),
        "uniform stays within ±√(6/(n_in+n_out))"
    );
    assert!(
        normal.iter().any(|w| w.abs() > a),
        "the normal has tails beyond it"
    );
    let samples = vec![
        WeightSample {
            label: "Xavier normal".into(),
            color: 0,
            values: normal,
            density: normal_density,
            param: var.sqrt(),
        },
        WeightSample {
            label: "Xavier uniform".into(),
            color: 1,
            values: uniform,
            density: uniform_density,
            param: a,
        },
    ];
    let s = svg((600, 400), |ar| {
        draw_weights(ar, &samples, 40, &Theme::new(false, 1.0)).unwrap()
    });
    assert!(s.contains("Xavier normal") && s.contains("Xavier uniform") && s.contains("density"));
    assert!(count(&s, "<rect") > 60, "two histograms of 40 bins");
}

/// The hiking figure is a function graph whose bad start is really bad for a walker that can only
/// follow the slope: from the plateau, gradient descent barely moves; from the slope, as high up,
/// the same number of steps reaches the valley.
#[test]
fn hiking_figure_shows_a_plateau_that_stalls_gradient_descent() {
    use weight_init::charts::hiking::{slope, walk, PLATEAU_START, SLOPE_START};
    let s = svg((800, 400), |a| {
        draw_hiking(a, &Theme::new(false, 1.0)).unwrap()
    });
    assert!(s.contains("bad start") && s.contains("good start") && s.contains("lowest loss"));
    // The slope is the derivative of the landscape.
    for k in 0..=100 {
        let x = k as f64 / 10.0;
        let numeric = (landscape(x + 1e-6) - landscape(x - 1e-6)) / 2e-6;
        assert!((slope(x) - numeric).abs() < 1e-6, "slope at {x}");
    }
    // A broad plateau: its slope below 0.01 over the first fifth.
    assert!((0..=20).all(|k| slope(k as f64 / 10.0).abs() < 0.01));
    let lowest = (0..=1000)
        .map(|k| k as f64 / 100.0)
        .min_by(|a, b| landscape(*a).total_cmp(&landscape(*b)))
        .unwrap();
    // Both starts are high up: the bad start is not bad for being higher.
    assert!(landscape(SLOPE_START) > 0.7 * landscape(PLATEAU_START));
    let good = walk(SLOPE_START);
    let bad = walk(PLATEAU_START);
    let (good_end, bad_end) = (*good.last().unwrap(), *bad.last().unwrap());
    assert!(
        (good_end - lowest).abs() < 0.3,
        "the slope walker reaches the valley: {good_end} vs {lowest}"
    );
    assert!(landscape(good_end) < 0.2 * landscape(SLOPE_START));
    assert!(
        (bad_end - PLATEAU_START).abs() < 0.05,
        "the plateau walker stays: {bad_end}"
    );
    assert!(landscape(bad_end) > 0.99 * landscape(PLATEAU_START));
    // Both walkers, each step drawn as a footprint.
    assert!(count(&s, "<circle") >= 2 * good.len());
}

#[test]
fn symmetry_grid_shows_identical_neurons_as_identical_cells() {
    let run = |scheme: &str| {
        simulate_value(&map([
            ("scheme", scheme.into()),
            ("sigma", 0.3.into()),
            ("trace", Value::Bool(true)),
        ]))
        .unwrap()
        .trace
        .unwrap()
    };
    use weight_init::Value;
    let grids = vec![
        Grid {
            title: "constant".into(),
            values: run("constant"),
        },
        Grid {
            title: "random".into(),
            values: run("normal"),
        },
    ];
    let mut regions = Vec::new();
    let s = svg((800, 400), |a| {
        regions = draw_grids(a, &grids, &Theme::new(false, 1.0)).unwrap();
    });
    // Where each grid's cells lie: the first cell at the top left corner of its region, the last
    // at the bottom right.
    assert_eq!(regions.len(), 2);
    let cells = rects(&s);
    for (g, r) in regions.iter().enumerate() {
        let (first, last) = (cells[1 + 80 * g], cells[1 + 80 * g + 79]);
        assert_eq!((first[0], first[1]), (r.left, r.top), "grid {g}: {r:?}");
        assert!(
            (last[0] + last[2] + 1.0 - r.right).abs() <= 1.0
                && (last[1] + last[3] + 1.0 - r.bottom).abs() <= 1.0,
            "grid {g}: {last:?} {r:?}"
        );
    }
    // Rectangles of the constant grid: within each row, one fill colour.
    // Each cell's colour and opacity, in drawing order (after the page and panel backgrounds).
    let fills: Vec<String> = s
        .split("<rect")
        .skip(2)
        .map(|r| {
            let attr = |name: &str| {
                r.split(&format!(" {name}=\""))
                    .nth(1)
                    .unwrap_or("")
                    .split('"')
                    .next()
                    .unwrap_or("")
                    .to_string()
            };
            format!("{} {}", attr("fill"), attr("opacity"))
        })
        .collect();
    let (constant, random) = fills.split_at(80);
    for row in constant.chunks(10) {
        assert!(
            row.iter().all(|f| *f == row[0]),
            "a constant-weight layer shows different neurons"
        );
    }
    assert!(
        random
            .chunks(10)
            .all(|row| row.iter().any(|f| *f != row[0])),
        "random layers differ"
    );
}

#[test]
fn tick_formats_are_readable() {
    // Every tick of a log axis is a power of ten written the same way.
    assert_eq!(decade_label(-5), "10⁻⁵");
    assert_eq!(decade_label(0), "10⁰");
    assert_eq!(decade_label(1), "10¹");
    assert_eq!(decade_label(-150), "10⁻¹⁵⁰");
    assert_eq!(short(0.2), "0.2");
    assert_eq!(short(12.375), "12.4");
    assert_eq!(short(3.9e-74), "3.90e−74");
    assert_eq!(short(f64::INFINITY), "∞");
}

#[test]
fn decision_boundaries_colour_the_plane_by_class_and_mark_divergence() {
    use weight_init::charts::boundary::{draw_boundaries, BoundaryPanel};
    let res = 10;
    // Left half class 0, right half class 1; a second panel that diverged (all NaN).
    let probs: Vec<f64> = (0..res * res)
        .map(|i| if i % res < res / 2 { 0.0 } else { 1.0 })
        .collect();
    let panels = vec![
        BoundaryPanel {
            title: "He normal: 100 %".into(),
            probs,
            res,
            points: vec![-1.0, 0.0, 0.0, 1.0, 0.0, 1.0],
            alarm: false,
        },
        BoundaryPanel {
            title: "too large: diverged".into(),
            probs: vec![f64::NAN; res * res],
            res,
            points: vec![],
            alarm: true,
        },
    ];
    let s = svg((600, 300), |a| {
        draw_boundaries(a, &panels, 2, &Theme::new(false, 1.0)).unwrap()
    });
    assert!(s.contains("He normal: 100 %") && s.contains("too large: diverged"));
    let theme = Theme::new(false, 1.0);
    let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    assert!(
        s.contains(&hex(theme.color(0))) && s.contains(&hex(theme.color(1))),
        "both class colours"
    );
    assert!(
        s.contains(&hex(theme.overflow)),
        "the diverged panel in the overflow colour"
    );
    assert_eq!(count(&s, "<circle"), 2, "one dot per data point");
}

/// Extreme numbers in a spec's data: each chart draws and returns (±1e308 in a weight sample once
/// made the axis infinitely wide and the drawing never ended), whatever magnitudes it is handed.
#[test]
fn extreme_values_draw_in_bounded_time() {
    use weight_init::charts::spec;
    use weight_init::core::value::{map, Value};
    let series = |values: Vec<f64>| Value::List(vec![map([("values", Value::Numbers(values))])]);
    let specs = [
        map([
            ("log", Value::Bool(true)),
            ("series", series(vec![1.0, 1e308, 1e-308])),
        ]),
        map([
            ("log", Value::Bool(true)),
            ("series", series(vec![f64::MAX, f64::MIN_POSITIVE, 5e-324])),
        ]),
        map([("log", Value::Bool(true)), ("series", series(vec![1e308]))]),
        map([("log", Value::Bool(true)), ("series", series(vec![5e-324]))]),
        map([
            ("log", Value::Bool(true)),
            ("series", series(vec![f64::MAX, 1e300])),
        ]),
        map([("series", series(vec![-1e308, 1e308, f64::NAN]))]),
        map([
            ("yMin", (-1e12).into()),
            ("yMax", 1e12.into()),
            ("series", series(vec![-1e308, 1e308])),
        ]),
    ];
    for s in &specs {
        let chart = spec::lines(s).expect("a valid spec");
        let out = svg((400, 300), |a| {
            draw_lines(a, &chart, &Theme::new(false, 1.0)).unwrap();
        });
        assert!(out.contains("<svg"));
    }
    let weights = map([(
        "samples",
        Value::List(vec![map([(
            "values",
            Value::Numbers(vec![-1e308, 1e308, 0.0, f64::NAN]),
        )])]),
    )]);
    let (samples, bins) = spec::weights(&weights).expect("a valid spec");
    svg((400, 300), |a| {
        draw_weights(a, &samples, bins, &Theme::new(false, 1.0)).unwrap()
    });
    let histograms = map([(
        "panels",
        Value::List(vec![map([
            ("lo", (-1e300).into()),
            ("hi", 1e300.into()),
            ("counts", Value::Numbers(vec![1e300, 0.0, f64::INFINITY])),
        ])]),
    )]);
    let (panels, columns, color) = spec::histograms(&histograms).expect("a valid spec");
    svg((400, 300), |a| {
        draw_histograms(a, &panels, columns, color, &Theme::new(false, 1.0)).unwrap();
    });
}

/// Two legend entries of one colour, one for a line with markers and one without, can be told
/// apart: the first swatch carries a marker (the experiment figure's "Var(Z): line with dots" and
/// "Var(H): plain line").
#[test]
fn a_legend_swatch_shows_its_lines_markers() {
    let entry = |label: &str, markers: bool| Series {
        label: label.into(),
        color: 6,
        dash: Dash::Solid,
        markers,
        width: 0.0,
        values: vec![],
        ghost: false,
    };
    let chart = LineChart {
        x_label: "layer".into(),
        y_label: "variance".into(),
        y: YScale::Log,
        x_start: 1.0,
        x_step: 1.0,
        series: vec![entry("with dots", true), entry("plain", false)],
    };
    let s = svg((500, 300), |a| {
        draw_lines(a, &chart, &Theme::new(false, 1.0)).unwrap();
    });
    assert_eq!(count(&s, "<circle"), 1, "one marker, on the first swatch");
}

/// The digits chart: every image in every panel, each answer under its image, and exactly the
/// wrong or missing answers marked.
#[test]
fn digit_answers_mark_exactly_the_wrong_ones() {
    use weight_init::charts::digits::{draw_digits, DigitPanel, Images};
    let images = Images {
        pixels: (0..3 * 64).map(|k| (k % 3) as f64 / 2.0).collect(),
        labels: vec![3.0, 1.0, 4.0],
    };
    let panels = vec![
        DigitPanel {
            title: "He: 67 %".into(),
            predictions: vec![3.0, 7.0, 4.0],
            alarm: false,
        },
        DigitPanel {
            title: "zeros: no answer".into(),
            predictions: vec![-1.0; 3],
            alarm: true,
        },
    ];
    let s = svg((600, 300), |a| {
        draw_digits(a, &panels, &images, 2, &Theme::new(false, 1.0)).unwrap()
    });
    assert_eq!(
        count(&s, "<rect") - 1,
        2 * 3 * 64,
        "every pixel of every image in each panel"
    );
    assert_eq!(count(&s, "✗"), 1 + 3, "one wrong answer, three missing");
    assert_eq!(count(&s, "7 ✗"), 1);
    assert_eq!(count(&s, "? ✗"), 3);
    let texts: Vec<&str> = s
        .split("<text")
        .skip(1)
        .map(|t| {
            t.split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("")
                .trim()
        })
        .collect();
    assert!(
        texts.contains(&"3") && texts.contains(&"4"),
        "right answers as plain digits: {texts:?}"
    );
}

/// The stylesheet's colours, generated from the charts' themes (one table for the canvases, the
/// page and the first picture): each theme's colours as custom properties (`--bg`, `--fg`,
/// `--grid`, `--alarm`, `--chart-0` … `--chart-6`), and, since the page's first picture is SVG
/// drawn in the light theme ahead of time (scripts/first-frame.rs), a rule turning each of its
/// colours into the dark theme's.
fn palette_css() -> String {
    let (light, dark) = (Theme::new(false, 1.0), Theme::new(true, 1.0));
    let hex = |c: RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    let props = |t: &Theme, indent: &str| {
        let mut out = String::new();
        for (name, c) in [
            ("bg", t.background),
            ("fg", t.text),
            ("grid", t.grid),
            ("alarm", t.overflow),
        ] {
            out += &format!("{indent}--{name}: {};\n", hex(c));
        }
        for (k, c) in t.palette.iter().enumerate() {
            out += &format!("{indent}--chart-{k}: {};\n", hex(*c));
        }
        out
    };
    let mut css = String::from(
        "/* Generated from the charts' themes (src/charts/mod.rs) by\n   UPDATE_PALETTE=1 cargo test --test charts palette. Do not edit. */\n",
    );
    css += &format!(":root {{\n{}}}\n", props(&light, "  "));
    css += &format!(
        "@media (prefers-color-scheme: dark) {{\n  :root {{\n{}  }}\n",
        props(&dark, "    ")
    );
    let pairs = [
        (light.background, dark.background),
        (light.text, dark.text),
        (light.grid, dark.grid),
        (light.overflow, dark.overflow),
    ]
    .into_iter()
    .chain(light.palette.into_iter().zip(dark.palette));
    // A colour the same in both themes needs no rule.
    for (l, d) in pairs.filter(|(l, d)| l != d) {
        for property in ["fill", "stroke"] {
            css += &format!(
                "  .first-frame [{property}=\"{}\"] {{ {property}: {}; }}\n",
                hex(l),
                hex(d)
            );
        }
    }
    css + "}\n"
}

const PALETTE_START: &str = "/* palette: start */\n";
const PALETTE_END: &str = "/* palette: end */\n";

#[test]
fn the_stylesheet_palette_is_the_charts_themes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/style.css");
    let css = std::fs::read_to_string(path).expect("www/style.css");
    let (Some(a), Some(b)) = (css.find(PALETTE_START), css.find(PALETTE_END)) else {
        panic!("www/style.css has no palette block ({PALETTE_START:?} … {PALETTE_END:?})");
    };
    let want = format!("{}{PALETTE_START}{}{}", &css[..a], palette_css(), &css[b..]);
    if std::env::var_os("UPDATE_PALETTE").is_some() {
        std::fs::write(path, &want).expect("write www/style.css");
        return;
    }
    assert!(
        css == want,
        "www/style.css's palette is out of date: run UPDATE_PALETTE=1 cargo test --test charts palette"
    );
}

/// The stylesheet's blocks close where they open: a stray brace makes the browser drop the rule
/// after it without a word.
#[test]
fn the_stylesheet_braces_balance() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/style.css");
    let css = std::fs::read_to_string(path).expect("www/style.css");
    let mut depth = 0i32;
    let mut rest = css.as_str();
    let mut line = 1;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("/*") {
            let end = rest.find("*/").expect("an unclosed comment") + 2;
            line += rest[..end].matches('\n').count();
            rest = &rest[end..];
            continue;
        }
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '\n' => line += 1,
            _ => {}
        }
        assert!(
            depth >= 0,
            "www/style.css line {line}: a '}}' closes nothing"
        );
        rest = &rest[c.len_utf8()..];
    }
    assert_eq!(depth, 0, "www/style.css: {depth} blocks left open");
}
