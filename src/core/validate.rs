//! Validation: a loosely typed [`Value`] becomes a checked config, or an error that names the
//! field and what it allows.

use super::config::{
    Activation, Config, Input, Scheme, FIELDS, MAX_BINS, MAX_FEATURES, MAX_LAYERS, MAX_MAGNITUDE,
    MAX_SAMPLES, MAX_SEED, MAX_TRACE, MAX_WIDTH,
};
use super::value::{format_number, Value};
use std::fmt;

/// A config that cannot be simulated, naming the field and what it allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The field's path, e.g. `sigma`, `input[2]`, `input.samples`; empty for the config itself.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "config {}", self.message)
        } else {
            write!(f, "config.{} {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

pub(crate) fn error(field: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field: field.into(),
        message: message.into(),
    }
}

/// A number in `[lo, hi]`; `what` describes the range in the message.
pub(crate) fn number_in(field: &str, v: &Value, lo: f64, hi: f64) -> Result<f64, ConfigError> {
    let range = format!("from {} to {}", format_number(lo), format_number(hi));
    match v {
        Value::Number(x) if x.is_finite() && *x >= lo && *x <= hi => Ok(*x),
        _ => Err(error(
            field,
            format!("must be a finite number {range} (got {})", v.describe()),
        )),
    }
}

/// A whole number in `[lo, hi]`.
pub(crate) fn integer_in(
    field: &str,
    v: &Value,
    lo: usize,
    hi: usize,
) -> Result<usize, ConfigError> {
    match v {
        Value::Number(x) if x.fract() == 0.0 && *x >= lo as f64 && *x <= hi as f64 => {
            Ok(*x as usize)
        }
        _ => Err(error(
            field,
            format!(
                "must be a whole number from {lo} to {hi} (got {})",
                v.describe()
            ),
        )),
    }
}

pub(crate) fn name_in<'a>(
    field: &str,
    v: &Value,
    allowed: &[&'a str],
) -> Result<&'a str, ConfigError> {
    if let Value::Text(s) = v {
        if let Some(name) = allowed.iter().find(|n| **n == s.as_str()) {
            return Ok(name);
        }
    }
    let list = allowed
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Err(error(
        field,
        format!("must be one of {list} (got {})", v.describe()),
    ))
}

fn parse_row(field: &str, items: &[Value]) -> Result<Vec<f64>, ConfigError> {
    if items.is_empty() || items.len() > MAX_FEATURES {
        return Err(error(
            field,
            format!(
                "must hold 1 to {MAX_FEATURES} numbers (got {} items)",
                items.len()
            ),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, v)| number_in(&format!("{field}[{i}]"), v, -MAX_MAGNITUDE, MAX_MAGNITUDE))
        .collect()
}

fn parse_input(v: &Value) -> Result<Input, ConfigError> {
    const SHAPES: &str =
        "must be an array of numbers (one sample), an array of equal-length arrays \
                          (a batch), or { samples, features }";
    let rows: Vec<&Vec<Value>> = match v {
        Value::List(items) => items
            .iter()
            .filter_map(|x| match x {
                Value::List(row) => Some(row),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    match v {
        Value::List(items) if !items.is_empty() && rows.len() == items.len() => {
            if items.len() > MAX_SAMPLES {
                return Err(error(
                    "input",
                    format!("must hold 1 to {MAX_SAMPLES} samples (got {})", items.len()),
                ));
            }
            let mut values = Vec::new();
            let mut features = 0;
            for (s, row) in rows.iter().enumerate() {
                let parsed = parse_row(&format!("input[{s}]"), row)?;
                if s == 0 {
                    features = parsed.len();
                } else if parsed.len() != features {
                    return Err(error(
                        format!("input[{s}]"),
                        format!(
                            "must have {features} numbers like input[0] (got {}): a batch may not be ragged",
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
        Value::List(_) if !rows.is_empty() => Err(error(
            "input",
            "mixes numbers and arrays: use one sample (numbers) or a batch (arrays of numbers)",
        )),
        Value::List(items) => {
            let values = parse_row("input", items)?;
            let features = values.len();
            Ok(Input::Given {
                values,
                samples: 1,
                features,
            })
        }
        Value::Map(fields) => {
            if let Some((k, _)) = fields
                .iter()
                .find(|(k, _)| k != "samples" && k != "features")
            {
                return Err(error(
                    format!("input.{k}"),
                    "is not a known field: a random input takes only samples and features",
                ));
            }
            let samples = match v.get("samples") {
                Some(s) => integer_in("input.samples", s, 1, MAX_SAMPLES)?,
                None => {
                    return Err(error(
                        "input.samples",
                        format!("is required: a whole number from 1 to {MAX_SAMPLES}"),
                    ))
                }
            };
            let features = match v.get("features") {
                Some(s) => integer_in("input.features", s, 1, MAX_FEATURES)?,
                None => {
                    return Err(error(
                        "input.features",
                        format!("is required: a whole number from 1 to {MAX_FEATURES}"),
                    ))
                }
            };
            Ok(Input::Random { samples, features })
        }
        other => Err(error(
            "input",
            format!("{SHAPES} (got {})", other.describe()),
        )),
    }
}

/// Checks that `v` is an object whose keys are all in `allowed`; `example` shows a valid one.
pub(crate) fn check_fields(v: &Value, allowed: &[&str], example: &str) -> Result<(), ConfigError> {
    let Value::Map(fields) = v else {
        return Err(error(
            "",
            format!("must be an object such as {example} (got {})", v.describe()),
        ));
    };
    if let Some((k, _)) = fields.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        let shown: String = k.chars().take(40).collect();
        return Err(error(
            shown,
            format!(
                "is not a known field; the fields are {}",
                allowed.join(", ")
            ),
        ));
    }
    Ok(())
}

/// The scheme called `v`.
pub(crate) fn scheme_named(field: &str, v: &Value) -> Result<Scheme, ConfigError> {
    let names: Vec<&str> = Scheme::ALL.iter().map(|s| s.name()).collect();
    let name = name_in(field, v, &names)?;
    Ok(Scheme::ALL
        .into_iter()
        .find(|s| s.name() == name)
        .unwrap_or(Scheme::Normal))
}

impl Config {
    /// Validates a loosely typed config. Absent fields take their defaults; anything else that is not
    /// exactly right is an error naming the field and what it allows. Also enforces [`CELL_BUDGET`] and
    /// [`WORK_BUDGET`], so an accepted config always finishes in bounded time and memory.
    pub fn from_value(v: &Value) -> Result<Config, ConfigError> {
        check_fields(v, &FIELDS, "{ sigma: 0.5 }")?;
        let mut c = Config::default();
        if let Some(x) = v.get("input") {
            c.input = parse_input(x)?;
        }
        if let Some(x) = v.get("layers") {
            c.layers = integer_in("layers", x, 1, MAX_LAYERS)?;
        }
        if let Some(x) = v.get("width") {
            c.width = integer_in("width", x, 1, MAX_WIDTH)?;
        }
        if let Some(x) = v.get("scheme") {
            c.scheme = scheme_named("scheme", x)?;
        }
        if let Some(x) = v.get("sigma") {
            c.sigma = number_in("sigma", x, 0.0, MAX_MAGNITUDE)?;
        }
        if let Some(x) = v.get("gain") {
            c.gain = number_in("gain", x, 0.0, MAX_MAGNITUDE)?;
        }
        if let Some(x) = v.get("bias") {
            c.bias = number_in("bias", x, -MAX_MAGNITUDE, MAX_MAGNITUDE)?;
        }
        let slope = match v.get("slope") {
            Some(x) => number_in("slope", x, 0.0, 1.0)?,
            None => 0.01,
        };
        if let Some(x) = v.get("activation") {
            c.activation = match name_in("activation", x, &Activation::NAMES)? {
                "leaky-relu" => Activation::LeakyRelu { slope },
                "tanh" => Activation::Tanh,
                "sigmoid" => Activation::Sigmoid,
                "linear" => Activation::Linear,
                _ => Activation::Relu,
            };
        }
        if let Some(x) = v.get("seed") {
            c.seed = match x {
                Value::Number(s) if s.fract() == 0.0 && *s >= 0.0 && *s <= MAX_SEED => *s as u64,
                _ => {
                    return Err(error(
                        "seed",
                        format!(
                            "must be a whole number from 0 to 9007199254740991 (got {})",
                            x.describe()
                        ),
                    ))
                }
            };
        }
        if let Some(x) = v.get("bins") {
            c.bins = integer_in("bins", x, 1, MAX_BINS)?;
        }
        if let Some(x) = v.get("trace") {
            c.trace = match x {
                Value::Bool(b) => *b,
                _ => {
                    return Err(error(
                        "trace",
                        format!("must be true or false (got {})", x.describe()),
                    ))
                }
            };
            if c.trace && c.layers * c.width > MAX_TRACE {
                return Err(error(
                    "trace",
                    format!(
                        "is allowed only while layers × width ≤ {MAX_TRACE} (got {})",
                        c.layers * c.width
                    ),
                ));
            }
        }
        c.check_budget()?;
        Ok(c)
    }
}
