//! The exact law of one network's spread (src/core/spread.rs) against the simulator: over 2,000
//! seeds at widths 8, 32 and 512, the share of draws below each predicted quantile (10 %, 50 %,
//! 90 %) is that probability within four standard errors of a binomial share, √(p(1 − p)/N), and
//! the share of exact zeros (a layer whose units all died) matches the atom the same way.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::run;
use weight_init::core::spread::{he_relu_law, log_factor_moments};
use weight_init::map;

const SEEDS: usize = 2000;
const PROBABILITIES: [f64; 3] = [0.1, 0.5, 0.9];

/// Var(Z_l) / E[Var(Z_l)] for every layer of `seeds` He ReLU networks with one N(0, 1) input.
fn ratios(width: usize, layers: usize, seeds: usize) -> Vec<Vec<f64>> {
    (0..seeds)
        .map(|seed| {
            let r = run(map([
                ("scheme", "he-normal".into()),
                ("layers", (layers as f64).into()),
                ("width", (width as f64).into()),
                (
                    "input",
                    map([("samples", 1.0.into()), ("features", (width as f64).into())]),
                ),
                ("seed", (seed as f64).into()),
                ("bins", 1.0.into()),
            ]));
            let t = r.theory.as_ref().unwrap();
            r.layers
                .iter()
                .zip(t)
                .map(|(m, e)| m.pre_variance / e.pre_variance)
                .collect()
        })
        .collect()
}

fn check(width: usize, layers: usize, at: &[usize]) {
    let runs = ratios(width, layers, SEEDS);
    let law = he_relu_law(width, layers, &PROBABILITIES);
    let n = SEEDS as f64;
    for &l in at {
        let xs: Vec<f64> = runs.iter().map(|r| r[l - 1]).collect();
        let zeros = xs.iter().filter(|&&x| x == 0.0).count() as f64 / n;
        let atom = law.atom[l - 1];
        let se = (atom * (1.0 - atom) / n).sqrt().max(0.5 / n);
        println!("width {width}, layer {l}: zeros {zeros:.4} (atom {atom:.4})");
        assert!(
            (zeros - atom).abs() <= 4.0 * se + 1.0 / n,
            "width {width}, layer {l}: {zeros} of the draws are 0, the atom is {atom}"
        );
        for (k, &p) in PROBABILITIES.iter().enumerate() {
            let q = law.quantiles[l - 1][k];
            if p <= atom {
                // Inside the atom: the law's quantile is 0, and so is the draws' (the atom's
                // share was checked above).
                assert_eq!(q, 0.0);
                if p < atom - 4.0 * se {
                    let mut sorted = xs.clone();
                    sorted.sort_by(f64::total_cmp);
                    assert_eq!(
                        sorted[((n - 1.0) * p).round() as usize],
                        0.0,
                        "width {width}, layer {l}: the {p} quantile"
                    );
                }
                continue;
            }
            let below = xs.iter().filter(|&&x| x < q).count() as f64 / n;
            let mut sorted = xs.clone();
            sorted.sort_by(f64::total_cmp);
            let measured = sorted[((n - 1.0) * p).round() as usize];
            println!("  {p}: exact {q:.4e}, measured {measured:.4e}, share below {below:.4}");
            let se = (p * (1.0 - p) / n).sqrt();
            assert!(
                (below - p).abs() <= 4.0 * se,
                "width {width}, layer {l}: {below} of the draws lie below the exact {p} quantile {q:e} (measured {measured:e})"
            );
        }
    }
}

#[test]
fn the_exact_law_holds_at_width_8() {
    // Depth 100: about a third of the draws have lost a whole layer by the end.
    check(8, 100, &[1, 2, 10, 50, 100]);
}

#[test]
fn the_exact_law_holds_at_width_32() {
    check(32, 100, &[1, 5, 50, 100]);
}

#[test]
fn the_exact_law_holds_at_width_512() {
    check(512, 12, &[1, 6, 12]);
}

#[test]
fn the_log_factor_variance_is_not_5_over_n() {
    // Var ln F at n = 64 is 0.0830; the small-1/n form 5/n gives 0.0781.
    let (_, v) = log_factor_moments(64);
    assert!((v - 0.0830).abs() < 5e-4, "Var ln F = {v}");
    // and it tends to 5/n as n grows
    let (_, v) = log_factor_moments(4096);
    assert!(
        (v * 4096.0 / 5.0 - 1.0).abs() < 0.01,
        "n Var ln F / 5 = {}",
        v * 4096.0 / 5.0
    );
}

#[test]
fn the_law_at_the_figures_largest_settings_is_a_law_at_every_layer() {
    for width in [8, 64, 512] {
        let t = std::time::Instant::now();
        let law = he_relu_law(width, 100, &PROBABILITIES);
        println!(
            "width {width}: {:?}, layer 100 {:?}",
            t.elapsed(),
            law.quantiles[99]
        );
        assert_eq!((law.atom.len(), law.quantiles.len()), (100, 100));
        for l in 0..100 {
            // A chance that a layer has died, which only grows with depth (a dead layer stays dead).
            let atom = law.atom[l];
            assert!(
                (0.0..=1.0).contains(&atom),
                "width {width} layer {}: atom {atom}",
                l + 1
            );
            if l > 0 {
                assert!(
                    atom >= law.atom[l - 1],
                    "width {width} layer {}: atom shrank",
                    l + 1
                );
            }
            // Quantiles of a non-negative ratio, in the order of their probabilities.
            let q = &law.quantiles[l];
            assert!(
                q.iter().all(|v| v.is_finite() && *v >= 0.0) && q.windows(2).all(|w| w[0] <= w[1]),
                "width {width} layer {}: {q:?}",
                l + 1
            );
        }
    }
}
