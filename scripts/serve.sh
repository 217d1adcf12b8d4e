#!/usr/bin/env bash
# Serves the explainer at http://127.0.0.1:8080/ (release build), installing what is missing first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh serve
say "serving on http://127.0.0.1:8080/ (Ctrl-C stops)"
exec trunk serve --release "$@"
