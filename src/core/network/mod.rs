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

mod cache;
mod measure;
mod parts;
mod pass;
mod weights;

pub use cache::Cache;
use cache::*;
use measure::*;
pub use parts::{merge, merge_layers, split_parts, splits, Part, PartView, SplitPlan};
use pass::*;
pub use pass::{simulate, simulate_direct, simulate_with, Simulator};
use weights::*;
pub use weights::{
    draws, layer_weight_variance, layer_weight_variance_with, layer_weights, layer_weights_with,
    weights_work, NetworkDraws,
};

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
