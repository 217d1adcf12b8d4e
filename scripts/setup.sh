#!/usr/bin/env bash
# Installs what the explainer needs, skipping whatever is already there at the right version.
# Usage: scripts/setup.sh [serve|test|bench]   (sourced by serve.sh, test.sh and bench.sh)
# Needs only the Rust toolchain (rustup), Node.js with npm, and apt for Chromium.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.21.14
# The CLI must equal the wasm-bindgen crate pinned in Cargo.toml, or Trunk refuses to use it.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

need_rust() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || {
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  }
  for c in rustfmt clippy; do
    rustup component list --installed | grep -q "^$c" || rustup component add "$c"
  done
}

need_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

need_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
  fi
}

need_node_modules() {
  # binaryen's wasm-opt (Debian's is too old and breaks the module) and playwright-core.
  if [ ! -x node_modules/.bin/wasm-opt ] || [ package.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
  fi
  export PATH="$PWD/node_modules/.bin:$PATH"
}

need_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and ChromeDriver from apt"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
  export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
}

need_numpy() {
  # NumPy runs the page's NumPy scripts in the tests, and the reference benchmarks.
  python3 -c 'import numpy' 2>/dev/null && return
  say "installing numpy"
  python3 -m pip install --quiet numpy 2>/dev/null || {
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-numpy >/dev/null
  }
}

case "${1:-test}" in
  serve) need_rust; need_wasm_bindgen; need_node_modules; need_trunk ;;
  test) need_rust; need_wasm_bindgen; need_node_modules; need_chromium; need_trunk; need_numpy ;;
  bench) need_rust; need_wasm_bindgen; need_node_modules; need_chromium; need_trunk; need_numpy ;;
  *) echo "usage: $0 [serve|test|bench]" >&2; exit 2 ;;
esac
