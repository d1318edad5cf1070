#!/usr/bin/env bash
# End-to-end tests of the real desktop app: builds the UI and the app with the frontend
# embedded, then drives the window through tauri-driver + WebKitWebDriver on a virtual X screen
# (Xvfb), inside a private D-Bus session with a throwaway gnome-keyring. Each test gets its own
# HOME, XDG dirs and vault folder in a temp dir. Screenshots (sv + en) go to tests/screenshots/.
#
#   bash scripts/e2e.sh                               # install, build, run every e2e test
#   E2E_SKIP_BUILD=1 bash scripts/e2e.sh              # reuse the last build
#   bash scripts/e2e.sh tests/e2e/demo.test.mjs       # only some test files
#
# Exits non-zero when a test fails; the last line is "e2e: pass N, fail M, cancelled C".
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

# The app has its own target dir so it does not wait on the workspace build's lock.
export CARGO_TARGET_DIR="${E2E_TARGET_DIR:-$HOME/.cache/confidant-target-app}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

if [ -z "${E2E_SKIP_INSTALL:-}" ]; then
  bash scripts/install-system-deps.sh
fi
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "e2e: installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi
E2E_TAURI_DRIVER="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
export E2E_TAURI_DRIVER

if [ -z "${E2E_SKIP_BUILD:-}" ]; then
  echo "e2e: building the UI"
  # npm ci only when the lockfile changed since the last install (it empties node_modules).
  if [ ! ui/node_modules/.package-lock.json -nt ui/package-lock.json ]; then
    (cd ui && npm ci --no-audit --no-fund)
  fi
  (cd ui && npm run build)
  echo "e2e: building the app (debug, frontend embedded) and the CLI (independent DB checks)"
  # tauri/custom-protocol makes Tauri serve the embedded ui/dist instead of the dev server URL
  # (what `tauri build` turns on), while keeping a debug build.
  # One difference from the shipped config: the window is not `incognito`. wry gives an
  # incognito webview an ephemeral WebKit context that WebDriver automation cannot attach to
  # ("failed to create a new browsing context"). The tests check web storage themselves.
  TAURI_CONFIG="$(node -e "
    const c = require('./src-tauri/tauri.conf.json');
    const windows = c.app.windows.map((w) => ({ ...w, incognito: false }));
    console.log(JSON.stringify({ app: { windows } }));")" \
    cargo build --locked -p confidant-app --features tauri/custom-protocol
  cargo build --locked -p confidant-cli
fi
# A private copy: a later plain `cargo build` (no custom-protocol) would overwrite the binary in
# the target dir with one that loads the dev server instead of the embedded UI.
E2E_BIN_DIR="$CARGO_TARGET_DIR/e2e-bin"
if [ -z "${E2E_SKIP_BUILD:-}" ]; then
  mkdir -p "$E2E_BIN_DIR"
  cp "$CARGO_TARGET_DIR/debug/confidant-app" "$CARGO_TARGET_DIR/debug/confidant" "$E2E_BIN_DIR/"
fi
export E2E_APP_BINARY="$E2E_BIN_DIR/confidant-app"
export E2E_CLI_BINARY="$E2E_BIN_DIR/confidant"
[ -x "$E2E_APP_BINARY" ] || { echo "e2e: $E2E_APP_BINARY is missing; run without E2E_SKIP_BUILD" >&2; exit 1; }

export E2E_OUT="${E2E_OUT:-$repo/tests/screenshots}"
rm -rf "$E2E_OUT"
mkdir -p "$E2E_OUT/logs"
E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/confidant-e2e.XXXXXX")"
export E2E_TMP
trap 'rm -rf "$E2E_TMP"' EXIT

if [ $# -eq 0 ]; then
  set -- tests/e2e/*.test.mjs
fi
tap="$E2E_OUT/logs/results.tap"
set +e
# with-keyring.sh gives the keyring its own HOME; the tests give the app another one per test.
KEYRING_HOME="$E2E_TMP/keyring-home" dbus-run-session -- \
  bash scripts/with-keyring.sh bash "$repo/tests/e2e/lib/in-session.sh" \
  node --test --test-concurrency=1 --test-timeout=600000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "$@"
rc=$?
set -e
pass="$(awk '/^# pass /{print $3}' "$tap" 2>/dev/null)"
fail="$(awk '/^# fail /{print $3}' "$tap" 2>/dev/null)"
cancelled="$(awk '/^# cancelled /{print $3}' "$tap" 2>/dev/null)"
skipped="$(awk '/^# skipped /{print $3}' "$tap" 2>/dev/null)"
todo="$(awk '/^# todo /{print $3}' "$tap" 2>/dev/null)"
echo "e2e: screenshots and logs in $E2E_OUT"
echo "e2e: pass ${pass:-0}, fail ${fail:-?}, cancelled ${cancelled:-0}, skipped ${skipped:-0}, todo ${todo:-0}"
# A skipped or unfinished test proves nothing: it fails the run.
if [ "$rc" -eq 0 ] && [ "${skipped:-0}${todo:-0}" != "00" ]; then
  echo "e2e: skipped or todo tests fail the run" >&2
  rc=1
fi
if [ "$rc" -eq 0 ] && [ "${pass:-0}" -eq 0 ]; then
  echo "e2e: no test ran" >&2
  rc=1
fi
exit "$rc"
