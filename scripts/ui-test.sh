#!/usr/bin/env bash
# The web UI's tests: type check, Vitest (formatting, i18n, transport, virtualisation), the
# production build (embedded into `kura`), and the Playwright end-to-end runs through `kura serve`
# against the sandbox (the main journey; a confidential client's secret in the link dialog; moving
# the data folder from Settings; the 家計簿: totals, drill-down, a line recategorised and the
# offered rule applied, a refused rule, a budget's pace, English; the household: members added,
# renamed and removed in Settings, a second person's login at a linked union as their own link,
# the member switcher scoping the dashboard, history, 家計簿 and export; sharing the household
# between two desktops: two `kura serve` instances and a plain shared folder, the pairing code, a
# wrong code refused, the second's dashboard, history and 家計簿 the first's, leaving), with
# the real OAuth flow and a real keyring. Screenshots land in
# target/ui-screenshots/ (kept as CI artifacts). The bindings' freshness is checked by
# `cargo test -p kura-core` (app::bindings).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kura-target}"

echo "== ui: npm ci, Vitest, build" >&2
(cd ui && npm ci --no-audit --no-fund && npx vitest run && npm run build)

echo "== kura (with the UI embedded)" >&2
# The binary's path as cargo reports it (its name is set in crates/kura-cli/Cargo.toml).
kura_bin="$(cargo build -p kura-cli --message-format=json | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["kind"] == ["bin"] \
            and m["package_id"].find("kura-cli") >= 0:
        print(m["executable"])
')"

echo "== ui e2e: Playwright + Chromium through kura serve, against the sandbox" >&2
SCREENSHOT_DIR="$PWD/target/ui-screenshots" KURA_BIN="$kura_bin" \
  scripts/with-keyring.sh node ui/e2e/run.mjs
echo "== ui e2e: the link dialog of a confidential client (client secret)" >&2
SCREENSHOT_DIR="$PWD/target/ui-screenshots" KURA_BIN="$kura_bin" \
  scripts/with-keyring.sh node ui/e2e/client-secret.mjs
echo "== ui e2e: Settings move the data folder (kura serve without a data folder given)" >&2
SCREENSHOT_DIR="$PWD/target/ui-screenshots" KURA_BIN="$kura_bin" \
  scripts/with-keyring.sh node ui/e2e/data-folder.mjs
echo "== ui e2e: 家計簿 (totals, drill-down, recategorise + offered rule, rule errors, budgets, English)" >&2
SCREENSHOT_DIR="$PWD/target/ui-screenshots" KURA_BIN="$kura_bin" \
  scripts/with-keyring.sh node ui/e2e/books.mjs
echo "== ui e2e: the household (members, a second person's link, the member switcher, renewal)" >&2
SCREENSHOT_DIR="$PWD/target/ui-screenshots" KURA_BIN="$kura_bin" \
  scripts/with-keyring.sh node ui/e2e/household.mjs
echo "== ui e2e: sharing between two desktops (two kura serve, a shared folder, the pairing code)" >&2
SCREENSHOT_DIR="$PWD/target/ui-screenshots" KURA_BIN="$kura_bin" \
  scripts/with-keyring.sh node ui/e2e/share.mjs
