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
//! and no fused multiply-add (two vector operations a cycle). The simulator's layers multiply in
//! single precision ([`matmul_f32_scaled_into`]), four lanes to a vector instead of two: twice
//! the work per instruction, and half the memory for the weights.
//! The kernel skips the inner indices where all `MR` rows of the left operand are zero, which
//! ReLU networks are full of: half of every activation and half of every gradient is exactly zero.
//! Dropping a zero term changes nothing: the values it would multiply are finite, and where a
//! gradient overflowed, the sum is not finite either way.

/// A row-major matrix view: `rows × cols` values.
#[derive(Clone, Copy)]
pub struct View<'a, T = f64> {
    /// The values, row after row.
    pub data: &'a [T],
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
}

impl<'a, T: Copy> View<'a, T> {
    /// A view of `data` as `rows × cols`; the length must match.
    pub fn new(data: &'a [T], rows: usize, cols: usize) -> Self {
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
    fn at(&self, transposed: bool, i: usize, j: usize) -> T {
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

/// Memory for the packed right operand of large products, kept by a caller that multiplies again
/// and again (a pass, a loop over blocks) for its next product: packing into memory that is there
/// already saves a few per cent of a product of a few hundred thousand multiply-adds.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    panels: Vec<f64>,
}

/// `out = op(a) · op(b)`, where op transposes when asked; `out` is resized to fit.
pub fn matmul(a: View, ta: bool, b: View, tb: bool, out: &mut Vec<f64>) {
    matmul_with(a, ta, b, tb, out, &mut Scratch::default());
}

/// [`matmul`], packing in `scratch`'s memory.
pub fn matmul_with(
    a: View,
    ta: bool,
    b: View,
    tb: bool,
    out: &mut Vec<f64>,
    scratch: &mut Scratch,
) {
    out.clear();
    out.resize(a.shape(ta).0 * b.shape(tb).1, 0.0);
    matmul_into_with(a, ta, b, tb, out, scratch);
}

/// `out = op(a) · op(b)` into a slice of zeros of the product's size.
pub fn matmul_into(a: View, ta: bool, b: View, tb: bool, out: &mut [f64]) {
    matmul_into_with(a, ta, b, tb, out, &mut Scratch::default());
}

/// [`matmul_into`], packing in `scratch`'s memory.
pub fn matmul_into_with(
    a: View,
    ta: bool,
    b: View,
    tb: bool,
    out: &mut [f64],
    scratch: &mut Scratch,
) {
    let (m, k) = a.shape(ta);
    let (k2, n) = b.shape(tb);
    assert_eq!(k, k2, "inner dimensions differ");
    assert_eq!(out.len(), m * n, "product of the wrong size");
    if m == 0 || n == 0 {
        return;
    }
    if m * k * n > SMALL {
        packed(a, ta, b, tb, out, scratch);
    } else {
        small(a, ta, b, tb, out);
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
struct SparseRows<T> {
    values: Vec<T>,
    offsets: Vec<u32>,
    /// Entries of row group g: `starts[g] .. starts[g + 1]`.
    starts: Vec<usize>,
    /// The rows of group g: `order[g * MR ..]`, the last group padded with `usize::MAX`.
    order: Vec<usize>,
}

impl<T: Copy + Default + PartialEq> SparseRows<T> {
    /// `rows` is the left operand row-major, `m × k`, for panels `nr` columns wide (zero is
    /// `T::default()`).
    fn new(rows: &[T], m: usize, k: usize, nr: usize) -> Self {
        let zero = T::default();
        let groups = m.div_ceil(MR);
        let row = |i: usize| &rows[i * k..i * k + k];
        let nonzeros: Vec<usize> = (0..m)
            .map(|i| row(i).iter().filter(|&&x| x != zero).count())
            .collect();
        let mut order: Vec<usize> = (0..m).collect();
        order.sort_by_key(|&i| nonzeros[i]);
        order.resize(groups * MR, usize::MAX);
        // Every index is written, then kept or overwritten by the next: no branch on whether the
        // entries are zero, which no predictor could guess.
        let mut values = vec![zero; (groups * k + 1) * MR];
        let mut offsets = vec![0u32; groups * k + 1];
        let mut starts = Vec::with_capacity(groups + 1);
        starts.push(0);
        let mut len = 0;
        let zeros = vec![zero; k];
        for group in order.chunks_exact(MR) {
            let group: [&[T]; MR] =
                core::array::from_fn(|r| if group[r] < m { row(group[r]) } else { &zeros });
            // The index walks MR rows at once, so it is a number, not an iterator over one of them.
            #[allow(clippy::needless_range_loop)]
            for kk in 0..k {
                let entries: [T; MR] = core::array::from_fn(|r| group[r][kk]);
                values[len * MR..len * MR + MR].copy_from_slice(&entries);
                offsets[len] = (kk * nr) as u32;
                len += usize::from(entries.iter().fold(false, |any, &e| any | (e != zero)));
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

impl<T: Copy> SparseRows<T> {
    /// Runs `kernel` on every panel of `panels` (op(b), `k × n`, packed by [`pack`] in panels of
    /// `NR` columns) with every row group, and hands each row of each tile to `write(i, j, sums)`:
    /// the sums of row i of the product from column j on (the last panel's padding left out).
    #[inline(always)]
    fn tiles<const NR: usize>(
        &self,
        panels: &[T],
        k: usize,
        n: usize,
        kernel: impl Fn(&[T], &[u32], &[T]) -> [[T; NR]; MR],
        mut write: impl FnMut(usize, usize, &[T]),
    ) {
        for (p, panel) in panels.chunks_exact(k * NR).enumerate() {
            let cols = NR.min(n - p * NR);
            for (g, group) in self.order.chunks_exact(MR).enumerate() {
                let (s, e) = (self.starts[g], self.starts[g + 1]);
                let tile = kernel(&self.values[s * MR..e * MR], &self.offsets[s..e], panel);
                for (&i, sums) in group.iter().zip(&tile) {
                    if i != usize::MAX {
                        write(i, p * NR, &sums[..cols]);
                    }
                }
            }
        }
    }
}

/// Packs op(b) into panels of `NR` columns (the last one padded with zeros), each `k × NR`
/// values stored row after row, and op(a) as [`SparseRows`]; then each panel meets each row group
/// in [`kernel`].
fn packed(a: View, ta: bool, b: View, tb: bool, out: &mut [f64], scratch: &mut Scratch) {
    let (m, k) = a.shape(ta);
    let n = b.shape(tb).1;
    let packed_b = pack::<f64, NR>(b, tb, k, n, std::mem::take(&mut scratch.panels));
    let rows = if ta {
        SparseRows::new(&transpose(a), m, k, NR)
    } else {
        SparseRows::new(a.data, m, k, NR)
    };
    rows.tiles(&packed_b, k, n, kernel, |i, at, sums: &[f64]| {
        out[i * n + at..i * n + at + sums.len()].copy_from_slice(sums);
    });
    // Kept for the next product unless it is large (a one-off product must not hold its memory).
    if packed_b.capacity() <= KEEP_PANELS {
        scratch.panels = packed_b;
    }
}

/// The most values of packed panels kept between products (8 MiB).
const KEEP_PANELS: usize = 1 << 20;

/// op(b), `k × n`, as panels of `NR` columns (see [`packed`]), in `memory`.
fn pack<T: Copy + Default, const NR: usize>(
    b: View<T>,
    tb: bool,
    k: usize,
    n: usize,
    mut memory: Vec<T>,
) -> Vec<T> {
    memory.clear();
    memory.resize(n.div_ceil(NR) * NR * k, T::default());
    for (p, panel) in memory.chunks_exact_mut(k * NR).enumerate() {
        let cols = NR.min(n - p * NR);
        for (kk, row) in panel.chunks_exact_mut(NR).enumerate() {
            for (j, v) in row[..cols].iter_mut().enumerate() {
                *v = b.at(tb, kk, p * NR + j);
            }
        }
    }
    memory
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

/// Columns of the right operand that the single-precision kernel takes at once: 4 SIMD quads.
const NR32: usize = 16;

/// A single-precision matrix op(b), `k × n`, packed for [`matmul_f32_scaled_into`] once and
/// multiplied by many times (the simulator keeps a network's weights this way): panels of `NR32`
/// columns, the last one padded with zeros, each `k × NR32` values stored row after row.
#[derive(Clone, Debug, Default)]
pub struct Panels {
    data: Vec<f32>,
    k: usize,
    n: usize,
}

impl Panels {
    /// op(b) packed, in `memory` (whose capacity the caller may have reserved:
    /// [`Panels::len_for`] values).
    pub fn pack(b: View<f32>, tb: bool, memory: Vec<f32>) -> Panels {
        let (k, n) = b.shape(tb);
        Panels {
            data: pack::<f32, NR32>(b, tb, k, n, memory),
            k,
            n,
        }
    }

    /// The values a `k × n` matrix packs into.
    pub fn len_for(k: usize, n: usize) -> usize {
        n.div_ceil(NR32) * NR32 * k
    }

    /// Rows and columns of the packed matrix.
    pub fn shape(&self) -> (usize, usize) {
        (self.k, self.n)
    }
}

/// `out = s · a · b` with the products in single precision, twice as many a SIMD instruction as
/// in double, as the simulator's layers multiply (PyTorch's default precision too): each row of
/// `a` is divided by its largest finite magnitude and rounded to `f32`, its products with `b` are
/// summed in `f32` in order of the inner index, and the sums are taken back to `f64` and multiplied
/// by the row's magnitude, then by `s` (every entry 0 when `s` is not positive).
///
/// Dividing by the row's magnitude keeps the single-precision values near 1 whatever the network's
/// scale: a layer whose activations have vanished to 10⁻²⁰⁰ or grown to 10²⁰⁰ (still finite in
/// `f64`) multiplies as accurately as one at 1, with neither underflow nor overflow in `f32`. Each
/// row depends on that row alone, so a part of the batch gets the whole batch's bits for its rows;
/// and a row scaled by any factor (the same network at another σ, see `network::simulate`) gives
/// the same single-precision values and products, up to the rounding of the division.
/// A row with infinities or NaNs is rounded as it is, and its sums are not finite either.
pub fn matmul_f32_scaled_into(a: View, b: &Panels, scale: f64, out: &mut [f64]) {
    let (m, k) = (a.rows, a.cols);
    let n = b.n;
    assert_eq!(k, b.k, "inner dimensions differ");
    assert_eq!(out.len(), m * n, "product of the wrong size");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 || scale.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        out.fill(0.0);
        return;
    }
    let mut rows = vec![0f32; m * k];
    let mut magnitudes = vec![1.0; m];
    for ((row, dst), magnitude) in a
        .data
        .chunks_exact(k)
        .zip(rows.chunks_exact_mut(k))
        .zip(&mut magnitudes)
    {
        let top = row
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0f64, |t, v| t.max(v.abs()));
        if top > 0.0 {
            *magnitude = top;
        }
        for (d, &v) in dst.iter_mut().zip(row) {
            *d = (v / *magnitude) as f32;
        }
    }
    let sparse = SparseRows::new(&rows, m, k, NR32);
    sparse.tiles(&b.data, k, n, kernel32, |i, at, sums: &[f32]| {
        for (d, &t) in out[i * n + at..i * n + at + sums.len()]
            .iter_mut()
            .zip(sums)
        {
            *d = f64::from(t) * magnitudes[i] * scale;
        }
    });
}

/// [`kernel`] in single precision: the `MR × NR32` tile `Σ_t values[t] ⊗ panel[offsets[t] .. +
/// NR32]`, each entry summed in order.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn kernel32(values: &[f32], offsets: &[u32], panel: &[f32]) -> [[f32; NR32]; MR] {
    use core::arch::wasm32::{f32x4_add, f32x4_mul, f32x4_splat, v128, v128_load, v128_store};
    let mut acc = [[f32x4_splat(0.0); NR32 / 4]; MR];
    for (x, &at) in values.chunks_exact(MR).zip(offsets) {
        // SAFETY: as in `kernel`, with panels of k × NR32 values.
        let row = unsafe { panel.get_unchecked(at as usize..at as usize + NR32) };
        let mut y = [f32x4_splat(0.0); NR32 / 4];
        for (j, yj) in y.iter_mut().enumerate() {
            // SAFETY: `row` holds NR32 values, so the four read at 4j lie inside it.
            *yj = unsafe { v128_load(row.as_ptr().add(4 * j) as *const v128) };
        }
        #[allow(clippy::needless_range_loop)]
        for i in 0..MR {
            let xi = f32x4_splat(x[i]);
            for j in 0..NR32 / 4 {
                acc[i][j] = f32x4_add(acc[i][j], f32x4_mul(xi, y[j]));
            }
        }
    }
    let mut tile = [[0.0; NR32]; MR];
    for (trow, sums) in tile.iter_mut().zip(&acc) {
        for (j, sum) in sums.iter().enumerate() {
            // SAFETY: a tile row holds NR32 values, so the four written at 4j lie inside it.
            unsafe { v128_store(trow.as_mut_ptr().add(4 * j) as *mut v128, *sum) };
        }
    }
    tile
}

/// [`kernel32`] lane by lane: the same arithmetic.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn kernel32(values: &[f32], offsets: &[u32], panel: &[f32]) -> [[f32; NR32]; MR] {
    let mut acc = [[0.0; NR32]; MR];
    for (x, &at) in values.chunks_exact(MR).zip(offsets) {
        let row = &panel[at as usize..at as usize + NR32];
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
                }
            }
        }
    }

    /// Within single precision's rounding of the f64 product, relative to the row's size, for
    /// rows from 10⁻¹⁵⁰ to 10¹³⁰; rows with infinities and NaNs give sums that are not finite, a
    /// zero row gives zeros, and a scale that is not positive gives zeros.
    #[test]
    fn single_precision_products_are_the_double_products_rounded() {
        for &(m, k, n) in &[(16, 512, 512), (3, 5, 7), (8, 70, 45), (2, 33, 17)] {
            for tb in [false, true] {
                let mut a = values(m * k, 3 + k as u64);
                for (i, row) in a.chunks_exact_mut(k).enumerate() {
                    let size = 10f64.powi((i % 8) as i32 * 40 - 150);
                    row.iter_mut().for_each(|v| *v *= size);
                }
                let b: Vec<f32> = values(k * n, 4 + n as u64)
                    .iter()
                    .map(|&v| v as f32)
                    .collect();
                let b64: Vec<f64> = b.iter().map(|&v| f64::from(v)).collect();
                let (rows, cols) = if tb { (n, k) } else { (k, n) };
                let (bv, bv64) = (View::new(&b, rows, cols), View::new(&b64, rows, cols));
                let av = View::new(&a, m, k);
                let packed = Panels::pack(bv, tb, Vec::new());
                assert_eq!(packed.shape(), (k, n));
                let mut out = vec![0.0; m * n];
                matmul_f32_scaled_into(av, &packed, 0.5, &mut out);
                let want = reference(av, false, bv64, tb);
                for i in 0..m {
                    let size = a[i * k..i * k + k]
                        .iter()
                        .fold(0.0f64, |t, v| t.max(v.abs()));
                    for j in 0..n {
                        let (got, want) = (out[i * n + j], 0.5 * want[i * n + j]);
                        assert!(
                            (got - want).abs() <= 1e-5 * size,
                            "{m}×{k}×{n} tb={tb} ({i},{j}): {got} vs {want}"
                        );
                    }
                }
                for scale in [0.0, -1.0, f64::NAN] {
                    let mut out = vec![1.0; m * n];
                    matmul_f32_scaled_into(av, &packed, scale, &mut out);
                    assert!(out.iter().all(|&v| v == 0.0), "scale {scale}");
                }
            }
        }
        let a = [0.0, 0.0, 1.0, f64::INFINITY, 2.0, f64::NAN];
        let b = [1.0f32, -1.0, 0.5, 2.0, -3.0, 4.0];
        let mut out = vec![0.0f64; 9];
        let packed = Panels::pack(View::new(&b, 2, 3), false, Vec::new());
        matmul_f32_scaled_into(View::new(&a, 3, 2), &packed, 1.0, &mut out);
        assert_eq!(&out[..3], &[0.0; 3]);
        assert!(out[3..].iter().all(|v| !v.is_finite()));
    }
}
