#!/usr/bin/env bash
# Runs "$@" on a fresh virtual X screen (Xvfb), then ends every process this run started.
# Meant to run inside `dbus-run-session -- bash scripts/with-keyring.sh …` so the app has a
# private session bus and Secret Service. E2E_SESSION_MARK marks (through the environment,
# which children inherit) the processes started from here; E2E_OUT/logs receives Xvfb's log.
set -euo pipefail
: "${E2E_OUT:?}"
export E2E_SESSION_MARK="e2e-$$-$RANDOM$RANDOM"
mkdir -p "$E2E_OUT/logs"

xvfb_pid=""
cleanup() {
  local rc=$?
  for envf in /proc/[0-9]*/environ; do
    pid="${envf#/proc/}"; pid="${pid%/environ}"
    [ "$pid" = "$$" ] && continue
    if tr '\0' '\n' 2>/dev/null <"$envf" | grep -qx "E2E_SESSION_MARK=$E2E_SESSION_MARK"; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Larger than the 1280×800 window the tests ask for; -displayfd picks a free display number.
dfile="$(mktemp)"
Xvfb -displayfd 1 -screen 0 1600x1000x24 -nolisten tcp >"$dfile" 2>>"$E2E_OUT/logs/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 1 100); do [ -s "$dfile" ] && break; sleep 0.1; done
if [ ! -s "$dfile" ]; then
  echo "e2e: Xvfb did not start (see $E2E_OUT/logs/xvfb.log)" >&2
  exit 1
fi
export DISPLAY=":$(head -n1 "$dfile")"
rm -f "$dfile"
echo "e2e: Xvfb on $DISPLAY, session bus ${DBUS_SESSION_BUS_ADDRESS:-none}"
"$@"
