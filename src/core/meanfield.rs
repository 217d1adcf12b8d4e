//! Signal propagation at initialization in the mean-field limit (Poole et al. 2016; Schoenholz et
//! al. 2017): weights N(0, σ_w²/n), biases N(0, σ_b²), an infinitely wide layer.
//!
//! - The length map q ↦ σ_w² E[φ(√q z)²] + σ_b² sends the second moment of one layer's
//!   pre-activations to the next's; its fixed point q* is where a deep network's signal settles.
//! - χ₁ = σ_w² E[φ′(√q* z)²] is how a small perturbation (and a gradient) grows per layer at q*:
//!   below 1 nearby inputs converge and gradients vanish (the ordered phase), above 1 they
//!   separate and gradients explode (the chaotic phase). χ₁ = 1 is the edge of chaos.
//! - ξ = 1/|ln χ₁| is the depth over which a perturbation changes by a factor e.

use super::config::Activation;
use super::theory::moments;

/// One step of the length map: the next layer's q from this one's.
pub fn length_map(activation: Activation, sw2: f64, sb2: f64, q: f64) -> f64 {
    sw2 * moments(activation, 0.0, q).second + sb2
}

/// χ₁ at second moment q: σ_w² E[φ′(√q z)²].
pub fn chi1(activation: Activation, sw2: f64, q: f64) -> f64 {
    sw2 * moments(activation, 0.0, q).slope_second
}

/// The stable fixed point q* of the length map for a bounded activation (tanh, sigmoid): the
/// largest q with length_map(q) = q, or 0 when there is none above 0 (σ_b = 0 and σ_w² ≤ 1 for
/// tanh, where the signal fades to nothing). Found by bisection to full precision.
pub fn fixed_point(activation: Activation, sw2: f64, sb2: f64) -> f64 {
    let g = |q: f64| length_map(activation, sw2, sb2, q) - q;
    // A bounded φ² ≤ 1 keeps the map below σ_w² + σ_b², so the fixed point lies below that.
    let mut hi = sw2 + sb2 + 1.0;
    if g(hi) > 0.0 {
        // An unbounded activation whose signal grows without end: no fixed point.
        return f64::INFINITY;
    }
    // The smallest q where the map still lies above the diagonal, scanning down from hi.
    let mut lo = hi;
    while lo > 1e-300 && g(lo) <= 0.0 {
        lo *= 0.5;
    }
    if g(lo) <= 0.0 {
        return 0.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if g(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Where the network sits for (σ_w², σ_b²): q*, χ₁ at q*, and the depth scale ξ = 1/|ln χ₁|.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Phase {
    /// The fixed point of the length map.
    pub q_star: f64,
    /// Growth of a small perturbation per layer at q*.
    pub chi1: f64,
    /// Layers over which a perturbation changes by a factor e (∞ at the edge of chaos).
    pub depth_scale: f64,
}

/// The phase of a bounded activation's network at (σ_w², σ_b²).
pub fn phase(activation: Activation, sw2: f64, sb2: f64) -> Phase {
    let q_star = fixed_point(activation, sw2, sb2);
    let chi = chi1(activation, sw2, q_star);
    Phase {
        q_star,
        chi1: chi,
        depth_scale: 1.0 / libm::log(chi).abs(),
    }
}

/// The critical σ_w² at bias variance σ_b²: where χ₁ = 1. For ReLU it is 2 at σ_b = 0 (He's
/// choice); for tanh it grows from 1 as σ_b² grows. Bisection over σ_w² in (0, 20].
pub fn critical_sw2(activation: Activation, sb2: f64) -> f64 {
    if matches!(activation, Activation::Relu) {
        // E[relu′²] = 1/2 at any q: χ₁ = σ_w²/2.
        return 2.0;
    }
    let (mut lo, mut hi) = (1e-6, 20.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if phase(activation, mid, sb2).chi1 < 1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}
