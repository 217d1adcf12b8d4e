#!/usr/bin/env bash
# Benchmarks simulate() in WebAssembly against the NumPy reference in the same run and prints a table.
# Usage: scripts/bench.sh [seconds-per-measurement]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh bench
scripts/build-wasm.sh
node bench/simulate.mjs "${1:-2}"
