//! A batch split over workers: the values a part keeps ([`Part`], [`PartView`] and their flat
//! format), how a run is split ([`SplitPlan`]), and the measurements of the parts together
//! ([`merge`], [`merge_layers`]).

use super::*;

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

pub(super) fn bad_part() -> ConfigError {
    error(
        "parts",
        "must each be one of this config's parts, from SimulationRun.partValues()",
    )
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
