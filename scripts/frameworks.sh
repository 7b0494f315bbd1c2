#!/usr/bin/env bash
# The framework compatibility suite (issues 12 and 20): the frameworks built on azure-ai-inference 1.0.0b9, pinned,
# each group in a virtual environment cached outside the repo, with this package installed from the working tree
# over the 1.0.0b9 they depend on; then tests/frameworks/ runs there, each group's test files in its own venv.
# Each test runs twice (tests/frameworks/conftest.py): on the loopback emulator's URL, and on today's Foundry,
# https://myres.services.ai.azure.com/models over TLS through a CONNECT proxy on 127.0.0.1 (tests/azure_tls.py,
# hence trustme in the tools); --published runs only the first, and one test showing 1.0.0b9's 404 on the second.
#
# Two groups:
#   main              langchain-azure-ai, autogen-ext, semantic-kernel, the two llama-index connectors, and
#                     agent-framework-foundry with agent-framework-core 1.23 (what `agent-framework` 1.23 installs)
#   agent-framework-azure-ai
#                     agent-framework-azure-ai 1.0.0rc6 with the agent-framework-core and -openai of its release:
#                     it cannot share the main venv (it needs azure-ai-agents <1.2.0b6, langchain-azure-ai[v1]
#                     needs ==1.2.0b6), and it fails to import with agent-framework-core 1.23 (ImportError:
#                     BaseContextProvider), which is what pip picks for it unless told otherwise.
#
# Usage: bash scripts/frameworks.sh [--published] [pytest arguments...]
#   --published (or FRAMEWORKS_PUBLISHED=1): run the same tests against the published 1.0.0b9 instead.
#   FRAMEWORKS_GROUPS="agent-framework-azure-ai": run only the groups named.
#   bash scripts/frameworks.sh --pins: print each group's framework pins ("<group> <pin>", one per line; not what
#   they need beside them, nor the test tools) and exit; scripts/release.sh reads them for its resolution check.
# Each venv lives in ${FRAMEWORKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/azure-ai-inference}/frameworks-<hash>,
# the hash being of its pins and the Python version; a warm run only reinstalls this package. Cold venvs are
# installed side by side, sharing pip's cache.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "frameworks: $*" >&2
  exit 1
}

MAIN_PINS=(
  "langchain-azure-ai[v1]==1.2.12"
  "autogen-ext[azure]==0.7.5"
  "semantic-kernel[azure]==1.45.0"
  "llama-index-llms-azure-inference==0.8.0"
  "llama-index-embeddings-azure-inference==0.6.0"
  "agent-framework-foundry==1.15.0"
)
AZURE_AI_PINS=("agent-framework-azure-ai==1.0.0rc6")
# What each group's frameworks need beside them, pinned too (not frameworks: no azure-ai-inference in them).
MAIN_WITH=("agent-framework-core==1.23.0")
AZURE_AI_WITH=("agent-framework-core==1.0.0rc6" "agent-framework-openai==1.0.0rc6")
TOOLS=("pytest==9.2.0" "pytest-asyncio==1.5.0" "aiohttp==3.14.5" "setuptools==84.2.1" "trustme==1.2.1")
# The test files of the second group; the main group runs the rest of tests/frameworks.
AZURE_AI_TESTS=(tests/frameworks/test_agent_framework_azure_ai.py)
PUBLISHED_PIN="azure-ai-inference==1.0.0b9"

if [ "${1:-}" = "--pins" ]; then
  printf 'main %s\n' "${MAIN_PINS[@]}"
  printf 'agent-framework-azure-ai %s\n' "${AZURE_AI_PINS[@]}"
  exit 0
fi
PUBLISHED="${FRAMEWORKS_PUBLISHED:-0}"
if [ "${1:-}" = "--published" ]; then
  PUBLISHED=1
  shift
fi
PY="${PYTHON:-python3}"
GROUPS_WANTED="${FRAMEWORKS_GROUPS:-main agent-framework-azure-ai}"
command -v "$PY" >/dev/null || fail "no Python interpreter '$PY' (set PYTHON)"
CACHE="${FRAMEWORKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/azure-ai-inference}"
mkdir -p "$CACHE" || fail "cannot create the cache directory $CACHE"

pins_of() {  # group: all it installs, the test tools included
  case "$1" in
    main) printf '%s\n' "${MAIN_PINS[@]}" "${MAIN_WITH[@]}" "${TOOLS[@]}" ;;
    agent-framework-azure-ai) printf '%s\n' "${AZURE_AI_PINS[@]}" "${AZURE_AI_WITH[@]}" "${TOOLS[@]}" ;;
    *) fail "unknown group '$1' (main, agent-framework-azure-ai)" ;;
  esac
}

venv_of() {  # group: the path of its venv
  local key
  key="$(pins_of "$1" | "$PY" -c 'import hashlib, sys
print(hashlib.sha256((sys.version + sys.stdin.read()).encode()).hexdigest()[:16])')"
  echo "$CACHE/frameworks-$key"
}

install_venv() {  # group venv log: create the venv and install the pins; the marker is written last
  local group="$1" venv="$2" log="$3" pins
  mapfile -t pins < <(pins_of "$group")
  rm -rf "$venv"
  "$PY" -m venv "$venv" >"$log" 2>&1 || return 1
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}" >>"$log" 2>&1 || return 1
  touch "$venv/.complete"
}

# A venv is reused only once it was completely installed. Cold ones install side by side.
declare -A VENVS
cold=()
for group in $GROUPS_WANTED; do
  VENVS[$group]="$(venv_of "$group")"
  [ -f "${VENVS[$group]}/.complete" ] || cold+=("$group")
done
if [ "${#cold[@]}" -gt 0 ]; then
  echo "== frameworks: cold install of ${cold[*]} (a few minutes)"
  declare -A installers
  for group in "${cold[@]}"; do
    install_venv "$group" "${VENVS[$group]}" "${VENVS[$group]}.log" &
    installers[$group]=$!
  done
  for group in "${cold[@]}"; do
    wait "${installers[$group]}" ||
      fail "pip could not install the pinned frameworks of '$group' (see ${VENVS[$group]}.log)"
  done
fi

status=0
for group in $GROUPS_WANTED; do
  VENV="${VENVS[$group]}"
  LOG="$VENV.log"
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
  if [ "$group" = main ]; then
    tests=(tests/frameworks)
    for file in "${AZURE_AI_TESTS[@]}"; do tests+=("--ignore=$file"); done
  else
    tests=("${AZURE_AI_TESTS[@]}")
  fi
  echo "== frameworks $group ($MODE): pytest ${tests[*]}"
  # The venv's pytest script (not `python -m pytest`, which would put the working tree's azure/ first on
  # sys.path), in importlib mode for the same reason: the tests must import the installed package.
  group_status=0
  AZURE_AI_INFERENCE_FRAMEWORKS="$MODE" "$VENV/bin/pytest" -q --import-mode=importlib "${tests[@]}" "$@" ||
    group_status=$?
  if [ "$group_status" != 0 ]; then
    echo "frameworks: $group tests failed against the $MODE package (pytest exit $group_status)" >&2
    status=1
  fi
done
exit "$status"
