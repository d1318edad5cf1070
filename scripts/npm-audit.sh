#!/usr/bin/env bash
# npm audit of ui/ (package-lock.json) at high severity: first the runtime dependencies
# (--omit=dev), then every package, dev included: the build tools and test libraries, some of
# whose code is bundled into the app (svelte is a devDependency). Run by scripts/test.sh.
#
# A high or critical finding fails. When the registry's audit endpoint does not answer (some
# registry mirrors and proxies refuse its POST), this says so and passes: nothing was checked.
set -euo pipefail
cd "$(dirname "$0")/../ui"

# Only an unreachable audit service may pass unchecked; a missing tool or lockfile fails.
for tool in npm node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "npm-audit: $tool is not installed" >&2; exit 1; }
done
[ -f package-lock.json ] || { echo "npm-audit: ui/package-lock.json is missing" >&2; exit 1; }

# Reads `npm audit --json` on stdin. Exit 0: no high or critical finding; 1: some; 3: no report.
# shellcheck disable=SC2016 # JavaScript, not shell
verdict='
let text = "";
process.stdin.on("data", (c) => (text += c)).on("end", () => {
  let r;
  try { r = JSON.parse(text); } catch { r = null; }
  const v = r && r.metadata && r.metadata.vulnerabilities;
  if (!v) {
    const why = (r && (r.message || (r.error && r.error.summary))) || text.trim().split("\n")[0] || "no output";
    console.log(`the registry did not answer (${why})`);
    process.exit(3);
  }
  const deps = r.metadata.dependencies && r.metadata.dependencies.total;
  console.log(`critical ${v.critical}, high ${v.high}, moderate ${v.moderate}, low ${v.low}, info ${v.info}` +
    (deps === undefined ? "" : ` (${deps} packages)`));
  process.exit(v.critical + v.high > 0 ? 1 : 0);
});'

status=0
unchecked=0
audit() {
  local label="$1"
  shift
  local args=(--audit-level=high --fetch-retries=1 --fetch-timeout=30000 "$@")
  local rc=0 summary
  # npm's own exit status says little (it fails for the 405 and for findings alike): the report
  # decides.
  summary="$({ npm audit --json "${args[@]}" 2>/dev/null || true; } | node -e "$verdict")" || rc=$?
  case "$rc" in
    0) echo "npm audit, $label: $summary" ;;
    1)
      echo "npm audit, $label: $summary" >&2
      npm audit "${args[@]}" >&2 || true
      status=1
      ;;
    *)
      echo "npm audit, $label: NOT CHECKED: $summary"
      unchecked=1
      ;;
  esac
}

audit "runtime dependencies (--omit=dev)" --omit=dev
audit "all dependencies (dev included)"

if [ "$status" != 0 ]; then
  echo "npm audit: FAILED: high or critical advisories (above). Update within semver:" >&2
  echo "  (cd ui && npm audit fix --package-lock-only)   then review and commit package-lock.json" >&2
  exit 1
fi
if [ "$unchecked" = 1 ]; then
  echo "npm audit: the registry's audit endpoint did not answer; the UI's dependencies were NOT checked"
  echo "for advisories (not a failure). Run scripts/npm-audit.sh where https://registry.npmjs.org answers."
fi
