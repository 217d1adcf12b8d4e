//! Training a deep network on a small 2-D classification set, to show that the initialization
//! decides whether it trains at all: minibatch SGD with momentum, softmax cross-entropy, and
//! back-propagation written out.

use super::config::{Activation, ConfigError, Scheme};
pub use super::data::{generate, Data, Dataset};
use super::rng::{stream, Rng, Stream};
use super::scheme::{SchemeParams, Shape};
use super::validate::{check_fields, integer_in, name_in, number_in, scheme_named};
use super::value::Value;
use rand::RngExt;

/// A training run's configuration. Build one with [`TrainConfig::from_value`].
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// The data set (default spiral).
    pub dataset: Dataset,
    /// Points in the data set, 20 to 5000 (default 400).
    pub points: usize,
    /// Hidden layers, 1 to 40 (default 20).
    pub layers: usize,
    /// Neurons per hidden layer, 2 to 64 (default 16).
    pub width: usize,
    /// ReLU or tanh (default ReLU).
    pub activation: Activation,
    /// How the weights start (default he-normal).
    pub scheme: Scheme,
    /// σ for normal/uniform/constant (default 0.01).
    pub sigma: f64,
    /// Learning rate, 0 to 10 (default 0.01).
    pub lr: f64,
    /// Momentum, 0 to 0.99 (default 0.9).
    pub momentum: f64,
    /// Minibatch size, 1 to 512 (default 32).
    pub batch: usize,
    /// Seed of the data set, the weights and the minibatches (default 0).
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            dataset: Dataset::Spiral,
            points: 400,
            layers: 20,
            width: 16,
            activation: Activation::Relu,
            scheme: Scheme::HeNormal,
            sigma: 0.01,
            lr: 0.01,
            momentum: 0.9,
            batch: 32,
            seed: 0,
        }
    }
}

/// The fields a training config may have.
pub const TRAIN_FIELDS: [&str; 11] = [
    "dataset",
    "points",
    "layers",
    "width",
    "activation",
    "scheme",
    "sigma",
    "lr",
    "momentum",
    "batch",
    "seed",
];

impl TrainConfig {
    /// Validates a loosely typed config; absent fields take their defaults, anything else that is not
    /// allowed is an error naming the field and its range.
    pub fn from_value(v: &Value) -> Result<TrainConfig, ConfigError> {
        check_fields(v, &TRAIN_FIELDS, "{ scheme: \"he-normal\" }")?;
        let mut c = TrainConfig::default();
        if let Some(x) = v.get("dataset") {
            c.dataset = match name_in("dataset", x, &Dataset::NAMES)? {
                "spiral" => Dataset::Spiral,
                "circles" => Dataset::Circles,
                "moons" => Dataset::Moons,
                _ => Dataset::Spiral,
            };
        }
        if let Some(x) = v.get("points") {
            c.points = integer_in("points", x, 20, 5000)?;
        }
        if let Some(x) = v.get("layers") {
            c.layers = integer_in("layers", x, 1, 40)?;
        }
        if let Some(x) = v.get("width") {
            c.width = integer_in("width", x, 2, 64)?;
        }
        if let Some(x) = v.get("activation") {
            c.activation = match name_in("activation", x, &["relu", "tanh"])? {
                "tanh" => Activation::Tanh,
                _ => Activation::Relu,
            };
        }
        if let Some(x) = v.get("scheme") {
            c.scheme = scheme_named("scheme", x)?;
        }
        if let Some(x) = v.get("sigma") {
            c.sigma = number_in("sigma", x, 0.0, 100.0)?;
        }
        if let Some(x) = v.get("lr") {
            c.lr = number_in("lr", x, 0.0, 10.0)?;
        }
        if let Some(x) = v.get("momentum") {
            c.momentum = number_in("momentum", x, 0.0, 0.99)?;
        }
        if let Some(x) = v.get("batch") {
            c.batch = integer_in("batch", x, 1, 512)?;
        }
        if let Some(x) = v.get("seed") {
            c.seed = integer_in("seed", x, 0, 999_999_999)? as u64;
        }
        Ok(c)
    }
}

/// Loss and accuracy after a number of steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// Steps taken so far.
    pub step: usize,
    /// Mean cross-entropy over the whole data set (NaN or ∞ once diverged).
    pub loss: f64,
    /// Share of points classified correctly (a tie between the two outputs counts as half).
    pub accuracy: f64,
    /// Whether the weights or the loss stopped being finite.
    pub diverged: bool,
}

/// A network being trained: 2 inputs, `layers` hidden layers, 2 outputs with softmax.
pub struct Trainer {
    config: TrainConfig,
    data: Data,
    /// Weights per layer (fan_in × fan_out, row-major) and biases, the output layer last.
    weights: Vec<Vec<f64>>,
    biases: Vec<Vec<f64>>,
    velocity_w: Vec<Vec<f64>>,
    velocity_b: Vec<Vec<f64>>,
    rng: Rng,
    step: usize,
    diverged: bool,
}

const CLASSES: usize = 2;

impl Trainer {
    /// A network initialized by `config.scheme` (the output layer by the same scheme), biases zero.
    pub fn new(config: TrainConfig) -> Trainer {
        let data = generate(config.dataset, config.points, config.seed);
        let params = SchemeParams {
            sigma: config.sigma,
            gain: 1.0,
            activation: config.activation,
        };
        let mut weights = Vec::new();
        let mut biases = Vec::new();
        for l in 1..=config.layers + 1 {
            let fan_in = if l == 1 { 2 } else { config.width };
            let fan_out = if l == config.layers + 1 {
                CLASSES
            } else {
                config.width
            };
            let mut w = Vec::new();
            let mut rng = stream(config.seed, Stream::Weights(l));
            config
                .scheme
                .sample_into(Shape { fan_in, fan_out }, params, &mut rng, &mut w);
            weights.push(w);
            biases.push(vec![0.0; fan_out]);
        }
        let velocity_w = weights.iter().map(|w| vec![0.0; w.len()]).collect();
        let velocity_b = biases.iter().map(|b| vec![0.0; b.len()]).collect();
        Trainer {
            rng: stream(config.seed, Stream::Noise),
            config,
            data,
            weights,
            biases,
            velocity_w,
            velocity_b,
            step: 0,
            diverged: false,
        }
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
        let fan_in = if l == 0 { 2 } else { self.config.width };
        let fan_out = if l == self.config.layers {
            CLASSES
        } else {
            self.config.width
        };
        (fan_in, fan_out)
    }

    /// Forward pass for points `idx`: every layer's pre-activations and outputs (the input first).
    fn forward(&self, idx: &[usize]) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let n = idx.len();
        let mut h = Vec::with_capacity(n * 2);
        for &i in idx {
            h.extend_from_slice(&self.data.x[2 * i..2 * i + 2]);
        }
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

    /// Mean softmax cross-entropy of logits against labels, and the accuracy.
    fn loss_of(logits: &[f64], labels: &[usize]) -> (f64, f64, Vec<f64>) {
        let n = labels.len();
        let mut loss = 0.0;
        // A tie (equal logits, as every zero-initialized network starts) is a coin flip: half right.
        let mut correct = 0.0;
        let mut grad = vec![0.0; logits.len()];
        for (s, &y) in labels.iter().enumerate() {
            let row = &logits[s * CLASSES..(s + 1) * CLASSES];
            let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let e: Vec<f64> = row.iter().map(|&v| libm::exp(v - m)).collect();
            let sum: f64 = e.iter().sum();
            loss += -(libm::log(e[y] / sum));
            correct += match row[1].partial_cmp(&row[0]) {
                Some(std::cmp::Ordering::Greater) => f64::from(u8::from(y == 1)),
                Some(std::cmp::Ordering::Less) => f64::from(u8::from(y == 0)),
                _ => 0.5,
            };
            for c in 0..CLASSES {
                grad[s * CLASSES + c] = (e[c] / sum - f64::from(u8::from(c == y))) / n as f64;
            }
        }
        (loss / n as f64, correct / n as f64, grad)
    }

    /// Loss, accuracy and the gradients of the mean loss over `idx` with respect to every weight and bias.
    pub fn gradients(&self, idx: &[usize]) -> (f64, f64, Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let n = idx.len();
        let labels: Vec<usize> = idx.iter().map(|&i| self.data.y[i]).collect();
        let (zs, hs) = self.forward(idx);
        let (loss, acc, mut delta) = Self::loss_of(&hs[self.weights.len()], &labels);
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

    /// Takes `n` SGD steps with momentum on random minibatches; stops early once diverged.
    pub fn train(&mut self, n: usize) {
        for _ in 0..n {
            if self.diverged {
                return;
            }
            let batch: Vec<usize> = (0..self.config.batch.min(self.data.y.len()))
                .map(|_| self.rng.random_range(0..self.data.y.len()))
                .collect();
            let (loss, _, gw, gb) = self.gradients(&batch);
            let (lr, mu) = (self.config.lr, self.config.momentum);
            for (l, g) in gw.iter().enumerate() {
                for ((w, v), &gv) in self.weights[l]
                    .iter_mut()
                    .zip(&mut self.velocity_w[l])
                    .zip(g)
                {
                    *v = mu * *v - lr * gv;
                    *w += *v;
                }
                for ((b, v), &gv) in self.biases[l]
                    .iter_mut()
                    .zip(&mut self.velocity_b[l])
                    .zip(&gb[l])
                {
                    *v = mu * *v - lr * gv;
                    *b += *v;
                }
            }
            self.step += 1;
            if !loss.is_finite() || self.weights.iter().flatten().any(|w| !w.is_finite()) {
                self.diverged = true;
            }
        }
    }

    /// Loss and accuracy over the whole data set.
    pub fn progress(&self) -> Progress {
        let all: Vec<usize> = (0..self.data.y.len()).collect();
        let (_, hs) = self.forward(&all);
        let (loss, accuracy, _) = Self::loss_of(&hs[self.weights.len()], &self.data.y);
        Progress {
            step: self.step,
            loss,
            accuracy,
            diverged: self.diverged || !loss.is_finite(),
        }
    }

    /// P(class 1) on a `res × res` grid over [−1.8, 1.8]², rows from the top (y = 1.8) down; NaN
    /// where the network's output is not finite.
    pub fn boundary(&self, res: usize) -> Vec<f64> {
        let res = res.clamp(2, 200);
        let mut grid = Trainer {
            data: Data {
                x: Vec::with_capacity(2 * res * res),
                y: vec![0; res * res],
            },
            ..self.shallow_clone()
        };
        for r in 0..res {
            for c in 0..res {
                let x = -1.8 + 3.6 * c as f64 / (res - 1) as f64;
                let y = 1.8 - 3.6 * r as f64 / (res - 1) as f64;
                grid.data.x.extend([x, y]);
            }
        }
        let all: Vec<usize> = (0..res * res).collect();
        let (_, hs) = grid.forward(&all);
        hs[self.weights.len()]
            .chunks(CLASSES)
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

    fn shallow_clone(&self) -> Trainer {
        Trainer {
            config: self.config.clone(),
            data: Data {
                x: Vec::new(),
                y: Vec::new(),
            },
            weights: self.weights.clone(),
            biases: self.biases.clone(),
            velocity_w: Vec::new(),
            velocity_b: Vec::new(),
            rng: self.rng.clone(),
            step: self.step,
            diverged: self.diverged,
        }
    }

    /// Largest difference between two neurons' outputs in any hidden layer, over the data set:
    /// 0 means every neuron of every layer is identical (the symmetry was never broken).
    pub fn neuron_spread(&self) -> f64 {
        let all: Vec<usize> = (0..self.data.y.len()).collect();
        let (_, hs) = self.forward(&all);
        let w = self.config.width;
        hs[1..=self.config.layers]
            .iter()
            .flat_map(|h| h.chunks(w))
            .map(|row| {
                row.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    - row.iter().copied().fold(f64::INFINITY, f64::min)
            })
            .fold(0.0, f64::max)
    }
}
