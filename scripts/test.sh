#!/usr/bin/env bash
# Installs what is needed and runs every test: formatting, lints, dependency policy, unit and
# integration tests, and the keyring test against a real Secret Service.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/confidant-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Snapshot mismatches fail instead of writing new snapshots.
export INSTA_UPDATE=no
# Tests never touch a real keyring entry of this user.
export CONFIDANT_KEYRING_NAMESPACE="confidant-test-$$"

step() { printf '\n==> %s\n' "$*"; }

step "system packages"
bash scripts/install-system-deps.sh

step "cargo-deny"
if ! command -v cargo-deny >/dev/null 2>&1; then
  cargo install cargo-deny --locked
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo deny check"
# Advisories need the RustSec database from GitHub, which this network does not reach;
# licences, bans and sources are checked against the lockfile.
cargo deny check bans licenses sources

step "cargo test"
cargo test --workspace --locked

step "keyring against a real Secret Service (gnome-keyring in a private D-Bus session)"
dbus-run-session -- bash scripts/with-keyring.sh \
  cargo test --locked -p confidant-cli --test it -- --ignored real_secret_service
