//! Population statistics over every value of a layer, computed the way NumPy's `np.mean`/`np.var` do.

use super::linalg::Scratch;
use serde::Serialize;

/// Mean and population variance (divide by N), in two passes like `np.var`. Empty input gives NaN.
pub fn mean_variance(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = sum_of(xs, |x| x) / n;
    let var = sum_of(xs, |x| (x - mean) * (x - mean)) / n;
    (mean, var)
}

/// `Σ f(x)` over `xs` in four interleaved running sums, added pairwise at the end, then the last
/// few values: four additions in flight instead of one chain (about 4× faster), and less rounding
/// error, as NumPy's pairwise sum has. The order is fixed, so the result is the same on every target.
#[inline]
pub fn sum_of(xs: &[f64], f: impl Fn(f64) -> f64) -> f64 {
    let mut acc = [0.0; 4];
    let chunks = xs.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, &x) in acc.iter_mut().zip(c) {
            *a += f(x);
        }
    }
    rest.iter()
        .fold((acc[0] + acc[1]) + (acc[2] + acc[3]), |s, &x| s + f(x))
}

/// Population variance of every product a_i·b_j (the outer product a ⊗ b), from the means and
/// variances of a and b: Var = Var_a·Var_b + Var_a·m_b² + m_a²·Var_b. Every term is non-negative, so
/// nothing cancels.
pub fn outer_product_variance((ma, va): (f64, f64), (mb, vb): (f64, f64)) -> f64 {
    va * vb + va * mb * mb + ma * ma * vb
}

/// Population variance of the entries of aᵀ·b, where `a` is `samples × m` and `b` is
/// `samples × n` (row-major), without forming the m × n product: with the Gram matrices A = a·aᵀ
/// and B = b·bᵀ (samples × samples), Σ (aᵀb)² = Σ A∘B and Σ aᵀb = (a·1)ᵀ(b·1). It costs
/// samples²·(m + n) instead of samples·m·n.
/// `scratch` holds the products' packing (see [`Scratch`]).
pub fn product_variance(
    a: &[f64],
    b: &[f64],
    samples: usize,
    m: usize,
    n: usize,
    scratch: &mut Scratch,
) -> f64 {
    use super::linalg::{matmul_with, View};
    let (mut ga, mut gb) = (Vec::new(), Vec::new());
    matmul_with(
        View::new(a, samples, m),
        false,
        View::new(a, samples, m),
        true,
        &mut ga,
        scratch,
    );
    matmul_with(
        View::new(b, samples, n),
        false,
        View::new(b, samples, n),
        true,
        &mut gb,
        scratch,
    );
    let square: f64 = ga.iter().zip(&gb).map(|(x, y)| x * y).sum();
    let sum: f64 = a
        .chunks(m)
        .zip(b.chunks(n))
        .map(|(ra, rb)| ra.iter().sum::<f64>() * rb.iter().sum::<f64>())
        .sum();
    let count = (m * n) as f64;
    let mean = sum / count;
    (square / count - mean * mean).max(0.0)
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
        // Four sets of counts, taken in turn, in one buffer, when there are many values: runs of
        // equal values (ReLU's zeros) would otherwise make every increment wait for the one
        // before. No branch in the loop: a value that is not finite adds 0, and the bin comes from a
        // saturating conversion clamped in integers (a finite value at `hi` lands in the last bin).
        let sets = if xs.len() >= 16 * bins { 4 } else { 1 };
        let mut counts = vec![0u32; sets * bins];
        let scale = bins as f64 / (hi - lo);
        let top = (bins - 1) as i32;
        for (t, &x) in xs.iter().enumerate() {
            let i = (((x - lo) * scale) as i32).clamp(0, top) as usize;
            counts[sets * i + (t & (sets - 1))] += x.is_finite() as u32;
        }
        if sets > 1 {
            for i in 0..bins {
                counts[i] = counts[sets * i..sets * i + sets].iter().sum();
            }
            counts.truncate(bins);
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
    fn product_variance_equals_the_variance_of_the_formed_product() {
        let (samples, m, n) = (3, 4, 5);
        let a: Vec<f64> = (0..samples * m)
            .map(|i| ((i * 7 % 11) as f64 - 5.0) / 3.0)
            .collect();
        let b: Vec<f64> = (0..samples * n)
            .map(|i| ((i * 5 % 13) as f64 - 6.0) / 4.0)
            .collect();
        let mut formed = Vec::new();
        for i in 0..m {
            for j in 0..n {
                formed.push(
                    (0..samples)
                        .map(|s| a[s * m + i] * b[s * n + j])
                        .sum::<f64>(),
                );
            }
        }
        let want = mean_variance(&formed).1;
        let got = product_variance(&a, &b, samples, m, n, &mut Scratch::default());
        assert!((got - want).abs() <= 1e-12 * want, "{got} vs {want}");
    }

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
    fn many_values_bin_as_one_at_a_time() {
        // Enough values for the four interleaved count sets, with runs of zeros as after ReLU.
        let xs: Vec<f64> = (0..10_000)
            .map(|i| {
                if i % 3 == 0 {
                    0.0
                } else {
                    ((i * 7919) % 1000) as f64 / 250.0
                }
            })
            .chain([f64::NAN, f64::NEG_INFINITY])
            .collect();
        let h = Histogram::of(&xs, 13);
        let mut expected = vec![0u32; 13];
        for &x in xs.iter().filter(|x| x.is_finite()) {
            let i = ((x - h.lo) / (h.hi - h.lo) * 13.0).floor() as usize;
            expected[i.min(12)] += 1;
        }
        assert_eq!(h.counts, expected);
        assert_eq!(h.non_finite, 2);
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
