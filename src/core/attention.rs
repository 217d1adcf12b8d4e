//! Why attention divides by √d (Vaswani et al. 2017): the softmax of dot products at initialization.
//!
//! A query q and a key k with d independent entries of variance 1 have a dot product of variance
//! d. Over `keys` keys the scores are then independent N(0, s²) draws with s = √d, or s = 1 after
//! the 1/√d scale. The wider the scores, the more the softmax puts on the largest one: its entropy
//! falls from ln(keys) towards 0, its largest weight rises towards 1, and its Jacobian
//! diag(p) − ppᵀ, through which every gradient to the scores passes, goes to 0.
//!
//! [`theory`] gives the expected entropy and largest weight of the softmax of `keys` independent
//! N(0, s²) scores exactly, as one-dimensional integrals: with 1/Z = ∫₀^∞ e^(−tZ) dt and
//! ln Z = ∫₀^∞ (e^(−t) − e^(−tZ)) dt/t (Frullani), the expectation over independent scores
//! factorises into powers of L(t) = E[exp(−t e^(s z))].

use super::rng::{stream, Stream};
use super::validate::Record;
use rand_distr::{Distribution, StandardNormal};

/// The expected entropy (in nats) and largest weight of a softmax over independent N(0, s²) scores.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Softmax {
    /// E[−Σ p log p].
    pub entropy: f64,
    /// E[max p].
    pub largest: f64,
}

/// E[entropy] and E[largest weight] of the softmax of `keys` independent N(0, s²) scores, s > 0.
///
/// z moves in steps of δ/s and ln t in whole multiples of δ (about 1/4), so every exp(ln t + s z)
/// falls on one lattice of step δ and is computed once. The integrands are smooth and the trapezoid
/// rule converges fast: the result agrees with Monte Carlo estimates to the third decimal.
pub fn theory(s: f64, keys: usize) -> Softmax {
    let t = keys as f64;
    let delta = (s / 8.0).min(1.0 / 16.0);
    let row = ((0.25 / delta).round() as i64).max(1);
    let hz = delta / s;
    // z from −8 to 8: the normal density beyond is below 1e-14.
    let half = (8.0 / hz).ceil() as i64;
    let norm = hz / (2.0 * std::f64::consts::PI).sqrt();
    let w: Vec<f64> = (-half..=half)
        .map(|j| {
            let z = j as f64 * hz;
            norm * libm::exp(-0.5 * z * z)
        })
        .collect();
    // below[j]: the weight of every node before j.
    let mut below = Vec::with_capacity(w.len() + 1);
    below.push(0.0);
    for &x in &w {
        below.push(below.last().copied().unwrap_or(0.0) + x);
    }
    // ln t over the range where the integrands are not negligible.
    let hu = delta * row as f64;
    let lo = ((-8.0 * s - t.ln() - 14.0) / hu).floor() as i64;
    let hi = ((8.0 * s + 6.0) / hu).ceil() as i64;
    // Only nodes where ln t + s z lies in [−25, 4] carry weight: below, e^(−t e^(sz)) is 1 to
    // within 1e-11; above, it and t e^(sz) e^(−t e^(sz)) are below 1e-22. The lattice covers them.
    let (first_m, last_m) = ((-25.0 / delta).ceil() as i64, (4.0 / delta).floor() as i64);
    let lattice: Vec<(f64, f64)> = (first_m..=last_m)
        .map(|m| {
            let x = libm::exp(m as f64 * delta);
            let e = libm::exp(-x);
            (e, x * e)
        })
        .collect();
    let (mut log_z, mut weighted, mut largest) = (0.0, 0.0, 0.0);
    for i in lo..=hi {
        let u = i as f64 * hu;
        let offset = i * row;
        let first = (first_m - offset).max(-half);
        let last = (last_m - offset).min(half);
        // L(t) = E[e^(−t e^(sz))], C(t) = E[z · t e^(sz) e^(−t e^(sz))], and the largest weight's
        // integrand Σ_x w_x t e^(sx) e^(−t e^(sx)) L_x(t)^(keys−1), L_x summing over z < x.
        let mut l = below[(first + half).clamp(0, 2 * half + 1) as usize];
        let (mut c, mut top) = (0.0, 0.0);
        for j in first..=last {
            let k = (j + half) as usize;
            let (e, xe) = lattice[(j + offset - first_m) as usize];
            let own = w[k] * e;
            let lx = l + 0.5 * own;
            l += own;
            c += w[k] * (j as f64 * hz) * xe;
            top += w[k] * xe * lx.powi(keys as i32 - 1);
        }
        log_z += libm::exp(-libm::exp(u)) - l.powi(keys as i32);
        weighted += c * l.powi(keys as i32 - 1);
        largest += top;
    }
    Softmax {
        entropy: hu * log_z - s * t * hu * weighted,
        largest: t * hu * largest,
    }
}

/// [`theory`] over a grid of ln s, for the mixture below: s from 0.05 to 80 in steps of 0.1 in
/// ln s, each point computed the first time it is needed.
struct Curve {
    keys: usize,
    values: Vec<Option<Softmax>>,
}

const LN_S_MIN: f64 = -3.0;
const LN_S_STEP: f64 = 0.1;
const LN_S_COUNT: usize = 75;

impl Curve {
    fn new(keys: usize) -> Curve {
        Curve {
            keys,
            values: vec![None; LN_S_COUNT],
        }
    }

    fn point(&mut self, k: usize) -> Softmax {
        let keys = self.keys;
        *self.values[k].get_or_insert_with(|| theory((LN_S_MIN + k as f64 * LN_S_STEP).exp(), keys))
    }

    /// Cubic (Catmull–Rom) interpolation in ln s; below the grid the scores are nearly equal
    /// (the first terms in s), beyond it the last point holds.
    fn at(&mut self, s: f64) -> Softmax {
        let x = (s.ln() - LN_S_MIN) / LN_S_STEP;
        if x.is_nan() || x < 0.0 {
            let t = self.keys as f64;
            // E[H] = ln(keys) − (s²/2)(1 − 1/keys) + O(s³); E[max p] = (1 + s E[max z])/keys +
            // O(s²), with E[max z] read off the grid's first point.
            let first = self.point(0);
            let m = (first.largest * t - 1.0) / LN_S_MIN.exp();
            return Softmax {
                entropy: t.ln() - 0.5 * s * s * (1.0 - 1.0 / t),
                largest: (1.0 + m * s) / t,
            };
        }
        let last = LN_S_COUNT - 1;
        if x >= last as f64 {
            return self.point(last);
        }
        let k = x.floor() as isize;
        let f = x - k as f64;
        let mut p = |i: isize| self.point(i.clamp(0, last as isize) as usize);
        let (a, b, c, d) = (p(k - 1), p(k), p(k + 1), p(k + 2));
        let cubic = |a: f64, b: f64, c: f64, d: f64| {
            b + 0.5
                * f
                * (c - a + f * (2.0 * a - 5.0 * b + 4.0 * c - d + f * (3.0 * (b - c) + d - a)))
        };
        Softmax {
            entropy: cubic(a.entropy, b.entropy, c.entropy, d.entropy),
            largest: cubic(a.largest, b.largest, c.largest, d.largest),
        }
    }
}

/// The expected entropy and largest weight of the attention of a query with d N(0, 1) entries
/// over `keys` keys with d N(0, 1) entries each, scaled by 1/√d or not. Given the query, its
/// scores are independent N(0, |q|² / d) (scaled) or N(0, |q|²) (not); |q|² is χ² with d degrees
/// of freedom, so the theory is [`theory`] averaged over it — which matters at small d, where |q|
/// varies a lot from query to query.
pub fn expected(d: usize, keys: usize, scaled: bool) -> Softmax {
    expected_with(d, keys, scaled, &mut Curves::default())
}

/// The theory's grids (see [`Curve`]) for the last few key counts asked for, kept by a caller that
/// asks again: a grid does not depend on d or the seed, so a call at another d reuses its points.
/// It changes no result, only the time a call takes.
#[derive(Default)]
pub struct Curves {
    curves: Vec<Curve>,
}

impl Curves {
    /// The grid for `keys` keys, made (in place of the oldest of four) if it is not kept.
    fn for_keys(&mut self, keys: usize) -> &mut Curve {
        let cache = &mut self.curves;
        let index = match cache.iter().position(|c| c.keys == keys) {
            Some(i) => i,
            None => {
                if cache.len() >= 4 {
                    cache.remove(0);
                }
                cache.push(Curve::new(keys));
                cache.len() - 1
            }
        };
        &mut cache[index]
    }
}

/// [`expected`], reading and filling the grids `curves` keeps.
pub fn expected_with(d: usize, keys: usize, scaled: bool, curves: &mut Curves) -> Softmax {
    let curve = curves.for_keys(keys);
    // |q|² = 2x with x ~ Gamma(a = d/2): the density of v = ln x is e^(a v − e^v) / Γ(a), smooth
    // and peaked at ln a with width about 1/√a; the trapezoid weights are normalised by their sum.
    let a = d as f64 / 2.0;
    let peak = a.ln();
    let h = (0.5 / a.sqrt()).min(0.25);
    let log_density = |v: f64| a * (v - peak) - (v.exp() - a);
    let (mut total, mut entropy, mut largest) = (0.0, 0.0, 0.0);
    for side in [-1.0, 1.0] {
        let mut k = if side < 0.0 { 0.0 } else { 1.0 };
        loop {
            let v = peak + side * k * h;
            let ld = log_density(v);
            if ld < -36.0 {
                break;
            }
            let weight = ld.exp();
            let q2 = 2.0 * v.exp();
            let s = if scaled {
                (q2 / d as f64).sqrt()
            } else {
                q2.sqrt()
            };
            let t = curve.at(s);
            total += weight;
            entropy += weight * t.entropy;
            largest += weight * t.largest;
            k += 1.0;
        }
    }
    Softmax {
        entropy: entropy / total,
        largest: largest / total,
    }
}

/// What one batch of queries measures at one d, with or without the scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    /// Standard deviation of the scores.
    pub score_sd: f64,
    /// Mean entropy of the attention weights, in nats.
    pub entropy: f64,
    /// Mean largest attention weight.
    pub largest: f64,
    /// Median over queries of the softmax Jacobian's Frobenius norm ‖diag(p) − ppᵀ‖.
    pub jacobian: f64,
    /// The first query's attention weights, largest first.
    pub first: Vec<f64>,
}

/// Everything `attention` returns.
#[derive(Clone, Debug, PartialEq)]
pub struct Attention {
    /// With the 1/√d scale.
    pub scaled: Measured,
    /// Without it.
    pub unscaled: Measured,
    /// Theory with the scale (s = 1); `None` when not asked for.
    pub scaled_theory: Option<Softmax>,
    /// Theory without it (s = √d).
    pub unscaled_theory: Option<Softmax>,
}

/// `sequences` sets of `keys` keys and `queries` queries of `d` N(0, 1) entries each from `seed`;
/// the softmax of each query's scores over its sequence's keys, measured with and without the
/// scale. Fresh keys per sequence keep one unusual set of keys from tilting every query at small d.
pub fn measure(
    d: usize,
    keys: usize,
    sequences: usize,
    queries: usize,
    seed: u64,
) -> (Measured, Measured) {
    let mut rng = stream(seed, Stream::Attention(d));
    let mut draw = |n: usize| -> Vec<f64> {
        (0..n)
            .map(|_| StandardNormal.sample(&mut rng))
            .collect::<Vec<f64>>()
    };
    let mut scores = vec![0.0; sequences * queries * keys];
    let mut panels = super::linalg::Scratch::default();
    for chunk in scores.chunks_exact_mut(queries * keys) {
        let k = draw(keys * d);
        let q = draw(queries * d);
        super::linalg::matmul_into_with(
            super::linalg::View::new(&q, queries, d),
            false,
            super::linalg::View::new(&k, keys, d),
            true,
            chunk,
            &mut panels,
        );
    }
    let scale = 1.0 / (d as f64).sqrt();
    let scaled = softmax_stats(&scores, keys, scale);
    let unscaled = softmax_stats(&scores, keys, 1.0);
    (scaled, unscaled)
}

fn softmax_stats(scores: &[f64], keys: usize, scale: f64) -> Measured {
    let queries = scores.len() / keys;
    let n = scores.len() as f64;
    let sum_sq: f64 = scores.iter().map(|x| (x * scale) * (x * scale)).sum();
    let mean: f64 = scores.iter().map(|x| x * scale).sum::<f64>() / n;
    let (mut entropy, mut largest) = (0.0, 0.0);
    let mut norms = Vec::with_capacity(queries);
    let mut first = Vec::new();
    let mut p = vec![0.0; keys];
    for (row, chunk) in scores.chunks_exact(keys).enumerate() {
        let top = chunk
            .iter()
            .fold(f64::NEG_INFINITY, |m, &x| m.max(x * scale));
        let mut z = 0.0;
        for (pi, &x) in p.iter_mut().zip(chunk) {
            *pi = libm::exp(x * scale - top);
            z += *pi;
        }
        let (mut h, mut p2, mut p3, mut most) = (0.0, 0.0, 0.0, 0.0_f64);
        for pi in p.iter_mut() {
            *pi /= z;
            if *pi > 0.0 {
                h -= *pi * libm::log(*pi);
            }
            p2 += *pi * *pi;
            p3 += *pi * *pi * *pi;
            most = most.max(*pi);
        }
        entropy += h;
        largest += most;
        // ‖diag(p) − ppᵀ‖² = Σp² − 2Σp³ + (Σp²)².
        norms.push((p2 - 2.0 * p3 + p2 * p2).max(0.0).sqrt());
        if row == 0 {
            first = p.clone();
            first.sort_by(|a, b| b.total_cmp(a));
        }
    }
    norms.sort_by(f64::total_cmp);
    let q = queries as f64;
    Measured {
        score_sd: (sum_sq / n - mean * mean).max(0.0).sqrt(),
        entropy: entropy / q,
        largest: largest / q,
        jacobian: norms[queries / 2],
        first,
    }
}

impl Attention {
    /// The result flat, in the layout of [`super::schema::result::ATTENTION`]: a skipped theory
    /// is NaN.
    pub fn flat(&self) -> Vec<f64> {
        use super::schema::flat::{pack, Item};
        pack(&super::schema::result::ATTENTION, |name| {
            let (side, field) = name.split_once('.').unwrap_or((name, ""));
            let (m, t) = match side {
                "scaled" => (&self.scaled, self.scaled_theory),
                "unscaled" => (&self.unscaled, self.unscaled_theory),
                _ => panic!("attention has no {name}"),
            };
            match field {
                "scoreSd" => Item::Number(m.score_sd),
                "entropy" => Item::Number(m.entropy),
                "largest" => Item::Number(m.largest),
                "jacobian" => Item::Number(m.jacobian),
                "first" => Item::Numbers(&m.first),
                "theory.entropy" => Item::Number(t.map_or(f64::NAN, |t| t.entropy)),
                "theory.largest" => Item::Number(t.map_or(f64::NAN, |t| t.largest)),
                _ => panic!("attention has no {name}"),
            }
        })
    }
}

/// `attention(config)` (see `schema::attention`).
pub fn attention(r: &Record) -> Attention {
    attention_with(r, &mut Curves::default())
}

/// [`attention`], its theory reading and filling the grids `curves` keeps.
pub fn attention_with(r: &Record, curves: &mut Curves) -> Attention {
    use super::schema::attention::{D, KEYS, QUERIES, SEED, SEQUENCES, SKIP_THEORY};
    let (d, keys) = (r.whole(&D), r.whole(&KEYS));
    let (scaled, unscaled) = measure(
        d,
        keys,
        r.whole(&SEQUENCES),
        r.whole(&QUERIES),
        r.number(&SEED) as u64,
    );
    let theory = !r.flag(&SKIP_THEORY);
    Attention {
        scaled,
        unscaled,
        scaled_theory: theory.then(|| expected_with(d, keys, true, curves)),
        unscaled_theory: theory.then(|| expected_with(d, keys, false, curves)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theory_matches_reference_values() {
        // 64 keys; references from an independent Monte Carlo of 40,000 draws (± about 0.002).
        for (s, h, m) in [
            (1.0, 3.6851, 0.1073),
            (3.0, 1.8090, 0.4770),
            (8.0, 0.5737, 0.7947),
            (32.0, 0.1260, 0.9491),
        ] {
            let t = theory(s, 64);
            assert!((t.entropy - h).abs() < 4e-3, "s = {s}: {t:?}");
            assert!((t.largest - m).abs() < 4e-3, "s = {s}: {t:?}");
        }
    }
}
