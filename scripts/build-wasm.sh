#!/usr/bin/env bash
# Builds the simulator for JavaScript into target/pkg, as the tests and benchmarks load it: the
# wasm-bindgen module (weight-init.js + weight-init_bg.wasm) and the API over it (simulator.js,
# simulator.d.ts), the same files `trunk build` puts in dist/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --quiet --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-name weight-init --out-dir target/pkg target/wasm32-unknown-unknown/release/weight_init.wasm
cp src/simulator.js src/simulator.d.ts target/pkg/
scripts/build-deeper.sh target/pkg
cp src/deeper.js src/deeper.d.ts target/pkg/
