"""semantic-kernel (extra azure): AzureAIInferenceChatCompletion and AzureAIInferenceTextEmbedding, as its docs show.

Its connectors are async only and look up no model info. Its own settings accept only https endpoints, so the
services get the package's aio clients through ``client=``, the way its docs show for Entra ID.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import numpy
import pytest
from azure.core.credentials import AzureKeyCredential
from pydantic import BaseModel
from semantic_kernel import Kernel
from semantic_kernel.connectors.ai import FunctionChoiceBehavior
from semantic_kernel.connectors.ai.azure_ai_inference import (
    AzureAIInferenceChatCompletion,
    AzureAIInferenceChatPromptExecutionSettings,
    AzureAIInferenceEmbeddingPromptExecutionSettings,
    AzureAIInferenceTextEmbedding,
)
from semantic_kernel.contents import ChatHistory, FunctionCallContent, FunctionResultContent
from semantic_kernel.functions import kernel_function

from azure.ai.inference.aio import ChatCompletionsClient, EmbeddingsClient

from ..emulator import EMULATOR_KEY, Emulator, embedding_vector
from .conftest import PUBLISHED, Endpoint


class Joke(BaseModel):
    setup: str
    punchline: str


class WeatherPlugin:
    @kernel_function(description="The weather in a city.")
    def get_weather(self, city: str) -> str:
        return f"sunny in {city}"


@pytest.fixture
async def service(endpoint: Endpoint) -> AsyncIterator[AzureAIInferenceChatCompletion]:
    client = ChatCompletionsClient(endpoint.url(), AzureKeyCredential(EMULATOR_KEY))
    yield AzureAIInferenceChatCompletion(ai_model_id="chat-model", client=client)
    await client.close()


@pytest.fixture
def history() -> ChatHistory:
    chat = ChatHistory(system_message="Be brief.")
    chat.add_user_message("hello there")
    return chat


def _body(emulator: Emulator, endpoint: Endpoint, index: int = 0) -> dict[str, Any]:
    request = emulator.requests[index]
    assert (request.method, request.path) == ("POST", endpoint.path("/chat/completions"))
    body: dict[str, Any] = request.json()
    return body


def _assert_prompt_sent(emulator: Emulator, endpoint: Endpoint) -> dict[str, Any]:
    body = _body(emulator, endpoint)
    assert body["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello there"}]
    assert body["model"] == "chat-model"
    return body


async def test_chat_async(
    service: AzureAIInferenceChatCompletion, history: ChatHistory, emulator: Emulator, endpoint: Endpoint
) -> None:
    settings = AzureAIInferenceChatPromptExecutionSettings(temperature=0.5, max_tokens=100, seed=3)
    reply = await service.get_chat_message_content(history, settings)
    assert reply is not None
    assert (str(reply), reply.role.value, reply.finish_reason.value) == ("Echo: hello there", "assistant", "stop")
    usage = reply.metadata["usage"]
    assert (usage.prompt_tokens, usage.completion_tokens) == (4, 3)
    assert (reply.metadata["id"], reply.metadata["model"]) == ("chatcmpl-1", "chat-model")
    body = _assert_prompt_sent(emulator, endpoint)
    assert (body["temperature"], body["max_tokens"], body["seed"]) == (0.5, 100, 3)


async def test_stream_async(
    service: AzureAIInferenceChatCompletion, history: ChatHistory, emulator: Emulator, endpoint: Endpoint
) -> None:
    settings = AzureAIInferenceChatPromptExecutionSettings()
    pieces = [str(message) async for message in service.get_streaming_chat_message_content(history, settings)]
    assert "".join(pieces) == "Echo: hello there"
    assert _assert_prompt_sent(emulator, endpoint)["stream"] is True


async def test_tool_call_and_result_round_trip(
    service: AzureAIInferenceChatCompletion, emulator: Emulator, endpoint: Endpoint
) -> None:
    kernel = Kernel()
    kernel.add_plugin(WeatherPlugin(), "weather")
    settings = AzureAIInferenceChatPromptExecutionSettings(function_choice_behavior=FunctionChoiceBehavior.Auto())
    history = ChatHistory()
    history.add_user_message("weather in Paris?")
    answer = await service.get_chat_message_content(history, settings, kernel=kernel)
    assert str(answer) == "Echo: sunny in x"

    calls = [item for message in history.messages for item in message.items if isinstance(item, FunctionCallContent)]
    results = [
        item for message in history.messages for item in message.items if isinstance(item, FunctionResultContent)
    ]
    assert [(call.id, call.name, call.arguments) for call in calls] == [
        ("call_1", "weather-get_weather", '{"city": "x"}')
    ]
    assert [(result.id, result.result) for result in results] == [("call_1", "sunny in x")]

    first, second = _body(emulator, endpoint, 0), _body(emulator, endpoint, 1)
    assert [tool["function"]["name"] for tool in first["tools"]] == ["weather-get_weather"]
    assert first["tool_choice"] == "auto"
    assistant, tool_message = second["messages"][1:]
    assert assistant["tool_calls"] == [
        {"id": "call_1", "type": "function", "function": {"name": "weather-get_weather", "arguments": '{"city": "x"}'}}
    ]
    assert tool_message == {"role": "tool", "content": "sunny in x", "tool_call_id": "call_1"}


async def test_tool_call_streamed(
    service: AzureAIInferenceChatCompletion, emulator: Emulator, endpoint: Endpoint
) -> None:
    kernel = Kernel()
    kernel.add_plugin(WeatherPlugin(), "weather")
    settings = AzureAIInferenceChatPromptExecutionSettings(function_choice_behavior=FunctionChoiceBehavior.Auto())
    history = ChatHistory()
    history.add_user_message("weather in Paris?")
    stream = service.get_streaming_chat_message_content(history, settings, kernel=kernel)
    pieces = [str(message) async for message in stream]
    assert "".join(pieces) == "Echo: sunny in x"
    tool_message = _body(emulator, endpoint, 1)["messages"][-1]
    assert tool_message == {"role": "tool", "content": "sunny in x", "tool_call_id": "call_1"}


@pytest.mark.skipif(PUBLISHED, reason="1.0.0b9 refuses a dict response_format, which is how this framework asks")
async def test_json_mode(
    service: AzureAIInferenceChatCompletion, history: ChatHistory, emulator: Emulator, endpoint: Endpoint
) -> None:
    settings = AzureAIInferenceChatPromptExecutionSettings(response_format={"type": "json_object"})
    reply = await service.get_chat_message_content(history, settings)
    assert json.loads(str(reply)) == {"reply": "Echo: hello there"}
    assert _assert_prompt_sent(emulator, endpoint)["response_format"] == {"type": "json_object"}


async def test_structured_output(
    service: AzureAIInferenceChatCompletion, history: ChatHistory, emulator: Emulator, endpoint: Endpoint
) -> None:
    settings = AzureAIInferenceChatPromptExecutionSettings(response_format=Joke)
    reply = await service.get_chat_message_content(history, settings)
    assert Joke.model_validate_json(str(reply)) == Joke(setup="x", punchline="x")
    response_format = _assert_prompt_sent(emulator, endpoint)["response_format"]
    assert response_format["type"] == "json_schema"
    schema = response_format["json_schema"]
    assert (schema["name"], schema["strict"], schema["description"]) == ("Joke", True, "Schema for Joke")
    assert schema["schema"]["required"] == ["setup", "punchline"]


async def test_embeddings(emulator: Emulator, endpoint: Endpoint, caplog: pytest.LogCaptureFixture) -> None:
    client = EmbeddingsClient(endpoint.url("embed"), AzureKeyCredential(EMULATOR_KEY))
    service = AzureAIInferenceTextEmbedding(ai_model_id="embed-model", client=client)
    vectors = await service.generate_embeddings(["first", "second"])
    assert numpy.array_equal(vectors, numpy.array([embedding_vector("first", 8), embedding_vector("second", 8)]))
    settings = AzureAIInferenceEmbeddingPromptExecutionSettings(dimensions=4, input_type="query")
    (vector,) = await service.generate_embeddings(["third"], settings)
    assert vector.tolist() == embedding_vector("third", 4)
    bodies = [request.json() for request in emulator.requests]
    assert [request.path for request in emulator.requests] == [endpoint.path("/embeddings", "embed")] * 2
    assert bodies == [
        {"input": ["first", "second"], "model": "embed-model"},
        endpoint.sent_body("/embeddings", {"input": ["third"], "model": "embed-model", "dimensions": 4,
                                           "input_type": "query"}),
    ]  # fmt: skip
    assert [request.query for request in emulator.requests] == [endpoint.query("/embeddings")] * 2
    # On the v1 API, which does not define it, input_type="query" is left out and the package says so.
    assert ("input_type='query' is not sent" in caplog.text) == endpoint.v1("/embeddings")
    await client.close()


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Semantic kernel's diagnostics switched on: it instruments the package around each request."""
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", provider)
    monkeypatch.setenv("SEMANTICKERNEL_EXPERIMENTAL_GENAI_ENABLE_OTEL_DIAGNOSTICS", "true")
    yield exporter
    provider.shutdown()


async def test_chat_with_tracing(
    service: AzureAIInferenceChatCompletion, history: ChatHistory, emulator: Emulator, spans: Any
) -> None:
    reply = await service.get_chat_message_content(history, AzureAIInferenceChatPromptExecutionSettings())
    assert str(reply) == "Echo: hello there"
    (span,) = [span for span in spans.get_finished_spans() if span.name == "chat chat-model"]
    assert span.attributes["gen_ai.usage.input_tokens"] == 4
    assert span.attributes["gen_ai.usage.output_tokens"] == 3
    assert span.attributes["gen_ai.response.id"] == "chatcmpl-1"
