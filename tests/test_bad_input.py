"""Bad input from callers: a TypeError or ValueError naming the argument, before any request is sent."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from azure.ai.inference.models import (
    ChatCompletionsToolDefinition,
    FunctionDefinition,
    SystemMessage,
    TextContentItem,
    UserMessage,
)

from .emulator import Emulator
from .support import client, key, resolve

MESSAGES = [UserMessage("hi")]
TOOL = ChatCompletionsToolDefinition(function=FunctionDefinition(name="f"))


class Unserializable:
    """Not JSON: the json module refuses it."""


def circular() -> dict[str, Any]:
    value: dict[str, Any] = {}
    value["self"] = value
    return value


BAD_CHAT_CALLS = [
    pytest.param({"messages": "hi"}, TypeError, "messages must be a list", id="messages-str"),
    pytest.param({"messages": UserMessage("hi")}, TypeError, "messages must be a list", id="messages-one-message"),
    pytest.param({"messages": [1, 2]}, TypeError, "messages[0] must be a chat message", id="messages-ints"),
    pytest.param({"messages": [UserMessage("hi"), "hi"]}, TypeError, "messages[1] must be", id="messages-str-item"),
    pytest.param(
        {"messages": [{"role": "user", "content": 5}]}, TypeError, "messages[0].content must be", id="content-int"
    ),
    pytest.param(
        {"messages": [SystemMessage("s"), UserMessage(content=[TextContentItem(text="a"), 7])]},
        TypeError,
        "messages[1].content[1] must be a content item",
        id="content-item-int",
    ),
    pytest.param(
        {"messages": [{"role": "user", "content": [{"type": "text", "text": Unserializable()}]}]},
        TypeError,
        "messages cannot be sent as JSON",
        id="content-item-object",
    ),
    pytest.param({"tools": TOOL}, TypeError, "tools must be a list", id="tools-not-list"),
    pytest.param({"tools": [TOOL, "f"]}, TypeError, "tools[1] must be", id="tools-str-item"),
    pytest.param({"tool_choice": 3}, TypeError, "tool_choice must be", id="tool-choice-int"),
    pytest.param({"response_format": 5}, ValueError, "response_format", id="response-format-int"),
    pytest.param({"response_format": "yaml"}, ValueError, "response_format", id="response-format-unknown"),
    pytest.param({"model_extras": "x"}, TypeError, "model_extras must be a dict", id="extras-str"),
    pytest.param(
        {"model_extras": {"ok": 1, "bad": Unserializable()}},
        TypeError,
        "model_extras['bad'] cannot be sent as JSON",
        id="extras-object",
    ),
    pytest.param(
        {"model_extras": {"loop": circular()}}, ValueError, "model_extras['loop'] cannot be sent", id="extras-circular"
    ),
    pytest.param({"stop": {Unserializable()}}, TypeError, "stop cannot be sent as JSON", id="stop-set"),
    pytest.param({"temprature": 0.5}, TypeError, "unexpected keyword argument 'temprature'", id="unknown-keyword"),
    pytest.param({"logprobs": True}, TypeError, "model_extras={'logprobs'", id="service-parameter-as-keyword"),
]


@pytest.mark.parametrize(("kwargs", "error", "text"), BAD_CHAT_CALLS)
async def test_bad_complete_arguments_raise_before_sending(
    api: ModuleType, emulator: Emulator, kwargs: dict[str, Any], error: type[Exception], text: str
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    call = {"messages": MESSAGES, **kwargs}
    try:
        with pytest.raises(error) as raised:
            await resolve(chat.complete(**call))
        with pytest.raises(error):  # streaming takes the same path
            await resolve(chat.complete(stream=True, **call))
    finally:
        await resolve(chat.close())
    assert text in str(raised.value)
    assert emulator.requests == []


async def test_constructor_defaults_are_checked_at_the_call(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, model_extras={"x": Unserializable()}, tools="f")
    with pytest.raises(TypeError, match="tools must be a list"):
        await resolve(chat.complete(messages=MESSAGES, model_extras={"y": 1}, tools=None))
    with pytest.raises(TypeError, match=r"model_extras\['x'\] cannot be sent as JSON"):
        await resolve(chat.complete(messages=MESSAGES, tools=[TOOL]))
    await resolve(chat.close())
    assert emulator.requests == []


async def test_whole_body_that_is_not_json_names_its_key(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    with pytest.raises(TypeError, match=r"body\['messages'\] cannot be sent as JSON"):
        await resolve(chat.complete({"messages": [{"role": "user", "content": Unserializable()}]}))
    with pytest.raises(TypeError, match="body must be a JSON mapping"):
        await resolve(chat.complete(["not", "a", "body"]))
    await resolve(chat.close())
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        pytest.param({"dimenions": 4}, TypeError, "embed() got an unexpected keyword argument 'dimenions'", id="kw"),
        pytest.param({"model_extras": {"x": Unserializable()}}, TypeError, "model_extras['x']", id="extras"),
        pytest.param({"input": ["a", Unserializable()]}, TypeError, "input cannot be sent as JSON", id="input"),
    ],
)
async def test_bad_embed_arguments_raise_before_sending(
    api: ModuleType, emulator: Emulator, kwargs: dict[str, Any], error: type[Exception], text: str
) -> None:
    embeddings = client(api, "EmbeddingsClient", emulator.url("embed"))
    try:
        with pytest.raises(error) as raised:
            await resolve(embeddings.embed(**{"input": ["a"], **kwargs}))
    finally:
        await resolve(embeddings.close())
    assert text in str(raised.value)
    assert emulator.requests == []


async def test_valid_calls_still_work_after_the_checks(api: ModuleType, emulator: Emulator) -> None:
    """Plain dict messages and content, tuples, named pipeline options: all accepted and sent."""
    seen: list[int] = []
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    result = await resolve(
        chat.complete(
            messages=(
                {"role": "system", "content": "s"},
                {"role": "user", "content": [{"type": "text", "text": "plain"}, TextContentItem(text="dicts")]},
            ),
            tools=(TOOL.as_dict(),),
            tool_choice="none",
            model_extras={"n": 1},
            headers={"x-test": "1"},
            params={"p": "q"},
            retry_total=0,
            read_timeout=30,
            connection_timeout=30,
            logging_enable=False,
            raw_response_hook=lambda response: seen.append(response.http_response.status_code),
        )
    )
    await resolve(chat.close())
    assert result.choices[0].message.content == "Echo: plain dicts"
    assert seen == [200]
    request = emulator.requests[-1]
    assert request.headers["x-test"] == "1" and request.query["p"] == "q"
    assert request.json()["messages"][1]["content"][1] == {"type": "text", "text": "dicts"}


@pytest.mark.parametrize(
    ("endpoint", "error"),
    [
        ("not a url", ValueError),
        ("example.com/models", ValueError),
        ("ftp://127.0.0.1/models", ValueError),
        ("http://", ValueError),
        (42, TypeError),
        (None, TypeError),
        (b"http://127.0.0.1", TypeError),
    ],
)
def test_endpoint_that_is_not_a_url(api: ModuleType, endpoint: Any, error: type[Exception]) -> None:
    for name in ("ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient"):
        with pytest.raises(error, match="endpoint"):
            getattr(api, name)(endpoint, key())
