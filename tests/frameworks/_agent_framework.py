"""What the two Agent Framework embedding clients' tests share: they run in different venvs (scripts/frameworks.sh)
but drive azure-ai-inference the same way, through the aio EmbeddingsClient and ImageEmbeddingsClient."""

from __future__ import annotations

import base64
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import ResourceNotFoundError

from ..emulator import EMULATOR_KEY, RecordedRequest
from .conftest import Endpoint

PNG = (Path(__file__).resolve().parents[2] / "samples" / "data" / "sample_image.png").read_bytes()
PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(PNG).decode("ascii")
IMAGE_SEED = PNG_DATA_URL + "\n"  # the emulator's seed for an image input without text
# The Model Inference API's embeddings keys, in the order azure-ai-inference sends them; extras follow them.
KEY_ORDER = ["input", "dimensions", "encoding_format", "input_type", "model"]


def assert_embeddings_request(
    request: RecordedRequest, endpoint: Endpoint, route: str, model: str, body: dict[str, Any]
) -> None:
    """One embeddings request as azure-ai-inference sends it to ``endpoint``: route, query, auth headers, the body
    (``body`` as the framework gave it; `Endpoint.sent_body` says what reaches the wire) with its keys in order, and
    ``extra-parameters: pass-through`` exactly when the body holds keys beyond the standard on the Model Inference
    API (on the v1 API the extras go to the body root without it)."""
    assert (request.method, request.path) == ("POST", endpoint.path(route, model))
    assert request.query == endpoint.query(route)
    assert (request.headers.get("api-key"), request.headers.get("Authorization")) == endpoint.auth(route, EMULATOR_KEY)
    sent = request.json()
    assert sent == endpoint.sent_body(route, body)
    standard = [key for key in sent if key in KEY_ORDER]
    assert list(sent) == sorted(standard, key=KEY_ORDER.index) + [key for key in sent if key not in KEY_ORDER]
    extras = any(key not in KEY_ORDER for key in sent)
    assert request.headers.get("extra-parameters") == endpoint.extra_parameters(route, extras)


def assert_images_retired(caught: pytest.ExceptionInfo[ResourceNotFoundError], endpoint: Endpoint) -> None:
    """Image embeddings on Foundry: the v1 API has none, so the package keeps the retired /models route, whose
    404 names the retirement and the v1 endpoint (the service's answer stays on the exception)."""
    message = str(caught.value)
    assert caught.value.status_code == 404
    assert message.startswith("Azure retired the Azure AI Model Inference API") and "2026-08-26" in message
    assert f"{endpoint.base.removesuffix('/models')}/openai/v1, which has no image embeddings" in message


def assert_user_agent(request: RecordedRequest, prefix: str = "") -> None:
    """The framework's user agent, if it gives one, goes first, then this package's (then Python's and the
    platform's, and a comment that a framework's policy may add)."""
    package = f"azsdk-python-ai-inference/{metadata.version('azure-ai-inference')} Python/"
    assert request.headers["User-Agent"].startswith(f"{prefix} {package}" if prefix else package)
