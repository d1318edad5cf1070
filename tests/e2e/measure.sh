#!/usr/bin/env bash
# Measures, for the closing note: cold start of the real app to its unlock screen against a
# minimal Tauri window (built here in a temp dir, same target dir), and the idle RSS/PSS of all
# app processes with the demo vault open. Needs the build made by scripts/e2e.sh.
#
#   bash tests/e2e/measure.sh            # MEASURE_RUNS=5 by default
#   MEASURE_PROFILE=release bash tests/e2e/measure.sh   # both apps as release builds
#   MEASURE_HEAVY_VAULT=DIR MEASURE_HEAVY_PASS=... bash tests/e2e/measure.sh
#       # also Confidant's idle memory with a large vault unlocked (a confidant-bench vault),
#       # its biggest client's page open and a search run
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$(pwd)"
export CARGO_TARGET_DIR="${E2E_TARGET_DIR:-$HOME/.cache/confidant-target-app}"
# The copies scripts/e2e.sh made (frontend embedded).
export E2E_APP_BINARY="$CARGO_TARGET_DIR/e2e-bin/confidant-app"
cli="$CARGO_TARGET_DIR/e2e-bin/confidant"
for b in "$E2E_APP_BINARY" "$cli"; do
  [ -x "$b" ] || { echo "measure: $b is missing; run scripts/e2e.sh first" >&2; exit 1; }
done
E2E_TAURI_DRIVER="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
export E2E_TAURI_DRIVER

work="$(mktemp -d "${TMPDIR:-/tmp}/confidant-measure.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# A minimal Tauri 2 window: one static page, default features, debug, frontend embedded.
hello="$work/hello"
mkdir -p "$hello/src" "$hello/dist" "$hello/icons"
cat >"$hello/Cargo.toml" <<'EOF'
[package]
name = "measure-hello"
version = "0.1.0"
edition = "2021"

[build-dependencies]
tauri-build = { version = "2", features = [] }

[dependencies]
tauri = { version = "2", features = [] }

[workspace]
EOF
echo 'fn main() { tauri_build::build() }' >"$hello/build.rs"
cat >"$hello/src/main.rs" <<'EOF'
fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("error while running tauri application");
}
EOF
cat >"$hello/tauri.conf.json" <<'EOF'
{
  "productName": "measure-hello",
  "version": "0.1.0",
  "identifier": "com.example.measurehello",
  "build": { "frontendDist": "./dist" },
  "app": { "windows": [{ "title": "hello", "width": 1280, "height": 800 }], "security": { "csp": null } },
  "bundle": { "active": false, "icon": ["icons/icon.png"] }
}
EOF
echo '<!doctype html><html><head><meta charset="utf-8"><title>hello</title></head><body><h1 id="hello">Hello</h1></body></html>' >"$hello/dist/index.html"
cp "$repo/icons/icon.png" "$hello/icons/icon.png" 2>/dev/null || convert -size 64x64 xc:'#3a7a70' PNG32:"$hello/icons/icon.png"
# Same dependency versions as the app, so the shared target dir already has them compiled.
cp "$repo/Cargo.lock" "$hello/Cargo.lock"
profile="${MEASURE_PROFILE:-debug}"
case "$profile" in
  debug) release_flag=() ;;
  release) release_flag=(--release) ;;
  *) echo "measure: MEASURE_PROFILE is debug or release" >&2; exit 1 ;;
esac
echo "measure: building the minimal Tauri app ($profile)"
(cd "$hello" && cargo build --quiet "${release_flag[@]}" --features tauri/custom-protocol)
export MEASURE_HELLO_BINARY="$CARGO_TARGET_DIR/$profile/measure-hello"
if [ "$profile" = release ]; then
  # The same app as scripts/e2e.sh builds (its frontend in ui/dist), optimised.
  echo "measure: building Confidant ($profile)"
  cargo build --quiet --locked --release -p confidant-app --features tauri/custom-protocol
  cp "$CARGO_TARGET_DIR/release/confidant-app" "$work/confidant-app"
  export E2E_APP_BINARY="$work/confidant-app"
fi
export MEASURE_PROFILE="$profile"

echo "measure: making a demo vault"
export MEASURE_DEMO_VAULT="$work/demo-vault"
HOME="$work" "$cli" demo "$MEASURE_DEMO_VAULT" >/dev/null

export E2E_OUT="$work/out" E2E_TMP="$work"
mkdir -p "$E2E_OUT/logs"
echo "measure: $(nproc) cores, $(uname -r), $(date -u +%FT%TZ)"
KEYRING_HOME="$work/keyring-home" dbus-run-session -- \
  bash scripts/with-keyring.sh bash "$repo/tests/e2e/lib/in-session.sh" \
  node "$repo/tests/e2e/measure.mjs"
