//! Weight Initialization & Why It Matters: the simulator behind the interactive article.
//!
//! [`core`] builds a fully connected network at initialization, pushes its input forward, pulls a
//! gradient back and reports per-layer statistics with mean-field theory beside them. On
//! `wasm32`, `bindings` exports it to JavaScript as `simulate(config)`.

pub mod core;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod bindings;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod web;

pub use crate::core::config::{Activation, Config, Input, Scheme};
pub use crate::core::network::{simulate, LayerStats, SimError, Simulation};
pub use crate::core::validate::ConfigError;
pub use crate::core::value::{map, Value};

/// Validates a loosely typed config and runs it: the whole path a JavaScript call takes.
pub fn simulate_value(config: &Value) -> Result<Simulation, String> {
    let config = Config::from_value(config).map_err(|e| e.to_string())?;
    simulate(&config).map_err(|e| e.to_string())
}

pub mod charts;
