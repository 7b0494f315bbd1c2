"""Tools from Python functions, running tool calls, and reasoning content, sync and async."""

from __future__ import annotations

import enum
import json
from types import ModuleType
from typing import Any, Dict, List, Literal, Optional

import pytest

from azure.ai.inference.models import (
    AssistantMessage,
    ChatCompletions,
    ChatCompletionsFunctionToolDefinition,
    ChatCompletionsToolDefinition,
    ChatResponseMessage,
    UserMessage,
)

from .emulator import Emulator
from .support import client, resolve


class Unit(enum.Enum):
    C = "celsius"
    F = "fahrenheit"


def get_weather(city: str, unit: Unit = Unit.C, days: Optional[int] = None, tags: List[str] = []) -> Dict[str, Any]:  # noqa: B006
    """Get the weather forecast
    for a city.

    :param city: Name of the city.
    :param days: How many days ahead.
    """
    return {"city": city, "days": days, "unit": unit}


def test_from_function_builds_name_description_and_schema() -> None:
    tool = ChatCompletionsToolDefinition.from_function(get_weather)
    assert tool.as_dict() == {
        "function": {
            "name": "get_weather",
            "description": "Get the weather forecast for a city.",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "Name of the city."},
                    "unit": {"enum": ["celsius", "fahrenheit"]},
                    "days": {"type": "integer", "description": "How many days ahead.", "default": None},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["city"],
            },
        },
        "type": "function",
    }
    assert ChatCompletionsFunctionToolDefinition is ChatCompletionsToolDefinition


def test_from_function_rejects_what_it_cannot_describe() -> None:
    def odd(x: complex) -> None:
        """Odd."""

    with pytest.raises(TypeError, match="complex"):
        ChatCompletionsToolDefinition.from_function(odd)
    with pytest.raises(TypeError, match="needs a function"):
        ChatCompletionsToolDefinition.from_function(42)  # type: ignore[arg-type]

    def choose(mode: Literal["a", "b"], extra: Optional[Dict[str, int]] = None) -> None:
        """Choose."""

    parameters = ChatCompletionsToolDefinition.from_function(choose).function.parameters
    assert parameters["properties"] == {
        "mode": {"enum": ["a", "b"]},
        "extra": {"type": "object", "additionalProperties": {"type": "integer"}, "default": None},
    }


def message_with_calls(*calls: tuple[str, str]) -> ChatResponseMessage:
    tool_calls = [
        {"id": f"c{i}", "type": "function", "function": {"name": n, "arguments": a}} for i, (n, a) in enumerate(calls)
    ]
    result = ChatCompletions({"choices": [{"index": 0, "message": {"role": "assistant", "tool_calls": tool_calls}}]})
    return result.choices[0].message


def test_run_tool_calls_returns_tool_messages_in_order() -> None:
    def add(a: int, b: int) -> int:
        return a + b

    message = message_with_calls(("add", '{"a": 1, "b": 2}'), ("get_weather", '{"city": "Oslo"}'))
    replies = message.run_tool_calls([add, get_weather])
    assert [r.as_dict() for r in replies] == [
        {"role": "tool", "tool_call_id": "c0", "content": "3"},
        {"role": "tool", "tool_call_id": "c1", "content": '{"city": "Oslo", "days": null, "unit": "celsius"}'},
    ]


def test_run_tool_calls_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="unknown tool 'nope'"):
        message_with_calls(("nope", "{}")).run_tool_calls([get_weather])
    with pytest.raises(ValueError, match="not JSON"):
        message_with_calls(("get_weather", "{city")).run_tool_calls([get_weather])
    with pytest.raises(ValueError, match="not a JSON object"):
        message_with_calls(("get_weather", "[1]")).run_tool_calls([get_weather])
    assert message_with_calls().run_tool_calls([get_weather]) == []


def lookup(city: str) -> str:
    """Look up a city."""
    return f"{city} is sunny"


async def test_tool_round_trip_from_function(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    tools = [ChatCompletionsToolDefinition.from_function(lookup)]
    messages: list[Any] = [UserMessage("weather in Paris?")]
    first = await resolve(chat.complete(messages=messages, tools=tools))
    message = first.choices[0].message
    assert isinstance(message, ChatResponseMessage) and first.choices[0].finish_reason == "tool_calls"
    messages += [message, *message.run_tool_calls([lookup])]
    second = await resolve(chat.complete(messages=messages, tools=tools))
    assert second.choices[0].message.content == "Echo: x is sunny"
    sent = emulator.requests[-1].json()["messages"]
    assert [m["role"] for m in sent] == ["user", "assistant", "tool"] and sent[2]["content"] == "x is sunny"
    streamed = await resolve(chat.complete(messages=messages[:1], tools=tools, stream=True))
    final = await resolve(streamed.get_final_completion())
    assert [m.content for m in final.choices[0].message.run_tool_calls([lookup])] == ["x is sunny"]
    await resolve(chat.close())


def reasoning_stream() -> list[bytes]:
    def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return f"data: {json.dumps({'id': 'r', 'choices': [choice]})}\n\n".encode()

    return [
        event({"role": "assistant", "reasoning_content": "Think"}),
        event({"reasoning_content": "ing."}),
        event({"content": "Answer"}, "stop"),
        b"data: [DONE]\n\n",
    ]


async def test_reasoning_content_in_responses_streams_and_history(api: ModuleType, emulator: Emulator) -> None:
    body = {
        "id": "r",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "42", "reasoning_content": "Because."}}],
    }
    emulator.enqueue(json=body)
    emulator.enqueue(chunks=reasoning_stream())
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    result = await resolve(chat.complete(messages=[UserMessage("q")]))
    assert result.choices[0].message.reasoning_content == "Because."
    stream = await resolve(chat.complete(messages=[UserMessage("q")], stream=True))
    first = await stream.__anext__() if hasattr(stream, "__anext__") else next(stream)
    assert first.choices[0].delta.reasoning_content == "Think"
    final = await resolve(stream.get_final_completion())
    assert (final.choices[0].message.reasoning_content, final.choices[0].message.content) == ("Thinking.", "Answer")
    history = AssistantMessage("42", reasoning_content="Because.")
    await resolve(chat.complete(messages=[UserMessage("q"), history, UserMessage("again")]))
    assert emulator.requests[-1].json()["messages"][1] == {
        "role": "assistant",
        "reasoning_content": "Because.",
        "content": "42",
    }
    await resolve(chat.close())


async def test_pydantic_response_format_and_parse(api: ModuleType, emulator: Emulator) -> None:
    pydantic = pytest.importorskip("pydantic", reason="pydantic is in the dev extra")

    class Address(pydantic.BaseModel):
        street: str
        number: int

    class Person(pydantic.BaseModel):
        name: str
        address: Address

    chat = client(api, "ChatCompletionsClient", emulator.endpoint, response_format=Person)
    result = await resolve(chat.complete(messages=[UserMessage("who?")]))
    await resolve(chat.close())
    sent = emulator.requests[-1].json()["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["name"] == "Person"
    assert sent["json_schema"]["strict"] is True
    schema = sent["json_schema"]["schema"]
    assert schema["additionalProperties"] is False and schema["required"] == ["name", "address"]
    assert schema["$defs"]["Address"]["required"] == ["street", "number"]
    person = result.choices[0].message.parse(Person)
    assert isinstance(person, Person) and isinstance(person.address.number, int)
    wrong = ChatCompletions({"choices": [{"index": 0, "message": {"role": "assistant", "content": '{"name": 1}'}}]})
    with pytest.raises(ValueError, match="not a valid Person"):
        wrong.choices[0].message.parse(Person)
    empty = ChatCompletions({"choices": [{"index": 0, "message": {"role": "assistant", "content": None}}]})
    with pytest.raises(ValueError, match="no content"):
        empty.choices[0].message.parse(Person)
