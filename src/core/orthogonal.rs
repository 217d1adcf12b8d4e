//! Random orthogonal weights as a product of Householder reflections, never formed as a matrix.
//!
//! A Haar-distributed (uniformly random) orthogonal n × n matrix is Q = R₀·R₁⋯R_{n−1}, where
//! R_j = diag(I_j, H_j) and H_j is the reflection of R^{n−j} that maps e₁ to a uniformly random unit
//! vector u_j (a normalized standard Gaussian vector), drawn independently: the first column of Q
//! is then uniform on the sphere and, given it, the rest is Haar on its orthogonal complement, which
//! is the defining property (Stewart 1980; Mezzadri 2007). Drawing it takes n(n+1)/2 Gaussians and
//! no factorization; applying it to a batch costs about as much as a dense product, and its first c
//! columns need only the first c reflections.
//!
//! A layer's weights W (fan_in × fan_out, applied as z = h·W) are `gain` times:
//! - Q (n = fan_in = fan_out) when square;
//! - the first fan_out columns of Q (n = fan_in) when fan_in > fan_out: orthonormal columns;
//! - the transpose of the first fan_in columns of Q (n = fan_out) otherwise: orthonormal rows.

use super::rng::Rng;
use super::shape::Shape;
use rand_distr::{Distribution, StandardNormal};

/// Values in one block of rows that [`Householder::reflect`] takes through every reflection
/// together (32 KB, so that a block and a reflection's vector stay in the nearest cache).
const BLOCK_VALUES: usize = 1 << 12;

/// The fewest rows in a block: wide rows (forming a 1,400-wide matrix) would otherwise go two at a
/// time, and every reflection's vector would stream past each pair.
const MIN_BLOCK_ROWS: usize = 16;

/// The reflections of one layer: reflection j acts on coordinates j..n with the vector
/// `v[at[j]..at[j] + n − j]` and factor β_j = 2/|v|² (0 for the identity).
pub struct Householder {
    n: usize,
    shape: Shape,
    gain: f64,
    v: Vec<f64>,
    beta: Vec<f64>,
    at: Vec<usize>,
}

impl Householder {
    /// Draws the reflections of a layer of `shape` from `rng`.
    pub fn draw(shape: Shape, gain: f64, rng: &mut Rng) -> Householder {
        let n = shape.fan_in.max(shape.fan_out);
        let c = shape.fan_in.min(shape.fan_out);
        let mut v = Vec::with_capacity(c * n - c * c.saturating_sub(1) / 2);
        let (mut beta, mut at) = (Vec::with_capacity(c), Vec::with_capacity(c));
        for j in 0..c {
            let m = n - j;
            let start = v.len();
            at.push(start);
            v.extend((0..m).map(|_| Distribution::<f64>::sample(&StandardNormal, rng)));
            let x = &mut v[start..];
            let norm = x.iter().map(|a| a * a).sum::<f64>().sqrt();
            if norm == 0.0 || !norm.is_finite() {
                // Probability zero: leave this reflection out.
                x.iter_mut().for_each(|a| *a = 0.0);
                beta.push(0.0);
                continue;
            }
            // u = x/|x|; v = e₁ − u, with 1 − u₁ computed as (|x|² − x₁²)/(|x|(|x| + x₁)) when
            // x₁ > 0 so that it does not cancel.
            let tail: f64 = x[1..].iter().map(|a| a * a).sum();
            let first = if x[0] > 0.0 {
                tail / (norm * (norm + x[0]))
            } else {
                1.0 - x[0] / norm
            };
            x[0] = first;
            x[1..].iter_mut().for_each(|a| *a = -*a / norm);
            let vv: f64 = x.iter().map(|a| a * a).sum();
            beta.push(if vv > 0.0 { 2.0 / vv } else { 0.0 });
        }
        Householder {
            n,
            shape,
            gain,
            v,
            beta,
            at,
        }
    }

    /// The same reflections with another gain.
    pub fn set_gain(&mut self, gain: f64) {
        self.gain = gain;
    }

    /// Applies reflections `order` to each n-long row of `rows` in place: r ← r·R_j for each j.
    /// The rows go in blocks of about 32 KB (at least 16 rows), each block through every reflection in turn: a block
    /// stays in the cache while the reflections' vectors stream past it once per block (a batch
    /// of wide rows taken through one reflection at a time would be read from memory once per
    /// reflection). Each row's arithmetic, and so its bits, is the same either way.
    fn reflect(&self, rows: &mut [f64], order: impl Iterator<Item = usize> + Clone) {
        let block = (BLOCK_VALUES / self.n.max(1)).max(MIN_BLOCK_ROWS) * self.n.max(1);
        for rows in rows.chunks_mut(block) {
            for j in order.clone() {
                let b = self.beta[j];
                if b == 0.0 {
                    continue;
                }
                let v = &self.v[self.at[j]..self.at[j] + self.n - j];
                for row in rows.chunks_mut(self.n) {
                    let r = &mut row[j..];
                    let k = b * dot(r, v);
                    axpy(r, -k, v);
                }
            }
        }
    }

    /// Multiply-adds of applying every reflection to one row: reflection j touches n − j values
    /// twice (a dot product and an update).
    pub fn row_work(shape: Shape) -> u64 {
        let n = shape.fan_in.max(shape.fan_out) as u64;
        let c = shape.fan_in.min(shape.fan_out) as u64;
        2 * c * n - c * c.saturating_sub(1)
    }

    /// Copies `samples` rows of `cols` values into rows of n, padding with zeros.
    fn padded(&self, x: &[f64], samples: usize, cols: usize) -> Vec<f64> {
        let mut out = vec![0.0; samples * self.n];
        for (o, r) in out.chunks_mut(self.n).zip(x.chunks(cols)) {
            o[..cols].copy_from_slice(r);
        }
        out
    }

    /// Writes the first `cols` of each n-long row of `rows`, times the gain, into `out`.
    fn truncated(&self, rows: &[f64], cols: usize, out: &mut [f64]) {
        for (o, r) in out.chunks_mut(cols).zip(rows.chunks(self.n)) {
            o.iter_mut()
                .zip(&r[..cols])
                .for_each(|(a, b)| *a = self.gain * b);
        }
    }

    fn count(&self) -> usize {
        self.beta.len()
    }

    /// z = h·W for `samples` rows of h (fan_in values each); z has fan_out values per row.
    pub fn forward(&self, h: &[f64], samples: usize, z: &mut [f64]) {
        let (fi, fo) = (self.shape.fan_in, self.shape.fan_out);
        let mut rows = self.padded(h, samples, fi);
        if fi >= fo {
            // W = Q[:, :fo]: h·Q, first fo columns.
            self.reflect(&mut rows, 0..self.count());
        } else {
            // W = Q[:, :fi]ᵀ: [h, 0]·Qᵀ, every reflection being symmetric.
            self.reflect(&mut rows, (0..self.count()).rev());
        }
        self.truncated(&rows, fo, z);
    }

    /// g = δ·Wᵀ for `samples` rows of δ (fan_out values each); g has fan_in values per row.
    pub fn backward(&self, delta: &[f64], samples: usize, g: &mut Vec<f64>) {
        let (fi, fo) = (self.shape.fan_in, self.shape.fan_out);
        let mut rows = self.padded(delta, samples, fo);
        if fi >= fo {
            self.reflect(&mut rows, (0..self.count()).rev());
        } else {
            self.reflect(&mut rows, 0..self.count());
        }
        g.clear();
        g.resize(samples * fi, 0.0);
        self.truncated(&rows, fi, g);
    }

    /// The matrix W itself, fan_in × fan_out, row-major: the rows e_i·W.
    pub fn matrix(&self) -> Vec<f64> {
        let fi = self.shape.fan_in;
        let mut eye = vec![0.0; fi * fi];
        for i in 0..fi {
            eye[i * fi + i] = 1.0;
        }
        let mut out = vec![0.0; fi * self.shape.fan_out];
        self.forward(&eye, fi, &mut out);
        out
    }
}

/// a·b with four running sums (added in a fixed order: the same bits on every target); in
/// WebAssembly two SIMD lanes each hold two of the sums, which is the same arithmetic.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    use core::arch::wasm32::{
        f64x2_add, f64x2_extract_lane, f64x2_mul, f64x2_splat, v128, v128_load,
    };
    let n = a.len().min(b.len());
    let (mut lo, mut hi) = (f64x2_splat(0.0), f64x2_splat(0.0));
    let whole = n / 4 * 4;
    let mut i = 0;
    while i < whole {
        // SAFETY: i + 4 ≤ n, so both four-value loads lie inside the slices; v128_load reads
        // unaligned memory.
        unsafe {
            let (pa, pb) = (a.as_ptr().add(i), b.as_ptr().add(i));
            lo = f64x2_add(
                lo,
                f64x2_mul(v128_load(pa as *const v128), v128_load(pb as *const v128)),
            );
            hi = f64x2_add(
                hi,
                f64x2_mul(
                    v128_load(pa.add(2) as *const v128),
                    v128_load(pb.add(2) as *const v128),
                ),
            );
        }
        i += 4;
    }
    let tail: f64 = a[whole..n]
        .iter()
        .zip(&b[whole..n])
        .map(|(x, y)| x * y)
        .sum();
    let sums = [
        f64x2_extract_lane::<0>(lo),
        f64x2_extract_lane::<1>(lo),
        f64x2_extract_lane::<0>(hi),
        f64x2_extract_lane::<1>(hi),
    ];
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// a ← a + k·b, two values at a time in WebAssembly (the same arithmetic as one at a time).
fn axpy(a: &mut [f64], k: f64, b: &[f64]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{f64x2_add, f64x2_mul, f64x2_splat, v128, v128_load, v128_store};
        let n = a.len().min(b.len());
        let kk = f64x2_splat(k);
        let pairs = n / 2 * 2;
        let mut i = 0;
        while i < pairs {
            // SAFETY: i + 2 ≤ n: both two-value accesses lie inside the slices.
            unsafe {
                let pa = a.as_mut_ptr().add(i) as *mut v128;
                let x = f64x2_add(
                    v128_load(pa),
                    f64x2_mul(kk, v128_load(b.as_ptr().add(i) as *const v128)),
                );
                v128_store(pa, x);
            }
            i += 2;
        }
        a[pairs..n]
            .iter_mut()
            .zip(&b[pairs..n])
            .for_each(|(x, y)| *x += k * y);
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    a.iter_mut().zip(b).for_each(|(x, y)| *x += k * y);
}

/// a·b with four running sums (added in a fixed order: the same bits on every target).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            sums[k] += x[k] * y[k];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// Draws the reflections for `shape` and appends the matrix they make (see [`Householder`]).
pub fn orthogonal_into(shape: Shape, gain: f64, rng: &mut Rng, out: &mut Vec<f64>) {
    out.extend(Householder::draw(shape, gain, rng).matrix());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::{stream, Stream};

    fn gram_error(w: &[f64], rows: usize, cols: usize, by_rows: bool) -> f64 {
        let (k, len) = if by_rows { (rows, cols) } else { (cols, rows) };
        let at = |a: usize, i: usize| {
            if by_rows {
                w[a * cols + i]
            } else {
                w[i * cols + a]
            }
        };
        let mut worst: f64 = 0.0;
        for a in 0..k {
            for b in 0..k {
                let dot: f64 = (0..len).map(|i| at(a, i) * at(b, i)).sum();
                let want = if a == b { 1.0 } else { 0.0 };
                worst = worst.max((dot - want).abs());
            }
        }
        worst
    }

    #[test]
    fn every_shape_is_orthonormal_the_right_way_round() {
        for (fi, fo) in [(1, 1), (5, 5), (40, 40), (30, 7), (7, 30), (2, 64)] {
            let shape = Shape {
                fan_in: fi,
                fan_out: fo,
            };
            let q = Householder::draw(shape, 1.0, &mut stream(3, Stream::Weights(1)));
            let w = q.matrix();
            let by_rows = fi <= fo;
            let err = gram_error(&w, fi, fo, by_rows);
            assert!(err < 1e-13, "{fi} × {fo}: off by {err}");
            // The backward product is the transpose of the forward one.
            let delta: Vec<f64> = (0..2 * fo).map(|i| (i as f64 * 0.37).sin()).collect();
            let mut g = Vec::new();
            q.backward(&delta, 2, &mut g);
            for s in 0..2 {
                for i in 0..fi {
                    let want: f64 = (0..fo).map(|j| delta[s * fo + j] * w[i * fo + j]).sum();
                    assert!((g[s * fi + i] - want).abs() < 1e-12);
                }
            }
        }
    }

    #[test]
    fn entries_have_the_haar_moments() {
        // Over many draws, an entry of a Haar n × n matrix has mean 0 and variance 1/n, and the
        // first column is uniform on the sphere: E[q₁₁⁴] = 3/(n(n+2)).
        let n = 6;
        let shape = Shape {
            fan_in: n,
            fan_out: n,
        };
        let draws = 20_000;
        let (mut m1, mut m2, mut m4, mut corner) = (0.0, 0.0, 0.0, 0.0);
        for seed in 0..draws {
            let w = Householder::draw(shape, 1.0, &mut stream(seed, Stream::Weights(1))).matrix();
            m1 += w.iter().sum::<f64>() / (n * n) as f64;
            m2 += w.iter().map(|x| x * x).sum::<f64>() / (n * n) as f64;
            m4 += w[0].powi(4);
            corner += w[n * n - 1].powi(2);
        }
        let d = draws as f64;
        assert!((m1 / d).abs() < 0.005, "mean {}", m1 / d);
        assert!(
            (m2 / d - 1.0 / n as f64).abs() < 1e-12,
            "every matrix has |W|² = n"
        );
        let fourth = 3.0 / (n * (n + 2)) as f64;
        assert!(
            (m4 / d - fourth).abs() < 0.1 * fourth,
            "E[q⁴] {} vs {fourth}",
            m4 / d
        );
        assert!(
            (corner / d - 1.0 / n as f64).abs() < 0.05 / n as f64,
            "the last entry is as spread as the first"
        );
    }
}
