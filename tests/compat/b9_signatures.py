"""The signatures and decorators of the clients' public methods, as callers and tools observe them.

- ``describe()``: what ``inspect`` reports for every public method and constructor, and their overloads.
  Defaults are recorded where a caller can observe them: literals by ``repr``, sentinels by their type's name.
- ``spans()``: the spans azure-core's own tracing creates around each call (its ``distributed_trace`` decorators).
- ``content_types()``: the Content-Type each body form sends, with and without ``content_type=``.
- ``error_maps()``: what each method raises when given ``error_map=``.

Run under an environment that holds the published 1.0.0b9 (and not this repository) to record its answers::

    /path/to/b9venv/bin/python tests/compat/b9_signatures.py --write tests/compat/b9_signatures.json

``tests/test_signatures.py`` runs the same functions on this repository's package, against the loopback
emulator, and compares.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import importlib
import inspect
import io
import json
import os
import sys
import threading
from typing import Any, Callable

from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError
from typing_extensions import get_overloads

if __package__:
    from ..emulator import Emulator
else:  # a script, run by 1.0.0b9's interpreter: tests/ goes on the path, the repository root does not
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from emulator import Emulator

KEY = "signatures-key"

APIS = ("azure.ai.inference", "azure.ai.inference.aio")
CLIENTS = {"ChatCompletionsClient": "complete", "EmbeddingsClient": "embed", "ImageEmbeddingsClient": "embed"}
SYNC_ONLY = ("__enter__", "__exit__")
ASYNC_ONLY = ("__aenter__", "__aexit__")


def _default(value: Any) -> Any:
    if value is inspect.Parameter.empty:
        return "<required>"
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    return f"<{type(value).__name__}>"


def parameters(function: Callable[..., Any]) -> list[str]:
    """``"name KIND default"`` of each parameter that ``inspect.signature`` lists."""
    signature = inspect.signature(function)
    return [f"{p.name} {p.kind.name} {_default(p.default)}" for p in signature.parameters.values()]


def argspec(function: Callable[..., Any]) -> dict[str, Any]:
    """What ``inspect.getfullargspec`` lists (it does not follow ``__wrapped__``); annotations left out."""
    spec = inspect.getfullargspec(function)
    return {
        "args": spec.args,
        "varargs": spec.varargs,
        "varkw": spec.varkw,
        "defaults": [_default(d) for d in spec.defaults or ()],
        "kwonlyargs": spec.kwonlyargs,
        "kwonlydefaults": {k: _default(v) for k, v in (spec.kwonlydefaults or {}).items()},
    }


def targets() -> dict[str, Callable[..., Any]]:
    """Every public method and constructor of the clients, sync and async, and ``load_client``, by dotted name."""
    found: dict[str, Callable[..., Any]] = {}
    for api in APIS:
        module = importlib.import_module(api)
        names = ("__init__", "get_model_info", "send_request", "close", "__str__")
        names += ASYNC_ONLY if api.endswith(".aio") else SYNC_ONLY
        for client, operation in CLIENTS.items():
            cls = getattr(module, client)
            for name in (operation, *names):
                found[f"{api}.{client}.{name}"] = getattr(cls, name)
        found[f"{api}.load_client"] = module.load_client
    return found


def describe() -> dict[str, Any]:
    """The record of every target: its signature, its argspec, and the parameters of each of its overloads."""
    out = {}
    for name, function in targets().items():
        out[name] = {
            "signature": parameters(function),
            "argspec": argspec(function),
            "overloads": [parameters(o) for o in get_overloads(inspect.unwrap(function))],
        }
    return out


# --- behaviour, against the loopback emulator --------------------------------------------------------------

CHAT_BODY = {"messages": [{"role": "user", "content": "hi"}]}
EMBED_BODY = {"input": ["hi"]}
IMAGE = {"image": "data:image/png;base64,iVBORw0KGgo="}


class _Loop:
    """An event loop in a thread of its own, where the async clients' calls run (made from sync code)."""

    def __enter__(self) -> _Loop:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        return self

    def run(self, awaitable: Any) -> Any:
        async def wait() -> Any:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wait(), self.loop).result(30)

    def __exit__(self, *exc_info: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def _calls(api: str, emulator: Emulator, opened: list[Any]) -> dict[str, Callable[..., Any]]:
    """One call per method and body form, taking the per-call keywords; the async ones return awaitables."""
    module = importlib.import_module(api)

    def client(name: str, endpoint: str) -> Any:
        opened.append(getattr(module, name)(endpoint, AzureKeyCredential(KEY)))
        return opened[-1]

    chat = client("ChatCompletionsClient", emulator.endpoint)
    text = client("EmbeddingsClient", emulator.url("embed"))
    image = client("ImageEmbeddingsClient", emulator.url("image"))
    chat_bytes = json.dumps(CHAT_BODY).encode()
    messages = CHAT_BODY["messages"]
    return {
        "complete(messages=...)": lambda **kw: chat.complete(messages=messages, **kw),
        "complete(messages=..., stream=True)": lambda **kw: chat.complete(messages=messages, stream=True, **kw),
        "complete(<JSON>)": lambda **kw: chat.complete(CHAT_BODY, **kw),
        "complete(<bytes>)": lambda **kw: chat.complete(chat_bytes, **kw),
        "complete(<IO[bytes]>)": lambda **kw: chat.complete(io.BytesIO(chat_bytes), **kw),
        "EmbeddingsClient.embed(input=...)": lambda **kw: text.embed(input=EMBED_BODY["input"], **kw),
        "EmbeddingsClient.embed(<JSON>)": lambda **kw: text.embed(EMBED_BODY, **kw),
        "EmbeddingsClient.embed(<bytes>)": lambda **kw: text.embed(json.dumps(EMBED_BODY).encode(), **kw),
        "ImageEmbeddingsClient.embed(input=...)": lambda **kw: image.embed(input=[IMAGE], **kw),
        # a new client each time, since the first answer is cached
        "get_model_info()": lambda **kw: client("ChatCompletionsClient", emulator.endpoint).get_model_info(**kw),
        "load_client()": lambda **kw: module.load_client(emulator.endpoint, AzureKeyCredential(KEY), **kw),
    }


async def _drain(stream: Any) -> None:
    async for _ in stream:
        pass


def _each_call(emulator: Emulator, run: Callable[[Callable[..., str]], Any]) -> dict[str, Any]:
    """``run(call)`` for each call of ``_calls``, sync and async, by ``"<module> <call>"``.

    ``call(**kwargs)`` makes the call, runs it to its end (awaited, streamed) and names what it returned or raised.
    """
    out = {}
    opened: list[Any] = []
    with _Loop() as loop:

        def finish(value: Any) -> Any:
            if inspect.isawaitable(value):
                value = loop.run(value)
            if hasattr(value, "__aiter__"):
                loop.run(_drain(value))
            elif hasattr(value, "__next__"):
                for _ in value:
                    pass
            return value

        def outcome(make: Callable[..., Any], **kwargs: Any) -> str:
            try:
                value = finish(make(**kwargs))
            except Exception as exc:  # what it raises is the point
                return type(exc).__name__
            if hasattr(value, "send_request"):  # the client load_client returned
                opened.append(value)
            return type(value).__name__

        for api in APIS:
            for name, make in _calls(api, emulator, opened).items():
                out[f"{api} {name}"] = run(functools.partial(outcome, make))
        for client in opened:
            finish(client.close())
    return out


def content_types(emulator: Emulator) -> dict[str, list[Any]]:
    """The Content-Type received for each call: as is, with ``content_type=``, with a header, with both."""
    variants: list[dict[str, Any]] = [
        {},
        {"content_type": "application/x-keyword"},
        {"headers": {"Content-Type": "text/x-header"}},
        {"content_type": "application/x-keyword", "headers": {"content-type": "text/x-header"}},
    ]

    def run(call: Callable[..., str]) -> list[Any]:
        received = []
        for kwargs in variants:
            emulator.requests.clear()
            outcome = call(**kwargs)
            posts = [r.headers.get("Content-Type") for r in emulator.requests if r.method == "POST"]
            received.append(posts or outcome)
        return received

    return _each_call(emulator, run)


class Teapot(HttpResponseError):
    """The caller's own exception class, given in ``error_map``."""


def error_maps(emulator: Emulator) -> dict[str, list[str]]:
    """What each call raises for a 418 answer, and for a 404, when given ``error_map`` for that status."""

    def run(call: Callable[..., str]) -> list[str]:
        outcomes = []
        for status in (418, 404):
            emulator.reset()
            emulator.key = KEY
            for _ in range(2):  # load_client sends two requests
                emulator.enqueue(status, json={"error": {"code": "Teapot", "message": "short and stout"}})
            outcomes.append(call(error_map={status: Teapot}))
        return outcomes

    return _each_call(emulator, run)


def spans(emulator: Emulator, finished: Callable[[], Any]) -> dict[str, list[str]]:
    """``"name KIND <parent>"`` of the spans azure-core's own tracing creates for each call.

    ``finished()`` returns and forgets the spans ended so far (an OpenTelemetry in-memory exporter's).
    """
    from azure.core.settings import settings

    def run(call: Callable[..., str]) -> list[str]:
        finished()
        call()
        ended = finished()
        names = {span.context.span_id: span.name for span in ended}
        return sorted(f"{s.name} {s.kind.name} <{names.get(s.parent.span_id) if s.parent else ''}>" for s in ended)

    settings.tracing_enabled.set_value(True)
    try:
        return _each_call(emulator, run)
    finally:
        settings.tracing_enabled.unset_value()


def behaviour(emulator: Emulator, finished: Callable[[], Any]) -> dict[str, Any]:
    """The content types, error maps and spans of every call."""
    return {
        "content_types": content_types(emulator),
        "error_maps": error_maps(emulator),
        "spans": spans(emulator, finished),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", help="write the record (with the package's identity) to this JSON file")
    args = parser.parse_args(argv)
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    import azure.ai.inference

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)

    def finished() -> Any:
        ended = exporter.get_finished_spans()
        exporter.clear()
        return ended

    with Emulator(key=KEY) as emulator:
        record = {
            "package": {"version": azure.ai.inference.__version__, "file": azure.ai.inference.__file__},
            "python": sys.version.split()[0],
            "targets": describe(),
            **behaviour(emulator, finished),
        }
    text = json.dumps(record, indent=1) + "\n"
    if args.write:
        with open(args.write, "w", encoding="utf-8") as file:
            file.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
