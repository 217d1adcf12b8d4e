//! Chart specs from loosely typed values: each drawing export's argument checked against its
//! schema ([`crate::core::schema::chart`]) and turned into the chart's own types. A malformed spec
//! is an error that names the field; the charts themselves never see a value the schema refuses.

use super::boundary::BoundaryPanel;
use super::digits::{DigitPanel, Images};
use super::grid::Grid;
use super::histograms::Panel;
use super::lines::{Dash, LineChart, LinePanel, LinePanels, Series, YScale};
use super::phase::{Phase, PhaseLine};
use super::weights::{normal_density, uniform_density, WeightSample};
use super::Theme;
use crate::core::schema::chart::{
    BOUNDARIES, BOUNDARY, DIGITS, DIGIT_PANEL, GRID, GRIDS, HISTOGRAM, HISTOGRAMS, LINES,
    LINE_PANEL, LINE_PANELS, PHASE, PHASE_LINE, SERIES, THEME, WEIGHTS, WEIGHT_SAMPLE,
};
use crate::core::schema::{Field, Schema};
use crate::core::validate::{check, error, ConfigError, Record};
use crate::core::value::Value;

/// The field of `schema` called `name`. Every name passed here is one of the schema's own: a
/// misspelt one fails the unit test below that reads every field, never a silent default.
fn field(schema: &'static Schema, name: &str) -> &'static Field {
    #[cfg(test)]
    assert!(
        schema.field(name).is_some(),
        "{} has no field {name}",
        schema.name
    );
    schema.field(name).unwrap_or(&schema.fields[0])
}

/// Reads records of `schema` by field name.
struct Spec<'a> {
    schema: &'static Schema,
    record: &'a Record,
}

impl<'a> Spec<'a> {
    fn new(schema: &'static Schema, record: &'a Record) -> Self {
        Spec { schema, record }
    }
    fn number(&self, name: &str) -> f64 {
        self.record.number(field(self.schema, name))
    }
    fn whole(&self, name: &str) -> usize {
        self.record.whole(field(self.schema, name))
    }
    fn flag(&self, name: &str) -> bool {
        self.record.flag(field(self.schema, name))
    }
    fn text(&self, name: &str) -> String {
        self.record.text(field(self.schema, name))
    }
    fn name(&self, name: &str) -> &'static str {
        self.record.name(field(self.schema, name))
    }
    fn numbers(&self, name: &str) -> Vec<f64> {
        self.record.numbers(field(self.schema, name))
    }
    fn list(&self, name: &str, item: &'static Schema) -> Vec<Spec<'a>> {
        self.record
            .list(field(self.schema, name))
            .iter()
            .map(|r| Spec::new(item, r))
            .collect()
    }
}

/// A theme from `{ dark, scale }`; `undefined` is the light theme at scale 1.
pub fn theme(v: Option<&Value>) -> Result<Theme, ConfigError> {
    let record = match v {
        Some(v) => check(&THEME, v, "theme")?,
        None => Record::empty(&THEME),
    };
    let t = Spec::new(&THEME, &record);
    Ok(Theme::new(t.flag("dark"), t.number("scale")))
}

/// The axes of a line chart or of its small multiples, with no lines yet.
fn axes(s: &Spec) -> Result<LineChart, ConfigError> {
    let (min, max) = (s.number("yMin"), s.number("yMax"));
    if !s.flag("log") && min >= max {
        return Err(error(
            "spec.yMax",
            format!("must be above yMin (got yMin {min}, yMax {max})"),
        ));
    }
    Ok(LineChart {
        x_label: s.text("xLabel"),
        y_label: s.text("yLabel"),
        y: if s.flag("log") {
            YScale::Log
        } else {
            YScale::Linear { min, max }
        },
        x_start: s.number("xStart"),
        x_step: s.number("xStep"),
        series: Vec::new(),
    })
}

fn series(s: &Spec) -> Vec<Series> {
    s.list("series", &SERIES)
        .iter()
        .map(|x| Series {
            label: x.text("label"),
            color: x.whole("color"),
            dash: if x.flag("dashed") {
                Dash::Dashed
            } else {
                Dash::Solid
            },
            markers: x.flag("markers"),
            width: x.number("width"),
            values: x.numbers("values"),
            ghost: x.flag("ghost"),
        })
        .collect()
}

/// `drawLines`' spec.
pub fn lines(v: &Value) -> Result<LineChart, ConfigError> {
    let record = check(&LINES, v, "spec")?;
    let s = Spec::new(&LINES, &record);
    Ok(LineChart {
        series: series(&s),
        ..axes(&s)?
    })
}

/// `drawLinePanels`' spec.
pub fn line_panels(v: &Value) -> Result<LinePanels, ConfigError> {
    let record = check(&LINE_PANELS, v, "spec")?;
    let s = Spec::new(&LINE_PANELS, &record);
    Ok(LinePanels {
        chart: axes(&s)?,
        columns: s.whole("columns"),
        panels: s
            .list("panels", &LINE_PANEL)
            .iter()
            .map(|p| LinePanel {
                title: p.text("title"),
                series: series(p),
            })
            .collect(),
    })
}

/// `drawHistograms`' spec: the panels, the column count and the colour.
pub fn histograms(v: &Value) -> Result<(Vec<Panel>, usize, usize), ConfigError> {
    let record = check(&HISTOGRAMS, v, "spec")?;
    let s = Spec::new(&HISTOGRAMS, &record);
    let panels = s
        .list("panels", &HISTOGRAM)
        .iter()
        .map(|p| Panel {
            title: p.text("title"),
            lo: p.number("lo"),
            hi: p.number("hi"),
            counts: p.numbers("counts"),
            non_finite: p.number("nonFinite"),
        })
        .collect();
    Ok((panels, s.whole("columns"), s.whole("color")))
}

/// `drawWeights`' spec: the samples and the bin count.
pub fn weights(v: &Value) -> Result<(Vec<WeightSample>, usize), ConfigError> {
    let record = check(&WEIGHTS, v, "spec")?;
    let s = Spec::new(&WEIGHTS, &record);
    let samples = s
        .list("samples", &WEIGHT_SAMPLE)
        .iter()
        .map(|x| WeightSample {
            label: x.text("label"),
            color: x.whole("color"),
            values: x.numbers("values"),
            density: if x.name("kind") == "uniform" {
                uniform_density
            } else {
                normal_density
            },
            param: x.number("param"),
        })
        .collect();
    Ok((samples, s.whole("bins")))
}

/// `drawGrids`' spec.
pub fn grids(v: &Value) -> Result<Vec<Grid>, ConfigError> {
    let record = check(&GRIDS, v, "spec")?;
    let s = Spec::new(&GRIDS, &record);
    Ok(s.list("grids", &GRID)
        .iter()
        .map(|g| Grid {
            title: g.text("title"),
            values: g.record.rows(field(&GRID, "values")),
        })
        .collect())
}

/// `drawBoundaries`' spec: the panels and the column count.
pub fn boundaries(v: &Value) -> Result<(Vec<BoundaryPanel>, usize), ConfigError> {
    let record = check(&BOUNDARIES, v, "spec")?;
    let s = Spec::new(&BOUNDARIES, &record);
    let panels = s
        .list("panels", &BOUNDARY)
        .iter()
        .map(|p| BoundaryPanel {
            title: p.text("title"),
            probs: p.numbers("probs"),
            res: p.whole("res"),
            points: p.numbers("points"),
            alarm: p.flag("alarm"),
        })
        .collect();
    Ok((panels, s.whole("columns")))
}

/// `drawDigits`' spec: the panels, the images and the column count.
pub fn digits(v: &Value) -> Result<(Vec<DigitPanel>, Images, usize), ConfigError> {
    let record = check(&DIGITS, v, "spec")?;
    let s = Spec::new(&DIGITS, &record);
    let panels = s
        .list("panels", &DIGIT_PANEL)
        .iter()
        .map(|p| DigitPanel {
            title: p.text("title"),
            predictions: p.numbers("predictions"),
            alarm: p.flag("alarm"),
        })
        .collect();
    let images = Images {
        pixels: s.numbers("images"),
        labels: s.numbers("labels"),
    };
    Ok((panels, images, s.whole("columns")))
}

/// `drawPhase`'s spec.
pub fn phase(v: &Value) -> Result<Phase, ConfigError> {
    let record = check(&PHASE, v, "spec")?;
    let s = Spec::new(&PHASE, &record);
    let point = s.numbers("point");
    Ok(Phase {
        sw2_max: s.number("sw2Max"),
        sb2_max: s.number("sb2Max"),
        columns: s.whole("columns"),
        rows: s.whole("rows"),
        chi: s.numbers("chi"),
        lines: s
            .list("lines", &PHASE_LINE)
            .iter()
            .map(|l| PhaseLine {
                label: l.text("label"),
                points: l.numbers("points"),
                dashed: l.flag("dashed"),
            })
            .collect(),
        point: (point.len() == 2).then(|| (point[0], point[1])),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::value::map;

    fn numbers(xs: &[f64]) -> Value {
        Value::Numbers(xs.to_vec())
    }

    /// Every reader on a spec that gives every field: each name it asks for is its schema's own.
    #[test]
    fn every_field_is_read_by_its_name() {
        let t = theme(Some(&map([
            ("dark", Value::Bool(true)),
            ("scale", 2.0.into()),
        ])))
        .unwrap();
        assert_eq!(t.scale, 2.0);
        let series = map([
            ("label", "a".into()),
            ("color", 2.0.into()),
            ("dashed", Value::Bool(true)),
            ("markers", Value::Bool(true)),
            ("values", numbers(&[1.0, 2.0])),
            ("ghost", Value::Bool(true)),
        ]);
        let c = lines(&map([
            ("xLabel", "x".into()),
            ("yLabel", "y".into()),
            ("log", Value::Bool(false)),
            ("yMin", (-1.0).into()),
            ("yMax", 3.0.into()),
            ("xStart", 0.0.into()),
            ("xStep", 50.0.into()),
            ("series", Value::List(vec![series])),
        ]))
        .unwrap();
        assert_eq!((c.x_start, c.x_step, c.series[0].color), (0.0, 50.0, 2));
        assert!(c.series[0].ghost);
        let (panels, columns, color) = histograms(&map([
            ("columns", 2.0.into()),
            ("color", 1.0.into()),
            (
                "panels",
                Value::List(vec![map([
                    ("title", "t".into()),
                    ("lo", (-1.0).into()),
                    ("hi", 1.0.into()),
                    ("counts", numbers(&[1.0, 2.0])),
                    ("nonFinite", 3.0.into()),
                ])]),
            ),
        ]))
        .unwrap();
        assert_eq!((panels[0].non_finite, columns, color), (3.0, 2, 1));
        let (samples, bins) = weights(&map([
            ("bins", 12.0.into()),
            (
                "samples",
                Value::List(vec![map([
                    ("label", "w".into()),
                    ("color", 1.0.into()),
                    ("values", numbers(&[0.1])),
                    ("kind", "uniform".into()),
                    ("param", 0.5.into()),
                ])]),
            ),
        ]))
        .unwrap();
        assert_eq!((samples[0].param, bins), (0.5, 12));
        let g = grids(&map([(
            "grids",
            Value::List(vec![map([
                ("title", "g".into()),
                ("values", Value::List(vec![numbers(&[1.0, 2.0])])),
            ])]),
        )]))
        .unwrap();
        assert_eq!(g[0].values, vec![vec![1.0, 2.0]]);
        let (b, columns) = boundaries(&map([
            ("columns", 4.0.into()),
            (
                "panels",
                Value::List(vec![map([
                    ("title", "b".into()),
                    ("res", 2.0.into()),
                    ("probs", numbers(&[0.0, 1.0, 1.0, 0.0])),
                    ("points", numbers(&[0.0, 0.0, 1.0])),
                    ("alarm", Value::Bool(true)),
                ])]),
            ),
        ]))
        .unwrap();
        assert_eq!((b[0].res, b[0].alarm, columns), (2, true, 4));
    }

    #[test]
    fn absurd_numbers_are_refused_with_the_field_named() {
        let bad = [
            (
                map([("xStart", f64::NAN.into())]),
                "spec.xStart must be a finite number",
            ),
            (
                map([("yMax", f64::INFINITY.into())]),
                "spec.yMax must be a finite number",
            ),
            (
                map([("yMin", (-1e308).into()), ("yMax", 1e308.into())]),
                "spec.yMin must be a finite number from -1000000000000 to 1000000000000",
            ),
            (
                map([("yMin", 2.0.into()), ("yMax", 1.0.into())]),
                "spec.yMax must be above yMin",
            ),
            (
                map([("series", "x".into())]),
                "spec.series must be an array of 1 to 64 objects",
            ),
            (
                map([("series", Value::List(vec![map([("colour", 1.0.into())])]))]),
                "spec.series[0].colour is not a known field",
            ),
        ];
        for (spec, want) in bad {
            let e = lines(&spec).unwrap_err().to_string();
            assert!(e.starts_with(want), "{e}");
        }
    }
}
