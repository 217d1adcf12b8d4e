#!/usr/bin/env bash
# Runs every check and test: formatting, lints on both targets, native tests, the wasm module in
# Node, wasm in headless Chromium, and the built page in headless Chromium. Installs what is
# missing first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh test

say "cargo fmt --check"
cargo fmt --all --check

say "cargo clippy (native and wasm32, warnings are errors)"
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --workspace --all-targets --target wasm32-unknown-unknown -- -D warnings

say "native tests"
cargo test --quiet --profile fasttest

say "wasm module in Node"
scripts/build-wasm.sh
node --test --test-reporter=spec tests/wasm/

say "wasm in headless Chromium (dedicated worker)"
cargo test --profile fasttest --target wasm32-unknown-unknown --test web

say "the page: trunk build --release, then headless Chromium"
trunk build --release
node --test --test-reporter=spec tests/browser/
