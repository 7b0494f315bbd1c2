"""The framework suite: run by scripts/frameworks.sh in its own venvs, against the installed azure-ai-inference.

``AZURE_AI_INFERENCE_FRAMEWORKS`` is ``overlay`` (this package installed over 1.0.0b9) or ``published`` (1.0.0b9).
Every test gives its framework the URLs of the ``endpoint`` fixture, and checks the paths the emulator received
against it too: running the whole suite against another form of endpoint is a change to that fixture alone.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

import azure.ai.inference

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


@dataclass(frozen=True)
class Endpoint:
    """An endpoint the frameworks are given, and where its requests reach the emulator."""

    base: str  # the URL a framework is given for the emulator's chat model
    prefix: str = ""  # the path the emulator sees for that URL ("" when the URL is the emulator's own)

    def url(self, model: str = "") -> str:
        """The URL of one of the emulator's models: "" (chat), "embed", "image", or "noinfo" (a chat model whose
        endpoint has no /info route); see MODEL_TYPE_BY_PREFIX in tests/emulator.py."""
        return f"{self.base}/{model}" if model else self.base

    def path(self, route: str, model: str = "") -> str:
        """The path the emulator records for ``route`` ("/chat/completions", "/info", ...) of that model."""
        return f"{self.prefix}/{model}{route}" if model else f"{self.prefix}{route}"


@pytest.fixture
def endpoint(emulator: Emulator) -> Endpoint:
    """The endpoint every framework test uses: the loopback emulator's own URL.

    To run every framework test against a second form of endpoint as well (issue 19: Foundry's
    ``https://<resource>.services.ai.azure.com/models`` over TLS), parametrize this fixture alone, e.g.
    ``@pytest.fixture(params=["loopback", "foundry"])`` returning, for "foundry",
    ``Endpoint("https://<resource>.services.ai.azure.com/models", "/models")`` once the fixture has routed that
    host to the emulator (for instance through tests/proxy.py, with its CA trusted through ``monkeypatch.setenv``).
    """
    return Endpoint(emulator.endpoint)
