//! The simulation's configuration: its types, defaults, limits and work budgets. Turning a loosely
//! typed value into a config lives in [`super::validate`].

use super::validate::error;
pub use super::validate::ConfigError;

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

impl Config {
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
