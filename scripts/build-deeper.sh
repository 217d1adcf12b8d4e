#!/usr/bin/env bash
# Builds the second WebAssembly module (src/deeper: the residual and attention figures' numbers)
# into the folder given (default target/pkg): weight-init-deeper.js, its optimized
# weight-init-deeper_bg.wasm (its API is www/deeper.js). The page loads it
# only when one of those figures comes into view. Run by `trunk build` (scripts/trunk-post-build.mjs)
# and by scripts/build-wasm.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-target/pkg}"
mkdir -p "$out"
cargo build --quiet --release --target wasm32-unknown-unknown -p weight-init-deeper
wasm-bindgen --target web --out-name weight-init-deeper --out-dir "$out" \
  target/wasm32-unknown-unknown/release/weight_init_deeper.wasm
# The features rustc emits for wasm32 here, and SIMD128 (.cargo/config.toml).
wasm-opt -Oz --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-multivalue --enable-reference-types \
  "$out/weight-init-deeper_bg.wasm" -o "$out/weight-init-deeper_bg.wasm"

