#!/usr/bin/env bash
# Builds the simulator for JavaScript into target/pkg, as the tests and benchmarks load it: the
# wasm-bindgen module (weight-init.js + weight-init_bg.wasm) and the API over it (simulator.js,
# simulator.d.ts), the same files `trunk build` puts in dist/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --quiet --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-name weight-init --out-dir target/pkg target/wasm32-unknown-unknown/release/weight_init.wasm
# As in dist/: the API in www/ beside the page's modules, re-exported at the root; with the
# figures' modules, which tests/wasm/specs.test.mjs runs against it.
mkdir -p target/pkg/www
cp www/simulator.js www/simulator.d.ts www/deeper.js www/deeper.d.ts www/format.js target/pkg/www/
rm -rf target/pkg/www/figures target/pkg/www/exercises && cp -r www/figures www/exercises target/pkg/www/
for api in simulator deeper; do
  printf "export * from './www/%s.js';\nexport { default } from './www/%s.js';\n" "$api" "$api" > "target/pkg/$api.js"
  cp "target/pkg/$api.js" "target/pkg/$api.d.ts"
done
scripts/build-deeper.sh target/pkg
