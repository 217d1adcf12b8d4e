//! Seeded random streams that give the same numbers on every target.
//!
//! Each purpose (the input batch, each layer's weights, the backward noise) has its own stream derived
//! from the seed. Adding a layer therefore leaves the earlier layers' weights untouched, and a layer's
//! weights can be drawn again, identically, for the backward pass instead of being kept in memory.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every stream uses: xoshiro256++, portable and fast on 64-bit integers, which
/// WebAssembly has natively (a 128-bit-state PCG would multiply in software there).
pub type Rng = Xoshiro256PlusPlus;

/// What a stream is for.
#[derive(Clone, Copy, Debug)]
pub enum Stream {
    /// The random input batch.
    Input,
    /// The weights of hidden layer `l` (1-based).
    Weights(usize),
    /// The noise that seeds the backward pass.
    Noise,
    /// The random biases of hidden layer `l` (1-based), for schemes that draw them.
    Biases(usize),
    /// The queries and keys of `attention` at dimension d.
    Attention(usize),
    /// The weights of residual block `l` (1-based).
    Residual(usize),
}

/// SplitMix64's finalizer: spreads nearby integers over all 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The generator for `stream` under `seed`.
pub fn stream(seed: u64, stream: Stream) -> Rng {
    let tag = match stream {
        Stream::Input => 1,
        Stream::Noise => 2,
        Stream::Weights(l) => 3 + l as u64,
        Stream::Biases(l) => (1 << 40) + l as u64,
        Stream::Attention(d) => (1 << 41) + d as u64,
        Stream::Residual(l) => (1 << 42) + l as u64,
    };
    Rng::seed_from_u64(mix(mix(seed) ^ tag.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
}
