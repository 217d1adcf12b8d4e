//! The tables: the limits and name lists, the field kinds, every config's and chart spec's
//! fields, the layout of the results and the tags of the tape, and [`ALL`] the schemas by name.

/// Largest magnitude accepted for `sigma`, `gain`, `bias` and input values.
pub const MAX_MAGNITUDE: f64 = 1e6;
/// Largest seed: JavaScript's `Number.MAX_SAFE_INTEGER`, so every seed survives a trip through JS.
pub const MAX_SEED: f64 = 9_007_199_254_740_991.0;
/// Largest number of samples in a batch.
pub const MAX_SAMPLES: usize = 4096;
/// Largest number of input features.
pub const MAX_FEATURES: usize = 4096;
/// Most numbers an input given as arrays may hold (2^20): reading them is work too.
pub const MAX_INPUT_VALUES: usize = 1 << 20;
/// Largest number of hidden layers.
pub const MAX_LAYERS: usize = 1000;
/// Largest number of neurons in a hidden layer.
pub const MAX_WIDTH: usize = 4096;
/// Largest `layers × width` for which `trace` may be asked.
pub const MAX_TRACE: usize = 1 << 16;
/// Most numbers in one array of a chart spec (a weight sample, a histogram's counts).
pub const MAX_CHART_VALUES: usize = 1 << 18;
/// Most points of one line: a line chart draws at most 64 × 4096 of them, about a second.
pub const MAX_LINE_POINTS: usize = 4096;
/// Most cells of one grid: as many as `trace` records.
pub const MAX_GRID_CELLS: usize = MAX_TRACE;
/// Most values one call may carry across the boundary, all arrays together (2^22).
pub const MAX_ITEMS: usize = 1 << 22;
/// Longest string read.
pub const MAX_TEXT: usize = 200;
/// Most keys read from one object.
pub const MAX_KEYS: usize = 64;
/// Deepest nesting read: spec → panels → panel → series → one line → its values.
pub const MAX_DEPTH: usize = 6;

/// Weight initialization schemes, in the order the page lists them (see `Scheme::ALL`).
pub const SCHEMES: [&str; 12] = [
    "normal",
    "uniform",
    "constant",
    "zeros",
    "xavier-normal",
    "xavier-uniform",
    "he-normal",
    "he-uniform",
    "lecun-normal",
    "pytorch-default",
    "orthogonal",
    "lsuv",
];
/// Schemes the training figure's networks may start from: all but LSUV (the last), which needs a
/// batch.
pub const TRAIN_SCHEMES: &[&str] = SCHEMES.split_at(SCHEMES.len() - 1).0;
/// How the page's controls name each scheme, in the order of [`SCHEMES`].
pub const SCHEME_LABELS: [&str; 12] = [
    "normal N(0, σ²)",
    "uniform, std σ",
    "constant σ",
    "zeros",
    "Xavier normal",
    "Xavier uniform",
    "He normal",
    "He uniform",
    "LeCun normal",
    "PyTorch Linear default",
    "orthogonal",
    "LSUV (orthogonal, then unit variance)",
];
/// Schemes whose scale is `sigma` (the others set theirs from the layer sizes and `gain`).
pub const SIGMA_SCHEMES: [&str; 3] = ["normal", "uniform", "constant"];
/// Activation functions (see `Activation`).
pub const ACTIVATIONS: [&str; 5] = ["relu", "leaky-relu", "tanh", "sigmoid", "linear"];
/// How the page's controls name each activation, in the order of [`ACTIVATIONS`].
pub const ACTIVATION_LABELS: [&str; 5] = ["ReLU", "leaky ReLU", "tanh", "sigmoid", "linear"];
/// Activations the training figure's network may use.
pub const TRAIN_ACTIVATIONS: [&str; 2] = ["relu", "tanh"];
/// Training data sets (see `Dataset`).
pub const DATASETS: [&str; 4] = ["spiral", "moons", "circles", "digits"];
/// The optimizers training offers.
pub const OPTIMIZERS: [&str; 2] = ["sgd", "adam"];
/// Densities the weight chart can draw.
pub const DENSITIES: [&str; 2] = ["normal", "uniform"];

/// What a field holds.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A whole number in `[min, max]`.
    Whole {
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
    },
    /// A finite number in `[min, max]`.
    Number {
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
    },
    /// One of these names.
    Name(&'static [&'static str]),
    /// `true` or `false`.
    Flag,
    /// A string of at most [`MAX_TEXT`] characters.
    Text,
    /// An array (or typed array) of at most `max` numbers; NaN and ±Infinity are allowed (in a
    /// chart they mark overflow).
    Numbers {
        /// Most numbers.
        max: usize,
    },
    /// An array of at most `rows` arrays of numbers (a grid).
    Rows {
        /// Most rows.
        rows: usize,
    },
    /// An array of at most `max` objects, each checked against `item`.
    List {
        /// What each object holds.
        item: &'static Schema,
        /// Most objects.
        max: usize,
    },
    /// The simulator's input: one sample, a batch of samples, or `{ samples, features }`.
    Input,
}

/// A field's value when it is absent.
#[derive(Clone, Copy, Debug)]
pub enum Default {
    /// A number.
    Number(f64),
    /// A name.
    Name(&'static str),
    /// A flag.
    Flag(bool),
    /// An empty string, array or list.
    Empty,
    /// The article's input, `[1, 2, 3, 4, 5]`.
    ArticleInput,
}

/// One field of a config or spec.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// Its key.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Its value when absent.
    pub default: Default,
    /// What it means, for documentation and the TypeScript declarations.
    pub doc: &'static str,
}

/// A config or spec: an object with these fields and no others.
#[derive(Clone, Copy, Debug)]
pub struct Schema {
    /// The TypeScript interface's name.
    pub name: &'static str,
    /// How error messages name the object (`config`, `spec`, `theme`).
    pub root: &'static str,
    /// What it is.
    pub doc: &'static str,
    /// A small valid example, for messages.
    pub example: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
}

impl Field {
    /// The largest value a numeric field allows (0 for other kinds).
    pub fn max(&self) -> f64 {
        match self.kind {
            Kind::Whole { max, .. } | Kind::Number { max, .. } => max,
            _ => 0.0,
        }
    }
}

impl Schema {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

const fn whole(name: &'static str, min: f64, max: f64, default: f64, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::Whole { min, max },
        default: Default::Number(default),
        doc,
    }
}

const fn number(name: &'static str, min: f64, max: f64, default: f64, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::Number { min, max },
        default: Default::Number(default),
        doc,
    }
}

const fn name(
    name: &'static str,
    names: &'static [&'static str],
    default: &'static str,
    doc: &'static str,
) -> Field {
    Field {
        name,
        kind: Kind::Name(names),
        default: Default::Name(default),
        doc,
    }
}

const fn flag(name: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::Flag,
        default: Default::Flag(false),
        doc,
    }
}

const fn text(name: &'static str, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::Text,
        default: Default::Empty,
        doc,
    }
}

const fn numbers(name: &'static str, max: usize, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::Numbers { max },
        default: Default::Empty,
        doc,
    }
}

const fn list(name: &'static str, item: &'static Schema, max: usize, doc: &'static str) -> Field {
    Field {
        name,
        kind: Kind::List { item, max },
        default: Default::Empty,
        doc,
    }
}

/// The fields of `simulate`'s config (and of `weights`' first argument).
pub mod simulate {
    use super::*;

    /// The input batch.
    pub const INPUT: Field = Field {
        name: "input",
        kind: Kind::Input,
        default: Default::ArticleInput,
        doc: "One sample (numbers), a batch of equal-length samples (arrays of numbers), or { samples, features } for N(0, 1) inputs drawn from the seed. At most 4096 samples × 4096 features; given numbers within ±1e6, at most 1048576 of them. Default [1, 2, 3, 4, 5].",
    };
    /// Hidden layers.
    pub const LAYERS: Field = whole("layers", 1.0, MAX_LAYERS as f64, 8.0, "Hidden layers.");
    /// Neurons per hidden layer.
    pub const WIDTH: Field = whole(
        "width",
        1.0,
        MAX_WIDTH as f64,
        10.0,
        "Neurons per hidden layer.",
    );
    /// The initialization scheme.
    pub const SCHEME: Field = name(
        "scheme",
        &SCHEMES,
        "normal",
        "How every layer's weights are drawn (\"pytorch-default\" draws the biases too, U(±1/√fan_in), as nn.Linear does).",
    );
    /// σ of the σ-scaled schemes.
    pub const SIGMA: Field = number(
        "sigma",
        0.0,
        MAX_MAGNITUDE,
        0.01,
        "Standard deviation of \"normal\" and \"uniform\", the value of \"constant\".",
    );
    /// The fan-based schemes' gain.
    pub const GAIN: Field = number(
        "gain",
        0.0,
        MAX_MAGNITUDE,
        1.0,
        "Multiplies the fan-based schemes and \"orthogonal\".",
    );
    /// Every bias.
    pub const BIAS: Field = number("bias", -MAX_MAGNITUDE, MAX_MAGNITUDE, 0.0, "Every bias.");
    /// Spread of random biases.
    pub const BIAS_SIGMA: Field = number(
        "biasSigma",
        0.0,
        MAX_MAGNITUDE,
        0.0,
        "σ_b: each neuron's bias is `bias` plus a draw from N(0, σ_b²), as in the mean-field theory of the edge of chaos.",
    );
    /// The nonlinearity.
    pub const ACTIVATION: Field = name(
        "activation",
        &ACTIVATIONS,
        "relu",
        "The nonlinearity after every hidden layer.",
    );
    /// Leaky ReLU's negative slope.
    pub const SLOPE: Field = number(
        "slope",
        0.0,
        1.0,
        0.01,
        "Negative slope of \"leaky-relu\" (the He schemes correct for it).",
    );
    /// The seed.
    pub const SEED: Field = whole(
        "seed",
        0.0,
        MAX_SEED,
        0.0,
        "Same config and seed, same numbers, on every platform.",
    );
    /// Histogram bins.
    pub const BINS: Field = whole("bins", 1.0, 256.0, 30.0, "Bins of each layer's histogram.");
    /// Record every neuron's output.
    pub const TRACE: Field = flag(
        "trace",
        "Record every neuron's output for the first sample (allowed while layers × width ≤ 65536).",
    );

    /// `simulate`'s config.
    pub const SCHEMA: Schema = Schema {
        name: "SimulateConfig",
        root: "config",
        doc: "Every field is optional; the defaults are the article's experiment with σ = 0.01.",
        example: "{ sigma: 0.5 }",
        fields: &[
            INPUT, LAYERS, WIDTH, SCHEME, SIGMA, GAIN, BIAS, BIAS_SIGMA, ACTIVATION, SLOPE, SEED,
            BINS, TRACE,
        ],
    };

    /// `weights`' second argument: a hidden layer, 1-based (at most the config's `layers`).
    pub const LAYER: Field = whole(
        "layer",
        1.0,
        MAX_LAYERS as f64,
        1.0,
        "A hidden layer, 1-based.",
    );
}

/// The fields of `new Trainer(config)`.
pub mod train {
    use super::*;

    /// The data set.
    pub const DATASET: Field = name(
        "dataset",
        &DATASETS,
        "spiral",
        "The data set: three 2-D sets of two classes, or the 8 × 8 handwritten digits (64 inputs, 10 classes, a fixed test set of 297 images; load them first with loadDigits).",
    );
    /// Points in the data set.
    pub const POINTS: Field = whole(
        "points",
        20.0,
        5000.0,
        400.0,
        "Points in a 2-D data set (the digits have their own 1,500 training images).",
    );
    /// Hidden layers.
    pub const LAYERS: Field = whole("layers", 1.0, 40.0, 20.0, "Hidden layers.");
    /// Neurons per hidden layer.
    pub const WIDTH: Field = whole("width", 2.0, 64.0, 16.0, "Neurons per hidden layer.");
    /// The nonlinearity.
    pub const ACTIVATION: Field = name(
        "activation",
        &TRAIN_ACTIVATIONS,
        "relu",
        "The nonlinearity after every hidden layer.",
    );
    /// How the weights start.
    pub const SCHEME: Field = name(
        "scheme",
        TRAIN_SCHEMES,
        "he-normal",
        "How the weights start (every layer, the output layer too); biases start at 0, or drawn as the scheme draws them (\"pytorch-default\": U(±1/√fan_in)).",
    );
    /// Learning rate.
    pub const LR: Field = number("lr", 0.0, 10.0, 0.01, "Learning rate.");
    /// Momentum.
    pub const MOMENTUM: Field = number("momentum", 0.0, 0.99, 0.9, "Momentum of SGD.");
    /// The optimizer.
    pub const OPTIMIZER: Field = name(
        "optimizer",
        &OPTIMIZERS,
        "sgd",
        "SGD with momentum, or Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, with bias correction; momentum unused).",
    );
    /// Minibatch size.
    pub const BATCH: Field = whole("batch", 1.0, 512.0, 32.0, "Minibatch size.");

    /// The training config.
    pub const SCHEMA: Schema = Schema {
        name: "TrainConfig",
        root: "config",
        doc: "Every field is optional; the defaults are the figure's: 20 ReLU layers of 16 on the spiral, He, SGD with learning rate 0.01 and momentum 0.9.",
        example: "{ scheme: \"he-normal\" }",
        fields: &[
            DATASET,
            POINTS,
            LAYERS,
            WIDTH,
            ACTIVATION,
            SCHEME,
            super::simulate::SIGMA,
            LR,
            MOMENTUM,
            OPTIMIZER,
            BATCH,
            super::simulate::SEED,
        ],
    };

    /// `train(steps)`: steps in one call (further bounded by the network's size, see `Trainer`).
    pub const STEPS: Field = whole(
        "steps",
        0.0,
        100_000.0,
        0.0,
        "SGD steps to take in this call.",
    );
    /// `boundary(res)`: the grid's side.
    pub const RES: Field = whole(
        "res",
        2.0,
        100.0,
        20.0,
        "Points along each side of the grid.",
    );
}

/// `edgeOfChaos`: the mean-field theory of signal propagation (see `core::meanfield`).
pub mod edge {
    use super::*;

    /// The nonlinearity.
    pub const ACTIVATION: Field = name(
        "activation",
        &TRAIN_ACTIVATIONS,
        "tanh",
        "The nonlinearity.",
    );
    /// σ_w².
    pub const SW2: Field = number("sw2", 0.01, 10.0, 1.5, "σ_w²: weights are N(0, σ_w²/n).");
    /// σ_b².
    pub const SB2: Field = number("sb2", 0.0, 2.0, 0.05, "σ_b²: biases are N(0, σ_b²).");
    /// Layers of the two-input recursion.
    pub const LAYERS: Field = whole(
        "layers",
        0.0,
        200.0,
        0.0,
        "Layers of the two-input recursion (`pair`).",
    );
    /// First input's q.
    pub const Q1: Field = number(
        "q1",
        0.0,
        100.0,
        1.0,
        "Second moment of the first input's pre-activations at layer 1.",
    );
    /// Second input's q.
    pub const Q2: Field = number(
        "q2",
        0.0,
        100.0,
        1.0,
        "Second moment of the second input's pre-activations at layer 1.",
    );
    /// Their correlation.
    pub const C: Field = number(
        "c",
        -1.0,
        1.0,
        0.5,
        "Correlation of the two inputs' pre-activations at layer 1.",
    );
    /// Phase-diagram columns.
    pub const COLUMNS: Field = whole(
        "columns",
        0.0,
        48.0,
        0.0,
        "Columns of the χ₁ grid over σ_w² (0: no grid).",
    );
    /// Phase-diagram rows.
    pub const ROWS: Field = whole("rows", 0.0, 32.0, 0.0, "Rows of the χ₁ grid over σ_b².");
    /// The grid's largest σ_w².
    pub const SW2_MAX: Field = number(
        "sw2Max",
        0.1,
        10.0,
        4.0,
        "The grid spans σ_w² from 0 to this.",
    );
    /// The grid's largest σ_b².
    pub const SB2_MAX: Field = number(
        "sb2Max",
        0.01,
        2.0,
        0.5,
        "The grid spans σ_b² from 0 to this.",
    );

    /// `edgeOfChaos`'s config.
    pub const SCHEMA: Schema = Schema {
        name: "EdgeConfig",
        root: "config",
        doc: "Every field is optional: a point (σ_w², σ_b²), optionally two inputs to follow through `layers` layers and a grid of χ₁ over the phase diagram.",
        example: "{ sw2: 1.5, sb2: 0.05 }",
        fields: &[
            ACTIVATION, SW2, SB2, LAYERS, Q1, Q2, C, COLUMNS, ROWS, SW2_MAX, SB2_MAX,
        ],
    };
}

/// `residual`: residual blocks at initialization (see `core::residual`).
pub mod residual {
    use super::*;

    /// Blocks.
    pub const BLOCKS: Field = whole("blocks", 1.0, 100.0, 50.0, "Residual blocks L.");
    /// Width.
    pub const WIDTH: Field = whole("width", 2.0, 256.0, 128.0, "Neurons per layer.");
    /// Samples.
    pub const SAMPLES: Field = whole("samples", 1.0, 64.0, 32.0, "Input samples, each N(0, 1).");
    /// The branch's scale.
    pub const ALPHA: Field = number(
        "alpha",
        0.0,
        2.0,
        1.0,
        "α in x + α F(x): 1 as in He et al.; 1/√L keeps the growth to about e; 0 is a branch whose last layer starts at zero (Fixup, SkipInit).",
    );
    /// Normalization.
    pub const NORM: Field = name(
        "norm",
        &["none", "pre"],
        "none",
        "\"pre\": a LayerNorm before each branch (pre-LN), x + α F(LN(x)).",
    );
    /// The seed.
    pub const SEED: Field = simulate::SEED;

    /// `residual`'s config.
    pub const SCHEMA: Schema = Schema {
        name: "ResidualConfig",
        root: "config",
        doc: "Every field is optional: blocks x + α F(x) with a He-initialized branch F(y) = W₂ relu(W₁ relu(y)).",
        example: "{ blocks: 50, alpha: 1, norm: \"pre\" }",
        fields: &[BLOCKS, WIDTH, SAMPLES, ALPHA, NORM, SEED],
    };
}

/// `attention`: the softmax of query–key dot products at initialization (see `core::attention`).
pub mod attention {
    use super::*;

    /// The dimension.
    pub const D: Field = whole(
        "d",
        1.0,
        2048.0,
        64.0,
        "Entries per query and key, each N(0, 1).",
    );
    /// Keys.
    pub const KEYS: Field = whole("keys", 2.0, 256.0, 64.0, "Keys each query attends over.");
    /// Queries.
    pub const QUERIES: Field = whole("queries", 1.0, 32.0, 8.0, "Queries per sequence.");
    /// Sequences.
    pub const SEQUENCES: Field = whole(
        "sequences",
        1.0,
        32.0,
        32.0,
        "Sequences, each its own keys and queries.",
    );
    /// The seed.
    pub const SEED: Field = simulate::SEED;
    /// Leave out the theory.
    pub const SKIP_THEORY: Field = flag(
        "skipTheory",
        "Leave out the theory (it does not depend on the seed; callers sweeping d can keep it).",
    );

    /// `attention`'s config.
    pub const SCHEMA: Schema = Schema {
        name: "AttentionConfig",
        root: "config",
        doc: "Every field is optional: sequences of keys and queries of d N(0, 1) entries, their scores with and without the 1/√d scale.",
        example: "{ d: 256 }",
        fields: &[D, KEYS, SEQUENCES, QUERIES, SEED, SKIP_THEORY],
    };
}

/// `isometry`: the input–output Jacobian's singular values at a critical point (see
/// `core::isometry`).
pub mod isometry {
    use super::*;

    /// The nonlinearity.
    pub const ACTIVATION: Field = name(
        "activation",
        &["linear", "tanh", "relu"],
        "linear",
        "The nonlinearity; each at its critical point (linear σ_w² = 1, ReLU σ_w² = 2, tanh on its critical line at q*).",
    );
    /// Orthogonal or Gaussian weights.
    pub const WEIGHTS: Field = name(
        "weights",
        &["orthogonal", "gaussian"],
        "orthogonal",
        "Scaled orthogonal matrices or N(0, σ_w²/n) entries.",
    );
    /// Layers.
    pub const LAYERS: Field = whole("layers", 1.0, 128.0, 32.0, "Layers L.");
    /// Width.
    pub const WIDTH: Field = whole(
        "width",
        2.0,
        128.0,
        128.0,
        "Neurons per layer (square layers).",
    );
    /// tanh's fixed point.
    pub const Q: Field = number(
        "q",
        1e-4,
        10.0,
        0.01,
        "tanh: the fixed point q* on the critical line (σ_w², σ_b² follow from it).",
    );
    /// The seed.
    pub const SEED: Field = simulate::SEED;

    /// `isometry`'s config.
    pub const SCHEMA: Schema = Schema {
        name: "IsometryConfig",
        root: "config",
        doc: "Every field is optional: a square network at the edge of chaos, its input–output Jacobian's singular values.",
        example: "{ activation: \"tanh\", q: 0.01, layers: 32 }",
        fields: &[ACTIVATION, WEIGHTS, LAYERS, WIDTH, Q, SEED],
    };
}

/// The chart specs of the drawing exports.
pub mod chart {
    use super::*;

    /// `{ dark, scale }`.
    pub const THEME: Schema = Schema {
        name: "Theme",
        root: "theme",
        doc: "Colours and scale of a chart.",
        example: "{ dark: false, scale: 2 }",
        fields: &[
            flag("dark", "Dark background."),
            number(
                "scale",
                0.25,
                8.0,
                1.0,
                "Device pixels per CSS pixel (devicePixelRatio); drawn clamped to 0.5–4.",
            ),
        ],
    };

    /// A palette index.
    const COLOR: Field = whole("color", 0.0, 63.0, 0.0, "Palette index.");
    /// A title or label.
    const LABEL: Field = text(
        "label",
        "Legend text; empty leaves the item out of the legend.",
    );
    const TITLE: Field = text("title", "Panel title.");
    /// Column count.
    const fn columns(default: f64) -> Field {
        whole("columns", 1.0, 12.0, default, "Panels per row.")
    }

    /// One line of a line chart.
    pub const SERIES: Schema = Schema {
        name: "LineSeries",
        root: "series",
        doc: "One line: values[i] is drawn at x = xStart + i·xStep.",
        example: "{ values: [1, 2] }",
        fields: &[
            LABEL,
            COLOR,
            flag("dashed", "Dashed (theory)."),
            flag("markers", "A marker at each point (lines of up to 400 points)."),
            number(
                "width",
                0.0,
                8.0,
                0.0,
                "Line width in CSS pixels; 0 draws 2 for a solid line and 1.5 for a dashed one.",
            ),
            numbers(
                "values",
                MAX_LINE_POINTS,
                "The values; NaN and ±Infinity mark overflow, and on a log axis values ≤ 0 sit on the floor.",
            ),
            flag(
                "ghost",
                "Draw nothing (no line, markers, legend entry or overflow band): the values only stretch the axes, the x extent and a log axis's fitted range (a linear axis keeps yMin–yMax), so that the axes can hold a curve not shown yet.",
            ),
        ],
    };
    /// The axis fields a line chart and its small multiples share.
    const AXES: [Field; 7] = [
        text("xLabel", "Label of the x axis."),
        text("yLabel", "Label of the y axis."),
        flag(
            "log",
            "Logarithmic y axis fitted to the data (yMin and yMax are then unused).",
        ),
        number("yMin", -1e12, 1e12, 0.0, "Bottom of a linear y axis."),
        number(
            "yMax",
            -1e12,
            1e12,
            1.0,
            "Top of a linear y axis (above yMin).",
        ),
        number("xStart", -1e9, 1e9, 1.0, "x of each series' first value."),
        number(
            "xStep",
            1e-6,
            1e9,
            1.0,
            "x distance between consecutive values.",
        ),
    ];
    const LINES_FIELDS: [Field; 8] = [
        AXES[0],
        AXES[1],
        AXES[2],
        AXES[3],
        AXES[4],
        AXES[5],
        AXES[6],
        list("series", &SERIES, 64, "The lines, drawn in order."),
    ];
    /// Lines over layers.
    pub const LINES: Schema = Schema {
        name: "LinesSpec",
        root: "spec",
        doc: "Lines over layers (drawLines).",
        example: "{ series: [{ values: [1, 2] }] }",
        fields: &LINES_FIELDS,
    };
    /// One panel of line charts.
    pub const LINE_PANEL: Schema = Schema {
        name: "LinePanel",
        root: "panel",
        doc: "One panel: a title (a second line after \\n is set smaller) and its lines.",
        example: "{ title: \"σ = 0.5\", series: [{ values: [1, 2] }] }",
        fields: &[
            text(
                "title",
                "Panel title; a second line after \\n is set smaller.",
            ),
            list("series", &SERIES, 16, "The lines, drawn in order."),
        ],
    };
    const LINE_PANELS_FIELDS: [Field; 9] = [
        AXES[0],
        AXES[1],
        AXES[2],
        AXES[3],
        AXES[4],
        AXES[5],
        AXES[6],
        columns(3.0),
        list(
            "panels",
            &LINE_PANEL,
            12,
            "The panels, row by row; each has its own y range.",
        ),
    ];
    /// Line charts as small multiples.
    pub const LINE_PANELS: Schema = Schema {
        name: "LinePanelsSpec",
        root: "spec",
        doc: "Line charts as small multiples with one legend, each panel with its own y range (drawLinePanels).",
        example: "{ panels: [{ series: [{ values: [1, 2] }] }] }",
        fields: &LINE_PANELS_FIELDS,
    };

    /// One histogram panel.
    pub const HISTOGRAM: Schema = Schema {
        name: "HistogramPanel",
        root: "panel",
        doc: "One histogram: counts over equal bins from lo to hi.",
        example: "{ lo: 0, hi: 1, counts: [3, 4] }",
        fields: &[
            TITLE,
            number("lo", -1e300, 1e300, 0.0, "Left edge of the first bin."),
            number("hi", -1e300, 1e300, 1.0, "Right edge of the last bin."),
            numbers("counts", MAX_CHART_VALUES, "Values per bin."),
            number(
                "nonFinite",
                0.0,
                1e300,
                0.0,
                "Values that were NaN or ±Infinity.",
            ),
        ],
    };
    /// Histograms as small multiples.
    pub const HISTOGRAMS: Schema = Schema {
        name: "HistogramsSpec",
        root: "spec",
        doc: "Histograms as small multiples (drawHistograms).",
        example: "{ panels: [{ lo: 0, hi: 1, counts: [3, 4] }] }",
        fields: &[
            columns(3.0),
            COLOR,
            list("panels", &HISTOGRAM, 64, "The panels, row by row."),
        ],
    };

    /// One set of sampled weights.
    pub const WEIGHT_SAMPLE: Schema = Schema {
        name: "WeightSample",
        root: "sample",
        doc: "Sampled weights and the density they were drawn from.",
        example: "{ values: [0.1, -0.2], kind: \"normal\", param: 0.1 }",
        fields: &[
            LABEL,
            COLOR,
            numbers(
                "values",
                MAX_CHART_VALUES,
                "The weights; values beyond ±1e100, NaN and ±Infinity are left out.",
            ),
            name("kind", &DENSITIES, "normal", "The density drawn over them."),
            number(
                "param",
                1e-300,
                1e12,
                1.0,
                "σ of a normal, the half-width of a uniform.",
            ),
        ],
    };
    /// Sampled weights with their densities.
    pub const WEIGHTS: Schema = Schema {
        name: "WeightsSpec",
        root: "spec",
        doc: "Sampled weights with their densities (drawWeights).",
        example: "{ samples: [{ values: [0.1, -0.2] }] }",
        fields: &[
            whole("bins", 1.0, 400.0, 40.0, "Histogram bins."),
            list("samples", &WEIGHT_SAMPLE, 8, "The samples, overlaid."),
        ],
    };

    /// One neurons × layers grid.
    pub const GRID: Schema = Schema {
        name: "Grid",
        root: "grid",
        doc: "values[l][j]: neuron j's output at layer l + 1.",
        example: "{ values: [[1, 2], [3, 4]] }",
        fields: &[
            TITLE,
            Field {
                name: "values",
                kind: Kind::Rows { rows: MAX_LAYERS },
                default: Default::Empty,
                doc: "One array of neuron outputs per layer; at most 65536 values in all.",
            },
        ],
    };
    /// Neurons × layers grids.
    pub const GRIDS: Schema = Schema {
        name: "GridsSpec",
        root: "spec",
        doc: "Neurons × layers grids side by side (drawGrids).",
        example: "{ grids: [{ values: [[1, 2]] }] }",
        fields: &[list("grids", &GRID, 4, "The grids, left to right.")],
    };

    /// One decision-boundary panel.
    pub const BOUNDARY: Schema = Schema {
        name: "BoundaryPanel",
        root: "panel",
        doc: "A network's P(class 1) over the plane with the data on top.",
        example: "{ res: 2, probs: [0, 1, 1, 0] }",
        fields: &[
            TITLE,
            whole("res", 1.0, 100.0, 20.0, "Grid points along each side."),
            numbers(
                "probs",
                10_000,
                "res × res probabilities, rows from the top.",
            ),
            numbers("points", 15_000, "The data as (x, y, class) triples."),
            flag("alarm", "Mark the panel (a diverged run)."),
        ],
    };
    /// Decision boundaries.
    pub const BOUNDARIES: Schema = Schema {
        name: "BoundariesSpec",
        root: "spec",
        doc: "Decision boundaries as small multiples (drawBoundaries).",
        example: "{ panels: [{ res: 2, probs: [0, 1, 1, 0] }] }",
        fields: &[
            columns(5.0),
            list("panels", &BOUNDARY, 8, "The panels, row by row."),
        ],
    };

    /// One line of a phase diagram.
    pub const PHASE_LINE: Schema = Schema {
        name: "PhaseLine",
        root: "line",
        doc: "A line over the phase diagram, as (σ_w², σ_b²) pairs.",
        example: "{ label: \"ReLU\", points: [2, 0, 2, 0.5] }",
        fields: &[
            text("label", "Its legend entry."),
            numbers("points", 800, "(σ_w², σ_b²) pairs, in order."),
            flag("dashed", "Draw it dashed."),
        ],
    };
    /// The phase diagram of signal propagation.
    pub const PHASE: Schema = Schema {
        name: "PhaseSpec",
        root: "spec",
        doc: "χ₁ over (σ_w², σ_b²), ordered below 1 and chaotic above, with lines and a point (drawPhase).",
        example: "{ columns: 2, rows: 1, chi: [0.5, 2] }",
        fields: &[
            number("sw2Max", 0.1, 10.0, 4.0, "σ_w² at the right edge (0 at the left)."),
            number("sb2Max", 0.01, 2.0, 0.5, "σ_b² at the top (0 at the bottom)."),
            whole("columns", 0.0, 48.0, 0.0, "Columns of the grid."),
            whole("rows", 0.0, 32.0, 0.0, "Rows of the grid."),
            numbers("chi", 1536, "χ₁ per cell, row by row from the top."),
            list("lines", &PHASE_LINE, 4, "Lines to draw over it."),
            numbers("point", 2, "A point to mark, (σ_w², σ_b²)."),
        ],
    };

    /// One network's answers in a digits chart.
    pub const DIGIT_PANEL: Schema = Schema {
        name: "DigitPanel",
        root: "panel",
        doc: "A network's predicted digit for each of the chart's images.",
        example: "{ title: \"He\", predictions: [7, 2] }",
        fields: &[
            TITLE,
            numbers(
                "predictions",
                64,
                "Each image's predicted digit, 0–9; −1 where the network gives no single answer.",
            ),
            flag("alarm", "Mark the panel (a diverged run)."),
        ],
    };
    /// Test digits with each network's answers.
    pub const DIGITS: Schema = Schema {
        name: "DigitsSpec",
        root: "spec",
        doc: "8 × 8 digit images with each network's answers, wrong ones marked (drawDigits).",
        example: "{ images: [/* 64 values */], labels: [7], panels: [{ predictions: [7] }] }",
        fields: &[
            columns(5.0),
            numbers(
                "images",
                4096,
                "64 values per image, 0 (blank) to 1 (ink), row by row.",
            ),
            numbers("labels", 64, "Each image's digit."),
            list("panels", &DIGIT_PANEL, 16, "The panels, row by row."),
        ],
    };
}

/// Where a number of `simulate`'s result goes: the flat array the core returns is read, slot after
/// slot, into these names. A `?` slot is `null` when the number is NaN.
pub mod result {
    /// The header: counts, flags and markers.
    pub const HEADER: [&str; 8] = [
        "samples",
        "features",
        "layerCount",
        "bins",
        "hasTheory",
        "firstNonFiniteLayer?",
        "firstNonFiniteGradLayer?",
        "traceWidth",
    ];
    /// Per layer, followed by its histogram's `bins` counts.
    pub const LAYER: [&str; 12] = [
        "preMean",
        "preVariance",
        "postMean",
        "postVariance",
        "deadFraction?",
        "saturatedFraction?",
        "neuronSpread",
        "histogram.lo",
        "histogram.hi",
        "histogram.nonFinite",
        "gradVariance",
        "weightGradVariance",
    ];
    /// Per layer of theory, when the header's `hasTheory` is 1.
    pub const THEORY: [&str; 7] = [
        "preMean",
        "preVariance",
        "postMean",
        "postVariance",
        "gradVariance",
        "weightGradVariance",
        "preLogSpread?",
    ];
    /// `Trainer.progress()`.
    pub const PROGRESS: [&str; 6] = [
        "step",
        "loss",
        "accuracy",
        "diverged",
        "testLoss",
        "testAccuracy",
    ];
    /// `residual(config)`, in the layout of [`super::flat`]: block 0 (the input) to L.
    pub const RESIDUAL: [&str; 5] = [
        "#points",
        "forward[points]",
        "backward[points]",
        "forwardTheory[points]",
        "backwardTheory[points]",
    ];
    /// `attention(config)`, in the layout of [`super::flat`]: each side's theory is left out when
    /// it was skipped.
    pub const ATTENTION: [&str; 16] = [
        "scaled.scoreSd",
        "scaled.entropy",
        "scaled.largest",
        "scaled.jacobian",
        "#keys",
        "scaled.first[keys]",
        "scaled.theory.entropy~",
        "scaled.theory.largest~",
        "unscaled.scoreSd",
        "unscaled.entropy",
        "unscaled.largest",
        "unscaled.jacobian",
        "#keys",
        "unscaled.first[keys]",
        "unscaled.theory.entropy~",
        "unscaled.theory.largest~",
    ];
    /// `isometry(config)`, in the layout of [`super::flat`].
    pub const ISOMETRY: [&str; 9] = [
        "sw2",
        "sb2",
        "#values",
        "singularValues[values]",
        "#depths",
        "depths[depths]",
        "mean[depths]",
        "spread[depths]",
        "spreadTheory[depths]",
    ];
    /// `edgeOfChaos(config)`, in the layout of [`super::flat`]: the critical line as (σ_w², σ_b²)
    /// pairs, one after the other.
    pub const EDGE: [&str; 9] = [
        "qStar",
        "chi1",
        "depthScale",
        "criticalSw2",
        "#layers",
        "cosine[layers]",
        "#cells",
        "grid[cells]",
        "line[]",
    ];
    /// The layouts of [`super::flat`] by the name `schema().result` gives them.
    pub const FLAT: [(&str, &[&str]); 4] = [
        ("residual", &RESIDUAL),
        ("attention", &ATTENTION),
        ("isometry", &ISOMETRY),
        ("edge", &EDGE),
    ];
}

/// The tags of the tape, the flat array of numbers a JavaScript value crosses the boundary as.
/// Each value is its tag followed by its payload:
/// `UNDEFINED`, `NULL`, `FALSE`, `TRUE`; `NUMBER x`; `TEXT n c₁…cₙ` (UTF-16 code units);
/// `NUMBERS n x₁…xₙ`; `LIST n v₁…vₙ`; `MAP n (TEXT key, value)…`; `OTHER n c₁…cₙ` (a description
/// of a value that was not read, such as "a Map" or "a property that throws when read").
pub mod tape {
    /// `undefined`: the field is absent.
    pub const UNDEFINED: f64 = 0.0;
    /// `null`.
    pub const NULL: f64 = 1.0;
    /// `false`.
    pub const FALSE: f64 = 2.0;
    /// `true`.
    pub const TRUE: f64 = 3.0;
    /// A number.
    pub const NUMBER: f64 = 4.0;
    /// A string.
    pub const TEXT: f64 = 5.0;
    /// An array of numbers only.
    pub const NUMBERS: f64 = 6.0;
    /// Any other array.
    pub const LIST: f64 = 7.0;
    /// A plain object.
    pub const MAP: f64 = 8.0;
    /// A value that was described, not read.
    pub const OTHER: f64 = 9.0;
    /// The tags by name, for the `schema()` export.
    pub const NAMES: [(&str, f64); 10] = [
        ("undefined", UNDEFINED),
        ("null", NULL),
        ("false", FALSE),
        ("true", TRUE),
        ("number", NUMBER),
        ("text", TEXT),
        ("numbers", NUMBERS),
        ("list", LIST),
        ("map", MAP),
        ("other", OTHER),
    ];
}

/// Every schema the exports take, by the name the JavaScript side uses.
pub const ALL: [(&str, &Schema); 17] = [
    ("simulate", &simulate::SCHEMA),
    ("train", &train::SCHEMA),
    ("edge", &edge::SCHEMA),
    ("residual", &residual::SCHEMA),
    ("attention", &attention::SCHEMA),
    ("isometry", &isometry::SCHEMA),
    ("theme", &chart::THEME),
    ("lines", &chart::LINES),
    ("linePanels", &chart::LINE_PANELS),
    ("histograms", &chart::HISTOGRAMS),
    ("weights", &chart::WEIGHTS),
    ("grids", &chart::GRIDS),
    ("boundaries", &chart::BOUNDARIES),
    ("digits", &chart::DIGITS),
    ("phase", &chart::PHASE),
    ("series", &chart::SERIES),
    ("grid", &chart::GRID),
];
