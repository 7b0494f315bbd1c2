"""Streaming: events to updates, errors, connection lifetime and final-completion assembly, sync and async.

Most cases replay recorded bytes through ``StreamingChatCompletions(response)`` /
``AsyncStreamingChatCompletions(response)`` built from an in-memory response, as users do with
recordings; that is what lets a stream be split at every byte position. The socket tests at the end
drive the real clients against the emulator.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any

import pytest
from azure.core.exceptions import DecodeError, HttpResponseError, IncompleteReadError

from azure.ai.inference.models import (
    AsyncStreamingChatCompletions,
    ChatCompletions,
    StreamingChatCompletions,
    StreamingChatCompletionsUpdate,
    UserMessage,
)

from .emulator import Emulator
from .support import client, collect, resolve


def event(payload: Any) -> str:
    return f"data: {payload if isinstance(payload, str) else json.dumps(payload)}\n\n"


def update(content: str | None = None, finish: str | None = None, **delta: Any) -> dict[str, Any]:
    if content is not None:
        delta["content"] = content
    choice = {"index": 0, "finish_reason": finish, "delta": delta}
    return {"id": "s1", "created": 1700000000, "model": "m", "choices": [choice]}


STREAM = "".join(
    [
        ": keep-alive comment\n\n",
        event(update(role="assistant")),
        event(update("Hello")),
        "event: message\nid: 7\nretry: 100\n" + event(update(" 世界 😀")),
        event(update("!", finish="stop")),
        event({"id": "s1", "created": 1700000000, "model": "m", "choices": [], "usage": {"prompt_tokens": 3}}),
        event("[DONE]"),
    ]
)


class ReplayResponse:
    """An azure-core style sync response that replays chunks and records closing."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = 0
        self.served = 0
        self.status_code = 200

    def iter_bytes(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.served += 1
            yield chunk

    def close(self) -> None:
        self.closed += 1


class AsyncReplayResponse(ReplayResponse):
    async def iter_bytes(self) -> AsyncIterator[bytes]:  # type: ignore[override]
        for chunk in self.chunks:
            self.served += 1
            yield chunk

    async def close(self) -> None:  # type: ignore[override]
        self.closed += 1


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def stream_of(mode: str, chunks: list[bytes]) -> tuple[Any, ReplayResponse]:
    if mode == "sync":
        response = ReplayResponse(chunks)
        return StreamingChatCompletions(response), response  # type: ignore[arg-type]
    response = AsyncReplayResponse(chunks)
    return AsyncStreamingChatCompletions(response), response  # type: ignore[arg-type]


async def final_of(stream: Any) -> ChatCompletions:
    return await resolve(stream.get_final_completion())


def texts(updates: list[StreamingChatCompletionsUpdate]) -> list[Any]:
    return [(u.choices[0].delta.content, u.choices[0].finish_reason) if u.choices else u.usage for u in updates]


EXPECTED = [(None, None), ("Hello", None), (" 世界 😀", None), ("!", "stop"), {"prompt_tokens": 3}]


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"])
async def test_every_split_and_line_ending_gives_the_same_updates(mode: str, newline: str) -> None:
    data = STREAM.replace("\n", newline).encode("utf-8")
    for cut in range(len(data) + 1):
        stream, response = stream_of(mode, [data[:cut], data[cut:]])
        assert texts(await collect(stream)) == EXPECTED, (newline, cut)
        assert response.closed >= 1


async def test_one_byte_chunks_with_multibyte_utf8(mode: str) -> None:
    data = STREAM.replace("\n", "\r\n").encode("utf-8")
    stream, _ = stream_of(mode, [data[i : i + 1] for i in range(len(data))])
    assert texts(await collect(stream)) == EXPECTED


async def test_multiline_data_and_data_without_space(mode: str) -> None:
    payload = json.dumps(update("hi", finish="stop"), indent=1).replace("\n", "\ndata:")
    stream, _ = stream_of(mode, [f"data:{payload}\n\n".encode(), b"data:[DONE]\n\n"])
    assert texts(await collect(stream)) == [("hi", "stop")]


async def test_final_event_without_blank_line_is_flushed(mode: str) -> None:
    stream, _ = stream_of(mode, [event(update("a")).encode(), ("data: " + json.dumps(update("b", "stop"))).encode()])
    assert texts(await collect(stream)) == [("a", None), ("b", "stop")]


async def test_updates_without_choices_or_usage_are_skipped(mode: str) -> None:
    empty = {"id": "s1", "choices": []}
    stream, _ = stream_of(mode, [(event(empty) + event(update("x", "stop")) + event("[DONE]")).encode()])
    assert texts(await collect(stream)) == [("x", "stop")]


async def test_done_ends_the_stream_and_closes_the_response(mode: str) -> None:
    stream, response = stream_of(mode, [(event(update("a", "stop")) + event("[DONE]")).encode(), b"data: junk\n\n"])
    assert texts(await collect(stream)) == [("a", "stop")]  # what follows [DONE] is not parsed...
    assert response.served == 2 and response.closed >= 1  # ...but read, so that the connection can be reused


@pytest.mark.parametrize(
    "raw",
    [
        'event: error\ndata: {"error": {"code": "content_filter", "message": "Filtered by policy"}}\n\n',
        'data: {"error": {"code": "content_filter", "message": "Filtered by policy"}}\n\n',
    ],
)
async def test_error_events_raise_with_code_and_message(mode: str, raw: str) -> None:
    stream, response = stream_of(mode, [(event(update("a")) + raw + event("[DONE]")).encode()])
    with pytest.raises(HttpResponseError) as info:
        await collect(stream)
    assert info.value.error is not None and info.value.error.code == "content_filter"
    assert "Filtered by policy" in str(info.value)
    assert response.closed >= 1


async def test_stream_cut_off_raises_incomplete_read(mode: str) -> None:
    stream, response = stream_of(mode, [event(update("partial")).encode()])
    with pytest.raises(IncompleteReadError, match="incomplete"):
        await collect(stream)
    assert response.closed >= 1


async def test_stream_without_done_but_finished_is_complete(mode: str) -> None:
    stream, _ = stream_of(mode, [(event(update("a")) + event(update("b", "length"))).encode()])
    assert texts(await collect(stream)) == [("a", None), ("b", "length")]


@pytest.mark.parametrize("payload", ["{not json", "[1, 2]"])
async def test_invalid_json_names_the_event(mode: str, payload: str) -> None:
    stream, _ = stream_of(mode, [(event(update("a")) + f"data: {payload}\n\n").encode()])
    with pytest.raises(DecodeError) as info:
        await collect(stream)
    assert payload[:5] in str(info.value)


async def test_break_closes_the_response(mode: str) -> None:
    stream, response = stream_of(mode, [STREAM.encode()])
    if mode == "sync":
        for _ in stream:
            break
    else:
        async for _ in stream:
            break
        for _ in range(5):  # the event loop finalizes the abandoned async generator
            await asyncio.sleep(0)
    assert response.closed >= 1


async def test_close_and_context_managers_close_the_response(mode: str) -> None:
    stream, response = stream_of(mode, [STREAM.encode()])
    if mode == "sync":
        with stream as entered:
            assert next(entered).choices[0].delta.role == "assistant"
        assert list(stream) == []
    else:
        async with stream as entered:
            first = await entered.__anext__()
            assert first.choices[0].delta.role == "assistant"
        assert await collect(stream) == []
    assert response.closed >= 1


def tool_call_stream() -> bytes:
    parts = [event(update(role="assistant"))]
    calls = [("call_a", "get_weather", '{"city": "Paris", "unit": "C"}'), ("call_b", "get_time", '{"tz": "UTC"}')]
    for index, (call_id, name, arguments) in enumerate(calls):
        first = {"index": index, "id": call_id, "type": "function", "function": {"name": name, "arguments": ""}}
        parts.append(event(update(tool_calls=[first])))
        for start in range(0, len(arguments), 3):
            fragment = {"index": index, "function": {"arguments": arguments[start : start + 3]}}
            parts.append(event(update(tool_calls=[fragment])))
    parts.append(event(update(finish="tool_calls")))
    parts.append(event({"id": "s1", "choices": [], "usage": {"completion_tokens": 9, "total_tokens": 12}}))
    parts.append(event("[DONE]"))
    return "".join(parts).encode()


async def test_final_completion_merges_tool_call_fragments(mode: str) -> None:
    data = tool_call_stream()
    stream, _ = stream_of(mode, [data[i : i + 7] for i in range(0, len(data), 7)])
    first = await stream.__anext__() if mode == "async" else next(stream)  # one update read before
    assert first.choices[0].delta.role == "assistant"
    final = await final_of(stream)
    assert isinstance(final, ChatCompletions)
    message = final.choices[0].message
    assert final.choices[0].finish_reason == "tool_calls" and message.content is None
    assert [(c.id, c.function.name, json.loads(c.function.arguments)) for c in message.tool_calls] == [
        ("call_a", "get_weather", {"city": "Paris", "unit": "C"}),
        ("call_b", "get_time", {"tz": "UTC"}),
    ]
    assert final.usage.completion_tokens == 9 and final.id == "s1" and final.created.year == 2023


async def test_final_completion_concatenates_content_per_choice(mode: str) -> None:
    two = [
        {"id": "x", "model": "m", "choices": [{"index": i, "delta": {"content": f"{i}{n}"}}]}
        for n in range(300)
        for i in (0, 1)
    ]
    chunks = [event(u).encode() for u in two] + [
        event({"id": "x", "choices": [{"index": 0, "finish_reason": "stop", "delta": {}}]}).encode()
    ]
    stream, _ = stream_of(mode, chunks)
    final = await final_of(stream)
    assert final.choices[0].message.content == "".join(f"0{n}" for n in range(300))
    assert final.choices[1].message.content == "".join(f"1{n}" for n in range(300))
    assert final.choices[0].finish_reason == "stop" and final.choices[1].finish_reason is None


# --- over sockets, through the real clients ----------------------------------------------------------


async def test_socket_stream_in_one_byte_chunks(api: ModuleType, emulator: Emulator) -> None:
    data = STREAM.replace("\n", "\r\n").encode()
    emulator.enqueue(chunks=[data[i : i + 1] for i in range(len(data))])
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=[UserMessage("hi")], stream=True))
    assert texts(await collect(stream)) == EXPECTED
    await resolve(chat.close())


async def test_socket_break_closes_the_connection(api: ModuleType, emulator: Emulator) -> None:
    emulator.enqueue(chunks=[STREAM.encode()[:40], STREAM.encode()[40:]], chunk_delay=0.05)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=[UserMessage("hi")], stream=True))
    response = stream._response
    if hasattr(stream, "__aiter__"):
        async for _ in stream:
            break
        for _ in range(5):
            await asyncio.sleep(0)
        assert response.is_closed
    else:
        for _ in stream:
            break
        assert response.is_closed
    await resolve(chat.close())


async def test_socket_error_status_on_stream_raises_from_complete(api: ModuleType, emulator: Emulator) -> None:
    emulator.enqueue(status=400, json={"error": {"code": "bad_req", "message": "Bad stream"}})
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    with pytest.raises(HttpResponseError, match="Bad stream"):
        await resolve(chat.complete(messages=[UserMessage("hi")], stream=True))
    await resolve(chat.close())


async def test_socket_tool_call_stream_from_emulator(api: ModuleType, emulator: Emulator) -> None:
    from azure.ai.inference.models import ChatCompletionsToolDefinition, FunctionDefinition

    tool = ChatCompletionsToolDefinition(
        function=FunctionDefinition(
            name="get_weather",
            parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        )
    )
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=[UserMessage("weather?")], tools=[tool], stream=True))
    final = await final_of(stream)
    await resolve(chat.close())
    call = final.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == ("get_weather", {"city": "x"})
    assert final.choices[0].finish_reason == "tool_calls"
