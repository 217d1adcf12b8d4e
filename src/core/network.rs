//! The simulation: a fully connected network at initialization, pushed forward and pulled back once.

use super::config::{Activation, Config, Input, Scheme};
use super::linalg::{matmul_f32_scaled_into, matmul_with, Panels, Scratch, View};
use super::orthogonal::Householder;
use super::rng::{stream, Stream};
use super::scheme::{layer, SchemeParams, Shape, Unit};
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
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
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

fn reserve<T>(v: &mut Vec<T>, n: usize) -> Result<(), SimError> {
    v.try_reserve_exact(n).map_err(|_| SimError::OutOfMemory {
        bytes: (n * std::mem::size_of::<T>()) as u64,
    })
}

/// Layer `l`'s biases, one a neuron: the config's constant plus what the scheme draws (PyTorch's),
/// plus N(0, σ_b²); `None` when they are all zero.
fn biases(config: &Config, l: usize, sh: Shape) -> Option<Vec<f64>> {
    if config.bias == 0.0 && config.scheme.bias_variance(sh) == 0.0 && config.bias_sigma == 0.0 {
        return None;
    }
    let mut b = vec![config.bias; sh.fan_out];
    let mut rng = stream(config.seed, Stream::Biases(l));
    config.scheme.add_biases(sh, &mut rng, &mut b);
    if config.bias_sigma > 0.0 {
        for bj in &mut b {
            *bj += config.bias_sigma * Distribution::<f64>::sample(&StandardNormal, &mut rng);
        }
    }
    Some(b)
}

/// Everything random a simulation of `config` draws, so that another program can run the very
/// same network: the input batch (samples × features, row by row), each hidden layer's weights
/// (fan_in × width, row by row) and biases, and the unit noise the backward pass starts from
/// (samples × width).
#[derive(Clone, Debug)]
pub struct NetworkDraws {
    pub input: Vec<f64>,
    pub weights: Vec<Vec<f64>>,
    pub biases: Vec<Vec<f64>>,
    pub noise: Vec<f64>,
}

/// The draws of `config`'s network (see [`NetworkDraws`]).
pub fn draws(config: &Config) -> Result<NetworkDraws, ConfigError> {
    let mut weights = Vec::with_capacity(config.layers);
    let mut bs = Vec::with_capacity(config.layers);
    // LSUV runs the network up to each layer: one cache, so that each pass reuses the last's draws.
    let mut cache = Cache::default();
    for l in 1..=config.layers {
        weights.push(layer_weights_with(config, l, &mut cache)?);
        let (sh, _) = layer_scheme(config, l)?;
        bs.push(biases(config, l, sh).unwrap_or_else(|| vec![0.0; sh.fan_out]));
    }
    let mut rng = stream(config.seed, Stream::Noise);
    let noise = (0..config.input.samples() * config.width)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    Ok(NetworkDraws {
        input: input_values(config),
        weights,
        biases: bs,
        noise,
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
/// alone. With a [`Cache`] (see [`simulate_with`]) the reference run is kept, so moving σ alone
/// costs microseconds at any size.
///
/// This call starts from nothing and keeps nothing; see [`simulate_with`] for calls that reuse
/// the last one's work.
pub fn simulate(config: &Config) -> Result<Simulation, SimError> {
    simulate_with(config, &mut Cache::default())
}

/// [`simulate`], reusing what `cache` kept from the last call and keeping this one's work in it
/// for the next: the reference run of a network scaled from one, and every other network's
/// weights' unit draws (see [`crate::Scheme::unit`]), so that moving σ or the gain of a tanh
/// network draws nothing new, only multiplies again. The result is the same bits with any cache.
pub fn simulate_with(config: &Config, cache: &mut Cache) -> Result<Simulation, SimError> {
    let mut sim = Simulator::with_cache(config, std::mem::take(cache))?;
    let result = sim.take_result();
    *cache = sim.into_cache();
    result
}

/// What one simulation keeps for the next, owned by whoever runs them (see [`simulate_with`],
/// [`Simulator::with_cache`]): the last reference run (see [`simulate`]), for configs that differ
/// from it in σ alone, and the last network's draws (see [`Kept`]). It never changes a result,
/// only how long it takes.
#[derive(Default)]
pub struct Cache {
    reference: Option<(Config, Simulation)>,
    kept: Option<Kept>,
}

/// [`simulate`] a layer at a time: [`Simulator::step`] does one layer of the forward or the
/// backward pass, so a caller can show progress, or drop a simulation it no longer needs, between
/// layers. The result is the same, bit for bit, as [`simulate`]'s.
pub struct Simulator {
    pass: Option<Pass>,
    /// What is kept for the next simulation (the draws are in the pass while it runs).
    cache: Cache,
    /// For a config scaled from a reference run (see [`simulate`]): what scaling needs.
    rescaled: Option<Rescaled>,
    /// The result, once there.
    done: Option<Simulation>,
    /// A part's values, once there (see [`Simulator::part`]).
    part: Option<Part>,
}

struct Rescaled {
    reference: Config,
    factor: f64,
    bins: usize,
    theory: Option<Vec<TheoryLayer>>,
}

impl Simulator {
    /// A simulation of `config`, not yet run (or run already, when only scaling is left), from
    /// nothing kept.
    pub fn new(config: &Config) -> Result<Simulator, SimError> {
        Simulator::with_cache(config, Cache::default())
    }

    /// [`Simulator::new`], reusing what `cache` kept (see [`simulate_with`]); give the cache to
    /// the next simulation with [`Simulator::into_cache`].
    pub fn with_cache(config: &Config, mut cache: Cache) -> Result<Simulator, SimError> {
        let Some(sigma0) = reference_scale(config) else {
            return Ok(Simulator {
                pass: Some(Pass::new(config, None, cache.kept.take())?),
                cache,
                rescaled: None,
                done: None,
                part: None,
            });
        };
        let reference = Config {
            sigma: sigma0,
            ..config.clone()
        };
        let x = input_values(config);
        let input_second_moment = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
        let rescaled = Rescaled {
            factor: config.sigma / sigma0,
            bins: config.bins,
            theory: predict(config, input_second_moment),
            reference,
        };
        let kept = cache
            .reference
            .as_ref()
            .filter(|(c, _)| *c == rescaled.reference)
            .map(|(_, sim)| sim.clone());
        Ok(match kept {
            Some(base) => Simulator {
                pass: None,
                cache,
                done: Some(rescaled.apply(base)),
                rescaled: None,
                part: None,
            },
            None => Simulator {
                pass: Some(Pass::new(&rescaled.reference, None, cache.kept.take())?),
                cache,
                rescaled: Some(rescaled),
                done: None,
                part: None,
            },
        })
    }

    /// What this simulation keeps for the next one (see [`Cache`]): whatever the cache it was
    /// given held, with this one's draws and reference run in place of the last's.
    pub fn into_cache(mut self) -> Cache {
        if let Some(kept) = self.pass.as_mut().and_then(|p| p.kept.take()) {
            self.cache.kept = Some(kept);
        }
        self.cache
    }

    /// Part `part` of `parts` (numbered from 0) of `config`'s batch, split as evenly as whole
    /// samples allow, for [`merge`]; see [`splits`] for the configs that split.
    pub fn part(config: &Config, part: usize, parts: usize) -> Result<Simulator, ConfigError> {
        Simulator::part_with_cache(config, part, parts, Cache::default())
    }

    /// [`Simulator::part`], reusing the draws `cache` kept (see [`Simulator::with_cache`]).
    pub fn part_with_cache(
        config: &Config,
        part: usize,
        parts: usize,
        mut cache: Cache,
    ) -> Result<Simulator, ConfigError> {
        if !splits(config, parts) {
            return Err(error(
                "parts",
                format!(
                    "must be 1 for this config (got {parts}): a batch splits into at most as many parts as it has \
                     samples, and neither LSUV nor a network scaled from a reference run splits"
                ),
            ));
        }
        if part >= parts {
            return Err(error(
                "part",
                format!(
                    "must be a whole number from 0 to {} (got {part})",
                    parts - 1
                ),
            ));
        }
        let n = config.input.samples();
        let first = part * n / parts;
        let samples = (part + 1) * n / parts - first;
        let pass = Pass::new(config, Some((first, samples)), cache.kept.take())
            .map_err(|e| error("config", e.to_string()))?;
        Ok(Simulator {
            pass: Some(pass),
            cache,
            rescaled: None,
            done: None,
            part: None,
        })
    }

    /// A part's values once its pass is done (see [`Simulator::part`]); `None` before, and for a
    /// whole simulation.
    pub fn take_part(&mut self) -> Option<Part> {
        self.part.take()
    }

    /// A part's values once its pass is done, kept (see [`Simulator::take_part`]).
    pub fn part_done(&self) -> Option<&Part> {
        self.part.as_ref()
    }

    /// Does the next layer's work; `true` once the result is there.
    pub fn step(&mut self) -> Result<bool, SimError> {
        let Some(pass) = self.pass.as_mut() else {
            return Ok(true);
        };
        if !pass.step()? {
            return Ok(false);
        }
        if let Some(kept) = pass.kept.take() {
            self.cache.kept = Some(kept);
        }
        if pass.part.is_some() {
            self.part = self.pass.take().map(Pass::finish_part);
            return Ok(true);
        }
        let (sim, _) = self.pass.take().map(Pass::finish).unwrap_or_default();
        self.done = Some(match self.rescaled.take() {
            Some(r) => {
                self.cache.reference = Some((r.reference.clone(), sim.clone()));
                r.apply(sim)
            }
            None => sim,
        });
        Ok(true)
    }

    /// The share of the work done, from 0 to 1.
    pub fn progress(&self) -> f64 {
        self.pass.as_ref().map_or(1.0, Pass::progress)
    }

    /// A simulation with nothing to do and an empty result, to stand in for one taken.
    pub fn empty() -> Simulator {
        Simulator {
            pass: None,
            cache: Cache::default(),
            rescaled: None,
            done: Some(Simulation::default()),
            part: None,
        }
    }

    /// Runs what is left and returns the result.
    pub fn finish(mut self) -> Result<Simulation, SimError> {
        self.take_result()
    }

    /// Runs what is left and takes the result (an empty one if it was taken already), keeping
    /// the simulator and its cache (see [`Simulator::into_cache`]).
    pub fn take_result(&mut self) -> Result<Simulation, SimError> {
        while !self.step()? {}
        Ok(self.done.take().unwrap_or_default())
    }
}

impl Rescaled {
    fn apply(self, base: Simulation) -> Simulation {
        rescale(base, self.factor, self.bins, self.theory)
    }
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
    run_with(config, &mut Cache::default())
}

/// [`run`] with the draws `cache` kept, keeping this network's.
fn run_with(config: &Config, cache: &mut Cache) -> Result<(Simulation, Vec<f64>), SimError> {
    let mut pass = Pass::new(config, None, cache.kept.take())?;
    while !pass.step()? {}
    cache.kept = pass.kept.take();
    Ok(pass.finish())
}

/// What the last network drew for its layers, kept between calls in a [`Cache`]: for the random dense schemes
/// their unit draws (see [`crate::Scheme::unit`]), whose product with the scheme's scale gives the
/// weights; for the orthogonal ones their Householder reflections, whose product the gain
/// multiplies. A network that differs from the last one in σ, gain, depth, biases or activation
/// alone draws nothing new for the layers it shares with it, and one pass draws each layer once for
/// both directions. Drawing costs about as much as a pass of 16 samples at the explorer's largest
/// setting. It holds at most one network's weights (in single precision, packed for each of the
/// two products), which the memory budget ([`crate::core::config::CELL_BUDGET`]) counts already.
struct Kept {
    seed: u64,
    features: usize,
    width: usize,
    draws: Draws,
}

/// A [`Kept`] network's draws, layer l's at l − 1.
enum Draws {
    /// Unit draws of one distribution, in the single precision the layers multiply in.
    Units(Unit, Vec<Packed>),
    /// Reflections (`None` while a pass has a layer's out).
    Reflections(Vec<Option<Householder>>),
}

/// A layer's `fan_in × width` matrix packed for both of its products (see
/// [`matmul_f32_scaled_into`]): forward, h·W, and backward, δ·Wᵀ.
struct Packed {
    forward: Panels,
    backward: Panels,
}

impl Packed {
    /// `w`, `fan_in × width` row-major, packed both ways.
    fn new(w: &[f32], fan_in: usize, width: usize) -> Result<Packed, SimError> {
        let view = View::new(w, fan_in, width);
        let memory = || -> Result<Vec<f32>, SimError> {
            let mut v = Vec::new();
            reserve(
                &mut v,
                Panels::len_for(fan_in, width).max(Panels::len_for(width, fan_in)),
            )?;
            Ok(v)
        };
        Ok(Packed {
            forward: Panels::pack(view, false, memory()?),
            backward: Panels::pack(view, true, memory()?),
        })
    }
}

/// What is kept for `config`: the `last` network's draws when they are for the same seed, shape
/// and kind of draws, otherwise none yet; `None` for the schemes that draw nothing. Whatever else
/// was kept is freed.
fn kept_for(config: &Config, last: Option<Kept>) -> Option<Kept> {
    let fresh = match config.scheme.unit() {
        Some(unit) => Draws::Units(unit, Vec::new()),
        None if matches!(config.scheme, Scheme::Orthogonal | Scheme::Lsuv) => {
            Draws::Reflections(Vec::new())
        }
        None => return None,
    };
    let same = |k: &Kept| {
        k.seed == config.seed
            && k.features == config.input.features()
            && k.width == config.width
            && match (&k.draws, &fresh) {
                (Draws::Units(u, _), Draws::Units(v, _)) => u == v,
                (Draws::Reflections(r), Draws::Reflections(_)) => r.iter().all(Option::is_some),
                _ => false,
            }
    };
    Some(match last {
        Some(k) if same(&k) => k,
        _ => Kept {
            seed: config.seed,
            features: config.input.features(),
            width: config.width,
            draws: fresh,
        },
    })
}

/// Where a [`Pass`] is: the next layer forward or backward, or done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Forward(usize),
    Backward(usize),
    Done,
}

/// One forward and backward pass through a network, a layer per [`Pass::step`]: of the whole
/// batch, measuring each layer as it goes; or of some of its samples (a part, see [`Part`]),
/// keeping what the measurements need instead.
struct Pass {
    config: Config,
    /// Samples this pass runs: the batch's, or the part's.
    samples: usize,
    features: usize,
    width: usize,
    depth: usize,
    orthogonal: bool,
    lsuv: bool,
    /// For a part: its pre-activations, layer after layer (and `saved` holds its outputs for tanh
    /// and sigmoid), and its gradients ∂L/∂Z; no measurements.
    part: Option<Part>,
    /// The input rows, `samples × features`.
    x: Vec<f64>,
    /// What the backward pass needs of every layer, layer after layer in one buffer: the
    /// pre-activations z, or for tanh and sigmoid the outputs φ(z) (see
    /// `Activation::keeps_output`).
    saved: Vec<f64>,
    /// The matrix of ones of `constant` and `zeros` and its `fan_in` (see [`Pass::weights`]).
    ones: Option<(usize, Packed)>,
    /// The layers' draws, kept for the next call (see [`Simulator::into_cache`]).
    kept: Option<Kept>,
    /// The current layer's output.
    h: Vec<f64>,
    layers: Vec<LayerStats>,
    trace: Option<Vec<Vec<f64>>>,
    first_non_finite_layer: Option<usize>,
    first_non_finite_grad_layer: Option<usize>,
    /// LSUV: the factor each layer's orthogonal matrix was scaled by.
    scales: Vec<f64>,
    /// ∂L/∂H of the layer the backward pass is at.
    upstream: Vec<f64>,
    delta: Vec<f64>,
    h_prev: Vec<f64>,
    dw: Vec<f64>,
    /// The packing of the gradient statistics' products.
    scratch: Scratch,
    next: Phase,
}

/// Some of the batch's samples run through the whole network by one worker, while another runs
/// the rest: every row of a product is computed alone, so a part's values are the very values
/// the whole batch's pass computes for those rows. [`merge`] measures the parts together, as
/// [`simulate`] measures the whole batch, and gets the same bits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Part {
    /// The part's first sample and number of samples.
    pub first: usize,
    /// Number of samples.
    pub samples: usize,
    /// Pre-activations z of every layer, `samples × width` each, first layer first.
    pub z: Vec<f64>,
    /// Outputs φ(z) of every layer for tanh and sigmoid (whose functions are costly); empty for
    /// the others, whose outputs the merge computes again.
    pub h: Vec<f64>,
    /// ∂L/∂Z of every layer, first layer first.
    pub delta: Vec<f64>,
    /// The network's width: a layer's values are `samples × width`.
    pub width: usize,
}

impl Part {
    /// The part's values of layers `lo + 1 ..= hi` (numbered from 1) as numbers:
    /// `[first, samples, lo, hi, z…, h…, delta…]`. What [`merge_layers`] needs to measure layers
    /// `from + 1 ..= to` is the window `from − 1 .. to` (see [`Part::window`]).
    pub fn to_flat(&self, (lo, hi): (usize, usize)) -> Vec<f64> {
        let n = self.samples * self.width;
        let pick = |v: &[f64]| -> Vec<f64> { v.get(lo * n..hi * n).unwrap_or_default().to_vec() };
        let (z, h, delta) = (pick(&self.z), pick(&self.h), pick(&self.delta));
        let mut out = Vec::with_capacity(4 + z.len() + h.len() + delta.len());
        out.extend([self.first, self.samples, lo, hi].map(|v| v as f64));
        out.extend_from_slice(&z);
        out.extend_from_slice(&h);
        out.extend_from_slice(&delta);
        out
    }

    /// The layers a part's values must hold for layers `from + 1 ..= to` to be measured: those
    /// layers, and the one before them, whose output is their input.
    pub fn window(from: usize, to: usize) -> (usize, usize) {
        (from.saturating_sub(1), to)
    }

    /// The number of layers the part holds values of.
    pub fn layers(&self) -> usize {
        self.z.len() / (self.samples * self.width).max(1)
    }

    /// The part's values, borrowed.
    pub fn view(&self) -> PartView<'_> {
        PartView {
            first: self.first,
            samples: self.samples,
            lo: 0,
            hi: self.layers(),
            z: &self.z,
            h: &self.h,
            delta: &self.delta,
        }
    }
}

/// A [`Part`]'s values, borrowed: from a part, or from the numbers [`Part::to_flat`] wrote.
#[derive(Clone, Copy, Debug)]
pub struct PartView<'a> {
    /// The part's first sample.
    pub first: usize,
    /// Number of samples.
    pub samples: usize,
    /// The values are those of layers `lo + 1 ..= hi`.
    pub lo: usize,
    /// See `lo`.
    pub hi: usize,
    /// See [`Part::z`].
    pub z: &'a [f64],
    /// See [`Part::h`].
    pub h: &'a [f64],
    /// See [`Part::delta`].
    pub delta: &'a [f64],
}

impl<'a> PartView<'a> {
    /// Parts of `config` written by [`Part::to_flat`] one after the other, each checked against
    /// the config's sizes.
    pub fn many_from_flat(
        config: &Config,
        mut flat: &'a [f64],
    ) -> Result<Vec<PartView<'a>>, ConfigError> {
        let mut parts = Vec::new();
        while !flat.is_empty() {
            let at = |i: usize| flat.get(i).copied().unwrap_or(-1.0);
            let (samples, layers) = (at(1), at(3) - at(2));
            let per = (2 + usize::from(config.activation.keeps_output())) * config.width;
            let fits = samples >= 1.0
                && samples <= config.input.samples() as f64
                && layers >= 1.0
                && layers <= config.layers as f64;
            let len = if fits {
                4 + per * samples as usize * layers as usize
            } else {
                flat.len() + 1
            };
            if len > flat.len() {
                return Err(bad_part());
            }
            parts.push(PartView::from_flat(config, &flat[..len])?);
            flat = &flat[len..];
        }
        Ok(parts)
    }

    /// The part of `config` written by [`Part::to_flat`], checked against the config's sizes.
    pub fn from_flat(config: &Config, flat: &'a [f64]) -> Result<PartView<'a>, ConfigError> {
        let (&first, &samples, &lo, &hi) = match flat {
            [f, s, lo, hi, ..] => (f, s, lo, hi),
            _ => return Err(bad_part()),
        };
        let whole = |x: f64, most: usize| x >= 0.0 && x.fract() == 0.0 && x <= most as f64;
        let batch = config.input.samples();
        if !(whole(first, batch)
            && whole(samples, batch)
            && samples >= 1.0
            && first + samples <= batch as f64
            && whole(lo, config.layers)
            && whole(hi, config.layers)
            && lo < hi)
        {
            return Err(bad_part());
        }
        let (first, samples, lo, hi) = (first as usize, samples as usize, lo as usize, hi as usize);
        let n = (hi - lo) * samples * config.width;
        let hn = if config.activation.keeps_output() {
            n
        } else {
            0
        };
        if flat.len() != 4 + 2 * n + hn {
            return Err(bad_part());
        }
        let body = &flat[4..];
        Ok(PartView {
            first,
            samples,
            lo,
            hi,
            z: &body[..n],
            h: &body[n..n + hn],
            delta: &body[n + hn..],
        })
    }
}

fn bad_part() -> ConfigError {
    error(
        "parts",
        "must each be one of this config's parts, from SimulationRun.partValues()",
    )
}

/// Layer l's measurements from its pre-activations `z` and outputs `h` (`samples × width`).
fn layer_stats(config: &Config, l: usize, z: &[f64], h: &[f64], samples: usize) -> LayerStats {
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
fn overflowed(s: &LayerStats) -> bool {
    !(s.pre_variance.is_finite() && s.post_variance.is_finite())
}

/// The variances of ∂L/∂Z (`delta`, `samples × width`) and of ∂L/∂W for a layer whose input is
/// `input` (`samples × fan_in`); `dw` is room for ∂L/∂W when it is formed, `scratch` for the
/// products' packing.
fn gradient_stats(
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

impl Pass {
    /// A pass of the whole batch, or with `part = Some((first, samples))` of those samples,
    /// reusing the `last` network's draws where they fit (see [`kept_for`]).
    fn new(
        config: &Config,
        part: Option<(usize, usize)>,
        last: Option<Kept>,
    ) -> Result<Pass, SimError> {
        let (features, width, depth) = (config.input.features(), config.width, config.layers);
        let mut x = input_values(config);
        let samples = match part {
            Some((first, n)) => {
                x = x[first * features..(first + n) * features].to_vec();
                n
            }
            None => config.input.samples(),
        };
        let layer_len = samples * width;
        let mut saved = Vec::new();
        reserve(&mut saved, depth * layer_len)?;
        let part = match part {
            Some((first, samples)) => {
                let mut p = Part {
                    first,
                    samples,
                    width: config.width,
                    ..Part::default()
                };
                reserve(&mut p.delta, depth * layer_len)?;
                p.delta.resize(depth * layer_len, 0.0);
                if config.activation.keeps_output() {
                    reserve(&mut p.z, depth * layer_len)?;
                }
                Some(p)
            }
            None => None,
        };
        let mut h = Vec::new();
        reserve(&mut h, layer_len.max(x.len()))?;
        h.extend_from_slice(&x);
        let orthogonal = matches!(config.scheme, Scheme::Orthogonal | Scheme::Lsuv);
        Ok(Pass {
            samples,
            features,
            width,
            depth,
            orthogonal,
            lsuv: config.scheme == Scheme::Lsuv,
            part,
            x,
            saved,
            ones: None,
            kept: kept_for(config, last),
            h,
            layers: Vec::with_capacity(depth),
            trace: config.trace.then(|| Vec::with_capacity(depth)),
            first_non_finite_layer: None,
            first_non_finite_grad_layer: None,
            scales: Vec::new(),
            upstream: Vec::new(),
            delta: Vec::new(),
            h_prev: Vec::new(),
            dw: Vec::new(),
            scratch: Scratch::default(),
            next: if depth == 0 {
                Phase::Done
            } else {
                Phase::Forward(1)
            },
            config: config.clone(),
        })
    }

    /// The share of the layers' work done, forward and backward.
    fn progress(&self) -> f64 {
        let done = match self.next {
            Phase::Forward(l) => l - 1,
            Phase::Backward(l) => 2 * self.depth - l,
            Phase::Done => 2 * self.depth,
        };
        done as f64 / (2 * self.depth).max(1) as f64
    }

    fn shape(&self, l: usize) -> Shape {
        layer(&self.config, l).0
    }

    /// Layer l's orthogonal matrix as Householder reflections, taken out of the kept ones (drawn
    /// first if they are not kept yet) until [`Pass::put_reflections`] gives them back. LSUV
    /// starts from orthogonal matrices of gain 1 and scales each by the factor that gives its
    /// layer's pre-activations variance 1 on the batch (Mishkin & Matas 2016).
    fn take_reflections(&mut self, l: usize) -> Householder {
        let gain = if self.lsuv { 1.0 } else { self.config.gain };
        let kept = match self.kept.as_mut().map(|k| &mut k.draws) {
            Some(Draws::Reflections(layers)) => layers.get_mut(l - 1).and_then(Option::take),
            _ => None,
        };
        let mut h = kept.unwrap_or_else(|| {
            Householder::draw(
                self.shape(l),
                gain,
                &mut stream(self.config.seed, Stream::Weights(l)),
            )
        });
        h.set_gain(gain);
        h
    }

    /// Keeps layer l's reflections for the backward pass and the next call.
    fn put_reflections(&mut self, l: usize, h: Householder) {
        if let Some(Draws::Reflections(layers)) = self.kept.as_mut().map(|k| &mut k.draws) {
            if layers.len() < l {
                layers.resize_with(l, || None);
            }
            layers[l - 1] = Some(h);
        }
    }

    /// Makes layer l's weights ready, as a matrix times the returned scale: for the random dense
    /// schemes, the layer's unit draws, kept (drawn and packed first if they are not yet); for
    /// `constant` and `zeros`, a matrix of ones times σ or 0. Either way a network that differs
    /// only in its scale multiplies the same single-precision matrices.
    fn weights(&mut self, l: usize) -> Result<f64, SimError> {
        let (shape, params) = layer(&self.config, l);
        let scheme = self.config.scheme;
        let Some(Draws::Units(unit, layers)) = self.kept.as_mut().map(|k| &mut k.draws) else {
            if self
                .ones
                .as_ref()
                .is_none_or(|(fan_in, _)| *fan_in != shape.fan_in)
            {
                let ones = vec![1.0; shape.fan_in * shape.fan_out];
                self.ones = Some((
                    shape.fan_in,
                    Packed::new(&ones, shape.fan_in, shape.fan_out)?,
                ));
            }
            return Ok(match scheme {
                Scheme::Constant => params.sigma,
                _ => 0.0,
            });
        };
        while layers.len() < l {
            let k = layers.len() + 1;
            let fan_in = layer(&self.config, k).0.fan_in;
            let n = fan_in * self.width;
            let mut draws = Vec::new();
            reserve(&mut draws, n)?;
            let mut rng = stream(self.config.seed, Stream::Weights(k));
            unit.draw_into(n, &mut rng, &mut draws);
            let mut single = Vec::new();
            reserve(&mut single, n)?;
            single.extend(draws.iter().map(|&v| v as f32));
            drop(draws);
            layers.push(Packed::new(&single, fan_in, self.width)?);
        }
        Ok(scheme.unit_scale(shape, params))
    }

    /// Layer l's matrix (see [`Pass::weights`]).
    fn packed(&self, l: usize) -> &Packed {
        match (self.kept.as_ref().map(|k| &k.draws), &self.ones) {
            (Some(Draws::Units(_, layers)), _) => &layers[l - 1],
            (_, Some((_, ones))) => ones,
            _ => unreachable!("weights() makes the matrix first"),
        }
    }

    /// Does one layer forward or backward; `true` once the pass is done.
    fn step(&mut self) -> Result<bool, SimError> {
        match self.next {
            Phase::Forward(l) => {
                self.forward(l)?;
                self.next = if l < self.depth {
                    Phase::Forward(l + 1)
                } else {
                    // ∂L/∂H_L is unit noise, drawn for the whole batch, row after row.
                    let mut rng = stream(self.config.seed, Stream::Noise);
                    let first = self.part.as_ref().map_or(0, |p| p.first) * self.width;
                    self.upstream = (0..first + self.samples * self.width)
                        .map(|_| StandardNormal.sample(&mut rng))
                        .skip(first)
                        .collect();
                    Phase::Backward(self.depth)
                };
            }
            Phase::Backward(l) => {
                self.backward(l)?;
                self.next = if l > 1 {
                    Phase::Backward(l - 1)
                } else {
                    Phase::Done
                };
            }
            Phase::Done => {}
        }
        Ok(self.next == Phase::Done)
    }

    fn forward(&mut self, l: usize) -> Result<(), SimError> {
        let (samples, width) = (self.samples, self.width);
        let layer_len = samples * width;
        let sh = self.shape(l);
        let act = self.config.activation;
        if self.orthogonal {
            self.saved.resize(l * layer_len, 0.0);
            let reflections = self.take_reflections(l);
            let z = &mut self.saved[(l - 1) * layer_len..];
            // A product of reflections, never formed as a matrix (see `orthogonal`).
            reflections.forward(&self.h, samples, z);
            self.put_reflections(l, reflections);
            let z = &mut self.saved[(l - 1) * layer_len..];
            if self.lsuv {
                let var = mean_variance(z).1;
                let s = if var > 0.0 && var.is_finite() {
                    1.0 / var.sqrt()
                } else {
                    1.0
                };
                z.iter_mut().for_each(|v| *v *= s);
                self.scales.push(s);
            }
        } else {
            let scale = self.weights(l)?;
            self.saved.resize(l * layer_len, 0.0);
            let mut z = std::mem::take(&mut self.saved);
            matmul_f32_scaled_into(
                View::new(&self.h, samples, sh.fan_in),
                &self.packed(l).forward,
                scale,
                &mut z[(l - 1) * layer_len..],
            );
            self.saved = z;
        }
        // Every neuron's bias: the config's constant plus what the scheme draws (PyTorch's), plus
        // N(0, σ_b²). Most configs have none of these, and skip the work.
        let config = &self.config;
        if let Some(b) = biases(config, l, sh) {
            for row in self.saved[(l - 1) * layer_len..].chunks_mut(width) {
                row.iter_mut().zip(&b).for_each(|(v, bj)| *v += bj);
            }
        }
        let z = &self.saved[(l - 1) * layer_len..];
        act.apply_all(z, &mut self.h);
        match self.part.as_mut() {
            Some(part) => {
                if act.keeps_output() {
                    part.z.extend_from_slice(z);
                }
            }
            None => {
                let stats = layer_stats(config, l, z, &self.h, samples);
                if self.first_non_finite_layer.is_none() && overflowed(&stats) {
                    self.first_non_finite_layer = Some(l);
                }
                self.layers.push(stats);
                if let Some(t) = self.trace.as_mut() {
                    t.push(self.h[..width].to_vec());
                }
            }
        }
        if act.keeps_output() {
            self.saved[(l - 1) * layer_len..].copy_from_slice(&self.h);
        }
        Ok(())
    }

    /// δ_l = ∂L/∂Z_l = (∂L/∂H_l) ⊙ φ'(Z_l); ∂L/∂H_{l−1} = δ_l · W_lᵀ.
    fn backward(&mut self, l: usize) -> Result<(), SimError> {
        let (samples, width) = (self.samples, self.width);
        let layer_len = samples * width;
        let act = self.config.activation;
        act.backward_all(
            &self.upstream,
            &self.saved[(l - 1) * layer_len..l * layer_len],
            &mut self.delta,
        );
        let sh = self.shape(l);
        if let Some(part) = self.part.as_mut() {
            part.delta[(l - 1) * layer_len..l * layer_len].copy_from_slice(&self.delta);
        } else {
            let input: &[f64] = if l == 1 {
                &self.x
            } else if act.keeps_output() {
                &self.saved[(l - 2) * layer_len..(l - 1) * layer_len]
            } else {
                act.apply_all(
                    &self.saved[(l - 2) * layer_len..(l - 1) * layer_len],
                    &mut self.h_prev,
                );
                &self.h_prev
            };
            let (grad_variance, weight_grad_variance) = gradient_stats(
                input,
                &self.delta,
                samples,
                sh.fan_in,
                width,
                &mut self.dw,
                &mut self.scratch,
            );
            let stats = &mut self.layers[l - 1];
            stats.grad_variance = grad_variance;
            stats.weight_grad_variance = weight_grad_variance;
            if self.first_non_finite_grad_layer.is_none()
                && !(grad_variance.is_finite() && weight_grad_variance.is_finite())
            {
                self.first_non_finite_grad_layer = Some(l);
            }
        }
        if l == 1 {
            return Ok(());
        }
        if self.orthogonal {
            let reflections = self.take_reflections(l);
            reflections.backward(&self.delta, samples, &mut self.upstream);
            self.put_reflections(l, reflections);
            if self.lsuv {
                let s = self.scales[l - 1];
                self.upstream.iter_mut().for_each(|v| *v *= s);
            }
        } else {
            let scale = self.weights(l)?;
            let mut upstream = std::mem::take(&mut self.upstream);
            upstream.clear();
            upstream.resize(samples * sh.fan_in, 0.0);
            matmul_f32_scaled_into(
                View::new(&self.delta, samples, width),
                &self.packed(l).backward,
                scale,
                &mut upstream,
            );
            self.upstream = upstream;
        }
        Ok(())
    }

    /// The result, and for LSUV each layer's factor.
    fn finish(mut self) -> (Simulation, Vec<f64>) {
        let input_second_moment = self.x.iter().map(|v| v * v).sum::<f64>() / self.x.len() as f64;
        let sim = Simulation {
            samples: self.samples,
            features: self.features,
            layers: std::mem::take(&mut self.layers),
            theory: predict(&self.config, input_second_moment),
            first_non_finite_layer: self.first_non_finite_layer,
            first_non_finite_grad_layer: self.first_non_finite_grad_layer,
            trace: self.trace.take(),
        };
        (sim, std::mem::take(&mut self.scales))
    }

    /// A part's values (see [`Part`]).
    fn finish_part(mut self) -> Part {
        let mut part = self.part.take().unwrap_or_default();
        if self.config.activation.keeps_output() {
            part.h = std::mem::take(&mut self.saved);
        } else {
            part.z = std::mem::take(&mut self.saved);
        }
        part
    }
}

/// Whether [`Simulator::part`] can split `config` into `parts`: a batch of at least that many
/// samples and layers (each part's worker measures a share of the layers), and a network whose samples do not depend on each other (not LSUV, whose scales come
/// from the whole batch) and that is not scaled from a reference run (see [`simulate`]).
pub fn splits(config: &Config, parts: usize) -> bool {
    parts >= 1
        && config.input.samples() >= parts
        && config.layers >= parts
        && config.scheme != Scheme::Lsuv
        && reference_scale(config).is_none()
}

/// How many parts to split `config` into on `cores` cores: as many as there are cores (at most 2,
/// which the page uses), when it splits and is large enough that its work, about 2²⁸ multiply-adds
/// or 50 ms on one core, is worth a second worker's; otherwise 1.
pub fn split_parts(config: &Config, cores: usize) -> usize {
    let parts = cores.clamp(1, 2);
    if parts > 1 && splits(config, parts) && config.work() >= 1 << 28 {
        parts
    } else {
        1
    }
}

/// How a run of `config` is split over workers on `cores` cores: [`split_parts`] parts of its
/// batch, and for each part the hidden layers it measures once the parts have swapped values.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitPlan {
    /// How many parts the batch is split into (1: the run is whole).
    pub parts: usize,
    /// Part `p` measures hidden layers `shares[p].0 + 1 ..= shares[p].1`; the shares cover the
    /// layers in order.
    pub shares: Vec<(usize, usize)>,
}

impl SplitPlan {
    pub fn new(config: &Config, cores: usize) -> SplitPlan {
        SplitPlan::even(config.layers, split_parts(config, cores))
    }

    /// `parts` parts (at least 1) of a network of `layers` hidden layers, each measuring an
    /// equal share of them (to within one layer).
    pub fn even(layers: usize, parts: usize) -> SplitPlan {
        let parts = parts.max(1);
        let shares = (0..parts)
            .map(|p| (p * layers / parts, (p + 1) * layers / parts))
            .collect();
        SplitPlan { parts, shares }
    }

    /// The layers part `part` sends the others: those their shares measure, as one range (its
    /// `partValues` window).
    pub fn sends(&self, part: usize) -> (usize, usize) {
        let others = self.shares.iter().enumerate().filter(|(p, _)| *p != part);
        let from = others.clone().map(|(_, s)| s.0).min();
        let to = others.map(|(_, s)| s.1).max();
        match (from, to) {
            (Some(from), Some(to)) => (from, to),
            _ => self.shares[part],
        }
    }
}

/// The statistics of `config` from its parts, which must cover its batch in order: the same bits
/// as [`simulate`]'s.
pub fn merge(config: &Config, parts: &[PartView]) -> Result<Simulation, ConfigError> {
    merge_layers(config, parts, 0, config.layers)
}

/// [`merge`] for hidden layers `from + 1 ..= to` alone, so that two workers can each measure half
/// of the layers: their `layers`, `theory`, `trace` and non-finite markers, in order, are
/// [`merge`]'s.
pub fn merge_layers(
    config: &Config,
    parts: &[PartView],
    from: usize,
    to: usize,
) -> Result<Simulation, ConfigError> {
    if from >= to || to > config.layers {
        return Err(error(
            "layers",
            format!(
                "must be a range of this network's layers, from 0 to {} (got {from} to {to})",
                config.layers
            ),
        ));
    }
    let mut covered = 0;
    for p in parts {
        if p.first != covered {
            return Err(error(
                "parts",
                "must cover the batch in order, each part once",
            ));
        }
        covered += p.samples;
    }
    if covered != config.input.samples() {
        return Err(error(
            "parts",
            "must cover the batch in order, each part once",
        ));
    }
    let (lo, hi) = Part::window(from, to);
    if parts.iter().any(|p| p.lo > lo || p.hi < hi) {
        return Err(error(
            "parts",
            format!(
                "must hold the values of layers {} to {hi}, to measure layers {} to {to}",
                lo + 1,
                from + 1
            ),
        ));
    }
    let (samples, width) = (config.input.samples(), config.width);
    let act = config.activation;
    let x = input_values(config);
    // Layer l of every part, one after the other: the whole batch's rows in order.
    fn gather<'a>(
        parts: &[PartView<'a>],
        pick: fn(&PartView<'a>) -> &'a [f64],
        at: usize,
        width: usize,
        out: &mut Vec<f64>,
    ) {
        out.clear();
        for p in parts {
            let (n, at) = (p.samples * width, at - p.lo);
            out.extend_from_slice(&pick(p)[at * n..(at + 1) * n]);
        }
    }
    let mut layers = Vec::with_capacity(to - from);
    let mut trace = config.trace.then(|| Vec::with_capacity(to - from));
    let (mut first_non_finite_layer, mut first_non_finite_grad_layer) = (None, None);
    let (mut z, mut h, mut delta, mut dw) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut scratch = Scratch::default();
    // The input of the first layer measured: the batch, or the output of the layer before it.
    let mut h_prev = if from == 0 {
        x.clone()
    } else {
        gather(parts, |p| p.z, from - 1, width, &mut z);
        if act.keeps_output() {
            gather(parts, |p| p.h, from - 1, width, &mut h);
        } else {
            act.apply_all(&z, &mut h);
        }
        std::mem::take(&mut h)
    };
    for l in from + 1..=to {
        gather(parts, |p| p.z, l - 1, width, &mut z);
        if act.keeps_output() {
            gather(parts, |p| p.h, l - 1, width, &mut h);
        } else {
            act.apply_all(&z, &mut h);
        }
        let mut stats = layer_stats(config, l, &z, &h, samples);
        if first_non_finite_layer.is_none() && overflowed(&stats) {
            first_non_finite_layer = Some(l);
        }
        if let Some(t) = trace.as_mut() {
            t.push(h[..width].to_vec());
        }
        let fan_in = layer(config, l).0.fan_in;
        gather(parts, |p| p.delta, l - 1, width, &mut delta);
        let (g, wg) = gradient_stats(
            &h_prev,
            &delta,
            samples,
            fan_in,
            width,
            &mut dw,
            &mut scratch,
        );
        (stats.grad_variance, stats.weight_grad_variance) = (g, wg);
        // The backward pass meets the last layer first: the deepest non-finite layer is its first.
        if !(g.is_finite() && wg.is_finite()) {
            first_non_finite_grad_layer = Some(l);
        }
        layers.push(stats);
        std::mem::swap(&mut h_prev, &mut h);
    }
    let input_second_moment = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
    let theory = predict(config, input_second_moment).map(|t| t[from..to].to_vec());
    Ok(Simulation {
        samples,
        features: config.input.features(),
        layers,
        theory,
        first_non_finite_layer,
        first_non_finite_grad_layer,
        trace,
    })
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
    Ok(super::scheme::layer(config, layer))
}

/// The weights of hidden layer `layer` (1-based) under `config`, `fan_in × width` row-major: the
/// very matrix [`simulate`] uses for that layer with the same config and seed.
pub fn layer_weights(config: &Config, layer: usize) -> Result<Vec<f64>, ConfigError> {
    layer_weights_with(config, layer, &mut Cache::default())
}

/// [`layer_weights`] with a [`Cache`]: LSUV's pass up to the layer reuses the draws it kept.
pub fn layer_weights_with(
    config: &Config,
    layer: usize,
    cache: &mut Cache,
) -> Result<Vec<f64>, ConfigError> {
    let (shape, params) = layer_scheme(config, layer)?;
    let work = weights_work(config, layer, shape);
    let budget = super::config::WORK_BUDGET;
    if work > budget {
        return Err(error(
            if layer == 1 && shape.fan_in > shape.fan_out {
                "config.input"
            } else {
                "config.width"
            },
            format!(
                "gives layer {layer} a {} × {} {} matrix, which takes about {work} operations to form, \
                 and one call may do at most {budget}: ask for a narrower layer",
                shape.fan_in,
                shape.fan_out,
                config.scheme.name()
            ),
        ));
    }
    let mut out = Vec::new();
    let mut rng = stream(config.seed, Stream::Weights(layer));
    config.scheme.sample_into(shape, params, &mut rng, &mut out);
    if config.scheme == Scheme::Lsuv {
        // The factor comes from the batch: run the network up to this layer.
        let s = lsuv_scale(config, layer, cache)?;
        out.iter_mut().for_each(|w| *w *= s);
    }
    Ok(out)
}

/// Operations `layer_weights` does, counted as [`Config::work`] counts them: the draws (8 per
/// weight); for orthogonal and LSUV, the matrix formed from its reflections (every reflection
/// applied to each of fan_in unit rows, 4 a multiply-add: as measured, slower per row than the pass); for LSUV, the network
/// up to the layer, whose pass sets its scale.
pub fn weights_work(config: &Config, layer: usize, shape: Shape) -> u64 {
    let draws = 8 * (shape.fan_in * shape.fan_out) as u64;
    match config.scheme {
        Scheme::Orthogonal | Scheme::Lsuv => {
            let formed = 4 * shape.fan_in as u64 * Householder::row_work(shape);
            let upto = if config.scheme == Scheme::Lsuv {
                Config {
                    layers: layer,
                    ..config.clone()
                }
                .work()
            } else {
                0
            };
            draws + formed + upto
        }
        _ => draws,
    }
}

/// The factor LSUV scales layer `layer`'s orthogonal matrix by, from a forward pass to it.
fn lsuv_scale(config: &Config, layer: usize, cache: &mut Cache) -> Result<f64, ConfigError> {
    let upto = Config {
        layers: layer,
        trace: false,
        bins: 1,
        ..config.clone()
    };
    match run_with(&upto, cache) {
        Ok((_, scales)) => Ok(scales[layer - 1]),
        Err(e) => Err(error("config", e.to_string())),
    }
}

/// The variance the scheme gives one weight of hidden layer `layer` (see
/// [`crate::Scheme::weight_variance`]).
pub fn layer_weight_variance(config: &Config, layer: usize) -> Result<f64, ConfigError> {
    layer_weight_variance_with(config, layer, &mut Cache::default())
}

/// [`layer_weight_variance`] with a [`Cache`] (see [`layer_weights_with`]).
pub fn layer_weight_variance_with(
    config: &Config,
    layer: usize,
    cache: &mut Cache,
) -> Result<f64, ConfigError> {
    let (shape, params) = layer_scheme(config, layer)?;
    if config.scheme == Scheme::Lsuv {
        let s = lsuv_scale(config, layer, cache)?;
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
