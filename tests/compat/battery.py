"""Compatibility battery: named scenarios written the way a 1.0.0b9 user writes them.

Each scenario drives whichever ``azure.ai.inference`` is importable through its public API only, against the
loopback emulator (``tests/emulator.py``), and returns a JSON-serializable record: for every step, the requests
the emulator received and the outcome (the result described by ``str()``/``as_dict()``/chosen attributes, or the
exception raised). Values that legitimately vary between runs and packages (request ids, package and Python
version in the User-Agent, object addresses, the emulator's port) are normalized away.

Golden data is produced by running this file under an environment that holds the published 1.0.0b9 and NOT
this repository's package on its path::

    PYTHONPATH=tests /path/to/b9venv/bin/python tests/compat/battery.py --write tests/compat/b9_golden.json

``tests/test_compat_b9.py`` replays every scenario against this repository's package and compares.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import enum
import inspect
import io
import json
import os
import re
import sys
import tempfile
from typing import Any, Callable

try:
    from emulator import Emulator
except ImportError:  # pragma: no cover - imported as tests.compat.battery
    from tests.emulator import Emulator

KEY = "battery-key"

CHAT_RESPONSE = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "m-chat",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hello h\u00e9 \u2603"}}
    ],
    "usage": {"completion_tokens": 3, "prompt_tokens": 5, "total_tokens": 8},
}
TOOL_RESPONSE = {
    "id": "chatcmpl-2",
    "created": 1700000001,
    "model": "m-chat",
    "system_fingerprint": "fp_1",
    "choices": [
        {
            "index": 0,
            "finish_reason": "tool_calls",
            "message": {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                    }
                ],
            },
        }
    ],
    "usage": {"completion_tokens": 7, "prompt_tokens": 9, "total_tokens": 16},
}
EMBEDDINGS_RESPONSE = {
    "id": "emb-1",
    "object": "list",
    "model": "m-embed",
    "data": [
        {"index": 0, "object": "embedding", "embedding": [0.5, -0.25, 0.125]},
        {"index": 1, "embedding": [1.0, 0.0, -1.0]},
    ],
    "usage": {"prompt_tokens": 2, "total_tokens": 2},
}
BASE64_EMBEDDINGS_RESPONSE = {
    "id": "emb-2",
    "model": "m-embed",
    "data": [{"index": 0, "embedding": "AACAPwAAAD8="}],
    "usage": {"prompt_tokens": 1, "total_tokens": 1},
}
INFO = {"model_name": "m-info", "model_type": "chat_completion", "model_provider_name": "Battery"}
SSE = (
    b'data: {"id":"s1","object":"chat.completion.chunk","created":1700000000,"model":"m-chat","choices":[{"index":0,'
    b'"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n'
    b'data: {"id":"s1","created":1700000000,"model":"m-chat","choices":[{"index":0,"delta":{"content":"Hel"},'
    b'"finish_reason":null}]}\n\n'
    b'data: {"id":"s1","created":1700000000,"model":"m-chat","choices":[{"index":0,"delta":{"content":"lo \xc3\xa9"},'
    b'"finish_reason":null}]}\n\n'
    b'data: {"id":"s1","created":1700000000,"model":"m-chat","choices":[{"index":0,"delta":{},'
    b'"finish_reason":"stop"}]}\n\n'
    b'data: {"id":"s1","created":1700000000,"model":"m-chat","choices":[],'
    b'"usage":{"completion_tokens":2,"prompt_tokens":3,"total_tokens":5}}\n\n'
    b"data: [DONE]\n\n"
)
SSE_TOOL = (
    b'data: {"id":"s2","created":1700000000,"model":"m-chat","choices":[{"index":0,"delta":{"role":"assistant",'
    b'"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"f","arguments":""}}]},'
    b'"finish_reason":null}]}\n\n'
    b'data: {"id":"s2","created":1700000000,"model":"m-chat","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,'
    b'"function":{"arguments":"{\\"a\\": 1}"}}]},"finish_reason":null}]}\n\n'
    b'data: {"id":"s2","created":1700000000,"model":"m-chat","choices":[{"index":0,"delta":{},'
    b'"finish_reason":"tool_calls"}]}\n\n'
    b"data: [DONE]\n\n"
)

SCENARIOS: dict[str, Callable[..., Any]] = {}


def scenario(func: Callable[..., Any]) -> Callable[..., Any]:
    """Register a scenario under its function name."""
    SCENARIOS[func.__name__] = func
    return func


# --- normalization and description -----------------------------------------------------------------------------

_UA = re.compile(r"azsdk-python-ai-inference/\S+ Python/\S+ \(.*\)")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_SKIPPED_HEADERS = {"host"}


# Module paths inside the package are not part of the contract (DESIGN.md: the file split is ours to improve),
# but whether an object is an async one is: keep ".aio".
_DEFAULT_REPR = re.compile(
    r"<azure\.ai\.inference\.([\w.]+)\.(\w+) object at 0x[0-9a-fA-F]+>"
    r"|<azure\.ai\.inference\.(\w+) object at 0x[0-9a-fA-F]+>"
)


def _default_repr(match: re.Match[str]) -> str:
    modules, name = (match.group(1) or "").split("."), match.group(2) or match.group(3)
    return f"<azure.ai.inference{'.aio' if 'aio' in modules else ''}.*.{name} object at 0x?>"


def _normalize(text: str, endpoint: str | None = None) -> str:
    text = _DEFAULT_REPR.sub(_default_repr, text)
    text = _ADDRESS.sub(" at 0x?", text)
    if endpoint:
        text = text.replace(endpoint, "{endpoint}")
    return text


def _header_value(name: str, value: str) -> str:
    lower = name.lower()
    if lower == "user-agent":
        return _UA.sub("azsdk-python-ai-inference/{version} Python/{python} ({platform})", value)
    if lower == "x-ms-client-request-id":
        return "{uuid}" if re.fullmatch(r"[0-9a-f-]{36}", value) else f"{{not a uuid: {value}}}"
    return value


def describe_request(request: Any) -> dict[str, Any]:
    """Method, path, raw query, headers (ordered, normalized) and body text of one recorded request."""
    return {
        "method": request.method,
        "path": request.path,
        "query": request.raw_query,
        "headers": [
            f"{k}: {_header_value(k, v)}" for k, v in request.headers.items() if k.lower() not in _SKIPPED_HEADERS
        ],
        "body": request.body.decode("utf-8", "backslashreplace"),
    }


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=repr))


def describe(value: Any, endpoint: str | None = None) -> Any:
    """A JSON-serializable picture of a returned value."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, enum.Enum):
        return {"repr": repr(value), "value": value.value}
    if isinstance(value, str):
        return _normalize(value, endpoint)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return {"repr": repr(value)}
    if hasattr(value, "as_dict"):
        return {
            "type": type(value).__name__,
            "str": _normalize(str(value), endpoint),
            "repr": _normalize(repr(value), endpoint),
            "as_dict": _jsonable(value.as_dict()),
        }
    if isinstance(value, dict):
        return {str(k): describe(v, endpoint) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [describe(v, endpoint) for v in value]
    return {"type": type(value).__name__, "repr": _normalize(repr(value), endpoint)}


def describe_exception(exc: BaseException, endpoint: str | None = None) -> dict[str, Any]:
    """Type, str() and the azure-core attributes users read."""
    record: dict[str, Any] = {
        "raised": f"{type(exc).__module__}.{type(exc).__qualname__}",
        "str": _normalize(str(exc), endpoint),
    }
    for name in ("message", "status_code", "reason"):
        if hasattr(exc, name):
            record[name] = describe(getattr(exc, name), endpoint)
    if hasattr(exc, "error"):
        error = exc.error
        record["error"] = (
            None if error is None else {"code": error.code, "message": error.message, "str": _normalize(str(error))}
        )
    response = getattr(exc, "response", None)
    if response is not None:
        try:
            record["response_text"] = response.text()
        except Exception as inner:
            record["response_text"] = f"<{type(inner).__name__}>"
    return record


class Context:
    """What a scenario gets: the emulator, the credential key, and step recording."""

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator
        self.endpoint: str = emulator.endpoint
        self.steps: list[dict[str, Any]] = []
        self._seen = 0

    def credential(self) -> Any:
        from azure.core.credentials import AzureKeyCredential

        return AzureKeyCredential(KEY)

    def enqueue(self, **kwargs: Any) -> None:
        self.emulator.enqueue(**kwargs)

    def _record(self, label: str, outcome: dict[str, Any]) -> None:
        new = self.emulator.requests[self._seen :]
        self._seen = len(self.emulator.requests)
        self.steps.append({"step": label, "requests": [describe_request(r) for r in new], **outcome})

    def step(self, label: str, func: Callable[[], Any]) -> Any:
        """Run one synchronous call; record its requests and its result or exception."""
        try:
            value = func()
        except Exception as exc:
            self._record(label, {"exception": describe_exception(exc, self.endpoint)})
            return None
        self._record(label, {"result": describe(value, self.endpoint)})
        return value

    async def astep(self, label: str, func: Callable[[], Any]) -> Any:
        """Await one call; record its requests and its result or exception."""
        try:
            value = await func()
        except Exception as exc:
            self._record(label, {"exception": describe_exception(exc, self.endpoint)})
            return None
        self._record(label, {"result": describe(value, self.endpoint)})
        return value


def run_scenario(name: str, emulator: Any) -> list[dict[str, Any]]:
    """Run one scenario against a running emulator (reset first); returns its steps."""
    emulator.reset()
    emulator.key = KEY
    ctx = Context(emulator)
    func = SCENARIOS[name]
    if inspect.iscoroutinefunction(func):
        asyncio.run(func(ctx))
    else:
        func(ctx)
    return ctx.steps


def run_battery(emulator: Any, names: list[str] | None = None) -> dict[str, Any]:
    """Every scenario (or the named ones), in registration order."""
    return {name: run_scenario(name, emulator) for name in (names or list(SCENARIOS))}


def chat_probe(result: Any) -> dict[str, Any]:
    """The attributes of a ChatCompletions a user typically reads."""
    choice = result.choices[0]
    return {
        "result": result,
        "id": result.id,
        "created": result.created,
        "created_raw": result["created"],
        "model": result.model,
        "finish_reason": choice.finish_reason,
        "index": choice.index,
        "role": choice.message.role,
        "content": choice.message.content,
        "tool_calls": choice.message.tool_calls,
        "usage": result.usage,
        "usage.total_tokens": result.usage.total_tokens if result.usage is not None else None,
        "keys": list(result.keys()),
    }


def update_probe(update: Any) -> dict[str, Any]:
    """The attributes of a streaming update a user typically reads."""
    probe: dict[str, Any] = {"update": update, "id": update.id, "created": update.created, "usage": update.usage}
    if update.choices:
        choice = update.choices[0]
        probe.update(
            finish_reason=choice.finish_reason,
            delta=choice.delta,
            role=choice.delta.role,
            content=choice.delta.content,
            tool_calls=choice.delta.tool_calls,
        )
    return probe


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


# --- sync chat -----------------------------------------------------------------------------------------------------


@scenario
def chat_basic(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import SystemMessage, UserMessage

    client = ChatCompletionsClient(endpoint=ctx.endpoint, credential=ctx.credential())
    ctx.enqueue(json=CHAT_RESPONSE)
    ctx.step(
        "complete",
        lambda: chat_probe(
            client.complete(messages=[SystemMessage("You are helpful."), UserMessage("How many feet are in a mile?")])
        ),
    )
    client.close()


@scenario
def chat_all_settings(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import (
        ChatCompletionsToolChoicePreset,
        ChatCompletionsToolDefinition,
        FunctionDefinition,
        UserMessage,
    )

    tool = ChatCompletionsToolDefinition(
        function=FunctionDefinition(
            name="get_weather",
            description="Weather in a city",
            parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        )
    )
    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "complete",
            lambda: client.complete(
                messages=[UserMessage("hi")],
                top_p=0.25,
                temperature=1,
                stop=["x", "y"],
                seed=42,
                model="gpt",
                max_tokens=10,
                frequency_penalty=0.5,
                presence_penalty=-1.0,
                response_format="text",
                tools=[tool],
                tool_choice=ChatCompletionsToolChoicePreset.AUTO,
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "zero values, empty stop, preset none",
            lambda: client.complete(
                messages=[UserMessage("hi")], seed=0, temperature=0.0, max_tokens=0, stop=[], tool_choice="none"
            ),
        )


@scenario
def chat_response_formats_and_tool_choices(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import (
        ChatCompletionsNamedToolChoice,
        ChatCompletionsNamedToolChoiceFunction,
        ChatCompletionsToolDefinition,
        FunctionDefinition,
        JsonSchemaFormat,
        UserMessage,
    )

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "json_object + required",
            lambda: client.complete(
                messages=[UserMessage("hi")], response_format="json_object", tool_choice="required"
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "json_schema full + named tool choice",
            lambda: client.complete(
                messages=[UserMessage("hi")],
                response_format=JsonSchemaFormat(
                    name="answer",
                    schema={"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "integer"}}},
                    description="The answer",
                    strict=True,
                ),
                tool_choice=ChatCompletionsNamedToolChoice(function=ChatCompletionsNamedToolChoiceFunction(name="f")),
                tools=[ChatCompletionsToolDefinition(function=FunctionDefinition(name="f"))],
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "json_schema minimal",
            lambda: client.complete(
                messages=[UserMessage("hi")], response_format=JsonSchemaFormat(name="n", schema={})
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "explicit type keywords in their own order",
            lambda: client.complete(
                messages=[UserMessage("hi")],
                tools=[
                    ChatCompletionsToolDefinition(
                        type="function",
                        function=FunctionDefinition(name="f", parameters={"z": 1}, description="d"),
                    )
                ],
                tool_choice=ChatCompletionsNamedToolChoice(
                    type="function", function=ChatCompletionsNamedToolChoiceFunction(name="f")
                ),
            ),
        )
        ctx.step(
            "response_format unknown string",
            lambda: client.complete(messages=[UserMessage("hi")], response_format="xml"),
        )


@scenario
def chat_model_extras(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "extras add keys and override a standard key",
            lambda: client.complete(
                messages=[UserMessage("hi")],
                temperature=0.1,
                model_extras={"zeta": 1, "alpha": [1, "\u00e9"], "temperature": 0.9, "nested": {"k": None}},
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "extras with a None value", lambda: client.complete(messages=[UserMessage("hi")], model_extras={"a": None})
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "extras with a per-call extra-parameters header",
            lambda: client.complete(
                messages=[UserMessage("hi")], model_extras={"q": 1}, headers={"extra-parameters": "drop"}
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "per-call extra-parameters header without extras",
            lambda: client.complete(messages=[UserMessage("hi")], headers={"extra-parameters": "drop"}),
        )


@scenario
def chat_non_ascii_and_numbers(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "complete",
            lambda: client.complete(
                messages=[UserMessage('h\u00e9llo \u2603 \U0001f600 "quoted" \\ \n tab\t')],
                temperature=0.1 + 0.2,
                top_p=1e-7,
                frequency_penalty=2.0,
                max_tokens=4096,
                seed=-1,
            ),
        )


@scenario
def chat_content_items(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import (
        AudioContentFormat,
        AudioContentItem,
        ImageContentItem,
        ImageDetailLevel,
        ImageUrl,
        InputAudio,
        TextContentItem,
        UserMessage,
    )

    with tempfile.TemporaryDirectory() as folder:
        image_path = os.path.join(folder, "pic.png")
        audio_path = os.path.join(folder, "clip.mp3")
        with open(image_path, "wb") as f:
            f.write(b"\x89PNG fake image bytes")
        with open(audio_path, "wb") as f:
            f.write(b"ID3 fake audio bytes")
        loaded_url = ImageUrl.load(image_file=image_path, image_format="png", detail=ImageDetailLevel.LOW)
        loaded_audio = InputAudio.load(audio_file=audio_path, audio_format=AudioContentFormat.MP3)
    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "complete",
            lambda: client.complete(
                messages=[
                    UserMessage(
                        content=[
                            TextContentItem(text="Describe"),
                            ImageContentItem(
                                image_url=ImageUrl(url="https://example.test/a.png", detail=ImageDetailLevel.HIGH)
                            ),
                            ImageContentItem(image_url=ImageUrl(url="https://example.test/b.png")),
                            ImageContentItem(image_url=loaded_url),
                            AudioContentItem(input_audio=InputAudio(data="QUJD", format=AudioContentFormat.WAV)),
                            AudioContentItem(input_audio=loaded_audio),
                        ]
                    )
                ]
            ),
        )


@scenario
def chat_message_kinds(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import (
        AssistantMessage,
        ChatCompletionsToolCall,
        DeveloperMessage,
        FunctionCall,
        SystemMessage,
        TextContentItem,
        ToolMessage,
        UserMessage,
    )

    call = ChatCompletionsToolCall(
        id="call_1", function=FunctionCall(name="get_weather", arguments='{"city": "Paris"}')
    )
    messages = [
        DeveloperMessage("dev rules"),
        SystemMessage(content="sys"),
        UserMessage(content="u"),
        AssistantMessage(tool_calls=[call]),
        ToolMessage("sunny", tool_call_id="call_1"),
        ToolMessage(content="rain", tool_call_id="call_2"),
        ToolMessage(tool_call_id="call_3"),
        AssistantMessage("with calls", tool_calls=[call]),
        AssistantMessage("plain"),
        {"role": "user", "content": [TextContentItem(text="mixed dict")]},
        {"role": "user", "content": "dict", "z": 1, "a": None},
    ]
    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("complete", lambda: client.complete(messages=messages))
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("tuple of messages", lambda: client.complete(messages=(UserMessage("t"),)))
    ctx.step(
        "message objects",
        lambda: {
            "system": SystemMessage("s"),
            "system.role": SystemMessage("s").role,
            "user": UserMessage("u"),
            "tool": ToolMessage("r", tool_call_id="1"),
            "assistant_empty": AssistantMessage(),
            "str(user)": str(UserMessage("x")),
        },
    )
    ctx.step("SystemMessage positional and keyword", lambda: SystemMessage("a", content="b"))
    ctx.step("UserMessage positional and keyword", lambda: UserMessage("a", content="b"))
    ctx.step("AssistantMessage positional and keyword", lambda: AssistantMessage("a", content="b"))
    ctx.step("ToolMessage positional and keyword", lambda: ToolMessage("a", content="b", tool_call_id="x"))
    ctx.step("DeveloperMessage positional and keyword", lambda: DeveloperMessage("a", content="b"))


@scenario
def chat_body_argument(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    client = ChatCompletionsClient(ctx.endpoint, ctx.credential(), temperature=0.7, model_extras={"ctor": 1})
    ctx.enqueue(json=CHAT_RESPONSE)
    ctx.step(
        "body dict (other keywords ignored)",
        lambda: client.complete(
            body={"messages": [{"role": "user", "content": "hi"}], "z": None, "temperature": 1.0},
            messages=[UserMessage("ignored")],
            top_p=0.5,
        ),
    )
    ctx.enqueue(json=CHAT_RESPONSE)
    ctx.step("body bytes", lambda: client.complete(body=b'{"messages":[{"role":"user","content":"raw"}]}'))
    ctx.enqueue(json=CHAT_RESPONSE)
    ctx.step(
        "body binary file", lambda: client.complete(body=io.BytesIO(b'{"messages":[{"role":"user","content":"file"}]}'))
    )
    ctx.enqueue(body=SSE, content_type="text/event-stream")
    ctx.step(
        "body dict with stream true",
        lambda: [
            update_probe(u)
            for u in client.complete(body={"messages": [{"role": "user", "content": "hi"}], "stream": True})
        ],
    )
    client.close()


@scenario
def chat_streaming(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(body=SSE, content_type="text/event-stream")
        response = ctx.step("complete(stream=True)", lambda: client.complete(messages=[UserMessage("hi")], stream=True))
        ctx.step("type", lambda: type(response).__name__)
        ctx.step("updates", lambda: [update_probe(u) for u in response])
        ctx.enqueue(chunks=[SSE[i : i + 7] for i in range(0, len(SSE), 7)])
        ctx.step(
            "chunked stream with context manager",
            lambda: _consume_with(client.complete(messages=[UserMessage("hi")], stream=True, temperature=0.5)),
        )
        ctx.enqueue(body=SSE_TOOL, content_type="text/event-stream")
        ctx.step(
            "tool call deltas",
            lambda: [update_probe(u) for u in client.complete(messages=[UserMessage("hi")], stream=True)],
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("stream=False is sent", lambda: client.complete(messages=[UserMessage("hi")], stream=False))


def _consume_with(stream: Any) -> list[Any]:
    with stream:
        return [update_probe(u) for u in stream]


@scenario
def chat_query_and_headers(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("params", lambda: client.complete(messages=[UserMessage("hi")], params={"p": "1", "q": "two words"}))
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "params with api-version",
            lambda: client.complete(messages=[UserMessage("hi")], params={"api-version": "x", "p": "1"}),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "per-call headers",
            lambda: client.complete(
                messages=[UserMessage("hi")], headers={"azureml-model-deployment": "dep", "X-Foo": "b"}
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("per-call user_agent", lambda: client.complete(messages=[UserMessage("hi")], user_agent="myapp/1.0"))


@scenario
def chat_per_call_api_key_header(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "per-call api-key header",
            lambda: client.complete(messages=[UserMessage("hi")], headers={"api-key": "other"}),
        )
    with ChatCompletionsClient(
        ctx.endpoint, ctx.credential(), headers={"api-key": "other", "Authorization": "x"}
    ) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("constructor api-key header", lambda: client.complete(messages=[UserMessage("hi")]))


@scenario
def chat_constructor_defaults(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import ChatCompletionsToolDefinition, FunctionDefinition, UserMessage

    client = ChatCompletionsClient(
        endpoint=ctx.endpoint + "/",
        credential=ctx.credential(),
        frequency_penalty=0.1,
        presence_penalty=0.2,
        temperature=0.3,
        top_p=0.4,
        max_tokens=5,
        response_format="json_object",
        stop=["s"],
        tools=[ChatCompletionsToolDefinition(function=FunctionDefinition(name="g"))],
        tool_choice="none",
        seed=7,
        model="cm",
        model_extras={"ce": 1},
        api_version="2025-01-01",
        user_agent="UA1",
        headers={"h1": "v1"},
    )
    with client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("defaults", lambda: client.complete(messages=[UserMessage("hi")]))
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "per-call overrides",
            lambda: client.complete(
                messages=[UserMessage("hi")],
                temperature=0.9,
                model="other",
                response_format="text",
                model_extras={"pe": 2},
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "empty per-call extras keep the constructor's",
            lambda: client.complete(messages=[UserMessage("hi")], model_extras={}),
        )
        ctx.enqueue(json=INFO)
        ctx.step("get_model_info", lambda: client.get_model_info())


@scenario
def chat_path_prefix(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    with ChatCompletionsClient(ctx.endpoint + "/openai/deployments/dep", ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("complete", lambda: client.complete(messages=[UserMessage("hi")]))
        ctx.enqueue(json=INFO)
        ctx.step("get_model_info", lambda: client.get_model_info())


@scenario
def chat_result_shapes(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import CompletionsFinishReason, UserMessage

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=TOOL_RESPONSE)
        result = ctx.step("tool call response", lambda: client.complete(messages=[UserMessage("weather?")]))
        if result is not None:
            ctx.step(
                "tool call probes",
                lambda: {
                    **chat_probe(result),
                    "tool_call": result.choices[0].message.tool_calls[0],
                    "arguments": result.choices[0].message.tool_calls[0].function.arguments,
                    "is TOOL_CALLS": result.choices[0].finish_reason == CompletionsFinishReason.TOOL_CALLS,
                    "unknown field []": result["system_fingerprint"],
                    "unknown field get": result.get("system_fingerprint"),
                    "equals json": result == TOOL_RESPONSE,
                },
            )
            ctx.step("missing attribute", lambda: result.no_such_attribute)
        ctx.enqueue(
            json={
                "id": "x",
                "created": 1700000002,
                "model": "m",
                "choices": [{"index": 0, "finish_reason": "weird", "message": {"role": "assistant"}}],
            }
        )
        ctx.step("unknown finish reason, no usage", lambda: chat_probe(client.complete(messages=[UserMessage("hi")])))
        ctx.enqueue(json={})
        result = ctx.step("empty object", lambda: client.complete(messages=[UserMessage("hi")]))
        if result is not None:
            ctx.step(
                "empty object probes", lambda: {"id": result.id, "created": result.created, "choices": result.choices}
            )


# --- embeddings -------------------------------------------------------------------------------------------------


@scenario
def embeddings(ctx: Context) -> None:
    from azure.ai.inference import EmbeddingsClient
    from azure.ai.inference.models import EmbeddingEncodingFormat, EmbeddingInputType

    with EmbeddingsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        result = ctx.step("basic", lambda: client.embed(input=["first phrase", "second \u00e9"]))
        if result is not None:
            ctx.step(
                "probes",
                lambda: {
                    "id": result.id,
                    "model": result.model,
                    "data0": result.data[0],
                    "embedding": result.data[0].embedding,
                    "index": result.data[1].index,
                    "usage": result.usage,
                    "prompt_tokens": result.usage.prompt_tokens,
                },
            )
        ctx.enqueue(json=BASE64_EMBEDDINGS_RESPONSE)
        ctx.step(
            "all options",
            lambda: client.embed(
                input=["a"],
                model_extras={"x": 1},
                model="em",
                input_type="query",
                encoding_format=EmbeddingEncodingFormat.BASE64,
                dimensions=3,
            ),
        )
        ctx.step("no input", lambda: client.embed())
    with EmbeddingsClient(
        ctx.endpoint,
        ctx.credential(),
        dimensions=4,
        encoding_format="float",
        input_type=EmbeddingInputType.DOCUMENT,
        model="dm",
        model_extras={"y": 2},
    ) as client:
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        ctx.step("constructor defaults", lambda: client.embed(input=["a"]))
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        ctx.step(
            "per-call overrides",
            lambda: client.embed(input=["a"], dimensions=2, input_type="text", model_extras={"z": 3}),
        )
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        ctx.step("body dict", lambda: client.embed(body={"input": ["q"], "n": None}))


@scenario
def image_embeddings(ctx: Context) -> None:
    from azure.ai.inference import ImageEmbeddingsClient
    from azure.ai.inference.models import EmbeddingInputType, ImageEmbeddingInput

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "pic.jpg")
        with open(path, "wb") as f:
            f.write(b"\xff\xd8 fake jpeg")
        loaded = ImageEmbeddingInput.load(image_file=path, image_format="jpeg", text="caption")
    with ImageEmbeddingsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        ctx.step(
            "all options",
            lambda: client.embed(
                input=[ImageEmbeddingInput(image="data:image/png;base64,AAAA", text="t"), loaded],
                dimensions=2,
                encoding_format="int8",
                input_type=EmbeddingInputType.TEXT,
                model="im",
                model_extras={"x": 1},
            ),
        )
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        ctx.step("dict input", lambda: client.embed(input=[{"image": "data:image/png;base64,AAAA"}]))
        ctx.step("no input", lambda: client.embed())
        ctx.enqueue(json={**INFO, "model_type": "image_embeddings"})
        ctx.step("get_model_info", lambda: client.get_model_info())


# --- model info and load_client -------------------------------------------------------------------------------------


@scenario
def model_info_caching(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient, EmbeddingsClient

    client = ChatCompletionsClient(ctx.endpoint, ctx.credential())
    ctx.step("str(client) before", lambda: str(client))
    ctx.enqueue(status=404, json=error_body("NotFound", "Resource not found."))
    ctx.step("get_model_info 404", lambda: client.get_model_info())
    ctx.enqueue(json=INFO)
    info = ctx.step("get_model_info", lambda: client.get_model_info())
    if info is not None:
        ctx.step(
            "probes",
            lambda: {
                "model_name": info.model_name,
                "model_type": info.model_type,
                "provider": info.model_provider_name,
            },
        )
    ctx.step("get_model_info again (cached)", lambda: client.get_model_info())
    ctx.step("str(client) after", lambda: str(client))
    ctx.step("repr(client)", lambda: repr(client))
    client.close()
    with EmbeddingsClient(ctx.endpoint, ctx.credential()) as embeddings_client:
        ctx.enqueue(json={"model_name": "e", "model_type": "embeddings", "model_provider_name": "p"})
        ctx.step("get_model_info with headers", lambda: embeddings_client.get_model_info(headers={"x-h": "1"}))
        ctx.step("str(embeddings client)", lambda: str(embeddings_client))
    with ChatCompletionsClient(ctx.endpoint, ctx.credential(), retry_total=0) as other:
        ctx.enqueue(status=500, json=error_body("InternalError", "boom"))
        ctx.step("get_model_info 500", lambda: other.get_model_info())


LOAD_CLIENT_TYPES = [
    "chat_completion", "chat", "completion", "chat-completion", "chat-completions", "chat_completions",
    "embeddings", "embedding", "text_embedding", "text-embeddings",
    "image_embeddings", "image-embeddings", "image-embedding", "image_embedding",
    "CHAT_COMPLETION", "completions", "text_embeddings", "text-embedding", "EMBEDDINGS",
    "text_generation", "image_generation", "audio_generation", "bogus",
]  # fmt: skip


@scenario
def load_client_model_types(ctx: Context) -> None:
    from azure.ai.inference import load_client

    for model_type in LOAD_CLIENT_TYPES:
        ctx.enqueue(json={"model_name": "x", "model_type": model_type, "model_provider_name": "p"})

        def load(model_type: str = model_type) -> Any:
            client = load_client(ctx.endpoint, ctx.credential())
            info = client.get_model_info()  # cached: no second request
            summary = {"client": type(client).__name__, "model_type": info.model_type, "str": str(client)}
            client.close()
            return summary

        ctx.step(model_type, load)


@scenario
def load_client_errors_and_kwargs(ctx: Context) -> None:
    from azure.ai.inference import load_client
    from azure.ai.inference.models import UserMessage

    ctx.enqueue(status=404, json=error_body("NotFound", "Resource not found."))
    ctx.step("404", lambda: load_client(ctx.endpoint, ctx.credential()))
    ctx.enqueue(json={"model_name": "x", "model_provider_name": "p"})
    ctx.step("missing model_type", lambda: load_client(ctx.endpoint, ctx.credential()))
    ctx.enqueue(json={"model_name": "x", "model_type": "chat", "model_provider_name": "p"})
    client = ctx.step(
        "kwargs are passed on",
        lambda: load_client(
            ctx.endpoint + "/x",
            ctx.credential(),
            api_version="2025-05-01",
            temperature=0.5,
            headers={"hh": "1"},
            user_agent="ua",
        ),
    )
    if client is not None:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("complete on loaded client", lambda: client.complete(messages=[UserMessage("hi")]))
        ctx.step("str(loaded client)", lambda: str(client))
        client.close()


# --- errors -----------------------------------------------------------------------------------------------------


DETAILED_ERROR = {
    "error": {"code": "c", "message": "m", "details": [{"code": "d", "message": "dm"}], "innererror": {"code": "ic"}}
}
CONTENT_FILTER_ERROR = {"code": "content_filter", "message": "The response was filtered", "status": 400}
UNSUPPORTED_PARAMETER_ERROR = {
    "code": "parameter_not_supported",
    "message": "Parameter not supported",
    "detail": {"loc": ["body", "response_format"], "input": "json_object"},
    "status": 422,
}
HTML = b"<html><body>Internal Server Error</body></html>"

ERROR_CASES: list[tuple[str, dict[str, Any]]] = [
    ("400 error object", {"status": 400, "json": error_body("bad_req", "Bad thing happened")}),
    ("400 error object with details", {"status": 400, "json": DETAILED_ERROR}),
    ("400 error message only", {"status": 400, "json": {"error": {"message": "only msg"}}}),
    ("400 top-level content_filter", {"status": 400, "json": CONTENT_FILTER_ERROR}),
    ("400 no code", {"status": 400, "json": {"detail": "x"}}),
    ("400 text/plain", {"status": 400, "body": b"plain text error", "content_type": "text/plain"}),
    ("401 error object", {"status": 401, "json": error_body("401", "Access denied due to invalid subscription key.")}),
    ("401 empty", {"status": 401, "body": b""}),
    ("404", {"status": 404, "json": error_body("NotFound", "Resource not found")}),
    ("409", {"status": 409, "json": error_body("Conflict", "exists")}),
    ("422 top-level with detail", {"status": 422, "json": UNSUPPORTED_PARAMETER_ERROR}),
    ("429", {"status": 429, "json": error_body("429", "Rate limit"), "headers": {"Retry-After": "0"}}),
    ("500 html", {"status": 500, "body": HTML, "content_type": "text/html"}),
    ("503 empty", {"status": 503, "body": b""}),
    ("201", {"status": 201, "json": {"id": "x"}}),
    ("304", {"status": 304, "body": b""}),
    ("200 invalid json", {"status": 200, "body": b"{not json"}),
]


@scenario
def errors_chat(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    with ChatCompletionsClient(ctx.endpoint, ctx.credential(), retry_total=0) as client:
        for label, canned in ERROR_CASES:
            ctx.enqueue(**canned)
            ctx.step(label, lambda: client.complete(messages=[UserMessage("hi")]))


@scenario
def errors_embeddings(ctx: Context) -> None:
    from azure.ai.inference import EmbeddingsClient, ImageEmbeddingsClient

    with EmbeddingsClient(ctx.endpoint, ctx.credential(), retry_total=0) as client:
        ctx.enqueue(status=400, json=error_body("bad_req", "Bad input"))
        ctx.step("embed 400", lambda: client.embed(input=["a"]))
        ctx.enqueue(
            status=422, json={"code": "invalid_input", "message": "Bad dims", "detail": {"loc": ["body", "dimensions"]}}
        )
        ctx.step("embed 422", lambda: client.embed(input=["a"], dimensions=0))
    with ImageEmbeddingsClient(ctx.endpoint, ctx.credential(), retry_total=0) as image_client:
        ctx.enqueue(status=401, json=error_body("401", "Access denied"))
        ctx.step("image embed 401", lambda: image_client.embed(input=[{"image": "data:image/png;base64,AAAA"}]))


@scenario
def errors_streaming(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    with ChatCompletionsClient(ctx.endpoint, ctx.credential(), retry_total=0) as client:
        ctx.enqueue(status=400, json=error_body("bad_req", "Bad stream"))
        ctx.step("stream 400", lambda: client.complete(messages=[UserMessage("hi")], stream=True))
        ctx.enqueue(
            status=422, json={"code": "parameter_not_supported", "message": "stream not supported", "status": 422}
        )
        ctx.step("stream 422", lambda: client.complete(messages=[UserMessage("hi")], stream=True))


@scenario
def errors_arguments(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient

    class StaticToken:
        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            from azure.core.credentials import AccessToken

            return AccessToken("token", 4102444800)

        def get_token_info(self, *scopes: str, options: Any = None) -> Any:
            from azure.core.credentials import AccessTokenInfo

            return AccessTokenInfo("token", 4102444800)

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.step("complete without messages", lambda: client.complete())
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step("complete with an empty message list", lambda: client.complete(messages=[]))
    with ChatCompletionsClient(ctx.endpoint, StaticToken()) as token_client:
        ctx.step(
            "token credential over http", lambda: token_client.complete(messages=[{"role": "user", "content": "hi"}])
        )


# --- async ------------------------------------------------------------------------------------------------------


@scenario
async def async_chat(ctx: Context) -> None:
    from azure.ai.inference.aio import ChatCompletionsClient
    from azure.ai.inference.models import ChatCompletionsToolDefinition, FunctionDefinition, SystemMessage, UserMessage

    async with ChatCompletionsClient(ctx.endpoint, ctx.credential(), temperature=0.3, model_extras={"ce": 1}) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        result = await ctx.astep(
            "complete", lambda: client.complete(messages=[SystemMessage("s"), UserMessage("h\u00e9")], seed=1)
        )
        if result is not None:
            ctx.step("probes", lambda: chat_probe(result))
        ctx.enqueue(json=TOOL_RESPONSE)
        await ctx.astep(
            "all settings",
            lambda: client.complete(
                messages=[UserMessage("hi")],
                frequency_penalty=0.5,
                presence_penalty=0.5,
                temperature=0.0,
                top_p=1,
                max_tokens=3,
                response_format="json_object",
                stop=["\n"],
                tools=[ChatCompletionsToolDefinition(function=FunctionDefinition(name="f", parameters={}))],
                tool_choice="auto",
                seed=3,
                model="m",
                model_extras={"pe": True},
                params={"p": "1"},
                headers={"azureml-model-deployment": "d"},
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        await ctx.astep("body dict", lambda: client.complete(body={"messages": [{"role": "user", "content": "b"}]}))
        await ctx.astep("complete without messages", lambda: client.complete())


@scenario
async def async_streaming(ctx: Context) -> None:
    from azure.ai.inference.aio import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    async def consume(stream: Any) -> list[Any]:
        return [update_probe(u) async for u in stream]

    async with ChatCompletionsClient(ctx.endpoint, ctx.credential(), retry_total=0) as client:
        ctx.enqueue(body=SSE, content_type="text/event-stream")
        response = await ctx.astep(
            "complete(stream=True)", lambda: client.complete(messages=[UserMessage("hi")], stream=True)
        )
        ctx.step("type", lambda: type(response).__name__)
        await ctx.astep("updates", lambda: consume(response))
        ctx.enqueue(chunks=[SSE_TOOL[i : i + 5] for i in range(0, len(SSE_TOOL), 5)])

        async def with_context() -> list[Any]:
            stream = await client.complete(messages=[UserMessage("hi")], stream=True)
            async with stream:
                return await consume(stream)

        await ctx.astep("chunked tool stream with async context manager", with_context)
        ctx.enqueue(status=400, json=error_body("bad_req", "Bad stream"))
        await ctx.astep("stream 400", lambda: client.complete(messages=[UserMessage("hi")], stream=True))


@scenario
async def async_embeddings(ctx: Context) -> None:
    from azure.ai.inference.aio import EmbeddingsClient, ImageEmbeddingsClient
    from azure.ai.inference.models import ImageEmbeddingInput

    async with EmbeddingsClient(ctx.endpoint, ctx.credential(), dimensions=3, retry_total=0) as client:
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        await ctx.astep("embed", lambda: client.embed(input=["a", "b"], input_type="document", model_extras={"x": 1}))
        ctx.enqueue(status=400, json=error_body("bad_req", "Bad input"))
        await ctx.astep("embed 400", lambda: client.embed(input=["a"]))
        await ctx.astep("no input", lambda: client.embed())
    async with ImageEmbeddingsClient(ctx.endpoint, ctx.credential()) as image_client:
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        await ctx.astep(
            "image embed",
            lambda: image_client.embed(
                input=[ImageEmbeddingInput(image="data:image/png;base64,AAAA")], encoding_format="float"
            ),
        )


@scenario
async def async_model_info_and_load_client(ctx: Context) -> None:
    from azure.ai.inference.aio import ChatCompletionsClient, load_client

    client = ChatCompletionsClient(ctx.endpoint, ctx.credential())
    ctx.enqueue(status=404, json=error_body("NotFound", "Resource not found."))
    await ctx.astep("get_model_info 404", lambda: client.get_model_info())
    ctx.enqueue(json=INFO)
    await ctx.astep("get_model_info", lambda: client.get_model_info())
    await ctx.astep("get_model_info cached", lambda: client.get_model_info())
    ctx.step("str(client)", lambda: str(client))
    await client.close()

    for model_type in ("chat", "embeddings", "image-embedding", "bogus"):
        ctx.enqueue(json={"model_name": "x", "model_type": model_type, "model_provider_name": "p"})

        async def load() -> Any:
            loaded = await load_client(ctx.endpoint, ctx.credential())
            try:
                return {"client": type(loaded).__name__, "info": await loaded.get_model_info(), "str": str(loaded)}
            finally:
                await loaded.close()

        await ctx.astep(f"load_client {model_type}", load)
    ctx.enqueue(status=404, json=error_body("NotFound", "Resource not found."))
    await ctx.astep("load_client 404", lambda: load_client(ctx.endpoint, ctx.credential()))
    ctx.enqueue(json={"model_name": "x", "model_provider_name": "p"})
    await ctx.astep("load_client missing model_type", lambda: load_client(ctx.endpoint, ctx.credential()))


@scenario
async def async_errors(ctx: Context) -> None:
    from azure.ai.inference.aio import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    async with ChatCompletionsClient(ctx.endpoint, ctx.credential(), retry_total=0) as client:
        for label, canned in ERROR_CASES:
            ctx.enqueue(**canned)
            await ctx.astep(label, lambda: client.complete(messages=[UserMessage("hi")]))


# --- the rest of the 1.0.0b9 contract: subscripts, caller-built models, construction, keywords, prompty (issue 12) ---


def _read(obj: Any, key: str, attr: str | None = None) -> dict[str, Any]:
    """What ``obj[key]`` gives next to ``getattr(obj, attr)``: types, equality, identity, and a second read."""
    value, attribute = obj[key], getattr(obj, attr or key)
    return {
        "type": type(value).__name__,
        "attribute type": type(attribute).__name__,
        "equal": value == attribute,
        "is attribute": value is attribute,
        "same object on a second read": value is obj[key],
    }


def _mapping_reads(model: Any, field: str) -> dict[str, Any]:
    """get(), items(), values(), iteration, ``in`` and len() of a model, against the attribute ``field``."""
    attribute = getattr(model, field)
    items = dict(model.items())
    return {
        "get type": type(model.get(field)).__name__,
        "get is attribute": model.get(field) is attribute,
        "get missing": model.get("no_such_key"),
        "get missing with default": model.get("no_such_key", "default"),
        "items": {k: type(v).__name__ for k, v in items.items()},
        "items value is attribute": items[field] is attribute,
        "values": [type(v).__name__ for v in model.values()],
        "values hold attribute": any(v is attribute for v in model.values()),
        "keys": list(model.keys()),
        "iteration": list(model),
        "in": [field in model, "no_such_key" in model],
        "len": len(model),
    }


def _tool_call_reply(ctx: Context) -> Any:
    """A ChatCompletions with a tool call, from a recorded step."""
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=TOOL_RESPONSE)
        return ctx.step("complete", lambda: client.complete(messages=[UserMessage("weather?")]))


@scenario
def subscripts_chat(ctx: Context) -> None:
    result = _tool_call_reply(ctx)
    if result is None:
        return
    ctx.step('response["choices"]', lambda: _read(result, "choices"))
    ctx.step(
        'response["choices"][0]',
        lambda: {
            "type": type(result["choices"][0]).__name__,
            "is attribute": result["choices"][0] is result.choices[0],
            "same object on a second read": result["choices"][0] is result["choices"][0],
        },
    )
    ctx.step('response["usage"]', lambda: _read(result, "usage"))
    ctx.step("response mapping reads", lambda: _mapping_reads(result, "usage"))
    ctx.step('response.get("usage", {})', lambda: type(result.get("usage", {})).__name__)
    ctx.step('response["created"]', lambda: {"value": result["created"], "type": type(result["created"]).__name__})
    ctx.step('choice["message"]', lambda: _read(result.choices[0], "message"))
    ctx.step('choice["finish_reason"]', lambda: _read(result.choices[0], "finish_reason"))
    ctx.step("choice mapping reads", lambda: _mapping_reads(result.choices[0], "message"))
    ctx.step('message["tool_calls"]', lambda: _read(result.choices[0].message, "tool_calls"))
    ctx.step(
        'message["tool_calls"][0]',
        lambda: {
            "type": type(result.choices[0].message["tool_calls"][0]).__name__,
            "is attribute": result.choices[0].message["tool_calls"][0] is result.choices[0].message.tool_calls[0],
        },
    )
    ctx.step('tool_call["function"]', lambda: _read(result.choices[0].message.tool_calls[0], "function"))
    ctx.step(
        'tool_call["function"]["arguments"]',
        lambda: result["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"],
    )
    ctx.step('usage["total_tokens"]', lambda: _read(result.usage, "total_tokens"))


@scenario
def subscripts_writes(ctx: Context) -> None:
    result = _tool_call_reply(ctx)
    if result is None:
        return

    def write_key() -> Any:
        result["model"] = "written by key"
        result["choices"][0]["message"]["content"] = "content by key"
        return {"model": result.model, "content": result.choices[0].message.content}

    def write_attribute() -> Any:
        result.id = "written by attribute"
        result.choices[0].message.content = "content by attribute"
        result.usage.total_tokens = 99
        return {
            "id": result["id"],
            "content": result["choices"][0]["message"]["content"],
            "total_tokens": result["usage"]["total_tokens"],
        }

    def write_nested_by_key_then_read() -> Any:
        choice = result.choices[0]
        choice["finish_reason"] = "length"
        result["choices"][0]["message"]["tool_calls"][0]["function"]["name"] = "renamed"
        return {
            "finish_reason": choice.finish_reason,
            "finish_reason type": type(choice.finish_reason).__name__,
            "name": result.choices[0].message.tool_calls[0].function.name,
        }

    def replace_a_model_field() -> Any:
        usage = result.usage
        result["usage"] = {"completion_tokens": 1, "prompt_tokens": 1, "total_tokens": 2}
        return {"old usage kept": usage.total_tokens, "usage": result.usage, "type": type(result.usage).__name__}

    ctx.step("write by key, read by attribute", write_key)
    ctx.step("write by attribute, read by key", write_attribute)
    ctx.step("write nested by key", write_nested_by_key_then_read)
    ctx.step("replace a model field by key", replace_a_model_field)
    ctx.step("as_dict after writes", lambda: result.as_dict())


@scenario
def subscripts_streaming(ctx: Context) -> None:
    from azure.ai.inference import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    def probe(update: Any) -> dict[str, Any]:
        record: dict[str, Any] = {
            "choices": _read(update, "choices"),
            "usage": type(update.get("usage")).__name__,
            "usage is attribute": update.get("usage") is update.usage,
            "in": ["choices" in update, "usage" in update],
        }
        if update.choices:
            choice = update["choices"][0]
            record.update(
                {
                    "choice is attribute": choice is update.choices[0],
                    "delta": _read(choice, "delta"),
                    "finish_reason": _read(choice, "finish_reason"),
                    "content": choice["delta"].get("content"),
                    "tool_calls": type(choice["delta"].get("tool_calls")).__name__,
                }
            )
            tool_calls = choice["delta"].get("tool_calls")
            if tool_calls:
                record["tool_call"] = {
                    "type": type(tool_calls[0]).__name__,
                    "is attribute": tool_calls[0] is choice.delta.tool_calls[0],
                    "function": _read(tool_calls[0], "function"),
                    "id": tool_calls[0].get("id"),
                }
        return record

    with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        for label, sse in (("content stream", SSE), ("tool call stream", SSE_TOOL)):
            ctx.enqueue(body=sse, content_type="text/event-stream")
            ctx.step(label, lambda: [probe(u) for u in client.complete(messages=[UserMessage("hi")], stream=True)])


@scenario
def subscripts_embeddings_and_info(ctx: Context) -> None:
    from azure.ai.inference import EmbeddingsClient

    with EmbeddingsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        result = ctx.step("embed", lambda: client.embed(input=["a", "b"]))
        if result is not None:
            ctx.step('result["data"]', lambda: _read(result, "data"))
            ctx.step(
                'result["data"][0]',
                lambda: {
                    "type": type(result["data"][0]).__name__,
                    "is attribute": result["data"][0] is result.data[0],
                    "embedding": {
                        "type": type(result["data"][0]["embedding"]).__name__,
                        "equal": result["data"][0]["embedding"] == result.data[0].embedding,
                    },
                },
            )
            ctx.step("result mapping reads", lambda: _mapping_reads(result, "usage"))
        ctx.enqueue(json=INFO)
        info = ctx.step("get_model_info", lambda: client.get_model_info())
        if info is not None:
            ctx.step(
                "info reads",
                lambda: {
                    "get model_type": info.get("model_type"),
                    "get missing": info.get("x", "d"),
                    "model_name": _read(info, "model_name"),
                    "model_type": _read(info, "model_type"),
                    "dict": dict(info),
                },
            )


@scenario
async def async_subscripts(ctx: Context) -> None:
    from azure.ai.inference.aio import ChatCompletionsClient
    from azure.ai.inference.models import UserMessage

    async with ChatCompletionsClient(ctx.endpoint, ctx.credential()) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        result = await ctx.astep("complete", lambda: client.complete(messages=[UserMessage("hi")]))
        if result is not None:
            ctx.step(
                "reads",
                lambda: {
                    "choice is attribute": result["choices"][0] is result.choices[0],
                    "message": _read(result.choices[0], "message"),
                    "usage": type(result.get("usage", {})).__name__,
                },
            )
        ctx.enqueue(body=SSE, content_type="text/event-stream")

        async def stream() -> Any:
            updates = await client.complete(messages=[UserMessage("hi")], stream=True)
            return [
                {"delta": _read(u["choices"][0], "delta"), "content": u["choices"][0]["delta"].get("content")}
                if u.choices
                else {"usage": type(u.get("usage")).__name__, "usage is attribute": u.get("usage") is u.usage}
                async for u in updates
            ]

        await ctx.astep("stream", stream)


class _Double:
    """A stand-in a framework test builds (as a Mock would be): not a model, not a dict."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        return f"_Double({sorted(self.__dict__.items())})"


@scenario
def models_built_by_the_caller(ctx: Context) -> None:
    from unittest import mock

    from azure.ai.inference import models

    double = _Double(index=0, delta=_Double(content="from a double", role="assistant"), finish_reason=None)
    as_dict = {"index": 0, "delta": {"content": "from a dict"}, "finish_reason": "stop"}
    model = models.StreamingChatChoiceUpdate(
        index=0, finish_reason="stop", delta=models.StreamingChatResponseMessageUpdate(content="from a model")
    )
    magic = mock.MagicMock()

    def built(value: Any) -> Any:
        update = models.StreamingChatCompletionsUpdate(id="u", choices=[value])
        first = update.choices[0]
        return {
            "choices[0] is x": first is value,
            "['choices'][0] is x": update["choices"][0] is value,
            "type": type(first).__name__,
        }

    ctx.step("StreamingChatCompletionsUpdate(choices=[double])", lambda: built(double))
    ctx.step("StreamingChatCompletionsUpdate(choices=[dict])", lambda: built(as_dict))
    ctx.step("StreamingChatCompletionsUpdate(choices=[model])", lambda: built(model))
    ctx.step("StreamingChatCompletionsUpdate(choices=[MagicMock])", lambda: built(magic))
    ctx.step(
        "created given as a naive datetime",
        lambda: models.StreamingChatCompletionsUpdate(created=datetime.datetime(2024, 1, 2)).created,
    )
    ctx.step(
        "content through a double",
        lambda: models.StreamingChatCompletionsUpdate(choices=[double]).choices[0].delta.content,
    )

    def chat_completions_of_models() -> Any:
        message = models.ChatResponseMessage(role="assistant", content="hi", tool_calls=[magic])
        choice = models.ChatChoice(index=0, finish_reason="stop", message=message)
        usage = models.CompletionsUsage(completion_tokens=1, prompt_tokens=2, total_tokens=3)
        result = models.ChatCompletions(
            id="c", created=datetime.datetime(2024, 1, 2), model="m", choices=[choice], usage=usage
        )
        return {
            "choice": result.choices[0] is choice,
            "choice by key": result["choices"][0] is choice,
            "message": result.choices[0].message is message,
            "tool call is the mock": result.choices[0].message.tool_calls[0] is magic,
            "usage": result.usage is usage,
            "get usage": result.get("usage") is usage,
            "finish_reason": result.choices[0].finish_reason,
            "content": result["choices"][0]["message"]["content"],
        }

    ctx.step("ChatCompletions of models and a mock", chat_completions_of_models)
    ctx.step(
        "ChatChoice(message=dict)",
        lambda: {
            "type": type(models.ChatChoice(index=0, message={"role": "assistant", "content": "d"}).message).__name__,
        },
    )
    ctx.step(
        "model from a JSON mapping",
        lambda: {
            "type": type(
                models.ChatChoice({"index": 0, "message": {"role": "assistant", "content": "j"}}).message
            ).__name__,
            "content": models.ChatChoice(
                {"index": 0, "message": {"role": "assistant", "content": "j"}}
            ).message.content,
        },
    )

    def assigned() -> Any:
        update = models.StreamingChatCompletionsUpdate(id="u")
        update["choices"] = [double]
        update.usage = magic
        return {"choices[0] is double": update.choices[0] is double, "usage is mock": update["usage"] is magic}

    ctx.step("values assigned after construction", assigned)


@scenario
def construction_errors(ctx: Context) -> None:
    from azure.core.exceptions import AzureError

    import azure.ai.inference as sync_api
    import azure.ai.inference.aio as async_api

    for api, prefix in ((sync_api, ""), (async_api, "aio ")):
        for name in ("ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient"):
            cls = getattr(api, name)
            ctx.step(f"{prefix}{name}(None, key)", lambda cls=cls: cls(None, ctx.credential()))
            ctx.step(f"{prefix}{name}(endpoint, None)", lambda cls=cls: cls(ctx.endpoint, None))
            ctx.step(f'{prefix}{name}("endpoint", key)', lambda c=cls: type(c("endpoint", ctx.credential())).__name__)
        for response_format in ("yaml", 5, ["text"]):
            ctx.step(
                f"{prefix}ChatCompletionsClient(response_format={response_format!r})",
                lambda api=api, f=response_format: api.ChatCompletionsClient(
                    ctx.endpoint, ctx.credential(), response_format=f
                ),
            )

    def unsupported_credential() -> Any:
        try:
            sync_api.ChatCompletionsClient(ctx.endpoint, "a-string-key")
        except TypeError:
            return "TypeError"
        return "accepted"

    ctx.step("credential that is a string", unsupported_credential)
    ctx.step("load_client(None, key)", lambda: sync_api.load_client(None, ctx.credential()))
    ctx.step("load_client(endpoint, None)", lambda: sync_api.load_client(ctx.endpoint, None))

    def failure_of(call: Callable[[], Any]) -> Any:
        try:
            call()
        except AzureError as exc:  # 1.0.0b9 failed in the transport; which AzureError depends on the transport
            return {"AzureError": True, "names the endpoint": "endpoint" in str(exc)}
        return "no error"

    client = sync_api.ChatCompletionsClient("endpoint", ctx.credential())
    ctx.step(
        "complete on endpoint 'endpoint'",
        lambda: failure_of(lambda: client.complete(messages=[{"role": "user", "content": "x"}])),
    )
    ctx.step("get_model_info on endpoint 'endpoint'", lambda: failure_of(client.get_model_info))
    embeddings = sync_api.EmbeddingsClient("endpoint", ctx.credential())
    ctx.step("embed on endpoint 'endpoint'", lambda: failure_of(lambda: embeddings.embed(input=["x"])))
    ctx.step(
        "load_client on endpoint 'endpoint'",
        lambda: failure_of(lambda: sync_api.load_client("endpoint", ctx.credential())),
    )


@scenario
def content_type_and_error_map(ctx: Context) -> None:
    from azure.core.exceptions import ResourceExistsError, ResourceNotModifiedError

    from azure.ai.inference import ChatCompletionsClient, EmbeddingsClient
    from azure.ai.inference.models import UserMessage

    body = b'{"messages":[{"role":"user","content":"raw"}]}'
    with ChatCompletionsClient(ctx.endpoint, ctx.credential(), retry_total=0) as client:
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "complete(body=bytes, content_type)", lambda: client.complete(body=body, content_type="application/json")
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "complete(body=dict, content_type)",
            lambda: client.complete(
                body={"messages": [{"role": "user", "content": "d"}]}, content_type="application/json"
            ),
        )
        ctx.enqueue(json=CHAT_RESPONSE)
        ctx.step(
            "complete(messages, content_type)",
            lambda: client.complete(messages=[UserMessage("hi")], content_type="application/json"),
        )
        ctx.enqueue(status=404, json=error_body("NotFound", "nope"))
        ctx.step(
            "complete error_map 404",
            lambda: client.complete(messages=[UserMessage("hi")], error_map={404: ResourceExistsError}),
        )
        ctx.enqueue(status=400, json=error_body("bad", "bad"))
        ctx.step(
            "complete error_map 400",
            lambda: client.complete(messages=[UserMessage("hi")], error_map={400: ResourceNotModifiedError}),
        )
        ctx.enqueue(status=404, json=error_body("NotFound", "nope"))
        ctx.step("get_model_info error_map 404", lambda: client.get_model_info(error_map={404: ResourceExistsError}))
    with EmbeddingsClient(ctx.endpoint, ctx.credential(), retry_total=0) as embeddings:
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        ctx.step(
            "embed(body=bytes, content_type)",
            lambda: embeddings.embed(body=b'{"input":["a"]}', content_type="application/json"),
        )
        ctx.enqueue(json=EMBEDDINGS_RESPONSE)
        ctx.step("embed(input, content_type)", lambda: embeddings.embed(input=["a"], content_type="application/json"))
        ctx.enqueue(status=400, json=error_body("bad", "bad"))
        ctx.step(
            "embed error_map 400", lambda: embeddings.embed(input=["a"], error_map={400: ResourceNotModifiedError})
        )


def _signature(func: Any) -> dict[str, Any]:
    """The parameters a framework reads (names and kinds, not annotations) and whether a decorator wraps it."""
    spec = inspect.getfullargspec(func)
    return {
        "parameters": [f"{p.kind.name} {p.name}" for p in inspect.signature(func).parameters.values()],
        "getfullargspec": {"args": spec.args, "varargs": spec.varargs, "kwonlyargs": spec.kwonlyargs},
        "decorated": hasattr(func, "__wrapped__"),
    }


@scenario
def signatures(ctx: Context) -> None:
    import azure.ai.inference as sync_api
    import azure.ai.inference.aio as async_api

    for api, prefix in ((sync_api, ""), (async_api, "aio.")):
        for name, method in (
            ("ChatCompletionsClient", "complete"),
            ("EmbeddingsClient", "embed"),
            ("ImageEmbeddingsClient", "embed"),
        ):
            cls = getattr(api, name)
            for attribute in ("__init__", method, "get_model_info"):
                ctx.step(f"{prefix}{name}.{attribute}", lambda c=cls, a=attribute: _signature(getattr(c, a)))
        ctx.step(f"{prefix}load_client", lambda api=api: _signature(api.load_client))


PROMPTY_FILE = """---
name: Battery prompt
description: Every section a user reads.
authors: [ada, grace]
tags: [battery]
version: "2.0"
model:
  api: chat
  configuration:
    type: azure_openai
    azure_deployment: dep-b
    azure_endpoint: ${env:BATTERY_PROMPTY_ENDPOINT:example-endpoint}
    api_key: ${env:BATTERY_PROMPTY_KEY:sk-battery-123}
    client_secret: hush-hush
  parameters:
    temperature: 0.25
    max_tokens: 7
  response: first
sample:
  who: world
inputs:
  who: {type: string, default: you, description: Who is greeted}
outputs:
  answer: {type: string}
---
system:
Greet {{who}}.
"""


@scenario
def prompty_attributes(ctx: Context) -> None:
    from azure.ai.inference.prompts import PromptTemplate

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(os.path.realpath(folder), "battery.prompty")
        with open(path, "w", encoding="utf-8") as f:
            f.write(PROMPTY_FILE)

        def local(value: Any) -> Any:
            return json.loads(json.dumps(value, default=str).replace(os.path.dirname(path), "{folder}"))

        loaded: dict[str, Any] = {}

        def load() -> str:
            loaded["template"] = PromptTemplate.from_prompty(path)
            return type(loaded["template"]).__name__

        ctx.step("from_prompty", load)
        template = loaded.get("template")
        if template is None:
            return
        prompty = template.prompty
        ctx.step(
            "prompty attributes",
            lambda: local(
                {
                    "name": prompty.name,
                    "description": prompty.description,
                    "authors": prompty.authors,
                    "tags": prompty.tags,
                    "version": prompty.version,
                    "base": prompty.base,
                    "basePrompty": prompty.basePrompty,
                    "sample": prompty.sample,
                    "file": str(prompty.file),
                    "content": prompty.content,
                }
            ),
        )
        ctx.step(
            "prompty.model",
            lambda: {
                "api": prompty.model.api,
                "configuration": dict(prompty.model.configuration),
                "azure_deployment": prompty.model.configuration["azure_deployment"],
                "parameters": prompty.model.parameters,
                "response": prompty.model.response,
            },
        )
        ctx.step(
            "prompty.inputs, outputs, template",
            lambda: {
                "inputs": {k: [v.type, v.default, v.description] for k, v in prompty.inputs.items()},
                "outputs": {k: [v.type, v.default, v.description] for k, v in prompty.outputs.items()},
                "template": [prompty.template.type, prompty.template.parser],
            },
        )
        ctx.step("to_safe_dict", lambda: local(prompty.to_safe_dict()))
        ctx.step(
            "model_name and parameters", lambda: {"model_name": template.model_name, "parameters": template.parameters}
        )
        ctx.step("messages", lambda: template.create_messages(who="Ada"))
    ctx.step("from_string(...).prompty", lambda: PromptTemplate.from_string("system:\nhi").prompty)


# --- command line -------------------------------------------------------------------------------------------------


def package_identity() -> dict[str, Any]:
    """Which azure.ai.inference ran, so golden data can be checked to come from the published 1.0.0b9."""
    import azure.ai.inference as package

    return {"version": package.__version__, "file": package.__file__}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", help="write the records (with package identity) to this JSON file")
    parser.add_argument("scenarios", nargs="*", help="scenario names (default: all)")
    args = parser.parse_args(argv)
    with Emulator(key=KEY) as emulator:
        records = run_battery(emulator, args.scenarios or None)
    output = {
        "package": package_identity(),
        "python": sys.version.split()[0],
        "scenarios": records,
    }
    text = json.dumps(output, indent=1, ensure_ascii=False) + "\n"
    if args.write:
        with open(args.write, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"{len(records)} scenarios written to {args.write} ({output['package']})")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
