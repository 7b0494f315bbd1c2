"""The Ray Data adapter, Ray on this machine, against the emulator: workers share one quota through one actor.

Ray is an optional extra: scripts/ray.sh runs this module in a cached virtual environment that has it (the main
test environment does not install Ray, and skips the module).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .emulator import EMULATOR_KEY, Emulator
from .quota import Quota

ray = pytest.importorskip("ray", reason="Ray is an optional extra: scripts/ray.sh runs these tests")
from azure.ai.inference.batch.ray import BatchInference, shared_limiter  # noqa: E402


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def chat_line(i: int) -> str:
    body = {"messages": [{"role": "user", "content": f"item {i}"}]}
    return json.dumps({"custom_id": f"c{i}", "method": "POST", "url": "/chat/completions", "body": body})


def test_four_workers_share_one_quota(local_ray: None, emulator: Emulator) -> None:
    emulator.quota = Quota(rpm=600)  # 10 a second, counted per 1-second window
    limiter = shared_limiter(rpm=600)
    options = {"endpoint": emulator.endpoint, "key": EMULATOR_KEY, "limiter": limiter, "concurrency": 8}
    dataset = ray.data.from_items([{"text": chat_line(i)} for i in range(60)])
    results = dataset.map_batches(
        BatchInference,
        fn_constructor_kwargs=options,
        compute=ray.data.ActorPoolStrategy(size=4),
        num_cpus=0.25,
        batch_size=5,
    ).take_all()
    assert Counter(row["custom_id"] for row in results) == {f"c{i}": 1 for i in range(60)}
    assert all(row["status_code"] == 200 and row["error"] == "" for row in results)
    answer: Any = json.loads(next(row for row in results if row["custom_id"] == "c7")["result"])
    assert answer["response"]["body"]["choices"][0]["message"]["content"] == "Echo: item 7"
    assert len({request.peer for request in emulator.requests}) >= 4  # the four workers' own connections
    assert emulator.quota.refused == 0 and emulator.quota.busiest_window <= 10


def test_line_columns_and_per_row_errors(local_ray: None, emulator: Emulator) -> None:
    rows = [
        {"custom_id": "good", "url": "/embeddings", "body": {"input": ["a", "b", "c"]}},
        {"custom_id": "bad", "url": "/images/generations", "body": {"prompt": "x"}},
    ]
    options = {"endpoint": emulator.url("embed"), "key": EMULATOR_KEY, "kind": "embeddings", "max_embedding_inputs": 2}
    results = (
        ray.data.from_items(rows)
        .map_batches(
            BatchInference, fn_constructor_kwargs=options, compute=ray.data.ActorPoolStrategy(size=1), num_cpus=0.25
        )
        .take_all()
    )
    by_id = {row["custom_id"]: row for row in results}
    assert by_id["good"]["status_code"] == 200, by_id["good"]
    assert len(json.loads(by_id["good"]["result"])["response"]["body"]["data"]) == 3
    assert by_id["bad"]["status_code"] == 0 and "is not supported" in by_id["bad"]["error"]


def test_the_sample_embeds_the_corpus_on_ray(emulator: Emulator) -> None:
    samples = Path(__file__).resolve().parent.parent / "samples"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZURE_")}
    env.update(AZURE_AI_EMBEDDINGS_ENDPOINT=emulator.url("embed"), AZURE_AI_EMBEDDINGS_KEY=EMULATOR_KEY)
    done = subprocess.run(
        [sys.executable, "sample_batch_ray.py"], cwd=samples, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "gardening: 3 vectors of length 8" in done.stdout and "running: 2 vectors of length 8" in done.stdout
    assert "4 lines embedded on 2 Ray workers" in done.stdout
    assert sorted(len(r.json()["input"]) for r in emulator.requests) == [1, 1, 1, 2, 2, 2, 2]  # chunks of 2
