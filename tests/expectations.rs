//! The theory's Gaussian expectations for tanh and sigmoid — E[φ], E[φ²], E[φ′²] under N(μ, v) —
//! against an independent integration (the `quadrature` crate's double-exponential rule, in z, with
//! the standard library's tanh and exp) over a log grid of variances from 10⁻¹² to 10¹², with and
//! without a bias: relative error at most 10⁻⁶.
#![cfg(not(target_arch = "wasm32"))]

use quadrature::double_exponential::integrate;
use weight_init::core::theory::moments;
use weight_init::Activation;

/// ∫ f(z) N(z; μ, v) dz by the double-exponential rule over pieces of the Gaussian's ±40 s range,
/// cut at the activation's transitions (|z| = 0, 4, 40) and the Gaussian's shoulders.
fn reference(mean: f64, variance: f64, f: impl Fn(f64) -> f64) -> f64 {
    let s = variance.sqrt();
    let density = |z: f64| {
        let t = (z - mean) / s;
        (-0.5 * t * t).exp() / (s * (2.0 * std::f64::consts::PI).sqrt())
    };
    let (lo, hi) = (mean - 40.0 * s, mean + 40.0 * s);
    let mut cuts = vec![lo, hi, mean - 6.0 * s, mean, mean + 6.0 * s];
    cuts.extend(
        [-40.0, -4.0, 0.0, 4.0, 40.0]
            .iter()
            .filter(|&&c| c > lo && c < hi),
    );
    cuts.sort_by(f64::total_cmp);
    cuts.windows(2)
        .map(|w| integrate(|z| f(z) * density(z), w[0], w[1], 1e-300).integral)
        .sum()
}

/// Within 10⁻⁶ relative, or 10⁻¹³ of `scale` where the value cancels to about 0 (E[tanh] at μ = 0).
fn close(got: f64, want: f64, scale: f64) -> bool {
    (got - want).abs() <= 1e-6 * want.abs() + 1e-13 * scale
}

#[test]
fn tanh_and_sigmoid_expectations_are_accurate_at_every_variance() {
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    type Function<'a> = &'a dyn Fn(f64) -> f64;
    let cases: [(Activation, Function, Function); 2] = [
        (Activation::Tanh, &|z: f64| z.tanh(), &|z: f64| {
            1.0 - z.tanh().powi(2)
        }),
        (Activation::Sigmoid, &sigmoid, &|z: f64| {
            sigmoid(z) * (1.0 - sigmoid(z))
        }),
    ];
    let mut worst: f64 = 0.0;
    let mut checked = 0;
    for (act, phi, slope) in cases {
        for mean in [0.0, 0.5, -3.0] {
            for e in -24..=24 {
                let v = 10f64.powf(e as f64 / 2.0);
                let m = moments(act, mean, v);
                let want = [
                    reference(mean, v, phi),
                    reference(mean, v, |z| phi(z).powi(2)),
                    reference(mean, v, |z| slope(z).powi(2)),
                ];
                let got = [m.first, m.second, m.slope_second];
                for k in 0..3 {
                    // The first moment may cancel to 0; the others are integrals of squares.
                    let scale = if k == 0 { want[1].sqrt() } else { 0.0 };
                    assert!(
                        close(got[k], want[k], scale),
                        "{act:?} mean {mean} v {v:e}: moment {k} is {} against {} (relative error {:.2e})",
                        got[k],
                        want[k],
                        ((got[k] - want[k]) / want[k]).abs()
                    );
                    if k > 0 || want[k].abs() > 1e-6 * want[1].sqrt() {
                        worst = worst.max(((got[k] - want[k]) / want[k]).abs());
                    }
                    checked += 1;
                }
            }
        }
    }
    println!("{checked} expectations checked, worst relative error {worst:.2e}");
}
