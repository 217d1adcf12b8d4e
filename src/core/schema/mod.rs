//! The contract between the simulator and its callers, written once.
//!
//! Every config and chart spec is described here as a table of fields: name, kind, allowed range
//! or names, default and meaning. Validation ([`super::validate`]) is driven by these tables; the
//! JavaScript side reads them through the `schema()` export (as [`json`]) for its controls, URL
//! parsing and result layout; the TypeScript declarations are generated from them
//! ([`typescript`]). No name, limit or default of the contract is written anywhere else.
//!
//! [`tables`] holds the tables; [`json`](mod@json), [`typescript`](mod@typescript) and
//! [`markdown`](mod@markdown) write them out.

pub mod flat;
pub mod json;
pub mod markdown;
pub mod tables;
pub mod typescript;

pub use json::json;
pub use markdown::markdown;
pub use tables::*;
pub use typescript::typescript;
