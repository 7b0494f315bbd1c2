#!/usr/bin/env bash
# The Ray Data adapter's tests (issue 21): Ray pinned, in a virtual environment cached outside the repo, with this
# package installed from the working tree (editable); then tests/test_batch_ray.py runs there, Ray on this machine
# against the emulator. One Python version: Ray's wheels lag new CPython releases, and the adapter is thin.
#
# Usage: bash scripts/ray.sh [pytest arguments...]
# The venv lives in ${RAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/azure-ai-inference}/ray-<hash>, the hash being of
# the pins and the Python version; a cold install took 35 s here, a warm run only the tests (about 40 s).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "ray: $*" >&2
  exit 1
}

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
PINS=(
  "ray[data]==2.60.0"
  "pytest==9.2.0"
  "pytest-asyncio==1.5.0"
  "aiohttp==3.14.5"
)

command -v "$PY" >/dev/null || fail "no Python interpreter '$PY' (set PYTHON)"
KEY="$(printf '%s\n' "${PINS[@]}" | "$PY" -c 'import hashlib, sys
print(hashlib.sha256((sys.version + sys.stdin.read()).encode()).hexdigest()[:16])')"
CACHE="${RAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/azure-ai-inference}"
VENV="$CACHE/ray-$KEY"
LOG="$CACHE/ray-$KEY.log"
mkdir -p "$CACHE" || fail "cannot create the cache directory $CACHE"

# A venv is reused only once it was completely installed (the marker is written last).
if [ ! -f "$VENV/.complete" ]; then
  echo "== ray: creating $VENV (cold install, about a minute)"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" >"$LOG" 2>&1 || fail "could not create a virtual environment with $PY (see $LOG)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}" >>"$LOG" 2>&1 ||
    fail "pip could not install the pinned Ray (see $LOG)"
  touch "$VENV/.complete"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e . >"$LOG" 2>&1 ||
  fail "could not install this package from the working tree (see $LOG)"

echo "== ray: pytest tests/test_batch_ray.py"
status=0
RAY_AUTH_MODE=disabled RAY_USAGE_STATS_ENABLED=0 "$VENV/bin/python" -m pytest -q -p no:cacheprovider \
  tests/test_batch_ray.py "$@" || status=$?
[ "$status" = 0 ] || fail "the Ray adapter's tests failed (pytest exit $status)"
