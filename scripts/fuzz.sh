#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ (cargo-fuzz, libFuzzer, coverage-guided) for SECONDS each:
# 60 in the test command, 600 in the trust report's long mode. Works on the stable toolchain
# (no sanitizer: `-s none`; Rust's own bounds and UTF-8 checks still abort on a bug).
#
# Starts from the committed seeds (fuzz/corpus/<target>, made by the core's own code: see
# crates/core/src/fuzzing.rs) plus what earlier runs on this machine found (under ~/.cache).
# A crash fails the run, and its input is copied to fuzz/regressions/<target>/, where the
# core's tests replay it on every `cargo test` from then on: commit it with the fix.
#
# usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]
# With CONFIDANT_TRUST_OUT set, writes fuzz.json there (runs, coverage, crashes per target).
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-60}"
shift || true
all=(backup_archive key_file import_package national_id attachment ipc_args backup_manifest)
[ "$#" -gt 0 ] && targets=("$@") || targets=("${all[@]}")

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version '^0.13'
fi
# Its own target folder: the instrumented build never invalidates the main one.
export CARGO_TARGET_DIR="${CONFIDANT_FUZZ_TARGET_DIR:-$HOME/.cache/confidant-fuzz-target}"
work="${CONFIDANT_FUZZ_WORK:-$HOME/.cache/confidant-fuzz-work}"
mkdir -p "$work"

echo "fuzz: building ${#targets[@]} targets (release, coverage instrumentation)"
(cd fuzz && cargo fuzz build -s none -O)

failed=0
json="["
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "$work/artifacts/$t"
  log="$work/$t.log"
  set +e
  (cd fuzz && cargo fuzz run -s none -O "$t" "$work/$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=20 -rss_limit_mb=3072 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$t/") >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  corp=$(find "$work/$t" -type f | wc -l)
  crashes=0
  if [ "$rc" != 0 ]; then
    failed=1
    mkdir -p "fuzz/regressions/$t"
    for a in "$work/artifacts/$t"/*; do
      [ -f "$a" ] || continue
      cp "$a" "fuzz/regressions/$t/"
      crashes=$((crashes + 1))
    done
    echo "fuzz: $t FAILED (exit $rc); inputs copied to fuzz/regressions/$t/. Log tail:" >&2
    tail -40 "$log" >&2
  fi
  printf 'fuzz: %-16s %5ss  %10s runs  coverage %6s  corpus %5s  crashes %s\n' \
    "$t" "$secs" "${runs:-?}" "${cov:-?}" "$corp" "$crashes"
  json+="{\"target\":\"$t\",\"seconds\":$secs,\"runs\":${runs:-0},\"coverage\":${cov:-0},\"corpus\":$corp,\"crashes\":$crashes},"
done
json="${json%,}]"
if [ -n "${CONFIDANT_TRUST_OUT:-}" ]; then
  mkdir -p "$CONFIDANT_TRUST_OUT"
  echo "$json" >"$CONFIDANT_TRUST_OUT/fuzz.json"
fi
exit "$failed"
