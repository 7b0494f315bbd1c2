"""langchain-azure-ai (extra v1): AzureAIChatCompletionsModel and AzureAIEmbeddingsModel, used as its docs show."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest
from azure.core.exceptions import ResourceNotFoundError
from langchain_azure_ai.chat_models.inference import AzureAIChatCompletionsModel
from langchain_azure_ai.embeddings.inference import AzureAIEmbeddingsModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.tools import tool
from pydantic import BaseModel

from ..azure_tls import AzureWorld
from ..emulator import DEFAULT_MODEL, EMULATOR_KEY, Emulator, embedding_vector
from .conftest import FOUNDRY, PUBLISHED, Endpoint

# The framework's own notice that its inference connectors are deprecated in favour of its OpenAI ones.
pytestmark = pytest.mark.filterwarnings("ignore:.*requires Azure AI Inference beta SDK:DeprecationWarning")


class Joke(BaseModel):
    """A joke in two parts."""

    setup: str
    punchline: str


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


@pytest.fixture
def llm(endpoint: Endpoint) -> Iterator[AzureAIChatCompletionsModel]:
    model = AzureAIChatCompletionsModel(endpoint=endpoint.url(), credential=EMULATOR_KEY, model="chat-model")
    yield model
    model._client.close()


@pytest.fixture
async def allm(endpoint: Endpoint) -> AsyncIterator[AzureAIChatCompletionsModel]:
    model = AzureAIChatCompletionsModel(endpoint=endpoint.url(), credential=EMULATOR_KEY, model="chat-model")
    yield model
    model._client.close()
    await model.aclose()


def _assert_chat_request(emulator: Emulator, endpoint: Endpoint, **expected: object) -> dict[str, object]:
    (request,) = emulator.requests
    assert (request.method, request.path) == ("POST", endpoint.path("/chat/completions"))
    body = request.json()
    assert body["model"] == "chat-model"
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "hello there"},
    ]
    for name, value in expected.items():
        assert body.get(name) == value, name
    return body


PROMPT = [SystemMessage("Be brief."), HumanMessage("hello there")]


def test_chat_sync(llm: AzureAIChatCompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    reply = llm.invoke(PROMPT)
    assert isinstance(reply, AIMessage)
    assert reply.content == "Echo: hello there"
    assert reply.usage_metadata == {"input_tokens": 4, "output_tokens": 3, "total_tokens": 7}
    assert reply.response_metadata["finish_reason"] == "stop"
    _assert_chat_request(emulator, endpoint)


async def test_chat_async(allm: AzureAIChatCompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    reply = await allm.ainvoke(PROMPT, temperature=0.5)
    assert reply.content == "Echo: hello there"
    assert reply.usage_metadata == {"input_tokens": 4, "output_tokens": 3, "total_tokens": 7}
    _assert_chat_request(emulator, endpoint, temperature=0.5)


def test_stream_sync(llm: AzureAIChatCompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    chunks = list(llm.stream(PROMPT))
    assert [chunk.content for chunk in chunks if chunk.content] == ["Echo:", " hello", " there"]
    merged = chunks[0]
    for chunk in chunks[1:]:
        merged += chunk
    assert merged.response_metadata.get("finish_reason") == "stop"
    _assert_chat_request(emulator, endpoint, stream=True)


async def test_stream_async(allm: AzureAIChatCompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    text = ""
    async for chunk in allm.astream(PROMPT):
        text += chunk.content
    assert text == "Echo: hello there"
    _assert_chat_request(emulator, endpoint, stream=True)


def test_tool_call_and_result_round_trip(llm: AzureAIChatCompletionsModel, emulator: Emulator) -> None:
    with_tools = llm.bind_tools([get_weather])
    question = HumanMessage("weather in Paris?")
    call = with_tools.invoke([question])
    assert call.tool_calls == [{"name": "get_weather", "args": {"city": "x"}, "id": "call_1", "type": "tool_call"}]
    sent_tools = emulator.requests[0].json()["tools"]
    assert [tool["function"]["name"] for tool in sent_tools] == ["get_weather"]
    assert sent_tools[0]["function"]["parameters"]["required"] == ["city"]

    result = get_weather.invoke(call.tool_calls[0])
    answer = with_tools.invoke([question, call, result])
    assert answer.content == "Echo: sunny in x"
    assert answer.tool_calls == []
    assistant, tool_message = emulator.requests[1].json()["messages"][1:]
    assert assistant["tool_calls"][0]["id"] == "call_1"
    assert assistant["tool_calls"][0]["function"] == {"name": "get_weather", "arguments": '{"city": "x"}'}
    assert (tool_message["role"], tool_message["tool_call_id"]) == ("tool", "call_1")
    assert tool_message["content"] == "sunny in x"


async def test_tool_call_streamed_async(allm: AzureAIChatCompletionsModel, emulator: Emulator) -> None:
    merged = None
    async for chunk in allm.bind_tools([get_weather]).astream("weather in Paris?"):
        merged = chunk if merged is None else merged + chunk
    assert merged is not None
    assert merged.tool_calls == [{"name": "get_weather", "args": {"city": "x"}, "id": "call_1", "type": "tool_call"}]


def test_json_mode(llm: AzureAIChatCompletionsModel, emulator: Emulator, endpoint: Endpoint) -> None:
    structured = llm.with_structured_output(None, method="json_mode")
    assert structured.invoke(PROMPT) == {"reply": "Echo: hello there"}
    _assert_chat_request(emulator, endpoint, response_format={"type": "json_object"})


def test_structured_output_json_schema(
    llm: AzureAIChatCompletionsModel, emulator: Emulator, endpoint: Endpoint
) -> None:
    joke = llm.with_structured_output(Joke, method="json_schema").invoke(PROMPT)
    assert joke == Joke(setup="x", punchline="x")
    response_format = _assert_chat_request(emulator, endpoint)["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "Joke"
    assert response_format["json_schema"]["schema"]["required"] == ["setup", "punchline"]


async def test_structured_output_function_calling_async(
    allm: AzureAIChatCompletionsModel, emulator: Emulator, endpoint: Endpoint
) -> None:
    joke = await allm.with_structured_output(Joke).ainvoke(PROMPT)
    assert joke == Joke(setup="x", punchline="x")
    assert _assert_chat_request(emulator, endpoint)["tools"][0]["function"]["name"] == "Joke"


def _assert_needs_a_deployment(
    emulator: Emulator, caplog: pytest.LogCaptureFixture, *calls: Callable[[], object]
) -> None:
    """Foundry, with no model named: one endpoint serves every deployment of the resource, and the v1 API needs the
    deployment's name. The lookup at construction is the framework's warning (the package's error is an
    HttpResponseError, which it catches), then each call is the package's ValueError; nothing is sent."""
    assert "does not support model metadata" in caplog.text
    for call in calls:
        with pytest.raises(ValueError, match=r"needs `model`, the name of a deployment.*Nothing was sent"):
            call()
    assert emulator.requests == []


def test_model_info_lookup_at_construction(
    emulator: Emulator, endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    llm = AzureAIChatCompletionsModel(endpoint=endpoint.url(), credential=EMULATOR_KEY)
    if endpoint.foundry:
        assert llm._model_name == ""
        _assert_needs_a_deployment(emulator, caplog, lambda: llm.invoke("hi"))
    else:
        assert [(request.method, request.path) for request in emulator.requests] == [("GET", endpoint.info_path())]
        assert llm._model_name == DEFAULT_MODEL
        assert llm.invoke("hi").content == "Echo: hi"
    llm._client.close()


def test_model_info_lookup_without_info_route(
    emulator: Emulator, endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    llm = AzureAIChatCompletionsModel(endpoint=endpoint.url("noinfo"), credential=EMULATOR_KEY)
    assert llm._model_name == ""
    if endpoint.foundry:
        _assert_needs_a_deployment(emulator, caplog, lambda: llm.invoke("hi"))
    else:
        assert [request.path for request in emulator.requests] == [endpoint.info_path("noinfo")]
        assert "does not support model metadata" in caplog.text
        assert llm.invoke("hi").content == "Echo: hi"
        assert emulator.requests[-1].path == endpoint.path("/chat/completions", "noinfo")
    llm._client.close()


async def test_embeddings_sync_and_async(
    emulator: Emulator, endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    embeddings = AzureAIEmbeddingsModel(endpoint=endpoint.url("embed"), credential=EMULATOR_KEY)
    if endpoint.foundry:
        with pytest.raises(ValueError, match="needs `model`"):
            await embeddings.aembed_query("third")
        _assert_needs_a_deployment(emulator, caplog, lambda: embeddings.embed_documents(["first", "second"]))
    else:
        assert [request.path for request in emulator.requests] == [endpoint.info_path("embed")]
        assert embeddings.embed_documents(["first", "second"]) == [
            embedding_vector("first", 8),
            embedding_vector("second", 8),
        ]
        assert await embeddings.aembed_query("third") == embedding_vector("third", 8)
        bodies = [request.json() for request in emulator.requests[1:]]
        assert bodies == [
            {"input": ["first", "second"], "input_type": "text"},
            {"input": ["third"], "input_type": "text"},
        ]
    embeddings._client.close()
    await embeddings._async_client.close()


def test_embeddings_without_info_route(
    emulator: Emulator, endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    embeddings = AzureAIEmbeddingsModel(endpoint=endpoint.url("noinfo"), credential=EMULATOR_KEY, dimensions=4)
    if endpoint.foundry:
        _assert_needs_a_deployment(emulator, caplog, lambda: embeddings.embed_query("text"))
    else:
        assert embeddings.embed_query("text") == embedding_vector("text", 4)
        assert [request.path for request in emulator.requests] == [
            endpoint.info_path("noinfo"),
            endpoint.path("/embeddings", "noinfo"),
        ]
        assert emulator.requests[-1].json() == {"input": ["text"], "dimensions": 4, "input_type": "text"}
    embeddings._client.close()


def test_embeddings_of_a_named_deployment(emulator: Emulator, endpoint: Endpoint) -> None:
    """What its docs show for a Foundry resource: the deployment named; no lookup. langchain sends input_type
    "text" on every call, which the package leaves out, quietly, on the v1 API (which does not define it)."""
    embeddings = AzureAIEmbeddingsModel(endpoint=endpoint.url("embed"), credential=EMULATOR_KEY, model="embed-model")
    assert embeddings.embed_documents(["first", "second"]) == [
        embedding_vector("first", 8),
        embedding_vector("second", 8),
    ]
    (request,) = emulator.requests
    assert (request.method, request.path, request.query) == ("POST", endpoint.path("/embeddings", "embed"),
                                                             endpoint.query("/embeddings"))  # fmt: skip
    body = {"input": ["first", "second"], "model": "embed-model", "input_type": "text"}
    assert request.json() == endpoint.sent_body("/embeddings", body)
    assert (request.headers.get("api-key"), request.headers.get("Authorization")) == endpoint.auth(
        "/embeddings", EMULATOR_KEY
    )
    embeddings._client.close()


@pytest.mark.skipif(not PUBLISHED, reason="what the published 1.0.0b9 does on today's Foundry; overlay runs the form")
def test_published_package_cannot_reach_todays_foundry(azure_today: AzureWorld) -> None:
    """1.0.0b9 sends Foundry's /models endpoint to the retired Model Inference API: 404, whatever the framework."""
    llm = AzureAIChatCompletionsModel(endpoint=FOUNDRY, credential=EMULATOR_KEY, model="chat-model")
    with pytest.raises(ResourceNotFoundError) as caught:
        llm.invoke(PROMPT)
    llm._client.close()
    assert caught.value.status_code == 404
    assert azure_today.urls == [f"{FOUNDRY}/chat/completions?api-version=2024-05-01-preview"]
