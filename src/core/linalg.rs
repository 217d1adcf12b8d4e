//! Dense products on row-major matrices, through `matrixmultiply`'s cache-blocked kernels.

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

    /// The transposed view (no copy: only the strides change).
    fn strides(&self, transposed: bool) -> (usize, usize, isize, isize) {
        if transposed {
            (self.cols, self.rows, 1, self.cols as isize)
        } else {
            (self.rows, self.cols, self.cols as isize, 1)
        }
    }
}

/// Products with at most this many multiply-adds skip the blocked kernel.
const SMALL: usize = 32 * 32 * 32;

/// `out = op(a) · op(b)`, where op transposes when asked; `out` is resized to fit.
pub fn matmul(a: View, ta: bool, b: View, tb: bool, out: &mut Vec<f64>) {
    let (m, k, rsa, csa) = a.strides(ta);
    let (k2, n, rsb, csb) = b.strides(tb);
    assert_eq!(k, k2, "inner dimensions differ");
    out.clear();
    out.resize(m * n, 0.0);
    if m == 0 || n == 0 {
        return;
    }
    if m * k * n <= SMALL {
        // Packing into cache blocks costs more than it saves on small products: loop directly, in
        // the order that reads both operands contiguously.
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
                        *o = arow.iter().zip(brow).map(|(x, y)| x * y).sum();
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
                for i in 0..m {
                    for j in 0..n {
                        out[i * n + j] = (0..k).map(|p| ad[p * m + i] * bd[j * k + p]).sum();
                    }
                }
            }
        }
        return;
    }
    // SAFETY: the shapes and strides above describe exactly the slices' extents, which were checked in
    // `View::new`, and `out` holds m × n values with row stride n.
    unsafe {
        matrixmultiply::dgemm(
            m,
            k,
            n,
            1.0,
            a.data.as_ptr(),
            rsa,
            csa,
            b.data.as_ptr(),
            rsb,
            csb,
            0.0,
            out.as_mut_ptr(),
            n as isize,
            1,
        );
    }
}
