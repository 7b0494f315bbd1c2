"""Benchmark worker of the batch rows: this package's ``BatchRunner``, or 1.0.0b9 and openai-python (under their
own interpreters) the way a user drives them without it: ``asyncio.gather`` over every request, a semaphore of 64.

Rows (each prints one JSON line):
- ``batch-chat``, ``batch-embed``: ``--size`` chat requests, or embedding inputs (100 per call), against the
  loopback quota server (``_quota_server.py``) set to ``--rpm``; elapsed time against the ideal (calls divided by
  the quota) and the 429s the server sent.
- ``batch-overhead`` (this package only): the runner against ``complete()`` in ``asyncio.gather`` with a semaphore,
  same concurrency (64), same request bodies, no quota: requests/s of each, alternating rounds.
- ``batch-memory`` (this package only): RSS while the runner reads a ``--size``-line input file lazily, through an
  in-process client that answers at once (so that a million lines take a minute, not hours of HTTP).

Usage: ``python benchmarks/bench_batch.py ROW --port N [--quick] [--size N] [--rpm R]``
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import tempfile
import time
from pathlib import Path
from typing import Any, Awaitable, Callable

import _common as c

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 64
EMBED_PER_CALL = 100
EMBED_PER_LINE = 1000  # the runner's lines hold 1000 inputs, sent 100 a call: its chunking at work
CHAT_BODY = {"messages": [{"role": "user", "content": c.QUESTION}], "max_tokens": 16, "model": c.MODEL}
DEFAULTS = {  # row: (size, rpm) full, then quick
    "batch-chat": ((20_000, 30_000), (600, 12_000)),
    "batch-embed": ((200_000, 12_000), (6_000, 6_000)),
    "batch-overhead": ((20_000, 0), (2_000, 0)),
    "batch-memory": ((1_000_000, 0), (20_000, 0)),
}

try:
    import azure.ai.inference as package

    IMPL = "ours" if Path(package.__file__).resolve().is_relative_to(ROOT) else "b9"
    VERSION = package.__version__
except ImportError:
    import openai

    IMPL, VERSION = "openai", openai.__version__


def quota(port: int, rpm: float) -> dict[str, int]:
    """Set the server's quota (``rpm=0``: none) when ``rpm`` is given, and read its counts."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("POST" if rpm >= 0 else "GET", f"/_quota?rpm={max(rpm, 0)}")
    counts: dict[str, int] = json.loads(connection.getresponse().read())
    connection.close()
    return counts


def chat_line(i: int) -> str:
    return json.dumps({"custom_id": f"c{i}", "method": "POST", "url": "/chat/completions", "body": CHAT_BODY})


def embed_line(i: int, inputs: int) -> str:
    body = {"input": [f"passage {i}-{k}" for k in range(inputs)], "model": c.MODEL}
    return json.dumps({"custom_id": f"e{i}", "method": "POST", "url": "/embeddings", "body": body})


async def gather(calls: int, call: Callable[[int], Awaitable[Any]]) -> int:
    """Every call at once under a semaphore of 64, as users write it; the number that failed."""
    semaphore, failed = asyncio.Semaphore(CONCURRENCY), 0

    async def one(i: int) -> None:
        nonlocal failed
        async with semaphore:
            try:
                await call(i)
            except Exception:
                failed += 1

    await asyncio.gather(*(one(i) for i in range(calls)))
    return failed


def clients(port: int) -> tuple[Any, Any, Callable[[], Awaitable[None]]]:
    """The chat and embeddings call of this implementation, and how to close its clients."""
    endpoint = f"http://127.0.0.1:{port}/models"
    if IMPL == "openai":
        client = openai.AsyncOpenAI(base_url=endpoint, api_key="k")

        async def chat(body: dict[str, Any]) -> Any:
            return await client.chat.completions.create(**body)

        async def embed(inputs: list[str]) -> Any:
            return await client.embeddings.create(input=inputs, model=c.MODEL, encoding_format="float")

        return chat, embed, client.close
    from azure.core.credentials import AzureKeyCredential

    from azure.ai.inference.aio import ChatCompletionsClient, EmbeddingsClient

    chat_client = ChatCompletionsClient(endpoint, AzureKeyCredential("k"))
    embeddings_client = EmbeddingsClient(endpoint, AzureKeyCredential("k"))

    async def close() -> None:
        await chat_client.close()
        await embeddings_client.close()

    return chat_client, embeddings_client, close


async def against_quota(row: str, port: int, size: int, rpm: float) -> dict[str, Any]:
    chat, embed, close = clients(port)
    calls = size if row == "batch-chat" else size // EMBED_PER_CALL
    quota(port, rpm)
    started = time.monotonic()
    if IMPL == "ours":
        from azure.ai.inference.batch import BatchRunner

        runner = BatchRunner(
            chat=chat, embeddings=embed, rpm=rpm, concurrency=CONCURRENCY, max_embedding_inputs=EMBED_PER_CALL
        )
        if row == "batch-chat":
            lines: Any = (chat_line(i) for i in range(size))
        else:
            lines = (embed_line(i, EMBED_PER_LINE) for i in range(size // EMBED_PER_LINE))
        failed = 0
        async for result in runner.run(lines):
            failed += result["error"] is not None
    elif row == "batch-chat":
        failed = await gather(calls, lambda i: chat(CHAT_BODY) if IMPL == "openai" else chat.complete(CHAT_BODY))
    else:
        inputs = [f"passage {k}" for k in range(EMBED_PER_CALL)]
        failed = await gather(calls, lambda i: embed(inputs) if IMPL == "openai" else embed.embed(input=inputs))
    elapsed = time.monotonic() - started
    counts = quota(port, -1)
    await close()
    return {"elapsed": elapsed, "ideal": calls / (rpm / 60), "calls": calls, "rpm": rpm,
            "throttled": counts["refused"], "failed": failed}  # fmt: skip


async def overhead(port: int, size: int) -> dict[str, Any]:
    """Requests/s of the runner and of complete() under gather + semaphore, in alternating rounds."""
    from azure.ai.inference.batch import BatchRunner

    chat, _, close = clients(port)
    quota(port, 0)
    runner_rps, plain_rps = [], []
    for _ in range(3):
        started = time.monotonic()
        async for _result in BatchRunner(chat=chat, concurrency=CONCURRENCY).run(chat_line(i) for i in range(size)):
            pass
        runner_rps.append(size / (time.monotonic() - started))
        started = time.monotonic()
        assert await gather(size, lambda i: chat.complete(CHAT_BODY)) == 0
        plain_rps.append(size / (time.monotonic() - started))
    await close()
    return {"rps": runner_rps, "plain_rps": plain_rps, "size": size}


class _Answer:
    def __init__(self, body: dict[str, Any]) -> None:
        self._body = body

    def as_dict(self) -> dict[str, Any]:
        return self._body


class _InstantClient:
    """Answers every call at once, with the usage a real answer has."""

    async def complete(self, body: dict[str, Any], **kwargs: Any) -> _Answer:
        await asyncio.sleep(0)
        return _Answer({"id": "x", "choices": [], "usage": {"prompt_tokens": 9, "total_tokens": 17}})


async def memory(size: int) -> dict[str, Any]:
    from azure.ai.inference.batch import BatchRunner

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.jsonl"
        with path.open("w", encoding="utf-8") as file:
            for i in range(size):
                file.write(chat_line(i) + "\n")
        runner = BatchRunner(chat=_InstantClient(), rpm=None, concurrency=CONCURRENCY)
        early_at, samples, count = max(1, size // 20), [], 0
        start_mb = c.rss_mb()
        started = time.monotonic()
        with path.open("rb") as file:
            async for _result in runner.run(file):
                count += 1
                if count == early_at or count % max(1, size // 10) == 0:
                    samples.append(c.rss_mb())
        elapsed = time.monotonic() - started
    return {"start_mb": start_mb, "early_mb": samples[0], "end_mb": c.rss_mb(), "samples_mb": samples,
            "peak_mb": c.peak_rss_mb(), "lines": count, "elapsed": elapsed}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="Batch benchmark worker: runs one row, prints one JSON line.")
    parser.add_argument("row", choices=sorted(DEFAULTS))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--port", type=int, default=0, help="port of benchmarks/_quota_server.py")
    parser.add_argument("--size", type=int, help="requests, embedding inputs or input lines (default: per row)")
    parser.add_argument("--rpm", type=float, help="the quota of the quota rows")
    args = parser.parse_args()
    size, rpm = DEFAULTS[args.row][1 if args.quick else 0]
    size, rpm = args.size or size, args.rpm or rpm
    head = {"impl": IMPL, "version": VERSION, "row": args.row}
    if args.row in ("batch-overhead", "batch-memory") and IMPL != "ours":
        figures: dict[str, Any] = {"skipped": "this package's runner only"}
    elif args.row == "batch-overhead":
        figures = asyncio.run(overhead(args.port, size))
    elif args.row == "batch-memory":
        figures = asyncio.run(memory(size))
    else:
        figures = asyncio.run(against_quota(args.row, args.port, size, rpm))
    print(json.dumps({**head, **figures}))


if __name__ == "__main__":
    main()
