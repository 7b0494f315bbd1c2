"""Code as the Azure documentation writes it runs unchanged, sync and async, and sends what the service expects.

The documentation uses older model names, a mistaken ``response_format={"type": <format object>}``, the
``image=`` keyword of ``ImageContentItem``, a multi-turn tool flow that appends the response message to the
request, and error handling that reads the service's 422 from the exception.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

import azure.ai.inference.models as models
from azure.ai.inference.models import (
    ChatCompletionsFunctionToolDefinition,
    ChatCompletionsResponseFormat,
    ChatCompletionsResponseFormatJSON,
    ChatCompletionsResponseFormatJsonObject,
    ChatCompletionsResponseFormatJsonSchema,
    ChatCompletionsResponseFormatText,
    ChatCompletionsToolDefinition,
    ChatResponseMessage,
    CompletionsFinishReason,
    FunctionDefinition,
    ImageContentItem,
    ImageDetailLevel,
    ImageUrl,
    JsonSchemaFormat,
    SystemMessage,
    TextContentItem,
    ToolMessage,
    UserMessage,
)

from .emulator import Emulator
from .support import client, resolve

SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
SCHEMA_JSON = '{"name": "place", "schema": ' + json.dumps(SCHEMA) + ', "description": "A city", "strict": true}'


def schema_format() -> JsonSchemaFormat:
    return JsonSchemaFormat(name="place", schema=SCHEMA, description="A city", strict=True)


# (documented form, current equivalent, exact JSON sent, the emulator's reply to "hi" in that format)
FORMATS: dict[str, tuple[Callable[[], Any], Any, str, str]] = {
    "Text": (ChatCompletionsResponseFormatText, "text", '{"type": "text"}', "Echo: hi"),
    "JSON": (ChatCompletionsResponseFormatJSON, "json_object", '{"type": "json_object"}', '{"reply": "Echo: hi"}'),
    "JsonObject": (
        ChatCompletionsResponseFormatJsonObject,
        "json_object",
        '{"type": "json_object"}',
        '{"reply": "Echo: hi"}',
    ),
    "JsonSchema": (
        lambda: ChatCompletionsResponseFormatJsonSchema(json_schema=schema_format()),
        schema_format(),
        '{"type": "json_schema", "json_schema": ' + SCHEMA_JSON + "}",
        '{"city": "x"}',
    ),
}


@pytest.mark.parametrize("name", list(FORMATS))
async def test_documented_response_formats_send_the_current_json(
    api: ModuleType, emulator: Emulator, name: str
) -> None:
    documented, current, sent, reply = FORMATS[name]
    hi = [UserMessage("hi")]
    forms = [
        ({}, {"response_format": current}),
        ({}, {"response_format": documented()}),
        ({}, {"response_format": {"type": documented()}}),  # the documentation's mistaken form
        ({"response_format": documented()}, {}),
        ({"response_format": {"type": documented()}}, {}),
    ]
    for constructor_settings, call_settings in forms:
        chat = client(api, "ChatCompletionsClient", emulator.endpoint, **constructor_settings)
        try:
            result = await resolve(chat.complete(messages=hi, **call_settings))
        finally:
            await resolve(chat.close())
        assert result.choices[0].message.content == reply

    expected = b'{"messages": [{"role": "user", "content": "hi"}], "response_format": ' + sent.encode() + b"}"
    assert [request.body for request in emulator.requests] == [expected] * len(forms)


def test_documented_names_are_exported_current_models_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (
            ChatCompletionsResponseFormatJSON() == ChatCompletionsResponseFormatJsonObject() == {"type": "json_object"}
        )
        assert ChatCompletionsResponseFormatText().as_dict() == {"type": "text"}
        assert isinstance(ChatCompletionsResponseFormatJSON(), ChatCompletionsResponseFormat)
        schema = ChatCompletionsResponseFormatJsonSchema(json_schema=schema_format())
        assert schema.json_schema.name == "place" and list(schema) == ["type", "json_schema"]
        tool = ChatCompletionsFunctionToolDefinition(function=FunctionDefinition(name="f"))
        assert isinstance(tool, ChatCompletionsToolDefinition) and tool.function.name == "f"
        item = ImageContentItem(image=ImageUrl(url="https://example.com/a.png"))
        assert item.image_url.url == "https://example.com/a.png" and item.type == "image_url"
    for name in (
        "ChatCompletionsFunctionToolDefinition", "ChatCompletionsResponseFormat", "ChatCompletionsResponseFormatJSON",
        "ChatCompletionsResponseFormatJsonObject", "ChatCompletionsResponseFormatJsonSchema",
        "ChatCompletionsResponseFormatText",
    ):  # fmt: skip
        assert name in models.__all__
    with pytest.raises(TypeError, match="image_url or image"):
        ImageContentItem(image=ImageUrl(url="a"), image_url=ImageUrl(url="b"))


async def test_function_tool_definition_is_a_tool_definition(api: ModuleType, emulator: Emulator) -> None:
    def function() -> FunctionDefinition:
        return FunctionDefinition(name="get_weather", description="Weather in a city", parameters=SCHEMA)

    hi = [UserMessage("Weather in Paris?")]
    for constructor_tools, call_tools in [
        (None, [ChatCompletionsToolDefinition(function=function())]),
        (None, [ChatCompletionsFunctionToolDefinition(function=function())]),
        ([ChatCompletionsFunctionToolDefinition(function=function())], None),
    ]:
        chat = client(api, "ChatCompletionsClient", emulator.endpoint, tools=constructor_tools)
        try:
            result = await resolve(chat.complete(messages=hi, tools=call_tools))
        finally:
            await resolve(chat.close())
        assert result.choices[0].finish_reason == CompletionsFinishReason.TOOL_CALLS
        assert result.choices[0].message.tool_calls[0].function.name == "get_weather"

    tool = {"function": {"name": "get_weather", "description": "Weather in a city", "parameters": SCHEMA}}
    expected = json.dumps({"messages": [hi[0].as_dict()], "tools": [{**tool, "type": "function"}]}).encode()
    assert [request.body for request in emulator.requests] == [expected] * 3


async def test_image_content_item_takes_image_keyword(api: ModuleType, emulator: Emulator) -> None:
    url = ImageUrl(url="https://example.com/cat.png", detail=ImageDetailLevel.HIGH)
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    try:
        for item in (ImageContentItem(image_url=url), ImageContentItem(image=url)):
            result = await resolve(chat.complete(messages=[UserMessage([TextContentItem(text="What is it?"), item])]))
            assert result.choices[0].message.content == "Echo: What is it?"
    finally:
        await resolve(chat.close())

    expected = (
        b'{"messages": [{"role": "user", "content": [{"type": "text", "text": "What is it?"}, '
        b'{"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "high"}}]}]}'
    )
    assert [request.body for request in emulator.requests] == [expected] * 2


def get_flight_info(origin_city: str, destination_city: str) -> dict[str, str]:
    """The documentation's local function, answering the model's tool call."""
    return {"airline": "Delta", "flight_number": "DL123", "from": origin_city, "to": destination_city}


async def test_multi_turn_tool_flow_as_documented(api: ModuleType, emulator: Emulator) -> None:
    parameters = {
        "type": "object",
        "properties": {
            "origin_city": {"type": "string", "description": "The name of the city where the flight originates"},
            "destination_city": {"type": "string", "description": "The flight destination city"},
        },
        "required": ["origin_city", "destination_city"],
    }
    flight_info = ChatCompletionsFunctionToolDefinition(
        function=FunctionDefinition(
            name="get_flight_info",
            description="Returns information about the next flight between two cities.",
            parameters=parameters,
        )
    )
    messages: list[Any] = [
        SystemMessage(content="You are a helpful travel assistant."),
        UserMessage(content="When is the next flight from Miami to Seattle?"),
    ]
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    try:
        # As the documentation writes it: append the response message, answer each call with a ToolMessage, ask again.
        response = await resolve(chat.complete(messages=messages, tools=[flight_info], tool_choice="auto"))
        response_message = response.choices[0].message
        tool_calls = response_message.tool_calls
        messages.append(response_message)
        for tool_call in tool_calls:
            function_args = json.loads(tool_call.function.arguments.replace("'", '"'))
            function_response = {"get_flight_info": get_flight_info}[tool_call.function.name](**function_args)
            messages.append(ToolMessage(tool_call_id=tool_call.id, content=json.dumps(function_response)))
        response = await resolve(chat.complete(messages=messages, tools=[flight_info], tool_choice="auto"))
    finally:
        await resolve(chat.close())

    assert isinstance(response_message, ChatResponseMessage)
    tool_content = json.dumps(get_flight_info("x", "x"))
    assert response.choices[0].message.content == f"Echo: {tool_content}"
    assert response.choices[0].finish_reason == CompletionsFinishReason.STOPPED
    tool = {"function": flight_info.function.as_dict(), "type": "function"}
    arguments = json.dumps({"origin_city": "x", "destination_city": "x"})
    call = {"id": "call_1", "type": "function", "function": {"name": "get_flight_info", "arguments": arguments}}
    first_turn = [
        {"role": "system", "content": "You are a helpful travel assistant."},
        {"role": "user", "content": "When is the next flight from Miami to Seattle?"},
    ]
    second_turn = [
        *first_turn,
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "content": tool_content},
    ]
    assert [request.body for request in emulator.requests] == [
        json.dumps({"messages": turn, "tool_choice": "auto", "tools": [tool]}).encode()
        for turn in (first_turn, second_turn)
    ]


@pytest.mark.parametrize(
    ("call", "loc", "value", "code"),
    [
        ({"response_format": {"type": "xml"}}, ["body", "response_format"], {"type": "xml"}, "invalid_input"),
        (
            {"body": {"messages": [{"role": "user", "content": "hi"}], "logit_bias_x": 1}},
            ["body", "logit_bias_x"],
            1,
            "extra_parameters_not_allowed",
        ),
    ],
    ids=["unsupported-value", "unknown-parameter"],
)
async def test_error_handling_as_documented(
    api: ModuleType, emulator: Emulator, call: dict[str, Any], loc: list[str], value: Any, code: str
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    settings = {} if "body" in call else {"messages": [UserMessage("hi")]}
    offending: list[tuple[str, Any]] = []
    try:
        await resolve(chat.complete(**settings, **call))
    except HttpResponseError as ex:
        if ex.status_code == 422:  # the documentation reads the body both ways
            response = json.loads(ex.response._content.decode("utf-8"))  # type: ignore[union-attr]
            assert response == ex.response.json()  # type: ignore[union-attr]
            if isinstance(response, dict) and "detail" in response:
                detail = response["detail"]
                offending.append((".".join(detail["loc"]), detail["input"]))
        else:
            raise
        assert ex.error is not None and ex.error.code == code
    finally:
        await resolve(chat.close())

    assert offending == [(".".join(loc), value)]
    assert len(emulator.requests) == 1
