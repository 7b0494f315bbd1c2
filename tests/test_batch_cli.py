"""``python -m azure.ai.inference batch``, run as a subprocess against the emulator: results, resume, kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .emulator import EMULATOR_KEY, Emulator
from .quota import Quota


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_AI_", "AZURE_INFERENCE_"))}
    return {**env, **extra}


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "azure.ai.inference", "batch", *args]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), capture_output=True, text=True, timeout=120, env=env or clean_env())


def write_input(path: Path, count: int, *, embeddings: int = 0) -> list[str]:
    ids, lines = [], []
    for i in range(count):
        ids.append(f"chat-{i}")
        body = {"messages": [{"role": "user", "content": f"question {i}"}], "max_tokens": 8}
        lines.append({"custom_id": ids[-1], "method": "POST", "url": "/chat/completions", "body": body})
    for i in range(embeddings):
        ids.append(f"emb-{i}")
        body = {"input": [f"text {i} a", f"text {i} b"], "dimensions": 4}
        lines.append({"custom_id": ids[-1], "method": "POST", "url": "/embeddings", "body": body})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return ids


def results(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_file_runs_and_a_rerun_skips_what_is_done(emulator: Emulator, tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_input(source, 5, embeddings=3)
    env = clean_env(
        AZURE_AI_CHAT_ENDPOINT=emulator.endpoint,
        AZURE_AI_CHAT_KEY=EMULATOR_KEY,
        AZURE_AI_CHAT_DEPLOYMENT_NAME="chat-model",
        AZURE_AI_EMBEDDINGS_ENDPOINT=emulator.url("embed"),
        AZURE_AI_EMBEDDINGS_KEY=EMULATOR_KEY,
        AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME="embed-model",
    )
    done = run(str(source), str(output), "--max-embedding-inputs", "1", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("done 8, failed 0, retried 0 (0 answered 429), skipped 0")
    found = results(output)
    assert sorted(r["custom_id"] for r in found) == sorted(ids)
    assert all(r["error"] is None and r["response"]["status_code"] == 200 for r in found)
    by_path = Counter((r.path, r.json().get("model")) for r in emulator.requests)
    assert by_path == {("/chat/completions", "chat-model"): 5, ("/embed/embeddings", "embed-model"): 6}
    again = run(str(source), str(output), "--json", env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["skipped"] == 8 and len(results(output)) == 8
    assert len(emulator.requests) == 11  # nothing sent again


def test_a_torn_last_line_is_cut_off_and_its_item_run_again(emulator: Emulator, tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_input(source, 3)
    args = (str(source), str(output), "--endpoint", emulator.endpoint, "--key", EMULATOR_KEY, "--ordered")
    assert run(*args).returncode == 0
    whole = output.read_bytes()
    last = whole.rstrip(b"\n").rfind(b"\n") + 1
    output.write_bytes(whole[: last + 20])  # killed while writing the third result
    done = run(*args)
    assert done.returncode == 0, done.stderr
    assert "cut off a torn last line" in done.stderr
    assert [r["custom_id"] for r in results(output)] == ids
    output.write_bytes(output.read_bytes() + b"not a result\n")
    refused = run(*args)
    assert refused.returncode == 2 and "line 4, is not a batch result" in refused.stderr


def test_failed_items_give_exit_code_1_and_progress_lines(emulator: Emulator, tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text('{"custom_id": "x"}\n{"custom_id": "y", "url": "/chat/completions", "body": {}}\n')
    done = run(str(source), str(output), "--endpoint", emulator.endpoint, "--key", EMULATOR_KEY,
               "--progress-every", "0", "--max-retries", "0")  # fmt: skip
    assert done.returncode == 1
    assert "done 0, failed 2" in done.stdout
    assert "batch: 1/2 items, 1 failed" in done.stderr and "batch: 2/2 items, 2 failed" in done.stderr
    codes = {r["custom_id"]: r["error"]["code"] for r in results(output)}
    assert codes == {"x": "invalid_request", "y": "invalid_input"}  # the emulator's 422 for empty messages


def test_usage_errors(emulator: Emulator, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    write_input(source, 1)
    missing = run(str(tmp_path / "nope.jsonl"), str(tmp_path / "out.jsonl"), "--endpoint", emulator.endpoint)
    assert missing.returncode == 2 and "no input file" in missing.stderr
    no_endpoint = run(str(source), str(tmp_path / "out.jsonl"))
    assert no_endpoint.returncode == 2 and "AZURE_AI_CHAT_ENDPOINT" in no_endpoint.stderr
    bad = run(str(source), str(tmp_path / "out.jsonl"), "--endpoint", emulator.endpoint, "--key", "k", "--rpm", "0")
    assert bad.returncode == 2 and "--rpm must be a positive number" in bad.stderr


def line_count(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_exactly_once_after_kill_9(emulator: Emulator, tmp_path: Path) -> None:
    """Killed with SIGKILL three times mid-run, then run to the end: exactly one result per custom_id."""
    emulator.quota = Quota(rpm=1200)
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    ids = write_input(source, 80, embeddings=20)
    args = command(str(source), str(output), "--endpoint", emulator.endpoint, "--key", EMULATOR_KEY, "--rpm", "1200")
    rng = random.Random(21)
    for target in (10, 35, 60):
        process = subprocess.Popen(args, env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while line_count(output) < target and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL  # it was still running: killed mid-run
    final = subprocess.run(args, env=clean_env(), capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr
    found = results(output)
    counts = Counter(r["custom_id"] for r in found)
    assert sorted(counts) == sorted(ids) and set(counts.values()) == {1}
    assert all(r["error"] is None for r in found)
    assert emulator.quota.refused == 0
