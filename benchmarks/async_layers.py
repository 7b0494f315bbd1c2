"""Where the CPU of an async ``complete()`` goes, layer by layer, against the loopback server.

    python benchmarks/async_layers.py [--concurrency 16] [--seconds 1.0] [--reps 3]

Each line adds one layer to the one above it, all in this process, taking turns (median CPU µs per
request, every thread counted): a bare aiohttp session and ``json.loads`` (the floor); azure-core's
``AsyncPipelineClient`` with no policy on the transport this package builds; the same with this package's
policy list (both sent as the operations send: their request object, from the pipeline's first policy);
this package's ``complete()`` (without, then with, azure-core's ``distributed_trace_async`` when
``complete()`` is traced; like 1.0.0b9's, it is not).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from statistics import median
from typing import Any

import _common as c
from azure.core import AsyncPipelineClient
from azure.core.credentials import AzureKeyCredential
from azure.core.pipeline import PipelineContext, PipelineRequest
from azure.core.pipeline._base_async import _AsyncTransportRunner
from run import start_server, stop_server

from azure.ai.inference._operations import _Request
from azure.ai.inference.aio import ChatCompletionsClient
from azure.ai.inference.aio._hooks import hook_runners
from azure.ai.inference.aio._transport import PooledAioHttpTransport
from azure.ai.inference.models import SystemMessage, UserMessage

MESSAGES = [SystemMessage(c.SYSTEM_PROMPT), UserMessage(c.QUESTION)]
JSON_ONLY = {"Content-Type": "application/json"}  # the key policy adds the auth headers


async def layers(port: int, concurrency: int, seconds: float, reps: int) -> None:
    url, body = f"http://127.0.0.1:{port}{c.LOOPBACK_PATH}", c.request_json()
    floor, close_floor = await c.floor_async("chat", port)
    chat = ChatCompletionsClient(f"http://127.0.0.1:{port}/models", AzureKeyCredential("k"))
    bare = AsyncPipelineClient(url, policies=[], transport=PooledAioHttpTransport(use_env_settings=False))
    policed = AsyncPipelineClient(
        url, policies=hook_runners(chat._config.policies()), transport=PooledAioHttpTransport(use_env_settings=False)
    )

    def through(client: Any, headers: dict[str, str]) -> Any:
        """Send as the package's operations send: its request object, from the pipeline's first policy."""
        pipeline = client._pipeline
        first = pipeline._impl_policies[0] if pipeline._impl_policies else _AsyncTransportRunner(pipeline._transport)

        async def call() -> None:
            request = PipelineRequest(
                _Request("POST", url, content=body, headers=headers), PipelineContext(pipeline._transport)
            )
            response = (await first.send(request)).http_response
            assert json.loads(response.content)["choices"][0]["message"]["content"] == c.COMPLETION_TEXT

        return call

    async def complete() -> None:
        assert (await chat.complete(messages=MESSAGES)).choices[0].message.content == c.COMPLETION_TEXT

    calls = {
        "bare aiohttp session + json.loads (floor)": floor,
        "+ azure-core AsyncPipelineClient, no policy": through(bare, c.HEADERS),
        "+ the package's policies (azure-core's, key, request id)": through(policed, JSON_ONLY),
        "+ complete(): body, models, response wrapping": complete,
    }  # fmt: skip
    undecorated = getattr(type(chat).complete, "__wrapped__", None)
    if undecorated is not None:  # complete() traced: its own work, then the decorator's

        async def own_work() -> None:
            result = await undecorated(chat, messages=MESSAGES)
            assert result.choices[0].message.content == c.COMPLETION_TEXT

        calls["+ complete(): body, models, response wrapping"] = own_work
        calls["+ azure-core's distributed_trace_async on complete()"] = complete
    cpu: dict[str, list[float]] = {name: [] for name in calls}
    try:
        for _ in range(reps):
            for name, call in calls.items():
                cpu[name].append((await c._throughput(call, concurrency, seconds))[1])
    finally:
        await close_floor()
        for client in (chat, bare, policed):
            await client.close()
    previous = None
    for name, figures in cpu.items():
        value = median(figures) * 1e6
        step = "" if previous is None else f" ({value - previous:+.0f})"
        print(f"{name:<60} {value:6.0f} µs{step}")
        previous = value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=1.0, help="per measurement")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    server, port = start_server(sys.executable)
    try:
        asyncio.run(layers(port, args.concurrency, args.seconds, args.reps))
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
