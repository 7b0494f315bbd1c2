"""agent-framework-azure-ai 1.0.0rc6 (with the agent-framework-core and -openai of its release):
AzureAIInferenceEmbeddingClient, configured as its docstring shows.

The client is async only: it embeds text through this package's aio EmbeddingsClient and images through its
ImageEmbeddingsClient, and reads the results' vectors, model and usage.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator

import pytest
from agent_framework import Content
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError, ResourceNotFoundError

from azure.ai.inference.aio import ImageEmbeddingsClient

from ..emulator import EMULATOR_KEY, Emulator, embedding_vector
from ._agent_framework import (
    IMAGE_SEED,
    PNG,
    PNG_DATA_URL,
    assert_embeddings_request,
    assert_images_retired,
    assert_user_agent,
)
from .conftest import Endpoint

with warnings.catch_warnings():  # its package's notices, on import, that its agent clients are deprecated
    warnings.simplefilter("ignore", DeprecationWarning)
    from agent_framework_azure_ai import AzureAIInferenceEmbeddingClient


@pytest.fixture
def inference_environment(monkeypatch: pytest.MonkeyPatch, endpoint: Endpoint) -> None:
    """The settings its docstring has users put in the environment."""
    monkeypatch.setenv("AZURE_AI_INFERENCE_ENDPOINT", endpoint.url("embed"))
    monkeypatch.setenv("AZURE_AI_INFERENCE_API_KEY", EMULATOR_KEY)
    monkeypatch.setenv("AZURE_AI_INFERENCE_EMBEDDING_MODEL_ID", "embed-model")
    monkeypatch.setenv("AZURE_AI_INFERENCE_IMAGE_EMBEDDING_MODEL_ID", "image-model")


@pytest.fixture
async def client(inference_environment: None) -> AsyncIterator[AzureAIInferenceEmbeddingClient]:
    async with AzureAIInferenceEmbeddingClient() as embedding_client:
        yield embedding_client


async def test_text(client: AzureAIInferenceEmbeddingClient, emulator: Emulator, endpoint: Endpoint) -> None:
    result = await client.get_embeddings(["first", "second one"])
    assert [embedding.vector for embedding in result] == [
        embedding_vector("first", 8),
        embedding_vector("second one", 8),
    ]
    assert [(embedding.dimensions, embedding.model_id) for embedding in result] == [(8, "embed-model")] * 2
    assert result.usage == {"input_token_count": 3, "output_token_count": 0}
    assert client.service_url() == endpoint.url("embed")
    (request,) = emulator.requests
    body = {"input": ["first", "second one"], "model": "embed-model"}
    assert_embeddings_request(request, endpoint, "/embeddings", "embed", body)
    assert_user_agent(request)


async def test_options(client: AzureAIInferenceEmbeddingClient, emulator: Emulator, endpoint: Endpoint) -> None:
    """dimensions, input_type, a model per call, and extra parameters, which go through this package's model_extras
    (``user``: an extra on the Model Inference API, a key the v1 API defines; on v1, input_type is not sent)."""
    options = {
        "dimensions": 4,
        "input_type": "query",
        "model_id": "other-model",
        "extra_parameters": {"user": "tester"},
    }
    result = await client.get_embeddings([Content.from_text("third")], options=options)  # type: ignore[arg-type]
    (embedding,) = result
    assert (embedding.vector, embedding.dimensions) == (embedding_vector("third", 4), 4)
    assert embedding.model_id == "other-model"
    assert result.usage == {"input_token_count": 1, "output_token_count": 0}
    (request,) = emulator.requests
    body = {"input": ["third"], "dimensions": 4, "input_type": "query", "model": "other-model", "user": "tester"}
    assert_embeddings_request(request, endpoint, "/embeddings", "embed", body)


async def test_image(client: AzureAIInferenceEmbeddingClient, emulator: Emulator, endpoint: Endpoint) -> None:
    """On Foundry, image embeddings meet the retirement (the v1 API has none): the same request, and its 404."""
    image = Content.from_data(data=PNG, media_type="image/png")
    options = {"dimensions": 4, "input_type": "document"}
    if endpoint.foundry:
        with pytest.raises(ResourceNotFoundError) as caught:
            await client.get_embeddings([image], options=options)  # type: ignore[arg-type]
        assert_images_retired(caught, endpoint)
    else:
        (embedding,) = await client.get_embeddings([image], options=options)  # type: ignore[arg-type]
        assert (embedding.vector, embedding.model_id) == (embedding_vector(IMAGE_SEED, 4), "image-model")
    (request,) = emulator.requests
    body = {"input": [{"image": PNG_DATA_URL}], "dimensions": 4, "input_type": "document", "model": "image-model"}
    assert_embeddings_request(request, endpoint, "/images/embeddings", "embed", body)
    assert_user_agent(request)


async def test_text_and_images_keep_their_order(
    client: AzureAIInferenceEmbeddingClient, emulator: Emulator, endpoint: Endpoint
) -> None:
    """On Foundry the text is embedded, then the images meet the retirement and the call raises its 404."""
    image = Content.from_uri(PNG_DATA_URL, media_type="image/png")
    inputs, options = ["hello", image, "big world"], {"extra_parameters": {"user": "tester"}}
    if endpoint.foundry:
        with pytest.raises(ResourceNotFoundError) as caught:
            await client.get_embeddings(inputs, options=options)  # type: ignore[arg-type]
        assert_images_retired(caught, endpoint)
    else:
        result = await client.get_embeddings(inputs, options=options)  # type: ignore[arg-type]
        assert [embedding.vector for embedding in result] == [
            embedding_vector("hello", 8),
            embedding_vector(IMAGE_SEED, 8),
            embedding_vector("big world", 8),
        ]
        assert [embedding.model_id for embedding in result] == ["embed-model", "image-model", "embed-model"]
        assert result.usage == {"input_token_count": 3 + 1, "output_token_count": 0}  # each image counts one token
    text, images = emulator.requests
    body = {"input": ["hello", "big world"], "model": "embed-model", "user": "tester"}
    assert_embeddings_request(text, endpoint, "/embeddings", "embed", body)
    body = {"input": [{"image": PNG_DATA_URL}], "model": "image-model", "user": "tester"}
    assert_embeddings_request(images, endpoint, "/images/embeddings", "embed", body)


async def test_preconfigured_image_client(inference_environment: None, emulator: Emulator, endpoint: Endpoint) -> None:
    """A client the user built, with defaults of its own, which this package merges into each request."""
    image_client = ImageEmbeddingsClient(endpoint.url("image"), AzureKeyCredential(EMULATOR_KEY), dimensions=2)
    image = Content.from_data(data=PNG, media_type="image/png")
    async with AzureAIInferenceEmbeddingClient(image_client=image_client) as client:
        if endpoint.foundry:
            with pytest.raises(ResourceNotFoundError) as caught:
                await client.get_embeddings([image])
            assert_images_retired(caught, endpoint)
        else:
            (embedding,) = await client.get_embeddings([image])
            assert embedding.vector == embedding_vector(IMAGE_SEED, 2)
    (request,) = emulator.requests
    body = {"input": [{"image": PNG_DATA_URL}], "dimensions": 2, "model": "image-model"}
    assert_embeddings_request(request, endpoint, "/images/embeddings", "image", body)


async def test_wrong_key(inference_environment: None, emulator: Emulator) -> None:
    async with AzureAIInferenceEmbeddingClient(api_key="not-the-key") as client:
        with pytest.raises(ClientAuthenticationError) as caught:
            await client.get_embeddings(["fifth"])
    assert caught.value.status_code == 401
    assert "not-the-key" not in str(caught.value)
    (request,) = emulator.requests
    assert request.headers["api-key"] == "not-the-key"
