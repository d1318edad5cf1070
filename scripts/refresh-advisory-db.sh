#!/usr/bin/env bash
# Refreshes the committed snapshot of the RustSec advisory database that scripts/deny.sh uses
# when the live database cannot be fetched.
#
#   git clone https://github.com/rustsec/advisory-db /tmp/advisory-db
#   bash scripts/refresh-advisory-db.sh /tmp/advisory-db      # optional 2nd argument: a ref
#
# The path may be a checkout or a bare git directory. Only what cargo-deny reads goes in
# (`crates/**.md`), with the licence files (CC0-1.0; GHSA-derived text is CC-BY-4.0) and a
# SNAPSHOT file naming the upstream commit and its date. Commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: scripts/refresh-advisory-db.sh PATH-TO-ADVISORY-DB-CHECKOUT [REF]" >&2
  exit 2
fi
src="$1"
ref="${2:-HEAD}"
out=supply-chain/advisory-db.tar.xz

commit="$(git -C "$src" rev-parse --verify "$ref^{commit}")"
date="$(git -C "$src" show -s --format=%cI "$commit")"
epoch="$(git -C "$src" show -s --format=%ct "$commit")"
git -C "$src" cat-file -e "$commit:crates" || { echo "$src: no crates/ at $commit" >&2; exit 1; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/advisory-db"
git -C "$src" archive --format=tar "$commit" crates LICENSE.txt LICENSES \
  | tar -x -C "$stage/advisory-db"
# Only the advisories themselves.
find "$stage/advisory-db/crates" -type f ! -name '*.md' -delete
count="$(find "$stage/advisory-db/crates" -type f -name '*.md' | wc -l)"
cat >"$stage/advisory-db/SNAPSHOT" <<SNAP
source: https://github.com/rustsec/advisory-db
commit: $commit
date: $date
advisories: $count
SNAP

mkdir -p "$(dirname "$out")"
# Reproducible: sorted names, fixed owner and times, single-threaded xz.
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
  -C "$stage" -cf - advisory-db | xz -T1 -9e >"$out.tmp"
mv "$out.tmp" "$out"

cat "$stage/advisory-db/SNAPSHOT"
echo "wrote $out ($(du -k "$out" | cut -f1) KiB)"
echo "now update the snapshot date in SECURITY.md (Supply chain) and commit both"
