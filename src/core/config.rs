//! The simulation's configuration: its defaults, its limits, and the validation that names the bad field.

use super::value::{format_number, Value};
use std::fmt;

/// Largest number of samples in a batch.
pub const MAX_SAMPLES: usize = 4096;
/// Largest number of input features.
pub const MAX_FEATURES: usize = 4096;
/// Largest number of hidden layers.
pub const MAX_LAYERS: usize = 1000;
/// Largest number of neurons in a hidden layer.
pub const MAX_WIDTH: usize = 4096;
/// Largest number of histogram bins.
pub const MAX_BINS: usize = 256;
/// Largest magnitude accepted for `sigma`, `gain`, `bias` and input values.
pub const MAX_MAGNITUDE: f64 = 1e6;
/// Largest seed: JavaScript's `Number.MAX_SAFE_INTEGER`, so every seed survives a round trip through JS.
pub const MAX_SEED: f64 = 9_007_199_254_740_991.0;
/// Largest `layers × width` for which `trace` may be asked.
pub const MAX_TRACE: usize = 1 << 16;
/// Memory budget: `layers × width × (width + samples)` may not exceed this (2^25 values).
pub const CELL_BUDGET: u64 = 1 << 25;
/// Time budget: multiply-adds of the forward pass, `samples × Σ fan_in × width`, may not exceed this (2^31).
pub const WORK_BUDGET: u64 = 1 << 31;

/// How the weights of every layer are drawn. `fan_in` is the number of inputs to a layer, `fan_out` its neurons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// N(0, σ²).
    Normal,
    /// Uniform with standard deviation σ: U(±σ√3).
    Uniform,
    /// Every weight equals σ.
    Constant,
    /// Every weight is zero.
    Zeros,
    /// Glorot & Bengio: N(0, gain² · 2/(fan_in + fan_out)).
    XavierNormal,
    /// Glorot & Bengio: U(±gain · √(6/(fan_in + fan_out))).
    XavierUniform,
    /// He et al.: N(0, gain² · 2/((1 + a²) fan_in)), `a` the leaky-ReLU slope (0 otherwise).
    HeNormal,
    /// He et al.: U(±gain · √(6/((1 + a²) fan_in))).
    HeUniform,
    /// LeCun: N(0, gain²/fan_in).
    LecunNormal,
    /// PyTorch's `nn.Linear` default, `kaiming_uniform_(a=√5)`: U(±gain/√fan_in).
    PytorchDefault,
    /// Saxe et al.: a random (semi-)orthogonal matrix times gain.
    Orthogonal,
}

impl Scheme {
    /// Every scheme, in the order the page lists them.
    pub const ALL: [Scheme; 11] = [
        Scheme::Normal,
        Scheme::Uniform,
        Scheme::Constant,
        Scheme::Zeros,
        Scheme::XavierNormal,
        Scheme::XavierUniform,
        Scheme::HeNormal,
        Scheme::HeUniform,
        Scheme::LecunNormal,
        Scheme::PytorchDefault,
        Scheme::Orthogonal,
    ];

    /// The name used in configs and URLs.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Normal => "normal",
            Scheme::Uniform => "uniform",
            Scheme::Constant => "constant",
            Scheme::Zeros => "zeros",
            Scheme::XavierNormal => "xavier-normal",
            Scheme::XavierUniform => "xavier-uniform",
            Scheme::HeNormal => "he-normal",
            Scheme::HeUniform => "he-uniform",
            Scheme::LecunNormal => "lecun-normal",
            Scheme::PytorchDefault => "pytorch-default",
            Scheme::Orthogonal => "orthogonal",
        }
    }

    /// Whether every neuron of a layer gets the same weights (no randomness at all).
    pub fn is_symmetric(self) -> bool {
        matches!(self, Scheme::Constant | Scheme::Zeros)
    }
}

/// The nonlinearity applied after every hidden layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation {
    /// max(0, z).
    Relu,
    /// z for z > 0, slope · z otherwise.
    LeakyRelu {
        /// The negative-side slope, in [0, 1].
        slope: f64,
    },
    /// tanh(z).
    Tanh,
    /// 1/(1 + e^−z).
    Sigmoid,
    /// z.
    Linear,
}

impl Activation {
    /// The name used in configs and URLs.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky-relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Linear => "linear",
        }
    }

    /// The allowed activation names.
    pub const NAMES: [&'static str; 5] = ["relu", "leaky-relu", "tanh", "sigmoid", "linear"];
}

/// Where the network's input comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// Given samples, row-major: `samples × features` values.
    Given {
        /// The values, `samples` rows of `features`.
        values: Vec<f64>,
        /// Number of samples (rows).
        samples: usize,
        /// Number of features (columns).
        features: usize,
    },
    /// `samples × features` values drawn from N(0, 1) with the config's seed.
    Random {
        /// Number of samples (rows).
        samples: usize,
        /// Number of features (columns).
        features: usize,
    },
}

impl Input {
    /// Number of samples in the batch.
    pub fn samples(&self) -> usize {
        match self {
            Input::Given { samples, .. } | Input::Random { samples, .. } => *samples,
        }
    }

    /// Number of features per sample.
    pub fn features(&self) -> usize {
        match self {
            Input::Given { features, .. } | Input::Random { features, .. } => *features,
        }
    }
}

/// A validated simulation config. Build one with [`Config::default`] or [`Config::from_value`].
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The network's input (default: the article's single sample `[1, 2, 3, 4, 5]`).
    pub input: Input,
    /// Number of hidden layers, 1 to [`MAX_LAYERS`] (default 8).
    pub layers: usize,
    /// Neurons per hidden layer, 1 to [`MAX_WIDTH`] (default 10).
    pub width: usize,
    /// How weights are drawn (default [`Scheme::Normal`]).
    pub scheme: Scheme,
    /// Standard deviation for `normal` and `uniform`, the value for `constant`; 0 to 1e6 (default 0.01).
    pub sigma: f64,
    /// Multiplier for the fan-based schemes and orthogonal; 0 to 1e6 (default 1).
    pub gain: f64,
    /// Every bias; −1e6 to 1e6 (default 0).
    pub bias: f64,
    /// The nonlinearity (default ReLU).
    pub activation: Activation,
    /// The seed, 0 to 2^53 − 1 (default 0).
    pub seed: u64,
    /// Bins of each layer's activation histogram, 1 to [`MAX_BINS`] (default 30).
    pub bins: usize,
    /// Record the first sample's output of every neuron of every layer (default false); allowed
    /// while layers × width ≤ [`MAX_TRACE`].
    pub trace: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            input: Input::Given {
                values: vec![1.0, 2.0, 3.0, 4.0, 5.0],
                samples: 1,
                features: 5,
            },
            layers: 8,
            width: 10,
            scheme: Scheme::Normal,
            sigma: 0.01,
            gain: 1.0,
            bias: 0.0,
            activation: Activation::Relu,
            seed: 0,
            bins: 30,
            trace: false,
        }
    }
}

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

/// The top-level fields a config may have.
pub const FIELDS: [&str; 12] = [
    "input",
    "layers",
    "width",
    "scheme",
    "sigma",
    "gain",
    "bias",
    "activation",
    "slope",
    "seed",
    "bins",
    "trace",
];

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

    /// Values held at once: `layers × width × (width + samples)`.
    pub fn cells(&self) -> u64 {
        let width = self.width as u64;
        self.layers as u64
            * width
            * (width.max(self.input.features() as u64) + self.input.samples() as u64)
    }

    /// Multiply-adds of one forward pass: `samples × Σ fan_in × width`.
    pub fn work(&self) -> u64 {
        let (w, f, s) = (
            self.width as u64,
            self.input.features() as u64,
            self.input.samples() as u64,
        );
        s * w * (f + (self.layers as u64 - 1) * w)
    }

    /// Checks [`CELL_BUDGET`] and [`WORK_BUDGET`].
    pub fn check_budget(&self) -> Result<(), ConfigError> {
        if self.cells() > CELL_BUDGET {
            return Err(error(
                "layers",
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
            return Err(error(
                "input",
                format!(
                    "samples × Σ fan_in × width must be at most {WORK_BUDGET} multiply-adds (got {}): \
                     use a smaller batch, fewer layers or a narrower layer",
                    self.work()
                ),
            ));
        }
        Ok(())
    }
}
