#!/usr/bin/env bash
# The suite at both ends of the dependency range, on one CPython (3.11):
#   .venv-floors   every direct dependency and user-facing extra (aio, opentelemetry, prompts) at the lowest version
#                  pyproject.toml allows (scripts/floors.py), the test tools as pip resolves them around those;
#   .venv-3.11     everything at its newest (the venv of scripts/versions.sh, upgraded), the suite run as it is and
#                  with AZURE_AI_INFERENCE_PUBLIC_CORE=1, which turns off every azure-core private shortcut (_core.py).
# The venvs are built side by side, then the suites run side by side (two cores). .ci/run sets NEWEST_TESTED=1:
# scripts/versions.sh has just run the suite in a new .venv-3.11, so only the other two runs are left.
# Extra arguments go to pytest. PYTHON picks the interpreter (default python3.11). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
newest=".venv-$version"  # scripts/versions.sh's venv for that version
pip_quiet=(--quiet)
if [ "${CI:-}" = true ]; then pip_quiet=(--quiet --quiet --progress-bar off); fi
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

"$PYTHON" scripts/floors.py >"$logs/floors.txt"

venv() {  # name pip-arguments...: (re)creates .venv-name if needed and installs the package with its dev extra
  local venv=".venv-$1"
  shift
  if ! "$venv/bin/python" -c '' 2>/dev/null; then
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
  fi
  local install=("$venv/bin/python" -m pip install "${pip_quiet[@]}" "$@" -e ".[dev]")
  # One install at a time writes into this tree (the egg-info), as in scripts/test.sh.
  if command -v flock >/dev/null; then install=(flock pyproject.toml "${install[@]}"); fi
  "${install[@]}"
}

start=$SECONDS
venv floors -c "$logs/floors.txt" >"$logs/floors-install.log" 2>&1 &
floors_install=$!
venv "$version" --upgrade --upgrade-strategy eager >"$logs/newest-install.log" 2>&1 || {
  cat "$logs/newest-install.log"
  exit 1
}
wait "$floors_install" || {
  cat "$logs/floors-install.log"
  exit 1
}
echo "== installed in $((SECONDS - start)) s"

versions() {  # the installed versions of the packages scripts/floors.py pins
  "$1/bin/python" -m pip list --format=freeze 2>/dev/null |
    grep -iE "^($(cut -d= -f1 "$logs/floors.txt" | sed 's/[-_]/[-_]/g' | paste -sd'|' -))==" | paste -sd' ' -
}
suite() {  # name venv [env...]: the suite in that venv, its output in $logs/name.log
  local name=$1 venv=$2 begin=$SECONDS
  shift 2
  echo "== $name: $(versions "$venv")" >"$logs/$name.log"
  local status=0
  env "$@" "$venv/bin/python" -m pytest -q "${pytest_args[@]}" >>"$logs/$name.log" 2>&1 || status=$?
  echo "== $name: pytest exit $status in $((SECONDS - begin)) s" >>"$logs/$name.log"
  return $status
}
pytest_args=("$@")
runs=(floors public-core)
[ "${NEWEST_TESTED:-}" = 1 ] || runs+=(newest)
status=0
suite floors .venv-floors &
floors=$!
suite public-core "$newest" AZURE_AI_INFERENCE_PUBLIC_CORE=1 || status=1
if [ "${NEWEST_TESTED:-}" != 1 ]; then suite newest "$newest" || status=1; fi
wait "$floors" || status=1
for name in "${runs[@]}"; do cat "$logs/$name.log"; done
for name in "${runs[@]}"; do
  echo "==== $name: $(grep -E '^(=+ )?[0-9]+ (passed|failed)' "$logs/$name.log" | tail -n 1 | tr -d =)"
done
exit "$status"
