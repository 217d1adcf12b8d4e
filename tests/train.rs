//! Training: back-propagation checked against finite differences, and the outcome the article
//! claims — the initialization decides whether a deep network trains.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use weight_init::core::config::{Activation, Scheme};
use weight_init::core::train::{Dataset, TrainConfig, Trainer};
use weight_init::{map, Value};

#[test]
fn backprop_matches_finite_differences() {
    for activation in [Activation::Tanh, Activation::Relu] {
        let config = TrainConfig {
            layers: 3,
            width: 5,
            activation,
            scheme: Scheme::XavierNormal,
            points: 40,
            dataset: Dataset::Spiral,
            ..TrainConfig::default()
        };
        let mut t = Trainer::new(config).unwrap();
        let idx: Vec<usize> = (0..40).collect();
        let (worst, _) = common::worst_gradient_error(&mut t, &idx, |_| 1, 1e-8);
        // Central differences are accurate to ~h² ≈ 1e-12 relative, plus rounding ~1e-10/h; ReLU's
        // kinks are never hit exactly by a ±1e-6 nudge on these inputs.
        assert!(
            worst < 1e-5,
            "{activation:?}: worst relative error {worst:e}"
        );
    }
}

fn run(scheme: Scheme, sigma: f64, steps: usize) -> Trainer {
    let mut t = Trainer::new(TrainConfig {
        scheme,
        sigma,
        ..TrainConfig::default()
    })
    .unwrap();
    t.train(steps);
    t
}

/// The default figure: 20 ReLU layers of 16 on the spiral, SGD with momentum 0.9, lr 0.01, seed 0.
#[test]
fn initialization_decides_whether_20_relu_layers_train() {
    let he = run(Scheme::HeNormal, 0.0, 3000).progress();
    assert!(he.loss < 0.1 && he.accuracy > 0.95, "He: {he:?}");

    let small = run(Scheme::Normal, 0.01, 3000).progress();
    assert!(
        (small.loss - std::f64::consts::LN_2).abs() < 0.01 && small.accuracy <= 0.55,
        "too small stalls at chance: {small:?}"
    );

    let xavier = run(Scheme::XavierNormal, 0.0, 3000).progress();
    assert!(
        xavier.loss > 0.6,
        "Xavier halves the signal per ReLU layer and has not started: {xavier:?}"
    );

    let large = run(Scheme::Normal, 1.0, 10);
    assert!(large.progress().diverged, "too large diverges");

    let zeros = run(Scheme::Zeros, 0.0, 3000);
    let p = zeros.progress();
    assert!(
        (p.loss - std::f64::consts::LN_2).abs() < 0.01 && p.accuracy <= 0.55,
        "zeros at chance: {p:?}"
    );
    assert_eq!(
        zeros.neuron_spread(),
        0.0,
        "zeros: every neuron still identical after training"
    );
}

#[test]
fn the_data_sets_are_balanced_and_bounded() {
    for dataset in [Dataset::Spiral, Dataset::Moons, Dataset::Circles] {
        let t = Trainer::new(TrainConfig {
            dataset,
            points: 400,
            ..TrainConfig::default()
        })
        .unwrap();
        let d = t.data();
        assert_eq!(d.y.iter().filter(|&&c| c == 1).count(), 200);
        assert!(
            d.x.iter().all(|v| v.abs() < 1.8),
            "{dataset:?} fits the boundary plot"
        );
    }
    let b = Trainer::new(TrainConfig::default()).unwrap().boundary(20);
    assert_eq!(b.len(), 400);
    assert!(b.iter().all(|p| (0.0..=1.0).contains(p)));
}

#[test]
fn training_configs_are_validated_by_field() {
    for (config, field) in [
        (map([("layers", 0.0.into())]), "config.layers"),
        (map([("width", 100.0.into())]), "config.width"),
        (map([("lr", f64::NAN.into())]), "config.lr"),
        (map([("momentum", 1.0.into())]), "config.momentum"),
        (map([("dataset", "mnist".into())]), "config.dataset"),
        (map([("activation", "sigmoid".into())]), "config.activation"),
        (map([("epochs", 3.0.into())]), "config.epochs"),
        (Value::Null, "config must be an object"),
    ] {
        let e = TrainConfig::from_value(&config).unwrap_err().to_string();
        assert!(e.starts_with(field), "{e}");
    }
    assert_eq!(
        TrainConfig::from_value(&map([])).unwrap(),
        TrainConfig::default()
    );
}
