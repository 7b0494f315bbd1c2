"""A loopback emulator of the Azure AI Model Inference REST API, for tests, samples and benchmarks.

In-process: ``with Emulator(key="k") as emulator: ...`` serves on a background thread.
Standalone: ``python tests/emulator.py [--port N] [--key K]`` prints ``EMULATOR_ENDPOINT=<url>`` and serves
until killed. Only 127.0.0.1 is ever bound.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import re
import socket
import ssl
import struct
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from multidict import CIMultiDict

if TYPE_CHECKING:
    from typing_extensions import Self

    from .azure_today import AzureToday

EMULATOR_KEY = "emulator-key"
DEFAULT_MODEL = "emulated-model"
DEFAULT_DIMENSIONS = 8
MAX_DIMENSIONS = 4096
CREATED = 1700000000

CHAT_KEYS = frozenset([
    "messages", "stream", "frequency_penalty", "max_tokens", "model", "presence_penalty", "response_format",
    "seed", "stop", "temperature", "tool_choice", "tools", "top_p", "stream_options", "n", "user", "logprobs",
    "top_logprobs", "parallel_tool_calls",
])  # fmt: skip
EMBEDDINGS_KEYS = frozenset(["input", "dimensions", "encoding_format", "input_type", "model"])
ROLES = frozenset(["system", "developer", "user", "assistant", "tool"])
CONTENT_ITEM_TYPES = frozenset(["text", "image_url", "input_audio"])  # each item also holds a key named as its type
RESPONSE_FORMATS = frozenset(["text", "json_object", "json_schema"])
ENCODINGS = frozenset(["base64", "binary", "float", "int8", "ubinary", "uint8"])
INPUT_TYPES = frozenset(["text", "query", "document"])
ROUTES = ("/info", "/images/embeddings", "/embeddings", "/chat/completions")  # matched as path suffixes, in order
BASE64 = r"(?=.)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"  # non-empty, correctly padded
IMAGE_DATA_URL = re.compile(r"data:image/[\w.+-]+;base64," + BASE64)
STREAM_PIECE = re.compile(r"\s*\S+|\s+$")  # a word with the whitespace before it, or trailing whitespace
# The first path segment picks the model that GET .../info describes; any other prefix is a chat model.
MODEL_TYPE_BY_PREFIX = {"embed": "embeddings", "image": "image_embeddings", "noinfo": None}
# The reason phrases the emulator sends, fixed here rather than taken from Python's http.HTTPStatus, which renames
# some (3.13 says "Unprocessable Content" for 422): what tests compare, and compat/b9_golden.json records, is then
# the same on every Python version. A status not listed gets Python's phrase.
REASONS = {
    200: "OK", 201: "Created", 304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
    405: "Method Not Allowed", 409: "Conflict", 413: "Request Entity Too Large", 422: "Unprocessable Entity",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
}  # fmt: skip


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the emulator received it."""

    method: str
    path: str
    query: dict[str, str]
    raw_query: str
    headers: CIMultiDict[str]
    body: bytes
    peer: str = ""  # "host:port" of the client's end of the connection: one per connection
    host: str = ""  # the Host header: the name the client asked for (behind the CONNECT proxy, not the emulator's)
    scheme: str = "http"

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)

    @property
    def url(self) -> str:
        """The URL the client sent: scheme, host, path and query."""
        return f"{self.scheme}://{self.host}{self.path}" + (f"?{self.raw_query}" if self.raw_query else "")


@dataclass(frozen=True)
class CannedResponse:
    """A scripted answer to one request; see `Emulator.enqueue`."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: Mapping[str, str] | None = None
    content_type: str | None = None
    chunks: list[bytes] | None = None
    chunk_delay: float | list[float] = 0.0
    disconnect_after: int | None = None
    delay: float = 0.0
    drop: bool = False


class _Reject(Exception):
    """Ends request handling with an error answer."""

    def __init__(self, status: int, payload: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.payload = payload


def _error(status: int, code: str, message: str) -> _Reject:
    return _Reject(status, {"error": {"code": code, "message": message}})


def _invalid(loc: list[Any], value: Any, message: str, code: str = "invalid_input") -> _Reject:
    """A 422 shaped like the service's: top-level code and message, and where the bad input is."""
    return _Reject(422, {"code": code, "message": message, "detail": {"loc": ["body", *loc], "input": value}})


class Emulator:
    """The emulated service, served from its own thread and event loop."""

    def __init__(
        self, *, key: str | None = None, port: int = 0, azure: bool = False, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        """``azure=True`` adds today's Azure per host name (tests/azure_today.py); ``ssl_context`` serves TLS."""
        self._initial_key = key
        self._port = port
        self._azure = azure
        self._ssl_context = ssl_context
        self.requests: list[RecordedRequest] = []
        self._queue: deque[CannedResponse] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.reset()

    def reset(self) -> None:
        """Forget recorded requests and queued responses; restore the default settings."""
        self.requests.clear()
        self._queue.clear()
        self._counter = 0
        self.key = self._initial_key
        self.require_api_version = True
        self.accepted_tokens: set[str] = set()
        self.whole_tool_calls = False  # streams send each tool call in one update instead of in fragments
        # GET .../v1/models answers as llama.cpp, vLLM and Ollama do (ids and owner, no type) when this is a list.
        self.local_models: list[str] | None = None
        self.local_owner = "llamacpp"
        self.azure_today: AzureToday | None = None
        self.quota: Any = None  # a tests.quota.Quota makes this a quota-limited deployment
        if self._azure:
            from .azure_today import AzureToday  # imports this module: loaded only when asked for

            self.azure_today = AzureToday()

    @property
    def endpoint(self) -> str:
        """The base URL, without a trailing slash."""
        if self._loop is None:
            raise RuntimeError("the emulator is not running")
        scheme = "https" if self._ssl_context is not None else "http"
        return f"{scheme}://127.0.0.1:{self._port}"

    def url(self, prefix: str = "") -> str:
        """The endpoint with a path prefix, e.g. ``url("embed")`` for a model whose /info says embeddings."""
        prefix = prefix.strip("/")
        return f"{self.endpoint}/{prefix}" if prefix else self.endpoint

    def enqueue(
        self,
        status: int = 200,
        *,
        json: Any = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
        chunks: list[bytes] | None = None,
        chunk_delay: float | list[float] = 0.0,
        disconnect_after: int | None = None,
        delay: float = 0.0,
        drop: bool = False,
    ) -> None:
        """Answer the next request with this instead of the default behaviour; answers queue up FIFO.

        The body is ``chunks`` (written one by one, each after ``chunk_delay`` seconds, or after its own delay
        when ``chunk_delay`` is a list, with chunked transfer encoding), else ``body``, else ``json`` serialized.
        ``delay`` waits before answering; ``disconnect_after`` closes the connection once that many body bytes
        are written; ``drop`` closes it without any answer.
        """
        fields = (status, json, body, headers, content_type, chunks, chunk_delay, disconnect_after, delay, drop)
        self._queue.append(CannedResponse(*fields))

    def start(self) -> Self:
        """Bind 127.0.0.1 and serve from a background thread; returns once connections are accepted."""
        if self._loop is not None:
            raise RuntimeError("the emulator is already running")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self._port))
        self._port = sock.getsockname()[1]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="emulator", daemon=True)
        self._thread.start()
        self._runner = asyncio.run_coroutine_threadsafe(self._serve(sock), self._loop).result(10)
        return self

    def stop(self) -> None:
        """Stop serving, join the thread and close its loop."""
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self._loop = self._thread = self._runner = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _serve(self, sock: socket.socket) -> web.AppRunner:
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[self._quota_middleware])
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        await web.SockSite(runner, sock, ssl_context=self._ssl_context).start()
        return runner

    @web.middleware
    async def _quota_middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if self.quota is None:
            return await handler(request)
        return await self.quota.handle(request, handler)  # type: ignore[no-any-return]

    async def _shutdown(self) -> None:
        """Close the server, then cancel the handlers still running (a long ``delay``, for instance)."""
        if self._runner is not None:
            # TLS connections whose peer never answers the close handshake would outlive the loop (a ResourceWarning
            # later): abort whatever is still open once the graceful shutdown is done.
            server = self._runner.server
            transports = [c.transport for c in getattr(server, "connections", ()) if c.transport is not None]
            await self._runner.cleanup()
            for transport in transports:
                transport.abort()
            await asyncio.sleep(0)  # their connection_lost callbacks
        handlers = asyncio.all_tasks() - {asyncio.current_task()}
        for handler in handlers:
            handler.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        query = {name: request.query[name] for name in request.query}
        headers = CIMultiDict(request.headers)
        raw_query = request.rel_url.raw_query_string
        peername = request.transport.get_extra_info("peername") if request.transport is not None else None
        peer = f"{peername[0]}:{peername[1]}" if peername else ""
        host = request.headers.get("Host", "")
        scheme = "https" if self._ssl_context is not None else "http"
        fields = (request.method, request.path, query, raw_query, headers, body, peer, host, scheme)
        self.requests.append(RecordedRequest(*fields))
        if self._queue:
            return await _serve_canned(request, self._queue.popleft())
        try:
            answer = self._route(request, host, query, headers, body)
        except _Reject as reject:
            return web.json_response(reject.payload, status=reject.status, reason=REASONS.get(reject.status))
        if isinstance(answer, _StreamedCompletion):
            return await _stream(request, answer)
        return web.json_response(answer)

    def _route(
        self, request: web.Request, host: str, query: dict[str, str], headers: CIMultiDict[str], body: bytes
    ) -> Any:
        """Today's Azure for its hosts, the local-server model list if set up, else the Model Inference API."""
        if self.azure_today is not None:
            from .azure_today import NOT_HANDLED

            answer = self.azure_today.answer(self, request.method, host, request.path, query, headers, body)
            if answer is not NOT_HANDLED:
                return answer
        if (
            self.local_models is not None
            and request.method == "GET"
            and request.path.rstrip("/").endswith("/v1/models")
        ):
            entry = {"object": "model", "created": CREATED, "owned_by": self.local_owner}
            return {"object": "list", "data": [{"id": model, **entry} for model in self.local_models]}
        self._check_access(request)
        return self._answer(request.method, request.path.rstrip("/"), headers, body)

    def _check_access(self, request: web.Request) -> None:
        if self.key is not None or self.accepted_tokens:
            authorization = request.headers.get("Authorization", "")
            token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else None
            key_ok = self.key is not None and self.key in (request.headers.get("api-key"), token)
            if not key_ok and token not in self.accepted_tokens:
                raise _error(401, "Unauthorized", "Access denied due to invalid credentials.")
        if self.require_api_version and not request.query.get("api-version"):
            raise _error(400, "MissingApiVersion", "The api-version query parameter (?api-version=) is required.")

    def _answer(self, method: str, path: str, headers: CIMultiDict[str], raw: bytes) -> Any:
        """The JSON answer to an authorized request, or a `_Reject`."""
        route = next((route for route in ROUTES if path.endswith(route)), None)
        if route is None:
            raise _error(404, "NotFound", f"No route for {path}.")
        if method != ("GET" if route == "/info" else "POST"):
            raise _error(405, "MethodNotAllowed", f"{method} is not allowed on {path}.")
        if route == "/info":
            model_type = MODEL_TYPE_BY_PREFIX.get(path.split("/")[1], "chat_completion")
            if model_type is None:
                raise _error(404, "NotFound", "Resource not found.")
            return {"model_name": DEFAULT_MODEL, "model_type": model_type, "model_provider_name": "Emulator"}
        try:
            body = json.loads(raw)
        except ValueError:
            raise _error(400, "InvalidJson", "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise _error(400, "InvalidJson", "The request body must be a JSON object.")
        mode = headers.get("extra-parameters", "error")
        if route == "/chat/completions":
            return self._chat(_apply_extra_parameters(body, CHAT_KEYS, mode))
        body = _apply_extra_parameters(body, EMBEDDINGS_KEYS, mode)
        if route == "/embeddings":
            return self._embeddings(body, _text_inputs(body.get("input")))
        return self._embeddings(body, _image_inputs(body.get("input")))

    def _next_id(self) -> int:
        self._counter += 1
        return self._counter

    def _chat(self, body: dict[str, Any]) -> Any:
        messages = _validate_messages(body.get("messages"))
        response_format = body.get("response_format")
        if response_format is not None and (
            not isinstance(response_format, dict) or response_format.get("type") not in RESPONSE_FORMATS
        ):
            raise _invalid(["response_format"], response_format, "Unsupported response_format.")
        functions = _functions(body.get("tools"))
        number = self._next_id()
        last = messages[-1]
        if functions and last["role"] == "user" and body.get("tool_choice") != "none":
            function = _chosen_function(functions, body.get("tool_choice"))
            arguments = json.dumps(_placeholder(function.get("parameters")))
            call = {"name": function["name"], "arguments": arguments}
            tool_calls = [{"id": f"call_{number}", "type": "function", "function": call}]
            message: dict[str, Any] = {"role": "assistant", "content": None, "tool_calls": tool_calls}
            finish_reason, completion_tokens = "tool_calls", len(arguments.split())
        else:
            users = [m for m in messages if m["role"] == "user"]
            source = last if last["role"] == "tool" else users[-1] if users else {}
            content, finish_reason = _truncate(_format_reply(f"Echo: {_text(source)}", response_format), body)
            message = {"role": "assistant", "content": content}
            completion_tokens = len(content.split())
        prompt_tokens = sum(len(_text(m).split()) for m in messages)
        total = prompt_tokens + completion_tokens
        completion = {
            "id": f"chatcmpl-{number}",
            "object": "chat.completion",
            "created": CREATED,
            "model": body.get("model") or DEFAULT_MODEL,
            "choices": [{"index": 0, "finish_reason": finish_reason, "message": message}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": total},
        }
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return _StreamedCompletion(completion, include_usage, self.whole_tool_calls)
        return completion

    def _embeddings(self, body: dict[str, Any], inputs: list[tuple[str, int]]) -> Any:
        """Embeddings of (seed, token count) pairs: deterministic vectors derived from each seed."""
        dimensions = body.get("dimensions", DEFAULT_DIMENSIONS)
        if not isinstance(dimensions, int) or not 0 < dimensions <= MAX_DIMENSIONS:
            raise _invalid(["dimensions"], dimensions, f"dimensions must be an integer in 1..{MAX_DIMENSIONS}.")
        encoding = body.get("encoding_format", "float")
        if encoding not in ENCODINGS:
            raise _invalid(["encoding_format"], encoding, "Unsupported encoding_format.")
        if body.get("input_type", "text") not in INPUT_TYPES:
            raise _invalid(["input_type"], body.get("input_type"), "Unsupported input_type.")
        data = []
        for index, (seed, _) in enumerate(inputs):
            vector: Any = embedding_vector(seed, dimensions)
            if encoding == "base64":
                vector = base64.b64encode(struct.pack(f"<{dimensions}f", *vector)).decode("ascii")
            data.append({"object": "embedding", "index": index, "embedding": vector})
        tokens = sum(count for _, count in inputs)
        return {
            "id": f"embeddings-{self._next_id()}",
            "object": "list",
            "model": body.get("model") or DEFAULT_MODEL,
            "data": data,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }


@dataclass(frozen=True)
class _StreamedCompletion:
    """A chat completion to be sent as server-sent events."""

    completion: dict[str, Any]
    include_usage: bool
    whole_tool_calls: bool = False
    azure_filters: bool = False  # Azure OpenAI's content filter annotations (tests/azure_today.py)

    def events(self) -> Iterator[dict[str, Any]]:
        """Role first, one update per word, tool calls (in fragments or whole), the finish reason, usage if asked.

        With ``azure_filters``, a chunk with no choices and the prompt's filter results comes first, and each
        choice carries ``content_filter_results``, as Azure OpenAI streams.
        """
        head = {"id": self.completion["id"], "object": "chat.completion.chunk"}
        head |= {"created": self.completion["created"], "model": self.completion["model"]}
        choice = self.completion["choices"][0]
        filters: dict[str, Any] = {}
        if self.azure_filters:
            from .azure_today import CONTENT_FILTERS, PROMPT_FILTERS

            filters = {"content_filter_results": CONTENT_FILTERS}
            yield {
                "choices": [],
                "created": 0,
                "id": "",
                "model": "",
                "object": "",
                "prompt_filter_results": PROMPT_FILTERS,
            }

        def update(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            return {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, **filters}]}

        yield update({"role": "assistant"})
        for piece in STREAM_PIECE.findall(choice["message"]["content"] or ""):
            yield update({"content": piece})
        for index, call in enumerate(choice["message"].get("tool_calls") or []):
            name, arguments = call["function"]["name"], call["function"]["arguments"]
            if self.whole_tool_calls:
                yield update({"tool_calls": [{"index": index, **call}]})
                continue
            first = {"index": index, "id": call["id"], "type": "function", "function": {"name": name, "arguments": ""}}
            yield update({"tool_calls": [first]})
            for start in range(0, len(arguments), 4):
                fragment = {"index": index, "function": {"arguments": arguments[start : start + 4]}}
                yield update({"tool_calls": [fragment]})
        yield update({}, choice["finish_reason"])
        if self.include_usage:
            yield {**head, "choices": [], "usage": self.completion["usage"]}


def embedding_vector(seed: str, dimensions: int) -> list[float]:
    """The emulator's deterministic embedding of ``seed``; its values are exact in float32."""
    digest = hashlib.shake_256(seed.encode()).digest(2 * dimensions)
    return [(int.from_bytes(digest[i : i + 2], "little") - 32768) / 32768 for i in range(0, 2 * dimensions, 2)]


def _apply_extra_parameters(body: dict[str, Any], known: frozenset[str], mode: str) -> dict[str, Any]:
    """Unknown root keys: kept with ``pass-through``, removed with ``drop``, else a 422 (the service's default)."""
    unknown = [key for key in body if key not in known]
    if not unknown or mode == "pass-through":
        return body
    if mode == "drop":
        return {key: value for key, value in body.items() if key in known}
    message = (
        f"Extra parameters {unknown} are not allowed when extra-parameters is not set or set to be 'error'. "
        "Set extra-parameters to 'pass-through' to pass to the model."
    )
    raise _invalid([unknown[0]], body[unknown[0]], message, code="extra_parameters_not_allowed")


def _validate_messages(messages: Any) -> list[dict[str, Any]]:
    if not isinstance(messages, list) or not messages:
        raise _invalid(["messages"], messages, "messages must be a non-empty list.")
    for index, message in enumerate(messages):
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ROLES:
            raise _invalid(["messages", index, "role"], role, f"Unknown role {role!r}.")
        if role == "tool" and not isinstance(message.get("tool_call_id"), str):
            raise _invalid(["messages", index, "tool_call_id"], None, "A tool message needs tool_call_id.")
        content = message.get("content")
        if isinstance(content, list):
            for position, item in enumerate(content):
                kind = item.get("type") if isinstance(item, dict) else None
                if kind not in CONTENT_ITEM_TYPES or kind not in item or not isinstance(item.get("text", ""), str):
                    raise _invalid(["messages", index, "content", position], item, "Invalid content item.")
        elif content is not None and not isinstance(content, str):
            raise _invalid(["messages", index, "content"], content, "content must be a string or a list.")
    return messages


def _functions(tools: Any) -> list[dict[str, Any]]:
    """The function definitions of the tools, each checked to be a function with a name."""
    if tools is not None and not isinstance(tools, list):
        raise _invalid(["tools"], tools, "tools must be a list.")
    functions = []
    for index, tool in enumerate(tools or []):
        function = tool.get("function") if isinstance(tool, dict) and tool.get("type") == "function" else None
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise _invalid(["tools", index], tool, "A tool needs type 'function' and a function with a name.")
        functions.append(function)
    return functions


def _chosen_function(functions: list[dict[str, Any]], tool_choice: Any) -> dict[str, Any]:
    """The function a named tool choice names, else the first one."""
    name = (tool_choice.get("function") or {}).get("name") if isinstance(tool_choice, dict) else None
    return next((function for function in functions if function["name"] == name), functions[0])


def _text(message: dict[str, Any]) -> str:
    """The text of a message: its string content or its text items joined by spaces."""
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(item["text"] for item in content if item["type"] == "text")
    return content or ""


def _placeholder(schema: Any, depth: int = 0, root: Any = None) -> Any:
    """A value with the required properties of a JSON schema: strings "x", numbers 1, booleans true."""
    root = schema if root is None else root
    if not isinstance(schema, dict) or depth > 16:
        return {} if depth == 0 else None
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and isinstance(root, dict):
        return _placeholder((root.get("$defs") or {}).get(ref[8:]), depth + 1, root)
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((name for name in kind if name != "null"), None)
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {name: _placeholder(properties.get(name), depth + 1, root) for name in schema.get("required") or []}
    return {"string": "x", "integer": 1, "number": 1, "boolean": True, "array": []}.get(str(kind))


def _format_reply(reply: str, response_format: dict[str, Any] | None) -> str:
    """The reply as text, or as JSON when the response format asks for it."""
    response_format = response_format or {}
    if response_format.get("type") == "json_object":
        return json.dumps({"reply": reply})
    if response_format.get("type") == "json_schema":
        return json.dumps(_placeholder((response_format.get("json_schema") or {}).get("schema")))
    return reply


def _truncate(content: str, body: dict[str, Any]) -> tuple[str, str]:
    """The content cut to ``max_tokens`` words, and the finish reason."""
    words, max_tokens = content.split(), body.get("max_tokens")
    if isinstance(max_tokens, int) and len(words) > max_tokens:
        return " ".join(words[:max_tokens]), "length"
    return content, "stop"


def _text_inputs(inputs: Any) -> list[tuple[str, int]]:
    if not isinstance(inputs, list) or not inputs or not all(isinstance(text, str) for text in inputs):
        raise _invalid(["input"], inputs, "input must be a non-empty list of strings.")
    return [(text, len(text.split())) for text in inputs]


def _image_inputs(inputs: Any) -> list[tuple[str, int]]:
    if not isinstance(inputs, list) or not inputs:
        raise _invalid(["input"], inputs, "input must be a non-empty list of images.")
    seeds = []
    for index, item in enumerate(inputs):
        image = item.get("image") if isinstance(item, dict) else None
        text = (item.get("text") or "") if isinstance(item, dict) else ""
        if not isinstance(image, str) or not IMAGE_DATA_URL.fullmatch(image) or not isinstance(text, str):
            raise _invalid(["input", index], item, "Each input needs an image data URL and an optional text.")
        seeds.append((f"{image}\n{text}", 1 + len(text.split())))
    return seeds


def _cut(request: web.Request) -> None:
    """Close the connection; bytes already written still reach the client."""
    if request.transport is not None:
        request.transport.close()


async def _serve_canned(request: web.Request, canned: CannedResponse) -> web.StreamResponse:
    await asyncio.sleep(canned.delay)
    if canned.drop:
        _cut(request)
        return web.Response()
    payload = canned.body if canned.body is not None else b""
    if canned.body is None and canned.json is not None:
        payload = json.dumps(canned.json).encode()
    headers = CIMultiDict(canned.headers or {})
    default_type = "text/event-stream" if canned.chunks is not None else "application/json"
    headers.setdefault("Content-Type", canned.content_type or default_type)
    response = web.StreamResponse(status=canned.status, reason=REASONS.get(canned.status), headers=headers)
    if canned.chunks is None:
        response.content_length = len(payload)
    await response.prepare(request)
    budget = canned.disconnect_after
    delays = canned.chunk_delay
    for index, chunk in enumerate(canned.chunks if canned.chunks is not None else [payload]):
        await asyncio.sleep(delays[index] if isinstance(delays, list) else delays)
        if budget is not None and len(chunk) >= budget:
            await response.write(chunk[:budget])
            _cut(request)
            return response
        await response.write(chunk)
        budget = None if budget is None else budget - len(chunk)
    await response.write_eof()
    return response


async def _stream(request: web.Request, streamed: _StreamedCompletion) -> web.StreamResponse:
    """Each event goes in its own write, so clients see the stream arrive in pieces."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
    await response.prepare(request)
    for event in streamed.events():
        await response.write(f"data: {json.dumps(event)}\n\n".encode())
        await asyncio.sleep(0)
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


def main(argv: list[str] | None = None) -> None:
    """Print the endpoint for the process that started us, then serve until killed."""
    parser = argparse.ArgumentParser(description="Azure AI Model Inference emulator on 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: any free port)")
    parser.add_argument("--key", default=None, help="require this key (api-key or Authorization: Bearer)")
    args = parser.parse_args(argv)
    with Emulator(key=args.key, port=args.port) as emulator:
        print(f"EMULATOR_ENDPOINT={emulator.endpoint}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
