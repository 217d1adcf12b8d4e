//! Dense products on row-major matrices.
//!
//! Every entry of a product is the sum of its terms taken in order of the inner index, each product
//! rounded, then added: the same arithmetic on every target, so a config gives the same numbers,
//! bit for bit, natively and in WebAssembly, whatever the size. (BLAS-style kernels fuse
//! multiply-adds where the processor has them and sum in blocks sized for it, which gives other
//! last bits on other machines.)
//!
//! Large products pack the right operand into panels of `NR` columns and run a `MR × NR` kernel
//! whose running sums stay in registers; in WebAssembly it is written with SIMD128 instructions and
//! reaches about 10 GFLOP/s on a 2.8 GHz core, near the most one core does with 128-bit vectors
//! and no fused multiply-add (two vector operations a cycle).
//! The kernel skips the inner indices where all `MR` rows of the left operand are zero, which
//! ReLU networks are full of: half of every activation and half of every gradient is exactly zero.
//! Dropping a zero term changes nothing: the values it would multiply are finite, and where a
//! gradient overflowed, the sum is not finite either way.

/// A row-major matrix view: `rows × cols` values.
#[derive(Clone, Copy)]
pub struct View<'a> {
    /// The values, row after row.
    pub data: &'a [f64],
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
}

impl<'a> View<'a> {
    /// A view of `data` as `rows × cols`; the length must match.
    pub fn new(data: &'a [f64], rows: usize, cols: usize) -> Self {
        assert_eq!(data.len(), rows * cols, "matrix view of the wrong size");
        View { data, rows, cols }
    }

    /// Rows and columns of op(self), where op transposes when asked.
    fn shape(&self, transposed: bool) -> (usize, usize) {
        if transposed {
            (self.cols, self.rows)
        } else {
            (self.rows, self.cols)
        }
    }

    /// Entry (i, j) of op(self).
    #[inline(always)]
    fn at(&self, transposed: bool, i: usize, j: usize) -> f64 {
        if transposed {
            self.data[j * self.cols + i]
        } else {
            self.data[i * self.cols + j]
        }
    }
}

/// Products with at most this many multiply-adds skip packing and loop directly.
const SMALL: usize = 32 * 32 * 32;

/// Rows of the left operand that the kernel takes at once.
const MR: usize = 2;
/// Columns of the right operand that the kernel takes at once: 4 SIMD pairs.
const NR: usize = 8;

/// `out = op(a) · op(b)`, where op transposes when asked; `out` is resized to fit.
pub fn matmul(a: View, ta: bool, b: View, tb: bool, out: &mut Vec<f64>) {
    out.clear();
    out.resize(a.shape(ta).0 * b.shape(tb).1, 0.0);
    matmul_into(a, ta, b, tb, out);
}

/// `out = op(a) · op(b)` into a slice of zeros of the product's size.
pub fn matmul_into(a: View, ta: bool, b: View, tb: bool, out: &mut [f64]) {
    matmul_scaled_into(a, ta, b, tb, 1.0, out);
}

/// `out = op(a) · op(s·b)`, where s·b is b with every entry multiplied by `scale` (every entry 0
/// when `scale` is not positive), into a slice of zeros of the product's size: the same bits as
/// forming s·b and multiplying by it, without forming it (large products scale while packing).
pub fn matmul_scaled_into(a: View, ta: bool, b: View, tb: bool, scale: f64, out: &mut [f64]) {
    let (m, k) = a.shape(ta);
    let (k2, n) = b.shape(tb);
    assert_eq!(k, k2, "inner dimensions differ");
    assert_eq!(out.len(), m * n, "product of the wrong size");
    if m == 0 || n == 0 {
        return;
    }
    if m * k * n > SMALL {
        packed(a, ta, b, tb, scale, out);
    } else if scale == 1.0 {
        small(a, ta, b, tb, out);
    } else {
        let scaled: Vec<f64> = b.data.iter().map(|&v| scaled(scale, v)).collect();
        small(a, ta, View::new(&scaled, b.rows, b.cols), tb, out);
    }
}

/// `scale · v`, or 0 for a scale that is not positive (see [`matmul_scaled_into`]).
#[inline(always)]
fn scaled(scale: f64, v: f64) -> f64 {
    if scale > 0.0 {
        scale * v
    } else {
        0.0
    }
}

/// Direct loops, in the order that reads both operands contiguously; packing would cost more than it
/// saves on products this small.
fn small(a: View, ta: bool, b: View, tb: bool, out: &mut [f64]) {
    let (m, k) = a.shape(ta);
    let n = b.shape(tb).1;
    let (ad, bd) = (a.data, b.data);
    match (ta, tb) {
        (false, false) => {
            for (arow, orow) in ad.chunks_exact(k).zip(out.chunks_exact_mut(n)) {
                for (&x, brow) in arow.iter().zip(bd.chunks_exact(n)) {
                    orow.iter_mut().zip(brow).for_each(|(o, &y)| *o += x * y);
                }
            }
        }
        (false, true) => {
            for (arow, orow) in ad.chunks_exact(k).zip(out.chunks_exact_mut(n)) {
                for (o, brow) in orow.iter_mut().zip(bd.chunks_exact(k)) {
                    *o = arow.iter().zip(brow).fold(0.0, |s, (x, y)| s + x * y);
                }
            }
        }
        (true, false) => {
            // out = aᵀ · b: a is k × m, b is k × n.
            for (arow, brow) in ad.chunks_exact(m).zip(bd.chunks_exact(n)) {
                for (&x, orow) in arow.iter().zip(out.chunks_exact_mut(n)) {
                    orow.iter_mut().zip(brow).for_each(|(o, &y)| *o += x * y);
                }
            }
        }
        (true, true) => {
            for (i, orow) in out.chunks_exact_mut(n).enumerate() {
                for (j, o) in orow.iter_mut().enumerate() {
                    *o = (0..k).fold(0.0, |s, p| s + a.at(true, i, p) * b.at(true, p, j));
                }
            }
        }
    }
}

/// The left operand, `MR` rows at a time, as the inner indices where any of those rows is non-zero:
/// `values` holds their `MR` entries there, `offsets` where that index's row starts in a panel.
///
/// Rows are grouped in order of how many non-zeros they have, so that a group's rows tend to be zero
/// at the same places: deep in a ReLU network the samples' activation patterns become alike, and
/// each neuron is either mostly on or mostly off, so grouping alike rows skips nearly all of the
/// zeros rather than the quarter two unrelated rows share.
struct SparseRows {
    values: Vec<f64>,
    offsets: Vec<u32>,
    /// Entries of row group g: `starts[g] .. starts[g + 1]`.
    starts: Vec<usize>,
    /// The rows of group g: `order[g * MR ..]`, the last group padded with `usize::MAX`.
    order: Vec<usize>,
}

impl SparseRows {
    /// `rows` is the left operand row-major, `m × k`.
    fn new(rows: &[f64], m: usize, k: usize) -> Self {
        let groups = m.div_ceil(MR);
        let row = |i: usize| &rows[i * k..i * k + k];
        let nonzeros: Vec<usize> = (0..m)
            .map(|i| row(i).iter().filter(|&&x| x != 0.0).count())
            .collect();
        let mut order: Vec<usize> = (0..m).collect();
        order.sort_by_key(|&i| nonzeros[i]);
        order.resize(groups * MR, usize::MAX);
        // Every index is written, then kept or overwritten by the next: no branch on whether the
        // entries are zero, which no predictor could guess.
        let mut values = vec![0.0; (groups * k + 1) * MR];
        let mut offsets = vec![0u32; groups * k + 1];
        let mut starts = Vec::with_capacity(groups + 1);
        starts.push(0);
        let mut len = 0;
        let zeros = vec![0.0; k];
        for group in order.chunks_exact(MR) {
            let group: [&[f64]; MR] =
                core::array::from_fn(|r| if group[r] < m { row(group[r]) } else { &zeros });
            // The index walks MR rows at once, so it is a number, not an iterator over one of them.
            #[allow(clippy::needless_range_loop)]
            for kk in 0..k {
                let entries: [f64; MR] = core::array::from_fn(|r| group[r][kk]);
                values[len * MR..len * MR + MR].copy_from_slice(&entries);
                offsets[len] = (kk * NR) as u32;
                len += usize::from(entries.iter().fold(false, |any, &e| any | (e != 0.0)));
            }
            starts.push(len);
        }
        values.truncate(len * MR);
        offsets.truncate(len);
        SparseRows {
            values,
            offsets,
            starts,
            order,
        }
    }
}

thread_local! {
    /// The packed right operand of the last large product, its memory kept for the next one.
    static PANELS: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Packs op(s·b) into panels of `NR` columns (the last one padded with zeros), each `k × NR`
/// values stored row after row, and op(a) as [`SparseRows`]; then each panel meets each row group
/// in [`kernel`]. With `scale` 1, s·b is b itself: 1·v is v, bit for bit.
fn packed(a: View, ta: bool, b: View, tb: bool, scale: f64, out: &mut [f64]) {
    let (m, k) = a.shape(ta);
    let n = b.shape(tb).1;
    let packed_b = pack(b, tb, scale, k, n);
    let rows = if ta {
        SparseRows::new(&transpose(a), m, k)
    } else {
        SparseRows::new(a.data, m, k)
    };
    for (p, panel) in packed_b.chunks_exact(k * NR).enumerate() {
        let cols = NR.min(n - p * NR);
        for (g, group) in rows.order.chunks_exact(MR).enumerate() {
            let (s, e) = (rows.starts[g], rows.starts[g + 1]);
            let tile = kernel(&rows.values[s * MR..e * MR], &rows.offsets[s..e], panel);
            for (&i, trow) in group.iter().zip(&tile) {
                if i != usize::MAX {
                    out[i * n + p * NR..i * n + p * NR + cols].copy_from_slice(&trow[..cols]);
                }
            }
        }
    }
    // Kept for the next product unless it is large (a one-off product must not hold its memory).
    if packed_b.capacity() <= KEEP_PANELS {
        PANELS.with(|p| *p.borrow_mut() = packed_b);
    }
}

/// The most values of packed panels kept between products (8 MiB).
const KEEP_PANELS: usize = 1 << 20;

/// op(s·b), `k × n`, as panels of `NR` columns (see [`packed`]), in the kept buffer. Each loop
/// reads its source in order and writes whole `NR`-wide rows of a panel.
#[inline(never)]
fn pack(b: View, tb: bool, scale: f64, k: usize, n: usize) -> Vec<f64> {
    let panels = n.div_ceil(NR);
    let mut packed_b = PANELS.with(|p| std::mem::take(&mut *p.borrow_mut()));
    // Every value is written below but the last panel's padding: no need to clear the rest.
    packed_b.truncate(panels * k * NR);
    packed_b.resize(panels * k * NR, 0.0);
    if scale.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        // s·b is all zeros (see `scaled`).
        packed_b.fill(0.0);
        return packed_b;
    }
    let cols = n - (panels - 1) * NR;
    if cols < NR {
        for row in packed_b[(panels - 1) * k * NR..].chunks_exact_mut(NR) {
            row[cols..].fill(0.0);
        }
    }
    if tb {
        pack_transposed(b, scale, k, n, &mut packed_b);
    } else {
        pack_plain(b, scale, k, n, &mut packed_b);
    }
    packed_b
}

/// op(b) = bᵀ with b `n × k`: column j of panel p is row p·NR + j of b. In blocks of NR × NR, read
/// a row piece at a time and written a panel row at a time.
#[inline(never)]
fn pack_transposed(b: View, scale: f64, k: usize, n: usize, packed_b: &mut [f64]) {
    for (p, panel) in packed_b.chunks_exact_mut(k * NR).enumerate() {
        let cols = NR.min(n - p * NR);
        let rows = &b.data[p * NR * k..(p * NR + cols) * k];
        if cols == NR {
            let r: [&[f64]; NR] = core::array::from_fn(|j| &rows[j * k..(j + 1) * k]);
            let mut kk = 0;
            while kk + NR <= k {
                let block: [&[f64]; NR] = core::array::from_fn(|j| &r[j][kk..kk + NR]);
                let dst = &mut panel[kk * NR..(kk + NR) * NR];
                for (t, drow) in dst.chunks_exact_mut(NR).enumerate() {
                    for (d, src) in drow.iter_mut().zip(&block) {
                        *d = scale * src[t];
                    }
                }
                kk += NR;
            }
            for (kk, dst) in panel.chunks_exact_mut(NR).enumerate().skip(kk) {
                for (d, row) in dst.iter_mut().zip(&r) {
                    *d = scale * row[kk];
                }
            }
        } else {
            for (j, row) in rows.chunks_exact(k).enumerate() {
                for (dst, &v) in panel.chunks_exact_mut(NR).zip(row) {
                    dst[j] = scale * v;
                }
            }
        }
    }
}

/// op(b) = b, `k × n`: row kk's columns p·NR .. p·NR + NR are row kk of panel p. `NR` source rows
/// at a time, so each panel gets `NR` whole rows in one piece (the panels lie k·NR values apart,
/// and writing to all of them for each source row sends the writes to few cache sets).
#[inline(never)]
fn pack_plain(b: View, scale: f64, k: usize, n: usize, packed_b: &mut [f64]) {
    let full = n / NR;
    let mut kk = 0;
    while kk + NR <= k {
        let rows: [&[f64]; NR] = core::array::from_fn(|r| &b.data[(kk + r) * n..(kk + r + 1) * n]);
        for p in 0..full {
            let dst = &mut packed_b[(p * k + kk) * NR..(p * k + kk + NR) * NR];
            for (drow, src) in dst.chunks_exact_mut(NR).zip(&rows) {
                for (d, &v) in drow.iter_mut().zip(&src[p * NR..p * NR + NR]) {
                    *d = scale * v;
                }
            }
        }
        kk += NR;
    }
    // The rows left over, and the last panel's columns.
    for (kk, src) in b.data.chunks_exact(n).enumerate() {
        let ps = if kk < k - k % NR { full..full } else { 0..full };
        for p in ps {
            let dst = &mut packed_b[(p * k + kk) * NR..(p * k + kk + 1) * NR];
            for (d, &v) in dst.iter_mut().zip(&src[p * NR..p * NR + NR]) {
                *d = scale * v;
            }
        }
        let tail = &src[full * NR..];
        if !tail.is_empty() {
            let at = (full * k + kk) * NR;
            for (d, &v) in packed_b[at..at + tail.len()].iter_mut().zip(tail) {
                *d = scale * v;
            }
        }
    }
}

/// `a` transposed, row-major, in 8 × 8 blocks so that both sides stay in cache.
fn transpose(a: View) -> Vec<f64> {
    let (r, c) = (a.rows, a.cols);
    let mut t = vec![0.0; r * c];
    for i0 in (0..r).step_by(8) {
        for j0 in (0..c).step_by(8) {
            for i in i0..(i0 + 8).min(r) {
                for j in j0..(j0 + 8).min(c) {
                    t[j * r + i] = a.data[i * c + j];
                }
            }
        }
    }
    t
}

/// The `MR × NR` tile `Σ_t values[t] ⊗ panel[offsets[t] .. + NR]`, each entry summed in order, the
/// running sums held in SIMD registers.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn kernel(values: &[f64], offsets: &[u32], panel: &[f64]) -> [[f64; NR]; MR] {
    use core::arch::wasm32::{f64x2_add, f64x2_mul, f64x2_splat, v128, v128_load, v128_store};
    let mut acc = [[f64x2_splat(0.0); NR / 2]; MR];
    for (x, &at) in values.chunks_exact(MR).zip(offsets) {
        // SAFETY: every offset is kk · NR for an inner index kk < k (see `SparseRows::new`), and a
        // panel holds k × NR values, so the NR values from `at` lie inside it. (Indexing with a
        // bounds check here costs a third of the kernel's speed.)
        let row = unsafe { panel.get_unchecked(at as usize..at as usize + NR) };
        let mut y = [f64x2_splat(0.0); NR / 2];
        for (j, yj) in y.iter_mut().enumerate() {
            // SAFETY: `row` holds NR values, so the two read at 2j lie inside it; v128_load has no
            // alignment requirement.
            *yj = unsafe { v128_load(row.as_ptr().add(2 * j) as *const v128) };
        }
        // Index loops, not iterator chains: V8 keeps these eight sums in registers.
        #[allow(clippy::needless_range_loop)]
        for i in 0..MR {
            let xi = f64x2_splat(x[i]);
            for j in 0..NR / 2 {
                acc[i][j] = f64x2_add(acc[i][j], f64x2_mul(xi, y[j]));
            }
        }
    }
    let mut tile = [[0.0; NR]; MR];
    for (trow, sums) in tile.iter_mut().zip(&acc) {
        for (j, sum) in sums.iter().enumerate() {
            // SAFETY: a tile row holds NR values, so the two written at 2j lie inside it.
            unsafe { v128_store(trow.as_mut_ptr().add(2 * j) as *mut v128, *sum) };
        }
    }
    tile
}

/// The `MR × NR` tile `Σ_t values[t] ⊗ panel[offsets[t] .. + NR]`, each entry summed in order: the
/// same arithmetic, lane by lane, as the SIMD version.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn kernel(values: &[f64], offsets: &[u32], panel: &[f64]) -> [[f64; NR]; MR] {
    let mut acc = [[0.0; NR]; MR];
    for (x, &at) in values.chunks_exact(MR).zip(offsets) {
        let row = &panel[at as usize..at as usize + NR];
        for (sums, &xi) in acc.iter_mut().zip(x) {
            for (sum, &y) in sums.iter_mut().zip(row) {
                *sum += xi * y;
            }
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: every term, in order of the inner index.
    fn reference(a: View, ta: bool, b: View, tb: bool) -> Vec<f64> {
        let ((m, k), n) = (a.shape(ta), b.shape(tb).1);
        let mut out = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                out[i * n + j] = (0..k).fold(0.0, |s, p| s + a.at(ta, i, p) * b.at(tb, p, j));
            }
        }
        out
    }

    /// Deterministic values with about a third exact zeros, as after ReLU.
    fn values(len: usize, salt: u64) -> Vec<f64> {
        let mut x = salt.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                if x % 3 == 0 {
                    0.0
                } else {
                    (x >> 11) as f64 / (1u64 << 53) as f64 - 0.5
                }
            })
            .collect()
    }

    #[test]
    fn every_size_and_transposition_sums_in_order() {
        // Sizes on both sides of the packing threshold, with ragged last panels.
        for &(m, k, n) in &[
            (3, 5, 7),
            (40, 33, 17),
            (64, 64, 64),
            (37, 70, 45),
            (1, 300, 129),
            (5, 1, 7000),
            (9, 64, 57),
            (2, 130, 130),
        ] {
            for ta in [false, true] {
                for tb in [false, true] {
                    let ad = values(m * k, 1 + m as u64);
                    let bd = values(k * n, 2 + n as u64);
                    let a = if ta {
                        View::new(&ad, k, m)
                    } else {
                        View::new(&ad, m, k)
                    };
                    let b = if tb {
                        View::new(&bd, n, k)
                    } else {
                        View::new(&bd, k, n)
                    };
                    let mut out = Vec::new();
                    matmul(a, ta, b, tb, &mut out);
                    assert_eq!(out, reference(a, ta, b, tb), "{m}×{k}×{n} ta={ta} tb={tb}");
                    // Scaled while packing: the bits of the product with the scaled matrix.
                    for scale in [0.37, 3.0, 0.0] {
                        let sd: Vec<f64> = bd.iter().map(|&v| scaled(scale, v)).collect();
                        let sb = View::new(&sd, b.rows, b.cols);
                        let mut out = vec![0.0; m * n];
                        matmul_scaled_into(a, ta, b, tb, scale, &mut out);
                        assert_eq!(
                            out,
                            reference(a, ta, sb, tb),
                            "{m}×{k}×{n} ta={ta} tb={tb} s={scale}"
                        );
                    }
                }
            }
        }
    }
}
