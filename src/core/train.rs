//! Training a deep network on a small classification set (three 2-D sets, or the 8 × 8 handwritten
//! digits with a held-out test set), to show that the initialization decides whether it trains at
//! all: minibatch SGD with momentum or Adam, softmax cross-entropy, and back-propagation written
//! out.

use super::config::{Activation, Scheme};
pub use super::data::{generate, Data, Dataset};
use super::digits::{self, Digits};
use super::rng::{stream, Rng, Stream};
use super::schema::{simulate as sim, train as f, Field, OPTIMIZERS};
use super::scheme::{SchemeParams, Shape};
use super::validate::{check, check_field, error, Checked, ConfigError, Record};
use super::value::Value;
use rand::RngExt;

/// Work budget of one call (`train`, `progress`, `boundary`, `neuronSpread`), in multiply-adds:
/// about 0.7 s in WebAssembly on one core of the 2-core development machine.
pub const TRAIN_WORK: u64 = 1 << 30;

/// A training run's configuration. Build one with [`TrainConfig::from_value`]; its fields, ranges
/// and defaults are [`super::schema::train::SCHEMA`]'s.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// The data set.
    pub dataset: Dataset,
    /// Points in the data set.
    pub points: usize,
    /// Hidden layers.
    pub layers: usize,
    /// Neurons per hidden layer.
    pub width: usize,
    /// ReLU or tanh.
    pub activation: Activation,
    /// How the weights start.
    pub scheme: Scheme,
    /// σ for normal/uniform/constant.
    pub sigma: f64,
    /// Learning rate.
    pub lr: f64,
    /// Momentum (SGD only).
    pub momentum: f64,
    /// SGD with momentum, or Adam.
    pub optimizer: Optimizer,
    /// Minibatch size.
    pub batch: usize,
    /// Seed of the data set, the weights and the minibatches.
    pub seed: u64,
}

/// How the gradients move the weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Optimizer {
    /// v ← μ·v − η·g; w ← w + v.
    Sgd,
    /// Adam (Kingma & Ba 2015): running means of g and g², each corrected for its start at zero;
    /// w ← w − η·m̂ / (√v̂ + ε).
    Adam,
}

/// Adam's constants, the paper's defaults.
pub const ADAM_BETA1: f64 = 0.9;
/// See [`ADAM_BETA1`].
pub const ADAM_BETA2: f64 = 0.999;
/// See [`ADAM_BETA1`].
pub const ADAM_EPSILON: f64 = 1e-8;

impl Default for TrainConfig {
    /// Every field at the schema's default.
    fn default() -> Self {
        TrainConfig::from_record(&Record::empty(&f::SCHEMA))
    }
}

impl TrainConfig {
    /// Validates a loosely typed config; absent fields take their defaults, anything else that is not
    /// allowed is an error naming the field and its range.
    pub fn from_value(v: &Value) -> Result<TrainConfig, ConfigError> {
        Ok(TrainConfig::from_record(&check(&f::SCHEMA, v, "config")?))
    }

    /// Inputs per point.
    pub fn features(&self) -> usize {
        if self.dataset == Dataset::Digits {
            digits::PIXELS
        } else {
            2
        }
    }

    /// Classes, one output each.
    pub fn classes(&self) -> usize {
        if self.dataset == Dataset::Digits {
            digits::CLASSES
        } else {
            2
        }
    }

    fn from_record(r: &Record) -> TrainConfig {
        TrainConfig {
            dataset: Dataset::named(r.name(&f::DATASET)),
            points: r.whole(&f::POINTS),
            layers: r.whole(&f::LAYERS),
            width: r.whole(&f::WIDTH),
            activation: Activation::named(r.name(&f::ACTIVATION), 0.0),
            scheme: Scheme::named(r.name(&f::SCHEME)),
            sigma: r.number(&sim::SIGMA),
            lr: r.number(&f::LR),
            momentum: r.number(&f::MOMENTUM),
            optimizer: if r.name(&f::OPTIMIZER) == OPTIMIZERS[1] {
                Optimizer::Adam
            } else {
                Optimizer::Sgd
            },
            batch: r.whole(&f::BATCH),
            seed: r.number(&sim::SEED) as u64,
        }
    }

    /// Multiply-adds of one forward pass of one point through the network.
    pub fn forward_work(&self) -> u64 {
        let w = self.width as u64;
        self.features() as u64 * w + (self.layers as u64 - 1) * w * w + w * self.classes() as u64
    }

    /// The work of one SGD step, in multiply-adds: a forward and a backward pass over the
    /// minibatch (about three times the forward work), and what every layer costs besides its
    /// products — per point (the activation, the copies, the loss) and per step (the update, the
    /// bookkeeping) — which dominates in a narrow network: as measured in WebAssembly, a layer
    /// costs about 90 multiply-adds' time per point and 200 per step whatever its width (rounded
    /// up here to 128 and 320), and 4 per neuron per point (the activation and its slope, the
    /// update's loops), which a shallow, wide network with a large batch spends most of its time on.
    pub fn step_work(&self) -> u64 {
        let (batch, layers) = (self.batch.min(self.points) as u64, self.layers as u64 + 1);
        let neurons = layers * self.width as u64;
        3 * batch * self.forward_work() + batch * layers * 128 + layers * 320 + 4 * batch * neurons
    }

    /// The most SGD steps one `train` call may take: the schema's limit, or fewer for a network
    /// whose steps ([`TrainConfig::step_work`]) would take more than [`TRAIN_WORK`] together.
    pub fn max_steps(&self) -> usize {
        let per_step = self.step_work();
        let limit = f::STEPS.max() as u64;
        (TRAIN_WORK / per_step.max(1)).clamp(1, limit) as usize
    }

    /// The finest grid `boundary` may be asked for: the schema's limit, or coarser for a large
    /// network.
    pub fn max_res(&self) -> usize {
        let limit = f::RES.max() as usize;
        let points = TRAIN_WORK / self.forward_work().max(1);
        ((points as f64).sqrt() as usize).clamp(2, limit)
    }
}

/// Checks a whole-number argument against its field and an upper bound that depends on the network.
fn argument(field: &Field, v: &Value, max: usize, why: &str) -> Result<usize, ConfigError> {
    let n = match check_field(field, v, field.name)? {
        Checked::Number(x) => x as usize,
        _ => 0,
    };
    if n > max {
        return Err(error(
            field.name,
            format!("must be at most {max} for this network {why} (got {n})"),
        ));
    }
    Ok(n)
}

impl TrainConfig {
    /// `train`'s argument, checked: a whole number of steps within [`TrainConfig::max_steps`].
    pub fn steps(&self, v: &Value) -> Result<usize, ConfigError> {
        argument(
            &f::STEPS,
            v,
            self.max_steps(),
            "in one call, so that a call stays under a second: call again for more",
        )
    }

    /// `boundary`'s argument, checked: a grid side within [`TrainConfig::max_res`].
    pub fn res(&self, v: &Value) -> Result<usize, ConfigError> {
        argument(
            &f::RES,
            v,
            self.max_res(),
            "(a finer grid would take more than a second)",
        )
    }
}

/// Loss and accuracy after a number of steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// Steps taken so far.
    pub step: usize,
    /// Mean cross-entropy over the whole data set (NaN or ∞ once diverged).
    pub loss: f64,
    /// Share of points classified correctly (a tie between k outputs counts as 1/k).
    pub accuracy: f64,
    /// Whether the weights or the loss stopped being finite.
    pub diverged: bool,
    /// Mean cross-entropy over the test set (NaN without one).
    pub test_loss: f64,
    /// Share of test points classified correctly (NaN without a test set).
    pub test_accuracy: f64,
}

/// A network being trained: the data's inputs, `layers` hidden layers, one output per class
/// with softmax.
pub struct Trainer {
    config: TrainConfig,
    data: Data,
    /// Weights per layer (fan_in × fan_out, row-major) and biases, the output layer last.
    weights: Vec<Vec<f64>>,
    biases: Vec<Vec<f64>>,
    /// SGD's velocity, or Adam's running mean of the gradient.
    velocity_w: Vec<Vec<f64>>,
    velocity_b: Vec<Vec<f64>>,
    /// Adam's running mean of the squared gradient (empty for SGD).
    second_w: Vec<Vec<f64>>,
    second_b: Vec<Vec<f64>>,
    rng: Rng,
    step: usize,
    diverged: bool,
}

/// Points per chunk of a forward pass over many points.
const CHUNK: usize = 256;

impl Trainer {
    /// A network initialized by `config.scheme` (the output layer by the same scheme), biases zero,
    /// learning one of the generated data sets. The only error: the digits asked for, which are
    /// read, not generated (see [`Trainer::with_digits`]).
    pub fn new(config: TrainConfig) -> Result<Trainer, ConfigError> {
        Trainer::with_data(config, None)
    }

    /// [`Trainer::new`], learning `digits` when the config asks for the digits (and its generated
    /// data set otherwise).
    pub fn with_digits(config: TrainConfig, digits: &Digits) -> Result<Trainer, ConfigError> {
        Trainer::with_data(config, Some(digits))
    }

    /// [`Trainer::new`] with the digits, when there are any.
    pub fn with_data(config: TrainConfig, digits: Option<&Digits>) -> Result<Trainer, ConfigError> {
        let data = match (config.dataset, digits) {
            (Dataset::Digits, Some(d)) => super::data::digits(d),
            (Dataset::Digits, None) => {
                return Err(error(
                    "config.dataset",
                    String::from(
                        "\"digits\" needs the digits data: load it first with loadDigits(bytes) and give the trainer what it returned",
                    ),
                ))
            }
            (dataset, _) => generate(dataset, config.points, config.seed),
        };
        let (features, classes) = (data.features, data.classes);
        let params = SchemeParams {
            sigma: config.sigma,
            gain: 1.0,
            activation: config.activation,
        };
        let mut weights = Vec::new();
        let mut biases = Vec::new();
        for l in 1..=config.layers + 1 {
            let fan_in = if l == 1 { features } else { config.width };
            let fan_out = if l == config.layers + 1 {
                classes
            } else {
                config.width
            };
            let mut w = Vec::new();
            let mut rng = stream(config.seed, Stream::Weights(l));
            config
                .scheme
                .sample_into(Shape { fan_in, fan_out }, params, &mut rng, &mut w);
            weights.push(w);
            // Biases start at 0, or where the scheme draws them (PyTorch's default), drawn.
            let mut b = vec![0.0; fan_out];
            config.scheme.add_biases(
                Shape { fan_in, fan_out },
                &mut stream(config.seed, Stream::Biases(l)),
                &mut b,
            );
            biases.push(b);
        }
        let zeros = |p: &Vec<Vec<f64>>| p.iter().map(|w| vec![0.0; w.len()]).collect::<Vec<_>>();
        let adam = config.optimizer == Optimizer::Adam;
        Ok(Trainer {
            rng: stream(config.seed, Stream::Noise),
            velocity_w: zeros(&weights),
            velocity_b: zeros(&biases),
            second_w: if adam { zeros(&weights) } else { Vec::new() },
            second_b: if adam { zeros(&biases) } else { Vec::new() },
            config,
            data,
            weights,
            biases,
            step: 0,
            diverged: false,
        })
    }

    /// The data set being learned.
    pub fn data(&self) -> &Data {
        &self.data
    }

    /// The network's parameters (weights and biases per layer), for gradient checks.
    pub fn params_mut(&mut self) -> (&mut Vec<Vec<f64>>, &mut Vec<Vec<f64>>) {
        (&mut self.weights, &mut self.biases)
    }

    fn fan(&self, l: usize) -> (usize, usize) {
        let fan_in = if l == 0 {
            self.data.features
        } else {
            self.config.width
        };
        let fan_out = if l == self.config.layers {
            self.data.classes
        } else {
            self.config.width
        };
        (fan_in, fan_out)
    }

    /// Forward pass for points `idx` of the data set.
    fn forward(&self, idx: &[usize]) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let f = self.data.features;
        let mut x = Vec::with_capacity(idx.len() * f);
        for &i in idx {
            x.extend_from_slice(&self.data.x[f * i..f * i + f]);
        }
        self.forward_x(x)
    }

    /// Forward pass for points `x` (`features` values each): every layer's pre-activations and
    /// outputs (the input first).
    fn forward_x(&self, h: Vec<f64>) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let n = h.len() / self.data.features;
        let mut zs = Vec::with_capacity(self.weights.len());
        let mut hs = vec![h];
        for l in 0..self.weights.len() {
            let (fan_in, fan_out) = self.fan(l);
            let input = &hs[l];
            let mut z = vec![0.0; n * fan_out];
            for s in 0..n {
                let row = &mut z[s * fan_out..(s + 1) * fan_out];
                row.copy_from_slice(&self.biases[l]);
                for (k, &x) in input[s * fan_in..(s + 1) * fan_in].iter().enumerate() {
                    let w = &self.weights[l][k * fan_out..(k + 1) * fan_out];
                    row.iter_mut().zip(w).for_each(|(o, &wv)| *o += x * wv);
                }
            }
            let out = if l == self.config.layers {
                z.clone()
            } else {
                z.iter().map(|&v| self.config.activation.apply(v)).collect()
            };
            zs.push(z);
            hs.push(out);
        }
        (zs, hs)
    }

    /// Runs the points `x` forward in chunks of [`CHUNK`], so that memory stays small whatever
    /// their number, handing each chunk's layer outputs (the input first) to `each`.
    fn forward_chunks(&self, x: &[f64], mut each: impl FnMut(&[Vec<f64>])) {
        for chunk in x.chunks(self.data.features * CHUNK) {
            let (_, hs) = self.forward_x(chunk.to_vec());
            each(&hs);
        }
    }

    /// The logits for points `x` (`features` values a point), one per class per point.
    pub fn logits(&self, x: &[f64]) -> Vec<f64> {
        let mut out = Vec::with_capacity(x.len());
        self.forward_chunks(x, |hs| out.extend_from_slice(&hs[hs.len() - 1]));
        out
    }

    /// Mean softmax cross-entropy of logits (`classes` per point) against labels, the accuracy,
    /// and the gradient of the mean loss with respect to the logits.
    pub fn loss_of(logits: &[f64], labels: &[usize], classes: usize) -> (f64, f64, Vec<f64>) {
        let n = labels.len();
        let mut loss = 0.0;
        let mut correct = 0.0;
        let mut grad = vec![0.0; logits.len()];
        for (s, &y) in labels.iter().enumerate() {
            let row = &logits[s * classes..(s + 1) * classes];
            let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let e: Vec<f64> = row.iter().map(|&v| libm::exp(v - m)).collect();
            let sum: f64 = e.iter().sum();
            // −ln softmax_y as m + ln Σ e − logit_y: finite for any finite logits, where
            // ln(e_y / Σ) would be ln 0 = −∞ once the logits are 10¹⁰ apart (a network started
            // with σ = 1 has not diverged before its first step).
            loss += m + libm::log(sum) - row[y];
            correct += credit(row, y);
            for c in 0..classes {
                grad[s * classes + c] = (e[c] / sum - f64::from(u8::from(c == y))) / n as f64;
            }
        }
        (loss / n as f64, correct / n as f64, grad)
    }

    /// Loss, accuracy and the gradients of the mean loss over `idx` with respect to every weight and bias.
    pub fn gradients(&self, idx: &[usize]) -> (f64, f64, Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let n = idx.len();
        let labels: Vec<usize> = idx.iter().map(|&i| self.data.y[i]).collect();
        let (zs, hs) = self.forward(idx);
        let (loss, acc, mut delta) =
            Self::loss_of(&hs[self.weights.len()], &labels, self.data.classes);
        let mut gw: Vec<Vec<f64>> = self.weights.iter().map(|w| vec![0.0; w.len()]).collect();
        let mut gb: Vec<Vec<f64>> = self.biases.iter().map(|b| vec![0.0; b.len()]).collect();
        for l in (0..self.weights.len()).rev() {
            let (fan_in, fan_out) = self.fan(l);
            // δ is ∂L/∂Z for this layer (the output layer's was set by the loss).
            if l < self.config.layers {
                delta
                    .iter_mut()
                    .zip(&zs[l])
                    .for_each(|(d, &z)| *d *= self.config.activation.derivative(z));
            }
            let input = &hs[l];
            for s in 0..n {
                let d = &delta[s * fan_out..(s + 1) * fan_out];
                gb[l].iter_mut().zip(d).for_each(|(g, &dv)| *g += dv);
                for k in 0..fan_in {
                    let x = input[s * fan_in + k];
                    gw[l][k * fan_out..(k + 1) * fan_out]
                        .iter_mut()
                        .zip(d)
                        .for_each(|(g, &dv)| *g += x * dv);
                }
            }
            if l > 0 {
                let mut up = vec![0.0; n * fan_in];
                for s in 0..n {
                    let d = &delta[s * fan_out..(s + 1) * fan_out];
                    for k in 0..fan_in {
                        let w = &self.weights[l][k * fan_out..(k + 1) * fan_out];
                        up[s * fan_in + k] = w.iter().zip(d).map(|(a, b)| a * b).sum();
                    }
                }
                delta = up;
            }
        }
        (loss, acc, gw, gb)
    }

    /// Takes `n` steps of the optimizer on random minibatches; stops early once diverged.
    pub fn train(&mut self, n: usize) {
        for _ in 0..n {
            if self.diverged {
                return;
            }
            let batch: Vec<usize> = (0..self.config.batch.min(self.data.y.len()))
                .map(|_| self.rng.random_range(0..self.data.y.len()))
                .collect();
            self.step_on(&batch);
        }
    }

    /// One step of the optimizer on the training points `batch`.
    pub fn step_on(&mut self, batch: &[usize]) {
        {
            let (loss, _, gw, gb) = self.gradients(batch);
            self.step += 1;
            let lr = self.config.lr;
            match self.config.optimizer {
                Optimizer::Sgd => {
                    let mu = self.config.momentum;
                    let sgd = |p: &mut [f64], v: &mut [f64], g: &[f64]| {
                        for ((p, v), &g) in p.iter_mut().zip(v).zip(g) {
                            *v = mu * *v - lr * g;
                            *p += *v;
                        }
                    };
                    for l in 0..gw.len() {
                        sgd(&mut self.weights[l], &mut self.velocity_w[l], &gw[l]);
                        sgd(&mut self.biases[l], &mut self.velocity_b[l], &gb[l]);
                    }
                }
                Optimizer::Adam => {
                    let t = self.step as f64;
                    let c1 = 1.0 - libm::pow(ADAM_BETA1, t);
                    let c2 = 1.0 - libm::pow(ADAM_BETA2, t);
                    for l in 0..gw.len() {
                        adam(
                            &mut self.weights[l],
                            (&mut self.velocity_w[l], &mut self.second_w[l]),
                            &gw[l],
                            (lr, c1, c2),
                        );
                        adam(
                            &mut self.biases[l],
                            (&mut self.velocity_b[l], &mut self.second_b[l]),
                            &gb[l],
                            (lr, c1, c2),
                        );
                    }
                }
            }
            if !loss.is_finite() || self.weights.iter().flatten().any(|w| !w.is_finite()) {
                self.diverged = true;
            }
        }
    }

    /// Loss and accuracy over the whole training set, and over the test set where there is one.
    pub fn progress(&self) -> Progress {
        let classes = self.data.classes;
        let logits = self.logits(&self.data.x);
        let (loss, accuracy, _) = Self::loss_of(&logits, &self.data.y, classes);
        let (test_loss, test_accuracy) = if self.data.test_y.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            let logits = self.logits(&self.data.test_x);
            let (l, a, _) = Self::loss_of(&logits, &self.data.test_y, classes);
            (l, a)
        };
        Progress {
            step: self.step,
            loss,
            accuracy,
            diverged: self.diverged || !loss.is_finite(),
            test_loss,
            test_accuracy,
        }
    }

    /// The predicted class of each of the first `count` test points: the largest output, or NaN
    /// where the largest is shared or any output is not finite (a network that cannot tell).
    pub fn predictions(&self, count: usize) -> Vec<f64> {
        let f = self.data.features;
        let count = count.min(self.data.test_y.len());
        self.logits(&self.data.test_x[..count * f])
            .chunks(self.data.classes)
            .map(|row| {
                let best = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let winners: Vec<usize> = (0..row.len()).filter(|&c| row[c] == best).collect();
                match winners[..] {
                    [c] if row.iter().all(|v| v.is_finite()) => c as f64,
                    _ => f64::NAN,
                }
            })
            .collect()
    }

    /// P(class 1) on a `res × res` grid over [−1.8, 1.8]², rows from the top (y = 1.8) down; NaN
    /// where the network's output is not finite. `res` is at least 2 (see [`TrainConfig::res`]
    /// for the checked argument).
    pub fn boundary(&self, res: usize) -> Vec<f64> {
        if self.data.features != 2 {
            return Vec::new();
        }
        let res = res.max(2);
        let step = 3.6 / (res - 1) as f64;
        let mut grid = Vec::with_capacity(2 * res * res);
        for r in 0..res {
            for c in 0..res {
                grid.extend([-1.8 + step * c as f64, 1.8 - step * r as f64]);
            }
        }
        self.logits(&grid)
            .chunks(2)
            .map(|row| {
                let d = row[1] - row[0];
                if d.is_finite() {
                    1.0 / (1.0 + libm::exp(-d))
                } else {
                    f64::NAN
                }
            })
            .collect()
    }

    /// The run's configuration.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Largest difference between two neurons' outputs in any hidden layer, over the data set:
    /// 0 means every neuron of every layer is identical (the symmetry was never broken).
    pub fn neuron_spread(&self) -> f64 {
        let w = self.config.width;
        let layers = self.config.layers;
        let mut spread = 0.0;
        self.forward_chunks(&self.data.x, |hs| {
            for row in hs[1..=layers].iter().flat_map(|h| h.chunks(w)) {
                let gap = row.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    - row.iter().copied().fold(f64::INFINITY, f64::min);
                spread = f64::max(spread, gap);
            }
        });
        spread
    }
}

/// How much a prediction counts as right: 1 when the true class alone has the largest output, 1/k
/// when it shares the largest with k − 1 others (a zero-initialized network ties every class: a
/// fair guess), 0 otherwise (and where the outputs are not finite).
fn credit(row: &[f64], y: usize) -> f64 {
    let best = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !best.is_finite() || row[y] != best {
        return 0.0;
    }
    1.0 / row.iter().filter(|&&v| v == best).count() as f64
}

/// One Adam step on parameters `p` with running means `(m, v)` and gradient `g`; `c1`, `c2` are
/// the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ.
fn adam(p: &mut [f64], (m, v): (&mut [f64], &mut [f64]), g: &[f64], (lr, c1, c2): (f64, f64, f64)) {
    for (((p, m), v), &g) in p.iter_mut().zip(m).zip(v).zip(g) {
        *m = ADAM_BETA1 * *m + (1.0 - ADAM_BETA1) * g;
        *v = ADAM_BETA2 * *v + (1.0 - ADAM_BETA2) * g * g;
        *p -= lr * (*m / c1) / (libm::sqrt(*v / c2) + ADAM_EPSILON);
    }
}
