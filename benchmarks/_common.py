"""What every benchmark worker shares: payloads, timing loops, RSS, the command line and the JSON it prints.

Standard library only: the workers run under other interpreters (1.0.0b9's, openai-python's) too.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any, Awaitable, Callable, Iterable

CREATED = 1700000000
MODEL = "bench-model"
SYSTEM_PROMPT = "You are a helpful assistant that answers briefly and precisely."
QUESTION = "How many moons does Mars have, and what are they called?"
STREAM_WORDS = 1000  # updates per streamed response in the "stream" row
SSE_UPDATES = 100  # updates per streamed response of the loopback server
MEMORY_EVENTS, MEMORY_EARLY = 200_000, 10_000
QUICK_MEMORY_EVENTS, QUICK_MEMORY_EARLY = 20_000, 2_000


def _completion(content_size: int) -> dict[str, Any]:
    return {
        "id": "chatcmpl-8d1b6e0c5f4a4f0e9b3c2a1d0e9f8a7b",
        "object": "chat.completion",
        "created": CREATED,
        "model": MODEL,
        "system_fingerprint": "fp_0123456789",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "x" * content_size, "tool_calls": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 31, "completion_tokens": 142, "total_tokens": 173},
    }


def _completion_bytes(size: int) -> bytes:
    """A ChatCompletions response body of exactly ``size`` bytes: the content is sized to fit."""
    fixed = len(json.dumps(_completion(0)).encode())
    data = _completion(size - fixed)
    data["choices"][0]["message"]["content"] = ("Mars has two moons, Phobos and Deimos. " * 40)[: size - fixed]
    return json.dumps(data).encode()


COMPLETION_BODY = _completion_bytes(900)
EMBEDDING_DIMENSIONS = 256
EMBEDDINGS_BODY = json.dumps({
    "id": "emb-0", "object": "list", "model": MODEL,
    "data": [{"object": "embedding", "index": 0, "embedding": [round(0.001 * i - 0.1, 6) for i in range(256)]}],
    "usage": {"prompt_tokens": 9, "total_tokens": 9},
}).encode()  # fmt: skip
EMBED_INPUT = ["Mars has two moons, Phobos and Deimos."]
COMPLETION_TEXT = json.loads(COMPLETION_BODY)["choices"][0]["message"]["content"]


def sse_event(index: int, content: str | None = None, finish_reason: str | None = None) -> bytes:
    """One ``data:`` event of a streamed chat completion, as Azure OpenAI sends it."""
    delta: dict[str, Any] = {"content": content} if content is not None else {}
    if index == 0:
        delta["role"] = "assistant"
    update = {
        "id": "chatcmpl-8d1b6e0c5f4a4f0e9b3c2a1d0e9f8a7b",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
    }
    return b"data: " + json.dumps(update, separators=(",", ":")).encode() + b"\n\n"


DONE = b"data: [DONE]\n\n"


def sse_chunks(updates: int) -> list[bytes]:
    """The chunks of a stream: one event per chunk (as tokens arrive), a finish reason, then ``[DONE]``."""
    chunks = [sse_event(i, f" w{i % 10}") for i in range(updates - 1)]
    return [*chunks, sse_event(updates - 1, "", "stop"), DONE]


def sse_chunk_generator(updates: int) -> Any:
    """The same chunks made lazily, so that a long stream costs no memory before it is read."""
    for i in range(updates - 1):
        yield sse_event(i, f" w{i % 10}")
    yield sse_event(updates - 1, "", "stop")
    yield DONE


def history(n: int = 10) -> list[tuple[str, str]]:
    """``(role, text)`` of an ``n``-message conversation: a system prompt, then user and assistant turns."""
    turns = [("system", SYSTEM_PROMPT)]
    for i in range(1, n):
        if i % 2:
            turns.append(("user", f"{QUESTION} (question {i})"))
        else:
            turns.append(("assistant", f"Mars has two moons: Phobos and Deimos. (answer {i})"))
    return turns


LOOPBACK_PATH = "/models/chat/completions?api-version=2024-05-01-preview"
EMBED_PATH = "/models/embeddings?api-version=2024-05-01-preview"
HEADERS = {"Content-Type": "application/json", "api-key": "k", "Authorization": "Bearer k"}


def request_json(stream: bool = False, updates: int | None = None) -> str:
    """The body of the two-message request the end-to-end rows send (``updates``: as ``max_tokens``)."""
    messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": QUESTION}]
    body: dict[str, Any] = {"messages": messages}
    if stream:
        body["stream"] = True
    if updates is not None:
        body["max_tokens"] = updates
    return json.dumps(body)


def floor_split_loads(chunks: list[bytes]) -> Callable[[], None]:
    """The streaming floor: split each chunk into lines, ``json.loads`` each data line, read the delta content."""
    loads = json.loads

    def run() -> None:
        for chunk in chunks:
            for line in chunk.split(b"\n"):
                if line[:6] == b"data: " and line != b"data: [DONE]":
                    loads(line[6:])["choices"][0]["delta"].get("content")

    return run


def floor_parse() -> None:
    """The parsing floor: ``json.loads`` and dict access."""
    assert json.loads(COMPLETION_BODY)["choices"][0]["message"]["content"] == COMPLETION_TEXT


def floor_build() -> str:
    """The request-building floor: the same body as plain dicts, then ``json.dumps``."""
    messages = [{"role": role, "content": text} for role, text in history()]
    return json.dumps({"messages": messages, "max_tokens": 256, "temperature": 0.5})


def floor_request_response() -> None:
    """The in-process floor: ``json.dumps`` of a two-message request, ``json.loads`` of the answer."""
    request_json()
    floor_parse()


# ---------------------------------------------------------------- timing


def _loops(fn: Callable[[], Any], budget: float) -> int:
    """How many calls of ``fn`` take about ``budget`` seconds (after a warm-up call)."""
    fn()  # warm up: imports, caches, first-call costs
    loops = 1
    while loops < 1 << 20:
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= budget:
            break
        loops *= 2 if elapsed < budget / 4 else 1 + int(budget / max(elapsed, 1e-9))
    return loops


def timed(
    *calls: Callable[[], Any], reps: int, budget: float, per_call: int = 1, cpu: list[list[float]] | None = None
) -> list[list[float]]:
    """Seconds per operation of each call, one figure per repetition (timeit-style loops).

    The calls take turns, repetition by repetition, so that a change in the machine's load weighs on all.
    ``per_call`` is how many operations one call does (updates of a stream). The garbage collector stays
    on: collecting is part of what a caller pays. ``cpu``, if given, gets the CPU seconds per operation
    of each call (every thread of the process), which waiting for a loaded machine does not inflate.
    """
    loops = [_loops(call, budget) for call in calls]
    figures: list[list[float]] = [[] for _ in calls]
    if cpu is not None:
        cpu[:] = [[] for _ in calls]
    for _ in range(reps):
        for index, (call, n, samples) in enumerate(zip(calls, loops, figures)):
            start, cpu_start = time.perf_counter(), time.process_time()
            for _ in range(n):
                call()
            samples.append((time.perf_counter() - start) / n / per_call)
            if cpu is not None:
                cpu[index].append((time.process_time() - cpu_start) / n / per_call)
    return figures


def rss_mb() -> float:
    """The resident set size of this process now, in MiB (Linux ``/proc``; peak RSS elsewhere)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    """The peak resident set size of this process, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def http_floor(port: int, stream: bool) -> Callable[[], None]:
    """The loopback floor: http.client on a kept-alive connection, ``json.loads`` of the answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    body = request_json(stream)
    headers = {"Content-Type": "application/json", "api-key": "k", "Authorization": "Bearer k"}

    def run() -> None:
        connection.request("POST", LOOPBACK_PATH, body, headers)
        response = connection.getresponse()
        if not stream:
            assert json.loads(response.read())["choices"][0]["message"]["content"] == COMPLETION_TEXT
            return
        rest = b""
        for data in iter(lambda: response.read1(65536), b""):
            *lines, rest = (rest + data).split(b"\n")
            for line in lines:
                if line[:6] == b"data: " and line != b"data: [DONE]":
                    json.loads(line[6:])["choices"][0]["delta"].get("content")

    return run


def read_stream(stream: Iterable[Any]) -> int:
    """Iterate a stream of updates, reading each one's delta content as a caller would; return the count."""
    count = 0
    for update in stream:
        if update.choices:
            update.choices[0].delta.content  # noqa: B018  # reading it is the point
        count += 1
    return count


def import_seconds(package: str, floor: str, reps: int) -> tuple[list[float], list[float], list[float]]:
    """Seconds to import ``floor`` and then ``package`` in a fresh interpreter, ``reps`` times: the whole import,
    the floor's part and what ``package`` adds to it, each timed in the same interpreter.

    The difference is measured in each interpreter rather than between the medians of two sets of interpreters,
    whose spread on a shared machine is larger than the difference. Byte code is cached under a prefix of its own
    (written by one warm-up import), so every implementation is measured from warm caches, even where
    PYTHONDONTWRITEBYTECODE is set.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "azure-ai-inference-bench-pycache")
    code = (
        f"import time; t0 = time.perf_counter(); import {floor}; t1 = time.perf_counter(); import {package}; "
        "print(t1 - t0, time.perf_counter() - t1)"
    )
    whole: list[float] = []
    floors: list[float] = []
    added: list[float] = []
    for rep in range(reps + 1):
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, env=env, cwd=Path(__file__).parent
        )
        if rep:
            first, second = map(float, done.stdout.split())
            whole.append(first + second)
            floors.append(first)
            added.append(second)
    return whole, floors, added


def memory(stream: Callable[[int], Iterable[Any]], quick: bool) -> dict[str, Any]:
    """RSS while a long stream is read: ``stream(n)`` starts a completion of ``n`` updates made lazily."""
    events, early = (QUICK_MEMORY_EVENTS, QUICK_MEMORY_EARLY) if quick else (MEMORY_EVENTS, MEMORY_EARLY)
    read_stream(stream(early))  # warm up: every code path used once
    start_mb, early_mb, count, began = rss_mb(), 0.0, 0, time.perf_counter()
    for update in stream(events):
        update.choices[0].delta.content  # noqa: B018
        count += 1
        if count == early:
            early_mb = rss_mb()
    seconds = time.perf_counter() - began
    assert count == events, count
    end_mb = rss_mb()
    return {
        "events": events, "early_events": early, "start_mb": start_mb, "early_mb": early_mb, "end_mb": end_mb,
        "growth_mb": end_mb - early_mb, "peak_mb": peak_rss_mb(), "seconds_per_event": seconds / events,
    }  # fmt: skip


# ---------------------------------------------------------------- async throughput on one client

# Row name: (what each call does, how many calls are in flight at once).
ASYNC_ROWS = {
    "async-16": ("chat", 16), "async-256": ("chat", 256), "embed-16": ("embed", 16), "embed-256": ("embed", 256),
    "streams-1000": ("stream", 1000),
}  # fmt: skip
STREAMS_UPDATES = 20  # updates per stream in the streams-1000 row (sent as max_tokens; the server obeys)
AsyncCall = Callable[[], Awaitable[Any]]
AsyncFactory = Callable[[str, int], Awaitable[tuple[AsyncCall, Callable[[], Awaitable[Any]]]]]


async def floor_async(kind: str, port: int) -> tuple[AsyncCall, Callable[[], Awaitable[Any]]]:
    """The async floor: a bare aiohttp session posting the same bodies, ``json.loads`` of the answer."""
    import aiohttp

    session = aiohttp.ClientSession()
    base = f"http://127.0.0.1:{port}"
    if kind == "embed":
        url, body = base + EMBED_PATH, json.dumps({"input": EMBED_INPUT}).encode()
    else:
        url, body = base + LOOPBACK_PATH, request_json(kind == "stream", STREAMS_UPDATES).encode()

    async def chat() -> None:
        async with session.post(url, data=body, headers=HEADERS) as response:
            assert json.loads(await response.read())["choices"][0]["message"]["content"] == COMPLETION_TEXT

    async def embed() -> None:
        async with session.post(url, data=body, headers=HEADERS) as response:
            assert len(json.loads(await response.read())["data"][0]["embedding"]) == EMBEDDING_DIMENSIONS

    async def stream() -> int:
        count = 0
        async with session.post(url, data=body, headers=HEADERS) as response:
            async for line in response.content:
                if line[:6] == b"data: " and line[6:12] != b"[DONE]":
                    json.loads(line[6:])["choices"][0]["delta"].get("content")
                    count += 1
        assert count == STREAMS_UPDATES, count
        return count

    return {"chat": chat, "embed": embed, "stream": stream}[kind], session.close


async def _throughput(call: AsyncCall, concurrency: int, seconds: float) -> tuple[float, float]:
    """Requests per second and CPU seconds per request (every thread of the process) of ``concurrency`` loops."""
    await asyncio.gather(*(call() for _ in range(concurrency)))  # warm-up: fills the connection pool
    count = 0
    deadline = time.perf_counter() + seconds

    async def loop() -> None:
        nonlocal count
        while time.perf_counter() < deadline:
            await call()
            count += 1

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(loop() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return count / wall, cpu / count


async def _streams(call: AsyncCall, count: int) -> dict[str, float]:
    """``count`` streams at once: wall and CPU seconds, errors, then the RSS."""
    wall, cpu = time.perf_counter(), time.process_time()
    results = await asyncio.gather(*(call() for _ in range(count)), return_exceptions=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        print(f"{len(errors)} errors, e.g. {errors[0]!r}", file=sys.stderr)
    return {"wall": wall, "cpu": cpu, "errors": len(errors), "rss_mb": rss_mb()}


async def measure_async(row: str, port: int, factory: AsyncFactory, quick: bool) -> dict[str, Any]:
    """An async row for the implementation that ``factory`` makes calls of, its floor measured alternately."""
    kind, concurrency = ASYNC_ROWS[row]
    made = [await factory(kind, port), await floor_async(kind, port)]
    figures: dict[str, Any] = {"rps": [], "cpu": [], "floor_rps": [], "floor_cpu": []}
    try:
        if kind == "stream":
            count = 100 if quick else concurrency
            figures = {"count": count, "updates": STREAMS_UPDATES, "rounds": [], "floor_rounds": []}
            for _ in range(1 if quick else 3):
                for (call, _close), key in zip(made, ("rounds", "floor_rounds")):
                    figures[key].append(await _streams(call, count))
            return figures
        for _ in range(1 if quick else 5):
            for (call, _close), prefix in zip(made, ("", "floor_")):
                rps, cpu = await _throughput(call, concurrency, 0.2 if quick else 1.5)
                figures[prefix + "rps"].append(rps)
                figures[prefix + "cpu"].append(cpu)
        return figures
    finally:
        for _call, close in made:
            await close()


# ---------------------------------------------------------------- the worker protocol

ROWS = ("stream", "parse", "build", "inproc", "loopback", "sse-loopback", *ASYNC_ROWS, "import", "memory")
Row = Callable[[dict[str, Any]], tuple[Any, ...]]


def worker(
    impl: str,
    version: str,
    rows: dict[str, Row],
    *,
    stream: Callable[[int], Iterable[Any]],
    imports: tuple[str, str],
    skipped: dict[str, str],
    async_factory: AsyncFactory,
) -> None:
    """Run the row named on the command line and print its figures as one JSON line.

    ``rows`` maps a timed row to a function of the settings returning (workload, floor, operations per call)
    and optionally a dict of more calls to time alongside (e.g. the bare HTTP stack of the loopback row);
    ``stream`` serves the memory row, ``imports`` (package, floor module) the import row, ``async_factory``
    (kind, port) -> (async call, async close) the async rows.
    """
    parser = argparse.ArgumentParser(description="Benchmark worker: runs one row, prints one JSON line.")
    parser.add_argument("row", choices=ROWS)
    parser.add_argument("--quick", action="store_true", help="few repetitions, short loops")
    parser.add_argument("--port", type=int, help="port of the loopback server (benchmarks/_server.py)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the row instead")
    args = parser.parse_args()
    reps, budget = (3, 0.02) if args.quick else (7, 0.2)
    head = {"impl": impl, "version": version, "row": args.row}
    if args.row in skipped:
        figures: dict[str, Any] = {"skipped": skipped[args.row]}
    elif args.row == "import":
        count = 5 if args.quick else 15
        package, floor, added = import_seconds(*imports, count)
        figures = {"samples": package, "floor": floor, "added": added}
    elif args.row == "memory":
        figures = memory(stream, args.quick)
    elif args.row in ASYNC_ROWS:
        figures = asyncio.run(measure_async(args.row, args.port, async_factory, args.quick))
    else:
        run, floor, per_call, *extra = rows[args.row]({"port": args.port})
        if args.profile:
            profile(run)
            return
        others: dict[str, Callable[[], Any]] = extra[0] if extra else {}
        cpu: list[list[float]] = []
        samples, floors, *more = timed(
            run, floor, *others.values(), reps=reps, budget=budget, per_call=per_call, cpu=cpu
        )
        figures = {"samples": samples, "floor": floors, "ratio": median(samples) / median(floors)}
        figures.update(zip(others, more))
        figures["cpu"] = dict(zip(["samples", "floor", *others], cpu))
    print(json.dumps({**head, **figures}))


def profile(fn: Callable[[], Any], seconds: float = 3.0) -> None:
    """Print the top 30 functions by own time of about ``seconds`` of calls of ``fn`` (unprofiled time)."""
    import cProfile
    import pstats

    fn()
    start = time.perf_counter()
    fn()
    loops = max(1, int(seconds / max(time.perf_counter() - start, 1e-9)))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(loops):
        fn()
    profiler.disable()
    print(f"{loops} calls")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)
