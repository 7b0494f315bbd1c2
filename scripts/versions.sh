#!/usr/bin/env bash
# Runs a command once per supported CPython version, with PYTHON set to that interpreter:
#   bash scripts/versions.sh                          scripts/test.sh (ruff, mypy, the suite) on each
#   bash scripts/versions.sh bash scripts/other.sh    any other command on each
# The versions are those of the "Programming Language :: Python :: 3.X" classifiers in pyproject.toml, so the
# classifiers list exactly what CI runs; PYTHONS="3.9 3.13" picks a subset. Each interpreter is python3.X on
# PATH or the newest 3.X.* under pyenv; a missing one fails the run, naming it. Prints each version's time.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- bash scripts/test.sh

classified=$(sed -n 's/.*"Programming Language :: Python :: \(3\.[0-9]*\)".*/\1/p' pyproject.toml | sort -V)
lowest=$(head -n 1 <<<"$classified")
if ! grep -q "^requires-python = \">=$lowest\"" pyproject.toml \
  || ! grep -q "^target-version = \"py${lowest/./}\"" pyproject.toml; then
  echo "scripts/versions.sh: requires-python and ruff's target-version in pyproject.toml must both name" \
    "the lowest classified version, $lowest" >&2
  exit 2
fi

# The path of a working interpreter for version $1, or nothing.
find_python() {
  local candidate
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  if command -v pyenv >/dev/null; then root=$(pyenv root); fi
  for candidate in "python$1" $(ls -d "$root/versions/$1".[0-9]* 2>/dev/null | grep -E '/[0-9.]+$' | sort -rV \
    | sed "s|\$|/bin/python$1|"); do
    if [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$1" ]; then
      command -v "$candidate"
      return
    fi
  done
}

versions=${PYTHONS:-$classified}
declare -A pythons
for version in $versions; do
  pythons[$version]=$(find_python "$version")
  if [ -z "${pythons[$version]}" ]; then
    echo "scripts/versions.sh: CPython $version not found (neither python$version on PATH nor under pyenv);" \
      "install it (pyenv install $version) or pick others with PYTHONS=" >&2
    exit 2
  fi
done

newest=$(tail -n 1 <<<"$classified")
next="3.$((${newest#3.} + 1))"
if [ -n "$(find_python "$next")" ]; then
  echo "scripts/versions.sh: note: CPython $next is here but not among the classifiers, so not tested" >&2
fi

# Versions run side by side, JOBS at a time (default: one per core); with more than one, each version's output
# is printed once all are done. The summary gives each version's outcome, time and pytest's last line.
jobs=${JOBS:-$(nproc 2>/dev/null || echo 1)}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

run() {  # version command...: the command with PYTHON set; writes the outcome line to $logs/$version
  local version=$1 start=$SECONDS outcome=passed
  shift
  PYTHON=${pythons[$version]} "$@" || outcome=FAILED
  echo "CPython $version: $outcome in $((SECONDS - start)) s" >"$logs/$version"
}

for version in $versions; do
  if [ "$jobs" -le 1 ]; then
    echo "==== CPython $version: ${pythons[$version]}"
    run "$version" "$@" 2>&1 | tee "$logs/$version.log"
    continue
  fi
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  echo "==== CPython $version: started (${pythons[$version]})"
  run "$version" "$@" >"$logs/$version.log" 2>&1 &
done
wait
if [ "$jobs" -gt 1 ]; then
  for version in $versions; do
    echo "==== CPython $version: ${pythons[$version]}"
    cat "$logs/$version.log"
  done
fi
status=0
for version in $versions; do
  tests=$(grep -E '^(=+ )?[0-9]+ (passed|failed|errors?|skipped)' "$logs/$version.log" | tail -n 1 | tr -d =) || true
  echo "==== $(cat "$logs/$version")${tests:+ (pytest:${tests% })}"
  grep -q passed "$logs/$version" || status=1
done
exit "$status"
