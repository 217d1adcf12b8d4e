//! Helpers shared by the native integration tests.
#![allow(dead_code)]

use weight_init::core::train::Trainer;
use weight_init::{map, simulate, Config, Simulation, Value};

/// Validates and runs a config written as a [`Value`], panicking with the error if it is refused.
pub fn run(config: Value) -> Simulation {
    let config = Config::from_value(&config).unwrap_or_else(|e| panic!("{e}"));
    simulate(&config).expect("simulation runs")
}

/// The weights `scheme` draws for one n × n layer (seed 0), row-major.
pub fn square_layer_weights(scheme: &str, n: usize) -> Vec<f64> {
    let c = Config::from_value(&map([
        ("scheme", scheme.into()),
        ("layers", 1.0.into()),
        ("width", (n as f64).into()),
        (
            "input",
            map([("samples", 1.0.into()), ("features", (n as f64).into())]),
        ),
    ]))
    .unwrap();
    weight_init::core::network::layer_weights(&c, 1).unwrap()
}

/// The repo's digits file (www/data/digits.bin.gz), decompressed and read.
pub fn digits() -> weight_init::core::digits::Digits {
    use std::io::Read;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/digits.bin.gz");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).expect("www/data/digits.bin.gz"))
        .read_to_end(&mut bytes)
        .expect("a gzip file");
    weight_init::core::digits::parse(&bytes).expect("the digits file reads")
}

/// Mean and standard error of the mean.
pub fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Asserts that the average of `samples` equals `expected` within `k` standard errors (estimated from
/// the samples themselves) plus a relative `bias` allowance for effects theory leaves out.
pub fn assert_near_theory(label: &str, samples: &[f64], expected: f64, k: f64, bias: f64) {
    let (mean, se) = mean_se(samples);
    let tolerance = k * se + bias * expected.abs();
    assert!(
        (mean - expected).abs() <= tolerance,
        "{label}: mean {mean:.6e} over {} runs, theory {expected:.6e}, tolerance {tolerance:.3e} ({k} SE + {bias} rel)",
        samples.len()
    );
}

/// The same config with another seed.
pub fn with_seed(fields: &[(&str, Value)], seed: u64) -> Value {
    let mut all: Vec<(String, Value)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    all.push(("seed".into(), Value::Number(seed as f64)));
    Value::Map(all)
}

/// A random N(0, 1) input batch.
pub fn random_input(samples: usize, features: usize) -> Value {
    map([
        ("samples", (samples as f64).into()),
        ("features", (features as f64).into()),
    ])
}

/// Weight (or, with `bias`, bias) k of layer l of a training network.
fn param(t: &mut Trainer, bias: bool, l: usize, k: usize) -> &mut f64 {
    let (w, b) = t.params_mut();
    if bias {
        &mut b[l][k]
    } else {
        &mut w[l][k]
    }
}

/// Back-propagation against central differences (±1e-6) on the training points `idx`: the worst
/// relative error |numeric − analytic| / (floor + max(|numeric|, |analytic|)) over every bias and
/// every `stride(layer)`-th weight, and how many parameters were checked.
pub fn worst_gradient_error(
    t: &mut Trainer,
    idx: &[usize],
    stride: impl Fn(usize) -> usize,
    floor: f64,
) -> (f64, usize) {
    let (_, _, gw, gb) = t.gradients(idx);
    let h = 1e-6;
    let (mut worst, mut checked) = (0.0f64, 0);
    let mut check = |t: &mut Trainer, bias: bool, l: usize, k: usize, analytic: f64| {
        let keep = *param(t, bias, l, k);
        *param(t, bias, l, k) = keep + h;
        let up = t.gradients(idx).0;
        *param(t, bias, l, k) = keep - h;
        let down = t.gradients(idx).0;
        *param(t, bias, l, k) = keep;
        let numeric = (up - down) / (2.0 * h);
        worst = worst.max((numeric - analytic).abs() / (floor + numeric.abs().max(analytic.abs())));
        checked += 1;
    };
    for l in 0..gw.len() {
        for k in (0..gw[l].len()).step_by(stride(l)) {
            check(t, false, l, k, gw[l][k]);
        }
        for (k, &analytic) in gb[l].iter().enumerate() {
            check(t, true, l, k, analytic);
        }
    }
    (worst, checked)
}
