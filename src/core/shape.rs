//! The shape of a layer's weight matrix: what both the schemes ([`super::scheme`]) and the
//! orthogonal matrices ([`super::orthogonal`]) are drawn for, so that neither depends on the other
//! for it.

/// The shape of one layer's weight matrix, `fan_in × fan_out`, row-major (Z = H · W).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Inputs to the layer.
    pub fan_in: usize,
    /// Neurons in the layer.
    pub fan_out: usize,
}
