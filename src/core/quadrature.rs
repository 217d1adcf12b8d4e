//! Gauss–Hermite quadrature for Gaussian expectations of smooth activations (tanh, sigmoid).

use std::sync::OnceLock;

/// Number of nodes: exact for polynomials up to degree 2·N − 1, ample for tanh and sigmoid.
const N: usize = 80;

/// Orthonormal Hermite function values p_{n}(x) and p_{n−1}(x) by the three-term recurrence.
fn hermite(n: usize, x: f64) -> (f64, f64) {
    let mut prev = 0.0;
    let mut cur = std::f64::consts::PI.powf(-0.25);
    for j in 0..n {
        let next =
            x * (2.0 / (j as f64 + 1.0)).sqrt() * cur - (j as f64 / (j as f64 + 1.0)).sqrt() * prev;
        prev = cur;
        cur = next;
    }
    (cur, prev)
}

/// Nodes x_i and weights w_i with ∫ e^{−x²} f(x) dx ≈ Σ w_i f(x_i).
fn rule() -> &'static [(f64, f64)] {
    static RULE: OnceLock<Vec<(f64, f64)>> = OnceLock::new();
    RULE.get_or_init(|| {
        // Every root lies in (−√(2N+1), √(2N+1)) and neighbours are more than 0.1 apart, so a scan
        // in steps of 0.01 brackets each positive root; Newton's method then polishes it.
        let top = (2.0 * N as f64 + 1.0).sqrt();
        let mut roots = Vec::with_capacity(N);
        let steps = (top / 0.01) as usize + 1;
        let mut x0 = 0.0;
        let mut f0 = hermite(N, x0).0;
        for k in 1..=steps {
            let x1 = k as f64 * 0.01;
            let f1 = hermite(N, x1).0;
            if f0 == 0.0 || f0.signum() != f1.signum() {
                let (mut a, mut b) = (x0, x1);
                for _ in 0..60 {
                    let m = 0.5 * (a + b);
                    if hermite(N, m).0.signum() == hermite(N, a).0.signum() {
                        a = m;
                    } else {
                        b = m;
                    }
                }
                let mut x = 0.5 * (a + b);
                for _ in 0..3 {
                    let (p, q) = hermite(N, x);
                    let dp = (2.0 * N as f64).sqrt() * q;
                    x -= p / dp;
                }
                roots.push(x);
            }
            x0 = x1;
            f0 = f1;
        }
        let mut rule = Vec::with_capacity(2 * roots.len());
        for &x in &roots {
            let (_, q) = hermite(N, x);
            let dp = (2.0 * N as f64).sqrt() * q;
            let w = 2.0 / (dp * dp);
            rule.push((x, w));
            rule.push((-x, w));
        }
        rule
    })
}

/// E[f(z)] for z ~ N(mean, variance).
pub fn gaussian_expectation(mean: f64, variance: f64, f: impl Fn(f64) -> f64) -> f64 {
    if variance <= 0.0 {
        return f(mean);
    }
    let scale = (2.0 * variance).sqrt();
    let sum: f64 = rule().iter().map(|&(x, w)| w * f(mean + scale * x)).sum();
    sum / std::f64::consts::PI.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_gaussian_moments_exactly() {
        assert_eq!(rule().len(), N);
        assert!((gaussian_expectation(0.0, 1.0, |_| 1.0) - 1.0).abs() < 1e-13);
        assert!((gaussian_expectation(0.0, 2.0, |z| z * z) - 2.0).abs() < 1e-12);
        assert!((gaussian_expectation(1.0, 1.0, |z| z.powi(4)) - 10.0).abs() < 1e-11);
    }

    #[test]
    fn tanh_second_moment_matches_reference() {
        // E[tanh(z)²] for z ~ N(0, 1) = 0.39429 (a high-accuracy integration).
        let m = gaussian_expectation(0.0, 1.0, |z| libm::tanh(z).powi(2));
        assert!((m - 0.39429).abs() < 5e-6, "{m}");
    }
}
