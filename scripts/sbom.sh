#!/usr/bin/env bash
# Software bills of materials (CycloneDX 1.5, JSON) of what a release ships, into OUTDIR:
#
#   confidant-app.cdx.json       the desktop app's Rust crates (as released: custom-protocol)
#   confidant-cli.cdx.json       the `confidant` command line's Rust crates
#   confidant-ui.cdx.json        the UI's npm runtime dependencies (package-lock.json, no dev)
#   confidant-ui-build.cdx.json  every npm package of the UI build, dev included: the bundle
#                                carries code of some of them (svelte is a devDependency)
#
# The Rust ones are for the machine's target (x86_64-unknown-linux-gnu on the Linux release
# builder), with each crate's licence and Cargo.lock's SHA-256; the npm ones carry the
# lockfile's SHA-512 integrity. Timestamps follow SOURCE_DATE_EPOCH (default: the commit's time).
#
#   bash scripts/sbom.sh OUTDIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -ne 1 ]; then
  echo "usage: bash scripts/sbom.sh OUTDIR" >&2
  exit 2
fi
mkdir -p "$1"
out="$(cd "$1" && pwd)"
cd "$root"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/confidant-target}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

if ! command -v cargo-cyclonedx >/dev/null 2>&1; then
  echo "sbom: installing cargo-cyclonedx into ~/.cargo/bin (once; a few minutes)"
  # Its own build directory: not the project's, whose lock a running build may hold.
  env -u CARGO_TARGET_DIR cargo install cargo-cyclonedx --locked --version '^0.5'
fi

# cargo-cyclonedx runs `cargo metadata` without --locked, which would rewrite a Cargo.lock that
# no longer matches Cargo.toml. Refuse first; check after.
cargo metadata --locked --format-version 1 >/dev/null
lock_before="$(sha256sum Cargo.lock)"

# cargo-cyclonedx writes <package>.cdx.json beside each workspace member's Cargo.toml; the two
# shipped ones are moved to OUTDIR and the others removed.
stamp="$(mktemp)"
cleanup() {
  find crates src-tauri -maxdepth 2 -name 'confidant-*.cdx.json' -newer "$stamp" -delete 2>/dev/null || true
  rm -f "$stamp"
}
trap cleanup EXIT
cargo cyclonedx --manifest-path src-tauri/Cargo.toml --features custom-protocol \
  --format json --spec-version 1.5 -q
mv src-tauri/confidant-app.cdx.json "$out/confidant-app.cdx.json"
mv crates/cli/confidant-cli.cdx.json "$out/confidant-cli.cdx.json"
cleanup
trap - EXIT
if [ "$(sha256sum Cargo.lock)" != "$lock_before" ]; then
  echo "sbom: Cargo.lock changed while the SBOM was made" >&2
  exit 1
fi

# From the lockfile alone: exactly what `npm ci` installs, with or without node_modules.
(cd ui && npm sbom --sbom-format cyclonedx --sbom-type application --package-lock-only --omit dev) \
  >"$out/confidant-ui.cdx.json"
(cd ui && npm sbom --sbom-format cyclonedx --sbom-type application --package-lock-only) \
  >"$out/confidant-ui-build.cdx.json"

node scripts/sbom-check.mjs "$root" "$out"/confidant-{app,cli,ui,ui-build}.cdx.json
