"""The routes table (``azure/ai/inference/_routes.py``): endpoint in, route and URLs out.

Sources of the rules: Azure retired the Model Inference API (``/models/**``) of its AI Services resources on
2026-08-26 (Azure/azure-rest-api-specs PR #43907); its successor is the OpenAI v1 API of the same resource, with
no dated api-version and ``model`` required (MicrosoftDocs/azure-ai-docs,
``articles/ai-foundry/how-to/model-inference-to-openai-migration.md``). GitHub Models was retired on 2026-07-30
(MicrosoftDocs/azure-ai-docs PR #811). What the clients then send, over real sockets, is in test_today_azure.py.
"""

from __future__ import annotations

from typing import Any, Optional

import pytest
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError, ServiceRequestError
from azure.core.pipeline.transport import HttpTransport

from azure.ai.inference import ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient
from azure.ai.inference._routes import (
    AZURE_OPENAI,
    MODEL_INFERENCE,
    OPENAI_V1,
    Route,
    add_note,
    route_of,
)
from azure.ai.inference.models import ImageEmbeddingInput, UserMessage

V = "2024-05-01-preview"
FOUNDRY = "https://res.services.ai.azure.com"

# endpoint, api_version (None: not given), route keyword -> kind, base, api-version sent, Azure resource host
TABLE = [
    # The retired route, migrated whatever the api_version (semantic-kernel passes its own)
    (f"{FOUNDRY}/models", None, None, OPENAI_V1, f"{FOUNDRY}/openai/v1", "", True),
    (f"{FOUNDRY}/models/", "2025-08-28", None, OPENAI_V1, f"{FOUNDRY}/openai/v1", "", True),
    ("https://res.cognitiveservices.azure.com/models", "2024-05-01-preview", None, OPENAI_V1,
     "https://res.cognitiveservices.azure.com/openai/v1", "", True),
    ("https://RES.openai.azure.com/Models", None, None, OPENAI_V1, "https://RES.openai.azure.com/openai/v1", "", True),
    # ... unless kept on purpose
    (f"{FOUNDRY}/models", None, "model_inference", MODEL_INFERENCE, f"{FOUNDRY}/models", V, True),
    (f"{FOUNDRY}/models", "2025-05-01", "model_inference", MODEL_INFERENCE, f"{FOUNDRY}/models", "2025-05-01", True),
    # v1 endpoints given directly: no api-version needed; a dated one is never sent, v1's own values are
    (f"{FOUNDRY}/openai/v1", None, None, OPENAI_V1, f"{FOUNDRY}/openai/v1", "", True),
    ("https://res.openai.azure.com/openai/v1/", "2024-10-21", None, OPENAI_V1,
     "https://res.openai.azure.com/openai/v1/", "", True),
    ("https://res.openai.azure.com/openai/v1", "preview", None, OPENAI_V1,
     "https://res.openai.azure.com/openai/v1", "preview", True),
    ("http://127.0.0.1:8080/v1", None, None, OPENAI_V1, "http://127.0.0.1:8080/v1", "", False),
    ("http://127.0.0.1:8080", "", None, OPENAI_V1, "http://127.0.0.1:8080", "", False),
    ("http://127.0.0.1:8080", None, "openai_v1", OPENAI_V1, "http://127.0.0.1:8080", "", False),
    # Azure OpenAI deployments: unchanged
    ("https://res.openai.azure.com/openai/deployments/gpt", "2024-06-01", None, AZURE_OPENAI,
     "https://res.openai.azure.com/openai/deployments/gpt", "2024-06-01", True),
    (f"{FOUNDRY}/openai/deployments/gpt/", None, None, AZURE_OPENAI, f"{FOUNDRY}/openai/deployments/gpt/", V, True),
    # Managed Compute, Serverless, emulators: 1.0.0b9's route
    ("https://ep.eastus2.inference.ml.azure.com/score", None, None, MODEL_INFERENCE,
     "https://ep.eastus2.inference.ml.azure.com/score", V, False),
    ("https://m.eastus2.models.ai.azure.com", None, None, MODEL_INFERENCE, "https://m.eastus2.models.ai.azure.com",
     V, False),
    ("http://127.0.0.1:8080/models", None, None, MODEL_INFERENCE, "http://127.0.0.1:8080/models", V, False),
    ("http://127.0.0.1:8080", None, None, MODEL_INFERENCE, "http://127.0.0.1:8080", V, False),
    # a query in the endpoint: left to azure-core's URL joining, as in 1.0.0b9
    (f"{FOUNDRY}/models?x=1", None, None, MODEL_INFERENCE, f"{FOUNDRY}/models?x=1", V, True),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "api_version", "route", "kind", "base", "sent", "azure"), TABLE)
def test_route_of(
    endpoint: str, api_version: Optional[str], route: Optional[str], kind: str, base: str, sent: str, azure: bool
) -> None:
    found = route_of(endpoint, api_version, route)
    assert (found.kind, found.base, found.api_version, found.azure) == (kind, base, sent, azure)
    assert found.requires_model == (kind == OPENAI_V1 and azure)
    assert found.bearer_key == (not found.requires_model)


def test_image_embeddings_keep_the_models_route_which_names_its_retirement() -> None:
    found = route_of(f"{FOUNDRY}/models", "2025-08-28", images=True)
    assert (found.kind, found.base, found.api_version) == (MODEL_INFERENCE, f"{FOUNDRY}/models", "2025-08-28")
    note = found.note(404)
    assert note is not None and "2026-08-26" in note and f"{FOUNDRY}/openai/v1" in note and "no image" in note
    assert found.note(410) == note
    assert found.note(400) is None and found.note(None) is None  # other errors, and not reaching it, are others'


def test_kept_models_route_names_the_retirement_on_404_and_410() -> None:
    found = route_of(f"{FOUNDRY}/models", route="model_inference")
    note = found.note(404)
    assert note is not None and "retired" in note and "2026-08-26" in note and f"{FOUNDRY}/openai/v1" in note
    assert found.note(410) == note and found.note(401) is None
    for alive in (f"{FOUNDRY}/openai/v1", "https://res.openai.azure.com/openai/deployments/gpt", "http://127.0.0.1"):
        assert route_of(alive).note(404) is None


@pytest.mark.parametrize("endpoint", [f"{FOUNDRY}/openai/v1", "http://127.0.0.1:9/v1"])
def test_image_embeddings_on_a_v1_endpoint_say_v1_has_none(endpoint: str) -> None:
    found = route_of(endpoint, images=True)
    assert found.kind == OPENAI_V1 and found.base == endpoint
    assert found.note(404) is not None and "has no image embeddings operation" in found.note(404)
    assert route_of(endpoint).note(404) is None  # the chat and text embeddings operations exist there


@pytest.mark.parametrize("endpoint", ["https://models.inference.ai.azure.com", "https://models.github.ai/inference"])
def test_github_models_hosts_are_retired(endpoint: str) -> None:
    found = route_of(endpoint)
    assert found.kind == MODEL_INFERENCE and found.base == endpoint and found.api_version == V
    note = found.note(None)  # its host no longer answers: not reaching it is explained too
    assert note is not None and "GitHub Models" in note and "2026-07-30" in note
    assert found.note(404) == note and found.note(400) is None


@pytest.mark.parametrize("bad", ["models", "OPENAI_V1", ""])
def test_an_unknown_route_keyword_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="route must be one of 'model_inference', 'openai_v1' or None"):
        route_of(f"{FOUNDRY}/models", route=bad)


def test_add_note_keeps_the_rest_of_the_exception() -> None:
    exc = HttpResponseError(message="(404) Resource not found")
    exc.status_code = 404
    add_note(exc, "It was retired.")
    assert exc.message == "It was retired.\n(404) Resource not found"
    assert str(exc) == "It was retired.\n(404) Resource not found" and exc.status_code == 404
    add_note(exc, None)
    assert str(exc) == "It was retired.\n(404) Resource not found"


class _Sent(Exception):
    """Raised by the transport below with the request it was given: nothing is sent anywhere."""


class _CaptureTransport(HttpTransport):  # type: ignore[misc]
    def send(self, request: Any, **kwargs: Any) -> Any:
        raise _Sent(request)

    def open(self) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Any:
        return self

    def __exit__(self, *args: Any) -> None: ...


def _sent(call: Any) -> Any:
    with pytest.raises(_Sent) as caught:
        call()
    return caught.value.args[0]


# endpoint, client keywords -> URLs of chat, embeddings, image embeddings and model info
URLS = [
    (f"{FOUNDRY}/models", {"model": "dep", "api_version": "2025-08-28"},
     f"{FOUNDRY}/openai/v1/chat/completions", f"{FOUNDRY}/openai/v1/embeddings",
     f"{FOUNDRY}/models/images/embeddings?api-version=2025-08-28", f"{FOUNDRY}/openai/v1/models/dep"),
    (f"{FOUNDRY}/models", {"model": "my dep/1", "route": "model_inference"},
     f"{FOUNDRY}/models/chat/completions?api-version={V}", f"{FOUNDRY}/models/embeddings?api-version={V}",
     f"{FOUNDRY}/models/images/embeddings?api-version={V}", f"{FOUNDRY}/models/info?api-version={V}"),
    ("http://127.0.0.1:9/v1", {},
     "http://127.0.0.1:9/v1/chat/completions", "http://127.0.0.1:9/v1/embeddings",
     "http://127.0.0.1:9/v1/images/embeddings", "http://127.0.0.1:9/v1/models"),
    ("https://res.openai.azure.com/openai/v1", {"model": "my dep/1"},
     "https://res.openai.azure.com/openai/v1/chat/completions", "https://res.openai.azure.com/openai/v1/embeddings",
     "https://res.openai.azure.com/openai/v1/images/embeddings",
     "https://res.openai.azure.com/openai/v1/models/my%20dep%2F1"),
    ("https://res.openai.azure.com/openai/deployments/gpt", {"api_version": "2024-06-01"},
     "https://res.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-06-01",
     "https://res.openai.azure.com/openai/deployments/gpt/embeddings?api-version=2024-06-01",
     "https://res.openai.azure.com/openai/deployments/gpt/images/embeddings?api-version=2024-06-01",
     "https://res.openai.azure.com/openai/deployments/gpt/info?api-version=2024-06-01"),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "kwargs", "chat", "embeddings", "images", "info"), URLS)
def test_urls_sent(endpoint: str, kwargs: dict[str, Any], chat: str, embeddings: str, images: str, info: str) -> None:
    key = AzureKeyCredential("k")
    options = {**kwargs, "transport": _CaptureTransport(), "retry_total": 0}
    chat_client = ChatCompletionsClient(endpoint, key, **options)
    assert _sent(lambda: chat_client.complete(messages=[UserMessage("hi")])).url == chat
    assert _sent(chat_client.get_model_info).url == info
    embed = EmbeddingsClient(endpoint, key, **options)
    assert _sent(lambda: embed.embed(input=["a"])).url == embeddings
    image = ImageEmbeddingsClient(endpoint, key, **options)
    assert _sent(lambda: image.embed(input=[ImageEmbeddingInput(image="data:image/png;base64,AAAA")])).url == images


def test_a_key_goes_once_to_azure_v1_and_twice_elsewhere() -> None:
    key = AzureKeyCredential("secret")
    headers = {}
    for endpoint in (f"{FOUNDRY}/models", "http://127.0.0.1:9/v1", f"{FOUNDRY}/openai/deployments/d"):
        client = ChatCompletionsClient(endpoint, key, model="dep", transport=_CaptureTransport())
        headers[endpoint] = _sent(lambda c=client: c.complete(messages=[UserMessage("hi")])).headers
    assert headers[f"{FOUNDRY}/models"]["api-key"] == "secret"
    assert "Authorization" not in headers[f"{FOUNDRY}/models"]
    for endpoint in ("http://127.0.0.1:9/v1", f"{FOUNDRY}/openai/deployments/d"):
        assert headers[endpoint]["api-key"] == "secret" and headers[endpoint]["Authorization"] == "Bearer secret"


def test_route_is_decided_once_per_client() -> None:
    client = ChatCompletionsClient(f"{FOUNDRY}/models", AzureKeyCredential("k"), model="d", api_version="2025-08-28")
    assert client._route == Route(OPENAI_V1, f"{FOUNDRY}/openai/v1", "", True)
    assert client._config.endpoint == f"{FOUNDRY}/models"  # what the user gave stays visible
    assert client._config.api_version == ""


def test_github_models_not_reached_says_it_was_retired() -> None:
    class Unreachable(_CaptureTransport):
        def send(self, request: Any, **kwargs: Any) -> Any:
            raise ServiceRequestError("Failed to resolve 'models.inference.ai.azure.com'")

    client = ChatCompletionsClient("https://models.inference.ai.azure.com", AzureKeyCredential("k"),
                                   transport=Unreachable(), retry_total=0)  # fmt: skip
    with pytest.raises(ServiceRequestError) as caught:
        client.complete(messages=[UserMessage("hi")], model="gpt-4o")
    assert str(caught.value).startswith("GitHub Models (models.inference.ai.azure.com) was retired on 2026-07-30.")
    assert "Failed to resolve 'models.inference.ai.azure.com'" in str(caught.value)
