#!/usr/bin/env bash
# Installs what is needed and runs every test: formatting, lints, the supply chain (lockfiles
# committed, cargo-deny with security advisories, npm audit, the SBOMs), the generated
# TypeScript bindings, Rust unit and integration tests (core, CLI, desktop shell), the
# quick benchmark (search answers and regression ratios), the UI's checks and tests, the keyring
# test against a real Secret Service, the end-to-end tests of the real desktop app under Xvfb,
# and the release packages (the .deb and .rpm built; the .deb installed, used, upgraded and
# removed on this machine).
#
# `--quick` is the inner loop: no package installs, no fuzzing, no end-to-end tests and no
# release packages (everything else runs). CI and a newcomer's first run use the full command.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    *) echo "usage: scripts/test.sh [--quick]" >&2; exit 2 ;;
  esac
done

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/confidant-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Snapshot mismatches fail instead of writing new snapshots.
export INSTA_UPDATE=no
# Tests never touch a real keyring entry of this user.
export CONFIDANT_KEYRING_NAMESPACE="confidant-test-$$"

step() { printf '\n==> %s  (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

if [ "$quick" = 0 ]; then
  step "system packages"
  bash scripts/install-system-deps.sh
  bash scripts/check-toolchain.sh

  step "ui dependencies (npm ci)"
  if [ ! ui/node_modules/.package-lock.json -nt ui/package-lock.json ]; then
    (cd ui && npm ci --no-audit --no-fund)
  fi
fi

step "cargo-deny"
if ! command -v cargo-deny >/dev/null 2>&1; then
  # 0.20: scripts/deny.sh knows where this version keeps an advisory database.
  cargo install cargo-deny --locked --version '^0.20'
fi

step "test tools (an independent SQLCipher 4 reader for the backup recovery test)"
CONFIDANT_TEST_PYTHON="$(bash scripts/install-test-tools.sh)"
export CONFIDANT_TEST_PYTHON

step "cargo fmt --check, prettier --check"
cargo fmt --all -- --check
(cd ui && npm run --silent format:check)

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "lockfiles are committed (builds use --locked and npm ci)"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  for lockfile in Cargo.lock ui/package-lock.json fuzz/Cargo.lock; do
    if ! git ls-files --error-unmatch -- "$lockfile" >/dev/null 2>&1; then
      echo "$lockfile is not tracked by git: commit it (builds must be reproducible)" >&2
      exit 1
    fi
  done
  echo "Cargo.lock, ui/package-lock.json and fuzz/Cargo.lock are tracked"
else
  echo "not a git checkout: lockfile check skipped"
fi

step "cargo deny check: advisories (live RustSec database, else the committed snapshot), bans, licences, sources"
bash scripts/deny.sh

step "npm audit (ui): high and critical fail"
bash scripts/npm-audit.sh

step "SBOMs (CycloneDX): scripts/sbom.sh"
if [ "$quick" = 1 ] && ! command -v cargo-cyclonedx >/dev/null 2>&1; then
  echo "quick run: cargo-cyclonedx is not installed; SBOM check skipped"
else
  sbom_dir="$(mktemp -d)"
  bash scripts/sbom.sh "$sbom_dir"
  rm -rf "$sbom_dir"
fi

step "TypeScript bindings match the commands (ui/src/lib/bindings.ts)"
cargo run --locked -q -p confidant-app --bin export-bindings -- --check

step "cargo test"
cargo test --workspace --locked

if [ "$quick" = 0 ]; then
  step "fuzzing: 60 s per target (scripts/fuzz.sh; a crash fails and lands in fuzz/regressions)"
  bash scripts/fuzz.sh 60
fi

step "benchmark, quick mode (6,000 notes): search answers and regression ratios"
cargo run --locked -q -p confidant-bench -- --quick

step "keyring against a real Secret Service (gnome-keyring in a private D-Bus session)"
dbus-run-session -- bash scripts/with-keyring.sh \
  cargo test --locked -p confidant-cli --test it -- --ignored real_secret_service

step "ui: svelte-check, vitest"
(cd ui && npm run --silent check && npm test)

if [ "$quick" = 1 ]; then
  echo "quick run: end-to-end tests and release packages skipped (run scripts/test.sh for everything)"
  exit 0
fi

step "end-to-end: the real app under Xvfb (tauri-driver + WebKitWebDriver)"
# Same target dir as above: on a fresh machine the app is compiled once, not twice.
E2E_TARGET_DIR="$CARGO_TARGET_DIR" E2E_SKIP_INSTALL=1 bash scripts/e2e.sh

step "release packages: .deb and .rpm from the Tauri bundler (scripts/release.sh)"
RELEASE_SKIP_INSTALL=1 bash scripts/release.sh

step "release packages: install, use, upgrade, uninstall the .deb (scripts/package-test.sh)"
bash scripts/package-test.sh
