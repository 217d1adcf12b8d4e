//! Residual networks at initialization (He et al. 2016): blocks x_{l+1} = x_l + α F(x_l), or with a
//! LayerNorm before the branch (pre-LN, Xiong et al. 2020), x_{l+1} = x_l + α F(LN(x_l)).
//!
//! The branch F(y) = W₂ relu(W₁ relu(y)) has He-initialized n × n weights, N(0, 2/n), so it keeps
//! the second moment of its input: E[F(y)²] = E[y²]. Its output is uncorrelated with x_l (W₂ has
//! mean 0), so the second moments add:
//! - without normalization q_{l+1} = (1 + α²) q_l: q_l = (1 + α²)^l — 2^l for α = 1, about e over
//!   the whole depth for α = 1/√L (Hanin & Rolnick 2018; GPT-2 scales by 1/√(2L) for the same
//!   reason), and exactly 1 when the branch's last layer starts at zero (α = 0: Fixup, SkipInit);
//! - with pre-LN the branch sees unit variance whatever x_l holds: q_{l+1} = q_l + α², linear
//!   growth, q_l = 1 + lα².
//!
//! A gradient passes back through (I + α J_F J_LN): its mean square at block l is (1 + α²)^(L−l)
//! times that at the output without normalization; with pre-LN the LayerNorm divides it by
//! √q_k at each block k, and the product telescopes to q_L / q_l.

use super::config::{Activation, Scheme};
use super::linalg::{matmul_with, Scratch, View};
use super::rng::{stream, Stream};
use super::scheme::{SchemeParams, Shape};
use super::validate::Record;
use rand_distr::{Distribution, StandardNormal};

/// LayerNorm's ε, as PyTorch's default.
const EPS: f64 = 1e-5;

/// Per block (0 = the input, L = the output): second moments measured and predicted.
#[derive(Clone, Debug, PartialEq)]
pub struct Residual {
    /// Mean square of x_l over the batch and the neurons.
    pub forward: Vec<f64>,
    /// Mean square of ∂L/∂x_l, unit Gaussian noise as ∂L/∂x_L.
    pub backward: Vec<f64>,
    /// q_l predicted.
    pub forward_theory: Vec<f64>,
    /// The gradient's mean square predicted.
    pub backward_theory: Vec<f64>,
}

impl Residual {
    /// The result flat, in the layout of [`super::schema::result::RESIDUAL`].
    pub fn flat(&self) -> Vec<f64> {
        use super::schema::flat::{pack, Item};
        pack(&super::schema::result::RESIDUAL, |name| {
            Item::Numbers(match name {
                "forward" => &self.forward,
                "backward" => &self.backward,
                "forwardTheory" => &self.forward_theory,
                "backwardTheory" => &self.backward_theory,
                _ => panic!("residual has no {name}"),
            })
        })
    }
}

/// The predicted q_l and gradient mean squares for `blocks` blocks.
pub fn theory(alpha: f64, blocks: usize, pre_norm: bool) -> (Vec<f64>, Vec<f64>) {
    let a2 = alpha * alpha;
    let q: Vec<f64> = (0..=blocks)
        .map(|l| {
            if pre_norm {
                1.0 + l as f64 * a2
            } else {
                (1.0 + a2).powi(l as i32)
            }
        })
        .collect();
    let g = (0..=blocks)
        .map(|l| {
            if pre_norm {
                q[blocks] / q[l]
            } else {
                (1.0 + a2).powi((blocks - l) as i32)
            }
        })
        .collect();
    (q, g)
}

fn mean_square(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64
}

/// Each sample (a row of `width`) to mean 0 and variance 1; returns the standard deviations.
fn layer_norm(x: &[f64], width: usize, y: &mut Vec<f64>) -> Vec<f64> {
    y.clear();
    let mut sds = Vec::with_capacity(x.len() / width);
    for row in x.chunks_exact(width) {
        let (mean, var) = super::stats::mean_variance(row);
        let sd = (var + EPS).sqrt();
        y.extend(row.iter().map(|v| (v - mean) / sd));
        sds.push(sd);
    }
    sds
}

/// Block `l`'s two weight matrices, He normal (N(0, 2/n)), drawn from their own stream.
fn weights(seed: u64, l: usize, width: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = stream(seed, Stream::Residual(l));
    let shape = Shape {
        fan_in: width,
        fan_out: width,
    };
    let params = SchemeParams {
        sigma: 0.0,
        gain: 1.0,
        activation: Activation::Relu,
    };
    let (mut w1, mut w2) = (Vec::new(), Vec::new());
    Scheme::HeNormal.sample_into(shape, params, &mut rng, &mut w1);
    Scheme::HeNormal.sample_into(shape, params, &mut rng, &mut w2);
    (w1, w2)
}

/// What the branch computes from a block's input x, kept for its backward pass.
struct Branch {
    /// Its input y: x, or LN(x) with pre-LN.
    y: Vec<f64>,
    /// Each sample's standard deviation, with pre-LN.
    sds: Vec<f64>,
    /// W₁ relu(y), before the second relu.
    h2: Vec<f64>,
}

impl Branch {
    /// y, then h₂ = W₁ relu(y); F(x) = W₂ relu(h₂) is left to the caller.
    fn new(x: &[f64], w1: &[f64], width: usize, pre_norm: bool, scratch: &mut Scratch) -> Branch {
        let samples = x.len() / width;
        let mut y = Vec::new();
        let sds = if pre_norm {
            layer_norm(x, width, &mut y)
        } else {
            y.extend_from_slice(x);
            Vec::new()
        };
        let mut a1 = Vec::new();
        Activation::Relu.apply_all(&y, &mut a1);
        let mut h2 = Vec::new();
        matmul_with(
            View::new(&a1, samples, width),
            false,
            View::new(w1, width, width),
            false,
            &mut h2,
            scratch,
        );
        Branch { y, sds, h2 }
    }
}

/// Pushes a batch of N(0, 1) inputs through `blocks` blocks and a gradient of unit Gaussian noise
/// back, measuring both at every block.
pub fn simulate(
    blocks: usize,
    width: usize,
    samples: usize,
    alpha: f64,
    pre_norm: bool,
    seed: u64,
) -> Residual {
    let mut rng = stream(seed, Stream::Input);
    let mut x: Vec<f64> = (0..samples * width)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    let mut xs = vec![x.clone()];
    let (mut a2, mut f) = (Vec::new(), Vec::new());
    let mut scratch = Scratch::default();
    // The branch is left out when α = 0: its output would be multiplied by 0.
    let branch = alpha != 0.0;
    for l in 1..=blocks {
        if branch {
            let (w1, w2) = weights(seed, l, width);
            let b = Branch::new(&x, &w1, width, pre_norm, &mut scratch);
            Activation::Relu.apply_all(&b.h2, &mut a2);
            matmul_with(
                View::new(&a2, samples, width),
                false,
                View::new(&w2, width, width),
                false,
                &mut f,
                &mut scratch,
            );
            x.iter_mut().zip(&f).for_each(|(v, b)| *v += alpha * b);
        }
        xs.push(x.clone());
    }
    let mut rng = stream(seed, Stream::Noise);
    let mut g: Vec<f64> = (0..samples * width)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    let mut backward = vec![0.0; blocks + 1];
    backward[blocks] = mean_square(&g);
    let (mut d, mut masked) = (Vec::new(), Vec::new());
    for l in (1..=blocks).rev() {
        if branch {
            // The weights are drawn again, and the branch recomputed from the kept x_{l−1},
            // rather than kept for every block.
            let (w1, w2) = weights(seed, l, width);
            let b = Branch::new(&xs[l - 1], &w1, width, pre_norm, &mut scratch);
            // Back through W₂, relu, W₁ and relu.
            matmul_with(
                View::new(&g, samples, width),
                false,
                View::new(&w2, width, width),
                true,
                &mut d,
                &mut scratch,
            );
            Activation::Relu.backward_all(&d, &b.h2, &mut masked);
            matmul_with(
                View::new(&masked, samples, width),
                false,
                View::new(&w1, width, width),
                true,
                &mut d,
                &mut scratch,
            );
            Activation::Relu.backward_all(&d, &b.y, &mut masked);
            if pre_norm {
                // Back through LayerNorm: (dy − mean(dy) − y · mean(dy ⊙ y)) / σ, per sample.
                let n = width as f64;
                for ((dr, yr), sd) in masked
                    .chunks_exact_mut(width)
                    .zip(b.y.chunks_exact(width))
                    .zip(&b.sds)
                {
                    let m = dr.iter().sum::<f64>() / n;
                    let my = dr.iter().zip(yr).map(|(a, b)| a * b).sum::<f64>() / n;
                    dr.iter_mut()
                        .zip(yr)
                        .for_each(|(v, &yv)| *v = (*v - m - yv * my) / sd);
                }
            }
            g.iter_mut().zip(&masked).for_each(|(v, d)| *v += alpha * d);
        }
        backward[l - 1] = mean_square(&g);
    }
    let (forward_theory, backward_theory) = theory(alpha, blocks, pre_norm);
    Residual {
        forward: xs.iter().map(|x| mean_square(x)).collect(),
        backward,
        forward_theory,
        backward_theory,
    }
}

/// `residual(config)` (see `schema::residual`).
pub fn residual(r: &Record) -> Residual {
    use super::schema::residual::{ALPHA, BLOCKS, NORM, SAMPLES, SEED, WIDTH};
    simulate(
        r.whole(&BLOCKS),
        r.whole(&WIDTH),
        r.whole(&SAMPLES),
        r.number(&ALPHA),
        r.name(&NORM) == "pre",
        r.number(&SEED) as u64,
    )
}
