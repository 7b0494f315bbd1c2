#!/usr/bin/env bash
# The README's test command: creates .venv if needed, installs the package with its dev extra,
# then runs the test suite, ruff and mypy --strict on the package.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
echo "== ruff"
.venv/bin/ruff check .
echo "== mypy --strict"
.venv/bin/mypy --strict -p azure.ai.inference
echo "== pytest"
.venv/bin/python -m pytest -q "$@"
