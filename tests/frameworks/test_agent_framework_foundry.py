"""agent-framework-foundry (with agent-framework-core 1.23, as `agent-framework` 1.23 installs them):
FoundryEmbeddingClient on a Foundry Models endpoint, configured as its docstring shows.

The client is async only. On a Foundry Models endpoint it embeds text through this package's aio EmbeddingsClient
and images through its ImageEmbeddingsClient, both built with the framework's user agent and a per-retry policy of
its own, and it reads the results' vectors, model and usage.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from agent_framework import Content
from agent_framework._telemetry import get_user_agent
from agent_framework.foundry import FoundryEmbeddingClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError, ResourceNotFoundError

from azure.ai.inference.aio import EmbeddingsClient

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


@pytest.fixture
def foundry_environment(monkeypatch: pytest.MonkeyPatch, endpoint: Endpoint) -> None:
    """The settings its docstring has users put in the environment for a Foundry Models endpoint."""
    monkeypatch.setenv("FOUNDRY_MODELS_ENDPOINT", endpoint.url("embed"))
    monkeypatch.setenv("FOUNDRY_MODELS_API_KEY", EMULATOR_KEY)
    monkeypatch.setenv("FOUNDRY_EMBEDDING_MODEL", "embed-model")
    for name in ("FOUNDRY_PROJECT_ENDPOINT", "FOUNDRY_IMAGE_EMBEDDING_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def client(foundry_environment: None) -> AsyncIterator[FoundryEmbeddingClient]:
    async with FoundryEmbeddingClient(image_model="image-model") as embedding_client:
        yield embedding_client


async def test_text(client: FoundryEmbeddingClient, emulator: Emulator, endpoint: Endpoint) -> None:
    result = await client.get_embeddings(["first", "second one"])
    assert [embedding.vector for embedding in result] == [
        embedding_vector("first", 8),
        embedding_vector("second one", 8),
    ]
    assert [(embedding.dimensions, embedding.model) for embedding in result] == [(8, "embed-model")] * 2
    assert result.usage == {"input_token_count": 3, "output_token_count": 0}
    assert client.service_url() == endpoint.url("embed")
    (request,) = emulator.requests
    body = {"input": ["first", "second one"], "model": "embed-model"}
    assert_embeddings_request(request, endpoint, "/embeddings", "embed", body)
    assert_user_agent(request, get_user_agent())


async def test_options(client: FoundryEmbeddingClient, emulator: Emulator, endpoint: Endpoint) -> None:
    """dimensions, input_type, a model per call, and extra parameters, which go through this package's model_extras
    (``user``: an extra on the Model Inference API, a key the v1 API defines; on v1, input_type is not sent)."""
    options = {"dimensions": 4, "input_type": "query", "model": "other-model", "extra_parameters": {"user": "tester"}}
    result = await client.get_embeddings([Content.from_text("third")], options=options)  # type: ignore[arg-type]
    (embedding,) = result
    assert (embedding.vector, embedding.dimensions, embedding.model) == (embedding_vector("third", 4), 4, "other-model")
    assert result.options == options
    assert result.usage == {"input_token_count": 1, "output_token_count": 0}
    (request,) = emulator.requests
    body = {"input": ["third"], "dimensions": 4, "input_type": "query", "model": "other-model", "user": "tester"}
    assert_embeddings_request(request, endpoint, "/embeddings", "embed", body)


async def test_image(client: FoundryEmbeddingClient, emulator: Emulator, endpoint: Endpoint) -> None:
    """On Foundry, image embeddings meet the retirement (the v1 API has none): the same request, and its 404."""
    image = Content.from_data(data=PNG, media_type="image/png")
    options = {"dimensions": 4, "input_type": "document"}
    if endpoint.foundry:
        with pytest.raises(ResourceNotFoundError) as caught:
            await client.get_embeddings([image], options=options)  # type: ignore[arg-type]
        assert_images_retired(caught, endpoint)
    else:
        (embedding,) = await client.get_embeddings([image], options=options)  # type: ignore[arg-type]
        assert (embedding.vector, embedding.model) == (embedding_vector(IMAGE_SEED, 4), "image-model")
    (request,) = emulator.requests
    body = {"input": [{"image": PNG_DATA_URL}], "dimensions": 4, "input_type": "document", "model": "image-model"}
    assert_embeddings_request(request, endpoint, "/images/embeddings", "embed", body)
    assert_user_agent(request, get_user_agent())


async def test_text_and_images_keep_their_order(
    client: FoundryEmbeddingClient, emulator: Emulator, endpoint: Endpoint
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
        assert [embedding.model for embedding in result] == ["embed-model", "image-model", "embed-model"]
        assert result.usage == {"input_token_count": 3 + 1, "output_token_count": 0}  # each image counts one token
    text, images = emulator.requests
    body = {"input": ["hello", "big world"], "model": "embed-model", "user": "tester"}
    assert_embeddings_request(text, endpoint, "/embeddings", "embed", body)
    body = {"input": [{"image": PNG_DATA_URL}], "model": "image-model", "user": "tester"}
    assert_embeddings_request(images, endpoint, "/images/embeddings", "embed", body)


async def test_preconfigured_text_client(emulator: Emulator, endpoint: Endpoint) -> None:
    """A client the user built, with defaults of its own, which this package merges into each request."""
    url = endpoint.url("embed")
    text_client = EmbeddingsClient(url, AzureKeyCredential(EMULATOR_KEY), dimensions=2)
    async with FoundryEmbeddingClient(model="embed-model", endpoint=url, text_client=text_client) as client:
        (embedding,) = await client.get_embeddings(["fourth"], options={"input_type": "document"})
    assert embedding.vector == embedding_vector("fourth", 2)
    (request,) = emulator.requests
    body = {"input": ["fourth"], "dimensions": 2, "input_type": "document", "model": "embed-model"}
    assert_embeddings_request(request, endpoint, "/embeddings", "embed", body)


async def test_wrong_key(foundry_environment: None, emulator: Emulator) -> None:
    async with FoundryEmbeddingClient(api_key="not-the-key") as client:
        with pytest.raises(ClientAuthenticationError) as caught:
            await client.get_embeddings(["fifth"])
    assert caught.value.status_code == 401
    assert "not-the-key" not in str(caught.value)
    (request,) = emulator.requests
    assert request.headers["api-key"] == "not-the-key"
