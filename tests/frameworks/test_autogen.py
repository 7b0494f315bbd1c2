"""autogen-ext (extra azure): AzureAIChatCompletionClient, used as its docs show.

The client is async only, takes its model info from the caller (no /info lookup) and has no embeddings.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

import pytest
from autogen_core import FunctionCall
from autogen_core.models import (
    AssistantMessage,
    CreateResult,
    FunctionExecutionResult,
    FunctionExecutionResultMessage,
    ModelInfo,
    SystemMessage,
    UserMessage,
)
from autogen_core.tools import FunctionTool
from autogen_ext.models.azure import AzureAIChatCompletionClient
from azure.core.credentials import AzureKeyCredential

from azure.ai.inference.models import (
    ChatChoice,
    ChatCompletions,
    ChatResponseMessage,
    CompletionsUsage,
    StreamingChatChoiceUpdate,
    StreamingChatCompletionsUpdate,
    StreamingChatResponseMessageUpdate,
)

from ..emulator import EMULATOR_KEY, Emulator
from .conftest import Endpoint

MODEL_INFO: ModelInfo = {
    "json_output": True,
    "function_calling": True,
    "vision": False,
    "family": "unknown",
    "structured_output": False,
}
PROMPT = [SystemMessage(content="Be brief."), UserMessage(content="hello there", source="user")]


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


WEATHER = FunctionTool(get_weather, description="The weather in a city.")


@pytest.fixture
async def client(endpoint: Endpoint) -> AsyncIterator[AzureAIChatCompletionClient]:
    model_client = AzureAIChatCompletionClient(
        model="chat-model",
        endpoint=endpoint.url(),
        credential=AzureKeyCredential(EMULATOR_KEY),
        model_info=MODEL_INFO,
        temperature=0.5,
    )
    yield model_client
    await model_client.close()


def _body(emulator: Emulator, endpoint: Endpoint, index: int = 0) -> dict[str, Any]:
    request = emulator.requests[index]
    assert (request.method, request.path) == ("POST", endpoint.path("/chat/completions"))
    body: dict[str, Any] = request.json()
    return body


async def test_chat_async(client: AzureAIChatCompletionClient, emulator: Emulator, endpoint: Endpoint) -> None:
    result = await client.create(PROMPT)
    assert (result.content, result.finish_reason) == ("Echo: hello there", "stop")
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (4, 3)
    assert client.total_usage().prompt_tokens == 4
    body = _body(emulator, endpoint)
    assert body["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello there"}]
    assert (body["model"], body["temperature"]) == ("chat-model", 0.5)


async def test_extra_create_args(client: AzureAIChatCompletionClient, emulator: Emulator, endpoint: Endpoint) -> None:
    """autogen checks these names against inspect.getfullargspec(aio.ChatCompletionsClient.complete).kwonlyargs."""
    result = await client.create(PROMPT, extra_create_args={"seed": 7, "max_tokens": 2, "temperature": 0.1})
    assert (result.content, result.finish_reason) == ("Echo: hello", "length")
    body = _body(emulator, endpoint)
    assert (body["seed"], body["max_tokens"], body["temperature"]) == (7, 2, 0.1)


async def test_stream_async(client: AzureAIChatCompletionClient, emulator: Emulator, endpoint: Endpoint) -> None:
    items = [item async for item in client.create_stream(PROMPT)]
    *pieces, result = items
    assert pieces == ["Echo:", " hello", " there"]
    assert isinstance(result, CreateResult)
    assert (result.content, result.finish_reason) == ("Echo: hello there", "stop")
    assert _body(emulator, endpoint)["stream"] is True


async def test_tool_call_and_result_round_trip(
    client: AzureAIChatCompletionClient, emulator: Emulator, endpoint: Endpoint
) -> None:
    question = UserMessage(content="weather in Paris?", source="user")
    call = await client.create([question], tools=[WEATHER], tool_choice=WEATHER)
    assert call.finish_reason == "function_calls"
    assert call.content == [FunctionCall(id="call_1", name="get_weather", arguments='{"city": "x"}')]
    body = _body(emulator, endpoint)
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert body["tools"][0]["function"]["name"] == "get_weather"
    assert body["tools"][0]["function"]["parameters"]["required"] == ["city"]

    output = get_weather(**json.loads(call.content[0].arguments))
    history = [
        question,
        AssistantMessage(content=call.content, source="assistant"),
        FunctionExecutionResultMessage(
            content=[FunctionExecutionResult(content=output, name="get_weather", call_id="call_1", is_error=False)]
        ),
    ]
    answer = await client.create(history, tools=[WEATHER])
    assert (answer.content, answer.finish_reason) == ("Echo: sunny in x", "stop")
    assistant, tool_message = _body(emulator, endpoint, 1)["messages"][1:]
    assert assistant["tool_calls"] == [
        {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "x"}'}}
    ]
    assert tool_message == {"role": "tool", "content": "sunny in x", "tool_call_id": "call_1"}


async def test_tool_call_streamed(client: AzureAIChatCompletionClient, emulator: Emulator) -> None:
    # autogen concatenates every update's id and name, so it needs each tool call in one update.
    emulator.whole_tool_calls = True
    items = [item async for item in client.create_stream([PROMPT[1]], tools=[WEATHER])]
    result = items[-1]
    assert isinstance(result, CreateResult)
    assert result.finish_reason == "function_calls"
    assert result.content == [FunctionCall(id="call_1", name="get_weather", arguments='{"city": "x"}')]


async def test_json_mode(client: AzureAIChatCompletionClient, emulator: Emulator, endpoint: Endpoint) -> None:
    result = await client.create(PROMPT, json_output=True)
    assert isinstance(result.content, str)
    assert json.loads(result.content) == {"reply": "Echo: hello there"}
    assert _body(emulator, endpoint)["response_format"] == {"type": "json_object"}


async def test_connector_unit_test_style() -> None:
    """autogen's own connector tests: a placeholder endpoint, and `complete` replaced by one returning built models."""
    model_client = AzureAIChatCompletionClient(
        endpoint="endpoint", credential=AzureKeyCredential("api_key"), model_info=MODEL_INFO, model="model"
    )
    reply = ChatCompletions(
        id="id",
        created=1700000000,
        model="model",
        choices=[
            ChatChoice(index=0, finish_reason="stop", message=ChatResponseMessage(role="assistant", content="Hi"))
        ],
        usage=CompletionsUsage(prompt_tokens=2, completion_tokens=1, total_tokens=3),
    )
    received: dict[str, Any] = {}

    async def complete(**kwargs: Any) -> ChatCompletions:
        received.update(kwargs)
        return reply

    model_client._client.complete = complete  # type: ignore[method-assign]
    result = await model_client.create([UserMessage(content="Hello", source="user")])
    assert (result.content, result.finish_reason) == ("Hi", "stop")
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (2, 1)
    assert received["model"] == "model"
    assert [message.content for message in received["messages"]] == ["Hello"]
    await model_client.close()


async def test_connector_unit_test_style_streaming() -> None:
    """The same with a stream of updates built by the test, with a datetime for ``created``."""
    model_client = AzureAIChatCompletionClient(
        endpoint="endpoint", credential=AzureKeyCredential("api_key"), model_info=MODEL_INFO, model="model"
    )

    async def updates() -> AsyncIterator[StreamingChatCompletionsUpdate]:
        for word in ["Hi", " you", " all"]:
            delta = StreamingChatResponseMessageUpdate(role="assistant", content=word)
            yield StreamingChatCompletionsUpdate(
                id="id",
                created=datetime.now(timezone.utc),
                model="model",
                choices=[StreamingChatChoiceUpdate(index=0, finish_reason="stop", delta=delta)],
                usage=CompletionsUsage(prompt_tokens=2, completion_tokens=3, total_tokens=5),
            )

    async def complete(**kwargs: Any) -> AsyncIterator[StreamingChatCompletionsUpdate]:
        assert kwargs["stream"] is True
        return updates()

    model_client._client.complete = complete  # type: ignore[method-assign]
    *pieces, result = [item async for item in model_client.create_stream([UserMessage(content="Hello", source="u")])]
    assert pieces == ["Hi", " you", " all"]
    assert isinstance(result, CreateResult)
    assert (result.content, result.finish_reason) == ("Hi you all", "stop")
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (2, 3)
    await model_client.close()
