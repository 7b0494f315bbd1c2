"""OpenTelemetry tracing through the real clients, sync and async, exported to the SDK's in-memory exporter.

The expectations are exact: the span names, attribute sets and event bodies (JSON text, key order included) that
1.0.0b9 emitted for the same user code, which dashboards are built on. They were established by running 1.0.0b9
(with azure-core-tracing-opentelemetry) and this package side by side against the emulator and recorded service
traffic; the differences that remain are listed in CHANGELOG.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, IncompleteReadError, ServiceRequestError
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
    ChatCompletionsToolDefinition,
    FunctionDefinition,
    ImageEmbeddingInput,
    StreamingChatCompletions,
    SystemMessage,
    ToolMessage,
    UserMessage,
)
from azure.ai.inference.tracing import AIInferenceInstrumentor

from .emulator import Emulator
from .support import client, collect, resolve
from .test_prompts import run_sample

SECRET = "Zanzibar"  # in every message of the tests: with recording off it must appear in no span
MESSAGES = [SystemMessage(f"You know {SECRET}."), UserMessage(f"Tell me about {SECRET} marmalade")]
REQUEST_EVENTS = [
    ("gen_ai.system.message", '{"role": "system", "content": "You know Zanzibar."}'),
    ("gen_ai.user.message", '{"role": "user", "content": "Tell me about Zanzibar marmalade"}'),
]
ANSWER = f"Echo: Tell me about {SECRET} marmalade"  # the emulator's reply to MESSAGES
WEATHER = ChatCompletionsToolDefinition(
    function=FunctionDefinition(
        name="get_weather",
        description="The weather in a city",
        parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    )
)
TARGETS = [(sync_api.ChatCompletionsClient, "complete"), (async_api.ChatCompletionsClient, "complete")]
NOT_TRACED = [(api.EmbeddingsClient, "embed") for api in (sync_api, async_api)] + [
    (api.ImageEmbeddingsClient, "embed") for api in (sync_api, async_api)
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


def spans() -> list[ReadableSpan]:
    return list(_EXPORTER.get_finished_spans())


def only_span() -> ReadableSpan:
    found = spans()
    assert len(found) == 1, [span.name for span in found]
    return found[0]


def attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def events(span: ReadableSpan) -> list[tuple[str, str]]:
    """Each GenAI event's name and its ``gen_ai.event.content`` as sent (JSON text); each has ``gen_ai.system`` too."""
    found = []
    for event in span.events:
        if event.name == "exception":  # OpenTelemetry's own, checked where expected
            continue
        assert dict(event.attributes or {}).keys() == {"gen_ai.system", "gen_ai.event.content"}
        assert (event.attributes or {})["gen_ai.system"] == "az.ai.inference"
        found.append((event.name, str((event.attributes or {})["gen_ai.event.content"])))
    timestamps = [event.timestamp for event in span.events]
    assert all(later - earlier >= 1000 for earlier, later in zip(timestamps, timestamps[1:])), timestamps
    return found


def choice(content: dict[str, Any]) -> tuple[str, str]:
    """A ``gen_ai.choice`` event; ``content`` written in the key order of the JSON expected."""
    return ("gen_ai.choice", json.dumps(content))


def request_attributes(emulator: Emulator, model: str = "chat", **more: Any) -> dict[str, Any]:
    """The attributes a call sets before it is sent."""
    return {
        "gen_ai.operation.name": "chat",
        "gen_ai.system": "az.ai.inference",
        "gen_ai.request.model": model,
        "server.address": "127.0.0.1",
        "server.port": int(emulator.endpoint.rsplit(":", 1)[1]),  # an explicit port other than 443
        **more,
    }


def assert_private(recording: bool) -> None:
    """Without recording, no message text is in any span (names, attributes, events, status)."""
    if not recording:
        assert all(SECRET not in span.to_json() for span in spans())


async def close(api: ModuleType, stream: Any) -> None:
    await resolve(stream.close() if api is sync_api else stream.aclose())


# --- instrument / uninstrument -------------------------------------------------------------------


def test_instrument_wraps_complete_once_and_uninstrument_restores(instrumentor: AIInferenceInstrumentor) -> None:
    before = [cls.__dict__.get(name) for cls, name in TARGETS]
    untouched = [cls.__dict__.get(name) for cls, name in NOT_TRACED]
    assert not instrumentor.is_instrumented()
    instrumentor.instrument()
    wrapped = [getattr(cls, name) for cls, name in TARGETS]
    assert all(w is not b for w, b in zip(wrapped, before)) and instrumentor.is_instrumented()
    assert [cls.__dict__.get(name) for cls, name in NOT_TRACED] == untouched  # 1.0.0b9 traced chat only
    instrumentor.instrument(enable_content_recording=True)  # again: no second layer, the setting changes
    assert [getattr(cls, name) for cls, name in TARGETS] == wrapped
    assert AIInferenceInstrumentor().is_content_recording_enabled()
    instrumentor.uninstrument()
    assert [cls.__dict__.get(name) for cls, name in TARGETS] == before
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
    assert spans() == []


# --- chat completions ----------------------------------------------------------------------------


async def test_chat_span(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    result = await resolve(
        chat.complete(messages=MESSAGES, model="m1", temperature=0.25, max_tokens=50, top_p=0.5, seed=7, stop=["END"])
    )
    await resolve(chat.close())

    span = only_span()
    assert (span.name, span.kind, span.status.status_code) == ("chat m1", SpanKind.CLIENT, StatusCode.UNSET)
    # seed and stop were not recorded by 1.0.0b9, and are not here
    assert attributes(span) == request_attributes(
        emulator,
        "m1",
        **{
            "gen_ai.request.temperature": 0.25,
            "gen_ai.request.max_tokens": 50,
            "gen_ai.request.top_p": 0.5,
            "gen_ai.response.id": result.id,
            "gen_ai.response.model": "m1",
            "gen_ai.usage.input_tokens": result.usage.prompt_tokens,
            "gen_ai.usage.output_tokens": result.usage.completion_tokens,
            "gen_ai.response.finish_reasons": ("stop",),
        },
    )
    if recording:
        expected = [*REQUEST_EVENTS, choice({"message": {"content": ANSWER}, "finish_reason": "stop", "index": 0})]
    else:  # no message events, and no role: only what dashboards count
        expected = [choice({"finish_reason": "stop", "index": 0})]
    assert events(span) == expected
    assert_private(recording)


async def test_span_reflects_the_call_arguments_only(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    # As in 1.0.0b9: constructor defaults and a whole body are sent, but the span names only the call's arguments.
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, model="cm", temperature=0.7, max_tokens=11)
    await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.complete({"messages": [{"role": "user", "content": f"{SECRET} body"}], "model": "mb"}))
    await resolve(chat.close())

    assert [request["model"] for request in (r.json() for r in emulator.requests)] == ["cm", "mb"]
    defaults, body = spans()
    for span in (defaults, body):
        assert span.name == "chat"
        assert {k: v for k, v in attributes(span).items() if "response" not in k and "usage" not in k} == (
            request_attributes(emulator)  # the model is "chat": none was named by the call
        )
    assert events(defaults)[:-1] == (REQUEST_EVENTS if recording else [])
    assert [name for name, _ in events(body)] == ["gen_ai.choice"]  # a body's messages are not keyword arguments
    assert_private(recording)


async def test_dict_messages_are_recorded_as_given(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    messages = [{"role": "system", "content": "Be brief"}, {"content": f"Hi {SECRET}", "role": "user"}]
    await resolve(chat.complete(messages=messages, model="m"))
    await resolve(chat.close())
    expected = [
        ("gen_ai.system.message", '{"role": "system", "content": "Be brief"}'),
        ("gen_ai.user.message", '{"content": "Hi Zanzibar", "role": "user"}'),
    ]
    assert events(only_span())[:-1] == (expected if recording else [])


async def test_span_of_several_choices(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    call = {"id": "t1", "type": "function", "function": {"name": "f", "arguments": f'{{"x": "{SECRET}"}}'}}
    emulator.enqueue(
        json={
            "id": "c3",
            "model": "served-model",
            "created": 1,
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": f"A {SECRET}"}},
                {"index": 1, "finish_reason": "tool_calls", "message": {"role": "assistant", "tool_calls": [call]}},
                {"index": 2, "finish_reason": None, "message": {"role": "assistant", "content": None}},
                {"index": 3, "finish_reason": "a_new_reason", "message": {"role": "assistant", "content": "B"}},
            ],
        }
    )
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    await resolve(chat.complete(messages=MESSAGES, model="m"))
    await resolve(chat.close())

    span = only_span()
    assert attributes(span) == request_attributes(
        emulator,
        "m",
        **{
            "gen_ai.response.id": "c3",
            "gen_ai.response.model": "served-model",  # the model that answered: no usage was sent
            "gen_ai.response.finish_reasons": ("stop", "tool_calls", "none", "a_new_reason"),
        },
    )
    if recording:
        expected = [
            *REQUEST_EVENTS,
            choice({"message": {"content": f"A {SECRET}"}, "finish_reason": "stop", "index": 0}),
            choice({"message": {"content": None, "tool_calls": [call]}, "finish_reason": "tool_calls", "index": 1}),
            choice({"message": {"content": None}, "finish_reason": "none", "index": 2}),
            choice({"message": {"content": "B"}, "finish_reason": "a_new_reason", "index": 3}),
        ]
    else:
        expected = [
            choice({"finish_reason": "stop", "index": 0}),
            choice(
                {
                    "finish_reason": "tool_calls",
                    "index": 1,
                    "message": {"tool_calls": [{"id": "t1", "type": "function"}]},
                }
            ),
            choice({"finish_reason": "none", "index": 2}),
            choice({"finish_reason": "a_new_reason", "index": 3}),
        ]
    assert events(span) == expected
    assert_private(recording)


# --- tool calls ----------------------------------------------------------------------------------


async def test_tool_calls_are_json_objects(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    result = await resolve(chat.complete(messages=MESSAGES, model="m", tools=[WEATHER]))
    call = result.choices[0].message.tool_calls[0]
    # The turn that follows, with the call and its result in the request.
    answered = [
        *MESSAGES,
        AssistantMessage(tool_calls=[call]),
        ToolMessage(f"Sunny in {SECRET}", tool_call_id=call.id),
    ]
    await resolve(chat.complete(messages=answered, model="m", tools=[WEATHER]))
    await resolve(chat.close())

    first, second = spans()
    assert attributes(first)["gen_ai.response.finish_reasons"] == ("tool_calls",)
    arguments = call.function.arguments
    whole = {"id": call.id, "type": "function", "function": {"name": "get_weather", "arguments": arguments}}
    if recording:
        assert events(first) == [
            *REQUEST_EVENTS,
            choice({"message": {"content": None, "tool_calls": [whole]}, "finish_reason": "tool_calls", "index": 0}),
        ]
        assert events(second)[2:4] == [
            ("gen_ai.assistant.message", json.dumps({"role": "assistant", "tool_calls": [whole]})),
            (
                "gen_ai.tool.message",
                json.dumps({"role": "tool", "tool_call_id": call.id, "content": "Sunny in Zanzibar"}),
            ),
        ]
    else:
        stripped = {"id": call.id, "type": "function"}  # no function name or arguments: they are content
        assert events(first) == [
            choice({"finish_reason": "tool_calls", "index": 0, "message": {"tool_calls": [stripped]}})
        ]
        assert events(second) == [choice({"finish_reason": "stop", "index": 0})]
    for _, content in events(first) + events(second):
        assert "{'" not in content  # no Python repr of a model anywhere
    assert_private(recording)


async def test_tool_call_with_extra_function_fields(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    # A tool call as Azure AI serverless answered it (call_id: null in the function), from the recording
    # test_client_tracing.pyTestClientTracingtest_chat_completion_with_function_call_tracing_content_recording_*.json
    function = {"arguments": '{"city": "Seattle"}', "call_id": None, "name": "get_weather"}
    call = {"function": function, "id": "call_s", "type": "function"}
    message = {"role": "assistant", "content": "", "tool_calls": [call]}
    emulator.enqueue(json={"id": "r1", "model": "mistral-large-2411", "created": 1, "choices": [
        {"index": 0, "finish_reason": "tool_calls", "message": message}
    ], "usage": {"completion_tokens": 23, "prompt_tokens": 100, "total_tokens": 123}})  # fmt: skip
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    await resolve(chat.complete(messages=MESSAGES, tools=[WEATHER]))
    await resolve(chat.close())

    span = only_span()
    assert attributes(span) == request_attributes(
        emulator,
        **{
            "gen_ai.response.id": "r1",
            "gen_ai.response.model": "mistral-large-2411",
            "gen_ai.usage.input_tokens": 100,
            "gen_ai.usage.output_tokens": 23,
            "gen_ai.response.finish_reasons": ("tool_calls",),
        },
    )
    if recording:  # the service's key order is kept
        expected = choice({"message": {"content": "", "tool_calls": [call]}, "finish_reason": "tool_calls", "index": 0})
    else:  # only the name and arguments go; the rest of the function stays
        stripped = {"function": {"call_id": None}, "id": "call_s", "type": "function"}
        expected = choice({"finish_reason": "tool_calls", "index": 0, "message": {"tool_calls": [stripped]}})
    assert events(span)[-1] == expected


# --- streaming -----------------------------------------------------------------------------------


async def test_streaming_span(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=MESSAGES, model="m3", stream=True, temperature=0.0))
    assert isinstance(stream, StreamingChatCompletions if api is sync_api else AsyncStreamingChatCompletions)
    assert spans() == []  # open while the stream is
    updates = await collect(stream)
    await resolve(chat.close())

    span = only_span()
    assert (span.name, span.status.status_code) == ("chat m3", StatusCode.UNSET)
    assert attributes(span) == request_attributes(
        emulator,
        "m3",
        **{
            "gen_ai.request.temperature": 0.0,
            "gen_ai.response.id": updates[-1].id,
            "gen_ai.response.model": "m3",
            "gen_ai.response.finish_reasons": ("stop",),  # of the last update, which has no usage here
        },
    )
    if recording:
        expected = [*REQUEST_EVENTS, choice({"message": {"content": ANSWER}, "finish_reason": "stop", "index": 0})]
    else:
        expected = [choice({"finish_reason": "stop", "index": 0})]
    assert events(span) == expected
    assert_private(recording)


async def test_streaming_span_with_usage_last(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(
        chat.complete(
            messages=MESSAGES, model="m", stream=True, model_extras={"stream_options": {"include_usage": True}}
        )
    )
    updates = await collect(stream)
    final = await resolve(chat.complete(messages=MESSAGES, model="m"))  # the same answer, with its usage
    await resolve(chat.close())

    span = spans()[0]
    # The response attributes are those of the last update: a usage-only update has no finish reasons
    assert attributes(span) == request_attributes(
        emulator,
        "m",
        **{
            "gen_ai.response.id": updates[-1].id,
            "gen_ai.response.model": "m",
            "gen_ai.usage.input_tokens": final.usage.prompt_tokens,
            "gen_ai.usage.output_tokens": final.usage.completion_tokens,
        },
    )
    assert events(span)[-1] == choice(
        {"message": {"content": ANSWER}, "finish_reason": "stop", "index": 0}
        if recording
        else {"finish_reason": "stop", "index": 0}
    )


@pytest.mark.parametrize("whole", [False, True], ids=["fragments", "whole"])
async def test_streamed_tool_calls(api: ModuleType, emulator: Emulator, recording: bool, whole: bool) -> None:
    emulator.whole_tool_calls = whole
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=MESSAGES, model="m", tools=[WEATHER], stream=True))
    await collect(stream)
    result = await resolve(chat.complete(messages=MESSAGES, model="m", tools=[WEATHER]))  # the same call, whole
    await resolve(chat.close())

    call = result.choices[0].message.tool_calls[0]
    span = spans()[0]
    assert attributes(span)["gen_ai.response.finish_reasons"] == ("tool_calls",)
    if recording:
        function = {"name": "get_weather", "arguments": call.function.arguments}  # the fragments joined
        tool_calls = [{"id": f"call_{int(call.id[5:]) - 1}", "type": "function", "function": function}]
        expected = choice({"message": {"tool_calls": tool_calls}, "finish_reason": "tool_calls", "index": 0})
    else:
        tool_calls = [{"id": f"call_{int(call.id[5:]) - 1}", "type": "function"}]
        expected = choice({"message": {"tool_calls": tool_calls}, "finish_reason": "tool_calls", "index": 0})
    assert events(span)[-1] == expected


# Azure AI serverless (Mistral-large) streaming a tool call: its role first, then the whole call with the finish
# reason and the usage in one update. From the recording test_client_tracing.pyTestClientTracing
# test_chat_completion_with_function_call_streaming_tracing_content_recording_enabled.json
AZURE_TOOL_CALL_STREAM = [
    b'data: {"choices":[{"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],'
    b'"created":1736389218,"id":"247dc7bb9ff24038968299edbd32740a","model":"mistral-large-2411",'
    b'"object":"chat.completion.chunk"}\n\n',
    b'data: {"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"{\\"city\\": \\"Seattle\\"}",'
    b'"name":"get_weather"},"id":"Sanitized"}]},"finish_reason":"tool_calls","index":0,"logprobs":null}],'
    b'"created":1736389218,"id":"247dc7bb9ff24038968299edbd32740a","model":"mistral-large-2411",'
    b'"object":"chat.completion.chunk","usage":{"completion_tokens":23,"prompt_tokens":100,"total_tokens":123}}\n\n',
    b"data: [DONE]\n\n",
]


async def test_streamed_tool_call_as_azure_sends_it(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    emulator.enqueue(chunks=AZURE_TOOL_CALL_STREAM, content_type="text/event-stream")
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    await collect(await resolve(chat.complete(messages=MESSAGES, tools=[WEATHER], stream=True)))
    await resolve(chat.close())

    span = only_span()
    assert attributes(span) == request_attributes(
        emulator,
        **{
            "gen_ai.response.id": "247dc7bb9ff24038968299edbd32740a",
            "gen_ai.response.model": "mistral-large-2411",
            "gen_ai.usage.input_tokens": 100,
            "gen_ai.usage.output_tokens": 23,
            "gen_ai.response.finish_reasons": ("tool_calls",),
        },
    )
    function = {"name": "get_weather", "arguments": '{"city": "Seattle"}'}
    call = {"id": "Sanitized", "type": "function", **({"function": function} if recording else {})}
    # The finish reason came in the update that brought the call: it is first in the JSON
    assert events(span)[-1] == choice({"finish_reason": "tool_calls", "message": {"tool_calls": [call]}, "index": 0})


async def test_streaming_get_final_completion_ends_the_span(
    api: ModuleType, emulator: Emulator, instrumentor: AIInferenceInstrumentor
) -> None:
    instrumentor.instrument(enable_content_recording=True)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    final = await resolve(stream.get_final_completion())
    await resolve(chat.close())
    assert final.choices[0].message.content == ANSWER
    assert events(only_span())[-1] == choice({"message": {"content": ANSWER}, "finish_reason": "stop", "index": 0})


async def test_stream_left_early_ends_its_span(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    unread = await resolve(chat.complete(messages=MESSAGES, model="m", stream=True))
    await close(api, unread)
    assert len(spans()) == 1

    partial = await resolve(chat.complete(messages=MESSAGES, model="m", stream=True))
    read = 0
    if api is sync_api:
        with partial:
            for update in partial:
                read += bool(update.choices[0].delta.content)
                if read == 2:
                    break
    else:
        async with partial:
            async for update in partial:
                read += bool(update.choices[0].delta.content)
                if read == 2:
                    break
    await resolve(chat.close())

    unread_span, partial_span = spans()
    for span in (unread_span, partial_span):  # a stream not read to its end has no response attributes
        assert attributes(span) == request_attributes(emulator, "m")
        assert span.status.status_code == StatusCode.UNSET
    assert events(unread_span)[-1] == choice({"finish_reason": "error"})
    assert events(partial_span)[-1] == choice(
        {"message": {"content": "Echo: Tell"}, "finish_reason": "error"} if recording else {"finish_reason": "error"}
    )
    assert_private(recording)


async def test_streaming_failure_sets_error_and_ends_span(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    cut = b'data: {"id": "s9", "model": "m", "choices": [{"index": 0, "delta": {"content": "Zanzibar is"}}]}\n\n'
    emulator.enqueue(chunks=[cut], content_type="text/event-stream")
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    with pytest.raises(IncompleteReadError) as caught:
        await collect(stream)
    await resolve(chat.close())

    span = only_span()
    assert (span.status.status_code, span.status.description) == (StatusCode.ERROR, str(caught.value))
    assert attributes(span) == request_attributes(
        emulator, **{"error.type": "azure.core.exceptions.IncompleteReadError"}
    )
    assert events(span)[-1] == choice(
        {"message": {"content": "Zanzibar is"}, "finish_reason": "error"} if recording else {"finish_reason": "error"}
    )
    assert_private(recording)


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
async def test_failed_call(api: ModuleType, emulator: Emulator, recording: bool, stream: bool) -> None:
    emulator.enqueue(400, json={"error": {"code": "content_filter", "message": "The prompt was filtered"}})
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    with pytest.raises(HttpResponseError) as caught:
        await resolve(chat.complete(messages=MESSAGES, model="m", max_tokens=5, stream=stream))
    await resolve(chat.close())

    span = only_span()
    # 1.0.0b9's error status: the exception's message, whatever the content recording
    assert (span.status.status_code, span.status.description) == (StatusCode.ERROR, str(caught.value))
    assert attributes(span) == request_attributes(
        emulator, "m", **{"gen_ai.request.max_tokens": 5, "error.type": "azure.core.exceptions.HttpResponseError"}
    )
    assert [name for name, _ in events(span) if name != "exception"] == [
        name for name, _ in (REQUEST_EVENTS if recording else [])
    ]
    exception = span.events[-1]
    assert exception.name == "exception"
    assert dict(exception.attributes or {}).keys() >= {"exception.type", "exception.message", "exception.stacktrace"}
    assert (exception.attributes or {})["exception.type"] == "azure.core.exceptions.HttpResponseError"
    assert (exception.attributes or {})["exception.message"] == str(caught.value)
    assert_private(recording)


async def test_call_that_fails_before_sending(api: ModuleType, emulator: Emulator, recording: bool) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    with pytest.raises(TypeError) as caught:
        await resolve(chat.complete())
    await resolve(chat.close())
    span = only_span()
    assert attributes(span) == request_attributes(emulator, **{"error.type": "TypeError"})  # builtins: no module
    assert (span.status.status_code, span.status.description) == (StatusCode.ERROR, str(caught.value))


@pytest.mark.parametrize("endpoint", ["https://127.0.0.1", "https://127.0.0.1:443/models"])
async def test_default_https_port_is_not_recorded(api: ModuleType, recording: bool, endpoint: str) -> None:
    # Nothing listens on 127.0.0.1:443 here: the call fails to connect, and its span says where it went.
    chat = client(api, "ChatCompletionsClient", endpoint, retry_total=0)
    with pytest.raises(ServiceRequestError):
        await resolve(chat.complete(messages=MESSAGES, model="m"))
    await resolve(chat.close())
    assert attributes(only_span()) == {
        "gen_ai.operation.name": "chat",
        "gen_ai.system": "az.ai.inference",
        "gen_ai.request.model": "m",
        "server.address": "127.0.0.1",
        "error.type": "azure.core.exceptions.ServiceRequestError",
    }


# --- what is not traced, and azure-core's spans ------------------------------------------------------


async def test_embeddings_and_model_info_have_no_span_of_their_own(
    api: ModuleType, emulator: Emulator, recording: bool
) -> None:
    embeddings = client(api, "EmbeddingsClient", emulator.url("embed"))
    images = client(api, "ImageEmbeddingsClient", emulator.url("image"))
    await resolve(embeddings.embed(input=[SECRET], model="e1"))
    await resolve(images.embed(input=[ImageEmbeddingInput(image="data:image/png;base64,AAAA")], model="i1"))
    await resolve(embeddings.get_model_info())
    await resolve(embeddings.close())
    await resolve(images.close())
    assert spans() == []  # as in 1.0.0b9: only azure-core's spans, when azure-core's tracing is configured


@pytest.fixture
def azure_core_tracing() -> Iterator[None]:
    """azure-core's own tracing through OpenTelemetry, as 1.0.0b9's documentation had users configure it."""
    from azure.core.settings import settings

    settings.tracing_implementation = "opentelemetry"
    yield
    settings.tracing_implementation.unset_value()


async def test_with_azure_core_tracing_the_http_span_is_a_child(
    api: ModuleType, emulator: Emulator, recording: bool, azure_core_tracing: None
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    await resolve(chat.complete(messages=MESSAGES, model="m"))
    embeddings = client(api, "EmbeddingsClient", emulator.url("embed"))
    await resolve(embeddings.embed(input=["one"], model="e"))
    await resolve(chat.close())
    await resolve(embeddings.close())

    by_id = {span.context.span_id: span for span in spans()}
    tree = [(span.name, by_id[span.parent.span_id].name if span.parent else None) for span in spans()]
    assert tree == [
        ("POST", "chat m"),  # no span of the client method between them
        ("chat m", None),
        ("POST", "EmbeddingsClient.embed"),
        ("EmbeddingsClient.embed", None),
    ]


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
    assert len(spans()) == 2


# --- samples -------------------------------------------------------------------------------------


def test_sample_with_tracing_prints_the_spans(emulator: Emulator) -> None:
    done = run_sample("sample_chat_completions_with_tracing.py", emulator.endpoint, AZURE_AI_CHAT_DEPLOYMENT_NAME="sm")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    out = done.stdout
    assert "answer: Echo: Name one sight in Lisbon." in out and "streamed answer: Echo: And one in Porto?" in out
    assert out.count('"name": "chat sm"') == 2 and out.count('"name": "plan_a_trip"') == 1
    assert '"gen_ai.request.temperature": 0.5' in out and '"gen_ai.response.finish_reasons"' in out
    assert '\\"content\\": \\"Name one sight in Lisbon.\\"' in out  # content recording is on in the sample


def test_sample_with_azure_monitor_needs_its_connection_string(emulator: Emulator) -> None:
    done = run_sample("sample_chat_completions_with_azure_monitor_tracing.py", emulator.endpoint)
    assert done.returncode == 2
    assert "missing environment variable(s):\n  APPLICATIONINSIGHTS_CONNECTION_STRING" in done.stderr
    assert emulator.requests == []
