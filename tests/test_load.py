"""Load: many concurrent streams on one client, checked update by update; then no leaked sockets,
no unclosed-session warnings and no memory growth across rounds.

Sockets are counted from /proc (Linux): this process's socket descriptors whose TCP peer is the
emulator's port, which leaves out the emulator's own server-side sockets (same process).
Memory is compared after a warm-up round (caches filled once do not count): the number of live objects
the garbage collector tracks, which a leak of responses, sessions or streams raises, and the resident set
size, which is noisier and gets a looser bound. tracemalloc would triple the run time.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from azure.ai.inference.models import UserMessage

from .emulator import Emulator
from .support import key

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts sockets through /proc")

ASYNC_STREAMS = 200
THREADS, STREAMS_PER_THREAD = 16, 6
ROUNDS = 4  # the first warms up; memory is compared between the end of the second and of the last
OBJECT_GROWTH_LIMIT = 300  # far fewer than one object per stream
RSS_GROWTH_LIMIT = 8 * 1024 * 1024


def client_sockets(port: int) -> int:
    """How many of this process's open sockets are connected to ``port`` on 127.0.0.1 (any TCP state)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    with open("/proc/net/tcp") as table:
        next(table)
        for row in table:
            fields = row.split()
            remote_port = int(fields[2].split(":")[1], 16)
            if remote_port == port and fields[9] in inodes:
                count += 1
    return count


def check_stream(updates: list[Any], n: int) -> int:
    """Check one stream update by update against the emulator's reply to ``load <n>``; the number checked."""
    assert updates[0].choices[0].delta.role == "assistant" and updates[0].choices[0].delta.content is None
    assert [u.choices[0].delta.content for u in updates[1:4]] == ["Echo:", " load", f" {n}"]
    assert [u.choices[0].finish_reason for u in updates] == [None, None, None, None, "stop"]
    assert all(u.id == updates[0].id and u.model == "emulated-model" for u in updates)
    return len(updates)


def memory_now() -> tuple[int, int]:
    """Live objects the collector tracks, and the resident set size in bytes.

    The objects are the fewest of a few samples 20 ms apart: the emulator, on its own thread in this process, lets go
    of the connections the client just closed a moment later (a few hundred objects on a loaded machine). A leak stays
    in every sample.
    """
    objects = []
    for _ in range(5):
        gc.collect()
        objects.append(len(gc.get_objects()))
        time.sleep(0.02)
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return min(objects), resident_pages * os.sysconf("SC_PAGE_SIZE")


async def test_concurrent_async_streams_on_one_client(emulator: Emulator) -> None:
    from azure.ai.inference.aio import ChatCompletionsClient

    port = int(emulator.endpoint.rsplit(":", 1)[1])
    figures: dict[str, Any] = {"streams": 0, "updates": 0, "errors": 0, "memory": []}

    async def one(chat: Any, n: int) -> int:
        stream = await chat.complete(messages=[UserMessage(f"load {n}")], stream=True)
        return check_stream([update async for update in stream], n)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(ROUNDS):
            emulator.reset()
            async with ChatCompletionsClient(emulator.endpoint, key()) as chat:
                results = await asyncio.wait_for(
                    asyncio.gather(*(one(chat, n) for n in range(ASYNC_STREAMS)), return_exceptions=True), 60
                )
                figures["pooled"] = client_sockets(port)
            figures["errors"] += sum(isinstance(r, BaseException) for r in results)
            figures["updates"] += sum(r for r in results if isinstance(r, int))
            figures["streams"] += len(results)
            await asyncio.sleep(0.05)  # aiohttp closes its transports on the next loop iterations
            figures["memory"].append(memory_now())
        figures["left"] = client_sockets(port)
        del chat
        gc.collect()
    print(f"\nasync load: {figures}")
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    assert figures["streams"] == ROUNDS * ASYNC_STREAMS and figures["updates"] == 5 * figures["streams"]
    assert len(emulator.requests) == ASYNC_STREAMS
    assert figures["pooled"] <= 100  # aiohttp's connection limit
    assert figures["left"] == 0
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)], [str(w.message) for w in caught]
    (objects_before, rss_before), (objects_after, rss_after) = figures["memory"][1], figures["memory"][-1]
    assert objects_after - objects_before < OBJECT_GROWTH_LIMIT
    assert rss_after - rss_before < RSS_GROWTH_LIMIT


def test_threads_sharing_one_sync_client(emulator: Emulator) -> None:
    from azure.ai.inference import ChatCompletionsClient

    port = int(emulator.endpoint.rsplit(":", 1)[1])
    figures: dict[str, Any] = {"streams": 0, "updates": 0, "errors": 0, "memory": []}

    def worker(chat: Any, thread: int) -> int:
        checked = 0
        for i in range(STREAMS_PER_THREAD):
            n = thread * 100 + i
            with chat.complete(messages=[UserMessage(f"load {n}")], stream=True) as stream:
                checked += check_stream(list(stream), n)
        return checked

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(ROUNDS):
            emulator.reset()
            with ChatCompletionsClient(emulator.endpoint, key()) as chat, ThreadPoolExecutor(THREADS) as pool:
                futures = [pool.submit(worker, chat, thread) for thread in range(THREADS)]
                results = []
                for future in futures:
                    try:
                        results.append(future.result(timeout=60))
                    except Exception as exc:  # counted, then reported below
                        results.append(exc)
                figures["pooled"] = client_sockets(port)
            figures["errors"] += sum(isinstance(r, BaseException) for r in results)
            figures["updates"] += sum(r for r in results if isinstance(r, int))
            figures["streams"] += THREADS * STREAMS_PER_THREAD
            figures["memory"].append(memory_now())
        figures["left"] = client_sockets(port)
        del chat
        gc.collect()
    print(f"\nsync load: {figures}")
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    assert figures["updates"] == 5 * ROUNDS * THREADS * STREAMS_PER_THREAD
    assert len(emulator.requests) == THREADS * STREAMS_PER_THREAD
    assert figures["pooled"] <= THREADS  # requests keeps at most 10 idle; never more than one per thread
    assert figures["left"] == 0
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)], [str(w.message) for w in caught]
    (objects_before, rss_before), (objects_after, rss_after) = figures["memory"][1], figures["memory"][-1]
    assert objects_after - objects_before < OBJECT_GROWTH_LIMIT
    assert rss_after - rss_before < RSS_GROWTH_LIMIT
