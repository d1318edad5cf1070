#!/usr/bin/env bash
# The dependency policy (deny.toml) with cargo-deny: security advisories, banned crates,
# licences and sources, for every crate in Cargo.lock. Run by scripts/test.sh.
#
# Advisories come from the live RustSec database when GitHub answers within a few seconds, and
# otherwise from the snapshot committed in supply-chain/advisory-db.tar.xz (refresh it with
# scripts/refresh-advisory-db.sh). A snapshot older than 90 days is a warning, not a failure.
# Any vulnerability advisory that affects Cargo.lock fails, as do unmaintained or unsound
# crates not ignored by id (with a reason) in deny.toml.
#
#   CONFIDANT_ADVISORY_DB=auto      live if reachable, else the snapshot (the default)
#   CONFIDANT_ADVISORY_DB=snapshot  never try the network
#   CONFIDANT_ADVISORY_DB=live      fail when the live database cannot be fetched
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${CONFIDANT_ADVISORY_DB:-auto}"
case "$mode" in auto | snapshot | live) ;; *)
  echo "CONFIDANT_ADVISORY_DB must be auto, snapshot or live (not '$mode')" >&2
  exit 2
  ;;
esac
snapshot=supply-chain/advisory-db.tar.xz
max_age_days=90
live_url=https://github.com/rustsec/advisory-db
# cargo-deny keeps a database in <db-path>/<last URL segment>-<xxh64 of the URL>; this is the
# directory for its default URL (cargo-deny 0.20). Should a release change the scheme, the check
# below fails with "failed to get 'FETCH_HEAD' metadata" and names the directory it wanted.
db_dir=advisory-db-3157b0e258782691

if ! command -v cargo-deny >/dev/null 2>&1; then
  cargo install cargo-deny --locked --version '^0.20'
fi
case "$(cargo deny --version)" in
  "cargo-deny 0.20."*) ;;
  *) echo "deny: cargo-deny 0.20 is needed (its database folder name is built in above); found: $(cargo deny --version)" >&2
     exit 1 ;;
esac

# cargo-deny runs offline below (no crates.io index update, no database fetch): the crates must
# be on disk. Only when they are not is crates.io asked.
if ! cargo metadata --locked --offline --format-version 1 >/dev/null 2>&1; then
  cargo fetch --locked
fi

config=deny.toml
db_desc=
db_date=
tmp=
trap '[ -z "$tmp" ] || rm -rf "$tmp"' EXIT

if [ "$mode" != snapshot ]; then
  if GIT_TERMINAL_PROMPT=0 timeout 6 git ls-remote "$live_url" HEAD >/dev/null 2>&1 \
    && timeout 180 cargo deny fetch db; then
    live="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs/$db_dir"
    db_date="$(git -C "$live" show -s --format=%cI HEAD 2>/dev/null || date -u +%FT%TZ)"
    db_desc="live RustSec database ($(git -C "$live" rev-parse --short HEAD 2>/dev/null || echo '?'), $db_date)"
  elif [ "$mode" = live ]; then
    echo "error: the live advisory database ($live_url) could not be fetched" >&2
    exit 1
  else
    echo "The live advisory database ($live_url) is not reachable; using the committed snapshot."
  fi
fi

if [ -z "$db_desc" ]; then
  [ -f "$snapshot" ] || { echo "error: $snapshot is missing" >&2; exit 1; }
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/confidant-deny.XXXXXX")"
  mkdir "$tmp/dbs"
  tar -xJf "$snapshot" -C "$tmp"
  mv "$tmp/advisory-db" "$tmp/dbs/$db_dir"
  db="$tmp/dbs/$db_dir"
  db_date="$(sed -n 's/^date: //p' "$db/SNAPSHOT")"
  # Without a date the age check below would read "today": refuse instead.
  [ -n "$db_date" ] || { echo "deny: the advisory snapshot has no date line in SNAPSHOT" >&2; exit 1; }
  commit="$(sed -n 's/^commit: //p' "$db/SNAPSHOT")"
  count="$(sed -n 's/^advisories: //p' "$db/SNAPSHOT")"
  # cargo-deny 0.20 reads the advisories from crates/**.md and wants a git checkout: the time of
  # the last fetch is .git/FETCH_HEAD's mtime (or else HEAD's commit time). A one-commit
  # repository dated as upstream's commit, with a fresh FETCH_HEAD: the age is judged here
  # (below), from SNAPSHOT, and cargo-deny's own 90-day staleness error does not apply.
  (
    cd "$db"
    export GIT_AUTHOR_DATE="$db_date" GIT_COMMITTER_DATE="$db_date"
    git init -q --template= .
    git add -A
    git -c user.name=snapshot -c user.email=snapshot@invalid -c commit.gpgsign=false \
      commit -q -m "rustsec/advisory-db $commit"
    echo "$commit	snapshot of $live_url" >.git/FETCH_HEAD
  )
  marker='^# db-path = (set by scripts/deny.sh.*$'
  grep -q "$marker" deny.toml || {
    echo "error: deny.toml lost its '# db-path = (set by scripts/deny.sh ...' line" >&2
    exit 1
  }
  # Same line numbers as deny.toml, so cargo-deny's diagnostics point at the right lines.
  config="$tmp/deny.toml"
  sed "s|$marker|db-path = \"$tmp/dbs\"|" deny.toml >"$config"
  db_desc="snapshot of $live_url at ${commit:0:12}, $db_date, $count advisories ($snapshot)"
fi

echo "Advisory database: $db_desc"
age_days=$((($(date -u +%s) - $(date -u -d "$db_date" +%s)) / 86400))
echo "Advisory database date: ${db_date%%T*} ($age_days days old)"
if [ "$age_days" -gt "$max_age_days" ]; then
  echo "warning: the advisory database is older than $max_age_days days: advisories published since" >&2
  echo "warning: ${db_date%%T*} are not checked.${tmp:+ Refresh the snapshot: see SECURITY.md, Supply chain.}" >&2
fi
echo "Crates in Cargo.lock: $(grep -c '^\[\[package\]\]' Cargo.lock)"

status=0
cargo deny --offline --locked --config "$config" check --show-stats \
  advisories bans licenses sources || status=$?
if [ "$status" != 0 ]; then
  echo "cargo deny: FAILED (advisory database: $db_desc)" >&2
  exit "$status"
fi
echo "cargo deny: ok (advisory database of ${db_date%%T*})"
