"""Playback of recorded service exchanges (tests/test_playback.py): reading the fixtures in tests/recordings/, a
loopback server that answers with them and keeps what the client sent, the public objects a user builds for a
recorded request, and the comparisons: the request sent with the recorded one, what the user reads with the
recorded response.

A recording (the Azure SDK test proxy's format) holds ``Entries``: one request (``RequestUri``, ``RequestMethod``,
``RequestHeaders``, ``RequestBody``) and its response (``StatusCode``, ``ResponseHeaders``, ``ResponseBody``: a JSON
object, a string, or for a stream the list of chunks as they were received). Secrets and hosts were replaced by
``Sanitized`` and Azure OpenAI's api-version by ``yyyy-mm-dd-preview`` when recording; those match any value.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import json
import re
import socket
import ssl
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aiohttp import web
from multidict import CIMultiDict

from azure.ai.inference.models import (
    AssistantMessage,
    ChatCompletionsToolCall,
    ChatCompletionsToolDefinition,
    CompletionsUsage,
    FunctionCall,
    FunctionDefinition,
    ImageContentItem,
    ImageUrl,
    SystemMessage,
    TextContentItem,
    ToolMessage,
    UserMessage,
)

RECORDINGS = Path(__file__).parent / "recordings"
ROUTES = ("/images/embeddings", "/embeddings", "/chat/completions", "/info")  # matched as path suffixes, in order
# Placeholders the recorder wrote over values that vary (keys, ids, hosts, dates): each matches any such value.
PLACEHOLDERS = {"Sanitized": re.compile(r".+", re.S), "yyyy-mm-dd-preview": re.compile(r"\d{4}-\d{2}-\d{2}-preview")}
# Response headers the server computes itself: the JSON is re-serialized, so the recorded length is not its length.
HOP_HEADERS = frozenset(["content-length", "transfer-encoding", "date", "connection"])


@dataclass(frozen=True)
class Entry:
    """One recorded exchange."""

    method: str
    uri: str
    headers: CIMultiDict[str]
    body: Any
    status: int
    response_headers: CIMultiDict[str]
    response: Any  # a JSON object, a string, or (a stream) the list of chunks

    @property
    def path(self) -> str:
        return urlsplit(self.uri).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.uri).query))

    @property
    def prefix(self) -> str:
        """The endpoint's path, before the route: ``/openai/deployments/gpt-4o-deployment``, or ``""``."""
        route = next(route for route in ROUTES if self.path.endswith(route))
        return self.path[: -len(route)]

    @property
    def events(self) -> list[Any]:
        """A stream's events, parsed from its ``data:`` lines (``[DONE]`` left out), in order."""
        lines = "".join(self.response).splitlines()
        datas = [line[len("data:") :].strip() for line in lines if line.startswith("data:")]
        return [json.loads(data) for data in datas if data != "[DONE]"]


def load(name: str) -> list[Entry]:
    """The entries of ``tests/recordings/<name>.json``."""
    recording = json.loads((RECORDINGS / f"{name}.json").read_text(encoding="utf-8"))
    return [
        Entry(
            method=entry["RequestMethod"],
            uri=entry["RequestUri"],
            headers=CIMultiDict(entry["RequestHeaders"]),
            body=entry["RequestBody"],
            status=entry["StatusCode"],
            response_headers=CIMultiDict(entry["ResponseHeaders"]),
            response=entry["ResponseBody"],
        )
        for entry in recording["Entries"]
    ]


def masked(actual: Any, recorded: Any) -> Any:
    """``actual`` with each value the recording sanitized replaced by the recording's placeholder, when it has the
    placeholder's shape: ``masked(actual, recorded) == recorded`` then compares everything else exactly."""
    if isinstance(recorded, str) and recorded in PLACEHOLDERS:
        return recorded if isinstance(actual, str) and PLACEHOLDERS[recorded].fullmatch(actual) else actual
    if isinstance(actual, dict) and isinstance(recorded, dict):
        return {key: masked(value, recorded.get(key)) for key, value in actual.items()}
    if isinstance(actual, list) and isinstance(recorded, list) and len(actual) == len(recorded):
        return [masked(value, expected) for value, expected in zip(actual, recorded)]
    return actual


@dataclass(frozen=True)
class Sent:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: CIMultiDict[str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def assert_sent_as_recorded(sent: Sent, entry: Entry) -> None:
    """The request equals the recorded one: method, path, query, JSON body (its key order too), ``extra-parameters``,
    ``Accept``, ``Content-Type`` and the presence of ``api-key``; sanitized values match anything of their shape. The
    recorder kept no ``Authorization`` header (the Entra ID recordings have none either): tests check it themselves."""
    assert (sent.method, sent.path) == (entry.method, entry.path)
    assert masked(sent.query, entry.query) == entry.query
    assert masked(sent.json(), entry.body) == entry.body
    # and in the recorded key order: the bytes 1.0.0b9 sent (the recorder keeps a body's key order)
    assert json.dumps(masked(sent.json(), entry.body)) == json.dumps(entry.body), "JSON keys in another order"
    for name in ("extra-parameters", "Accept", "Content-Type"):
        assert sent.headers.get(name) == entry.headers.get(name), name
    assert ("api-key" in sent.headers) == ("api-key" in entry.headers)


class PlaybackServer:
    """Answers each request with the next recorded response, from its own thread and event loop, on 127.0.0.1;
    over TLS when given a server ``ssl.SSLContext``."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._tls = tls
        self._queue: deque[Entry] = deque()
        self.sent: list[Sent] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="playback", daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0

    def url(self, prefix: str = "") -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}{prefix}"

    def play(self, entries: list[Entry]) -> None:
        """Answer the next requests with these entries' responses, in order; forget earlier requests."""
        self._queue = deque(entries)
        self.sent = []

    def start(self) -> PlaybackServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self._thread.start()
        self._runner = asyncio.run_coroutine_threadsafe(self._serve(sock), self._loop).result(10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _serve(self, sock: socket.socket) -> web.AppRunner:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        await web.SockSite(runner, sock, ssl_context=self._tls).start()
        return runner

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        query = {name: request.query[name] for name in request.query}
        self.sent.append(Sent(request.method, request.path, query, CIMultiDict(request.headers), body))
        if not self._queue:
            return web.json_response(
                {"error": {"code": "unexpected", "message": "no recorded answer left"}}, status=599
            )
        entry = self._queue.popleft()
        headers = CIMultiDict((k, v) for k, v in entry.response_headers.items() if k.lower() not in HOP_HEADERS)
        response = web.StreamResponse(status=entry.status, headers=headers)
        if isinstance(entry.response, list):  # a stream: each recorded chunk in its own write
            await response.prepare(request)
            for chunk in entry.response:
                await response.write(chunk.encode())
                await asyncio.sleep(0)
        else:
            payload = entry.response if isinstance(entry.response, str) else json.dumps(entry.response)
            response.content_length = len(payload.encode())
            await response.prepare(request)
            await response.write(payload.encode())
        await response.write_eof()
        return response


# Building the call as a user would, from the recorded request


def messages_of(recorded: list[dict[str, Any]]) -> list[Any]:
    """The public message classes a user builds for these recorded messages."""
    return [_message(message) for message in recorded]


def _message(message: dict[str, Any]) -> Any:
    role, content = message["role"], message.get("content")
    if role == "system":
        return SystemMessage(content)
    if role == "user":
        return UserMessage(content if isinstance(content, str) else [_item(item) for item in content])
    if role == "tool":  # keywords in the recorded order: the JSON keeps the order they are given in, as in 1.0.0b9
        return ToolMessage(**{key: value for key, value in message.items() if key != "role"})
    calls = [
        ChatCompletionsToolCall(id=call["id"], function=FunctionCall(**call["function"]))
        for call in message.get("tool_calls") or []
    ]
    return AssistantMessage(content, tool_calls=calls or None)


def _item(item: dict[str, Any]) -> Any:
    if item["type"] == "text":
        return TextContentItem(text=item["text"])
    return ImageContentItem(image_url=ImageUrl(**item["image_url"]))


def tool_answer(entry: Entry, tool_call_id: str) -> ToolMessage:
    """The tool's answer, as the recorded test's function gave it (the last message of the request after the call)."""
    recorded = entry.body["messages"][-1]
    return _message({**recorded, "tool_call_id": tool_call_id})


def tools_of(recorded: dict[str, Any]) -> list[ChatCompletionsToolDefinition]:
    return [
        ChatCompletionsToolDefinition(function=FunctionDefinition(**tool["function"])) for tool in recorded["tools"]
    ]


def written(tmp_path: Path, name: str, data: str) -> Path:
    """A file holding the bytes of the recorded base64 ``data`` (the data URL's part after the comma)."""
    path = tmp_path / name
    path.write_bytes(base64.b64decode(data.split(",")[-1]))
    return path


# What the user reads, compared with the recorded response


def assert_reads_as_recorded(result: Any, recorded: dict[str, Any]) -> None:
    """A ``ChatCompletions`` shows the recorded id, model, time, choices (content, role, finish reason, tool calls,
    content-filter results) and usage."""
    assert (result.id, result.model) == (recorded["id"], recorded["model"])
    assert result.created == datetime.datetime.fromtimestamp(recorded["created"], datetime.timezone.utc)
    assert len(result.choices) == len(recorded["choices"])
    for choice, expected in zip(result.choices, recorded["choices"]):
        message = expected["message"]
        assert (choice.index, choice.finish_reason) == (expected["index"], expected["finish_reason"])
        assert (choice.message.role, choice.message.content) == (message["role"], message["content"])
        assert tool_calls(choice.message) == [
            (call["id"], call["type"], call["function"]["name"], call["function"]["arguments"])
            for call in message.get("tool_calls") or []
        ]
        if "content_filter_results" in expected:  # Azure OpenAI's, unnamed in the models: read as a mapping
            assert choice["content_filter_results"] == expected["content_filter_results"]
    if "prompt_filter_results" in recorded:
        assert result["prompt_filter_results"] == recorded["prompt_filter_results"]
    assert_usage(result.usage, recorded["usage"])
    assert result.as_dict() == recorded  # every field the service sent stays readable, unnamed ones too
    assert str(result) == json.dumps(recorded, indent=2)  # as 1.0.0b9 prints it


def assert_usage(usage: Any, recorded: dict[str, Any]) -> None:
    assert usage.prompt_tokens == recorded["prompt_tokens"]
    assert usage.total_tokens == recorded["total_tokens"]
    if isinstance(usage, CompletionsUsage):  # embeddings' usage names no completion tokens, as in 1.0.0b9
        assert usage.completion_tokens == recorded["completion_tokens"]
    assert dict(usage) == recorded  # and what the models do not name (token details, images) stays readable


def tool_calls(message: Any) -> list[tuple[Any, ...]]:
    return [(call.id, call.type, call.function.name, call.function.arguments) for call in message.tool_calls or []]


def assert_streamed_as_recorded(updates: list[Any], final: Any, entry: Entry) -> None:
    """Each update shows its recorded event; the assembled completion joins the recorded deltas."""
    events = [event for event in entry.events if event.get("choices") or event.get("usage")]
    assert len(updates) == len(events) > 1
    for update, event in zip(updates, events):
        assert (update.id, update.model) == (event["id"], event["model"])
        for choice, expected in zip(update.choices, event["choices"]):
            delta = expected["delta"]
            assert (choice.index, choice.finish_reason) == (expected["index"], expected["finish_reason"])
            assert (choice.delta.role, choice.delta.content) == (delta.get("role"), delta.get("content"))
            assert [
                (call.id, call.function.name, call.function.arguments) for call in choice.delta.tool_calls or []
            ] == [
                (call["id"], call["function"]["name"], call["function"]["arguments"])
                for call in delta.get("tool_calls") or []
            ]
        if "usage" in event:
            assert_usage(update.usage, event["usage"])
        assert update.as_dict() == event
    deltas = [event["choices"][0]["delta"] for event in events]
    message = final.choices[0].message
    # Empty deltas add up to no content (null), as a non-streamed reply with only tool calls may have it.
    assert message.content == ("".join(delta.get("content") or "" for delta in deltas) or None)
    assert final.choices[0].finish_reason == next(e["choices"][0]["finish_reason"] for e in events[::-1])
    assert tool_calls(message) == [
        (call["id"], "function", call["function"]["name"], call["function"]["arguments"])
        for delta in deltas
        for call in delta.get("tool_calls") or []
    ]
    assert_usage(final.usage, next(event["usage"] for event in events[::-1] if "usage" in event))


def assert_error_as_recorded(error: Any, entry: Entry) -> None:
    assert error.status_code == entry.status
    assert error.response.text() == (entry.response if isinstance(entry.response, str) else json.dumps(entry.response))
    recorded = entry.response
    if isinstance(recorded, str):  # a body that is not JSON is shown as it came
        assert error.error is None and str(error).endswith(f"Content: {recorded}")
    elif "error" in recorded:  # {"error": {"code", "message"}}
        assert (error.error.code, error.error.message) == (recorded["error"]["code"], recorded["error"]["message"])
    else:  # Azure ML's {"statusCode", "message"}: no code
        assert (error.error.code, error.error.message) == (None, recorded["message"])
        assert str(error).startswith(f"(None) {recorded['message']}")


def assert_info_as_recorded(info: Any, entry: Entry) -> None:
    recorded = entry.response
    assert (info.model_name, info.model_type, info.model_provider_name) == (
        recorded["model_name"],
        recorded["model_type"],
        recorded["model_provider_name"],
    )
    assert info["served_model_name"] == recorded["served_model_name"]
    assert info.as_dict() == recorded
