#!/usr/bin/env bash
# The release check (issue 20): what a user or a framework installs, as they install it.
#  1. Builds the sdist, and the wheel from the sdist, once, from the files git tracks (or would track).
#  2. `twine check --strict` on both.
#  3. The sdist holds what running the tests needs, and nothing built or cached; the wheel holds the package only.
#     A few tests then run from the unpacked sdist against the installed wheel.
#  4. For each framework pin of scripts/frameworks.sh, and `agent-framework` itself, pip's resolver accepts the
#     framework together with the built wheel (`pip install --dry-run --ignore-installed`, in parallel, sharing
#     pip's cache). One line per framework: resolved, with what it requires of azure-ai-inference, or failed,
#     with pip's reason.
# Exits non-zero on any failure. The tool venv (build, twine, pytest) is cached under
# ${XDG_CACHE_HOME:-~/.cache}/azure-ai-inference/ and rebuilt when the requirements below change.
#   RELEASE_DIST=DIR keeps the built files in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="${PYTHON:-python3}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/azure-ai-inference"
VENV="$CACHE/release-venv"
REQUIREMENTS=(
  "pip>=24" "build==1.3.0" "twine==6.2.0" "setuptools==84.2.1" "pytest==9.2.0" "pytest-asyncio==1.5.0"
  "aiohttp==3.14.5"
)
# Beside the framework suite's pins: the meta-package users install, whose agent-framework-core[all] pulls in
# agent-framework-foundry.
EXTRA_FRAMEWORKS=("agent-framework==1.23.0")
# A few tests run from the unpacked sdist: chat and embeddings against the emulator, sync and async.
SDIST_TESTS=(tests/test_chat.py tests/test_embeddings.py)
# What the sdist must hold (each a path inside it, after the top directory).
SDIST_MUST_HAVE=(
  pyproject.toml README.md CHANGELOG.md MANIFEST.in .ci/run scripts/release.sh scripts/frameworks.sh
  scripts/test.sh tests/conftest.py tests/emulator.py tests/frameworks/conftest.py tests/compat/b9_golden.json
  tests/typing/mypy.ini samples/README.md samples/data/sample_image.png benchmarks/run.py
  azure/ai/inference/py.typed
)

fail() {
  echo "release: $*" >&2
  exit 1
}
step() {  # title: prints it with the seconds since the previous step
  echo "== release (+$((SECONDS - ${STEP_START:-0})) s): $*"
  STEP_START=$SECONDS
}
pip_quiet=(--quiet --disable-pip-version-check)
[ "${CI:-}" = true ] && pip_quiet+=(--quiet --progress-bar off)

WANTED="$(printf '%s\n' "$("$PY" -VV)" "${REQUIREMENTS[@]}")"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$WANTED" ]; then
  step "creating the tool venv $VENV"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install "${pip_quiet[@]}" "${REQUIREMENTS[@]}"
  printf '%s' "$WANTED" >"$VENV/.requirements"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DIST="${RELEASE_DIST:-$WORK/dist}"
mkdir -p "$DIST" "$WORK/src"
rm -f "$DIST"/azure_ai_inference-*

step "build the sdist, then the wheel from it"
# From a copy of what git tracks or would track: nothing left in the tree (build/, caches, venvs) can slip in.
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
    tar --null -T - -cf - | tar -C "$WORK/src" -xf -
else  # an unpacked sdist, say
  tar --exclude=./build --exclude='./.venv*' --exclude='*.egg-info' --exclude=__pycache__ -cf - . |
    tar -C "$WORK/src" -xf -
fi
"$VENV/bin/python" -m build --no-isolation --outdir "$DIST" "$WORK/src" >"$WORK/build.log" 2>&1 ||
  { cat "$WORK/build.log"; fail "the build failed"; }
SDIST="$(ls "$DIST"/azure_ai_inference-*.tar.gz)"
WHEEL="$(ls "$DIST"/azure_ai_inference-*.whl)"
echo "   $(basename "$SDIST"), $(basename "$WHEEL")"

step "twine check"
NO_COLOR=1 "$VENV/bin/twine" check --strict "$SDIST" "$WHEEL"

step "contents"
"$VENV/bin/python" - "$SDIST" "$WHEEL" "${SDIST_MUST_HAVE[@]}" <<'EOF'
import re
import sys
import tarfile
import zipfile

sdist, wheel, *must_have = sys.argv[1:]
with tarfile.open(sdist) as archive:
    names = {name.partition("/")[2] for name in archive.getnames()}
problems = [f"the sdist lacks {name}" for name in must_have if name not in names]
junk = re.compile(r"(^|/)(__pycache__|\.venv[^/]*|\.git|build|dist)(/|$)|\.py[co]$")
problems += [f"the sdist holds {name}" for name in sorted(names) if junk.search(name)]
with zipfile.ZipFile(wheel) as archive:
    files = archive.namelist()
problems += [f"the wheel holds {name}" for name in files if not name.startswith(("azure/ai/inference/", "azure_ai"))]
if "azure/ai/inference/py.typed" not in files:
    problems.append("the wheel lacks azure/ai/inference/py.typed")
for problem in problems:
    print("   " + problem)
print(f"   sdist: {len(names)} entries; wheel: {len(files)} files")
sys.exit(1 if problems else 0)
EOF

step "tests from the unpacked sdist, against the installed wheel"
tar -C "$WORK" -xzf "$SDIST"
UNPACKED="$(ls -d "$WORK"/azure_ai_inference-*/)"
"$VENV/bin/python" -m pip install "${pip_quiet[@]}" "$WHEEL[aio]"
"$VENV/bin/python" -m pip install "${pip_quiet[@]}" --no-deps --force-reinstall "$WHEEL"
# The venv's pytest script in importlib mode: the unpacked source tree stays off sys.path, so the tests import
# the wheel's package, as a user's would.
(cd "$UNPACKED" && "$VENV/bin/pytest" -q --import-mode=importlib "${SDIST_TESTS[@]}")

step "pip resolves each framework with $(basename "$WHEEL")"
mapfile -t FRAMEWORKS < <(bash scripts/frameworks.sh --pins | cut -d' ' -f2-)
FRAMEWORKS+=("${EXTRA_FRAMEWORKS[@]}")
resolve() {  # index pin: resolve the pin with the wheel; writes $WORK/resolve-<index>.{json,log,status}
  local out="$WORK/resolve-$1" status=0 start=$SECONDS
  # Not --quiet: pip prints the cause of a conflict ("X depends on ...") at the info level.
  "$VENV/bin/python" -m pip install --dry-run --ignore-installed --disable-pip-version-check --progress-bar off \
    --report "$out.json" "$2" "$WHEEL" >"$out.log" 2>&1 || status=$?
  echo "$status $((SECONDS - start))" >"$out.status"
}
for index in "${!FRAMEWORKS[@]}"; do
  resolve "$index" "${FRAMEWORKS[$index]}" &
done
wait
failed=0
for index in "${!FRAMEWORKS[@]}"; do
  out="$WORK/resolve-$index"
  read -r status seconds <"$out.status"
  "$VENV/bin/python" - "${FRAMEWORKS[$index]}" "$status" "$seconds" "$out.json" "$out.log" "$(basename "$WHEEL")" \
    <<'EOF' || failed=1
import json
import re
import sys

pin, status, seconds, report, log, wheel = sys.argv[1:]
if status != "0":
    lines = [line.strip() for line in open(log).read().splitlines() if "Location 'file:" not in line]
    reason = [line for line in lines if " depends on " in line or line.startswith("The user requested")]
    print(f"   {pin}: FAILED ({seconds} s): " + "; ".join(reason or [line for line in lines if line][-3:]))
    sys.exit(1)
installs = json.load(open(report))["install"]
ours = [item for item in installs if item["metadata"]["name"] == "azure-ai-inference"]
requires = sorted(
    f"{item['metadata']['name']} {item['metadata']['version']} requires {requirement.split(';')[0].strip()}"
    for item in installs
    for requirement in item["metadata"].get("requires_dist", [])
    if re.match(r"azure-ai-inference\b", requirement)
)
if len(ours) != 1 or not ours[0].get("download_info", {}).get("url", "").endswith("/" + wheel):
    print(f"   {pin}: FAILED: the built wheel is not what pip picked")
    sys.exit(1)
version = ours[0]["metadata"]["version"]
print(f"   {pin}: resolved ({seconds} s), {len(installs)} packages, azure-ai-inference {version} (the built wheel); "
      + ("; ".join(requires) if requires else "nothing in it requires azure-ai-inference"))
EOF
done
step "done"
[ "$failed" = 0 ] || fail "pip cannot install the built wheel beside every framework"
