#!/usr/bin/env bash
# Install the benchmark's outside tools: Hugo from Debian and check-jsonschema from PyPI in
# its own venv under ${TMPDIR:-/tmp}/svccat-bench/tools/ (not in the project's environment).
# Idempotent: does nothing when both are already there. Run by `make bench`, not by the tests.
set -euo pipefail

TOOLS="${TMPDIR:-/tmp}/svccat-bench/tools"
PYTHON="${PYTHON:-python3}"

if ! command -v hugo >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq hugo >/dev/null
fi

if [ ! -x "$TOOLS/venv/bin/check-jsonschema" ]; then
    mkdir -p "$TOOLS"
    "$PYTHON" -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/python" -m pip install --quiet --upgrade pip
    "$TOOLS/venv/bin/python" -m pip install --quiet check-jsonschema
fi

echo "hugo: $(command -v hugo) ($(hugo version))"
echo "check-jsonschema: $TOOLS/venv/bin/check-jsonschema ($("$TOOLS/venv/bin/check-jsonschema" --version))"
