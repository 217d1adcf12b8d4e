//! What a layer's values measure: its statistics, its gradients' variances, dead and saturated
//! neurons, and the spread between neurons.

use super::*;

/// Layer l's measurements from its pre-activations `z` and outputs `h` (`samples × width`).
pub(super) fn layer_stats(
    config: &Config,
    l: usize,
    z: &[f64],
    h: &[f64],
    samples: usize,
) -> LayerStats {
    let width = config.width;
    let (pre_mean, pre_variance) = mean_variance(z);
    let (post_mean, post_variance) = mean_variance(h);
    LayerStats {
        layer: l,
        pre_mean,
        pre_variance,
        post_mean,
        post_variance,
        dead_fraction: dead_fraction(config, z, samples, width),
        saturated_fraction: saturated_fraction(config, h),
        neuron_spread: neuron_spread(h, width),
        histogram: Histogram::of(h, config.bins),
        grad_variance: 0.0,
        weight_grad_variance: 0.0,
    }
}

/// A layer overflows when a value does, or when its statistics do although every value is finite
/// (squares of values near 1e155 sum to ∞). Any value that is not finite makes the variance
/// non-finite too, so the variances alone tell.
pub(super) fn overflowed(s: &LayerStats) -> bool {
    !(s.pre_variance.is_finite() && s.post_variance.is_finite())
}

/// The variances of ∂L/∂Z (`delta`, `samples × width`) and of ∂L/∂W for a layer whose input is
/// `input` (`samples × fan_in`); `dw` is room for ∂L/∂W when it is formed, `scratch` for the
/// products' packing.
pub(super) fn gradient_stats(
    input: &[f64],
    delta: &[f64],
    samples: usize,
    fan_in: usize,
    width: usize,
    dw: &mut Vec<f64>,
    scratch: &mut Scratch,
) -> (f64, f64) {
    let (delta_mean, delta_variance) = mean_variance(delta);
    let weight_grad_variance = if samples == 1 {
        // ∂L/∂W = h ⊗ δ: its variance follows from theirs, without forming the matrix.
        let (h_mean, h_variance) = mean_variance(input);
        outer_product_variance((h_mean, h_variance), (delta_mean, delta_variance))
    } else if 4 * samples * (fan_in + width) < fan_in * width {
        // A small batch: from the samples' Gram matrices, without forming ∂L/∂W.
        product_variance(input, delta, samples, fan_in, width, scratch)
    } else {
        matmul_with(
            View::new(input, samples, fan_in),
            true,
            View::new(delta, samples, width),
            false,
            dw,
            scratch,
        );
        mean_variance(dw).1
    };
    (delta_variance, weight_grad_variance)
}

pub(super) fn dead_fraction(
    config: &Config,
    z: &[f64],
    samples: usize,
    width: usize,
) -> Option<f64> {
    use crate::core::config::Activation::{LeakyRelu, Relu};
    if !matches!(config.activation, Relu | LeakyRelu { .. }) {
        return None;
    }
    let dead = (0..width)
        .filter(|&j| (0..samples).all(|s| z[s * width + j] <= 0.0))
        .count();
    Some(dead as f64 / width as f64)
}

pub(super) fn saturated_fraction(config: &Config, h: &[f64]) -> Option<f64> {
    config.activation.is_saturated(0.0)?;
    let n = h
        .iter()
        .filter(|&&a| config.activation.is_saturated(a) == Some(true))
        .count();
    Some(n as f64 / h.len() as f64)
}

pub(super) fn neuron_spread(h: &[f64], width: usize) -> f64 {
    h.chunks(width)
        .map(|row| {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for &v in row {
                if v < lo {
                    lo = v;
                }
                if v > hi {
                    hi = v;
                }
            }
            hi - lo
        })
        .fold(0.0, |a, b| if b > a { b } else { a })
}
