"""Faults: throttling and transient errors, broken connections, stalls and bad responses, sync and async.

Each test drives the real client against the emulator's scripted answers and checks what the caller
sees and how many requests the emulator received. Waits are kept tiny: Retry-After 0 or a past date,
``retry_backoff_factor=0.01``, read timeouts of a fraction of a second.
"""

from __future__ import annotations

import json
import socket
import tracemalloc
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from azure.core.exceptions import (
    DecodeError,
    HttpResponseError,
    IncompleteReadError,
    ServiceRequestError,
    ServiceRequestTimeoutError,
    ServiceResponseError,
    ServiceResponseTimeoutError,
)

from azure.ai.inference.models import UserMessage

from .emulator import Emulator
from .support import client, collect, resolve

MESSAGES = [UserMessage("hi")]
FAST = {"retry_backoff_factor": 0.01}
PAST_DATE = "Wed, 21 Oct 2015 07:28:00 GMT"  # an HTTP date already gone: retry at once


def event(content: str | None = None, finish_reason: str | None = None) -> bytes:
    delta = {"content": content} if content is not None else {}
    choice = {"index": 0, "delta": delta, "finish_reason": finish_reason}
    return f"data: {json.dumps({'id': 'c1', 'created': 1, 'model': 'm', 'choices': [choice]})}\n\n".encode()


WORDS = ["Echo:", " one", " two", " three"]
STREAM = [*(event(word) for word in WORDS), event(finish_reason="stop"), b"data: [DONE]\n\n"]


def contents(updates: list[Any]) -> list[str]:
    return [update.choices[0].delta.content for update in updates if update.choices[0].delta.content]


async def read_until_error(stream: Any) -> tuple[list[Any], BaseException | None]:
    """The updates a stream yields before it fails, and its exception."""
    updates: list[Any] = []
    try:
        if hasattr(stream, "__aiter__"):
            async for update in stream:
                updates.append(update)
        else:
            for update in stream:
                updates.append(update)
    except Exception as exc:
        return updates, exc
    return updates, None


# --- throttling and transient failures ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        pytest.param(429, {}, id="429"),
        pytest.param(429, {"Retry-After": "0"}, id="429-retry-after-seconds"),
        pytest.param(429, {"Retry-After": PAST_DATE}, id="429-retry-after-date"),
        pytest.param(429, {"retry-after-ms": "1"}, id="429-retry-after-ms"),
        pytest.param(503, {}, id="503"),
        pytest.param(503, {"Retry-After": "0"}, id="503-retry-after-seconds"),
        pytest.param(503, {"Retry-After": PAST_DATE}, id="503-retry-after-date"),
    ],
)
async def test_throttling_is_retried_then_the_last_error_surfaces(
    api: ModuleType, emulator: Emulator, status: int, headers: dict[str, str]
) -> None:
    for attempt in (1, 2, 3, 4):
        emulator.enqueue(status, json={"error": {"code": f"Busy{attempt}", "message": "try later"}}, headers=headers)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, retry_total=2, **FAST)
    with pytest.raises(HttpResponseError) as raised:
        await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert raised.value.status_code == status
    assert raised.value.error is not None and raised.value.error.code == "Busy3"  # the last answer, not the first
    assert len(emulator.requests) == 3  # the first try and retry_total=2 retries


async def test_throttling_then_success_returns_the_result(api: ModuleType, emulator: Emulator) -> None:
    emulator.enqueue(429, json={"error": {"code": "429", "message": "slow down"}})
    emulator.enqueue(503, body=b"busy", headers={"Retry-After": "0"})
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, **FAST)
    result = await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert result.choices[0].message.content == "Echo: hi"
    assert len(emulator.requests) == 3
    assert emulator.requests[0].body == emulator.requests[2].body  # the same request, sent again


@pytest.mark.parametrize(
    ("constructor", "call", "expected"),
    [
        pytest.param({"retry_total": 0}, {}, 1, id="no-retries"),
        pytest.param({"retry_total": 1}, {}, 2, id="constructor-total"),
        pytest.param({"retry_total": 0}, {"retry_total": 2}, 3, id="call-overrides-constructor"),
        pytest.param({}, {"retry_status": 1}, 2, id="call-status-limit"),
        pytest.param({}, {}, 4, id="default-status-limit-3"),
        pytest.param({"retry_total": 5, "retry_status": 5}, {}, 6, id="constructor-status"),
    ],
)
async def test_retry_settings_are_honoured(
    api: ModuleType, emulator: Emulator, constructor: dict[str, int], call: dict[str, int], expected: int
) -> None:
    for _ in range(8):
        emulator.enqueue(503, body=b"busy")
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, **FAST, **constructor)
    with pytest.raises(HttpResponseError) as raised:
        await resolve(chat.complete(messages=MESSAGES, **call))
    await resolve(chat.close())
    assert raised.value.status_code == 503
    assert len(emulator.requests) == expected


async def test_streaming_call_is_retried_only_before_its_stream_starts(api: ModuleType, emulator: Emulator) -> None:
    emulator.enqueue(503, body=b"busy")
    emulator.enqueue(chunks=STREAM, disconnect_after=len(STREAM[0]) + len(STREAM[1]) + 5)
    emulator.enqueue(chunks=STREAM)  # would make a retry succeed: it must not be asked for
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, **FAST)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    updates, error = await read_until_error(stream)
    await resolve(chat.close())
    assert isinstance(error, IncompleteReadError)
    assert contents(updates) == WORDS[:2]
    assert len(emulator.requests) == 2


async def test_info_get_is_retried_after_dropped_connections(api: ModuleType, emulator: Emulator) -> None:
    """GET is idempotent: azure-core retries it after a connection error, and the answer comes through."""
    emulator.enqueue(drop=True)
    emulator.enqueue(drop=True)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, **FAST)
    info = await resolve(chat.get_model_info())
    await resolve(chat.close())
    assert info.model_type == "chat_completion"
    assert len(emulator.requests) == 3


# --- broken connections and stalls -------------------------------------------------------------------


async def test_connection_dropped_before_the_response(api: ModuleType, emulator: Emulator) -> None:
    emulator.enqueue(drop=True)
    emulator.enqueue(drop=True)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, **FAST)
    with pytest.raises((ServiceRequestError, ServiceResponseError)):
        await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert len(emulator.requests) == 1  # a POST that may have run is not sent again


async def test_connection_reset_in_the_middle_of_a_json_body(api: ModuleType, emulator: Emulator) -> None:
    completion = {"id": "c", "choices": [{"index": 0, "message": {"role": "assistant", "content": "x" * 500}}]}
    emulator.enqueue(json=completion, disconnect_after=100)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, **FAST)
    with pytest.raises(IncompleteReadError):
        await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert len(emulator.requests) == 1


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(len(STREAM[0]) + 7, id="inside-an-event"),
        pytest.param(len(STREAM[0]) + len(STREAM[1]), id="between-events"),
        pytest.param(sum(map(len, STREAM[:-1])), id="before-done"),
    ],
)
async def test_connection_reset_in_the_middle_of_a_stream(api: ModuleType, emulator: Emulator, cut: int) -> None:
    """Never a silently short answer: the updates that arrived, then IncompleteReadError."""
    emulator.enqueue(chunks=STREAM, disconnect_after=cut)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, **FAST)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    updates, error = await read_until_error(stream)
    await resolve(chat.close())
    assert isinstance(error, IncompleteReadError), repr(error)
    assert 1 <= len(updates) <= 5
    assert len(emulator.requests) == 1


async def test_stream_ended_cleanly_but_early(api: ModuleType, emulator: Emulator) -> None:
    emulator.enqueue(chunks=STREAM[:3])  # a complete HTTP body that lacks the finish and [DONE]
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    updates, error = await read_until_error(stream)
    await resolve(chat.close())
    assert isinstance(error, IncompleteReadError)
    assert contents(updates) == WORDS[:3]


async def test_server_that_stops_before_answering_hits_the_read_timeout(api: ModuleType, emulator: Emulator) -> None:
    emulator.enqueue(json={"id": "late"}, delay=2)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, retry_total=0)
    with pytest.raises(ServiceResponseTimeoutError):
        await resolve(chat.complete(messages=MESSAGES, read_timeout=0.3))
    await resolve(chat.close())


async def test_server_that_stops_between_stream_events_hits_the_read_timeout(
    api: ModuleType, emulator: Emulator
) -> None:
    emulator.enqueue(chunks=STREAM, chunk_delay=[0, 0, 2, 0, 0, 0])
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, retry_total=0, read_timeout=0.3)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    updates, error = await read_until_error(stream)
    await resolve(chat.close())
    assert isinstance(error, ServiceResponseTimeoutError), repr(error)
    assert contents(updates) == WORDS[:2]


@pytest.fixture
def unaccepting_endpoint() -> Iterator[str]:
    """A loopback port whose accept queue is full: a new connection never completes."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    fillers = []
    for _ in range(8):  # Linux queues backlog + 1 connections; the rest wait in SYN_SENT
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(server.getsockname())
        fillers.append(filler)
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    for sock in [*fillers, server]:
        sock.close()


async def test_connection_timeout_is_respected(api: ModuleType, unaccepting_endpoint: str) -> None:
    chat = client(api, "ChatCompletionsClient", unaccepting_endpoint, retry_total=0)
    with pytest.raises(ServiceRequestTimeoutError):
        await resolve(chat.complete(messages=MESSAGES, connection_timeout=0.3, read_timeout=30))
    await resolve(chat.close())


# --- bad responses -----------------------------------------------------------------------------------


HTML = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


@pytest.mark.parametrize(
    ("answer", "error", "text"),
    [
        pytest.param({"body": HTML, "content_type": "text/html"}, DecodeError, "text/html", id="html-200"),
        pytest.param(
            {"status": 502, "body": HTML, "content_type": "text/html"}, HttpResponseError, "502 Bad", id="html-502"
        ),
        pytest.param({"body": b""}, DecodeError, "not valid JSON", id="empty-200"),
        pytest.param({"status": 500, "body": b""}, HttpResponseError, "Internal Server Error", id="empty-500"),
        pytest.param({"body": b'{"id": "x", "choi'}, DecodeError, "not valid JSON", id="invalid-json"),
        pytest.param({"json": ["a", "list"]}, DecodeError, "not an object", id="json-array"),
        pytest.param({"body": b"[" * 100_000 + b"]" * 100_000}, DecodeError, "not valid JSON", id="json-too-deep"),
        pytest.param({"json": {"error": {"code": "Oops", "message": "m"}}}, HttpResponseError, "Oops", id="200-error"),
    ],
)
async def test_bad_response_gives_a_clear_exception(
    api: ModuleType, emulator: Emulator, answer: dict[str, Any], error: type[Exception], text: str
) -> None:
    emulator.enqueue(**answer)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, retry_total=0)
    with pytest.raises(error) as raised:
        await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert text in str(raised.value)


async def test_json_with_a_wrong_content_type_is_read(api: ModuleType, emulator: Emulator) -> None:
    completion = {"id": "c", "choices": [{"index": 0, "message": {"role": "assistant", "content": "fine"}}]}
    emulator.enqueue(json=completion, content_type="text/plain")
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    result = await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert result.choices[0].message.content == "fine"


async def test_json_of_the_wrong_shape(api: ModuleType, emulator: Emulator) -> None:
    """Missing fields read as None; a field of the wrong type raises a TypeError saying so, never a KeyError."""
    emulator.enqueue(json={"id": "c"})
    emulator.enqueue(json={"id": "c", "choices": "abc", "usage": 3})
    emulator.enqueue(json={"id": "c", "choices": [{"index": 0, "message": "text"}]})
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    empty = await resolve(chat.complete(messages=MESSAGES))
    wrong = await resolve(chat.complete(messages=MESSAGES))
    nested = await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert (empty.id, empty.choices, empty.usage) == ("c", None, None)
    with pytest.raises(TypeError, match="expected a JSON array, the JSON has str 'abc'"):
        wrong.choices  # noqa: B018
    with pytest.raises(TypeError, match="CompletionsUsage is a JSON object, the JSON has int 3"):
        wrong.usage  # noqa: B018
    with pytest.raises(TypeError, match="ChatResponseMessage is a JSON object"):
        nested.choices[0].message  # noqa: B018
    with pytest.raises(TypeError, match="expected a JSON array"):
        wrong["choices"]  # a read by key converts as the attribute does
    assert wrong.as_dict()["choices"] == "abc"  # the JSON itself stays readable


@pytest.mark.parametrize(
    ("chunks", "error"),
    [
        pytest.param([json.dumps({"id": "c", "choices": []}).encode()], IncompleteReadError, id="json-not-sse"),
        pytest.param([b"<html>login</html>"], IncompleteReadError, id="html"),
        pytest.param([b"data: {not json}\n\n"], DecodeError, id="invalid-json-event"),
        pytest.param([b'data: {"choices": "abc"}\n\n'], DecodeError, id="wrong-shape-event"),
        pytest.param([b'data: {"error": {"code": "Quota", "message": "m"}}\n\n'], HttpResponseError, id="error-event"),
        pytest.param([b""], IncompleteReadError, id="empty"),
    ],
)
async def test_bad_stream_gives_a_clear_exception(
    api: ModuleType, emulator: Emulator, chunks: list[bytes], error: type[Exception]
) -> None:
    emulator.enqueue(chunks=chunks)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    updates, raised = await read_until_error(stream)
    await resolve(chat.close())
    assert updates == []
    assert isinstance(raised, error), repr(raised)


async def test_gigantic_single_sse_line(api: ModuleType, emulator: Emulator) -> None:
    """A 5 MB data line arrives whole, in memory proportional to its size."""
    text = "x" * (5 * 1024 * 1024)
    emulator.enqueue(chunks=[event(text), event(finish_reason="stop"), b"data: [DONE]\n\n"])
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    tracemalloc.start()
    try:
        stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
        updates = await collect(stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    await resolve(chat.close())
    assert [len(content) for content in contents(updates)] == [len(text)]
    assert updates[-1].choices[0].finish_reason == "stop"
    assert peak < 12 * len(text)  # the server's copy, the line buffer, the decoded str and JSON: a few copies


async def test_stream_in_thousands_of_one_byte_chunks(api: ModuleType, emulator: Emulator) -> None:
    body = b"".join([*(event(f" w{i}") for i in range(20)), event(finish_reason="stop"), b"data: [DONE]\n\n"])
    emulator.enqueue(chunks=[body[i : i + 1] for i in range(len(body))])
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=MESSAGES, stream=True))
    updates = await collect(stream)
    await resolve(chat.close())
    assert len(body) > 2000
    assert contents(updates) == [f" w{i}" for i in range(20)]
    assert updates[-1].choices[0].finish_reason == "stop"
