#!/usr/bin/env bash
# Inside `dbus-run-session`: starts an unlocked gnome-keyring Secret Service, then runs "$@".
set -euo pipefail
# A throwaway HOME keeps the test keyring apart from the user's; the toolchain stays where it is.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export HOME="${KEYRING_HOME:-$(mktemp -d)}"
export XDG_DATA_HOME="$HOME/.local/share"
mkdir -p "$XDG_DATA_HOME/keyrings"
start() {
  eval "$(printf 'test-keyring-password' | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
}
start
# The first start on a fresh machine has been seen to answer NoStorageAccess once: probe, retry.
for _ in 1 2 3; do
  if printf 'probe' | secret-tool store --label=probe confidant-probe 1 2>/dev/null \
     && secret-tool lookup confidant-probe 1 >/dev/null 2>&1; then
    secret-tool clear confidant-probe 1 || true
    break
  fi
  sleep 1
  start
done
"$@"
