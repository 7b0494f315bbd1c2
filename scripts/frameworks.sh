#!/usr/bin/env bash
# The framework compatibility suite (issue 12): langchain-azure-ai, autogen-ext, semantic-kernel and the two
# llama-index connectors, pinned, in a virtual environment cached outside the repo, with this package installed
# from the working tree over the azure-ai-inference 1.0.0b9 they depend on; then tests/frameworks/ runs there.
#
# Usage: bash scripts/frameworks.sh [--published] [pytest arguments...]
#   --published (or FRAMEWORKS_PUBLISHED=1): run the same tests against the published 1.0.0b9 instead.
# The venv lives in ${FRAMEWORKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/azure-ai-inference}/frameworks-<hash>,
# the hash being of the pins and the Python version; a warm run only reinstalls this package.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "frameworks: $*" >&2
  exit 1
}

PUBLISHED="${FRAMEWORKS_PUBLISHED:-0}"
if [ "${1:-}" = "--published" ]; then
  PUBLISHED=1
  shift
fi
PY="${PYTHON:-python3}"
PINS=(
  "langchain-azure-ai[v1]==1.2.12"
  "autogen-ext[azure]==0.7.5"
  "semantic-kernel[azure]==1.45.0"
  "llama-index-llms-azure-inference==0.8.0"
  "llama-index-embeddings-azure-inference==0.6.0"
  "pytest==9.2.0"
  "pytest-asyncio==1.5.0"
  "aiohttp==3.14.5"
  "setuptools==84.2.1"
)
PUBLISHED_PIN="azure-ai-inference==1.0.0b9"

command -v "$PY" >/dev/null || fail "no Python interpreter '$PY' (set PYTHON)"
KEY="$(printf '%s\n' "${PINS[@]}" | "$PY" -c 'import hashlib, sys
print(hashlib.sha256((sys.version + sys.stdin.read()).encode()).hexdigest()[:16])')"
CACHE="${FRAMEWORKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/azure-ai-inference}"
VENV="$CACHE/frameworks-$KEY"
LOG="$CACHE/frameworks-$KEY.log"
mkdir -p "$CACHE" || fail "cannot create the cache directory $CACHE"

# A venv is reused only once it was completely installed (the marker is written last).
if [ ! -f "$VENV/.complete" ]; then
  echo "== frameworks: creating $VENV (cold install, a few minutes)"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" >"$LOG" 2>&1 || fail "could not create a virtual environment with $PY (see $LOG)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}" >>"$LOG" 2>&1 ||
    fail "pip could not install the pinned frameworks (see $LOG)"
  touch "$VENV/.complete"
fi

if [ "$PUBLISHED" = 1 ]; then
  # The frameworks' own dependency; restore it if an earlier run installed this package over it.
  if ! "$VENV/bin/python" -m pip show azure-ai-inference 2>/dev/null | grep -qx "Version: 1.0.0b9"; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall \
      "$PUBLISHED_PIN" >"$LOG" 2>&1 || fail "could not reinstall $PUBLISHED_PIN (see $LOG)"
  fi
  MODE=published
else
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall \
    --no-build-isolation . >"$LOG" 2>&1 || fail "could not install this package from the working tree (see $LOG)"
  MODE=overlay
fi

echo "== frameworks ($MODE): pytest tests/frameworks"
# The venv's pytest script (not `python -m pytest`, which would put the working tree's azure/ first on sys.path),
# in importlib mode for the same reason: the tests must import the installed package.
status=0
AZURE_AI_INFERENCE_FRAMEWORKS="$MODE" "$VENV/bin/pytest" -q --import-mode=importlib tests/frameworks "$@" ||
  status=$?
[ "$status" = 0 ] || fail "framework tests failed against the $MODE package (pytest exit $status)"
