//! What one simulation keeps for the next ([`Cache`]): the weights' draws of the last network, and
//! the reference run of a network whose statistics scale as powers of σ, with the scaling itself.

use super::*;

/// What one simulation keeps for the next, owned by whoever runs them (see [`simulate_with`],
/// [`Simulator::with_cache`]): the last reference run (see [`simulate`]), for configs that differ
/// from it in σ alone, and the last network's draws (see [`Kept`]). It never changes a result,
/// only how long it takes.
#[derive(Default)]
pub struct Cache {
    pub(super) reference: Option<(Config, Simulation)>,
    pub(super) kept: Option<Kept>,
}

pub(super) struct Rescaled {
    pub(super) reference: Config,
    pub(super) factor: f64,
    pub(super) bins: usize,
    pub(super) theory: Option<Vec<TheoryLayer>>,
}

impl Rescaled {
    pub(super) fn apply(self, base: Simulation) -> Simulation {
        rescale(base, self.factor, self.bins, self.theory)
    }
}

/// The reference scale σ₀ of a config whose statistics scale as powers of σ (see [`simulate`]):
/// the critical σ of its activation at its width, where the variance stays level. `None` for every
/// other config, and when σ is already σ₀.
pub(super) fn reference_scale(config: &Config) -> Option<f64> {
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
pub(super) fn power(c: f64, k: u32) -> f64 {
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
pub(super) fn times_power(v: f64, c: f64, k: i32) -> f64 {
    let p = power(c, k.max(0) as u32);
    if v == 0.0 || !v.is_finite() || p.is_normal() {
        return v * p;
    }
    // In logarithms (libm, the same bits on every target): |v| · c^k = e^(ln|v| + k ln c).
    v.signum() * libm::exp(libm::log(v.abs()) + k as f64 * libm::log(c))
}

/// The statistics of the reference network `base` for the network whose weights are `c` times
/// its own: layer l's values times c^l, its gradients times c^(L−l).
pub(super) fn rescale(
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

/// What the last network drew for its layers, kept between calls in a [`Cache`]: for the random dense schemes
/// their unit draws (see [`crate::Scheme::unit`]), whose product with the scheme's scale gives the
/// weights; for the orthogonal ones their Householder reflections, whose product the gain
/// multiplies. A network that differs from the last one in σ, gain, depth, biases or activation
/// alone draws nothing new for the layers it shares with it, and one pass draws each layer once for
/// both directions. Drawing costs about as much as a pass of 16 samples at the explorer's largest
/// setting. It holds at most one network's weights (in single precision, packed for each of the
/// two products), which the memory budget ([`crate::core::config::CELL_BUDGET`]) counts already.
pub(super) struct Kept {
    pub(super) seed: u64,
    pub(super) features: usize,
    pub(super) width: usize,
    pub(super) draws: Draws,
}

/// A [`Kept`] network's draws, layer l's at l − 1.
pub(super) enum Draws {
    /// Unit draws of one distribution, in the single precision the layers multiply in.
    Units(Unit, Vec<Packed>),
    /// Reflections (`None` while a pass has a layer's out).
    Reflections(Vec<Option<Householder>>),
}

/// A layer's `fan_in × width` matrix packed for both of its products (see
/// [`matmul_f32_scaled_into`]): forward, h·W, and backward, δ·Wᵀ.
pub(super) struct Packed {
    pub(super) forward: Panels,
    pub(super) backward: Panels,
}

impl Packed {
    /// `w`, `fan_in × width` row-major, packed both ways.
    pub(super) fn new(w: &[f32], fan_in: usize, width: usize) -> Result<Packed, SimError> {
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
pub(super) fn kept_for(config: &Config, last: Option<Kept>) -> Option<Kept> {
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
