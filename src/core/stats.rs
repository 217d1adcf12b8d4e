//! Population statistics over every value of a layer, computed the way NumPy's `np.mean`/`np.var` do.

use serde::Serialize;

/// Mean and population variance (divide by N), in two passes like `np.var`. Empty input gives NaN.
pub fn mean_variance(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
    (mean, var)
}

/// Population variance of every product a_i·b_j (the outer product a ⊗ b), from the means and
/// variances of a and b: Var = Var_a·Var_b + Var_a·m_b² + m_a²·Var_b. Every term is non-negative, so
/// nothing cancels.
pub fn outer_product_variance((ma, va): (f64, f64), (mb, vb): (f64, f64)) -> f64 {
    va * vb + va * mb * mb + ma * ma * vb
}

/// A histogram of a layer's values over the range of its finite values.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Histogram {
    /// Left edge of the first bin.
    pub lo: f64,
    /// Right edge of the last bin.
    pub hi: f64,
    /// Count of finite values in each of the equal-width bins; the last bin includes `hi`.
    pub counts: Vec<u32>,
    /// Values that were NaN or infinite, counted in no bin.
    pub non_finite: u32,
}

impl Histogram {
    /// Bins the finite values of `xs` into `bins` equal bins spanning their range. When every finite
    /// value is the same number v the range is [v − 0.5, v + 0.5]; with no finite value it is [0, 1].
    pub fn of(xs: &[f64], bins: usize) -> Histogram {
        let bins = bins.max(1);
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut non_finite = 0u32;
        for &x in xs {
            if x.is_finite() {
                // Comparisons rather than f64::min/max, which are library calls in WebAssembly.
                if x < lo {
                    lo = x;
                }
                if x > hi {
                    hi = x;
                }
            } else {
                non_finite += 1;
            }
        }
        if lo > hi {
            (lo, hi) = (0.0, 1.0);
        } else if hi - lo <= 0.0 || !(hi - lo).is_finite() {
            // One value, or a span too wide for f64: centre a unit window, or clamp to what can be binned.
            if hi - lo <= 0.0 {
                (lo, hi) = (lo - 0.5, hi + 0.5);
            } else {
                (lo, hi) = (lo.max(-f64::MAX / 2.0), hi.min(f64::MAX / 2.0));
            }
        }
        let mut counts = vec![0u32; bins];
        let scale = bins as f64 / (hi - lo);
        for &x in xs.iter().filter(|x| x.is_finite()) {
            let i = ((x - lo) * scale).floor();
            let i = if i.is_nan() {
                0
            } else {
                (i.max(0.0) as usize).min(bins - 1)
            };
            counts[i] += 1;
        }
        Histogram {
            lo,
            hi,
            counts,
            non_finite,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outer_product_variance_equals_the_variance_of_the_formed_matrix() {
        let a = [1.0, -2.0, 3.5, 0.25];
        let b = [0.5, 4.0, -1.0];
        let products: Vec<f64> = a
            .iter()
            .flat_map(|x| b.iter().map(move |y| x * y))
            .collect();
        let direct = mean_variance(&products).1;
        let formula = outer_product_variance(mean_variance(&a), mean_variance(&b));
        assert!(
            (direct - formula).abs() < 1e-12 * direct,
            "{direct} vs {formula}"
        );
    }

    #[test]
    fn histogram_bins_every_finite_value_once() {
        let h = Histogram::of(&[0.0, 0.1, 0.5, 1.0, f64::NAN, f64::INFINITY], 4);
        assert_eq!((h.lo, h.hi), (0.0, 1.0));
        assert_eq!(h.counts, vec![2, 0, 1, 1]);
        assert_eq!(h.non_finite, 2);
        let same = Histogram::of(&[2.0, 2.0], 3);
        assert_eq!(
            (same.lo, same.hi, same.counts.iter().sum::<u32>()),
            (1.5, 2.5, 2)
        );
        let none = Histogram::of(&[f64::NAN], 2);
        assert_eq!(
            (none.lo, none.hi, none.counts.clone()),
            (0.0, 1.0, vec![0, 0])
        );
    }
}
