//! The simulator's core: schemes, activations, the network, statistics and theory.
//!
//! Nothing here knows about the browser; it is tested natively with `cargo test`.

pub mod activation;
pub mod attention;
pub mod config;
pub mod data;
pub mod digits;
pub mod isometry;
pub mod linalg;
pub mod meanfield;
pub mod network;
pub mod orthogonal;
pub mod quadrature;
pub mod residual;
pub mod rng;
pub mod schema;
pub mod scheme;
pub mod shape;
pub mod spread;
pub mod stats;
pub mod theory;
pub mod train;
pub mod validate;
pub mod value;
