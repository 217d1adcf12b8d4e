//! Gaussian expectations of smooth activations (tanh, sigmoid), accurate at every variance.
//!
//! E[f(z)] for z ~ N(μ, v) is ∫ f(μ + s·t)·φ(t) dt with s = √v, integrated by adaptive
//! Gauss–Kronrod quadrature over |t| ≤ 40. The line is first cut where either factor changes
//! character: at the Gaussian's centre and shoulders (t = 0, ±8) and at the activation's
//! transition (z = 0, ±1, ±4, ±40, that is t = (z − μ)/s). So a Gaussian far wider than the transition (v = 10⁸:
//! tanh′² is a peak of width ~1 inside a bell of width 10⁴) and one far narrower (v = 10⁻¹²) are
//! both resolved: each feature starts in a piece of its own size, and the pieces with the largest
//! error are halved until the whole is accurate to about 10⁻¹² of ∫|f|·N. A fixed-node rule, such as
//! Gauss–Hermite, places its nodes by the Gaussian's width alone and misses a narrow peak.
//!
//! Only `libm` and basic arithmetic are used, so the results are the same bits on every target.
//! (The quadrature crates on crates.io compute their nodes with the platform's math library, which
//! would break that.)

/// Gauss–Kronrod 15-point nodes on [−1, 1] (non-negative half; the rule is symmetric).
const XK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Their Kronrod weights.
const WK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];
/// Weights of the embedded 7-point Gauss rule, at XK[1], XK[3], XK[5] and XK[7].
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// How many integrands are integrated together (they share the pieces).
pub const K: usize = 3;

/// One piece of the line with its estimates.
struct Piece {
    a: f64,
    b: f64,
    /// Kronrod estimate of each integrand.
    value: [f64; K],
    /// Kronrod estimate of each |integrand|, the scale the error is judged against.
    size: [f64; K],
    /// |Kronrod − Gauss| of each integrand.
    error: [f64; K],
}

fn piece(a: f64, b: f64, g: &impl Fn(f64) -> [f64; K]) -> Piece {
    let (c, h) = (0.5 * (a + b), 0.5 * (b - a));
    let mut value = [0.0; K];
    let mut gauss = [0.0; K];
    let mut size = [0.0; K];
    for (i, &x) in XK.iter().enumerate() {
        let points: &[f64] = if x == 0.0 { &[0.0] } else { &[-x, x] };
        for &t in points {
            let y = g(c + h * t);
            for k in 0..K {
                value[k] += WK[i] * y[k];
                size[k] += WK[i] * y[k].abs();
                if i % 2 == 1 {
                    gauss[k] += WG[i / 2] * y[k];
                }
            }
        }
    }
    let mut error = [0.0; K];
    for k in 0..K {
        value[k] *= h;
        size[k] *= h;
        error[k] = (value[k] - h * gauss[k]).abs();
    }
    Piece {
        a,
        b,
        value,
        size,
        error,
    }
}

/// Most halvings of one integral. Every smooth integrand the theory meets converges within 100;
/// one whose smallest component sits at f64's rounding floor (tanh′² ≈ 10⁻¹⁷ far out on a
/// saturated tail, where 1 − tanh² is all cancellation) never meets the relative tolerance, and
/// each halving costs a pass over the pieces. By 120 such a component is within 2 × 10⁻⁶ of its value
/// after 2,000 (and the others to the last bits), at a hundredth of the time.
const MAX_HALVINGS: usize = 120;

/// ∫ g over [lo, hi] cut first at `cuts`, each component to a relative accuracy of about 10⁻¹²
/// of its ∫|g|.
fn integrate(lo: f64, hi: f64, cuts: &[f64], g: impl Fn(f64) -> [f64; K]) -> [f64; K] {
    let mut points: Vec<f64> = cuts.iter().copied().filter(|&x| x > lo && x < hi).collect();
    points.push(lo);
    points.push(hi);
    points.sort_by(f64::total_cmp);
    points.dedup();
    let mut pieces: Vec<Piece> = points.windows(2).map(|w| piece(w[0], w[1], &g)).collect();
    for _ in 0..MAX_HALVINGS {
        let mut size = [0.0; K];
        for p in &pieces {
            size.iter_mut().zip(p.size).for_each(|(s, x)| *s += x);
        }
        // Each piece's error, relative to the scale of each integrand.
        let weight = |p: &Piece| {
            (0..K)
                .map(|k| {
                    if size[k] > 0.0 {
                        p.error[k] / size[k]
                    } else {
                        0.0
                    }
                })
                .fold(0.0, f64::max)
        };
        let total: f64 = pieces.iter().map(weight).sum();
        if total <= 1e-13 {
            break;
        }
        let worst = pieces
            .iter()
            .enumerate()
            .max_by(|x, y| weight(x.1).total_cmp(&weight(y.1)))
            .map_or(0, |(i, _)| i);
        let p = pieces.swap_remove(worst);
        let m = 0.5 * (p.a + p.b);
        if !(m > p.a && m < p.b) {
            // The piece cannot be halved in f64: keep its estimate.
            pieces.push(p);
            break;
        }
        pieces.push(piece(p.a, m, &g));
        pieces.push(piece(m, p.b, &g));
    }
    // Summed in order along the line, so the result does not depend on the order of halving.
    pieces.sort_by(|x, y| x.a.total_cmp(&y.a));
    let mut out = [0.0; K];
    for p in &pieces {
        out.iter_mut().zip(p.value).for_each(|(o, x)| *o += x);
    }
    out
}

/// E[f(z)] for z ~ N(mean, variance), for each of the K components of `f`. `transition` lists
/// where the integrand changes character besides the Gaussian itself (for tanh and sigmoid, around
/// 0); a variance of 0 gives f(mean).
pub fn gaussian_expectations(
    mean: f64,
    variance: f64,
    transition: &[f64],
    f: impl Fn(f64) -> [f64; K],
) -> [f64; K] {
    // A variance of 0 (or NaN, or one that is not finite) has no spread to integrate over.
    if variance.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)
        || !mean.is_finite()
        || !variance.is_finite()
    {
        return f(mean);
    }
    let s = variance.sqrt();
    // In the standard variable t = (z − μ)/s the density is exact at every node, however narrow
    // the Gaussian; the activation's transitions become cuts at (c − μ)/s. Beyond |t| = 40 the
    // density is below e^−800: zero in f64.
    let mut cuts: Vec<f64> = transition.iter().map(|c| (c - mean) / s).collect();
    cuts.extend([-8.0, 0.0, 8.0]);
    let norm = 1.0 / (2.0 * std::f64::consts::PI).sqrt();
    integrate(-40.0, 40.0, &cuts, |t| {
        let density = norm * libm::exp(-0.5 * t * t);
        let y = f(mean + s * t);
        let mut out = [0.0; K];
        for k in 0..K {
            // 0 · anything is 0 here: the density underflows long before f could overflow.
            out[k] = if density == 0.0 { 0.0 } else { y[k] * density };
        }
        out
    })
}

/// E[f(z)] for z ~ N(mean, variance) of one smooth function (see [`gaussian_expectations`]).
pub fn gaussian_expectation(mean: f64, variance: f64, f: impl Fn(f64) -> f64) -> f64 {
    gaussian_expectations(mean, variance, &[-1.0, 0.0, 1.0], |z| [f(z), 0.0, 0.0])[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_gaussian_moments() {
        assert!((gaussian_expectation(0.0, 1.0, |_| 1.0) - 1.0).abs() < 1e-13);
        assert!((gaussian_expectation(0.0, 2.0, |z| z * z) - 2.0).abs() < 1e-12);
        assert!((gaussian_expectation(1.0, 1.0, |z| z.powi(4)) - 10.0).abs() < 1e-11);
        assert!((gaussian_expectation(3.0, 1e-14, |z| z) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn tanh_moments_match_reference_values() {
        // E[tanh(z)²] for z ~ N(0, 1) = 0.39429; E[tanh′(z)²] = 0.46440 for N(0, 1), 0.0685 for
        // N(0, 60) and 0.0033642 for N(0, 2.5e4) (a high-accuracy integration).
        let sech4 = |z: f64| {
            let t = libm::tanh(z);
            (1.0 - t * t) * (1.0 - t * t)
        };
        let m = gaussian_expectation(0.0, 1.0, |z| libm::tanh(z).powi(2));
        assert!((m - 0.39429).abs() < 5e-6, "{m}");
        for (v, want, tol) in [
            (1.0, 0.46440, 5e-6),
            (60.0, 0.0685, 5e-5),
            (2.5e4, 0.0033642, 5e-8),
        ] {
            let got = gaussian_expectation(0.0, v, sech4);
            assert!((got - want).abs() < tol, "v = {v}: {got} vs {want}");
        }
    }
}
