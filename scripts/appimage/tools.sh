#!/usr/bin/env bash
# Puts the tools Tauri's AppImage bundler expects into its cache (~/.cache/tauri), so that
# `tauri build`/`tauri bundle --bundles appimage` works without reaching GitHub, which this
# project's machines cannot:
# - the AppImage runtime (the ELF part at the head of every AppImage, AppImageKit's, MIT), taken
#   from the `appimage` crate on crates.io, which ships it, and checked against its SHA-256;
# - AppRun-x86_64: scripts/appimage/AppRun;
# - linuxdeploy-<commit>-x86_64.AppImage: scripts/appimage/linuxdeploy packed as an AppImage with
#   that runtime (Tauri runs it with --appimage-extract-and-run).
# The bundler still tries to download the optional linuxdeploy-plugin-appimage, fails at once and
# says it falls back to the built-in one; nothing uses it.
# Needs cargo, mksquashfs (squashfs-tools) and sha256sum.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

[ "$(uname -m)" = x86_64 ] || { echo "the AppImage tools here are for x86_64 only" >&2; exit 1; }
tools="${XDG_CACHE_HOME:-$HOME/.cache}/tauri"
# The linuxdeploy build tauri-bundler 2.x names (LINUXDEPLOY_COMMIT_HASH in its appimage module).
linuxdeploy_commit=07333c6
runtime_crate=appimage
runtime_version=0.4.0
runtime_sha256=328e0d745c5c6817048c27bc3e8314871703f8f47ffa81a37cb06cd95a94b323
mkdir -p "$tools"
runtime="$tools/kura-appimage-runtime-x86_64"

if ! echo "$runtime_sha256  $runtime" | sha256sum --check --status 2>/dev/null; then
  echo "Fetching the AppImage runtime from the $runtime_crate $runtime_version crate (cargo)" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir "$work/src"
  : >"$work/src/lib.rs"
  cat >"$work/Cargo.toml" <<EOF
[package]
name = "kura-appimage-runtime"
version = "0.0.0"
edition = "2021"
[dependencies]
$runtime_crate = "=$runtime_version"
[workspace]
EOF
  cargo fetch --quiet --manifest-path "$work/Cargo.toml"
  crate="$(find "${CARGO_HOME:-$HOME/.cargo}/registry/cache" -name "$runtime_crate-$runtime_version.crate" | head -n 1)"
  [ -n "$crate" ] || { echo "cargo fetched no $runtime_crate-$runtime_version.crate" >&2; exit 1; }
  tar -xzf "$crate" -O "$runtime_crate-$runtime_version/assets/runtime-x86_64" >"$runtime.new"
  echo "$runtime_sha256  $runtime.new" | sha256sum --check --quiet
  chmod 755 "$runtime.new"
  mv "$runtime.new" "$runtime"
fi

install -m 755 "$here/AppRun" "$tools/AppRun-x86_64"

# linuxdeploy as an AppImage: its AppRun is the script, with the runtime beside it for the
# AppImages it writes.
appdir="$(mktemp -d)"
squashfs="$(mktemp)"
install -m 755 "$here/linuxdeploy" "$appdir/AppRun"
install -m 755 "$runtime" "$appdir/runtime"
mksquashfs "$appdir" "$squashfs" -root-owned -noappend -comp gzip -quiet -no-progress >/dev/null
cat "$runtime" "$squashfs" >"$tools/linuxdeploy-$linuxdeploy_commit-x86_64.AppImage"
chmod 755 "$tools/linuxdeploy-$linuxdeploy_commit-x86_64.AppImage"
rm -rf "$appdir" "$squashfs"
