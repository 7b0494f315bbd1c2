"""OpenTelemetry tracing through the real clients, sync and async, exported to the SDK's in-memory exporter."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, IncompleteReadError
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import azure.ai.inference as sync_api
import azure.ai.inference.aio as async_api
from azure.ai.inference.models import (
    AssistantMessage,
    AsyncStreamingChatCompletions,
    ChatCompletionsToolCall,
    ChatCompletionsToolDefinition,
    FunctionCall,
    FunctionDefinition,
    StreamingChatCompletions,
    SystemMessage,
    ToolMessage,
    UserMessage,
)
from azure.ai.inference.tracing import AIInferenceInstrumentor

from .emulator import Emulator
from .support import client, collect, resolve
from .test_prompts import run_sample

SECRET = "Zanzibar"  # in every message of the tests: with recording off it must appear nowhere
MESSAGES = [SystemMessage(f"You know {SECRET}."), UserMessage(f"Tell me about {SECRET} marmalade")]
TARGETS = [
    (sync_api.ChatCompletionsClient, "complete"),
    (sync_api.EmbeddingsClient, "embed"),
    (sync_api.ImageEmbeddingsClient, "embed"),
    (async_api.ChatCompletionsClient, "complete"),
    (async_api.EmbeddingsClient, "embed"),
    (async_api.ImageEmbeddingsClient, "embed"),
]
_EXPORTER = InMemorySpanExporter()


@pytest.fixture(scope="module", autouse=True)
def _provider() -> None:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))


@pytest.fixture
def instrumentor() -> Iterator[AIInferenceInstrumentor]:
    """An instrumentor, uninstrumented again after the test; the exporter starts empty."""
    _EXPORTER.clear()
    instrumentor = AIInferenceInstrumentor()
    yield instrumentor
    instrumentor.uninstrument()


@pytest.fixture(params=[True, False], ids=["recording", "no-recording"])
def recording(request: pytest.FixtureRequest, instrumentor: AIInferenceInstrumentor) -> bool:
    """Instrumented with content recording on, then off."""
    instrumentor.instrument(enable_content_recording=request.param)
    return bool(request.param)


def spans(name_prefix: str = "") -> list[ReadableSpan]:
    return [span for span in _EXPORTER.get_finished_spans() if span.name.startswith(name_prefix)]


def only_span(name_prefix: str) -> ReadableSpan:
    found = spans(name_prefix)
    assert len(found) == 1, [span.name for span in _EXPORTER.get_finished_spans()]
    return found[0]


def strings(value: Any) -> Iterator[str]:
    """Every string in decoded JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def telemetry() -> str:
    """Everything exported: names, attributes, events, status, resource of every span; and the event JSON decoded."""
    exported = [span.to_json() for span in _EXPORTER.get_finished_spans()]
    for span in _EXPORTER.get_finished_spans():
        for event in span.events:
            exported.extend(strings(json.loads(str((event.attributes or {}).get("gen_ai.event.content", "{}")))))
    return "\n".join(exported)


def events(span: ReadableSpan) -> list[tuple[str, str]]:
    return [(event.name, str((event.attributes or {}).get("gen_ai.event.content"))) for event in span.events]


def check_content(recording: bool, *texts: str) -> None:
    """With recording, each text is in the telemetry; without, none is, nor the secret word."""
    exported = telemetry()
    for text in texts:
        assert (text in exported) is recording, text
    if not recording:
        assert SECRET.lower() not in exported.lower()


# --- instrument / uninstrument -------------------------------------------------------------------


def test_instrument_wraps_each_target_once_and_uninstrument_restores(instrumentor: AIInferenceInstrumentor) -> None:
    before = [cls.__dict__.get(name) for cls, name in TARGETS]
    assert not instrumentor.is_instrumented()
    instrumentor.instrument()
    wrapped = [getattr(cls, name) for cls, name in TARGETS]
    assert all(w is not b for w, b in zip(wrapped, before)) and instrumentor.is_instrumented()
    instrumentor.instrument(enable_content_recording=True)  # again: no second layer, the setting changes
    assert [getattr(cls, name) for cls, name in TARGETS] == wrapped
    assert AIInferenceInstrumentor().is_content_recording_enabled()
    instrumentor.uninstrument()
    assert [cls.__dict__.get(name) for cls, name in TARGETS] == before
    assert sync_api.ImageEmbeddingsClient.embed.__qualname__ == "ImageEmbeddingsClient.embed"  # its own again
    assert not instrumentor.is_instrumented() and not instrumentor.is_content_recording_enabled()
    instrumentor.uninstrument()  # harmless too


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("True", True), ("false", False), (None, False)])
def test_content_recording_falls_back_to_the_environment(
    instrumentor: AIInferenceInstrumentor, monkeypatch: pytest.MonkeyPatch, value: str | None, expected: bool
) -> None:
    if value is None:
        monkeypatch.delenv("AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED", raising=False)
    else:
        monkeypatch.setenv("AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED", value)
    instrumentor.instrument()
    assert instrumentor.is_content_recording_enabled() is expected
    instrumentor.instrument(enable_content_recording=not expected)  # an explicit argument wins
    assert instrumentor.is_content_recording_enabled() is (not expected)


def test_missing_extra_gives_a_clear_error(
    instrumentor: AIInferenceInstrumentor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry", None)  # as if not installed
    with pytest.raises(ModuleNotFoundError, match=r"azure-ai-inference\[opentelemetry\]"):
        instrumentor.instrument()
    assert not instrumentor.is_instrumented()


def test_importing_the_package_does_not_import_opentelemetry() -> None:
    code = "import sys, azure.ai.inference, azure.ai.inference.aio, azure.ai.inference.tracing; "
    code += "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert output.stdout.strip() == "[]"


async def test_no_spans_unless_instrumented(
    api: ModuleType, emulator: Emulator, instrumentor: AIInferenceInstrumentor
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    await resolve(chat.complete(messages=MESSAGES))
    instrumentor.instrument()
    instrumentor.uninstrument()
    await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert spans("chat") == []


# --- chat completions ----------------------------------------------------------------------------


async def test_chat_span_attributes_and_events(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, model="m1", temperature=0.25, stop=["END"])
    result = await resolve(chat.complete(messages=MESSAGES, max_tokens=50, seed=7, response_format="json_object"))
    await resolve(chat.close())

    span = only_span("chat")
    assert span.name == "chat m1" and span.kind == SpanKind.CLIENT
    assert span.status.status_code == StatusCode.UNSET
    attributes = dict(span.attributes or {})
    assert attributes == {
        "gen_ai.operation.name": "chat",
        "gen_ai.system": "az.ai.inference",
        "gen_ai.request.model": "m1",
        "gen_ai.request.temperature": 0.25,  # a constructor default, read from the body sent
        "gen_ai.request.max_tokens": 50,
        "gen_ai.request.seed": 7,
        "gen_ai.request.stop_sequences": ("END",),
        "gen_ai.output.type": "json",
        "server.address": "127.0.0.1",
        "server.port": int(emulator.endpoint.rsplit(":", 1)[1]),
        "gen_ai.response.id": result.id,
        "gen_ai.response.model": "m1",
        "gen_ai.response.finish_reasons": ("stop",),
        "gen_ai.usage.input_tokens": result.usage.prompt_tokens,
        "gen_ai.usage.output_tokens": result.usage.completion_tokens,
    }
    assert [name for name, _ in events(span)] == ["gen_ai.system.message", "gen_ai.user.message", "gen_ai.choice"]
    assert all((event.attributes or {})["gen_ai.system"] == "az.ai.inference" for event in span.events)
    if not recording:
        assert events(span)[1][1] == '{"role": "user"}'
        assert events(span)[2][1] == '{"index": 0, "finish_reason": "stop", "message": {"role": "assistant"}}'
    check_content(
        recording, f"You know {SECRET}.", f"Tell me about {SECRET} marmalade", result.choices[0].message.content
    )


async def test_chat_span_from_a_whole_body(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, temperature=0.9)
    body = {"messages": [{"role": "user", "content": f"{SECRET} body"}], "model": "m2", "top_p": 0.5}
    await resolve(chat.complete(body))
    await resolve(chat.close())

    attributes = dict(only_span("chat m2").attributes or {})
    assert attributes["gen_ai.request.top_p"] == 0.5
    assert "gen_ai.request.temperature" not in attributes  # a body is sent as is, without the defaults
    check_content(recording, f"{SECRET} body")


async def test_file_body_is_sent_untouched_and_traced(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    raw = json.dumps({"messages": [{"role": "user", "content": f"{SECRET} file"}], "model": "m4"}).encode()
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    result = await resolve(chat.complete(io.BytesIO(raw)))
    await resolve(chat.close())
    assert emulator.requests[-1].body == raw and result.model == "m4"
    span = only_span("chat")
    assert span.name == "chat" and dict(span.attributes or {})["gen_ai.response.model"] == "m4"  # a file is not re-read
    check_content(recording, result.choices[0].message.content)


async def test_tool_calls_are_stripped_without_recording(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    parameters = {"type": "object", "properties": {"city": {"type": "string", "enum": [SECRET]}}, "required": ["city"]}
    tool = ChatCompletionsToolDefinition(function=FunctionDefinition(name="zanzibar_weather", parameters=parameters))
    call = ChatCompletionsToolCall(id="call_9", function=FunctionCall(name="zanzibar_weather", arguments="{}"))
    messages = [
        UserMessage(f"Weather in {SECRET}?"),
        AssistantMessage(tool_calls=[call]),
        ToolMessage(f"Sunny in {SECRET}", tool_call_id="call_9"),
        UserMessage(f"And tomorrow in {SECRET}?"),
    ]
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, tools=[tool])
    result = await resolve(chat.complete(messages=messages))
    await resolve(chat.close())

    span = only_span("chat")
    returned = result.choices[0].message.tool_calls[0]
    assert dict(span.attributes or {})["gen_ai.response.finish_reasons"] == ("tool_calls",)
    assert [name for name, _ in events(span)] == [
        "gen_ai.user.message",
        "gen_ai.assistant.message",
        "gen_ai.tool.message",
        "gen_ai.user.message",
        "gen_ai.choice",
    ]
    exported = telemetry()
    assert "call_9" in exported and returned.id in exported  # ids are not content
    if not recording:
        assert events(span)[1][1] == '{"role": "assistant", "tool_calls": [{"id": "call_9", "type": "function"}]}'
        assert events(span)[2][1] == '{"role": "tool", "tool_call_id": "call_9"}'
    check_content(recording, "zanzibar_weather", f"Sunny in {SECRET}")


async def test_failed_call_sets_error_type_and_status(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    emulator.enqueue(400, json={"error": {"code": "content_filter", "message": f"Blocked: {SECRET}"}})
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    with pytest.raises(HttpResponseError):
        await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())

    span = only_span("chat")
    assert dict(span.attributes or {})["error.type"] == "azure.core.exceptions.HttpResponseError"
    assert span.status.status_code == StatusCode.ERROR
    assert (span.status.description is not None and f"Blocked: {SECRET}" in span.status.description) is recording
    check_content(recording, f"Blocked: {SECRET}")


async def test_call_that_fails_before_sending_ends_its_span(
    api: ModuleType, emulator: Emulator, recording: bool
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    with pytest.raises(TypeError):
        await resolve(chat.complete())
    await resolve(chat.close())
    assert dict(only_span("chat").attributes or {})["error.type"] == "builtins.TypeError"


async def test_callers_request_hooks_still_run(
    api: ModuleType, emulator: Emulator, instrumentor: AIInferenceInstrumentor
) -> None:
    instrumentor.instrument()
    seen: list[str] = []
    chat = client(
        api, "ChatCompletionsClient", emulator.endpoint, raw_request_hook=lambda r: seen.append("client"), model="m"
    )
    await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.complete(messages=MESSAGES, raw_request_hook=lambda r: seen.append("call")))
    await resolve(chat.close())
    assert seen == ["client", "call"]
    assert [span.name for span in spans("chat")] == ["chat m", "chat m"]


# --- streaming -----------------------------------------------------------------------------------


async def test_streaming_span_ends_with_the_stream(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, model="m3")
    stream = await resolve(
        chat.complete(messages=MESSAGES, stream=True, model_extras={"stream_options": {"include_usage": True}})
    )
    assert isinstance(stream, StreamingChatCompletions if api is sync_api else AsyncStreamingChatCompletions)
    assert spans("chat") == []  # open while the stream is
    updates = await collect(stream)
    await resolve(chat.close())

    text = "".join(u.choices[0].delta.content or "" for u in updates if u.choices)
    span = only_span("chat m3")
    attributes = dict(span.attributes or {})
    assert attributes["gen_ai.response.finish_reasons"] == ("stop",)
    assert attributes["gen_ai.response.id"] == updates[0].id
    assert attributes["gen_ai.usage.output_tokens"] == updates[-1].usage.completion_tokens
    assert span.status.status_code == StatusCode.UNSET
    assert [name for name, _ in events(span)][-1] == "gen_ai.choice"
    check_content(recording, text)


async def test_streaming_span_ends_on_close_and_on_break(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    unread = await resolve(chat.complete(messages=MESSAGES, stream=True))
    await resolve(unread.close() if api is sync_api else unread.aclose())
    assert len(spans("chat")) == 1

    partial = await resolve(chat.complete(messages=MESSAGES, stream=True))
    if api is sync_api:
        with partial:
            for _ in partial:
                break
    else:
        async with partial:
            async for _ in partial:
                break
    assert len(spans("chat")) == 2
    span = spans("chat")[1]
    assert span.status.status_code == StatusCode.UNSET
    await resolve(chat.close())
    check_content(recording, f"Tell me about {SECRET} marmalade")


async def test_streaming_get_final_completion_ends_the_span(
    api: ModuleType, emulator: Emulator, instrumentor: AIInferenceInstrumentor
) -> None:
    instrumentor.instrument(enable_content_recording=True)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    final = await resolve(stream.get_final_completion())
    await resolve(chat.close())
    assert final.choices[0].message.content == f"Echo: Tell me about {SECRET} marmalade"
    assert events(only_span("chat"))[-1][1].count(final.choices[0].message.content) == 1


async def test_streaming_failure_sets_error_and_ends_span(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    cut = b'data: {"id": "s9", "model": "m", "choices": [{"index": 0, "delta": {"content": "Zanzibar is"}}]}\n\n'
    emulator.enqueue(chunks=[cut], content_type="text/event-stream")
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    with pytest.raises(IncompleteReadError):
        await collect(stream)
    await resolve(chat.close())

    span = only_span("chat")
    assert span.status.status_code == StatusCode.ERROR
    assert dict(span.attributes or {})["error.type"] == "azure.core.exceptions.IncompleteReadError"
    assert dict(span.attributes or {})["gen_ai.response.id"] == "s9"
    check_content(recording, "Zanzibar is")


# --- embeddings ----------------------------------------------------------------------------------


async def test_embeddings_span(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    embeddings = client(api, "EmbeddingsClient", emulator.url("embed"), dimensions=4)
    result = await resolve(embeddings.embed(input=[f"{SECRET} one", "two"], model="e1", encoding_format="float"))
    await resolve(embeddings.close())

    span = only_span("embeddings")
    assert span.name == "embeddings e1" and span.kind == SpanKind.CLIENT and span.events == ()
    attributes: dict[str, Any] = dict(span.attributes or {})
    assert attributes["gen_ai.operation.name"] == "embeddings"
    assert attributes["gen_ai.request.model"] == "e1"
    assert attributes["gen_ai.embeddings.dimension.count"] == 4
    assert attributes["gen_ai.request.encoding_formats"] == ("float",)
    assert attributes["gen_ai.response.id"] == result.id
    assert attributes["gen_ai.usage.input_tokens"] == result.usage.prompt_tokens
    assert SECRET not in telemetry()  # inputs are never recorded


# --- samples -------------------------------------------------------------------------------------


def test_sample_with_tracing_prints_the_spans(emulator: Emulator) -> None:
    done = run_sample("sample_chat_completions_with_tracing.py", emulator.endpoint, AZURE_AI_CHAT_DEPLOYMENT_NAME="sm")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    out = done.stdout
    assert "answer: Echo: Name one sight in Lisbon." in out and "streamed answer: Echo: And one in Porto?" in out
    assert out.count('"name": "chat sm"') == 2 and out.count('"name": "plan_a_trip"') == 1
    assert '"gen_ai.request.temperature": 0.5' in out and '"gen_ai.usage.output_tokens"' in out
    assert '\\"content\\": \\"Name one sight in Lisbon.\\"' in out  # content recording is on in the sample


def test_sample_with_azure_monitor_needs_its_connection_string(emulator: Emulator) -> None:
    done = run_sample("sample_chat_completions_with_azure_monitor_tracing.py", emulator.endpoint)
    assert done.returncode == 2
    assert "missing environment variable(s):\n  APPLICATIONINSIGHTS_CONNECTION_STRING" in done.stderr
    assert emulator.requests == []
