"""Which API a client speaks, and the URLs it uses, decided once from its endpoint (no I/O).

Three routes, one rule each (sources in the README's "Endpoints" section and the CHANGELOG):

- **Model Inference** (1.0.0b9's bytes): operations under the endpoint, ``?api-version=<dated>``, ``/info``.
  Managed Compute, Serverless, emulators and every host that is not an Azure AI Services resource.
- **Azure OpenAI deployments**: ``.../openai/deployments/<name>`` endpoints, the same bytes as Model Inference.
- **OpenAI v1**: operations under ``.../openai/v1`` or ``.../v1``, no dated ``api-version``, models listed at
  ``/models``. On an Azure AI Services resource host the deployment name (``model``) is required and a key goes
  in ``api-key`` only.

Azure retired the Model Inference API on its AI Services resources on 2026-08-26 (Azure/azure-rest-api-specs
PR #43907; Microsoft Learn's migration guide ``model-inference-to-openai-migration``): an endpoint on such a host
whose path is ``/models`` is migrated to ``https://<same host>/openai/v1``, whatever ``api_version`` the client was
given (frameworks pass their own). ``route="model_inference"`` keeps 1.0.0b9's route. GitHub Models
(``models.inference.ai.azure.com``, ``models.github.ai``) was retired on 2026-07-30: its route is unchanged and its
errors say so.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, Optional
from urllib.parse import urlparse

MODEL_INFERENCE = "model_inference"
AZURE_OPENAI = "azure_openai"
OPENAI_V1 = "openai_v1"
ROUTES = (MODEL_INFERENCE, OPENAI_V1)
"""The values of the ``route=`` keyword (``AZURE_OPENAI`` follows from the endpoint)."""

DEFAULT_API_VERSION = "2024-05-01-preview"
AZURE_RESOURCE_HOSTS = (".services.ai.azure.com", ".cognitiveservices.azure.com", ".openai.azure.com")
GITHUB_MODELS_HOSTS = ("models.inference.ai.azure.com", "models.github.ai")
_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}")

MODELS_RETIRED = (
    "Azure retired the Azure AI Model Inference API (the /models route of Azure AI Services resources) on "
    "2026-08-26. Use the OpenAI v1 endpoint of the same resource, {v1}, "
)
V1_NO_IMAGES = (
    "The OpenAI v1 API has no image embeddings operation. Embed images at an endpoint that serves the Model "
    "Inference API's /images/embeddings route, such as a Managed Compute or serverless deployment."
)
_V1_BY_DEFAULT = "which this client uses unless it is given route='model_inference'."
_NO_IMAGES = "which has no image embeddings: embed the images with another service or model."
GITHUB_MODELS_RETIRED = (
    "GitHub Models ({host}) was retired on 2026-07-30. Deploy the model in Azure AI Foundry and use its OpenAI v1 "
    "endpoint, https://<resource>.services.ai.azure.com/openai/v1, with that resource's key or Entra ID."
)


class Route(NamedTuple):
    """What a client sends where: the result of ``route_of``."""

    kind: str
    """``MODEL_INFERENCE``, ``AZURE_OPENAI`` or ``OPENAI_V1``."""
    base: str
    """The URL the operations' paths (``/chat/completions``...) are appended to."""
    api_version: str
    """The ``api-version`` query value; ``""`` sends none."""
    azure: bool
    """On an Azure AI Services resource host: on OpenAI v1, ``model`` is required and a key goes in ``api-key`` only."""
    retired: Optional[str] = None
    """What a 404 or 410 here means, said in its errors (``note``): a retirement, or an operation that is not."""
    gone: bool = False
    """Whether the whole host was retired, so that not reaching it is explained by ``retired`` too."""

    def note(self, status: Optional[int]) -> Optional[str]:
        """What to add to an error with this HTTP ``status`` (``None``: the service was not reached)."""
        return self.retired if status in (404, 410) or (status is None and self.gone) else None

    @property
    def requires_model(self) -> bool:
        return self.kind == OPENAI_V1 and self.azure

    @property
    def bearer_key(self) -> bool:
        """Whether a key is also sent as ``Authorization: Bearer``, as 1.0.0b9 did (not to Azure's v1 API)."""
        return not self.requires_model


def route_of(
    endpoint: str, api_version: Optional[str] = None, route: Optional[str] = None, *, images: bool = False
) -> Route:
    """The route of a client built for ``endpoint``.

    :param api_version: The constructor's ``api_version``, ``None`` when not given.
    :param route: The constructor's ``route``: ``"model_inference"`` keeps 1.0.0b9's route, ``"openai_v1"`` takes
        the v1 API under the endpoint; ``None`` decides from the endpoint.
    :param images: For an image embeddings client: the v1 API has no image embeddings, so a ``/models`` endpoint
        keeps its route (and its errors name the retirement).
    """
    if route is not None and route not in ROUTES:
        raise ValueError(f"route must be one of {', '.join(map(repr, ROUTES))} or None, not {route!r}")
    parsed = urlparse(endpoint)
    host = (parsed.hostname or "").lower()
    path = parsed.path.rstrip("/").lower()
    azure = host.endswith(AZURE_RESOURCE_HOSTS)
    given = DEFAULT_API_VERSION if api_version is None else api_version
    gone = host in GITHUB_MODELS_HOSTS
    retired = GITHUB_MODELS_RETIRED.format(host=host) if gone else None
    if route != MODEL_INFERENCE and not parsed.query and not parsed.fragment:
        if azure and path == "/models" and not images:  # the retired route: its successor on the same resource
            return Route(OPENAI_V1, f"{parsed.scheme}://{parsed.netloc}/openai/v1", _v1_version(api_version), True)
        if route == OPENAI_V1 or api_version == "" or path.endswith(("/openai/v1", "/v1")):
            if images and not retired:
                retired = V1_NO_IMAGES
            return Route(OPENAI_V1, endpoint, _v1_version(api_version), azure, retired, gone)
    kind = AZURE_OPENAI if "/openai/deployments/" in f"{path}/" else MODEL_INFERENCE
    if azure and kind == MODEL_INFERENCE and path == "/models":
        retired = MODELS_RETIRED.format(v1=f"{parsed.scheme}://{parsed.netloc}/openai/v1")
        retired += _NO_IMAGES if images else _V1_BY_DEFAULT
    return Route(kind, endpoint, given, azure, retired, gone)


def _v1_version(api_version: Optional[str]) -> str:
    """The v1 API takes no dated ``api-version`` (Azure refuses one: 400 "API version not supported");
    ``v1`` and ``preview`` are its own values (the v1 spec's ``AzureAIFoundryModelsApiVersion``), sent when given."""
    return "" if api_version is None or _DATED.match(api_version) else api_version


def add_note(exc: Any, note: Optional[str]) -> None:
    """Put ``note`` first in an azure-core exception's message and ``str()``; the rest of it stays."""
    if note:
        exc.message = f"{note}\n{exc.message}"
        exc.args = (f"{note}\n{exc.args[0] if exc.args else ''}", *exc.args[1:])
