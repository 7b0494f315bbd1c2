"""What the two Agent Framework embedding clients' tests share: they run in different venvs (scripts/frameworks.sh)
but drive azure-ai-inference the same way, through the aio EmbeddingsClient and ImageEmbeddingsClient."""

from __future__ import annotations

import base64
from importlib import metadata
from pathlib import Path
from typing import Any

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
    """One embeddings request as azure-ai-inference sends it: route, api-version, both auth headers, the body with
    its keys in order, and ``extra-parameters: pass-through`` exactly when the body holds keys beyond the standard."""
    assert (request.method, request.path) == ("POST", endpoint.path(route, model))
    assert request.query == {"api-version": "2024-05-01-preview"}
    assert (request.headers["api-key"], request.headers["Authorization"]) == (EMULATOR_KEY, f"Bearer {EMULATOR_KEY}")
    sent = request.json()
    assert sent == body
    standard = [key for key in sent if key in KEY_ORDER]
    assert list(sent) == sorted(standard, key=KEY_ORDER.index) + [key for key in sent if key not in KEY_ORDER]
    extras = any(key not in KEY_ORDER for key in sent)
    assert request.headers.get("extra-parameters") == ("pass-through" if extras else None)


def assert_user_agent(request: RecordedRequest, prefix: str = "") -> None:
    """The framework's user agent, if it gives one, goes first, then this package's (then Python's and the
    platform's, and a comment that a framework's policy may add)."""
    package = f"azsdk-python-ai-inference/{metadata.version('azure-ai-inference')} Python/"
    assert request.headers["User-Agent"].startswith(f"{prefix} {package}" if prefix else package)
