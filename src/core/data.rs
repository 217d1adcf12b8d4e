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
    /// The 8 × 8 handwritten digits (see [`super::digits`]): 64 inputs, 10 classes, a test set.
    Digits,
}

impl Dataset {
    /// The data set called `name` (one of [`DATASETS`], in the same order; anything else is the
    /// spiral).
    pub fn named(name: &str) -> Dataset {
        match DATASETS.iter().position(|n| *n == name) {
            Some(1) => Dataset::Moons,
            Some(2) => Dataset::Circles,
            Some(3) => Dataset::Digits,
            _ => Dataset::Spiral,
        }
    }
}

/// A labelled data set: `x` holds `features` values per point, `y` the class of each point; the
/// held-out test points likewise (none for the 2-D sets).
#[derive(Clone, Debug)]
pub struct Data {
    /// Values per point: 2 for the 2-D sets (roughly within [−1.5, 1.5]), 64 for the digits.
    pub features: usize,
    /// Number of classes.
    pub classes: usize,
    /// The training points' values.
    pub x: Vec<f64>,
    /// Class of each training point.
    pub y: Vec<usize>,
    /// The test points' values.
    pub test_x: Vec<f64>,
    /// Class of each test point.
    pub test_y: Vec<usize>,
}

/// The digits' fixed training and test sets, pixels scaled to 0…1.
pub fn digits(d: &super::digits::Digits) -> Data {
    use super::digits::{features, split, CLASSES, PIXELS};
    let (train, test) = split(d);
    let values = |idx: &[usize]| idx.iter().flat_map(|&i| features(d, i)).collect();
    let labels = |idx: &[usize]| idx.iter().map(|&i| usize::from(d.labels[i])).collect();
    Data {
        features: PIXELS,
        classes: CLASSES,
        x: values(&train),
        y: labels(&train),
        test_x: values(&test),
        test_y: labels(&test),
    }
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
            // The digits are read, not generated (see `Trainer::new`).
            Dataset::Spiral | Dataset::Digits => {
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
    Data {
        features: 2,
        classes: 2,
        x,
        y,
        test_x: Vec::new(),
        test_y: Vec::new(),
    }
}
