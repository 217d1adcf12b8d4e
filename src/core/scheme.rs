//! Drawing a layer's weights under each initialization scheme.

use super::config::{Activation, Config, Scheme};
use super::rng::Rng;
pub use super::shape::Shape;
use rand_distr::{Distribution, StandardNormal, Uniform};

/// The parameters a scheme reads besides the shape.
#[derive(Clone, Copy, Debug)]
pub struct SchemeParams {
    /// σ for `normal`/`uniform`, the value for `constant`.
    pub sigma: f64,
    /// Multiplier for fan-based schemes and orthogonal.
    pub gain: f64,
    /// The activation, so the He schemes can correct for a leaky slope.
    pub activation: Activation,
}

/// Hidden layer `l` (1-based) of `config`'s network: its weights' shape (the input's features
/// into the first layer, the width into the others, the width out of each) and the parameters its
/// scheme reads. The one place the simulation, its draws and the theory take them from.
pub fn layer(config: &Config, l: usize) -> (Shape, SchemeParams) {
    let shape = Shape {
        fan_in: if l == 1 {
            config.input.features()
        } else {
            config.width
        },
        fan_out: config.width,
    };
    let params = SchemeParams {
        sigma: config.sigma,
        gain: config.gain,
        activation: config.activation,
    };
    (shape, params)
}

impl Scheme {
    /// The variance of a single weight. For `orthogonal` it is the variance of an entry of a random
    /// semi-orthogonal matrix, gain²/max(fan_in, fan_out); for `constant` and `zeros`, whose weights
    /// are not random, it is 0.
    pub fn weight_variance(self, shape: Shape, p: SchemeParams) -> f64 {
        let (fi, fo) = (shape.fan_in as f64, shape.fan_out as f64);
        let g2 = p.gain * p.gain;
        let a = p.activation.he_slope();
        match self {
            Scheme::Normal | Scheme::Uniform => p.sigma * p.sigma,
            Scheme::Constant | Scheme::Zeros => 0.0,
            Scheme::XavierNormal | Scheme::XavierUniform => g2 * 2.0 / (fi + fo),
            Scheme::HeNormal | Scheme::HeUniform => g2 * 2.0 / ((1.0 + a * a) * fi),
            Scheme::LecunNormal => g2 / fi,
            Scheme::PytorchDefault => g2 / (3.0 * fi),
            // LSUV's scale comes from the data; before it, an orthogonal matrix of gain 1.
            Scheme::Orthogonal => g2 / fi.max(fo),
            Scheme::Lsuv => 1.0 / fi.max(fo),
        }
    }

    /// The variance of each random bias the scheme draws: PyTorch's `nn.Linear` draws its bias from
    /// U(±1/√fan_in), variance 1/(3·fan_in) (not scaled by `gain`); every other scheme draws none.
    pub fn bias_variance(self, shape: Shape) -> f64 {
        match self {
            Scheme::PytorchDefault => 1.0 / (3.0 * shape.fan_in as f64),
            _ => 0.0,
        }
    }

    /// Draws the scheme's random biases for a layer of `shape.fan_out` neurons and adds them to
    /// `out` (one per neuron); nothing for schemes that draw none.
    pub fn add_biases(self, shape: Shape, rng: &mut Rng, out: &mut [f64]) {
        let var = self.bias_variance(shape);
        if var > 0.0 {
            let a = (3.0 * var).sqrt();
            if let Ok(u) = Uniform::new_inclusive(-a, a) {
                out.iter_mut().for_each(|b| *b += u.sample(rng));
            }
        }
    }

    /// The distribution whose draws the scheme scales, for the random dense schemes: their weights
    /// are [`Scheme::unit_scale`] × unit draws, so two configs that differ only in scale (σ, gain)
    /// draw the same units and can share them. `None` for `zeros`, `constant` and the orthogonal
    /// schemes.
    pub fn unit(self) -> Option<Unit> {
        match self {
            Scheme::Normal | Scheme::XavierNormal | Scheme::HeNormal | Scheme::LecunNormal => {
                Some(Unit::Normal)
            }
            Scheme::Uniform
            | Scheme::XavierUniform
            | Scheme::HeUniform
            | Scheme::PytorchDefault => Some(Unit::Uniform),
            Scheme::Zeros | Scheme::Constant | Scheme::Orthogonal | Scheme::Lsuv => None,
        }
    }

    /// What the unit draws are multiplied by: the standard deviation for N(0, 1) draws, the
    /// half-width a = √(3·variance) for U(−1, 1) draws (U(±a) has variance a²/3). 0 for the
    /// schemes without unit draws.
    pub fn unit_scale(self, shape: Shape, p: SchemeParams) -> f64 {
        let var = self.weight_variance(shape, p);
        match self.unit() {
            Some(Unit::Normal) => var.sqrt(),
            Some(Unit::Uniform) => (3.0 * var).sqrt(),
            None => 0.0,
        }
    }

    /// Draws a `fan_in × fan_out` matrix (row-major) and appends it to `out`.
    pub fn sample_into(self, shape: Shape, p: SchemeParams, rng: &mut Rng, out: &mut Vec<f64>) {
        let n = shape.fan_in * shape.fan_out;
        let start = out.len();
        match self {
            Scheme::Zeros => out.resize(start + n, 0.0),
            Scheme::Constant => out.resize(start + n, p.sigma),
            Scheme::Orthogonal => super::orthogonal::orthogonal_into(shape, p.gain, rng, out),
            Scheme::Lsuv => super::orthogonal::orthogonal_into(shape, 1.0, rng, out),
            _ => {
                let Some(unit) = self.unit() else { return };
                unit.draw_into(n, rng, out);
                scale_units(self.unit_scale(shape, p), &mut out[start..]);
            }
        }
    }
}

/// The draws a random dense scheme scales (see [`Scheme::unit`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// N(0, 1).
    Normal,
    /// U(−1, 1), both ends included.
    Uniform,
}

impl Unit {
    /// Appends `n` draws to `out`.
    pub fn draw_into(self, n: usize, rng: &mut Rng, out: &mut Vec<f64>) {
        match self {
            Unit::Normal => {
                out.extend((0..n).map(|_| Distribution::<f64>::sample(&StandardNormal, rng)))
            }
            Unit::Uniform => {
                // A finite interval: never an error.
                if let Ok(u) = Uniform::new_inclusive(-1.0, 1.0) {
                    out.extend((0..n).map(|_| u.sample(rng)));
                }
            }
        }
    }
}

/// Weights from unit draws, in place: each times `scale`. A scale that is not positive (U(±0), a
/// variance of 0) gives +0 everywhere.
pub fn scale_units(scale: f64, values: &mut [f64]) {
    if scale > 0.0 {
        values.iter_mut().for_each(|w| *w *= scale);
    } else {
        values.fill(0.0);
    }
}
