#!/usr/bin/env bash
# The README's test command: creates a virtual environment if needed, installs the package with its dev
# extra, then runs ruff, mypy --strict on the package and the test suite (extra arguments go to pytest).
#   bash scripts/test.sh                        python3, in .venv
#   PYTHON=python3.9 bash scripts/test.sh       that interpreter (a command or a path), in .venv-3.9
# pip prints warnings and errors, with CI=true errors only.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${PYTHON:-}" ]; then
  if ! version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); then
    echo "scripts/test.sh: PYTHON=$PYTHON does not run a Python interpreter" >&2
    exit 2
  fi
  venv=".venv-$version"
else
  PYTHON=python3
  venv=.venv
fi
pip_quiet=(--quiet)
if [ "${CI:-}" = true ]; then
  pip_quiet=(--quiet --quiet --progress-bar off)  # errors only
fi
if ! "$venv/bin/python" -c '' 2>/dev/null; then
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install "${pip_quiet[@]}" --upgrade pip
fi
install=("$venv/bin/python" -m pip install "${pip_quiet[@]}" -e ".[dev]")
# One install at a time: scripts/versions.sh runs versions side by side, and the build writes into this tree.
if command -v flock >/dev/null; then install=(flock pyproject.toml "${install[@]}"); fi
"${install[@]}"
echo "== $("$venv/bin/python" -VV | head -n 1) in $venv"
echo "== ruff"
"$venv/bin/ruff" check .
echo "== mypy --strict"
"$venv/bin/mypy" --strict -p azure.ai.inference
echo "== pytest"
"$venv/bin/python" -m pytest -q "$@"
