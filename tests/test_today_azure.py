"""Code written for 1.0.0b9, unchanged, against today's Azure (issue 19), sync and async.

The clients are given real Azure host names; the ``azure_today`` fixture (tests/azure_tls.py) takes their
connections over real TLS to the emulator playing today's Azure (tests/azure_today.py, which cites its sources):
``/models/**`` and ``/info`` are gone, the OpenAI v1 API lives under ``/openai/v1`` and requires ``model``, GitHub
Models answers 410. The rules the client follows are in azure/ai/inference/_routes.py and the README's "Endpoints".
"""

from __future__ import annotations

import json
import logging
from types import ModuleType
from typing import Any

import pytest
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azure.ai.inference.models import (
    ChatCompletionsToolDefinition,
    FunctionDefinition,
    ImageEmbeddingInput,
    ModelInfo,
    SystemMessage,
    UserMessage,
)

from .azure_tls import AzureWorld
from .azure_today import Deployment
from .emulator import EMULATOR_KEY, Emulator
from .support import collect, resolve

RESOURCE = "https://myres.services.ai.azure.com"
MODELS = f"{RESOURCE}/models"  # what 1.0.0b9's samples, the Learn pages and the frameworks say
V1 = f"{RESOURCE}/openai/v1"
CHAT_MODEL, EMBEDDINGS_MODEL = "gpt-4o-mini", "text-embedding-3-small"
MESSAGES = [SystemMessage("You are terse."), UserMessage("How many feet are in a mile?")]
COGNITIVE_SERVICES = "https://cognitiveservices.azure.com/.default"


def key() -> AzureKeyCredential:
    return AzureKeyCredential(EMULATOR_KEY)


def sent(world: AzureWorld) -> Any:
    """The one request the emulator received."""
    (request,) = world.requests
    return request


def assert_v1_key_auth(request: Any) -> None:
    assert request.headers["api-key"] == EMULATOR_KEY and "Authorization" not in request.headers


async def test_chat(azure_today: AzureWorld, api: ModuleType) -> None:
    client = api.ChatCompletionsClient(endpoint=MODELS, credential=key())
    response = await resolve(client.complete(messages=MESSAGES, model=CHAT_MODEL, temperature=0.2))
    await resolve(client.close())
    assert response.choices[0].message.content == "Echo: How many feet are in a mile?"
    assert response.choices[0].finish_reason == "stop" and response.usage.total_tokens > 0
    assert response.model == CHAT_MODEL
    assert azure_today.urls == [f"{V1}/chat/completions"]  # no api-version
    request = sent(azure_today)
    assert_v1_key_auth(request)
    assert "extra-parameters" not in request.headers
    assert request.json() == {
        "messages": [{"role": "system", "content": "You are terse."},
                     {"role": "user", "content": "How many feet are in a mile?"}],
        "model": CHAT_MODEL,
        "temperature": 0.2,
    }  # fmt: skip


async def test_streaming_skips_azure_prompt_filter_chunk(azure_today: AzureWorld, api: ModuleType) -> None:
    client = api.ChatCompletionsClient(MODELS, key(), model=CHAT_MODEL)
    stream = await resolve(client.complete(messages=[UserMessage("one two three")], stream=True))
    updates = await collect(stream)
    await resolve(client.close())
    assert azure_today.urls == [f"{V1}/chat/completions"]
    assert sent(azure_today).json()["stream"] is True
    assert all(update.choices for update in updates)  # the first chunk, choices [] + prompt_filter_results, is not
    text = "".join(update.choices[0].delta.content or "" for update in updates)
    assert text == "Echo: one two three"
    assert updates[-1].choices[0].finish_reason == "stop"
    final = await resolve(stream.get_final_completion())
    assert final.choices[0].message.content == "Echo: one two three"


async def test_tools_streamed_and_not(azure_today: AzureWorld, api: ModuleType) -> None:
    weather = ChatCompletionsToolDefinition(
        function=FunctionDefinition(
            name="get_weather", parameters={"type": "object", "properties": {"city": {"type": "string"}}}
        )
    )
    client = api.ChatCompletionsClient(MODELS, key())
    reply = await resolve(client.complete(messages=[UserMessage("Paris")], tools=[weather], model=CHAT_MODEL))
    stream = await resolve(
        client.complete(messages=[UserMessage("Paris")], tools=[weather], model=CHAT_MODEL, stream=True)
    )
    await collect(stream)
    await resolve(client.close())
    (call,) = reply.choices[0].message.tool_calls
    assert reply.choices[0].finish_reason == "tool_calls" and call.function.name == "get_weather"
    (streamed,) = (await resolve(stream.get_final_completion())).choices[0].message.tool_calls
    assert streamed.function.name == "get_weather"
    assert json.loads(streamed.function.arguments) == json.loads(call.function.arguments)
    assert azure_today.urls == [f"{V1}/chat/completions"] * 2
    assert [r.json()["tools"][0]["function"]["name"] for r in azure_today.requests] == ["get_weather"] * 2


async def test_embeddings_as_langchain_sends_them(azure_today: AzureWorld, api: ModuleType) -> None:
    # langchain-azure-ai passes input_type="text" on every call; the v1 API refuses keys it does not define
    # (400 "Unrecognized request argument supplied"), so it is left out.
    client = api.EmbeddingsClient(endpoint=MODELS, credential=key(), model=EMBEDDINGS_MODEL)
    result = await resolve(client.embed(input=["first phrase", "second phrase"], input_type="text", dimensions=8))
    await resolve(client.close())
    assert [item.index for item in result.data] == [0, 1]
    assert all(len(item.embedding) == 8 for item in result.data)
    assert result.usage.prompt_tokens > 0
    assert azure_today.urls == [f"{V1}/embeddings"]
    request = sent(azure_today)
    assert_v1_key_auth(request)
    assert request.json() == {"input": ["first phrase", "second phrase"], "dimensions": 8, "model": EMBEDDINGS_MODEL}


async def test_input_type_query_is_not_sent_and_says_how_to_send_it(
    azure_today: AzureWorld, api: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    client = api.EmbeddingsClient(MODELS, key(), model=EMBEDDINGS_MODEL)
    with caplog.at_level(logging.WARNING, logger="azure.ai.inference"):
        await resolve(client.embed(input=["what is a mile?"], input_type="query"))
    await resolve(client.close())
    assert "input_type" not in sent(azure_today).json()
    assert "input_type='query' is not sent" in caplog.text and "model_extras={'input_type': 'query'}" in caplog.text


async def test_model_extras_go_to_the_body_without_the_extra_parameters_header(
    azure_today: AzureWorld, api: ModuleType
) -> None:
    client = api.ChatCompletionsClient(MODELS, key(), model=CHAT_MODEL)
    await resolve(client.complete(messages=MESSAGES, model_extras={"max_completion_tokens": 20}))
    await resolve(client.close())
    request = sent(azure_today)
    assert request.json()["max_completion_tokens"] == 20
    assert "extra-parameters" not in request.headers  # a Model Inference header; the v1 API does not define it


async def test_entra_id_asks_for_the_cognitive_services_scope(azure_today: AzureWorld, api: ModuleType) -> None:
    credential = azure_today.credential(api)
    client = api.ChatCompletionsClient(MODELS, credential, model=CHAT_MODEL)
    response = await resolve(client.complete(messages=MESSAGES))
    await resolve(client.close())
    assert response.choices[0].message.content.startswith("Echo: ")
    assert credential.scopes == [(COGNITIVE_SERVICES,)]
    request = sent(azure_today)
    assert request.headers["Authorization"] == "Bearer entra-token" and "api-key" not in request.headers
    assert azure_today.urls == [f"{V1}/chat/completions"]


async def test_reasoning_content(azure_today: AzureWorld, api: ModuleType) -> None:
    message = {"role": "assistant", "content": "5280", "reasoning_content": "A mile..."}
    choice = {"index": 0, "finish_reason": "stop", "message": message}
    answer = {"id": "r", "created": 1, "model": "DeepSeek-R1", "object": "chat.completion", "choices": [choice]}
    azure_today.emulator.enqueue(json=answer)
    client = api.ChatCompletionsClient(MODELS, key())
    response = await resolve(client.complete(messages=MESSAGES, model="DeepSeek-R1"))
    await resolve(client.close())
    assert response.choices[0].message.reasoning_content == "A mile..."
    assert response.choices[0].message.content == "5280"
    assert azure_today.urls == [f"{V1}/chat/completions"]


@pytest.mark.parametrize(("model", "model_type"), [(CHAT_MODEL, "chat_completion"), (EMBEDDINGS_MODEL, "embeddings")])
async def test_get_model_info(azure_today: AzureWorld, api: ModuleType, model: str, model_type: str) -> None:
    client = api.ChatCompletionsClient(MODELS, key(), model=model)
    info = await resolve(client.get_model_info())
    again = await resolve(client.get_model_info())
    await resolve(client.close())
    assert isinstance(info, ModelInfo) and again is info  # cached per client
    assert info.model_name == model and info.model_type == model_type
    assert azure_today.urls == [f"{V1}/models/{model}"]
    assert_v1_key_auth(sent(azure_today))


async def test_get_model_info_of_a_deployment_named_otherwise(azure_today: AzureWorld, api: ModuleType) -> None:
    azure_today.settings.deployments["my-chat"] = Deployment("chat", CHAT_MODEL)
    client = api.ChatCompletionsClient(MODELS, key(), model="my-chat")
    with pytest.raises(ResourceNotFoundError) as caught:
        await resolve(client.get_model_info())
    reply = await resolve(client.complete(messages=MESSAGES))  # the deployment itself works
    await resolve(client.close())
    assert caught.value.status_code == 404
    assert f"GET {V1}/models/my-chat answered 404" in str(caught.value)
    assert "lists models under their model names, not deployments" in str(caught.value)
    assert reply.choices[0].message.content.startswith("Echo: ")


@pytest.mark.parametrize(("model", "client_name"), [(CHAT_MODEL, "ChatCompletionsClient"),
                                                    (EMBEDDINGS_MODEL, "EmbeddingsClient")])  # fmt: skip
async def test_load_client(azure_today: AzureWorld, api: ModuleType, model: str, client_name: str) -> None:
    client = await resolve(api.load_client(MODELS, key(), model=model))
    assert type(client) is getattr(api, client_name)
    assert client._model_info.model_name == model
    if client_name == "EmbeddingsClient":
        result = await resolve(client.embed(input=["hello"]))
        assert len(result.data) == 1
    else:
        result = await resolve(client.complete(messages=MESSAGES))
        assert result.choices[0].message.content.startswith("Echo: ")
    await resolve(client.close())
    operation = "embeddings" if client_name == "EmbeddingsClient" else "chat/completions"
    assert azure_today.urls == [f"{V1}/models/{model}", f"{V1}/{operation}"]


@pytest.mark.parametrize("endpoint", [V1, "https://myres.openai.azure.com/openai/v1/"])
async def test_a_v1_endpoint_given_directly(azure_today: AzureWorld, api: ModuleType, endpoint: str) -> None:
    client = api.ChatCompletionsClient(endpoint, key(), model=CHAT_MODEL)
    response = await resolve(client.complete(messages=MESSAGES))
    await resolve(client.close())
    assert response.choices[0].message.content.startswith("Echo: ")
    assert azure_today.urls == [endpoint.rstrip("/") + "/chat/completions"]


async def test_azure_openai_classic_is_unchanged(azure_today: AzureWorld, api: ModuleType) -> None:
    endpoint = f"https://myres.openai.azure.com/openai/deployments/{CHAT_MODEL}"
    client = api.ChatCompletionsClient(endpoint, key(), api_version="2024-06-01")
    response = await resolve(client.complete(messages=MESSAGES))
    embed = api.EmbeddingsClient(f"https://myres.openai.azure.com/openai/deployments/{EMBEDDINGS_MODEL}", key(),
                                 api_version="2024-06-01")  # fmt: skip
    await resolve(embed.embed(input=["x"], input_type="text"))  # the classic route defines input_type
    await resolve(client.close())
    await resolve(embed.close())
    assert response.choices[0].message.content.startswith("Echo: ")
    assert azure_today.urls == [
        f"{endpoint}/chat/completions?api-version=2024-06-01",
        f"https://myres.openai.azure.com/openai/deployments/{EMBEDDINGS_MODEL}/embeddings?api-version=2024-06-01",
    ]
    chat_request = azure_today.requests[0]
    assert chat_request.headers["api-key"] == EMULATOR_KEY
    assert chat_request.headers["Authorization"] == f"Bearer {EMULATOR_KEY}"  # both, as 1.0.0b9 sent
    assert azure_today.requests[1].json()["input_type"] == "text"


@pytest.mark.parametrize("name", ["ChatCompletionsClient", "EmbeddingsClient"])
async def test_missing_model_is_refused_before_sending(azure_today: AzureWorld, api: ModuleType, name: str) -> None:
    client = getattr(api, name)(MODELS, key())
    with pytest.raises(ValueError, match=r"needs `model`, the name of a deployment.*Nothing was sent") as caught:
        if name == "EmbeddingsClient":
            await resolve(client.embed(input=["x"]))
        else:
            await resolve(client.complete(messages=MESSAGES))
    with pytest.raises(ValueError, match=r"`get_model_info\(\)` needs `model`"):
        await resolve(client.get_model_info())
    await resolve(client.close())
    assert V1 in str(caught.value)
    assert azure_today.requests == [] and azure_today.proxy.connected == []


async def test_model_info_without_model_is_an_http_response_error_too(azure_today: AzureWorld, api: ModuleType) -> None:
    # llama-index's LLM reads get_model_info() before every chat and catches only HttpResponseError, then goes on with
    # the model_name it was given (per call, its client has none); langchain-azure-ai and llama-index's embeddings
    # do the same at construction. A ValueError alone broke every llama-index chat on a migrated endpoint.
    client = api.ChatCompletionsClient(MODELS, key())
    with pytest.raises(HttpResponseError, match=r"`get_model_info\(\)` needs `model`.*Nothing was sent") as caught:
        await resolve(client.get_model_info())
    reply = await resolve(client.complete(messages=MESSAGES, model=CHAT_MODEL))
    await resolve(client.close())
    assert isinstance(caught.value, ValueError) and caught.value.status_code is None
    assert reply.choices[0].message.content.startswith("Echo: ")
    assert azure_today.urls == [f"{V1}/chat/completions"]  # the lookup sent nothing


async def test_a_whole_json_body_without_model_is_refused_too(azure_today: AzureWorld, api: ModuleType) -> None:
    client = api.ChatCompletionsClient(MODELS, key())
    with pytest.raises(ValueError, match="needs `model`"):
        await resolve(client.complete({"messages": [{"role": "user", "content": "hi"}]}))
    response = await resolve(client.complete({"messages": [{"role": "user", "content": "hi"}], "model": CHAT_MODEL}))
    await resolve(client.close())
    assert response.choices[0].message.content == "Echo: hi"
    assert azure_today.urls == [f"{V1}/chat/completions"]


@pytest.mark.parametrize("endpoint", ["https://models.inference.ai.azure.com", "https://models.github.ai/inference"])
async def test_github_models_says_it_was_retired(azure_today: AzureWorld, api: ModuleType, endpoint: str) -> None:
    client = api.ChatCompletionsClient(endpoint, AzureKeyCredential("github-token"))
    with pytest.raises(HttpResponseError) as caught:
        await resolve(client.complete(messages=MESSAGES, model="openai/gpt-4o"))
    await resolve(client.close())
    host = endpoint.split("/")[2]
    assert str(caught.value).startswith(f"GitHub Models ({host}) was retired on 2026-07-30.")
    assert caught.value.status_code == 410  # the original answer stays on the exception
    assert "github_models_retirement_brownout" in caught.value.response.text()
    assert azure_today.urls == [f"{endpoint}/chat/completions?api-version=2024-05-01-preview"]


async def test_image_embeddings_keep_the_retired_route_and_say_so(azure_today: AzureWorld, api: ModuleType) -> None:
    client = api.ImageEmbeddingsClient(MODELS, key(), model="Cohere-embed-v3-english")
    with pytest.raises(ResourceNotFoundError) as caught:
        await resolve(client.embed(input=[ImageEmbeddingInput(image="data:image/png;base64,iVBORw0KGgo=")]))
    await resolve(client.close())
    message = str(caught.value)
    assert "retired the Azure AI Model Inference API" in message and "2026-08-26" in message
    assert f"{RESOURCE}/openai/v1" in message and "no image embeddings" in message
    assert caught.value.status_code == 404
    assert azure_today.urls == [f"{MODELS}/images/embeddings?api-version=2024-05-01-preview"]


async def test_a_dated_api_version_is_still_migrated(azure_today: AzureWorld, api: ModuleType) -> None:
    # semantic-kernel's AzureAIInferenceChatCompletion passes its own api_version to every client
    client = api.ChatCompletionsClient(MODELS, key(), api_version="2025-08-28")
    response = await resolve(client.complete(messages=MESSAGES, model=CHAT_MODEL))
    await resolve(client.close())
    assert response.choices[0].message.content.startswith("Echo: ")
    assert azure_today.urls == [f"{V1}/chat/completions"]


@pytest.mark.parametrize("call", ["complete", "get_model_info"])
async def test_the_kept_route_names_the_retirement(azure_today: AzureWorld, api: ModuleType, call: str) -> None:
    client = api.ChatCompletionsClient(MODELS, key(), route="model_inference")
    with pytest.raises(ResourceNotFoundError) as caught:
        if call == "complete":
            await resolve(client.complete(messages=MESSAGES, model=CHAT_MODEL))
        else:
            await resolve(client.get_model_info())
    await resolve(client.close())
    assert "Azure retired the Azure AI Model Inference API" in str(caught.value)
    assert f"Use the OpenAI v1 endpoint of the same resource, {V1}" in str(caught.value)
    assert caught.value.status_code == 404
    route = "chat/completions" if call == "complete" else "info"
    assert azure_today.urls == [f"{MODELS}/{route}?api-version=2024-05-01-preview"]


async def test_load_client_says_once_why_it_cannot_choose(azure_today: AzureWorld, api: ModuleType) -> None:
    azure_today.settings.deployments["my-chat"] = Deployment("chat", CHAT_MODEL)
    with pytest.raises(ResourceNotFoundError) as caught:
        await resolve(api.load_client(MODELS, key(), model="my-chat"))
    text = str(caught.value)
    assert text.startswith(f"`load_client` cannot tell which client serves it: GET {V1}/models/my-chat answered 404.")
    assert "construct one of the clients" in text and "No model information" not in text
    assert text.count("answered 404") == 1 and caught.value.status_code == 404


# --- Local OpenAI-compatible servers (llama.cpp, vLLM, Ollama): GET /v1/models names models, gives no type ---------


async def test_local_server_model_info_is_its_only_model(api: ModuleType, emulator: Emulator) -> None:
    emulator.local_models = ["smollm2-135m-instruct"]
    emulator.require_api_version = False  # as llama.cpp, which takes none
    client = api.ChatCompletionsClient(f"{emulator.endpoint}/v1", key())  # no api_version needed any more
    info = await resolve(client.get_model_info())
    reply = await resolve(client.complete(messages=MESSAGES))
    await resolve(client.close())
    assert info.model_name == "smollm2-135m-instruct" and info.model_provider_name == emulator.local_owner
    assert info.model_type is None and "model_type" not in info  # nothing invented
    assert reply.choices[0].message.content.startswith("Echo: ")
    assert [(r.method, r.path, r.raw_query) for r in emulator.requests] == [
        ("GET", "/v1/models", ""), ("POST", "/v1/chat/completions", "")]  # fmt: skip


async def test_local_server_with_several_models_needs_one_named(api: ModuleType, emulator: Emulator) -> None:
    emulator.local_models = ["a", "b"]
    anonymous = api.ChatCompletionsClient(f"{emulator.endpoint}/v1", key())
    with pytest.raises(HttpResponseError, match=r"serves 2 models \['a', 'b'\]; give the client one of them"):
        await resolve(anonymous.get_model_info())
    named = api.ChatCompletionsClient(f"{emulator.endpoint}/v1", key(), model="b")
    info = await resolve(named.get_model_info())
    await resolve(anonymous.close())
    await resolve(named.close())
    assert info.model_name == "b"


async def test_load_client_on_a_local_server_says_what_it_answered(api: ModuleType, emulator: Emulator) -> None:
    emulator.local_models = ["smollm2-135m-instruct"]
    with pytest.raises(ValueError) as caught:
        await resolve(api.load_client(f"{emulator.endpoint}/v1", key()))
    text = str(caught.value)
    assert "cannot tell which client serves this model" in text and "'smollm2-135m-instruct'" in text
    assert "construct one of the clients" in text
