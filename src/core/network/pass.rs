//! The pass: [`Simulator`] runs a network forward and backward a layer per step, measuring each
//! layer as it goes (or keeping a part's values, see [`super::parts`]); [`simulate`] runs one whole.

use super::*;

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

/// The network computed at the config's own σ, never scaled from a reference: the definition that
/// [`simulate`]'s scaling must agree with (the tests compare the two).
pub fn simulate_direct(config: &Config) -> Result<Simulation, SimError> {
    run(config).map(|(sim, _)| sim)
}

/// [`simulate_direct`], and for LSUV the factor each layer's orthogonal matrix was scaled by.
pub(super) fn run(config: &Config) -> Result<(Simulation, Vec<f64>), SimError> {
    run_with(config, &mut Cache::default())
}

/// [`run`] with the draws `cache` kept, keeping this network's.
pub(super) fn run_with(
    config: &Config,
    cache: &mut Cache,
) -> Result<(Simulation, Vec<f64>), SimError> {
    let mut pass = Pass::new(config, None, cache.kept.take())?;
    while !pass.step()? {}
    cache.kept = pass.kept.take();
    Ok(pass.finish())
}

/// Where a [`Pass`] is: the next layer forward or backward, or done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    Forward(usize),
    Backward(usize),
    Done,
}

/// One forward and backward pass through a network, a layer per [`Pass::step`]: of the whole
/// batch, measuring each layer as it goes; or of some of its samples (a part, see [`Part`]),
/// keeping what the measurements need instead.
pub(super) struct Pass {
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
