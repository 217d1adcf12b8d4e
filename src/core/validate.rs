//! Validation against the schemas of [`super::schema`]: a loosely typed [`Value`] becomes a
//! [`Record`] of checked fields, or an error that names the field and what it allows. The typed
//! configs ([`Config`], `TrainConfig`, the chart specs) are built from records, and the rules that
//! tie fields together (work budgets, `trace`'s limit) are checked here too.

use super::config::{Activation, Config, Input, Scheme};
use super::schema::{self, simulate as f, Default, Field, Kind, Schema};
use super::value::{format_number, Value};
use std::fmt;

/// A config, spec or argument that cannot be used, naming the field and what it allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The field's path as a caller writes it: `config.sigma`, `config.input[2]`,
    /// `spec.series[0].values`, `layer`.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// An error at `field` saying `message`.
pub fn error(field: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field: field.into(),
        message: message.into(),
    }
}

/// A checked field value.
#[derive(Clone, Debug)]
pub enum Checked {
    /// A number within its field's range (whole where the field asks for it).
    Number(f64),
    /// One of the field's names.
    Name(&'static str),
    /// A flag.
    Flag(bool),
    /// A string.
    Text(String),
    /// An array of numbers.
    Numbers(Vec<f64>),
    /// Rows of numbers.
    Rows(Vec<Vec<f64>>),
    /// Objects, each checked against the list's item schema.
    List(Vec<Record>),
    /// The simulator's input.
    Input(Input),
}

/// An object checked against a schema: the fields it has, each valid on its own.
#[derive(Clone, Debug)]
pub struct Record {
    schema: &'static Schema,
    values: Vec<(&'static str, Checked)>,
}

impl Record {
    /// A record with no field given: every field at its default.
    pub fn empty(schema: &'static Schema) -> Record {
        Record {
            schema,
            values: Vec::new(),
        }
    }

    fn get(&self, field: &Field) -> Option<&Checked> {
        #[cfg(test)]
        assert!(
            self.schema.field(field.name).is_some(),
            "{} has no field {}",
            self.schema.name,
            field.name
        );
        self.values
            .iter()
            .find(|(n, _)| *n == field.name)
            .map(|(_, v)| v)
    }

    /// The schema this record was checked against.
    pub fn schema(&self) -> &'static Schema {
        self.schema
    }

    /// Whether the field was given.
    pub fn has(&self, field: &Field) -> bool {
        self.get(field).is_some()
    }

    /// A number field, or its default.
    pub fn number(&self, field: &Field) -> f64 {
        match (self.get(field), field.default) {
            (Some(Checked::Number(x)), _) => *x,
            (_, Default::Number(x)) => x,
            _ => 0.0,
        }
    }

    /// A whole-number field, or its default.
    pub fn whole(&self, field: &Field) -> usize {
        self.number(field) as usize
    }

    /// A name field, or its default.
    pub fn name(&self, field: &Field) -> &'static str {
        match (self.get(field), field.default) {
            (Some(Checked::Name(n)), _) => n,
            (_, Default::Name(n)) => n,
            _ => "",
        }
    }

    /// A flag, or its default.
    pub fn flag(&self, field: &Field) -> bool {
        match (self.get(field), field.default) {
            (Some(Checked::Flag(b)), _) => *b,
            (_, Default::Flag(b)) => b,
            _ => false,
        }
    }

    /// A string, or empty.
    pub fn text(&self, field: &Field) -> String {
        match self.get(field) {
            Some(Checked::Text(s)) => s.clone(),
            _ => String::new(),
        }
    }

    /// An array of numbers, or empty.
    pub fn numbers(&self, field: &Field) -> Vec<f64> {
        match self.get(field) {
            Some(Checked::Numbers(xs)) => xs.clone(),
            _ => Vec::new(),
        }
    }

    /// Rows of numbers, or none.
    pub fn rows(&self, field: &Field) -> Vec<Vec<f64>> {
        match self.get(field) {
            Some(Checked::Rows(rows)) => rows.clone(),
            _ => Vec::new(),
        }
    }

    /// A list of records, or none.
    pub fn list(&self, field: &Field) -> &[Record] {
        match self.get(field) {
            Some(Checked::List(items)) => items,
            _ => &[],
        }
    }

    /// The input, or the article's.
    pub fn input(&self, field: &Field) -> Input {
        match self.get(field) {
            Some(Checked::Input(i)) => i.clone(),
            _ => Config::default().input,
        }
    }
}

fn list_of(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks `v` against `schema`: an object whose own keys are all fields of the schema, each value
/// of its field's kind and range. `path` names the object in messages (`config`, `spec.series[1]`).
pub fn check(schema: &'static Schema, v: &Value, path: &str) -> Result<Record, ConfigError> {
    let Value::Map(entries) = v else {
        return Err(error(
            path,
            format!(
                "must be an object such as {} (got {})",
                schema.example,
                v.describe()
            ),
        ));
    };
    let mut values = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let Some(field) = schema.field(key) else {
            let shown: String = key.chars().take(40).collect();
            let names: Vec<&str> = schema.fields.iter().map(|f| f.name).collect();
            return Err(error(
                format!("{path}.{shown}"),
                format!("is not a known field; the fields are {}", names.join(", ")),
            ));
        };
        let checked = check_field(field, value, &format!("{path}.{}", field.name))?;
        values.push((field.name, checked));
    }
    Ok(Record { schema, values })
}

/// Checks one value against a field's kind; `path` names it in messages.
pub fn check_field(field: &Field, v: &Value, path: &str) -> Result<Checked, ConfigError> {
    let got = || v.describe();
    match field.kind {
        Kind::Whole { min, max } => match v {
            Value::Number(x) if x.fract() == 0.0 && *x >= min && *x <= max => {
                Ok(Checked::Number(*x))
            }
            _ => Err(error(
                path,
                format!(
                    "must be a whole number from {} to {} (got {})",
                    format_number(min),
                    format_number(max),
                    got()
                ),
            )),
        },
        Kind::Number { min, max } => match v {
            Value::Number(x) if x.is_finite() && *x >= min && *x <= max => Ok(Checked::Number(*x)),
            _ => Err(error(
                path,
                format!(
                    "must be a finite number from {} to {} (got {})",
                    format_number(min),
                    format_number(max),
                    got()
                ),
            )),
        },
        Kind::Name(names) => match v {
            Value::Text(s) => names
                .iter()
                .find(|n| **n == s.as_str())
                .map(|n| Checked::Name(n)),
            _ => None,
        }
        .ok_or_else(|| {
            error(
                path,
                format!("must be one of {} (got {})", list_of(names), got()),
            )
        }),
        Kind::Flag => match v {
            Value::Bool(b) => Ok(Checked::Flag(*b)),
            _ => Err(error(
                path,
                format!("must be true or false (got {})", got()),
            )),
        },
        Kind::Text => match v {
            Value::Text(s) if s.chars().count() <= schema::MAX_TEXT => Ok(Checked::Text(s.clone())),
            _ => Err(error(
                path,
                format!(
                    "must be a string of at most {} characters (got {})",
                    schema::MAX_TEXT,
                    got()
                ),
            )),
        },
        Kind::Numbers { max } => numbers(v, path, max).map(Checked::Numbers),
        Kind::Rows { rows } => match v {
            Value::List(items) if !items.is_empty() && items.len() <= rows => {
                let rows = items
                    .iter()
                    .enumerate()
                    .map(|(i, row)| numbers(row, &format!("{path}[{i}]"), schema::MAX_GRID_CELLS))
                    .collect::<Result<Vec<_>, _>>()?;
                let cells: usize = rows.iter().map(Vec::len).sum();
                if cells > schema::MAX_GRID_CELLS {
                    return Err(error(
                        path,
                        format!(
                            "may hold at most {} values in all (got {cells})",
                            schema::MAX_GRID_CELLS
                        ),
                    ));
                }
                Ok(Checked::Rows(rows))
            }
            _ => Err(error(
                path,
                format!(
                    "must be an array of 1 to {rows} arrays of numbers (got {})",
                    got()
                ),
            )),
        },
        Kind::List { item, max } => match v {
            Value::List(items) if !items.is_empty() && items.len() <= max => items
                .iter()
                .enumerate()
                .map(|(i, x)| check(item, x, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>, _>>()
                .map(Checked::List),
            _ => Err(error(
                path,
                format!("must be an array of 1 to {max} objects (got {})", got()),
            )),
        },
        Kind::Input => parse_input(v, path).map(Checked::Input),
    }
}

/// An array of at most `max` numbers (NaN and ±Infinity allowed).
fn numbers(v: &Value, path: &str, max: usize) -> Result<Vec<f64>, ConfigError> {
    match v {
        Value::Numbers(xs) if xs.len() <= max => Ok(xs.clone()),
        Value::List(items) if items.len() <= max => items
            .iter()
            .enumerate()
            .map(|(i, x)| match x {
                Value::Number(x) => Ok(*x),
                other => Err(error(
                    format!("{path}[{i}]"),
                    format!("must be a number (got {})", other.describe()),
                )),
            })
            .collect(),
        _ => Err(error(
            path,
            format!(
                "must be an array of at most {max} numbers (got {})",
                v.describe()
            ),
        )),
    }
}

/// What an input number may be, for messages.
fn input_range() -> String {
    let m = schema::MAX_MAGNITUDE;
    format!(
        "must be a finite number from {} to {}",
        format_number(-m),
        format_number(m)
    )
}

/// One sample's numbers: 1 to [`schema::MAX_FEATURES`], each finite within ±1e6.
fn parse_row(v: &Value, path: &str) -> Result<Vec<f64>, ConfigError> {
    let values = match v {
        Value::Numbers(xs) => xs.clone(),
        Value::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| match x {
                Value::Number(x) => Ok(*x),
                other => Err(error(
                    format!("{path}[{i}]"),
                    format!("{} (got {})", input_range(), other.describe()),
                )),
            })
            .collect::<Result<_, _>>()?,
        _ => unreachable_shape(v, path)?,
    };
    if values.is_empty() || values.len() > schema::MAX_FEATURES {
        return Err(error(
            path,
            format!(
                "must hold 1 to {} numbers (got {} items)",
                schema::MAX_FEATURES,
                values.len()
            ),
        ));
    }
    if let Some(i) = values
        .iter()
        .position(|x| !(x.is_finite() && x.abs() <= schema::MAX_MAGNITUDE))
    {
        return Err(error(
            format!("{path}[{i}]"),
            format!("{} (got {})", input_range(), format_number(values[i])),
        ));
    }
    Ok(values)
}

fn unreachable_shape<T>(v: &Value, path: &str) -> Result<T, ConfigError> {
    Err(error(
        path,
        format!(
            "must be an array of numbers (one sample), an array of equal-length arrays (a batch), \
             or {{ samples, features }} (got {})",
            v.describe()
        ),
    ))
}

fn parse_input(v: &Value, path: &str) -> Result<Input, ConfigError> {
    match v {
        Value::Numbers(_) => {
            let values = parse_row(v, path)?;
            let features = values.len();
            Ok(Input::Given {
                values,
                samples: 1,
                features,
            })
        }
        Value::List(items) if items.iter().all(|x| matches!(x, Value::Number(_))) => {
            let values = parse_row(v, path)?;
            let features = values.len();
            Ok(Input::Given {
                values,
                samples: 1,
                features,
            })
        }
        Value::List(items)
            if items
                .iter()
                .all(|x| matches!(x, Value::List(_) | Value::Numbers(_))) =>
        {
            if items.len() > schema::MAX_SAMPLES {
                return Err(error(
                    path,
                    format!(
                        "must hold 1 to {} samples (got {})",
                        schema::MAX_SAMPLES,
                        items.len()
                    ),
                ));
            }
            let total: usize = items
                .iter()
                .map(|x| match x {
                    Value::List(r) => r.len(),
                    Value::Numbers(r) => r.len(),
                    _ => 0,
                })
                .sum();
            if total > schema::MAX_INPUT_VALUES {
                return Err(error(
                    path,
                    format!(
                        "may hold at most {} numbers in all (got {total}): use {{ samples, features }} for a large random batch",
                        schema::MAX_INPUT_VALUES
                    ),
                ));
            }
            let mut values = Vec::with_capacity(total);
            let mut features = 0;
            for (s, row) in items.iter().enumerate() {
                let parsed = parse_row(row, &format!("{path}[{s}]"))?;
                if s == 0 {
                    features = parsed.len();
                } else if parsed.len() != features {
                    return Err(error(
                        format!("{path}[{s}]"),
                        format!(
                            "must have {features} numbers like {path}[0] (got {}): a batch may not be ragged",
                            parsed.len()
                        ),
                    ));
                }
                values.extend(parsed);
            }
            Ok(Input::Given {
                values,
                samples: items.len(),
                features,
            })
        }
        Value::List(items)
            if !items
                .iter()
                .any(|x| matches!(x, Value::List(_) | Value::Numbers(_))) =>
        {
            // One sample with something that is not a number in it: name that item.
            let (i, x) = items
                .iter()
                .enumerate()
                .find(|(_, x)| !matches!(x, Value::Number(_)))
                .expect("a list that is not all numbers");
            Err(error(
                format!("{path}[{i}]"),
                format!("must be a number (got {})", x.describe()),
            ))
        }
        Value::List(_) => Err(error(
            path,
            "mixes numbers and arrays: use one sample (numbers) or a batch (arrays of numbers)",
        )),
        Value::Map(entries) => {
            if let Some((k, _)) = entries
                .iter()
                .find(|(k, _)| k != "samples" && k != "features")
            {
                let shown: String = k.chars().take(40).collect();
                return Err(error(
                    format!("{path}.{shown}"),
                    "is not a known field: a random input takes only samples and features",
                ));
            }
            let dim = |key: &str, max: usize| -> Result<usize, ConfigError> {
                let p = format!("{path}.{key}");
                match v.get(key) {
                    Some(x) => match x {
                        Value::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= max as f64 => {
                            Ok(*n as usize)
                        }
                        _ => Err(error(
                            p,
                            format!(
                                "must be a whole number from 1 to {max} (got {})",
                                x.describe()
                            ),
                        )),
                    },
                    None => Err(error(
                        p,
                        format!("is required: a whole number from 1 to {max}"),
                    )),
                }
            };
            let samples = dim("samples", schema::MAX_SAMPLES)?;
            let features = dim("features", schema::MAX_FEATURES)?;
            Ok(Input::Random { samples, features })
        }
        other => unreachable_shape(other, path),
    }
}

impl Config {
    /// Validates a loosely typed config against [`schema::simulate::SCHEMA`]. Absent fields take
    /// their defaults; anything else that is not exactly right is an error naming the field and
    /// what it allows. Also enforces the work and memory budgets ([`Config::check_budget`]), so an
    /// accepted config always finishes in bounded time and memory.
    pub fn from_value(v: &Value) -> Result<Config, ConfigError> {
        Config::from_record(&check(&f::SCHEMA, v, "config")?)
    }

    /// Builds a config from a checked record.
    pub fn from_record(r: &Record) -> Result<Config, ConfigError> {
        let c = Config {
            input: r.input(&f::INPUT),
            layers: r.whole(&f::LAYERS),
            width: r.whole(&f::WIDTH),
            scheme: Scheme::named(r.name(&f::SCHEME)),
            sigma: r.number(&f::SIGMA),
            gain: r.number(&f::GAIN),
            bias: r.number(&f::BIAS),
            bias_sigma: r.number(&f::BIAS_SIGMA),
            activation: Activation::named(r.name(&f::ACTIVATION), r.number(&f::SLOPE)),
            seed: r.number(&f::SEED) as u64,
            bins: r.whole(&f::BINS),
            trace: r.flag(&f::TRACE),
        };
        if c.trace && c.layers * c.width > schema::MAX_TRACE {
            return Err(error(
                "config.trace",
                format!(
                    "is allowed only while layers × width ≤ {} (got {})",
                    schema::MAX_TRACE,
                    c.layers * c.width
                ),
            ));
        }
        c.check_budget()?;
        Ok(c)
    }

    /// Checks [`super::config::CELL_BUDGET`] (memory) and [`super::config::WORK_BUDGET`] (time).
    pub fn check_budget(&self) -> Result<(), ConfigError> {
        use super::config::{CELL_BUDGET, WORK_BUDGET};
        if self.cells() > CELL_BUDGET {
            return Err(error(
                "config.layers",
                format!(
                    "× width × (width + samples) must be at most {CELL_BUDGET} (got {} for {} layers of {} with {} samples): \
                     use fewer layers, a narrower layer or a smaller batch",
                    self.cells(),
                    self.layers,
                    self.width,
                    self.input.samples()
                ),
            ));
        }
        if self.work() > WORK_BUDGET {
            // Name the scheme when it is orthogonal's reflections that break the budget.
            let plain = Config {
                scheme: Scheme::Normal,
                ..self.clone()
            };
            let field = if plain.work() <= WORK_BUDGET {
                "config.scheme"
            } else {
                "config.layers"
            };
            return Err(error(
                field,
                format!(
                    "asks for too much work: {} layers of {} on {} samples{} need about {} operations, \
                     and one call may do at most {WORK_BUDGET}: use fewer layers, a narrower layer or a smaller batch",
                    self.layers,
                    self.width,
                    self.input.samples(),
                    if field == "config.scheme" {
                        " with orthogonal weights (applied as reflections)"
                    } else {
                        ""
                    },
                    self.work(),
                ),
            ));
        }
        Ok(())
    }
}
