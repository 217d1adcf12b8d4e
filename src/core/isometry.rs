//! Dynamical isometry (Saxe et al. 2013; Pennington, Schoenholz & Ganguli 2017): the singular values
//! of a deep network's input–output Jacobian J = D_L W_L ⋯ D_1 W_1 at initialization, where D_l
//! holds φ′ of layer l's pre-activations.
//!
//! At the edge of chaos (χ₁ = σ_w² E[φ′(h)²] = 1) the mean of J's squared singular values stays 1
//! at every depth; how far they spread around it decides whether every direction of the input, and
//! of the gradient, survives. Free probability gives the spread exactly in the limit of wide
//! layers (width n → ∞ at fixed depth L): the variance of the eigenvalues of JJᵀ is
//!
//!   σ²_L = L (μ₂/μ₁² − 1 − s₁),   μ_k = E[φ′(h)^(2k)] at the fixed point q*,
//!
//! with s₁ = −1 for Gaussian weights and 0 for orthogonal ones. A linear network has μ₂ = μ₁², so
//! orthogonal weights keep every singular value at exactly 1 while Gaussian ones spread as L;
//! ReLU has μ₂/μ₁² = 2 whatever the weights; tanh has μ₂/μ₁² → 1 as q* → 0, so with orthogonal
//! weights and a small q* it comes close to isometry. A network of finite width follows the
//! theory while the spread is small beside n; beyond, its smallest singular values reach 0 and its
//! spread grows more slowly than the theory's.

use super::config::{Activation, Scheme};
use super::linalg::{matmul_with, Scratch, View};
use super::quadrature::gaussian_expectation;
use super::rng::{stream, Stream};
use super::scheme::{SchemeParams, Shape};
use super::validate::Record;
use rand_distr::{Distribution, StandardNormal};

/// One network's Jacobian spectrum and its spread layer by layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Isometry {
    /// σ_w² and σ_b² of the critical point used.
    pub sw2: f64,
    /// σ_b².
    pub sb2: f64,
    /// The singular values of J at the last layer, largest first; those below n·ε times the
    /// largest (rounding, not signal) are 0.
    pub singular_values: Vec<f64>,
    /// The layers at which the spread was measured.
    pub depths: Vec<usize>,
    /// Mean of the squared singular values there (1 in theory; one network strays from it by a
    /// factor common to all its singular values).
    pub mean: Vec<f64>,
    /// Variance of the squared singular values (of JJᵀ's eigenvalues) divided by their mean
    /// squared: how far they spread, whatever that common factor; from 0 to width − 1, which a
    /// network that lost every direction is given.
    pub spread: Vec<f64>,
    /// The wide-network theory of that spread, L (μ₂/μ₁² − 1 − s₁).
    pub spread_theory: Vec<f64>,
}

/// The critical point (σ_w², σ_b²) with fixed point q* = `q` for tanh; σ_w² = 1 (linear) or 2
/// (ReLU, He) without biases, where q* plays no part.
pub fn critical_point(activation: Activation, q: f64) -> (f64, f64) {
    match activation {
        Activation::Tanh | Activation::Sigmoid => super::meanfield::critical_line(activation, &[q])
            .first()
            .copied()
            .unwrap_or((1.0, 0.0)),
        Activation::Relu => (2.0, 0.0),
        Activation::LeakyRelu { slope } => (2.0 / (1.0 + slope * slope), 0.0),
        Activation::Linear => (1.0, 0.0),
    }
}

/// μ₂/μ₁² at the fixed point q.
pub fn moment_ratio(activation: Activation, q: f64) -> f64 {
    let d2 = |z: f64| {
        let d = activation.derivative(z);
        d * d
    };
    match activation {
        Activation::Linear => 1.0,
        Activation::Relu => 2.0,
        Activation::LeakyRelu { slope } => {
            let a2 = slope * slope;
            2.0 * (1.0 + a2 * a2) / ((1.0 + a2) * (1.0 + a2))
        }
        _ => {
            let m1 = gaussian_expectation(0.0, q, d2);
            let m2 = gaussian_expectation(0.0, q, |z| d2(z) * d2(z));
            m2 / (m1 * m1)
        }
    }
}

/// The wide-network variance of JJᵀ's eigenvalues after `layers` layers.
pub fn variance_theory(activation: Activation, q: f64, orthogonal: bool, layers: usize) -> f64 {
    let s1 = if orthogonal { 0.0 } else { -1.0 };
    layers as f64 * (moment_ratio(activation, q) - 1.0 - s1)
}

/// Mean and variance of the eigenvalues of JJᵀ (the squared singular values) from tr(JJᵀ) and
/// tr((JJᵀ)²) = ‖JᵀJ‖²_F.
fn spread(j: &[f64], n: usize, scratch: &mut Vec<f64>, panels: &mut Scratch) -> (f64, f64) {
    let nf = n as f64;
    let mean = j.iter().map(|v| v * v).sum::<f64>() / nf;
    matmul_with(
        View::new(j, n, n),
        true,
        View::new(j, n, n),
        false,
        scratch,
        panels,
    );
    let second = scratch.iter().map(|v| v * v).sum::<f64>() / nf;
    // Rounding can leave a variance of exactly-equal values a hair below 0.
    (mean, (second - mean * mean).max(0.0))
}

/// Variance over mean squared of n non-negative eigenvalues, which lies from 0 (all equal) to
/// n − 1 (one non-zero); a Jacobian that lost every direction (all zero, or so small that the
/// ratio underflows) is given n − 1, the most a spread can be, rather than 0/0.
fn relative_spread(mean: f64, variance: f64, n: usize) -> f64 {
    let most = n as f64 - 1.0;
    let r = variance / (mean * mean);
    if mean > 0.0 && r.is_finite() {
        r.clamp(0.0, most)
    } else {
        most
    }
}

impl Isometry {
    /// The result flat, in the layout of [`super::schema::result::ISOMETRY`].
    pub fn flat(&self) -> Vec<f64> {
        use super::schema::flat::{pack, Item};
        let depths: Vec<f64> = self.depths.iter().map(|&d| d as f64).collect();
        pack(&super::schema::result::ISOMETRY, |name| match name {
            "sw2" => Item::Number(self.sw2),
            "sb2" => Item::Number(self.sb2),
            "singularValues" => Item::Numbers(&self.singular_values),
            "depths" => Item::Numbers(&depths),
            "mean" => Item::Numbers(&self.mean),
            "spread" => Item::Numbers(&self.spread),
            "spreadTheory" => Item::Numbers(&self.spread_theory),
            _ => panic!("isometry has no {name}"),
        })
    }
}

/// The Jacobian of a square network `width` wide and `layers` deep at a critical point, at an
/// input already at the fixed point q*, with orthogonal or Gaussian weights.
pub fn simulate(
    activation: Activation,
    q: f64,
    orthogonal: bool,
    layers: usize,
    width: usize,
    seed: u64,
) -> Isometry {
    let (sw2, sb2) = critical_point(activation, q);
    let n = width;
    let q_in = match activation {
        Activation::Tanh | Activation::Sigmoid => q,
        _ => 1.0,
    };
    // x⁰ = φ(√q* z): the input a layer at the fixed point receives.
    let mut rng = stream(seed, Stream::Input);
    let mut x: Vec<f64> = (0..n)
        .map(|_| {
            let z: f64 = StandardNormal.sample(&mut rng);
            activation.apply(q_in.sqrt() * z)
        })
        .collect();
    // J starts as the identity; each layer multiplies it by D_l W_l (rows: outputs).
    let mut j = vec![0.0; n * n];
    for i in 0..n {
        j[i * n + i] = 1.0;
    }
    let step = layers.div_ceil(32).max(1);
    let (mut depths, mut mean, mut spreads, mut theory) = (vec![], vec![], vec![], vec![]);
    let (mut w, mut h, mut next, mut scratch) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut panels = Scratch::default();
    let shape = Shape {
        fan_in: n,
        fan_out: n,
    };
    for l in 1..=layers {
        let mut rng = stream(seed, Stream::Weights(l));
        w.clear();
        // Orthogonal with gain √σ_w² (reads `gain`), or N(0, σ_w²/n) (reads `sigma`).
        let scheme = if orthogonal {
            Scheme::Orthogonal
        } else {
            Scheme::Normal
        };
        let params = SchemeParams {
            sigma: (sw2 / n as f64).sqrt(),
            gain: sw2.sqrt(),
            activation,
        };
        scheme.sample_into(shape, params, &mut rng, &mut w);
        // w is fan_in × fan_out (h = x · w); as a map from x to h its matrix is wᵀ.
        matmul_with(
            View::new(&x, 1, n),
            false,
            View::new(&w, n, n),
            false,
            &mut h,
            &mut panels,
        );
        let mut brng = stream(seed, Stream::Biases(l));
        for v in &mut h {
            let b: f64 = StandardNormal.sample(&mut brng);
            *v += sb2.sqrt() * b;
        }
        // J ← D wᵀ J.
        matmul_with(
            View::new(&w, n, n),
            true,
            View::new(&j, n, n),
            false,
            &mut next,
            &mut panels,
        );
        for (o, row) in next.chunks_exact_mut(n).enumerate() {
            let d = activation.derivative(h[o]);
            row.iter_mut().for_each(|v| *v *= d);
        }
        std::mem::swap(&mut j, &mut next);
        activation.apply_all(&h, &mut x);
        if l % step == 0 || l == layers {
            let (m, v) = spread(&j, n, &mut scratch, &mut panels);
            depths.push(l);
            mean.push(m);
            spreads.push(relative_spread(m, v, n));
            theory.push(variance_theory(activation, q_in, orthogonal, l));
        }
    }
    let mut singular_values = nalgebra::DMatrix::from_row_slice(n, n, &j)
        .singular_values()
        .as_slice()
        .to_vec();
    singular_values.sort_by(|a, b| b.total_cmp(a));
    // Below n·ε times the largest, a singular value is rounding, not signal (the usual numerical
    // rank): ReLU's zero slopes make J exactly rank-deficient, and those values are 0.
    let floor = singular_values.first().copied().unwrap_or(0.0) * n as f64 * f64::EPSILON;
    singular_values
        .iter_mut()
        .filter(|s| **s < floor)
        .for_each(|s| *s = 0.0);
    Isometry {
        sw2,
        sb2,
        singular_values,
        depths,
        mean,
        spread: spreads,
        spread_theory: theory,
    }
}

/// `isometry(config)` (see `schema::isometry`).
pub fn isometry(r: &Record) -> Isometry {
    use super::schema::isometry::{ACTIVATION, LAYERS, Q, SEED, WEIGHTS, WIDTH};
    simulate(
        Activation::named(r.name(&ACTIVATION), 0.01),
        r.number(&Q),
        r.name(&WEIGHTS) == "orthogonal",
        r.whole(&LAYERS),
        r.whole(&WIDTH),
        r.number(&SEED) as u64,
    )
}
