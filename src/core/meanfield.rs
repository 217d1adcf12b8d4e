//! Signal propagation at initialization in the mean-field limit (Poole et al. 2016; Schoenholz et
//! al. 2017): weights N(0, σ_w²/n), biases N(0, σ_b²), an infinitely wide layer.
//!
//! - The length map q ↦ σ_w² E[φ(√q z)²] + σ_b² sends the second moment of one layer's
//!   pre-activations to the next's; its fixed point q* is where a deep network's signal settles.
//! - χ₁ = σ_w² E[φ′(√q* z)²] is how a small perturbation (and a gradient) grows per layer at q*:
//!   below 1 nearby inputs converge and gradients vanish (the ordered phase), above 1 they
//!   separate and gradients explode (the chaotic phase). χ₁ = 1 is the edge of chaos.
//! - χ₁ is the slope of the map of 1 − c, c the correlation of two inputs: a squared distance.
//!   ξ = 1/|ln χ₁| is the depth over which 1 − c (near c = 1) changes by a factor e, so a
//!   distance changes by e every 2ξ layers. In the chaotic phase the correlation settles at
//!   c* < 1 instead, on its own depth scale ξ_c = −1/ln χ_c(c*) ([`correlation`]).

use super::config::Activation;
use super::theory::moments;

/// Nodes and weights of the trapezoid rule for E[f(z)], z ~ N(0, 1), over ±8 in steps of 1/8.
/// For an integrand analytic within a distance d of the real axis it converges as e^(−2πd/h):
/// tanh(√q z) has its nearest poles at d = π/(2√q), so the error is below 1e-10 for q up to 12
/// (σ_w² up to 10), at a fixed 129 evaluations; beyond ±8 the Gaussian is below 1e-14.
fn nodes() -> &'static [(f64, f64)] {
    static NODES: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    NODES.get_or_init(|| {
        let h = 1.0 / 8.0;
        (-64..=64)
            .map(|k| {
                let z = f64::from(k) * h;
                (
                    z,
                    h * libm::exp(-0.5 * z * z) / (2.0 * std::f64::consts::PI).sqrt(),
                )
            })
            .collect()
    })
}

/// E[φ(√q z)²] and E[φ′(√q z)²]: closed forms for the piecewise-linear activations, the
/// trapezoid rule for the smooth ones.
fn second_moments(activation: Activation, q: f64) -> (f64, f64) {
    match activation {
        Activation::Tanh | Activation::Sigmoid if q > 0.0 => {
            let s = q.sqrt();
            nodes().iter().fold((0.0, 0.0), |(a, b), &(z, w)| {
                let (y, d) = (activation.apply(s * z), activation.derivative(s * z));
                (a + w * y * y, b + w * d * d)
            })
        }
        _ => {
            let m = moments(activation, 0.0, q.max(0.0));
            (m.second, m.slope_second)
        }
    }
}

/// One step of the length map: the next layer's q from this one's.
pub fn length_map(activation: Activation, sw2: f64, sb2: f64, q: f64) -> f64 {
    sw2 * second_moments(activation, q).0 + sb2
}

/// χ₁ at second moment q: σ_w² E[φ′(√q z)²].
pub fn chi1(activation: Activation, sw2: f64, q: f64) -> f64 {
    sw2 * second_moments(activation, q).1
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
    let (mut g_lo, mut g_hi) = (g(lo), g(hi));
    if g_lo <= 0.0 {
        return 0.0;
    }
    // Regula falsi (Illinois), which keeps the root bracketed and converges superlinearly; a
    // bisection step whenever it stalls.
    let mut side = 0;
    for _ in 0..200 {
        if hi - lo <= 1e-15 * hi {
            break;
        }
        let mut mid = (lo * g_hi - hi * g_lo) / (g_hi - g_lo);
        if !(mid > lo && mid < hi) {
            mid = 0.5 * (lo + hi);
        }
        let g_mid = g(mid);
        if g_mid > 0.0 {
            (lo, g_lo) = (mid, g_mid);
            if side == 1 {
                g_hi *= 0.5;
            }
            side = 1;
        } else {
            (hi, g_hi) = (mid, g_mid);
            if side == -1 {
                g_lo *= 0.5;
            }
            side = -1;
        }
        if g_mid == 0.0 {
            return mid;
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
    /// 1/|ln χ₁|: the layers over which a small 1 − c changes by a factor e (∞ at the edge of
    /// chaos); a distance between the two signals changes by e every 2ξ.
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

/// Where the correlation of two inputs settles, and how fast (Schoenholz et al. 2017, §3).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Correlation {
    /// The stable fixed point c* of the correlation map at q*: 1 in the ordered phase (two inputs
    /// merge), below 1 in the chaotic phase (they stay apart by a fixed angle).
    pub c_star: f64,
    /// χ_c = σ_w² E[φ′(u₁)φ′(u₂)] at c*: the slope of the correlation map there (χ₁ when c* = 1).
    pub chi_c: f64,
    /// The correlation depth scale ξ_c = −1/ln χ_c: the layers over which c − c* changes by a
    /// factor e. In the ordered phase it is ξ = 1/|ln χ₁|; in the chaotic phase it differs.
    pub depth_scale: f64,
}

/// The correlation's fixed point and depth scale at (σ_w², σ_b²). In the chaotic phase c* is the
/// root of c = (σ_w² E[φ(u₁)φ(u₂)] + σ_b²)/q* below 1 (the map lies above the diagonal at c = 0,
/// where E[φ(u₁)φ(u₂)] = 0 for an odd φ, and below it just under c = 1, where its slope is
/// χ₁ > 1), found by bisection; about 50 evaluations of the two-dimensional rule.
pub fn correlation(activation: Activation, sw2: f64, sb2: f64) -> Correlation {
    let p = phase(activation, sw2, sb2);
    let ordered = Correlation {
        c_star: 1.0,
        chi_c: p.chi1,
        depth_scale: p.depth_scale,
    };
    if p.chi1 <= 1.0 || p.q_star == 0.0 || !p.q_star.is_finite() {
        return ordered;
    }
    let q = p.q_star;
    let map = |c: f64| (sw2 * cross_moment(activation, q, q, c) + sb2) / q - c;
    let (mut lo, mut hi) = (0.0, 1.0 - 1e-6);
    if map(lo) < 0.0 || map(hi) >= 0.0 {
        return ordered;
    }
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        if map(mid) >= 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let c_star = 0.5 * (lo + hi);
    let chi_c = sw2 * cross_moment_of(|u| activation.derivative(u), q, q, c_star);
    Correlation {
        c_star,
        chi_c,
        depth_scale: -1.0 / libm::log(chi_c),
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

/// The critical line, drawn through q: on it χ₁ = 1 at the fixed point q* = q, so
/// σ_w² = 1/E[φ′(√q z)²] and σ_b² = q − σ_w² E[φ(√q z)²]. One point per q, those with σ_b² ≥ 0,
/// as (σ_w², σ_b²).
pub fn critical_line(activation: Activation, qs: &[f64]) -> Vec<(f64, f64)> {
    qs.iter()
        .filter_map(|&q| {
            let (second, slope_second) = second_moments(activation, q);
            let sw2 = 1.0 / slope_second;
            let sb2 = q - sw2 * second;
            (sw2.is_finite() && sb2 >= 0.0).then_some((sw2, sb2))
        })
        .collect()
}

/// χ₁ at the fixed point on a grid over σ_w² ∈ `sw2` (left to right) and σ_b² ∈ `sb2` (top row
/// the largest), `columns × rows` values row by row, each at the centre of its cell.
pub fn phase_grid(
    activation: Activation,
    (sw2_lo, sw2_hi): (f64, f64),
    (sb2_lo, sb2_hi): (f64, f64),
    columns: usize,
    rows: usize,
) -> Vec<f64> {
    let mut out = Vec::with_capacity(columns * rows);
    for r in 0..rows {
        let sb2 = sb2_hi - (r as f64 + 0.5) / rows as f64 * (sb2_hi - sb2_lo);
        for c in 0..columns {
            let sw2 = sw2_lo + (c as f64 + 0.5) / columns as f64 * (sw2_hi - sw2_lo);
            out.push(phase(activation, sw2, sb2).chi1);
        }
    }
    out
}

/// Two inputs through the same network, one layer of the mean-field theory: the second moments
/// q₁, q₂ of their pre-activations, the correlation c of the pre-activations, and the cosine
/// similarity of the two layers' outputs (what a page can measure of one finite network).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    /// Second moment of the first input's pre-activations.
    pub q1: f64,
    /// Second moment of the second input's pre-activations.
    pub q2: f64,
    /// Correlation of the two pre-activations.
    pub c: f64,
    /// E[φ(u₁)φ(u₂)] / √(E[φ(u₁)²] E[φ(u₂)²]): the cosine similarity of the two outputs.
    pub cosine: f64,
}

/// E[φ(u₁)φ(u₂)] for (u₁, u₂) Gaussian with second moments q₁, q₂ and correlation c:
/// u₁ = √q₁ z₁, u₂ = √q₂ (c z₁ + √(1 − c²) z₂) with z₁, z₂ independent N(0, 1), by the trapezoid
/// rule of [`nodes`] in each variable (129² evaluations).
fn cross_moment(activation: Activation, q1: f64, q2: f64, c: f64) -> f64 {
    cross_moment_of(|u| activation.apply(u), q1, q2, c)
}

/// E[f(u₁)f(u₂)] for the Gaussian pair of [`cross_moment`].
fn cross_moment_of(f: impl Fn(f64) -> f64, q1: f64, q2: f64, c: f64) -> f64 {
    let c = c.clamp(-1.0, 1.0);
    let (s1, s2) = (q1.max(0.0).sqrt(), q2.max(0.0).sqrt());
    let s = (1.0 - c * c).max(0.0).sqrt();
    let nodes = nodes();
    let mut total = 0.0;
    for &(z1, w1) in nodes {
        let inner: f64 = if s == 0.0 {
            f(s2 * c * z1)
        } else {
            nodes
                .iter()
                .map(|&(z2, w2)| w2 * f(s2 * (c * z1 + s * z2)))
                .sum()
        };
        total += w1 * f(s1 * z1) * inner;
    }
    total
}

/// The two-input recursion of Poole et al. for `layers` layers, from layer 1's pre-activation
/// statistics `(q1, q2, c)`.
pub fn pair(
    activation: Activation,
    sw2: f64,
    sb2: f64,
    first: (f64, f64, f64),
    layers: usize,
) -> Vec<Pair> {
    let (mut q1, mut q2, mut c) = first;
    let mut out = Vec::with_capacity(layers);
    for _ in 0..layers {
        let a = second_moments(activation, q1).0;
        let b = second_moments(activation, q2).0;
        let cross = cross_moment(activation, q1, q2, c);
        let norm = (a * b).sqrt();
        out.push(Pair {
            q1,
            q2,
            c,
            cosine: if norm > 0.0 {
                (cross / norm).clamp(-1.0, 1.0)
            } else {
                1.0
            },
        });
        let (n1, n2) = (sw2 * a + sb2, sw2 * b + sb2);
        let nn = (n1 * n2).sqrt();
        c = if nn > 0.0 {
            ((sw2 * cross + sb2) / nn).clamp(-1.0, 1.0)
        } else {
            1.0
        };
        (q1, q2) = (n1, n2);
    }
    out
}

/// What `edgeOfChaos` computes for a checked [`super::schema::edge`] config.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The point's phase.
    pub phase: Phase,
    /// The critical σ_w² at the point's σ_b².
    pub critical_sw2: f64,
    /// Where the two inputs' correlation settles at the point, and its depth scale.
    pub correlation: Correlation,
    /// The two-input recursion's cosines, one per layer.
    pub cosine: Vec<f64>,
    /// χ₁ over the grid, row by row from the top.
    pub grid: Vec<f64>,
    /// The critical line, σ_b² from 0 to the grid's top.
    pub line: Vec<(f64, f64)>,
}

impl Edge {
    /// The result flat, in the layout of [`super::schema::result::EDGE`].
    pub fn flat(&self) -> Vec<f64> {
        use super::schema::flat::{pack, Item};
        let line: Vec<f64> = self.line.iter().flat_map(|&(w, b)| [w, b]).collect();
        pack(&super::schema::result::EDGE, |name| match name {
            "qStar" => Item::Number(self.phase.q_star),
            "chi1" => Item::Number(self.phase.chi1),
            "depthScale" => Item::Number(self.correlation.depth_scale),
            "criticalSw2" => Item::Number(self.critical_sw2),
            "cosine" => Item::Numbers(&self.cosine),
            "grid" => Item::Numbers(&self.grid),
            "line" => Item::Numbers(&line),
            _ => panic!("edgeOfChaos has no {name}"),
        })
    }
}

/// Everything `edgeOfChaos` returns, from a checked record of [`super::schema::edge::SCHEMA`].
pub fn edge(r: &super::validate::Record) -> Edge {
    use super::schema::edge as f;
    let activation = Activation::named(r.name(&f::ACTIVATION), 0.0);
    let (sw2, sb2) = (r.number(&f::SW2), r.number(&f::SB2));
    let sb2_max = r.number(&f::SB2_MAX);
    let line = if matches!(activation, Activation::Relu) {
        vec![(2.0, 0.0), (2.0, sb2_max)]
    } else {
        // Through q from 0 up: σ_b² grows with q along the line; stop past the grid's top.
        let mut points = vec![(critical_sw2(activation, 0.0), 0.0)];
        let mut q = 0.01;
        while q < 100.0 {
            match critical_line(activation, &[q]).first() {
                Some(&(w, b)) if b <= sb2_max * 1.05 => points.push((w, b)),
                Some(_) => break,
                None => {}
            }
            q *= 1.08;
        }
        points
    };
    let first = (r.number(&f::Q1), r.number(&f::Q2), r.number(&f::C));
    Edge {
        phase: phase(activation, sw2, sb2),
        critical_sw2: critical_sw2(activation, sb2),
        correlation: correlation(activation, sw2, sb2),
        cosine: pair(activation, sw2, sb2, first, r.whole(&f::LAYERS))
            .iter()
            .map(|p| p.cosine)
            .collect(),
        grid: phase_grid(
            activation,
            (0.0, r.number(&f::SW2_MAX)),
            (0.0, sb2_max),
            r.whole(&f::COLUMNS),
            r.whole(&f::ROWS),
        ),
        line,
    }
}
