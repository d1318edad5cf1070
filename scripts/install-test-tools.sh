#!/usr/bin/env bash
# Installs test-only tools that are not system packages, in a virtualenv under ~/.cache: an
# independent SQLCipher 4 reader (PyPI sqlcipher3-binary, the backup recovery test) and a JSON
# Schema validator (PyPI jsonschema, the export's data.json against its committed schema).
# Prints the python path to use on stdout (scripts/test.sh exports it as CONFIDANT_TEST_PYTHON).
set -euo pipefail

VENV="${CONFIDANT_TEST_VENV:-$HOME/.cache/confidant-test-venv}"
if ! "$VENV/bin/python" -c 'import sqlcipher3, jsonschema' >/dev/null 2>&1; then
  echo "install-test-tools: creating $VENV with sqlcipher3-binary and jsonschema" >&2
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'sqlcipher3-binary>=0.5' 'jsonschema>=4.18' >&2
fi
"$VENV/bin/python" -c 'import sqlcipher3; c = sqlcipher3.connect(":memory:"); print(c.execute("PRAGMA cipher_version").fetchone()[0])' >&2
echo "$VENV/bin/python"
