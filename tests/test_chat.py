"""Chat completions through the real clients, sync and async, against the loopback emulator."""

from __future__ import annotations

import json
from types import ModuleType

import pytest
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError

from azure.ai.inference.models import (
    ChatCompletions,
    ChatCompletionsNamedToolChoice,
    ChatCompletionsNamedToolChoiceFunction,
    ChatCompletionsToolDefinition,
    CompletionsFinishReason,
    FunctionDefinition,
    JsonSchemaFormat,
    SystemMessage,
    UserMessage,
)

from .emulator import Emulator
from .support import client, resolve

MESSAGES = [SystemMessage("You are terse."), UserMessage("How many feet in a mile?")]


async def test_complete_sends_contract_request_and_parses_result(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    result = await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())

    assert isinstance(result, ChatCompletions)
    assert result.choices[0].message.content == "Echo: How many feet in a mile?"
    assert result.choices[0].finish_reason == CompletionsFinishReason.STOPPED
    assert result.created.tzinfo is not None and result.created.timestamp() == 1700000000
    assert result.usage.completion_tokens == 7
    request = emulator.requests[-1]
    assert (request.method, request.path, request.query) == (
        "POST",
        "/chat/completions",
        {"api-version": "2024-05-01-preview"},
    )
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Content-Type"] == "application/json"
    assert "extra-parameters" not in request.headers
    assert request.body == (
        b'{"messages": [{"role": "system", "content": "You are terse."}, '
        b'{"role": "user", "content": "How many feet in a mile?"}]}'
    )
    assert json.loads(str(result))["choices"][0]["message"]["content"] == "Echo: How many feet in a mile?"


async def test_settings_in_spec_order_with_constructor_defaults_and_overrides(
    api: ModuleType, emulator: Emulator
) -> None:
    tool = ChatCompletionsToolDefinition(function=FunctionDefinition(name="f", parameters={"type": "object"}))
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, temperature=0.5, seed=3, model="m1")
    await resolve(
        chat.complete(
            messages=MESSAGES,
            top_p=0.9,
            temperature=0.1,
            max_tokens=100,
            stop=["x"],
            tools=[tool],
            tool_choice=ChatCompletionsNamedToolChoice(function=ChatCompletionsNamedToolChoiceFunction(name="f")),
            response_format=JsonSchemaFormat(name="s", schema={"type": "object"}),
            frequency_penalty=0.0,
            presence_penalty=0.2,
        )
    )
    await resolve(chat.close())
    body = emulator.requests[-1].json()
    assert list(body) == [
        "messages", "frequency_penalty", "max_tokens", "model", "presence_penalty", "response_format",
        "seed", "stop", "temperature", "tool_choice", "tools", "top_p",
    ]  # fmt: skip
    assert body["temperature"] == 0.1 and body["seed"] == 3 and body["model"] == "m1"
    assert body["tools"] == [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "f"}}


async def test_model_extras_at_root_with_pass_through_header(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, model_extras={"a": 1})
    await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.complete(messages=MESSAGES, model_extras={"b": 2, "temperature": 0.3}))
    await resolve(chat.close())
    first, second = emulator.requests
    assert first.json()["a"] == 1 and first.headers["extra-parameters"] == "pass-through"
    assert "a" not in second.json() and second.json()["b"] == 2 and second.json()["temperature"] == 0.3


async def test_unknown_key_without_pass_through_is_rejected(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    with pytest.raises(HttpResponseError) as info:
        await resolve(chat.complete({"messages": [{"role": "user", "content": "x"}], "unknown": 1}))
    await resolve(chat.close())
    assert info.value.status_code == 422


async def test_body_as_mapping_and_bytes_sent_as_is(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, temperature=0.5, model_extras={"x": 1})
    raw = b'{"messages":[{"role":"user","content":"raw"}]}'
    result = await resolve(chat.complete(raw))
    await resolve(chat.complete({"messages": [{"role": "user", "content": "mapped"}]}))
    await resolve(chat.close())
    assert result.choices[0].message.content == "Echo: raw"
    assert emulator.requests[0].body == raw
    assert emulator.requests[1].json() == {"messages": [{"role": "user", "content": "mapped"}]}


async def test_missing_messages_is_type_error(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    with pytest.raises(TypeError, match="messages"):
        await resolve(chat.complete())
    await resolve(chat.close())
    assert emulator.requests == []


async def test_key_is_read_on_every_request(api: ModuleType, emulator: Emulator) -> None:
    credential = AzureKeyCredential("wrong")
    chat = api.ChatCompletionsClient(emulator.endpoint, credential)
    with pytest.raises(ClientAuthenticationError):
        await resolve(chat.complete(messages=MESSAGES))
    credential.update("emulator-key")
    await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert emulator.requests[-1].headers["api-key"] == "emulator-key"
    assert emulator.requests[-1].headers["Authorization"] == "Bearer emulator-key"


async def test_get_model_info_is_cached_and_404_explains(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    first = await resolve(chat.get_model_info())
    second = await resolve(chat.get_model_info())
    assert first is second and first.model_type == "chat_completion"
    assert sum(r.path == "/info" for r in emulator.requests) == 1
    assert "chat_completion" in str(chat)
    await resolve(chat.close())
    missing = client(api, "ChatCompletionsClient", emulator.url("/noinfo"))
    with pytest.raises(ResourceNotFoundError, match="/info"):
        await resolve(missing.get_model_info())
    await resolve(missing.close())


async def test_load_client_picks_the_client_for_the_model_type(api: ModuleType, emulator: Emulator) -> None:
    for prefix, name in (
        ("", "ChatCompletionsClient"),
        ("/embed", "EmbeddingsClient"),
        ("/image", "ImageEmbeddingsClient"),
    ):
        loaded = await resolve(
            api.load_client(emulator.url(prefix), client(api, "EmbeddingsClient", emulator.endpoint)._config.credential)
        )
        assert type(loaded) is getattr(api, name)
        assert loaded._model_info is not None
        await resolve(loaded.close())
    assert sum(r.path.endswith("/info") for r in emulator.requests) == 3


async def test_streaming_yields_updates_and_final_completion(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    stream = await resolve(chat.complete(messages=[UserMessage("one two")], stream=True))
    text = []
    if hasattr(stream, "__aiter__"):
        async for update in stream:
            text += [c.delta.content or "" for c in update.choices]
        final = await stream.get_final_completion()
    else:
        for update in stream:
            text += [c.delta.content or "" for c in update.choices]
        final = stream.get_final_completion()
    await resolve(chat.close())
    assert "".join(text) == "Echo: one two"
    assert final.choices[0].message.content == "Echo: one two"
    assert final.choices[0].finish_reason == "stop"
    assert emulator.requests[-1].json()["stream"] is True
