#!/usr/bin/env bash
# Checks the two toolchains the build needs and says how to get them; installs nothing itself
# (Rust comes from rustup, Node.js from nodejs.org or your package manager).
set -euo pipefail

fail=0
if ! command -v cargo >/dev/null 2>&1; then
  echo "check-toolchain: Rust is missing. Install it with rustup (https://rustup.rs), stable >= 1.92." >&2
  fail=1
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "check-toolchain: Node.js is missing. Install Node.js 20.19+ or 22.12+ with npm." >&2
  fail=1
else
  # Vite 8 needs Node ^20.19 or >= 22.12.
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)'; then
    echo "check-toolchain: Node.js $(node --version) is too old; install 20.19+ or 22.12+." >&2
    fail=1
  fi
fi
exit "$fail"
