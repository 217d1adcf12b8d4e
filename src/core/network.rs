//! The simulation: a fully connected network at initialization, pushed forward and pulled back once.

use super::config::{Activation, Config, Input, Scheme};
use super::linalg::{matmul, matmul_into, View};
use super::orthogonal::Householder;
use super::rng::{stream, Stream};
use super::scheme::{SchemeParams, Shape};
use super::stats::{mean_variance, outer_product_variance, product_variance, Histogram};
use super::theory::{predict, TheoryLayer};
use super::validate::{error, ConfigError};
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;
use std::fmt;

/// Measured statistics of one hidden layer. Variances are population variances over every value of
/// the layer (all neurons × all samples), exactly what `np.var` computes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerStats {
    /// 1-based layer index.
    pub layer: usize,
    /// Mean of the pre-activations Z = H_prev · W + b.
    pub pre_mean: f64,
    /// Population variance of the pre-activations.
    pub pre_variance: f64,
    /// Mean of the post-activations H = φ(Z).
    pub post_mean: f64,
    /// Population variance of the post-activations.
    pub post_variance: f64,
    /// ReLU and leaky ReLU: fraction of neurons whose pre-activation is ≤ 0 for every sample
    /// (zero output, no gradient for ReLU). `None` for other activations.
    pub dead_fraction: Option<f64>,
    /// tanh: fraction of values with |a| > 0.97; sigmoid: outside (0.03, 0.97). `None` otherwise.
    pub saturated_fraction: Option<f64>,
    /// Largest difference between two neurons' outputs for the same sample: 0 means every neuron of
    /// the layer computes the same value (the symmetry problem).
    pub neuron_spread: f64,
    /// Histogram of the post-activations.
    pub histogram: Histogram,
    /// Population variance of ∂L/∂Z for this layer, with unit Gaussian noise as ∂L/∂H at the last layer.
    pub grad_variance: f64,
    /// Population variance of ∂L/∂W for this layer's weights.
    pub weight_grad_variance: f64,
}

/// Everything one call to [`simulate`] measures.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// Samples in the input batch.
    pub samples: usize,
    /// Features per sample.
    pub features: usize,
    /// One entry per hidden layer, first to last.
    pub layers: Vec<LayerStats>,
    /// Mean-field predictions per layer; `None` for `zeros` and `constant`.
    pub theory: Option<Vec<TheoryLayer>>,
    /// The first layer (1-based) whose activations hold a NaN or an infinity; `None` if all are finite.
    pub first_non_finite_layer: Option<usize>,
    /// The first layer, counting backward from the last, whose gradient holds a NaN or an infinity.
    pub first_non_finite_grad_layer: Option<usize>,
    /// With `trace`: `trace[l][j]` is neuron j's output at layer l + 1 for the first sample.
    pub trace: Option<Vec<Vec<f64>>>,
}

/// A simulation that could not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// The memory for the activations could not be had.
    OutOfMemory {
        /// Bytes that were asked for.
        bytes: u64,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::OutOfMemory { bytes } => write!(
                f,
                "not enough memory for {} MiB of activations: use fewer layers, a narrower layer or a smaller batch",
                bytes / (1 << 20)
            ),
        }
    }
}

impl std::error::Error for SimError {}

fn reserve(v: &mut Vec<f64>, n: usize) -> Result<(), SimError> {
    v.try_reserve_exact(n).map_err(|_| SimError::OutOfMemory {
        bytes: (n as u64) * 8,
    })
}

/// The input batch as `samples × features` values.
fn input_values(config: &Config) -> Vec<f64> {
    match &config.input {
        Input::Given { values, .. } => values.clone(),
        Input::Random { samples, features } => {
            let mut rng = stream(config.seed, Stream::Input);
            (0..samples * features)
                .map(|_| StandardNormal.sample(&mut rng))
                .collect()
        }
    }
}

/// Runs the network described by `config` forward on its input, then backward from unit Gaussian
/// noise at the last layer's output, and measures every layer.
///
/// The same config gives the same numbers, bit for bit, on every platform. Overflow is a result:
/// infinities and NaN are reported, never a panic. The only error is running out of memory, which
/// [`Config::check_budget`] makes unlikely.
///
/// A network whose only scale is σ and whose activation is positively homogeneous (ReLU, leaky
/// ReLU, linear) with no biases is the same network at every σ up to a factor: W(σ) = (σ/σ₀)·W(σ₀)
/// draw for draw, so every layer's values scale by (σ/σ₀)^l and its gradients by (σ/σ₀)^(L−l).
/// Such a config is simulated once at the reference scale σ₀, where the signal neither vanishes
/// nor explodes, and its statistics are scaled to σ: always, so the numbers depend on the config
/// alone. The reference run is kept, so moving σ alone costs microseconds at any size.
pub fn simulate(config: &Config) -> Result<Simulation, SimError> {
    let Some(sigma0) = reference_scale(config) else {
        return simulate_direct(config);
    };
    let reference = Config {
        sigma: sigma0,
        ..config.clone()
    };
    let kept = REFERENCE.with(|r| {
        r.borrow()
            .as_ref()
            .filter(|(c, _)| *c == reference)
            .map(|(_, sim)| sim.clone())
    });
    let base = match kept {
        Some(sim) => sim,
        None => {
            let sim = simulate_direct(&reference)?;
            REFERENCE.with(|r| *r.borrow_mut() = Some((reference, sim.clone())));
            sim
        }
    };
    let x = input_values(config);
    let input_second_moment = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
    Ok(rescale(
        base,
        config.sigma / sigma0,
        config.bins,
        predict(config, input_second_moment),
    ))
}

thread_local! {
    /// The last reference run, for configs that differ from it in σ alone.
    static REFERENCE: std::cell::RefCell<Option<(Config, Simulation)>> =
        const { std::cell::RefCell::new(None) };
}

/// The reference scale σ₀ of a config whose statistics scale as powers of σ (see [`simulate`]):
/// the critical σ of its activation at its width, where the variance stays level. `None` for every
/// other config, and when σ is already σ₀.
fn reference_scale(config: &Config) -> Option<f64> {
    let gain2 = match config.activation {
        Activation::Relu => 2.0,
        Activation::LeakyRelu { slope } => 2.0 / (1.0 + slope * slope),
        Activation::Linear => 1.0,
        Activation::Tanh | Activation::Sigmoid => return None,
    };
    let scaled = matches!(
        config.scheme,
        Scheme::Normal | Scheme::Uniform | Scheme::Constant
    );
    let sigma0 = (gain2 / config.width as f64).sqrt();
    let eligible = scaled
        && config.bias == 0.0
        && config.bias_sigma == 0.0
        && config.sigma > 0.0
        && config.sigma.is_finite()
        && config.sigma != sigma0;
    eligible.then_some(sigma0)
}

/// c^k by repeated squaring, in plain multiplications (the same bits on every target).
fn power(c: f64, k: u32) -> f64 {
    let (mut base, mut k, mut out) = (c, k, 1.0);
    while k > 0 {
        if k & 1 == 1 {
            out *= base;
        }
        base *= base;
        k >>= 1;
    }
    out
}

/// `v · c^k` (k ≥ 0) without overflowing or underflowing on the way when the result is
/// representable.
fn times_power(v: f64, c: f64, k: i32) -> f64 {
    let p = power(c, k.max(0) as u32);
    if v == 0.0 || !v.is_finite() || p.is_normal() {
        return v * p;
    }
    // In logarithms (libm, the same bits on every target): |v| · c^k = e^(ln|v| + k ln c).
    v.signum() * libm::exp(libm::log(v.abs()) + k as f64 * libm::log(c))
}

/// The statistics of the reference network `base` for the network whose weights are `c` times
/// its own: layer l's values times c^l, its gradients times c^(L−l).
fn rescale(
    mut base: Simulation,
    c: f64,
    bins: usize,
    theory: Option<Vec<TheoryLayer>>,
) -> Simulation {
    let depth = base.layers.len() as i32;
    base.first_non_finite_layer = None;
    for s in &mut base.layers {
        let l = s.layer as i32;
        s.pre_mean = times_power(s.pre_mean, c, l);
        s.post_mean = times_power(s.post_mean, c, l);
        s.pre_variance = times_power(s.pre_variance, c, 2 * l);
        s.post_variance = times_power(s.post_variance, c, 2 * l);
        s.neuron_spread = times_power(s.neuron_spread, c, l);
        s.grad_variance = times_power(s.grad_variance, c, 2 * (depth - l));
        s.weight_grad_variance = times_power(s.weight_grad_variance, c, 2 * (depth - 1));
        let h = &mut s.histogram;
        let (lo, hi) = (times_power(h.lo, c, l), times_power(h.hi, c, l));
        let total: u32 = h.counts.iter().sum::<u32>() + h.non_finite;
        if !(lo.is_finite() && hi.is_finite()) {
            // Every value overflowed.
            *h = Histogram {
                lo: 0.0,
                hi: 1.0,
                counts: vec![0; bins.max(1)],
                non_finite: total,
            };
        } else if hi - lo <= 0.0 && h.non_finite == 0 {
            // Every value underflowed to 0.
            *h = Histogram::of(&[0.0], bins);
            h.counts.iter_mut().for_each(|k| *k *= total);
        } else {
            (h.lo, h.hi) = (lo, hi);
        }
        if base.first_non_finite_layer.is_none()
            && !(s.pre_variance.is_finite() && s.post_variance.is_finite())
        {
            base.first_non_finite_layer = Some(s.layer);
        }
    }
    // The gradient's markers run from the last layer back: keep the deepest non-finite layer.
    base.first_non_finite_grad_layer = base
        .layers
        .iter()
        .rev()
        .find(|s| !(s.grad_variance.is_finite() && s.weight_grad_variance.is_finite()))
        .map(|s| s.layer);
    if let Some(trace) = base.trace.as_mut() {
        for (l, row) in trace.iter_mut().enumerate() {
            row.iter_mut()
                .for_each(|v| *v = times_power(*v, c, l as i32 + 1));
        }
    }
    base.theory = theory;
    base
}

/// The network computed at the config's own σ, never scaled from a reference: the definition that
/// [`simulate`]'s scaling must agree with (the tests compare the two).
pub fn simulate_direct(config: &Config) -> Result<Simulation, SimError> {
    run(config).map(|(sim, _)| sim)
}

/// [`simulate_direct`], and for LSUV the factor each layer's orthogonal matrix was scaled by.
fn run(config: &Config) -> Result<(Simulation, Vec<f64>), SimError> {
    let (samples, features, width, depth) = (
        config.input.samples(),
        config.input.features(),
        config.width,
        config.layers,
    );
    let act = config.activation;
    let params = SchemeParams {
        sigma: config.sigma,
        gain: config.gain,
        activation: act,
    };
    let shape = |l: usize| Shape {
        fan_in: if l == 1 { features } else { width },
        fan_out: width,
    };
    let weights = |l: usize, out: &mut Vec<f64>| {
        let mut rng = stream(config.seed, Stream::Weights(l));
        config.scheme.sample_into(shape(l), params, &mut rng, out);
    };
    // LSUV starts from orthogonal matrices of gain 1 and scales each by the factor that gives its
    // layer's pre-activations variance 1 on the batch (Mishkin & Matas 2016).
    let lsuv = config.scheme == Scheme::Lsuv;
    let orthogonal = matches!(config.scheme, Scheme::Orthogonal | Scheme::Lsuv);
    let gain = if lsuv { 1.0 } else { config.gain };
    let reflections =
        |l: usize| Householder::draw(shape(l), gain, &mut stream(config.seed, Stream::Weights(l)));
    let mut scales = Vec::new();

    let x = input_values(config);
    let layer_len = samples * width;
    // What the backward pass needs of every layer, layer after layer in one buffer: the
    // pre-activations z, or for tanh and sigmoid the outputs φ(z) (see `Activation::keeps_output`).
    let mut saved: Vec<f64> = Vec::new();
    reserve(&mut saved, depth * layer_len)?;
    // Small networks keep their weights for the backward pass, drawn straight into one buffer;
    // large ones draw them again from the layer's stream, which gives the identical matrix without
    // holding every layer in memory.
    let keep_weights = config.keeps_weights() && !orthogonal;
    let mut w = Vec::new();
    if orthogonal {
        // No dense weights at all.
    } else if keep_weights {
        reserve(&mut w, features * width + (depth - 1) * width * width)?;
    } else {
        reserve(&mut w, width * width.max(features))?;
    }
    // Where layer l's weights start in `w` when every layer is kept: layer 1 is features × width,
    // the others width × width.
    let kept_at = |l: usize| {
        if l == 1 {
            0
        } else {
            features * width + (l - 2) * width * width
        }
    };

    let mut layers = Vec::with_capacity(depth);
    let mut trace = config.trace.then(|| Vec::with_capacity(depth));
    let mut first_non_finite_layer = None;
    let mut h = Vec::new();
    reserve(&mut h, layer_len.max(x.len()))?;
    h.extend_from_slice(&x);
    for l in 1..=depth {
        let sh = shape(l);
        if !keep_weights {
            w.clear();
        }
        saved.resize(l * layer_len, 0.0);
        let z = &mut saved[(l - 1) * layer_len..];
        if orthogonal {
            // A product of reflections, never formed as a matrix (see `orthogonal`).
            reflections(l).forward(&h, samples, z);
            if lsuv {
                let var = mean_variance(z).1;
                let s = if var > 0.0 && var.is_finite() {
                    1.0 / var.sqrt()
                } else {
                    1.0
                };
                z.iter_mut().for_each(|v| *v *= s);
                scales.push(s);
            }
        } else {
            let at = w.len();
            weights(l, &mut w);
            matmul_into(
                View::new(&h, samples, sh.fan_in),
                false,
                View::new(&w[at..], sh.fan_in, width),
                false,
                z,
            );
        }
        // Every neuron's bias: the config's constant plus what the scheme draws (PyTorch's), plus
        // N(0, σ_b²). Most configs have none of these, and skip the work.
        if config.bias != 0.0 || config.scheme.bias_variance(sh) > 0.0 || config.bias_sigma > 0.0 {
            let mut b = vec![config.bias; width];
            let mut rng = stream(config.seed, Stream::Biases(l));
            config.scheme.add_biases(sh, &mut rng, &mut b);
            if config.bias_sigma > 0.0 {
                for bj in &mut b {
                    *bj +=
                        config.bias_sigma * Distribution::<f64>::sample(&StandardNormal, &mut rng);
                }
            }
            for row in z.chunks_mut(width) {
                row.iter_mut().zip(&b).for_each(|(v, bj)| *v += bj);
            }
        }
        let z = &saved[(l - 1) * layer_len..];
        act.apply_all(z, &mut h);
        let (pre_mean, pre_variance) = mean_variance(z);
        let (post_mean, post_variance) = mean_variance(&h);
        // A layer overflows when a value does, or when its statistics do although every value is
        // finite (squares of values near 1e155 sum to ∞). Any value that is not finite makes the
        // variance non-finite too, so the variances alone tell.
        if first_non_finite_layer.is_none()
            && !(pre_variance.is_finite() && post_variance.is_finite())
        {
            first_non_finite_layer = Some(l);
        }
        layers.push(LayerStats {
            layer: l,
            pre_mean,
            pre_variance,
            post_mean,
            post_variance,
            dead_fraction: dead_fraction(config, z, samples, width),
            saturated_fraction: saturated_fraction(config, &h),
            neuron_spread: neuron_spread(&h, width),
            histogram: Histogram::of(&h, config.bins),
            grad_variance: 0.0,
            weight_grad_variance: 0.0,
        });
        if let Some(t) = trace.as_mut() {
            t.push(h[..width].to_vec());
        }
        if act.keeps_output() {
            saved[(l - 1) * layer_len..].copy_from_slice(&h);
        }
    }

    // Backward: ∂L/∂H_L is unit noise; δ_l = ∂L/∂Z_l = (∂L/∂H_l) ⊙ φ'(Z_l); ∂L/∂H_{l−1} = δ_l · W_lᵀ.
    let mut rng = stream(config.seed, Stream::Noise);
    let mut upstream: Vec<f64> = (0..layer_len)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    let mut delta = Vec::with_capacity(layer_len);
    let mut h_prev = Vec::with_capacity(layer_len);
    let mut dw = Vec::new();
    let mut first_non_finite_grad_layer = None;
    for l in (1..=depth).rev() {
        act.backward_all(
            &upstream,
            &saved[(l - 1) * layer_len..l * layer_len],
            &mut delta,
        );
        let sh = shape(l);
        let input: &[f64] = if l == 1 {
            &x
        } else if act.keeps_output() {
            &saved[(l - 2) * layer_len..(l - 1) * layer_len]
        } else {
            act.apply_all(
                &saved[(l - 2) * layer_len..(l - 1) * layer_len],
                &mut h_prev,
            );
            &h_prev
        };
        let (delta_mean, delta_variance) = mean_variance(&delta);
        let weight_grad_variance = if samples == 1 {
            // ∂L/∂W = h ⊗ δ: its variance follows from theirs, without forming the matrix.
            let (h_mean, h_variance) = mean_variance(input);
            outer_product_variance((h_mean, h_variance), (delta_mean, delta_variance))
        } else if 4 * samples * (sh.fan_in + width) < sh.fan_in * width {
            // A small batch: from the samples' Gram matrices, without forming ∂L/∂W.
            product_variance(input, &delta, samples, sh.fan_in, width)
        } else {
            matmul(
                View::new(input, samples, sh.fan_in),
                true,
                View::new(&delta, samples, width),
                false,
                &mut dw,
            );
            mean_variance(&dw).1
        };
        let stats = &mut layers[l - 1];
        stats.grad_variance = delta_variance;
        stats.weight_grad_variance = weight_grad_variance;
        if first_non_finite_grad_layer.is_none()
            && !(delta_variance.is_finite() && weight_grad_variance.is_finite())
        {
            first_non_finite_grad_layer = Some(l);
        }
        if l > 1 && orthogonal {
            reflections(l).backward(&delta, samples, &mut upstream);
            if lsuv {
                let s = scales[l - 1];
                upstream.iter_mut().for_each(|v| *v *= s);
            }
        } else if l > 1 {
            let wl: &[f64] = if keep_weights {
                &w[kept_at(l)..kept_at(l) + width * width]
            } else {
                w.clear();
                weights(l, &mut w);
                &w
            };
            matmul(
                View::new(&delta, samples, width),
                false,
                View::new(wl, sh.fan_in, width),
                true,
                &mut upstream,
            );
        }
    }

    let input_second_moment = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
    let sim = Simulation {
        samples,
        features,
        layers,
        theory: predict(config, input_second_moment),
        first_non_finite_layer,
        first_non_finite_grad_layer,
        trace,
    };
    Ok((sim, scales))
}

/// The shape of hidden layer `layer` (1-based) and the parameters its scheme reads.
fn layer_scheme(config: &Config, layer: usize) -> Result<(Shape, SchemeParams), ConfigError> {
    if layer < 1 || layer > config.layers {
        return Err(error(
            "layer",
            format!(
                "must be a whole number from 1 to {} (got {layer})",
                config.layers
            ),
        ));
    }
    let shape = Shape {
        fan_in: if layer == 1 {
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
    Ok((shape, params))
}

/// The weights of hidden layer `layer` (1-based) under `config`, `fan_in × width` row-major: the
/// very matrix [`simulate`] uses for that layer with the same config and seed.
pub fn layer_weights(config: &Config, layer: usize) -> Result<Vec<f64>, ConfigError> {
    let (shape, params) = layer_scheme(config, layer)?;
    let mut out = Vec::new();
    let mut rng = stream(config.seed, Stream::Weights(layer));
    config.scheme.sample_into(shape, params, &mut rng, &mut out);
    if config.scheme == Scheme::Lsuv {
        // The factor comes from the batch: run the network up to this layer.
        let s = lsuv_scale(config, layer)?;
        out.iter_mut().for_each(|w| *w *= s);
    }
    Ok(out)
}

/// The factor LSUV scales layer `layer`'s orthogonal matrix by, from a forward pass to it.
fn lsuv_scale(config: &Config, layer: usize) -> Result<f64, ConfigError> {
    let upto = Config {
        layers: layer,
        trace: false,
        bins: 1,
        ..config.clone()
    };
    match run(&upto) {
        Ok((_, scales)) => Ok(scales[layer - 1]),
        Err(e) => Err(error("config", e.to_string())),
    }
}

/// The variance the scheme gives one weight of hidden layer `layer` (see
/// [`crate::Scheme::weight_variance`]).
pub fn layer_weight_variance(config: &Config, layer: usize) -> Result<f64, ConfigError> {
    let (shape, params) = layer_scheme(config, layer)?;
    if config.scheme == Scheme::Lsuv {
        let s = lsuv_scale(config, layer)?;
        return Ok(s * s * config.scheme.weight_variance(shape, params));
    }
    Ok(config.scheme.weight_variance(shape, params))
}

fn dead_fraction(config: &Config, z: &[f64], samples: usize, width: usize) -> Option<f64> {
    use super::config::Activation::{LeakyRelu, Relu};
    if !matches!(config.activation, Relu | LeakyRelu { .. }) {
        return None;
    }
    let dead = (0..width)
        .filter(|&j| (0..samples).all(|s| z[s * width + j] <= 0.0))
        .count();
    Some(dead as f64 / width as f64)
}

fn saturated_fraction(config: &Config, h: &[f64]) -> Option<f64> {
    config.activation.is_saturated(0.0)?;
    let n = h
        .iter()
        .filter(|&&a| config.activation.is_saturated(a) == Some(true))
        .count();
    Some(n as f64 / h.len() as f64)
}

fn neuron_spread(h: &[f64], width: usize) -> f64 {
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
