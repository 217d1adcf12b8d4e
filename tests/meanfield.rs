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

/// Runs one input through `layers` tanh layers of `width` with weights N(0, σ_w²/n) and biases
/// N(0, σ_b²) (seed 3), and returns every layer's outputs.
fn outputs(input: &[f64], sw2: f64, sb2: f64, layers: usize, width: usize) -> Vec<Vec<f64>> {
    outputs_seeded(input, sw2, sb2, layers, width, 3)
}

fn outputs_seeded(
    input: &[f64],
    sw2: f64,
    sb2: f64,
    layers: usize,
    width: usize,
    seed: u64,
) -> Vec<Vec<f64>> {
    use weight_init::{map, Value};
    let config = map([
        ("activation", "tanh".into()),
        ("scheme", "normal".into()),
        ("sigma", (sw2 / width as f64).sqrt().into()),
        ("biasSigma", sb2.sqrt().into()),
        ("layers", (layers as f64).into()),
        ("width", (width as f64).into()),
        ("seed", (seed as f64).into()),
        ("trace", Value::Bool(true)),
        ("input", Value::Numbers(input.to_vec())),
    ]);
    weight_init::simulate_value(&config).unwrap().trace.unwrap()
}

/// A deterministic input of unit variance.
fn input(n: usize) -> Vec<f64> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 12f64.sqrt()
        })
        .collect()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma) * (x - ma)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb) * (y - mb)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn the_measured_signal_settles_at_q_star() {
    // Var(Z) deep in a wide network, measured over neurons and 32 samples, against q*.
    use weight_init::map;
    let (sw2, sb2, width) = (1.5, 0.05, 512);
    let r = weight_init::simulate_value(&map([
        ("activation", "tanh".into()),
        ("scheme", "normal".into()),
        ("sigma", (sw2 / width as f64).sqrt().into()),
        ("biasSigma", f64::sqrt(sb2).into()),
        ("layers", 30.0.into()),
        ("width", (width as f64).into()),
        (
            "input",
            map([
                ("samples", 32.0.into()),
                ("features", (width as f64).into()),
            ]),
        ),
        ("bins", 1.0.into()),
    ]))
    .unwrap();
    let q = phase(Activation::Tanh, sw2, sb2).q_star;
    let deep: f64 = r.layers[20..].iter().map(|l| l.pre_variance).sum::<f64>() / 10.0;
    eprintln!("Var(Z) at layers 21–30: {deep:.4}, q* {q:.4}");
    assert!((deep / q - 1.0).abs() < 0.05, "measured {deep}, q* {q}");
    // The theory the page draws beside it agrees: its deepest layer is q* (to 1e-6).
    let t = r.theory.unwrap();
    assert!((t[29].pre_variance / (q * (1.0 - 1.0 / (32.0 * 512.0))) - 1.0).abs() < 1e-6);
}

#[test]
fn nearby_inputs_separate_at_the_rate_chi1_predicts_in_the_chaotic_phase() {
    // Two inputs 1e-7 apart. In the chaotic phase their squared distance, and so 1 − c (c the
    // correlation of the two outputs), grows by χ₁ per layer while it is small. Fit the growth of
    // ln(1 − c) per layer where 1 − c is between 1e-10 and 1e-4: its inverse is the measured depth
    // scale, to compare with ξ = 1/ln χ₁.
    let (sw2, sb2, width, layers) = (2.5, 0.05, 512, 100);
    let x = input(width);
    let y: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, v)| v + 1e-7 * input(width)[(i * 7) % width])
        .collect();
    let (a, b) = (
        outputs(&x, sw2, sb2, layers, width),
        outputs(&y, sw2, sb2, layers, width),
    );
    let points: Vec<(f64, f64)> = (0..layers)
        .map(|l| (l as f64, 1.0 - correlation(&a[l], &b[l])))
        .filter(|&(_, d)| d > 1e-10 && d < 1e-4)
        .map(|(l, d)| (l, d.ln()))
        .collect();
    assert!(points.len() >= 10, "{} layers in the range", points.len());
    let n = points.len() as f64;
    let (mx, my) = (
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let slope = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>()
        / points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum::<f64>();
    let p = phase(Activation::Tanh, sw2, sb2);
    assert!(p.chi1 > 1.0);
    let (measured, predicted) = (1.0 / slope, p.depth_scale);
    eprintln!(
        "depth scale: measured {measured:.2}, ξ {predicted:.2}, χ₁ {:.4}",
        p.chi1
    );
    assert!(
        (measured / predicted - 1.0).abs() < 0.15,
        "depth scale: measured {measured:.2} layers, ξ = 1/ln χ₁ = {predicted:.2} (χ₁ = {:.4})",
        p.chi1
    );
}

#[test]
fn the_critical_line_drawn_through_q_is_where_chi1_is_one() {
    use weight_init::core::meanfield::critical_line;
    let qs: Vec<f64> = (1..=40).map(|k| 0.05 * k as f64).collect();
    let line = critical_line(Activation::Tanh, &qs);
    assert!(line.len() > 30);
    for &(sw2, sb2) in line.iter().step_by(7) {
        let want = critical_sw2(Activation::Tanh, sb2);
        assert!(
            (sw2 - want).abs() < 1e-6,
            "σ_b² = {sb2}: line {sw2}, bisection {want}"
        );
        let p = phase(Activation::Tanh, sw2, sb2);
        assert!((p.chi1 - 1.0).abs() < 1e-6, "χ₁ = {}", p.chi1);
    }
}

#[test]
fn two_inputs_converge_or_separate_as_the_correlation_map_says() {
    use weight_init::core::meanfield::pair;
    // Two inputs of cosine 0.6 through 30 layers of 512, in the ordered and the chaotic phase:
    // the cosine similarity of the two outputs, averaged over 8 networks, follows the theory
    // (the finite width lags it by about 1/512 per layer of convergence). Their ends tell the
    // phases apart: the ordered network maps both inputs to almost the same output, the chaotic one
    // decorrelates them towards c* ≈ 0.28.
    let (width, layers, seeds) = (512, 30, 8);
    let x = input(width);
    let noise: Vec<f64> = (0..width).map(|i| x[(i * 131 + 7) % width]).collect();
    let y: Vec<f64> = x
        .iter()
        .zip(&noise)
        .map(|(a, b)| 0.6 * a + 0.8 * b)
        .collect();
    let n = width as f64;
    let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(p, q)| p * q).sum::<f64>() / n;
    for (sw2, sb2) in [(1.2, 0.05), (3.0, 0.05)] {
        let mut mean = vec![0.0; layers];
        for seed in 0..seeds {
            let a = outputs_seeded(&x, sw2, sb2, layers, width, seed);
            let b = outputs_seeded(&y, sw2, sb2, layers, width, seed);
            for l in 0..layers {
                let cosine = dot(&a[l], &b[l]) / (dot(&a[l], &a[l]) * dot(&b[l], &b[l])).sqrt();
                mean[l] += cosine / seeds as f64;
            }
        }
        let (q1, q2) = (sw2 * dot(&x, &x) + sb2, sw2 * dot(&y, &y) + sb2);
        let c = (sw2 * dot(&x, &y) + sb2) / (q1 * q2).sqrt();
        let theory = pair(Activation::Tanh, sw2, sb2, (q1, q2, c), layers);
        // Layer by layer while the two signals are still close to their start (all of it in the
        // ordered phase, the first ten layers in the chaotic one, where single networks then
        // stray by up to 0.3 from one another), and where the chaotic one settles: the last ten
        // layers' average against c*.
        let ordered = sw2 < 2.0;
        let upto = if ordered { layers } else { 10 };
        let worst = (0..upto)
            .map(|l| (mean[l] - theory[l].cosine).abs())
            .fold(0.0, f64::max);
        let tail = |v: &dyn Fn(usize) -> f64| (layers - 10..layers).map(v).sum::<f64>() / 10.0;
        let (settled, predicted) = (tail(&|l| mean[l]), tail(&|l| theory[l].cosine));
        eprintln!(
            "σ_w² {sw2}: worst difference over {upto} layers {worst:.4}; last ten layers {settled:.4} against {predicted:.4}"
        );
        // Chaos amplifies each network's own fluctuations, so 8 draws average less of them away.
        let tolerance = if ordered { 0.05 } else { 0.08 };
        assert!(worst < tolerance, "σ_w² = {sw2}: worst difference {worst}");
        assert!(
            (settled - predicted).abs() < 0.04,
            "σ_w² = {sw2}: settles at {settled}, theory {predicted}"
        );
        assert!(
            if ordered {
                settled > 0.98
            } else {
                settled < 0.35
            },
            "σ_w² = {sw2}: ends at {settled}"
        );
    }
}

#[test]
fn the_chaotic_phase_has_its_own_correlation_depth_scale() {
    use weight_init::core::meanfield::{correlation, pair};
    // The reference values: at σ_b² = 0.05, σ_w² = 2.5 gives ξ_c = 11.8 (1/ln χ₁ = 8.0), σ_w² = 4
    // gives 7.0 (3.4). In the ordered phase c* = 1 and the two scales agree.
    for (sw2, xi_c, xi_1) in [(2.5, 11.8, 8.0), (4.0, 7.0, 3.4)] {
        let c = correlation(Activation::Tanh, sw2, 0.05);
        let p = phase(Activation::Tanh, sw2, 0.05);
        assert!(
            (c.depth_scale - xi_c).abs() < 0.05,
            "σ_w² {sw2}: ξ_c = {}",
            c.depth_scale
        );
        assert!(
            (p.depth_scale - xi_1).abs() < 0.05,
            "σ_w² {sw2}: 1/ln χ₁ = {}",
            p.depth_scale
        );
        assert!(c.c_star > 0.0 && c.c_star < 1.0);
        // The correlation map itself approaches c* by χ_c per layer, from either side.
        for start in [0.95, 0.05] {
            let q = p.q_star;
            let cs: Vec<f64> = pair(Activation::Tanh, sw2, 0.05, (q, q, start), 80)
                .iter()
                .map(|x| x.c)
                .collect();
            let rate = (cs[79] - c.c_star) / (cs[78] - c.c_star);
            assert!(
                (rate - c.chi_c).abs() < 2e-3,
                "σ_w² {sw2} from {start}: the map's rate {rate}, χ_c {}",
                c.chi_c
            );
        }
    }
    let ordered = correlation(Activation::Tanh, 1.5, 0.05);
    let p = phase(Activation::Tanh, 1.5, 0.05);
    assert_eq!(
        (ordered.c_star, ordered.chi_c, ordered.depth_scale),
        (1.0, p.chi1, p.depth_scale)
    );
}
