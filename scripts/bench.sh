#!/usr/bin/env bash
# Benchmarks, each printing its figures against its target:
#   simulate() in WebAssembly (Node) against the NumPy reference, in one run;
#   training steps per second in WebAssembly against the same network in NumPy (the spiral in
#   Node; the digits, momentum SGD and Adam, in a worker of headless Chromium);
#   the slowest call each export allows, and the memory high-water mark;
#   the page in headless Chromium: slider input → redraw, load → first plot, transfer size.
# Usage: scripts/bench.sh [seconds-per-measurement]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh bench
scripts/build-wasm.sh
node bench/simulate.mjs "${1:-2}"
echo
node bench/train.mjs "${1:-2}"
echo
node bench/limits.mjs
echo
trunk build --release
node bench/digits.mjs "${1:-2}"
echo
node bench/page.mjs
