"""Models as mappings whose items are models, as frameworks built on 1.0.0b9 read them, and models built by callers.

Every read (attribute, key, ``get``, ``items()``, ``values()``, iteration) gives the same object, on every read; writes
through either show through the other; a value the caller gives is kept (a mock, a model), where a JSON object given by
keyword or attribute becomes a model, as in 1.0.0b9.
"""

from __future__ import annotations

import datetime
from types import ModuleType
from typing import Any
from unittest import mock

from azure.ai.inference.models import (
    AssistantMessage,
    ChatChoice,
    ChatCompletions,
    ChatCompletionsToolCall,
    ChatCompletionsToolDefinition,
    ChatResponseMessage,
    CompletionsFinishReason,
    CompletionsUsage,
    EmbeddingItem,
    EmbeddingsResult,
    EmbeddingsUsage,
    FunctionCall,
    FunctionDefinition,
    StreamingChatChoiceUpdate,
    StreamingChatCompletionsUpdate,
    StreamingChatResponseMessageUpdate,
    StreamingChatResponseToolCallUpdate,
    UserMessage,
)
from tests.emulator import Emulator
from tests.support import client, collect, resolve


def completion() -> ChatCompletions:
    call = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    message = {"role": "assistant", "content": "hi", "tool_calls": [call]}
    return ChatCompletions._wrap(
        {
            "id": "c1",
            "created": 1700000000,
            "model": "m",
            "choices": [{"index": 0, "finish_reason": "tool_calls", "message": message}],
            "usage": {"completion_tokens": 1, "prompt_tokens": 2, "total_tokens": 3},
            "extra": {"a": 1},
        }
    )


def test_every_nested_field_reads_by_key_as_the_attribute_model() -> None:
    result = completion()
    assert isinstance(result["choices"][0], ChatChoice)
    assert result["choices"] is result.choices and result["choices"][0] is result.choices[0]
    assert isinstance(result.get("usage"), CompletionsUsage) and result.get("usage") is result.usage
    choice = result.choices[0]
    assert isinstance(choice["message"], ChatResponseMessage) and choice["message"] is choice.message
    call = choice["message"]["tool_calls"][0]
    assert isinstance(call, ChatCompletionsToolCall) and call is choice.message.tool_calls[0]
    assert isinstance(call["function"], FunctionCall) and call["function"] is call.function
    assert choice["finish_reason"] == choice.finish_reason == CompletionsFinishReason.TOOL_CALLS
    assert result["created"] == 1700000000  # the JSON, as 1.0.0b9 gives it by key
    assert result.created == datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)
    assert result["extra"] == {"a": 1}  # a key the model does not name stays plain JSON


def test_views_and_get_give_the_attribute_objects() -> None:
    result = completion()
    values = dict(result.items())
    assert values["choices"] is result.choices and values["usage"] is result.usage
    assert [v is result.usage for v in result.values()].count(True) == 1
    assert list(result) == ["id", "created", "model", "choices", "usage", "extra"]
    assert "usage" in result and "nothing" not in result
    assert result.get("nothing", 5) == 5
    assert result.get("usage") is result["usage"]  # the same object on every read


def test_nothing_is_converted_that_is_not_read() -> None:
    result = completion()
    assert result.__dict__ == {}
    assert result["usage"]["total_tokens"] == 3
    assert set(result.__dict__) == {"usage"}  # the choices are still plain JSON
    assert type(result._data["choices"][0]) is dict


def test_writes_show_through_key_and_attribute() -> None:
    result = completion()
    result["choices"][0]["message"]["content"] = "by key"
    assert result.choices[0].message.content == "by key"
    result.choices[0].message.content = "by attribute"
    assert result["choices"][0]["message"]["content"] == "by attribute"
    result.choices.append(ChatChoice(index=1))
    assert len(result["choices"]) == 2 and result.as_dict()["choices"][1] == {"index": 1}
    result.usage.total_tokens = 9
    assert result.as_dict()["usage"]["total_tokens"] == 9


def test_streamed_update_reads_by_key_as_models() -> None:
    fragment = {"index": 0, "id": "call_1", "function": {"name": "f", "arguments": "{"}}
    update = StreamingChatCompletionsUpdate._wrap(
        {"id": "c", "choices": [{"index": 0, "delta": {"content": "a", "tool_calls": [fragment]}}]}
    )
    delta = update["choices"][0]["delta"]
    assert isinstance(delta, StreamingChatResponseMessageUpdate) and delta is update.choices[0].delta
    assert isinstance(delta["tool_calls"][0], StreamingChatResponseToolCallUpdate)
    assert delta["tool_calls"][0]["function"] is delta.tool_calls[0].function
    assert update.get("usage") is None


def test_embeddings_read_by_key_as_models() -> None:
    result = EmbeddingsResult._wrap(
        {"data": [{"index": 0, "embedding": [0.5]}], "usage": {"prompt_tokens": 1, "total_tokens": 1}}
    )
    assert isinstance(result["data"][0], EmbeddingItem) and result["data"][0] is result.data[0]
    assert isinstance(result["usage"], EmbeddingsUsage) and result["data"][0]["embedding"] == [0.5]


def test_caller_values_are_kept_as_given() -> None:
    double = mock.MagicMock()
    update = StreamingChatCompletionsUpdate(choices=[double])
    assert update.choices[0] is double and update["choices"][0] is double
    usage = mock.Mock(prompt_tokens=1)
    result = ChatCompletions(usage=usage)
    assert result.usage is usage and result["usage"] is usage
    choice = ChatChoice(index=0)
    assert ChatCompletions(choices=[choice]).choices[0] is choice
    mixed = ChatCompletions(choices=[double, {"index": 1}])  # JSON objects become models, the rest stays
    assert mixed.choices[0] is double and isinstance(mixed.choices[1], ChatChoice)
    assert mixed["choices"] is mixed.choices
    given = {"total_tokens": 5}
    result["usage"] = given  # by key: kept as given
    assert result.usage is given and result["usage"] is given
    result.usage = {"total_tokens": 6}  # by attribute: made a model
    assert isinstance(result.usage, CompletionsUsage) and result["usage"] is result.usage


def test_json_objects_given_by_keyword_become_models() -> None:
    update = StreamingChatCompletionsUpdate(choices=[{"index": 0, "delta": {"content": "x"}}])
    assert isinstance(update.choices[0], StreamingChatChoiceUpdate)
    assert update.choices[0].delta.content == "x" and update["choices"][0] is update.choices[0]
    message = AssistantMessage(tool_calls=[{"id": "1", "type": "function", "function": {"name": "f", "arguments": ""}}])
    assert isinstance(message.tool_calls[0], ChatCompletionsToolCall)
    tool = ChatCompletionsToolDefinition(function={"name": "f"})
    assert isinstance(tool.function, FunctionDefinition) and tool["function"] is tool.function


def test_user_content_given_by_the_caller_is_kept() -> None:
    parts = [{"type": "text", "text": "hi"}]
    message = UserMessage(parts)
    assert message.content is parts and message["content"] is parts


def test_a_copy_keeps_the_models_read() -> None:
    result = completion()
    usage = result.usage
    copied = result.copy()
    assert copied.usage is usage and copied == result
    copied["usage"] = None
    assert result.usage is usage and "usage" not in copied


async def test_client_replies_read_by_key(api: ModuleType, emulator: Emulator) -> None:
    """What langchain-azure-ai reads: `response["choices"]` then `.message`, `chunk["choices"]` then `.delta`."""
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    response = await resolve(chat.complete(messages=[UserMessage("one two")]))
    choice: Any = response["choices"][0]
    assert choice.message.content == "Echo: one two" and choice is response.choices[0]
    assert response.get("usage", {}).total_tokens == response.usage.total_tokens
    stream = await resolve(chat.complete(messages=[UserMessage("one two")], stream=True))
    updates = await collect(stream)
    text = "".join(u["choices"][0].delta.content or "" for u in updates if u["choices"])
    assert text == "Echo: one two"
    deltas = [u["choices"][0]["delta"] for u in updates if u["choices"]]
    assert deltas and all(isinstance(delta, StreamingChatResponseMessageUpdate) for delta in deltas)
    await resolve(chat.close())
