#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring Secret Service,
# so Kura's tokens go to a real OS credential store in tests and CI:
#   scripts/with-keyring.sh cargo test -p kura-e2e
# Already inside such a session (KURA_KEYRING_SESSION set), it just runs the command.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
if [ -n "${KURA_KEYRING_SESSION:-}" ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y dbus-x11 gnome-keyring" >&2; exit 1; }
done
# A throwaway home for the keyring files: tests never touch the user's real keyring.
keyring_home="$(mktemp -d)"
trap 'rm -rf "$keyring_home"' EXIT
export KURA_KEYRING_SESSION=1
dbus-run-session -- env XDG_DATA_HOME="$keyring_home" bash -c '
  # The login collection is created and unlocked with a throwaway password.
  echo -n kura-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' kura-keyring "$@"
