#!/usr/bin/env bash
# Serves the explainer at http://127.0.0.1:8080/ (release build), installing what is missing first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh serve
say "serving on http://127.0.0.1:8080/ (Ctrl-C stops)"
# No autoreload: its inline script would break the page's Content-Security-Policy guarantee.
exec trunk serve --release --no-autoreload "$@"
