"""The public methods keep 1.0.0b9's signatures, keywords and tracing decorators (``tests/compat/b9_signatures.json``).

The record was made by ``tests/compat/b9_signatures.py`` under the published 1.0.0b9; here the same functions
describe this repository's package, sync and async, and drive it against the loopback emulator.
"""

from __future__ import annotations

import inspect
import json
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ForwardRef, Union, get_type_hints

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from typing_extensions import get_overloads

import azure.ai.inference as sync_api
import azure.ai.inference.aio as async_api
from azure.ai.inference.models import AsyncStreamingChatCompletions, ChatCompletions, StreamingChatCompletions

from .compat import b9_signatures as record
from .emulator import Emulator
from .support import collect, resolve

ROOT = Path(__file__).resolve().parent.parent
B9 = json.loads((ROOT / "tests" / "compat" / "b9_signatures.json").read_text(encoding="utf-8"))
OURS = record.describe()

# 1.0.0b9 wrapped these in azure-core's tracing decorator without ``__signature__``, so getfullargspec (which
# does not follow ``__wrapped__``) saw only ``(*args, **kwargs)``. Ours show the parameters that
# ``inspect.signature`` shows, which were 1.0.0b9's too: a decorator must not hide them.
HIDDEN_BY_B9_DECORATOR = {
    name
    for name in B9["targets"]
    if name.endswith((".embed", ".get_model_info"))
    and B9["targets"][name]["argspec"]["varargs"] == "args"
    and B9["targets"][name]["argspec"]["args"] == []
}


def argspec_of(signature: list[str]) -> dict[str, Any]:
    """What ``inspect.getfullargspec`` lists for a function whose signature is this record's."""
    params = [entry.split(" ", 2) for entry in signature]
    positional = [(name, default) for name, kind, default in params if kind == "POSITIONAL_OR_KEYWORD"]
    keyword = [(name, default) for name, kind, default in params if kind == "KEYWORD_ONLY"]
    return {
        "args": [name for name, _ in positional],
        "varargs": next((name for name, kind, _ in params if kind == "VAR_POSITIONAL"), None),
        "varkw": next((name for name, kind, _ in params if kind == "VAR_KEYWORD"), None),
        "defaults": [default for _, default in positional if default != "<required>"],
        "kwonlyargs": [name for name, _ in keyword],
        "kwonlydefaults": {name: default for name, default in keyword if default != "<required>"},
    }


def test_record_comes_from_published_b9() -> None:
    assert B9["package"]["version"] == "1.0.0b9"
    assert not os.path.realpath(B9["package"]["file"]).startswith(str(ROOT))
    assert os.path.realpath(sync_api.__file__).startswith(str(ROOT))


def test_same_public_methods_and_constructors() -> None:
    assert list(OURS) == list(B9["targets"])


@pytest.mark.parametrize("name", list(B9["targets"]))
def test_signature_lists_b9_parameters(name: str) -> None:
    assert OURS[name]["signature"] == B9["targets"][name]["signature"]


@pytest.mark.parametrize("name", list(B9["targets"]))
def test_getfullargspec_lists_b9_parameters(name: str) -> None:
    b9 = B9["targets"][name]
    assert OURS[name]["argspec"] == argspec_of(b9["signature"])
    if name not in HIDDEN_BY_B9_DECORATOR:
        assert OURS[name]["argspec"] == b9["argspec"]


def test_b9_hid_only_the_traced_methods() -> None:
    """The exception above is exactly 1.0.0b9's ``embed()`` and ``get_model_info()``, sync and async."""
    expected = {
        f"{api}.{client}.{method}"
        for api in record.APIS
        for client in record.CLIENTS
        for method in ("get_model_info", *(["embed"] if client != "ChatCompletionsClient" else []))
    }
    assert expected == HIDDEN_BY_B9_DECORATOR


def test_autogen_reads_the_settings_of_async_complete() -> None:
    """autogen-ext checks its ``extra_create_args`` against these keyword-only arguments."""
    kwonly = inspect.getfullargspec(async_api.ChatCompletionsClient.complete).kwonlyargs
    assert kwonly == B9["targets"]["azure.ai.inference.aio.ChatCompletionsClient.complete"]["argspec"]["kwonlyargs"]
    assert {"messages", "stream", "temperature", "tools", "response_format", "model_extras"} <= set(kwonly)


@pytest.mark.parametrize("api", record.APIS)
def test_complete_overloads_keep_b9_order_and_keywords(api: str) -> None:
    """Names and kinds, overload by overload; the defaults of an overload are not observable at runtime."""
    name = f"{api}.ChatCompletionsClient.complete"

    def names_and_kinds(overloads: list[list[str]]) -> list[list[str]]:
        return [[entry.rsplit(" ", 1)[0] for entry in overload] for overload in overloads]

    assert len(OURS[name]["overloads"]) == 5
    assert names_and_kinds(OURS[name]["overloads"]) == names_and_kinds(B9["targets"][name]["overloads"])


@pytest.mark.parametrize("name", list(B9["targets"]))
def test_annotations_resolve_as_in_b9(name: str) -> None:
    """The annotations are strings at runtime (PEP 563: none is built at import), which ``get_type_hints`` resolves
    into types, as 1.0.0b9's resolved, for each method, constructor and overload."""
    function = record.targets()[name]
    for each in [function, *get_overloads(inspect.unwrap(function))]:
        hints = get_type_hints(each)
        assert set(hints) >= {p.name for p in inspect.signature(each).parameters.values()} - {"self", "args"}
        assert not [h for h in hints.values() if isinstance(h, (str, ForwardRef))]


@pytest.mark.parametrize("api", [sync_api, async_api], ids=["sync", "async"])
def test_complete_overloads_return_by_stream(api: Any) -> None:
    streaming = AsyncStreamingChatCompletions if api is async_api else StreamingChatCompletions
    overloads = get_overloads(api.ChatCompletionsClient.complete)
    assert [get_type_hints(o)["return"] for o in overloads] == [
        ChatCompletions,
        streaming,
        *[Union[ChatCompletions, streaming]] * 3,
    ]


# --- the wire, and azure-core's spans: the same functions as for the record ------------------------------------


@pytest.fixture(scope="module")
def signatures_emulator() -> Iterator[Emulator]:
    with Emulator(key=record.KEY) as emulator:
        yield emulator


def test_content_type_as_b9(signatures_emulator: Emulator) -> None:
    """``content_type=`` sets the Content-Type of every form of complete() and embed(), over a header too."""
    assert record.content_types(signatures_emulator) == B9["content_types"]


def test_error_map_as_b9(signatures_emulator: Emulator) -> None:
    """complete(), embed() and get_model_info() raise the caller's class; load_client() does not take one."""
    assert record.error_maps(signatures_emulator) == B9["error_maps"]


_EXPORTER = InMemorySpanExporter()


@pytest.fixture(scope="module")
def finished() -> Any:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))

    def finished() -> Any:
        ended = _EXPORTER.get_finished_spans()
        _EXPORTER.clear()
        return ended

    return finished


def test_spans_as_b9(signatures_emulator: Emulator, finished: Any) -> None:
    """With azure-core's tracing on: no span of complete()'s own; embed() and get_model_info() named per class."""
    assert record.spans(signatures_emulator, finished) == B9["spans"]


# --- the overloads at runtime ----------------------------------------------------------------------------------


async def test_stream_keyword_picks_the_result(emulator: Emulator, api: Any) -> None:
    streaming = AsyncStreamingChatCompletions if api is async_api else StreamingChatCompletions
    client = api.ChatCompletionsClient(emulator.endpoint, record.AzureKeyCredential("emulator-key"))
    messages = [{"role": "user", "content": "hi"}]
    for stream in (None, False):
        assert type(await resolve(client.complete(messages=messages, stream=stream))) is ChatCompletions
    assert type(await resolve(client.complete(messages=messages))) is ChatCompletions
    result = await resolve(client.complete(messages=messages, stream=True))
    assert type(result) is streaming and await collect(result)
    result = await resolve(client.complete({"messages": messages, "stream": True}))
    assert type(result) is streaming and await collect(result)
    await resolve(client.close())


# --- read-only parameters: any sequence, as their Sequence types say ---------------------------------------------


async def test_any_sequence_is_sent_as_a_list(emulator: Emulator, api: Any) -> None:
    key = record.AzureKeyCredential("emulator-key")
    chat = api.ChatCompletionsClient(emulator.endpoint, key)
    tool = {"type": "function", "function": {"name": "now", "parameters": {"type": "object", "properties": {}}}}
    messages = deque([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}])
    await resolve(chat.complete(messages=messages, stop=deque(["\n\n"]), tools=deque([tool])))
    body = emulator.requests[-1].json()
    assert (body["messages"], body["stop"], body["tools"]) == (list(messages), ["\n\n"], [tool])
    with pytest.raises(TypeError, match="messages must be a list of chat messages, not str"):
        await resolve(chat.complete(messages="hi"))
    texts = api.EmbeddingsClient(emulator.url("embed"), key)
    await resolve(texts.embed(input=deque(["first", "second"])))
    assert emulator.requests[-1].json()["input"] == ["first", "second"]
    for client in (chat, texts):
        await resolve(client.close())


def test_instrumentor_keeps_the_argspecs() -> None:
    """With AIInferenceInstrumentor on (1.0.0b9 lost them then), complete() and embed() still list their keywords."""
    from azure.ai.inference.tracing import AIInferenceInstrumentor

    instrumentor = AIInferenceInstrumentor()
    instrumentor.instrument()
    try:
        traced = record.describe()
    finally:
        instrumentor.uninstrument()
    for name in OURS:
        if name.endswith((".complete", ".embed")):
            assert traced[name]["signature"] == OURS[name]["signature"], name
            assert traced[name]["argspec"] == OURS[name]["argspec"], name
    assert record.describe() == OURS  # uninstrumented again
