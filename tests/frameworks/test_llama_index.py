"""llama-index-llms-azure-inference and llama-index-embeddings-azure-inference, used as their docs show."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from llama_index.embeddings.azure_inference import AzureAIEmbeddingsModel
from llama_index.llms.azure_inference import AzureAICompletionsModel
from pydantic import BaseModel

from azure.ai.inference.models import ChatCompletionsToolCall, JsonSchemaFormat

from ..emulator import DEFAULT_MODEL, EMULATOR_KEY, Emulator, embedding_vector
from .conftest import Endpoint

PROMPT = [
    ChatMessage(role=MessageRole.SYSTEM, content="Be brief."),
    ChatMessage(role=MessageRole.USER, content="hello there"),
]


class Joke(BaseModel):
    setup: str
    punchline: str


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


WEATHER = FunctionTool.from_defaults(fn=get_weather)


@pytest.fixture
def llm(endpoint: Endpoint) -> Iterator[AzureAICompletionsModel]:
    model = AzureAICompletionsModel(endpoint=endpoint.url(), credential=EMULATOR_KEY, model_name="chat-model")
    yield model
    model._client.close()


def _body(emulator: Emulator, endpoint: Endpoint, index: int = 0) -> dict[str, Any]:
    """The index-th chat request: the LLM's callbacks read its metadata first, which is a GET /info."""
    request = [request for request in emulator.requests if request.method == "POST"][index]
    assert request.path == endpoint.path("/chat/completions")
    body: dict[str, Any] = request.json()
    return body


def _assert_prompt_sent(emulator: Emulator, endpoint: Endpoint) -> dict[str, Any]:
    body = _body(emulator, endpoint)
    assert body["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello there"}]
    assert (body["model"], body["temperature"]) == ("chat-model", 0.1)
    return body


def test_chat_sync(llm: AzureAICompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    response = llm.chat(PROMPT)
    assert (response.message.role, response.message.content) == (MessageRole.ASSISTANT, "Echo: hello there")
    assert response.raw["usage"] == {"prompt_tokens": 4, "completion_tokens": 3, "total_tokens": 7}
    assert response.raw["choices"][0]["finish_reason"] == "stop"
    _assert_prompt_sent(emulator, endpoint)
    assert llm.complete("one two").text == "Echo: one two"


async def test_chat_async(llm: AzureAICompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    response = await llm.achat(PROMPT)
    assert response.message.content == "Echo: hello there"
    assert response.raw["id"] == "chatcmpl-1"
    _assert_prompt_sent(emulator, endpoint)
    assert (await llm.acomplete("one two")).text == "Echo: one two"


def test_stream_sync(llm: AzureAICompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    responses = list(llm.stream_chat(PROMPT))
    assert [response.delta for response in responses] == ["Echo:", " hello", " there"]
    assert responses[-1].message.content == "Echo: hello there"
    assert _assert_prompt_sent(emulator, endpoint)["stream"] is True
    assert "".join(response.delta for response in llm.stream_complete("one two")) == "Echo: one two"


async def test_stream_async(llm: AzureAICompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    deltas = [response.delta async for response in await llm.astream_chat(PROMPT)]
    assert deltas == ["Echo:", " hello", " there"]
    assert _assert_prompt_sent(emulator, endpoint)["stream"] is True


def test_tool_call_and_result_round_trip(llm: AzureAICompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    response = llm.chat_with_tools([WEATHER], user_msg="weather in Paris?", tool_required=True)
    (selection,) = llm.get_tool_calls_from_response(response)
    assert (selection.tool_id, selection.tool_name, selection.tool_kwargs) == ("call_1", "get_weather", {"city": "x"})
    (call,) = response.message.additional_kwargs["tool_calls"]
    assert isinstance(call, ChatCompletionsToolCall)
    first = _body(emulator, endpoint)
    assert first["tool_choice"] == "required"
    assert first["tools"][0]["function"]["name"] == "get_weather"

    output = WEATHER.call(**selection.tool_kwargs)
    history = [
        ChatMessage(role=MessageRole.USER, content="weather in Paris?"),
        response.message,
        ChatMessage(
            role=MessageRole.TOOL,
            content=str(output),
            additional_kwargs={"tool_call_id": selection.tool_id, "name": selection.tool_name},
        ),
    ]
    answer = llm.chat_with_tools([WEATHER], chat_history=history)
    assert answer.message.content == "Echo: sunny in x"
    assert llm.get_tool_calls_from_response(answer, error_on_no_tool_call=False) == []
    assistant, tool_message = _body(emulator, endpoint, 1)["messages"][1:]
    assert assistant["tool_calls"] == [
        {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "x"}'}}
    ]
    assert tool_message == {"role": "tool", "content": "sunny in x", "tool_call_id": "call_1", "name": "get_weather"}


async def test_tool_call_async(llm: AzureAICompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    response = await llm.achat_with_tools([WEATHER], user_msg="weather in Paris?")
    (selection,) = llm.get_tool_calls_from_response(response)
    assert (selection.tool_name, selection.tool_kwargs) == ("get_weather", {"city": "x"})
    assert _body(emulator, endpoint)["tool_choice"] == "auto"


def test_json_mode(llm: AzureAICompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    response = llm.chat(PROMPT, response_format="json_object")
    assert json.loads(response.message.content or "") == {"reply": "Echo: hello there"}
    assert _assert_prompt_sent(emulator, endpoint)["response_format"] == {"type": "json_object"}


def test_structured_output(llm: AzureAICompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    response_format = JsonSchemaFormat(name="Joke", schema=Joke.model_json_schema())
    joke = llm.structured_predict(
        Joke, PromptTemplate("A joke about {topic}."), llm_kwargs={"response_format": response_format}, topic="cats"
    )
    assert joke == Joke(setup="x", punchline="x")
    sent = _body(emulator, endpoint)["response_format"]
    assert (sent["type"], sent["json_schema"]["name"]) == ("json_schema", "Joke")
    assert "A joke about cats." in _body(emulator, endpoint)["messages"][-1]["content"]


def _assert_needs_a_deployment(
    emulator: Emulator, caplog: pytest.LogCaptureFixture, call: Callable[[], object]
) -> None:
    """Foundry, with no model named: one endpoint serves every deployment, and the v1 API needs the deployment's
    name. The lookup is the framework's warning (the package's error is an HttpResponseError, which it catches),
    then the call is the package's ValueError; nothing is sent."""
    assert "does not support model metadata retrieval" in caplog.text
    with pytest.raises(ValueError, match=r"needs `model`, the name of a deployment.*Nothing was sent"):
        call()
    assert emulator.requests == []


def test_model_info_lookup(emulator: Emulator, endpoint: Endpoint, caplog: pytest.LogCaptureFixture) -> None:
    llm = AzureAICompletionsModel(endpoint=endpoint.url(), credential=EMULATOR_KEY)
    if endpoint.foundry:
        assert (llm.metadata.model_name, llm._model_type, llm._model_provider) == ("unknown", "unknown", "unknown")
        _assert_needs_a_deployment(emulator, caplog, lambda: llm.complete("hi"))
    else:
        assert llm.metadata.model_name == DEFAULT_MODEL
        assert (llm._model_type, llm._model_provider) == ("chat_completion", "Emulator")
        assert llm.metadata.model_name == DEFAULT_MODEL
        assert [(request.method, request.path) for request in emulator.requests] == [("GET", endpoint.info_path())]
    llm._client.close()


def test_model_info_lookup_without_info_route(
    emulator: Emulator, endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    llm = AzureAICompletionsModel(endpoint=endpoint.url("noinfo"), credential=EMULATOR_KEY)
    assert llm.metadata.model_name == "unknown"
    assert (llm._model_type, llm._model_provider) == ("unknown", "unknown")
    assert f"Endpoint '{endpoint.url('noinfo')}' does not support model metadata retrieval" in caplog.text
    if endpoint.foundry:
        _assert_needs_a_deployment(emulator, caplog, lambda: llm.complete("hi"))
    else:
        assert llm.complete("hi").text == "Echo: hi"
        assert [request.path for request in emulator.requests] == [
            endpoint.info_path("noinfo"),
            endpoint.path("/chat/completions", "noinfo"),
        ]
    llm._client.close()


async def test_embeddings(emulator: Emulator, endpoint: Endpoint) -> None:
    if endpoint.foundry:
        # Its handler of the failed lookup reads self._client before pydantic has set the model up (its bug, on
        # any endpoint whose lookup fails), so the package's error surfaces as the context of an AttributeError.
        with pytest.raises(AttributeError, match="__pydantic_private__") as caught:
            AzureAIEmbeddingsModel(endpoint=endpoint.url("embed"), credential=EMULATOR_KEY)
        assert isinstance(caught.value.__context__, HttpResponseError)
        assert "`get_model_info()` needs `model`" in str(caught.value.__context__)
        assert emulator.requests == []
        return
    embed_model = AzureAIEmbeddingsModel(endpoint=endpoint.url("embed"), credential=EMULATOR_KEY)
    assert embed_model.model_name == DEFAULT_MODEL
    assert embed_model.get_text_embedding("first") == embedding_vector("first", 8)
    assert embed_model.get_text_embedding_batch(["a", "b"]) == [embedding_vector("a", 8), embedding_vector("b", 8)]
    assert await embed_model.aget_query_embedding("third") == embedding_vector("third", 8)
    assert [request.path for request in emulator.requests] == [endpoint.info_path("embed")] + [
        endpoint.path("/embeddings", "embed")
    ] * 3
    bodies = [request.json() for request in emulator.requests[1:]]
    assert bodies == [{"input": texts, "model": DEFAULT_MODEL} for texts in (["first"], ["a", "b"], ["third"])]
    embed_model._client.close()
    await embed_model._async_client.close()


def test_embeddings_named_model_skips_lookup(emulator: Emulator, endpoint: Endpoint) -> None:
    embed_model = AzureAIEmbeddingsModel(endpoint=endpoint.url("noinfo"), credential=EMULATOR_KEY, model_name="m")
    assert embed_model.get_query_embedding("text") == embedding_vector("text", 8)
    assert [request.path for request in emulator.requests] == [endpoint.path("/embeddings", "noinfo")]
    embed_model._client.close()
