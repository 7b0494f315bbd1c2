"""The framework suite: run by scripts/frameworks.sh in its own venvs, against the installed azure-ai-inference.

``AZURE_AI_INFERENCE_FRAMEWORKS`` is ``overlay`` (this package installed over 1.0.0b9) or ``published`` (1.0.0b9).
Every test gives its framework the URLs of the ``endpoint`` fixture, and checks what the emulator received against
it too: paths, query, auth headers, where model info comes from are stated once per form of endpoint, in `Endpoint`.
The fixture runs each test against the loopback emulator and (overlay mode) against today's Foundry (issue 19).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

import azure.ai.inference

from ..azure_tls import AzureWorld
from ..azure_today import Deployment
from ..emulator import Emulator

MODE = os.environ.get("AZURE_AI_INFERENCE_FRAMEWORKS", "")
PUBLISHED = MODE == "published"
PACKAGE_DIR = Path(azure.ai.inference.__file__).resolve().parent


def pytest_report_header() -> str:
    return f"azure-ai-inference {metadata.version('azure-ai-inference')} ({MODE}) from {PACKAGE_DIR}"


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run against anything but the package installed in this venv, in the version the mode names."""
    if not PACKAGE_DIR.is_relative_to(Path(sys.prefix).resolve()):
        raise pytest.UsageError(f"azure.ai.inference is imported from {PACKAGE_DIR}, not from the venv {sys.prefix}")
    version = metadata.version("azure-ai-inference")
    if (version == "1.0.0b9") != PUBLISHED:
        raise pytest.UsageError(f"mode {MODE!r} but azure-ai-inference {version} is installed")


FOUNDRY = "https://myres.services.ai.azure.com/models"  # what the frameworks' docs and 1.0.0b9's samples say
# The form a test runs against: 1.0.0b9 cannot reach today's Foundry at all (test_langchain.py shows its 404), so
# the published mode runs the loopback form alone.
FORMS = ("loopback",) if PUBLISHED else ("loopback", "foundry")
API_VERSION = "2024-05-01-preview"  # the Model Inference API's, sent on its routes
V1_ROUTES = ("/chat/completions", "/embeddings")  # what the OpenAI v1 API serves of the framework tests' routes
# The deployments of the emulated Foundry resource: named as the framework tests name their models, each of the
# kind the tests use it for. Image embeddings have no v1 route, so no deployment serves them.
DEPLOYMENTS = {"chat-model": "chat", "embed-model": "embeddings", "other-model": "embeddings", "m": "embeddings"}


@dataclass(frozen=True)
class Endpoint:
    """An endpoint the frameworks are given, where its requests reach the emulator, and what they carry there.

    Two forms: ``loopback``, the emulator's own URL, serving the Model Inference API with one model per path
    prefix; ``foundry``, ``https://myres.services.ai.azure.com/models`` on today's Azure (tests/azure_today.py),
    which this package migrates to the resource's OpenAI v1 API, one endpoint for every deployment (named by
    ``model`` in the body), no api-version, the key in ``api-key`` alone, ``input_type`` and the
    ``extra-parameters`` header not sent, model info from ``GET /openai/v1/models/<model>``; image embeddings keep
    the retired ``/models`` route, whose 404 says so.
    """

    form: str
    emulator: Emulator  # the emulator that answers this endpoint: the ``emulator`` fixture of these tests
    base: str  # the URL a framework is given for the emulator's chat model
    prefix: str = ""  # the path the emulator sees for that URL ("" when the URL is the emulator's own)

    @property
    def foundry(self) -> bool:
        return self.form == "foundry"

    def url(self, model: str = "") -> str:
        """The URL of one of the emulator's models: "" (chat), "embed", "image", or "noinfo" (a chat model whose
        endpoint has no /info route); see MODEL_TYPE_BY_PREFIX in tests/emulator.py. Foundry has one URL for all."""
        return f"{self.base}/{model}" if model and not self.foundry else self.base

    def v1(self, route: str) -> bool:
        """Whether ``route`` goes to the OpenAI v1 API here."""
        return self.foundry and route in V1_ROUTES

    def path(self, route: str, model: str = "") -> str:
        """The path the emulator records for ``route`` ("/chat/completions", "/info", ...) of that model.
        On Foundry, ``/info`` stands for the model entry that replaces it: use `info_path`."""
        if self.foundry:
            assert route != "/info", "Foundry has no /info: use info_path(deployment)"
            return f"/openai/v1{route}" if self.v1(route) else f"{self.prefix}{route}"
        return f"{self.prefix}/{model}{route}" if model else f"{self.prefix}{route}"

    def info_path(self, model: str = "", deployment: str = "") -> str:
        """Where model info comes from: the model's /info, or on Foundry the deployment's v1 models entry."""
        return f"/openai/v1/models/{deployment}" if self.foundry else self.path("/info", model)

    def query(self, route: str) -> dict[str, str]:
        """The query of a request on ``route``: the Model Inference api-version, none on the v1 API."""
        return {} if self.v1(route) else {"api-version": API_VERSION}

    def auth(self, route: str, key: str) -> tuple[str | None, str | None]:
        """(``api-key``, ``Authorization``) of a request on ``route`` made with ``key``: 1.0.0b9 sent both,
        the package sends Azure's v1 API the ``api-key`` alone."""
        return (key, None) if self.v1(route) else (key, f"Bearer {key}")

    def extra_parameters(self, route: str, extras: bool) -> str | None:
        """The ``extra-parameters`` header: ``pass-through`` with extras on the Model Inference API, never on v1."""
        return "pass-through" if extras and not self.v1(route) else None

    def sent_body(self, route: str, body: dict[str, Any]) -> dict[str, Any]:
        """``body`` as sent on ``route``: without ``input_type``, which the v1 API does not define."""
        return {k: v for k, v in body.items() if k != "input_type"} if self.v1(route) else body


@pytest.fixture(params=FORMS)
def endpoint(request: pytest.FixtureRequest) -> Endpoint:
    """The endpoint every framework test uses, in each form of ``FORMS``; its emulator is the ``emulator`` fixture.

    ``loopback``: the session's plain-http emulator. ``foundry`` (overlay mode only): the ``azure_today`` world
    (tests/azure_tls.py): TLS under the real host name through a CONNECT proxy named in the environment, only
    127.0.0.1 connected, the emulator playing today's Azure with ``DEPLOYMENTS``.
    """
    if request.param == "loopback":
        server: Emulator = request.getfixturevalue("_emulator_server")
        server.reset()
        return Endpoint("loopback", server, server.endpoint)
    world: AzureWorld = request.getfixturevalue("azure_today")
    world.settings.deployments = {name: Deployment(kind, name) for name, kind in DEPLOYMENTS.items()}
    return Endpoint("foundry", world.emulator, FOUNDRY, "/models")


@pytest.fixture
def emulator(endpoint: Endpoint) -> Emulator:
    """The emulator that answers ``endpoint`` (reset): the framework tests' records are read there."""
    return endpoint.emulator
