//! Small labelled 2-D data sets for the training figure, generated from a seed.

use super::rng::{stream, Rng, Stream};
use super::schema::DATASETS;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Which 2-D data set to learn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dataset {
    /// Two interleaved spiral arms.
    Spiral,
    /// Two interleaving half circles.
    Moons,
    /// A ring around a disc.
    Circles,
}

impl Dataset {
    /// The data set called `name` (one of [`DATASETS`], in the same order; anything else is the
    /// spiral).
    pub fn named(name: &str) -> Dataset {
        match DATASETS.iter().position(|n| *n == name) {
            Some(1) => Dataset::Moons,
            Some(2) => Dataset::Circles,
            _ => Dataset::Spiral,
        }
    }
}

/// A labelled 2-D data set: `x` holds (x₀, x₁) pairs, `y` the class of each point (0 or 1).
#[derive(Clone, Debug)]
pub struct Data {
    /// Coordinates, two per point, roughly within [−1.5, 1.5].
    pub x: Vec<f64>,
    /// Class of each point.
    pub y: Vec<usize>,
}

/// Generates `points` points of `dataset` with a little Gaussian noise, from `seed`.
pub fn generate(dataset: Dataset, points: usize, seed: u64) -> Data {
    let mut rng = stream(seed, Stream::Input);
    let mut x = Vec::with_capacity(2 * points);
    let mut y = Vec::with_capacity(points);
    let noise = |rng: &mut Rng, s: f64| s * Distribution::<f64>::sample(&StandardNormal, rng);
    for i in 0..points {
        let class = i % 2;
        let t: f64 = rng.random::<f64>();
        let (a, b) = match dataset {
            Dataset::Spiral => {
                let r = 0.1 + 1.2 * t;
                let angle = 3.5 * t * std::f64::consts::PI + class as f64 * std::f64::consts::PI;
                (r * libm::cos(angle), r * libm::sin(angle))
            }
            Dataset::Moons => {
                let angle = std::f64::consts::PI * t;
                if class == 0 {
                    (libm::cos(angle) - 0.5, libm::sin(angle) - 0.25)
                } else {
                    (0.5 - libm::cos(angle), 0.25 - libm::sin(angle))
                }
            }
            Dataset::Circles => {
                let angle = std::f64::consts::TAU * t;
                let r = if class == 0 { 0.5 } else { 1.2 };
                (r * libm::cos(angle), r * libm::sin(angle))
            }
        };
        let s = if dataset == Dataset::Spiral {
            0.04
        } else {
            0.08
        };
        x.push(a + noise(&mut rng, s));
        x.push(b + noise(&mut rng, s));
        y.push(class);
    }
    Data { x, y }
}
