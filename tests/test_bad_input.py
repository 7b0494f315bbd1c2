"""Bad input from callers: a TypeError or ValueError naming the argument, before any request is sent."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from azure.core.exceptions import ServiceRequestError
from azure.core.rest import HttpRequest

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


CLIENTS = ("ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient")


@pytest.mark.parametrize(
    "endpoint", ["endpoint", "example.com/models", "127.0.0.1:8080", "ftp://host/models", "http://", ""]
)
async def test_any_string_endpoint_builds_a_client_whose_requests_fail_naming_it(
    api: ModuleType, endpoint: str
) -> None:
    """As in 1.0.0b9, a client is built for any string (framework tests use ``"endpoint"``); its requests fail."""
    calls = [
        lambda: client(api, "ChatCompletionsClient", endpoint).complete(messages=MESSAGES),
        lambda: client(api, "ChatCompletionsClient", endpoint).complete(messages=MESSAGES, stream=True),
        lambda: client(api, "EmbeddingsClient", endpoint).embed(input=["a"]),
        lambda: client(api, "ImageEmbeddingsClient", endpoint).embed(input=[{"image": "data:image/png;base64,AA=="}]),
        *(lambda name=name: client(api, name, endpoint).get_model_info() for name in CLIENTS),
        lambda: api.load_client(endpoint, key()),
        lambda: client(api, "ChatCompletionsClient", endpoint).send_request(HttpRequest("GET", "/info")),
    ]
    for call in calls:
        with pytest.raises(ServiceRequestError) as raised:
            await resolve(call())
        assert f"endpoint {endpoint!r} is not an absolute http(s) URL" in str(raised.value)


async def test_endpoint_given_without_a_scheme_sends_nothing(api: ModuleType, emulator: Emulator) -> None:
    endpoint = emulator.endpoint.split("://", 1)[1]  # 127.0.0.1:<port>/...: a host, but no scheme
    chat = client(api, "ChatCompletionsClient", endpoint)
    with pytest.raises(ServiceRequestError, match="not an absolute http"):
        await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert emulator.requests == []


@pytest.mark.parametrize("name", CLIENTS)
def test_none_endpoint_or_credential_is_a_value_error(api: ModuleType, name: str) -> None:
    with pytest.raises(ValueError, match="'endpoint' must not be None"):
        getattr(api, name)(None, key())
    with pytest.raises(ValueError, match="'credential' must not be None"):
        getattr(api, name)("https://host/models", None)


async def test_load_client_with_none_endpoint_or_credential_is_a_value_error(api: ModuleType) -> None:
    with pytest.raises(ValueError, match="'endpoint' must not be None"):
        await resolve(api.load_client(None, key()))
    with pytest.raises(ValueError, match="'credential' must not be None"):
        await resolve(api.load_client("https://host/models", None))


@pytest.mark.parametrize("endpoint", [42, b"https://host"])
def test_endpoint_that_is_not_a_string_is_a_type_error(api: ModuleType, endpoint: Any) -> None:
    for name in CLIENTS:
        with pytest.raises(TypeError, match="endpoint must be a string URL"):
            getattr(api, name)(endpoint, key())


@pytest.mark.parametrize("response_format", ["yaml", 5, ["text"]])
def test_constructor_response_format_that_means_no_format_is_a_value_error(
    api: ModuleType, response_format: Any
) -> None:
    with pytest.raises(ValueError, match="Unsupported `response_format`"):
        api.ChatCompletionsClient("https://host/models", key(), response_format=response_format)


@pytest.mark.parametrize("response_format", ["text", "json_object", {"type": "json_object"}])
async def test_constructor_response_format_is_sent_as_its_json(
    api: ModuleType, emulator: Emulator, response_format: Any
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, response_format=response_format)
    await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    expected = response_format if isinstance(response_format, dict) else {"type": response_format}
    assert emulator.requests[-1].json()["response_format"] == expected
