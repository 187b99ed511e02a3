#!/usr/bin/env bash
# Installs what building, bundling and driving Kura's desktop app (src-tauri) needs, skipping
# whatever is already there: Tauri 2's GTK/WebKit build libraries, Xvfb and WebKitWebDriver for
# the tauri-driver test, Japanese fonts (without them kanji render as boxes), tauri-driver, and
# tauri-cli for `cargo tauri build`. Run it, or source it from another script.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/deps.sh"

need_apt libwebkit2gtk-4.1-dev build-essential pkg-config libxdo-dev libssl-dev \
  libayatana-appindicator3-dev librsvg2-dev file \
  xvfb webkit2gtk-driver fonts-noto-cjk x11-apps imagemagick dbus-x11
need_rust

need_cargo_tool() { # binary, crate, version requirement
  command -v "$1" >/dev/null && return 0
  echo "Installing $2 $3 (cargo install)" >&2
  cargo install "$2" --version "$3" --locked
}
need_cargo_tool tauri-driver tauri-driver '^2'
if [ "${KURA_NO_TAURI_CLI:-}" != 1 ]; then
  need_cargo_tool cargo-tauri tauri-cli '^2'
fi
