#!/usr/bin/env bash
# Installs, once, the third-party programs that check Kura's exports (crates/kura-core/tests/
# export_tools.rs): hledger, ledger and LibreOffice Calc from Debian; beancount (bean-check) and
# ofxtools from PyPI in the venv at $HOME/.cache/kura-venv. Safe to run again: it only adds what is
# missing. Afterwards the tests find the venv through KURA_VENV or that default path.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh

need_apt hledger ledger libreoffice-calc-nogui python3 python3-venv

venv="${KURA_VENV:-$HOME/.cache/kura-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! "$venv/bin/python" -c 'import beancount, ofxtools' 2>/dev/null \
   || [ ! -x "$venv/bin/bean-check" ]; then
  echo "Installing beancount and ofxtools into $venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check 'beancount>=3' beanquery ofxtools
fi
