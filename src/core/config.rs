//! The simulation's configuration: its types, defaults and work budgets. The names, ranges and
//! defaults themselves are the schema's ([`super::schema`]); turning a loosely typed value into a
//! config is [`super::validate`]'s.

use super::orthogonal::Householder;
use super::schema::{self, simulate as f, Default as Given, Field, ACTIVATIONS, SCHEMES};
use super::shape::Shape;

pub use super::schema::{MAX_FEATURES, MAX_LAYERS, MAX_SAMPLES, MAX_SEED, MAX_TRACE, MAX_WIDTH};

/// Memory budget: `layers × width × (max(width, features) + samples)` may not exceed this (2^25
/// values, 256 MiB of activations and weights).
pub const CELL_BUDGET: u64 = 1 << 25;
/// Time budget: the operations [`Config::work`] counts may not exceed this (about a second in
/// WebAssembly on one core of the 2-core development machine).
pub const WORK_BUDGET: u64 = 4 << 30;

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
    /// PyTorch's `nn.Linear` default: weights `kaiming_uniform_(a=√5)`, U(±gain/√fan_in), and
    /// biases U(±1/√fan_in).
    PytorchDefault,
    /// Saxe et al.: a random (semi-)orthogonal matrix times gain.
    Orthogonal,
    /// Mishkin & Matas (LSUV): orthogonal, then each layer in turn rescaled so that its
    /// pre-activations (before any bias) have variance 1 on the input batch.
    Lsuv,
}

impl Scheme {
    /// Every scheme, in the order the page lists them.
    pub const ALL: [Scheme; 12] = [
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
        Scheme::Lsuv,
    ];

    /// The name used in configs and URLs: [`SCHEMES`] in the same order as [`Scheme::ALL`].
    pub fn name(self) -> &'static str {
        SCHEMES[self as usize]
    }

    /// The scheme called `name` (one of [`SCHEMES`]; anything else is `normal`).
    pub fn named(name: &str) -> Scheme {
        Scheme::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .unwrap_or(Scheme::Normal)
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
    /// The name used in configs and URLs (one of [`ACTIVATIONS`]).
    pub fn name(self) -> &'static str {
        ACTIVATIONS[match self {
            Activation::Relu => 0,
            Activation::LeakyRelu { .. } => 1,
            Activation::Tanh => 2,
            Activation::Sigmoid => 3,
            Activation::Linear => 4,
        }]
    }

    /// The activation called `name` (one of [`ACTIVATIONS`]; anything else is ReLU), with `slope`
    /// for leaky ReLU.
    pub fn named(name: &str, slope: f64) -> Activation {
        match ACTIVATIONS.iter().position(|n| *n == name) {
            Some(1) => Activation::LeakyRelu { slope },
            Some(2) => Activation::Tanh,
            Some(3) => Activation::Sigmoid,
            Some(4) => Activation::Linear,
            _ => Activation::Relu,
        }
    }
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
    /// σ_b: each bias is `bias` plus a draw from N(0, σ_b²); 0 to 1e6 (default 0).
    pub bias_sigma: f64,
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

/// A field's default number.
fn default_of(field: &Field) -> f64 {
    match field.default {
        Given::Number(x) => x,
        _ => 0.0,
    }
}

impl Input {
    /// The article's input: the single sample `[1, 2, 3, 4, 5]`.
    pub fn article() -> Input {
        Input::Given {
            values: vec![1.0, 2.0, 3.0, 4.0, 5.0],
            samples: 1,
            features: 5,
        }
    }
}

impl Default for Config {
    /// Every field at the schema's default: the article's experiment with σ = 0.01.
    fn default() -> Self {
        let name = |field: &Field| match field.default {
            Given::Name(n) => n,
            _ => "",
        };
        Config {
            input: Input::article(),
            layers: default_of(&f::LAYERS) as usize,
            width: default_of(&f::WIDTH) as usize,
            scheme: Scheme::named(name(&f::SCHEME)),
            sigma: default_of(&f::SIGMA),
            gain: default_of(&f::GAIN),
            bias: default_of(&f::BIAS),
            bias_sigma: default_of(&f::BIAS_SIGMA),
            activation: Activation::named(name(&f::ACTIVATION), default_of(&f::SLOPE)),
            seed: default_of(&f::SEED) as u64,
            bins: default_of(&f::BINS) as usize,
            trace: false,
        }
    }
}

impl Config {
    /// Values held at once: `layers × width × (max(width, features) + samples)`.
    pub fn cells(&self) -> u64 {
        let width = self.width as u64;
        self.layers as u64
            * width
            * (width.max(self.input.features() as u64) + self.input.samples() as u64)
    }

    /// Operations one call performs, counted in multiply-adds of the matrix products (the other
    /// work weighted by what it costs against one of those, as measured):
    /// - the products: forward `samples × Σ fan_in × width`, the same again backward, and again
    ///   for the weight gradient when the batch has more than one sample;
    /// - drawing the weights (8 per weight, once: the pass keeps every layer's draws);
    /// - everything done once per value (a layer's neuron for one sample): the activation and its
    ///   derivative, the moments, the histogram and the loop around each row's product. As
    ///   measured, that is about 150 multiply-adds for ReLU and the other cheap activations and
    ///   300 for tanh and sigmoid, whose `libm` functions dominate; it is what makes a narrow,
    ///   deep network slow for its products (1000 layers × 16 spends 9 in 10 of its time here);
    /// - for `orthogonal`, Householder reflections instead of the dense products and weights: as
    ///   measured, 4/3 of the dense products' time, and half the Gaussians.
    pub fn work(&self) -> u64 {
        let (w, fi, s, depth) = (
            self.width as u64,
            self.input.features() as u64,
            self.input.samples() as u64,
            self.layers as u64,
        );
        let weights = fi * w + (depth - 1) * w * w;
        let per_value = match self.activation {
            Activation::Tanh | Activation::Sigmoid => 300,
            _ => 150,
        };
        let values = depth * w * s;
        if matches!(self.scheme, Scheme::Orthogonal | Scheme::Lsuv) {
            // Reflections forward and backward, each multiply-add of them as measured about 1.5
            // of a dense product's (so a square layer costs 4/3 of its dense products with the
            // weight gradient), the weight gradient itself, and the Gaussians they are drawn
            // from. A first layer far wider than it is deep (features ≫ width) has as many
            // reflections as neurons, each as long as the input: twice a dense product's work.
            let first = Shape {
                fan_in: fi as usize,
                fan_out: w as usize,
            };
            let rest = Shape {
                fan_in: w as usize,
                fan_out: w as usize,
            };
            // Reflections as long as an input far wider than the layer run at about half the
            // speed per multiply-add (as measured: 8 × 128 on 3622 features), so count them twice.
            let wide = if fi > w { 2 } else { 1 };
            let reflections =
                wide * Householder::row_work(first) + (depth - 1) * Householder::row_work(rest);
            let gradient = if s > 1 { s * weights } else { 0 };
            let rows = s * (fi.max(w) + (depth - 1) * w);
            return 3 * s * reflections
                + gradient
                + 8 * reflections
                + 2 * rows
                + per_value * values;
        }
        let products = s * weights * if s > 1 { 3 } else { 2 };
        products + 8 * weights + per_value * values
    }
}

/// The largest magnitude of `sigma`, `gain`, `bias` and input values.
pub const MAX_MAGNITUDE: f64 = schema::MAX_MAGNITUDE;
