//! Training on real data: the 8 × 8 handwritten digits, a 10-way softmax, a held-out test set, and
//! Adam beside momentum SGD.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use weight_init::core::config::Scheme;
use weight_init::core::digits;
use weight_init::core::train::{
    Dataset, Optimizer, TrainConfig, Trainer, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON,
};

fn config(scheme: Scheme, optimizer: Optimizer) -> TrainConfig {
    TrainConfig {
        dataset: Dataset::Digits,
        scheme,
        optimizer,
        ..TrainConfig::default()
    }
}

#[test]
fn the_file_holds_1797_digits_split_1500_and_297_the_same_way_every_time() {
    let d = common::digits();
    assert_eq!(d.labels.len(), 1797);
    // Every class is there, about a tenth each.
    for c in 0..10 {
        let n = d.labels.iter().filter(|&&l| l == c).count();
        assert!((174..=183).contains(&n), "digit {c}: {n} images");
    }
    let (train, test) = digits::split(&d);
    assert_eq!((train.len(), test.len()), (1500, 297));
    let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..1797).collect::<Vec<_>>(), "a partition");
    assert_eq!(digits::split(&d), (train, test), "fixed");
    // Bad bytes are an error that says what is wrong, never a panic.
    assert!(digits::parse(b"GIF89a").unwrap_err().contains("DG01"));
    assert!(digits::parse(&[b'D', b'G', b'0', b'1', 0xff, 0x07, 1, 2])
        .unwrap_err()
        .contains("bytes long"));
}

#[test]
fn digits_without_their_data_are_an_error_naming_the_field() {
    let v = weight_init::map([("dataset", "digits".into())]);
    let config = TrainConfig::from_value(&v).expect("a valid config, whatever was read before");
    let e = Trainer::new(config.clone()).err().expect("no digits given");
    assert_eq!(e.field, "config.dataset");
    assert!(e.to_string().contains("loadDigits"), "{e}");
    // Given the digits, the same config trains on them; without, it is refused again.
    let t = Trainer::with_digits(config.clone(), &common::digits()).expect("digits given");
    assert_eq!(t.data().features, digits::PIXELS);
    assert!(
        Trainer::new(config).is_err(),
        "nothing kept from the last trainer"
    );
}

#[test]
fn the_ten_way_softmax_back_propagates_as_finite_differences_say() {
    let d = common::digits();
    // tanh: smooth everywhere, so central differences are accurate to ~h².
    let mut t = Trainer::with_digits(
        TrainConfig {
            layers: 2,
            width: 6,
            activation: weight_init::Activation::Tanh,
            ..config(Scheme::XavierNormal, Optimizer::Sgd)
        },
        &d,
    )
    .unwrap();
    let idx: Vec<usize> = (0..30).collect();
    // Every weight of the small layers; every 7th of the 64 × 6 input layer.
    let (worst, checked) =
        common::worst_gradient_error(&mut t, &idx, |l| if l == 0 { 7 } else { 1 }, 1e-7);
    assert_eq!(
        t.params_mut().1.last().unwrap().len(),
        10,
        "one output per digit"
    );
    assert!(
        worst < 1e-5,
        "worst relative error {worst:e} over {checked} parameters"
    );
}

#[test]
fn adam_steps_as_the_published_rule_says() {
    // Kingma & Ba (2015), Algorithm 1: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
    // m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ); θ ← θ − α·m̂/(√v̂ + ε). Written out here on the parameters of a
    // second network, with the gradients the first one computes, step by step.
    let d = common::digits();
    let small = TrainConfig {
        layers: 2,
        width: 8,
        lr: 0.003,
        ..config(Scheme::HeNormal, Optimizer::Adam)
    };
    let mut ours = Trainer::with_digits(small.clone(), &d).unwrap();
    let mut reference = Trainer::with_digits(small, &d).unwrap();
    let sizes: Vec<usize> = reference.params_mut().0.iter().map(Vec::len).collect();
    let mut m: Vec<Vec<f64>> = sizes.iter().map(|&n| vec![0.0; n]).collect();
    let mut v = m.clone();
    for t in 1..=20 {
        let batch: Vec<usize> = (0..32).map(|i| (i * 37 + t * 11) % 1500).collect();
        ours.step_on(&batch);
        let (_, _, gw, _) = reference.gradients(&batch);
        let (w, _) = reference.params_mut();
        for l in 0..w.len() {
            for k in 0..w[l].len() {
                let g = gw[l][k];
                m[l][k] = ADAM_BETA1 * m[l][k] + (1.0 - ADAM_BETA1) * g;
                v[l][k] = ADAM_BETA2 * v[l][k] + (1.0 - ADAM_BETA2) * g * g;
                let m_hat = m[l][k] / (1.0 - ADAM_BETA1.powi(t as i32));
                let v_hat = v[l][k] / (1.0 - ADAM_BETA2.powi(t as i32));
                w[l][k] -= 0.003 * m_hat / (v_hat.sqrt() + ADAM_EPSILON);
            }
        }
        // The reference moves only the weights; give it our biases so both see the same network.
        let biases = ours.params_mut().1.clone();
        *reference.params_mut().1 = biases;
    }
    let a = ours.params_mut().0.clone();
    let b = reference.params_mut().0.clone();
    let worst = a
        .iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| (x - y).abs() / x.abs().max(1e-3))
        .fold(0.0, f64::max);
    // Only rounding differs (powi against pow, the order of a few operations).
    assert!(worst < 1e-9, "worst relative difference {worst:e}");
}

/// Test accuracy after `steps` steps of the figure's network (20 layers of 16) on the digits.
fn test_accuracy(scheme: Scheme, sigma: f64, optimizer: Optimizer, lr: f64, steps: usize) -> f64 {
    let mut t = Trainer::with_digits(
        TrainConfig {
            sigma,
            lr,
            ..config(scheme, optimizer)
        },
        &common::digits(),
    )
    .unwrap();
    t.train(steps);
    t.progress().test_accuracy
}

#[test]
fn he_learns_the_digits_and_zeros_stays_at_chance() {
    // The figure's defaults on the digits: 3,000 steps of SGD with momentum, learning rate 0.001.

    let he = test_accuracy(Scheme::HeNormal, 0.0, Optimizer::Sgd, 0.001, 3000);
    let zeros = test_accuracy(Scheme::Zeros, 0.0, Optimizer::Sgd, 0.001, 3000);
    assert!(he >= 0.85, "He: {he}");
    // Identical neurons can at best learn which digit is most common (about 1 in 10 of the test
    // images; tests/prose.rs computes the share).
    assert!(zeros <= 0.12, "zeros: {zeros}");
}

#[test]
fn adam_rescues_small_gradients_but_not_symmetry_vanishing_or_a_huge_start() {
    // Adam at learning rate 0.001 for 3,000 steps.
    let d = common::digits();
    let adam = |scheme, sigma| test_accuracy(scheme, sigma, Optimizer::Adam, 0.001, 3000);
    let sgd = test_accuracy(Scheme::XavierNormal, 0.0, Optimizer::Sgd, 0.003, 1000);
    let xavier = adam(Scheme::XavierNormal, 0.0);
    assert!(
        xavier >= 0.8 && xavier > sgd + 0.2,
        "Xavier: Adam {xavier}, SGD after 1,000 steps {sgd}"
    );
    assert!(
        adam(Scheme::Zeros, 0.0) <= 0.12,
        "zeros: identical neurons stay identical"
    );
    assert!(
        adam(Scheme::Normal, 0.01) <= 0.12,
        "σ = 0.01: the signal has vanished"
    );
    // σ = 1: Adam's steps have the learning rate's size, so the run never overflows (SGD's does
    // within a few steps), but 3,000 of them leave it far from learning.
    let mut huge = Trainer::with_digits(
        TrainConfig {
            sigma: 1.0,
            lr: 0.001,
            ..config(Scheme::Normal, Optimizer::Adam)
        },
        &d,
    )
    .unwrap();
    huge.train(3000);
    let p = huge.progress();
    assert!(!p.diverged, "σ = 1 with Adam stays finite: {p:?}");
    assert!(
        p.test_accuracy <= 0.3 && p.loss > 100.0,
        "σ = 1 with Adam does not recover: {p:?}"
    );
}
