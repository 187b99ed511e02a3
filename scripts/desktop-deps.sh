#!/usr/bin/env bash
# Installs what building and driving Kura's desktop app (src-tauri) needs, skipping whatever is
# already there: Tauri 2's GTK/WebKit build libraries, Xvfb (and xauth for xvfb-run) and
# WebKitWebDriver for the tauri-driver test, Japanese fonts (without them kanji render as
# boxes), xdg-open (the opener's way to the default browser), xdotool (the window test types
# into the GTK file chooser with it; dbus-monitor, which watches notifications, comes with
# dbus-x11), and tauri-driver. The Tauri CLI that bundles the app comes from npm (ui/package.json);
# scripts/package adds what packaging needs. Run it, or source it from another script.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/deps.sh"

need_apt libwebkit2gtk-4.1-dev build-essential pkg-config libxdo-dev libssl-dev \
  libayatana-appindicator3-dev librsvg2-dev file \
  xvfb xauth webkit2gtk-driver fonts-noto-cjk x11-apps imagemagick dbus-x11 \
  xdg-utils xdotool
need_rust

need_cargo_tool() { # binary, crate, version requirement
  command -v "$1" >/dev/null && return 0
  echo "Installing $2 $3 (cargo install)" >&2
  cargo install "$2" --version "$3" --locked
}
need_cargo_tool tauri-driver tauri-driver '^2'
