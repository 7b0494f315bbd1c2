"""Tests of the service emulator itself, driven by plain HTTP clients (not the package under test)."""

from __future__ import annotations

import base64
import json
import struct
import time
from typing import Any

import aiohttp
import pytest
import requests

from .emulator import EMULATOR_KEY, Emulator, embedding_vector

AUTH = {"api-key": EMULATOR_KEY}
VERSION = {"api-version": "2024-05-01-preview"}
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "days": {"type": "integer"}, "unit": {"type": "string"}},
            "required": ["city", "days"],
        },
    },
}


def post(emulator: Emulator, route: str, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.post(
        emulator.endpoint + route, json=body, params=VERSION, headers={**AUTH, **(headers or {})}, timeout=5
    )


def chat(emulator: Emulator, body: dict[str, Any], headers: dict[str, str] | None = None) -> requests.Response:
    return post(emulator, "/chat/completions", body, headers)


def user(text: str) -> dict[str, Any]:
    return {"role": "user", "content": text}


def sse_events(text: str) -> list[Any]:
    """The data payloads of a well-formed event stream, ``[DONE]`` kept as a string."""
    assert text.endswith("\n\n")
    events = []
    for block in text[:-2].split("\n\n"):
        assert block.startswith("data: ")
        data = block[len("data: ") :]
        events.append(data if data == "[DONE]" else json.loads(data))
    return events


def test_records_requests(emulator: Emulator) -> None:
    response = requests.post(
        emulator.url("openai/deployments/dep") + "/chat/completions?api-version=v1&x=a%20b",
        data=b'{"messages": [{"role": "user", "content": "hi"}]}',
        headers={**AUTH, "X-Custom": "yes"},
        timeout=5,
    )
    assert response.status_code == 200
    [recorded] = emulator.requests
    assert (recorded.method, recorded.path) == ("POST", "/openai/deployments/dep/chat/completions")
    assert recorded.query == {"api-version": "v1", "x": "a b"}
    assert recorded.raw_query == "api-version=v1&x=a%20b"
    assert recorded.headers["x-custom"] == "yes" and recorded.headers["API-KEY"] == EMULATOR_KEY
    assert recorded.body == b'{"messages": [{"role": "user", "content": "hi"}]}'
    assert recorded.json() == {"messages": [user("hi")]}


def test_default_chat_reply(emulator: Emulator) -> None:
    response = chat(emulator, {"messages": [{"role": "system", "content": "be brief"}, user("hello there")]})
    assert response.status_code == 200
    assert response.json() == {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "emulated-model",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Echo: hello there"}}
        ],
        "usage": {"prompt_tokens": 4, "completion_tokens": 3, "total_tokens": 7},
    }
    second = chat(emulator, {"messages": [user("again")], "model": "my-model"}).json()
    assert (second["id"], second["model"]) == ("chatcmpl-2", "my-model")


def test_echoes_text_items_and_tool_results(emulator: Emulator) -> None:
    items = [
        {"type": "text", "text": "describe"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
        {"type": "text", "text": "this"},
    ]
    reply = chat(emulator, {"messages": [{"role": "user", "content": items}]}).json()
    assert reply["choices"][0]["message"]["content"] == "Echo: describe this"
    tool_result = {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}
    reply = chat(emulator, {"messages": [user("weather?"), tool_result], "tools": [WEATHER_TOOL]}).json()
    assert reply["choices"][0]["message"]["content"] == "Echo: sunny"


def test_tool_call_reply(emulator: Emulator) -> None:
    reply = chat(emulator, {"messages": [user("weather?")], "tools": [WEATHER_TOOL]}).json()
    choice = reply["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    function = {"name": "get_weather", "arguments": '{"city": "x", "days": 1}'}
    assert choice["message"]["tool_calls"] == [{"id": "call_1", "type": "function", "function": function}]
    no_tools = chat(emulator, {"messages": [user("weather?")], "tools": [WEATHER_TOOL], "tool_choice": "none"}).json()
    assert no_tools["choices"][0]["message"]["content"] == "Echo: weather?"


def test_response_format_and_max_tokens(emulator: Emulator) -> None:
    reply = chat(emulator, {"messages": [user("hi")], "response_format": {"type": "json_object"}}).json()
    assert json.loads(reply["choices"][0]["message"]["content"]) == {"reply": "Echo: hi"}
    properties = {"n": {"type": "number"}, "ok": {"type": "boolean"}, "optional": {"type": "string"}}
    schema = {"type": "object", "properties": properties, "required": ["n", "ok"]}
    response_format = {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema}}
    reply = chat(emulator, {"messages": [user("hi")], "response_format": response_format}).json()
    assert json.loads(reply["choices"][0]["message"]["content"]) == {"n": 1, "ok": True}
    reply = chat(emulator, {"messages": [user("one two three four")], "max_tokens": 3}).json()
    assert reply["choices"][0] == {
        "index": 0,
        "finish_reason": "length",
        "message": {"role": "assistant", "content": "Echo: one two"},
    }


def test_extra_parameters(emulator: Emulator) -> None:
    body = {"messages": [user("hi")], "foo": {"bar": 1}}
    rejected = chat(emulator, body)
    assert rejected.status_code == 422
    error = rejected.json()
    assert error["code"] == "extra_parameters_not_allowed" and "foo" in error["message"]
    assert error["detail"] == {"loc": ["body", "foo"], "input": {"bar": 1}}
    assert chat(emulator, body, {"extra-parameters": "pass-through"}).status_code == 200
    assert chat(emulator, body, {"extra-parameters": "drop"}).status_code == 200
    embed = post(emulator, "/embeddings", {"input": ["a"], "truncate": True})
    assert embed.status_code == 422 and embed.json()["detail"]["loc"] == ["body", "truncate"]


@pytest.mark.parametrize(
    ("messages", "loc"),
    [
        ([{"role": "robot", "content": "hi"}], ["body", "messages", 0, "role"]),
        ([user("hi"), {"role": "tool", "content": "x"}], ["body", "messages", 1, "tool_call_id"]),
        ([{"role": "user", "content": [{"type": "video", "video": {}}]}], ["body", "messages", 0, "content", 0]),
        ([{"role": "user", "content": [{"type": "text", "text": 1}]}], ["body", "messages", 0, "content", 0]),
        ([{"role": "user", "content": [{"type": "image_url"}]}], ["body", "messages", 0, "content", 0]),
        ([], ["body", "messages"]),
    ],
)
def test_invalid_messages(emulator: Emulator, messages: list[Any], loc: list[Any]) -> None:
    response = chat(emulator, {"messages": messages})
    assert response.status_code == 422
    assert response.json()["detail"]["loc"] == loc


def test_body_must_be_json(emulator: Emulator) -> None:
    response = requests.post(
        emulator.endpoint + "/chat/completions", data=b"{not json", params=VERSION, headers=AUTH, timeout=5
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "InvalidJson"


def test_authentication(emulator: Emulator) -> None:
    body = {"messages": [user("hi")]}
    url = emulator.endpoint + "/chat/completions"
    for headers in ({}, {"api-key": "wrong"}, {"Authorization": "Bearer wrong"}, {"Authorization": EMULATOR_KEY}):
        response = requests.post(url, json=body, params=VERSION, headers=headers, timeout=5)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "Unauthorized"
    for headers in ({"api-key": EMULATOR_KEY}, {"Authorization": f"Bearer {EMULATOR_KEY}"}):
        assert requests.post(url, json=body, params=VERSION, headers=headers, timeout=5).status_code == 200
    emulator.accepted_tokens.add("token-1")
    token = {"Authorization": "Bearer token-1"}
    assert requests.post(url, json=body, params=VERSION, headers=token, timeout=5).status_code == 200
    emulator.key = None
    assert requests.post(url, json=body, params=VERSION, headers=token, timeout=5).status_code == 200
    assert requests.post(url, json=body, params=VERSION, timeout=5).status_code == 401
    emulator.accepted_tokens.clear()
    assert requests.post(url, json=body, params=VERSION, timeout=5).status_code == 200


def test_api_version(emulator: Emulator) -> None:
    url = emulator.endpoint + "/chat/completions"
    response = requests.post(url, json={"messages": [user("hi")]}, headers=AUTH, timeout=5)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "MissingApiVersion"
    emulator.require_api_version = False
    assert requests.post(url, json={"messages": [user("hi")]}, headers=AUTH, timeout=5).status_code == 200


@pytest.mark.parametrize(
    ("prefix", "model_type"),
    [("", "chat_completion"), ("embed", "embeddings"), ("image", "image_embeddings"), ("a/b/c", "chat_completion")],
)
def test_info_per_prefix(emulator: Emulator, prefix: str, model_type: str) -> None:
    response = requests.get(emulator.url(prefix) + "/info", params=VERSION, headers=AUTH, timeout=5)
    assert response.status_code == 200
    info = {"model_name": "emulated-model", "model_type": model_type, "model_provider_name": "Emulator"}
    assert response.json() == info


def test_info_not_found_and_unknown_routes(emulator: Emulator) -> None:
    response = requests.get(emulator.url("noinfo") + "/info", params=VERSION, headers=AUTH, timeout=5)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NotFound"
    assert requests.get(emulator.url("nothing"), params=VERSION, headers=AUTH, timeout=5).status_code == 404
    assert requests.get(emulator.endpoint + "/embeddings", params=VERSION, headers=AUTH, timeout=5).status_code == 405


@pytest.mark.parametrize("include_usage", [False, True])
def test_streaming(emulator: Emulator, include_usage: bool) -> None:
    body = {"messages": [user("hello  there ")], "stream": True, "stream_options": {"include_usage": include_usage}}
    response = chat(emulator, body)
    assert response.headers["Content-Type"] == "text/event-stream"
    events = sse_events(response.text)
    assert events[-1] == "[DONE]"
    updates = events[:-1]
    assert {update["id"] for update in updates} == {"chatcmpl-1"}
    assert updates[0]["choices"] == [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]
    if include_usage:
        assert updates.pop() == {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": "emulated-model",
            "choices": [],
            "usage": {"prompt_tokens": 2, "completion_tokens": 3, "total_tokens": 5},
        }
    assert updates[-1]["choices"] == [{"index": 0, "delta": {}, "finish_reason": "stop"}]
    pieces = [update["choices"][0]["delta"]["content"] for update in updates[1:-1]]
    assert pieces == ["Echo:", " hello", "  there", " "]


def test_streaming_tool_call(emulator: Emulator) -> None:
    updates = sse_events(chat(emulator, {"messages": [user("weather?")], "tools": [WEATHER_TOOL], "stream": True}).text)
    calls = [update["choices"][0]["delta"]["tool_calls"][0] for update in updates[1:-2]]
    function = {"name": "get_weather", "arguments": ""}
    assert calls[0] == {"index": 0, "id": "call_1", "type": "function", "function": function}
    assert len(calls) > 2 and all(call["index"] == 0 and "id" not in call for call in calls[1:])
    assert "".join(call["function"]["arguments"] for call in calls) == '{"city": "x", "days": 1}'
    assert updates[-2]["choices"][0]["finish_reason"] == "tool_calls"


def test_streaming_whole_tool_calls(emulator: Emulator) -> None:
    emulator.whole_tool_calls = True
    updates = sse_events(chat(emulator, {"messages": [user("weather?")], "tools": [WEATHER_TOOL], "stream": True}).text)
    function = {"name": "get_weather", "arguments": '{"city": "x", "days": 1}'}
    call = {"index": 0, "id": "call_1", "type": "function", "function": function}
    assert [update["choices"][0]["delta"] for update in updates[1:-2]] == [{"tool_calls": [call]}]
    emulator.reset()
    assert not emulator.whole_tool_calls


def test_embeddings(emulator: Emulator) -> None:
    floats = post(emulator, "/embeddings", {"input": ["first text", "second"], "model": "m"}).json()
    assert [item["index"] for item in floats["data"]] == [0, 1]
    assert floats["data"][0]["embedding"] == embedding_vector("first text", 8)
    assert (floats["model"], floats["usage"]) == ("m", {"prompt_tokens": 3, "total_tokens": 3})
    encoded = post(emulator, "/embeddings", {"input": ["first text"], "dimensions": 4, "encoding_format": "base64"})
    vector = struct.unpack("<4f", base64.b64decode(encoded.json()["data"][0]["embedding"]))
    assert list(vector) == embedding_vector("first text", 4)
    assert post(emulator, "/embeddings", {"input": "not a list"}).status_code == 422
    assert post(emulator, "/embeddings", {"input": ["a"], "encoding_format": "hex"}).status_code == 422


def test_image_embeddings(emulator: Emulator) -> None:
    image = "data:image/png;base64," + base64.b64encode(b"\x89PNG fake").decode()
    result = post(emulator, "/images/embeddings", {"input": [{"image": image, "text": "a cat"}, {"image": image}]})
    assert result.status_code == 200
    data = result.json()["data"]
    assert len(data) == 2 and data[0]["embedding"] != data[1]["embedding"]
    for bad in ({"image": "https://example.com/cat.png"}, {"image": "data:image/png;base64,***"}, {"text": "no image"}):
        response = post(emulator, "/images/embeddings", {"input": [bad]})
        assert response.status_code == 422 and response.json()["detail"]["loc"] == ["body", "input", 0]


def test_enqueue_overrides_in_order(emulator: Emulator) -> None:
    emulator.enqueue(500, json={"error": {"code": "Boom", "message": "boom"}}, headers={"Retry-After": "0"})
    emulator.enqueue(200, body=b"raw", content_type="text/plain")
    first = requests.get(emulator.endpoint + "/anything", timeout=5)
    assert (first.status_code, first.headers["Retry-After"]) == (500, "0")
    assert first.json() == {"error": {"code": "Boom", "message": "boom"}}
    second = requests.get(emulator.endpoint + "/anything", timeout=5)
    assert (second.status_code, second.content, second.headers["Content-Type"]) == (200, b"raw", "text/plain")
    assert requests.get(emulator.endpoint + "/anything", timeout=5).status_code == 401  # back to default behaviour
    assert [request.path for request in emulator.requests] == ["/anything"] * 3


@pytest.mark.asyncio
async def test_chunks_arrive_separately(emulator: Emulator) -> None:
    chunks = [b'data: {"a":', b" 1}\n", b"\ndata: [DONE]\n\n"]
    emulator.enqueue(chunks=chunks, chunk_delay=0.02)
    async with aiohttp.ClientSession() as session, session.get(emulator.endpoint + "/chat/completions") as response:
        assert response.headers["Content-Type"] == "text/event-stream"
        received = [chunk async for chunk in response.content.iter_any()]
    assert received == chunks


def test_disconnect_after(emulator: Emulator) -> None:
    emulator.enqueue(body=b'{"id": "truncated"}', disconnect_after=5)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(emulator.endpoint, timeout=5)
    emulator.enqueue(chunks=[b"data: 1\n\n", b"data: 2\n\n"], disconnect_after=12)
    with requests.get(emulator.endpoint, stream=True, timeout=5) as response:
        received = b""
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            for chunk in response.iter_content(None):
                received += chunk
    assert received == b"data: 1\n\ndat"


def test_drop_and_delay(emulator: Emulator) -> None:
    emulator.enqueue(drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(emulator.endpoint, timeout=5)
    emulator.enqueue(json={"late": True}, delay=0.1)
    started = time.monotonic()
    assert requests.get(emulator.endpoint, timeout=5).json() == {"late": True}
    assert time.monotonic() - started >= 0.1
    emulator.enqueue(json={}, delay=1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(emulator.endpoint, timeout=0.1)


def test_reset(emulator: Emulator) -> None:
    emulator.enqueue(json={})
    emulator.require_api_version = False
    emulator.accepted_tokens.add("t")
    emulator.key = "other"
    chat(emulator, {"messages": [user("hi")]})
    emulator.reset()
    assert emulator.requests == []
    assert (emulator.key, emulator.require_api_version, emulator.accepted_tokens) == (EMULATOR_KEY, True, set())
    assert chat(emulator, {"messages": [user("hi")]}).json()["id"] == "chatcmpl-1"


def test_separate_instance_without_key() -> None:
    with Emulator() as server:
        assert server.endpoint.startswith("http://127.0.0.1:")
        response = requests.get(server.endpoint + "/info", params=VERSION, timeout=5)
        assert response.json()["model_type"] == "chat_completion"
    with pytest.raises(RuntimeError):
        server.endpoint  # noqa: B018  # stopped
