"""Today's Azure (2026-12) as the emulator serves it when built with ``Emulator(azure=True)``.

Which behaviour a request meets is decided by the host it names (the ``Host`` header), so one TLS emulator behind
the CONNECT proxy (``tests/azure_tls.py``) answers every host name:

- an **Azure AI Services resource** (``*.services.ai.azure.com``, ``*.openai.azure.com``,
  ``*.cognitiveservices.azure.com``): the Model Inference routes (``/models/**``, any ``/info``) are gone (404);
  the OpenAI v1 API lives under ``/openai/v1``; Azure OpenAI's classic ``/openai/deployments/<name>/...`` route
  still answers;
- **GitHub Models** (``models.inference.ai.azure.com``, ``models.github.ai``): retired, every request gets
  410 with GitHub's retirement error (``github_status`` changes the status);
- any other host (Serverless ``*.models.ai.azure.com``, Managed Compute ``*.inference.ml.azure.com``, ...): the
  emulator's default Model Inference behaviour.

Sources, for the facts below (quoted in the report of the branch that added this module):

- Retirement of ``/models/**`` on 2026-08-26 and its successor: MicrosoftDocs/azure-ai-docs
  ``articles/ai-foundry/how-to/model-inference-to-openai-migration.md`` (endpoint ``<resource>/openai/v1``, no
  ``api-version``, ``model`` = the deployment name always required, key or Entra ID; its Python example passes the
  key to ``openai.OpenAI(api_key=...)``, which sends it as ``Authorization: Bearer <key>``).
- The v1 contract: Azure/azure-rest-api-specs ``specification/ai/data-plane/OpenAI.v1/azure-v1-v1-generated.yaml``:
  ``api-version`` is optional and, when given, one of ``v1`` / ``preview`` (``AzureAIFoundryModelsApiVersion``);
  ``AzureCreateEmbeddingRequest`` has ``model`` (required), ``input``, ``encoding_format`` (``float`` | ``base64``),
  ``dimensions``, ``user``: no ``input_type``; the header ``extra-parameters`` is not part of it; chat responses carry
  ``prompt_filter_results`` and each choice ``content_filter_results``; ``/models`` and ``/models/{model}`` exist.
- A dated ``api-version`` on v1: ``400 {"error":{"code":"BadRequest","message":"API version not supported"}}``
  (hotovo/aider-desk #460).
- Unknown body keys on Azure OpenAI: ``400 "Unrecognized request argument supplied: <name>"`` with the OpenAI error
  shape (quarkiverse/quarkus-langchain4j #285 shows the body; esengine/DeepSeek-Reasonix #1299 shows the same 400
  from ``https://<project>.services.ai.azure.com/openai/v1/`` for a root key ``extra_body``). OpenAI-model
  deployments have also answered ``400 "Unknown parameter: 'reasoning_effort'."`` (code ``unknown_parameter``,
  run-llama/llama_index #17731): a client should rely on the 400, not on the words.
- ``/openai/models`` entries with ``capabilities``: Learn REST reference "Models - List" (api-version 2024-10-21):
  it lists the base and fine-tuned *models* the resource can use (``id`` is the model name), deployed or not, not
  its deployments. (The v1 spec declares only OpenAI's ``Model`` shape for ``/models``; the entries here follow
  the documented Azure listing.)
- The first streamed chunk with empty ``choices`` and ``prompt_filter_results``: AbanteAI/mentat #429,
  CoderCookE/vim-llm-agent #37, InternLM/MindSearch #310 (each quotes the chunk).
- "Either API-KEY or Authorization header must be provided but not both" (langchain-ai/langchainjs #3856) is the
  message of EPAM's AI DIAL gateway (epam/ai-dial-core ``Proxy.java``), an Azure-OpenAI-compatible proxy, not of an
  Azure front end; later DIAL versions accept both when they carry the same key. Refusing both on v1 is therefore a
  stricter-than-Azure switch (``refuse_both_auth_headers``), on by default so tests show the client sends one.
- GitHub Models since its retirement (2026-07-30): ``410 {"error": {"code": "github_models_retirement_brownout",
  "message": "GitHub Models is temporarily unavailable as part of a scheduled retirement brownout."}}`` from
  ``https://models.github.ai/inference`` on 2026-08-18 (microsoft/langchain-for-beginners #34; tidyverse/ellmer
  #1069 and Maintainerr/Maintainerr #3492 report the same 410). No report shows ``models.inference.ai.azure.com``
  after the date ("no longer works", karthink/gptel #1503): it is given the same answer.
- Not found in any public source, so chosen here and marked so: the body for a missing ``model`` and the 404 of
  an unknown ``/models/<id>``.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .emulator import CHAT_KEYS, CREATED, _error, _Reject, _StreamedCompletion, _text_inputs

if TYPE_CHECKING:
    from .emulator import Emulator

AZURE_HOSTS = ("*.services.ai.azure.com", "*.openai.azure.com", "*.cognitiveservices.azure.com")
GITHUB_HOSTS = ("models.inference.ai.azure.com", "models.github.ai")
V1 = "/openai/v1"
V1_API_VERSIONS = frozenset(["v1", "preview"])
# Request keys the Azure OpenAI chat and embeddings operations define (the v1 spec's AzureCreate*Request);
# the classic route's embeddings also define input_type (its dated specs do; the v1 one does not).
AZURE_CHAT_KEYS = CHAT_KEYS | frozenset([
    "max_completion_tokens", "metadata", "modalities", "reasoning_effort", "data_sources", "logit_bias",
    "prediction", "audio", "store", "user_security_context",
])  # fmt: skip
V1_EMBEDDINGS_KEYS = frozenset(["input", "model", "encoding_format", "dimensions", "user"])
CLASSIC_EMBEDDINGS_KEYS = V1_EMBEDDINGS_KEYS | {"input_type"}
SAFE = {"filtered": False, "severity": "safe"}
CONTENT_FILTERS = {"hate": SAFE, "self_harm": SAFE, "sexual": SAFE, "violence": SAFE}
PROMPT_FILTERS = [
    {
        "prompt_index": 0,
        "content_filter_results": {**CONTENT_FILTERS, "jailbreak": {"filtered": False, "detected": False}},
    }
]
CAPABILITY_NAMES = ("fine_tune", "inference", "completion", "chat_completion", "embeddings")
NOT_HANDLED = object()  # the default Model Inference behaviour answers


@dataclass(frozen=True)
class Deployment:
    """A model deployment on the emulated resource: what it does (``chat`` or ``embeddings``) and its model."""

    kind: str
    model: str


def default_deployments() -> dict[str, Deployment]:
    """One chat and one embeddings deployment, each named after its model (the portal's default name)."""
    return {
        "gpt-4o-mini": Deployment("chat", "gpt-4o-mini"),
        "text-embedding-3-small": Deployment("embeddings", "text-embedding-3-small"),
    }


def host_kind(host: str) -> str:
    """``azure``, ``github`` or ``other``, for a Host header value (the port, if any, is ignored)."""
    name = host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()
    if name in GITHUB_HOSTS:
        return "github"
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in AZURE_HOSTS):
        return "azure"
    return "other"


def openai_error(status: int, message: str, *, param: str | None = None, code: str | None = None) -> _Reject:
    """The OpenAI error shape Azure OpenAI uses for request validation."""
    error = {"message": message, "type": "invalid_request_error", "param": param, "code": code}
    return _Reject(status, {"error": error})


RESOURCE_NOT_FOUND = ("404", "Resource not found")
GITHUB_RETIRED = "GitHub Models is temporarily unavailable as part of a scheduled retirement brownout."
INVALID_KEY = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for "
    "an active subscription and use a correct regional API endpoint for your resource."
)
DEPLOYMENT_NOT_FOUND = (
    "The API deployment for this resource does not exist. If you created the deployment within the last 5 "
    "minutes, please wait a moment and try again."
)


@dataclass
class AzureToday:
    """The settings of today's Azure in one emulator; ``Emulator.reset()`` makes a fresh one."""

    deployments: dict[str, Deployment] = field(default_factory=default_deployments)
    # Models the resource can deploy but has not: the listing holds them too, so an entry proves no deployment.
    undeployed: dict[str, str] = field(
        default_factory=lambda: {"gpt-4.1": "chat", "text-embedding-3-large": "embeddings"}
    )
    refuse_both_auth_headers: bool = True  # on /openai/v1 only; see the module docstring
    github_status: int = 410

    def answer(
        self, emulator: Emulator, method: str, host: str, path: str, query: Mapping[str, str], headers: Any, raw: bytes
    ) -> Any:
        """The answer for ``host``, a `_Reject`, or `NOT_HANDLED` when the default behaviour applies."""
        kind = host_kind(host)
        if kind == "github":
            raise _error(self.github_status, "github_models_retirement_brownout", GITHUB_RETIRED)
        if kind != "azure":
            return NOT_HANDLED
        path = path.rstrip("/") or "/"
        if path == "/models" or path.startswith("/models/") or path.endswith("/info"):
            raise _error(404, *RESOURCE_NOT_FOUND)
        if path == V1 or path.startswith(V1 + "/"):
            return self._v1(emulator, method, path[len(V1) :], query, headers, raw)
        parts = path.split("/")  # "", "openai", "deployments", <name>, <operation...>
        if len(parts) >= 5 and parts[1:3] == ["openai", "deployments"]:
            return self._classic(emulator, method, parts[3], "/" + "/".join(parts[4:]), query, headers, raw)
        raise _error(404, *RESOURCE_NOT_FOUND)

    def _authorize(self, emulator: Emulator, headers: Any, *, refuse_both: bool) -> None:
        key, authorization = headers.get("api-key"), headers.get("Authorization")
        if refuse_both and key is not None and authorization is not None:
            raise _error(400, "BadRequest", "Either API-KEY or Authorization header must be provided but not both")
        token = authorization[7:] if authorization and authorization.startswith("Bearer ") else None
        if emulator.key is not None and emulator.key in (key, token):
            return
        if token is not None and token in emulator.accepted_tokens:
            return
        raise _error(401, "401", INVALID_KEY)

    def _v1(
        self, emulator: Emulator, method: str, operation: str, query: Mapping[str, str], headers: Any, raw: bytes
    ) -> Any:
        version = query.get("api-version")
        if version is not None and version not in V1_API_VERSIONS:
            raise _error(400, "BadRequest", "API version not supported")
        self._authorize(emulator, headers, refuse_both=self.refuse_both_auth_headers)
        if operation == "/models" or operation.startswith("/models/"):
            if method != "GET":
                raise _error(405, "MethodNotAllowed", f"{method} is not allowed.")
            return self._models(operation[len("/models/") :] if operation != "/models" else None)
        if operation not in ("/chat/completions", "/embeddings"):
            raise _error(404, *RESOURCE_NOT_FOUND)
        if method != "POST":
            raise _error(405, "MethodNotAllowed", f"{method} is not allowed.")
        body = _json_object(raw)
        name = body.get("model")
        if not isinstance(name, str) or not name:
            # Unsourced: the service's exact words for a missing model; the 400 follows from the spec ("required").
            raise openai_error(
                400, "Missing required parameter: 'model'.", param="model", code="missing_required_parameter"
            )
        return self._operate(emulator, name, operation, body, v1=True)

    def _classic(
        self,
        emulator: Emulator,
        method: str,
        name: str,
        operation: str,
        query: Mapping[str, str],
        headers: Any,
        raw: bytes,
    ) -> Any:
        self._authorize(emulator, headers, refuse_both=False)  # 1.0.0b9 sent both headers here, and it worked
        if not query.get("api-version"):
            raise _error(404, *RESOURCE_NOT_FOUND)
        if operation not in ("/chat/completions", "/embeddings"):
            raise _error(404, *RESOURCE_NOT_FOUND)
        if method != "POST":
            raise _error(405, "MethodNotAllowed", f"{method} is not allowed.")
        return self._operate(emulator, name, operation, _json_object(raw), v1=False)

    def _operate(self, emulator: Emulator, name: str, operation: str, body: dict[str, Any], *, v1: bool) -> Any:
        deployment = self.deployments.get(name)
        if deployment is None:
            raise _error(404, "DeploymentNotFound", DEPLOYMENT_NOT_FOUND)
        chat = operation == "/chat/completions"
        if deployment.kind != ("chat" if chat else "embeddings"):
            action = "chatCompletion" if chat else "embeddings"
            message = (
                f"The {action} operation does not work with the specified model, {deployment.model}. Please choose "
                "different model and try again. You can learn more about which models can be used with each "
                "operation here: https://go.microsoft.com/fwlink/?linkid=2197993."
            )
            raise _error(400, "OperationNotSupported", message)
        known = AZURE_CHAT_KEYS if chat else V1_EMBEDDINGS_KEYS if v1 else CLASSIC_EMBEDDINGS_KEYS
        unknown = [key for key in body if key not in known]
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            raise openai_error(400, f"Unrecognized request argument{plural} supplied: {', '.join(unknown)}")
        body = {**body, "model": deployment.model}  # the service answers with the model behind the deployment
        if not chat:
            if v1 and body.get("encoding_format", "float") not in ("float", "base64"):
                raise openai_error(400, "Invalid value for 'encoding_format'.", param="encoding_format")
            inputs = body.get("input")
            return emulator._embeddings(body, _text_inputs([inputs] if isinstance(inputs, str) else inputs))
        answer = emulator._chat(body)
        if isinstance(answer, _StreamedCompletion):
            return dataclasses.replace(answer, azure_filters=True)
        answer["prompt_filter_results"] = PROMPT_FILTERS
        for choice in answer["choices"]:
            choice["content_filter_results"] = CONTENT_FILTERS
        return answer

    def _models(self, model_id: str | None) -> Any:
        """Entries shaped as Azure's Models - List: one per model, deployed or not, keyed by the model name."""
        entries: dict[str, dict[str, Any]] = {}
        models = {**self.undeployed, **{deployment.model: deployment.kind for deployment in self.deployments.values()}}
        for model, kind in models.items():
            capabilities = dict.fromkeys(CAPABILITY_NAMES, False)
            capabilities["inference"] = True
            capabilities["chat_completion" if kind == "chat" else "embeddings"] = True
            entries[model] = {
                "id": model,
                "object": "model",
                "created_at": CREATED,
                "status": "succeeded",
                "capabilities": capabilities,
                "lifecycle_status": "generally-available",
                "deprecation": {"inference": CREATED + 3 * 365 * 86400},
            }
        if model_id is None:
            return {"object": "list", "data": list(entries.values())}
        if model_id not in entries:
            raise _error(404, "ModelNotFound", f"The model '{model_id}' does not exist.")  # unsourced words
        return entries[model_id]


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError:
        raise openai_error(400, "We could not parse the JSON body of your request.") from None
    if not isinstance(body, dict):
        raise openai_error(400, "The request body must be a JSON object.")
    return body
