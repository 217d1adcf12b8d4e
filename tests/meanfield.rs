//! The edge of chaos: the mean-field theory reproduces the literature's reference values.
#![cfg(not(target_arch = "wasm32"))]

use weight_init::core::config::Activation;
use weight_init::core::meanfield::{critical_sw2, length_map, phase};

#[test]
fn the_critical_line_of_tanh_matches_the_reference_values() {
    // Computed with an independent integration: critical σ_w² at each σ_b².
    for (sb2, want) in [
        (0.0, 1.00),
        (0.01, 1.42),
        (0.05, 1.76),
        (0.1, 1.99),
        (0.3, 2.51),
    ] {
        let got = critical_sw2(Activation::Tanh, sb2);
        assert!(
            (got - want).abs() < 0.006,
            "σ_b² = {sb2}: critical σ_w² {got}, reference {want}"
        );
    }
    let q = phase(Activation::Tanh, critical_sw2(Activation::Tanh, 0.05), 0.05).q_star;
    assert!(
        (q - 0.57).abs() < 0.006,
        "q* on the critical line at σ_b² = 0.05: {q}"
    );
}

#[test]
fn an_ordered_point_has_the_reference_fixed_point_and_slope() {
    let p = phase(Activation::Tanh, 1.5, 0.05);
    assert!((p.q_star - 0.418).abs() < 6e-4, "q* = {}", p.q_star);
    assert!((p.chi1 - 0.939).abs() < 6e-4, "χ₁ = {}", p.chi1);
    // q* is a fixed point of the length map, to full precision.
    let q = length_map(Activation::Tanh, 1.5, 0.05, p.q_star);
    assert!(
        (q - p.q_star).abs() < 1e-12 * p.q_star,
        "{q} vs {}",
        p.q_star
    );
    assert!(
        (p.depth_scale - 1.0 / (1.0 / 0.939f64).ln()).abs() < 0.2,
        "ξ = {}",
        p.depth_scale
    );
}

#[test]
fn relu_is_critical_at_he_and_tanh_without_bias_at_one() {
    assert_eq!(critical_sw2(Activation::Relu, 0.0), 2.0);
    // Without biases a tanh network's signal fades to 0 for σ_w² ≤ 1 and settles above it.
    assert_eq!(phase(Activation::Tanh, 0.9, 0.0).q_star, 0.0);
    assert!(phase(Activation::Tanh, 1.2, 0.0).q_star > 0.1);
    // Chaotic beyond the line, ordered below it.
    assert!(phase(Activation::Tanh, 3.0, 0.05).chi1 > 1.0);
    assert!(phase(Activation::Tanh, 1.2, 0.05).chi1 < 1.0);
}
