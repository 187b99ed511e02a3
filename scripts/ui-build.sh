#!/usr/bin/env bash
# Brings ui/node_modules and ui/dist (the web UI that `kura` and the desktop app embed) up to
# date, and does nothing when they already are: `npm ci` when package-lock.json changed since
# the last install, `npm run build` when a source is newer than the last build. Skipping
# matters: a rebuilt ui/dist makes cargo recompile both binaries that embed it.
set -euo pipefail
cd "$(dirname "$0")/../ui"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
sources=(src public index.html package.json package-lock.json tsconfig.json vite.config.ts)
if [ ! -f dist/index.html ] || [ -n "$(find "${sources[@]}" -newer dist/index.html -print -quit)" ]; then
  npm run build
fi
