//! The exact spread of one ReLU network's variance around its expectation (He weights, one input,
//! no bias), at any width and depth.
//!
//! For a fixed vector h, W h with independent N(0, 2/n) weights is N(0, (2/n)‖h‖² I): layer l's
//! pre-activations are ‖h_{l−1}‖·√(2/n) times n fresh standard Gaussians g, whatever h_{l−1} was.
//! So each layer multiplies the squared norm by F = (2/n)·Σ ReLU(g_i)² = (2/n)·χ²_K, with
//! K ~ Binomial(n, ½) the number of positive g_i, independently across layers; K = 0 (every unit
//! of a layer dead) sends every later layer to exactly zero, an atom. What the simulator measures
//! at layer l, `np.var(Z_l)`, is the squared norm that reaches the layer times (2/n) times
//! Σ (g_i − ḡ)²/n, a χ²_{n−1}/n of the layer's own Gaussians (the subtraction of the mean loses one
//! degree of freedom), and its expectation is the theory's (n − 1)/n · 2 · (the input's mean
//! square) times 1 per layer. Hence, exactly,
//!
//! ```text
//! Var(Z_l) / E[Var(Z_l)] = F_1 · F_2 ⋯ F_{l−1} · χ²_{n−1}/(n − 1)
//! ```
//!
//! (layer 1's weights have fan-in the input's width; the law is the same). The logarithm of the
//! product is a sum of independent terms, whose distribution this module computes by convolving
//! each term's distribution on a grid, keeping the atom's mass apart.

/// ln Γ(x).
fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The regularized lower incomplete gamma function P(a, x) (the CDF of Gamma(a, 1) at x): its
/// series below a + 1, Lentz's continued fraction for Q above (Numerical Recipes' gammp).
pub fn gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let front = (a * x.ln() - x - ln_gamma(a)).exp();
    if x < a + 1.0 {
        let (mut term, mut sum, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (sum * front).min(1.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (1.0 - front * h).max(0.0)
    }
}

/// ψ(x), the digamma function, for x > 0.
pub fn digamma(mut x: f64) -> f64 {
    let mut out = 0.0;
    while x < 8.0 {
        out -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    out + x.ln()
        - 0.5 / x
        - f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f / 132.0))))
}

/// ψ′(x), the trigamma function, for x > 0.
pub fn trigamma(mut x: f64) -> f64 {
    let mut out = 0.0;
    while x < 8.0 {
        out += 1.0 / (x * x);
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    out + 1.0 / x
        + f / 2.0
        + f / x
            * (1.0 / 6.0 - f * (1.0 / 30.0 - f * (1.0 / 42.0 - f * (1.0 / 30.0 - f * 5.0 / 66.0))))
}

/// The Binomial(n, ½) probabilities of K = 0 … n.
fn binomial_half(n: usize) -> Vec<f64> {
    let ln_half = -(n as f64) * std::f64::consts::LN_2;
    let ln_n = ln_gamma(n as f64 + 1.0);
    (0..=n)
        .map(|k| (ln_n - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0) + ln_half).exp())
        .collect()
}

/// The probability that a layer of `n` units has none alive (K = 0): 2⁻ⁿ.
pub fn dead_layer(n: usize) -> f64 {
    0.5f64.powi(n as i32)
}

/// Mean and variance of ln F, F = (2/n)·χ²_K, given K ≥ 1: ln χ²_K has mean ψ(K/2) + ln 2 and
/// variance ψ′(K/2).
pub fn log_factor_moments(n: usize) -> (f64, f64) {
    let w = binomial_half(n);
    let alive = 1.0 - w[0];
    let (mut m1, mut m2, mut v) = (0.0, 0.0, 0.0);
    for (k, &p) in w.iter().enumerate().skip(1) {
        let mean = digamma(k as f64 / 2.0) + std::f64::consts::LN_2 + (2.0 / n as f64).ln();
        m1 += p * mean;
        m2 += p * mean * mean;
        v += p * trigamma(k as f64 / 2.0);
    }
    let (m1, m2, v) = (m1 / alive, m2 / alive, v / alive);
    (m1, v + m2 - m1 * m1)
}

/// A distribution on the grid u = h·i (i from `lo`), one mass per point.
#[derive(Clone, Debug)]
struct Grid {
    lo: i64,
    mass: Vec<f64>,
}

/// Masses below this are dropped from the ends of a distribution.
const NEGLIGIBLE: f64 = 1e-15;

impl Grid {
    /// The distribution with CDF `cdf` (of u) discretized on step `h`: the mass of
    /// [h(i − ½), h(i + ½)) goes to h·i. The grid reaches out from `center` in steps of `reach`
    /// until less than 10⁻¹⁶ of the mass lies beyond on the left, 10⁻¹² on the right; that mass goes to the end points.
    fn from_cdf(cdf: impl Fn(f64) -> f64, h: f64, center: f64, reach: f64) -> Grid {
        // (The sum of a mixture's CDFs reaches 1 only to rounding: 10⁻¹² on the right.)
        let mut from = center - reach;
        for _ in 0..10_000 {
            if cdf(from) < 1e-16 {
                break;
            }
            from -= reach;
        }
        let mut to = center + reach;
        for _ in 0..10_000 {
            if cdf(to) > 1.0 - 1e-12 {
                break;
            }
            to += reach;
        }
        let lo = (from / h).floor() as i64;
        let hi = (to / h).ceil() as i64;
        let mut mass = Vec::with_capacity((hi - lo + 1) as usize);
        let mut prev = 0.0;
        for i in lo..=hi {
            let c = if i == hi {
                1.0
            } else {
                cdf(h * (i as f64 + 0.5))
            };
            mass.push((c - prev).max(0.0));
            prev = c.max(prev);
        }
        let total: f64 = mass.iter().sum();
        mass.iter_mut().for_each(|m| *m /= total);
        Grid { lo, mass }.trimmed()
    }

    /// Without its negligible ends.
    fn trimmed(mut self) -> Grid {
        let first = self.mass.iter().position(|&m| m > NEGLIGIBLE).unwrap_or(0);
        let last = self.mass.iter().rposition(|&m| m > NEGLIGIBLE).unwrap_or(0);
        self.mass.truncate(last + 1);
        self.mass.drain(..first);
        self.lo += first as i64;
        self
    }

    /// The distribution of the sum of independent draws from `self` and `other`.
    fn convolve(&self, other: &Grid) -> Grid {
        let mut mass = vec![0.0; self.mass.len() + other.mass.len() - 1];
        for (i, &a) in self.mass.iter().enumerate() {
            if a == 0.0 {
                continue;
            }
            for (m, &b) in mass[i..].iter_mut().zip(&other.mass) {
                *m += a * b;
            }
        }
        Grid {
            lo: self.lo + other.lo,
            mass,
        }
        .trimmed()
    }

    /// The value of u below which a share `p` of the mass lies, each point's mass spread evenly
    /// over its cell.
    fn quantile(&self, p: f64, h: f64) -> f64 {
        let mut below = 0.0;
        for (i, &m) in self.mass.iter().enumerate() {
            if below + m >= p && m > 0.0 {
                let t = ((p - below) / m).clamp(0.0, 1.0);
                return h * ((self.lo + i as i64) as f64 - 0.5 + t);
            }
            below += m;
        }
        h * ((self.lo + self.mass.len() as i64) as f64 - 0.5)
    }
}

/// The exact law of Var(Z_l) / E[Var(Z_l)] at every layer of a He-initialized ReLU network of
/// `width` units with one input (see the module's notes).
#[derive(Clone, Debug)]
pub struct SpreadLaw {
    /// For each layer 1 … L, the probability that Var(Z_l) is exactly 0 (an earlier layer died).
    pub atom: Vec<f64>,
    /// For each layer, the requested quantiles of Var(Z_l) / E[Var(Z_l)] (0 inside the atom).
    pub quantiles: Vec<Vec<f64>>,
}

/// The quantiles `probabilities` of Var(Z_l) / E[Var(Z_l)] for l = 1 … `layers` at `width` (at
/// least 2), computed on a grid of ln values with a step of a fourteenth of ln F's standard
/// deviation (a quantile's error from the grid is far below the Monte-Carlo error of 10⁵ draws).
pub fn he_relu_law(width: usize, layers: usize, probabilities: &[f64]) -> SpreadLaw {
    law(width, layers, probabilities, true)
}

/// The same for the squared norm that reaches layer l, ‖h_{l−1}‖² over its expectation: the
/// product F_1 ⋯ F_{l−1} without layer l's own χ²_{n−1}/(n − 1), which `np.var(Z_l)` adds.
pub fn he_relu_norm_law(width: usize, layers: usize, probabilities: &[f64]) -> SpreadLaw {
    law(width, layers, probabilities, false)
}

fn law(width: usize, layers: usize, probabilities: &[f64], measured: bool) -> SpreadLaw {
    assert!(width >= 2, "the law needs at least two units a layer");
    let n = width as f64;
    let (mean_f, var_f) = log_factor_moments(width);
    let h = var_f.sqrt() / 14.0;
    let w = binomial_half(width);
    let alive = 1.0 - w[0];
    // ln F given K ≥ 1: P(ln F ≤ u) = Σ_K w_K P(χ²_K ≤ (n/2) eᵘ) / (1 − w_0).
    let terms: Vec<(f64, f64)> = w
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, &p)| p > 1e-18)
        .map(|(k, &p)| (k as f64 / 2.0, p / alive))
        .collect();
    let cdf_f = |u: f64| {
        let x = n / 4.0 * u.exp();
        terms.iter().map(|&(a, p)| p * gamma_p(a, x)).sum::<f64>()
    };
    let factor = Grid::from_cdf(cdf_f, h, mean_f, var_f.sqrt());
    // ln(χ²_{n−1}/(n − 1)): P(≤ u) = P((n − 1)/2, (n − 1)eᵘ/2).
    let dof = n - 1.0;
    let vm = trigamma(dof / 2.0);
    let measure = Grid::from_cdf(
        |u| gamma_p(dof / 2.0, dof / 2.0 * u.exp()),
        h,
        0.0,
        vm.sqrt(),
    );
    let dead = w[0];
    let mut product = Grid {
        lo: 0,
        mass: vec![1.0],
    };
    let mut out = SpreadLaw {
        atom: Vec::with_capacity(layers),
        quantiles: Vec::with_capacity(layers),
    };
    for l in 1..=layers {
        if l > 1 {
            product = product.convolve(&factor);
        }
        let atom = 1.0 - (1.0 - dead).powi(l as i32 - 1);
        let seen = if measured {
            product.convolve(&measure)
        } else {
            product.clone()
        };
        out.atom.push(atom);
        out.quantiles.push(
            probabilities
                .iter()
                .map(|&p| {
                    if p <= atom {
                        0.0
                    } else {
                        seen.quantile((p - atom) / (1.0 - atom), h).exp()
                    }
                })
                .collect(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_functions() {
        // P(1, x) = 1 − e⁻ˣ; P(½, x) = erf(√x).
        for x in [0.01, 0.5, 1.0, 3.0, 20.0] {
            assert!((gamma_p(1.0, x) - (1.0 - (-x).exp())).abs() < 1e-13);
            assert!((gamma_p(0.5, x) - libm::erf(x.sqrt())).abs() < 1e-13);
        }
        // ψ(1) = −γ, ψ′(1) = π²/6, ψ(½) = −γ − 2 ln 2.
        let euler = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + euler).abs() < 1e-12);
        assert!((digamma(0.5) + euler + 2.0 * std::f64::consts::LN_2).abs() < 1e-12);
        assert!((trigamma(1.0) - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-12);
    }

    #[test]
    fn median_of_one_layer_is_the_chi_square_median() {
        // Layer 1: χ²_{n−1}/(n − 1); χ²_31's median is 30.3359 (tables).
        let law = he_relu_law(32, 1, &[0.5]);
        assert!((law.quantiles[0][0] * 31.0 - 30.3359).abs() < 0.01);
    }
}
