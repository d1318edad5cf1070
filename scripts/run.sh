#!/usr/bin/env bash
# Installs what is needed, builds the CLI and opens the demo vault (until the desktop app
# lands, "starting the app" is a guided tour of the demo vault on the command line).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/confidant-target}"

bash scripts/install-system-deps.sh
cargo build --locked -p confidant-cli
bin="$CARGO_TARGET_DIR/debug/confidant"

demo="${CONFIDANT_DEMO_DIR:-$HOME/.local/share/confidant-demo}"
if [ ! -f "$demo/keys.json" ]; then
  "$bin" demo "$demo"
fi
pass="demo lingonberry harbour 2026"
run() { echo; echo "\$ confidant --vault $demo $*"; printf '%s\n' "$pass" | "$bin" --vault "$demo" --passphrase-stdin "$@"; }
run client list --all
run client show 1
run entry show 1
run search "angest"
run search soren
run log verify
echo
echo "The demo vault is in $demo (passphrase: \"$pass\")."
echo "Try: $bin --vault $demo client list"
