#!/usr/bin/env bash
# Installs what is needed, builds the UI and the desktop app, and starts it.
#
#   bash scripts/run.sh           # your vault (first run: create one, or open the demo, or restore)
#   bash scripts/run.sh --demo    # straight into the demo vault with fictional clients
#
# Without a display (a server, a container) it starts under a virtual screen (Xvfb) so the
# build can still be checked; on a desktop it opens a normal window.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/confidant-target}"

bash scripts/install-system-deps.sh
bash scripts/check-toolchain.sh

echo "run: building the UI"
if [ ! ui/node_modules/.package-lock.json -nt ui/package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
(cd ui && npm run build)

echo "run: building the desktop app"
# tauri/custom-protocol serves the embedded ui/dist instead of the Vite dev server.
cargo build --locked -p confidant-app --features tauri/custom-protocol
cargo build --locked -p confidant-cli
bin="$CARGO_TARGET_DIR/debug/confidant-app"

echo "run: starting Confidant (the CLI is $CARGO_TARGET_DIR/debug/confidant)"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin" "$@"
fi
echo "run: no display found; starting under Xvfb in a private D-Bus session"
exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" "$bin" "$@"
