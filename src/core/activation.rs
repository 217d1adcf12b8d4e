//! Activation functions and their derivatives.
//!
//! Transcendental functions come from `libm`, not the platform, so results are bit-identical
//! natively and in WebAssembly.

use super::config::Activation;

impl Activation {
    /// φ(z).
    #[inline]
    pub fn apply(self, z: f64) -> f64 {
        match self {
            // Written so that NaN passes through, as np.maximum(0, nan) does: overflow stays visible.
            Activation::Relu => {
                if z <= 0.0 {
                    0.0
                } else {
                    z
                }
            }
            Activation::LeakyRelu { slope } => {
                if z <= 0.0 {
                    slope * z
                } else {
                    z
                }
            }
            Activation::Tanh => libm::tanh(z),
            Activation::Sigmoid => 1.0 / (1.0 + libm::exp(-z)),
            Activation::Linear => z,
        }
    }

    /// φ'(z); at the ReLU kink (z = 0) the derivative is taken as 0, as frameworks do; NaN stays NaN.
    #[inline]
    pub fn derivative(self, z: f64) -> f64 {
        match self {
            Activation::Relu | Activation::LeakyRelu { .. } if z.is_nan() => f64::NAN,
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::LeakyRelu { slope } => {
                if z > 0.0 {
                    1.0
                } else {
                    slope
                }
            }
            Activation::Tanh => {
                let t = libm::tanh(z);
                1.0 - t * t
            }
            Activation::Sigmoid => {
                let s = 1.0 / (1.0 + libm::exp(-z));
                s * (1.0 - s)
            }
            Activation::Linear => 1.0,
        }
    }

    /// `out = φ(zs)`, value by value. One loop per activation, so the choice is made once and the
    /// ReLU loops compile to branch-free selects.
    pub fn apply_all(self, zs: &[f64], out: &mut Vec<f64>) {
        out.clear();
        match self {
            Activation::Relu => out.extend(zs.iter().map(|&z| Activation::Relu.apply(z))),
            Activation::LeakyRelu { slope } => {
                out.extend(zs.iter().map(|&z| Activation::LeakyRelu { slope }.apply(z)))
            }
            Activation::Linear => out.extend_from_slice(zs),
            other => out.extend(zs.iter().map(|&z| other.apply(z))),
        }
    }

    /// Whether the backward pass should keep the outputs φ(z) rather than the inputs z: tanh and
    /// sigmoid have derivatives that are functions of their output (1 − φ², φ(1 − φ)), so keeping
    /// the outputs saves evaluating them twice more; the others are cheap to apply again.
    pub fn keeps_output(self) -> bool {
        matches!(self, Activation::Tanh | Activation::Sigmoid)
    }

    /// `out = upstream ⊙ φ'(z)`: the gradient with respect to the pre-activations, from what
    /// [`Activation::keeps_output`] says the forward pass kept: φ(z) for tanh and sigmoid, z for the
    /// others. Either way the numbers are exactly those of [`Activation::derivative`].
    pub fn backward_all(self, upstream: &[f64], kept: &[f64], out: &mut Vec<f64>) {
        out.clear();
        let pairs = upstream.iter().zip(kept);
        match self {
            Activation::Relu => out.extend(pairs.map(|(g, &z)| g * Activation::Relu.derivative(z))),
            Activation::LeakyRelu { slope } => {
                out.extend(pairs.map(|(g, &z)| g * Activation::LeakyRelu { slope }.derivative(z)))
            }
            Activation::Tanh => out.extend(pairs.map(|(g, &t)| g * (1.0 - t * t))),
            Activation::Sigmoid => out.extend(pairs.map(|(g, &s)| g * (s * (1.0 - s)))),
            Activation::Linear => {
                out.extend(pairs.map(|(g, &z)| g * Activation::Linear.derivative(z)))
            }
        }
    }

    /// Whether an output value counts as saturated: |a| > 0.97 for tanh, a outside (0.03, 0.97) for
    /// sigmoid. `None` for activations that do not saturate.
    pub fn is_saturated(self, a: f64) -> Option<bool> {
        match self {
            Activation::Tanh => Some(a.abs() > 0.97),
            Activation::Sigmoid => Some(!(a > 0.03 && a < 0.97)),
            _ => None,
        }
    }

    /// The leaky slope `a` that the He schemes correct for (0 for every other activation).
    pub fn he_slope(self) -> f64 {
        match self {
            Activation::LeakyRelu { slope } => slope,
            _ => 0.0,
        }
    }
}
