#!/usr/bin/env bash
# Type-checks user code against the installed package, as a user's CI and IDE see it: builds the wheel,
# installs it into a clean virtual environment outside the repository, then runs `mypy --strict` and
# basedpyright in strict mode on tests/typing/ and on samples/, each from a copy outside the repository
# (so that the checkers find the installed package, not the source tree). Prints the error counts; exits
# non-zero when any checker reports an error.
#
# The environment is cached (TYPING_VENV, by default under ~/.cache) and rebuilt when the requirements below
# change; the wheel is built and reinstalled on every run.
#
# `scripts/typing.sh --against VENV` checks the same files against whatever VENV has installed (for example
# 1.0.0b9 with the same checkers), without building or installing anything.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="${PYTHON:-python3}"
VENV="${TYPING_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/azure-ai-inference/typing-venv}"
# What user code imports besides this package (the samples use azure-identity, pydantic, OpenTelemetry and
# Azure Monitor), and the two checkers.
REQUIREMENTS=(
  "mypy>=1.10" "basedpyright>=1.20" "aiohttp>=3.9" "azure-identity>=1.15" "pydantic>=2" "pyyaml>=6.0"
  "types-PyYAML" "chevron>=0.14" "opentelemetry-sdk>=1.20" "azure-core-tracing-opentelemetry>=1.0.0b11"
  "azure-monitor-opentelemetry" "typing-extensions>=4.6.0"
)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ "${1:-}" = "--against" ]; then
  VENV="$(cd "$2" && pwd)"
else
STAMP="$VENV/.requirements"
WANTED="$(printf '%s\n' "$PY" "${REQUIREMENTS[@]}")"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANTED" ]; then
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet "${REQUIREMENTS[@]}"
  printf '%s' "$WANTED" > "$STAMP"
fi

echo "== typing: build and install the wheel"
# From a copy: setuptools' build/ directory in the tree could bring stale files into the wheel.
mkdir "$WORK/src"
tar -C "$ROOT" --exclude=./.git --exclude='./.venv*' --exclude=./build --exclude='*.egg-info' --exclude='*_cache' \
  -cf - . | tar -C "$WORK/src" -xf -
"$VENV/bin/python" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/dist" "$WORK/src"
"$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps "$WORK"/dist/azure_ai_inference-*.whl
"$VENV/bin/python" -m pip install --quiet "$(ls "$WORK"/dist/azure_ai_inference-*.whl)[aio,prompts,opentelemetry]"
"$VENV/bin/python" - <<'EOF'
import importlib.metadata as md
files = [str(f) for f in md.files("azure-ai-inference") or ()]
assert "azure/ai/inference/py.typed" in files, "py.typed is missing from the installed wheel"
assert not any(f in ("azure/__init__.py", "azure/ai/__init__.py") for f in files), "the azure namespace is not shared"
EOF
fi

# The copies: the typing files and the samples, with the checkers' configuration next to them.
mkdir -p "$WORK/typing" "$WORK/samples"
cp "$ROOT"/tests/typing/*.py "$ROOT"/tests/typing/mypy.ini "$ROOT"/tests/typing/pyrightconfig.json "$WORK/typing/"
cp -r "$ROOT"/samples/. "$WORK/samples/"
# The Ray Data sample needs Ray (the [ray] extra, some hundred MB), which this venv does not install: scripts/ray.sh
# runs it, in the venv that has Ray.
rm "$WORK/samples/sample_batch_ray.py"
cp "$ROOT"/tests/typing/mypy.ini "$ROOT"/tests/typing/pyrightconfig.json "$WORK/samples/"

failed=0
report() {  # name, exit status, output
  local name="$1" status="$2" output="$3" count
  if [ "$name" = mypy ]; then
    count="$(grep -cE '^[^:]+:[0-9]+: error:' <<<"$output" || true)"
  else
    count="$(grep -cE ' - error: ' <<<"$output" || true)"
  fi
  if [ "$status" -ne 0 ] || [ "$count" -ne 0 ]; then
    failed=1
    echo "$output" | grep -vE '^(Found|Success)|errors?, [0-9]+ warnings?' || true
  fi
  echo "   $name: $count errors"
}
for target in typing samples; do
  if [ "$target" = typing ]; then echo "== typing: tests/typing/"; else echo "== typing: samples/"; fi
  cd "$WORK/$target"
  set +e
  out="$(find . -name '*.py' -print0 | xargs -0 "$VENV/bin/mypy" --strict --config-file mypy.ini 2>&1)"; status=$?
  report mypy "$status" "$out"
  out="$("$VENV/bin/basedpyright" --pythonpath "$VENV/bin/python" --project pyrightconfig.json 2>&1)"; status=$?
  report basedpyright "$status" "$out"
  set -e
done

# The editable install that scripts/test.sh made (.venv, or .venv-3.X under scripts/versions.sh): mypy must find
# the package through it too (setuptools' import-hook editable installs are invisible to static checkers; see
# pyproject.toml).
EDITABLE=""
for candidate in "$ROOT/.venv" "$ROOT"/.venv-3.*; do
  if [ -x "$candidate/bin/mypy" ]; then EDITABLE="$candidate"; fi
done
if [ "${1:-}" != "--against" ] && [ -z "$EDITABLE" ]; then
  echo "== typing: no editable install with mypy (.venv or .venv-3.X): run scripts/test.sh first"
  failed=1
elif [ "${1:-}" != "--against" ]; then
  echo "== typing: the editable install in ${EDITABLE#"$ROOT"/}"
  mkdir "$WORK/editable"
  cd "$WORK/editable"
  cat > check_editable.py <<'EOF'
from typing_extensions import assert_type

from azure.ai.inference.models import CompletionsUsage


def tokens(usage: CompletionsUsage) -> None:
    assert_type(usage.total_tokens, int)
EOF
  set +e
  out="$("$EDITABLE/bin/mypy" --strict check_editable.py 2>&1)"; status=$?
  set -e
  report mypy "$status" "$out"
fi
cd "$ROOT"
exit "$failed"
