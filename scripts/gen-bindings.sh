#!/usr/bin/env bash
# Regenerates ui/src/bindings/commands.ts from kura-core's command types (ts-rs).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kura-target}"
KURA_UPDATE_BINDINGS=1 cargo test -p kura-core --lib app::bindings -- --quiet
echo "wrote ui/src/bindings/commands.ts"
