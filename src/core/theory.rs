//! Mean-field predictions for every layer: what the variances should be, on average over seeds.
//!
//! Forward: a pre-activation z_l has mean b (the bias) and variance
//! v_l = fan_in · Var[w_l] · E[φ(z_{l−1})²] + Var[b_l] (the variance of random biases: PyTorch's
//! default draws them), where the second moment of the previous layer's output is
//! taken under z_{l−1} ~ N(b, v_{l−1}) (Poole et al. 2016). For ReLU, leaky ReLU and linear the
//! expectations are closed forms; for tanh and sigmoid, adaptive quadrature in z that stays accurate
//! however wide or narrow the Gaussian is ([`super::quadrature`]).
//! Backward: Var[δ_{l−1}] = fan_out · Var[w_l] · E[φ'(z_{l−1})²] · Var[δ_l], starting from unit-variance
//! noise at the last layer's output.
//!
//! The variances are the expected value of `np.var` over a layer's N = width × samples values: the
//! per-value variance times (N − 1)/N, exact in expectation for one sample at any width for ReLU
//! and linear; for a batch, values of one neuron across samples are correlated and the factor is an
//! approximation (its effect is below 1/N).

use super::config::{Activation, Config};
use super::quadrature::gaussian_expectations;
use super::scheme::{layer, Shape};
use serde::Serialize;

/// Predicted statistics of one hidden layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TheoryLayer {
    /// 1-based layer index.
    pub layer: usize,
    /// Expected mean of the pre-activations (the bias).
    pub pre_mean: f64,
    /// Expected `np.var` of the pre-activations.
    pub pre_variance: f64,
    /// Expected mean of the post-activations.
    pub post_mean: f64,
    /// Expected `np.var` of the post-activations.
    pub post_variance: f64,
    /// Expected `np.var` of the gradient with respect to the pre-activations.
    pub grad_variance: f64,
    /// Expected variance of the gradient with respect to the layer's weights.
    pub weight_grad_variance: f64,
    /// How far one network's Var(Z) at this layer strays from the expectation, over seeds: the
    /// predicted standard deviation of ln(Var(Z) / pre_variance), whose mean is about minus half
    /// its square. NaN where the prediction does not apply (see [`log_spread`]).
    pub pre_log_spread: f64,
}

/// The finite-width spread of single draws around the expectation, for a network with one input
/// and no bias (Hanin 2018; Hanin & Rolnick 2018). Layer 1's Var(Z) is a chi-square average of n
/// Gaussian squares, so ln of it varies by 2/n; each later layer multiplies the squared norm by
/// (1/n)·Σ φ(g_i)² / E[φ(g)²] with g_i independent N(0, 1), a factor of mean 1 and variance κ/n, with
/// κ = E[φ⁴]/E[φ²]² − 1: 5 for ReLU, 2 for a linear layer, 6(1 + a⁴)/(1 + a²)² − 1 for leaky ReLU.
/// The logs add up, so ln Var(Z_l) is close to Gaussian with variance s² = 2/n + (l − 1)·κ/n and,
/// since the mean of Var(Z_l) itself stays on theory, mean −s²/2: the depth-to-width ratio sets the
/// spread, and the median falls below the mean by e^(−s²/2). Returns s per layer, or `None` where
/// the argument does not apply: a batch, a bias, tanh or sigmoid (whose layers are not scale-free),
/// and schemes without independent Gaussian-like weights (orthogonal, PyTorch's random biases).
pub fn log_spread(config: &Config) -> Option<Vec<f64>> {
    use super::config::Scheme;
    let kappa = match config.activation {
        Activation::Relu => 5.0,
        Activation::Linear => 2.0,
        Activation::LeakyRelu { slope: a } => 6.0 * (1.0 + a.powi(4)) / (1.0 + a * a).powi(2) - 1.0,
        Activation::Tanh | Activation::Sigmoid => return None,
    };
    if config.input.samples() != 1
        || config.bias != 0.0
        || config.bias_sigma != 0.0
        || matches!(
            config.scheme,
            Scheme::Orthogonal
                | Scheme::Lsuv
                | Scheme::PytorchDefault
                | Scheme::Zeros
                | Scheme::Constant
        )
    {
        return None;
    }
    let n = config.width as f64;
    Some(
        (1..=config.layers)
            .map(|l| (2.0 / n + (l - 1) as f64 * kappa / n).sqrt())
            .collect(),
    )
}

/// Moments of φ(z) and φ'(z) for z ~ N(mean, variance).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    /// E[φ(z)].
    pub first: f64,
    /// E[φ(z)²].
    pub second: f64,
    /// E[φ'(z)²].
    pub slope_second: f64,
}

/// Standard normal density.
fn pdf(t: f64) -> f64 {
    libm::exp(-0.5 * t * t) / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard normal distribution function.
fn cdf(t: f64) -> f64 {
    0.5 * libm::erfc(-t / std::f64::consts::SQRT_2)
}

/// E[relu(z)] and E[relu(z)²] for z ~ N(mean, variance).
fn relu_moments(mean: f64, variance: f64) -> (f64, f64, f64) {
    if variance <= 0.0 {
        let r = mean.max(0.0);
        return (r, r * r, if mean > 0.0 { 1.0 } else { 0.0 });
    }
    let s = variance.sqrt();
    let t = mean / s;
    let (p, d) = (cdf(t), pdf(t));
    (
        mean * p + s * d,
        (mean * mean + variance) * p + mean * s * d,
        p,
    )
}

/// E[φ], E[φ²] and E[φ′²] for z ~ N(mean, variance): closed forms for ReLU, leaky ReLU and
/// linear, adaptive quadrature for tanh and sigmoid.
pub fn moments(activation: Activation, mean: f64, variance: f64) -> Moments {
    match activation {
        Activation::Relu => {
            let (first, second, slope_second) = relu_moments(mean, variance);
            Moments {
                first,
                second,
                slope_second,
            }
        }
        Activation::LeakyRelu { slope: a } => {
            // φ(z) = relu(z) − a·relu(−z), and relu(z)·relu(−z) = 0.
            let (p1, p2, pos) = relu_moments(mean, variance);
            let (n1, n2, _) = relu_moments(-mean, variance);
            Moments {
                first: p1 - a * n1,
                second: p2 + a * a * n2,
                slope_second: pos + a * a * (1.0 - pos),
            }
        }
        Activation::Linear => Moments {
            first: mean,
            second: mean * mean + variance,
            slope_second: 1.0,
        },
        Activation::Tanh | Activation::Sigmoid => {
            // Both saturate within |z| ≲ 40 (tanh′² ~ 16e^−4|z|, sigmoid′² ~ e^−2|z|), and
            // change most within a few units of 0.
            let [first, second, slope_second] = gaussian_expectations(
                mean,
                variance,
                &[-40.0, -4.0, -1.0, 0.0, 1.0, 4.0, 40.0],
                |z| {
                    let (y, d) = (activation.apply(z), activation.derivative(z));
                    [y, y * y, d * d]
                },
            );
            Moments {
                first,
                second,
                slope_second,
            }
        }
    }
}

/// LSUV's weight variance at a layer whose input has second moment `input_moment`: the one that
/// gives its pre-activations (before biases) variance 1, 1/(fan_in · E[h²]). `None` for the other
/// schemes, and where the input carries no signal (LSUV then leaves the layer as drawn).
pub fn lsuv_weight_variance(config: &Config, shape: Shape, input_moment: f64) -> Option<f64> {
    let v = 1.0 / (shape.fan_in as f64 * input_moment);
    (config.scheme == super::config::Scheme::Lsuv && v.is_finite() && v > 0.0).then_some(v)
}

/// Predictions for every hidden layer, or `None` for `zeros` and `constant`, whose weights are not
/// random (every neuron of a layer computes the same value, which the simulation shows exactly).
/// `input_second_moment` is the mean of x² over every input value.
pub fn predict(config: &Config, input_second_moment: f64) -> Option<Vec<TheoryLayer>> {
    if config.scheme.is_symmetric() {
        return None;
    }
    let samples = config.input.samples() as f64;
    let values = config.width as f64 * samples;
    let finite = (values - 1.0) / values;

    let mut out = Vec::with_capacity(config.layers);
    let mut input_moment = input_second_moment;
    let mut slopes = Vec::with_capacity(config.layers);
    let mut inputs = Vec::with_capacity(config.layers);
    let mut var_ws = Vec::with_capacity(config.layers);
    for l in 1..=config.layers {
        let (sh, params) = layer(config, l);
        let var_w = lsuv_weight_variance(config, sh, input_moment)
            .unwrap_or_else(|| config.scheme.weight_variance(sh, params));
        var_ws.push(var_w);
        let pre_var = sh.fan_in as f64 * var_w * input_moment
            + config.scheme.bias_variance(sh)
            + config.bias_sigma * config.bias_sigma;
        let m = moments(config.activation, config.bias, pre_var);
        inputs.push(input_moment);
        slopes.push(m.slope_second);
        out.push(TheoryLayer {
            layer: l,
            pre_mean: config.bias,
            pre_variance: finite * pre_var,
            post_mean: m.first,
            post_variance: finite * (m.second - m.first * m.first).max(0.0),
            grad_variance: 0.0,
            weight_grad_variance: 0.0,
            pre_log_spread: f64::NAN,
        });
        input_moment = m.second;
    }
    if let Some(spread) = log_spread(config) {
        out.iter_mut()
            .zip(spread)
            .for_each(|(t, s)| t.pre_log_spread = s);
    }
    // Backward: the output gradient is unit noise, so Var[δ_L] = E[φ'(z_L)²].
    let mut grad = 1.0;
    for l in (1..=config.layers).rev() {
        grad *= slopes[l - 1];
        out[l - 1].grad_variance = finite * grad;
        out[l - 1].weight_grad_variance = samples * inputs[l - 1] * grad;
        if l > 1 {
            let (sh, _) = layer(config, l);
            grad *= sh.fan_out as f64 * var_ws[l - 1];
        }
    }
    Some(out)
}
