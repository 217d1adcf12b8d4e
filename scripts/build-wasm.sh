#!/usr/bin/env bash
# Builds the simulator for JavaScript into target/pkg (ES module + wasm), as the tests and benchmark load it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --quiet --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir target/pkg target/wasm32-unknown-unknown/release/weight_init.wasm
