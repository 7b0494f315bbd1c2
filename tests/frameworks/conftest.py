"""The framework suite: run by scripts/frameworks.sh in its own venv, against the installed azure-ai-inference.

``AZURE_AI_INFERENCE_FRAMEWORKS`` is ``overlay`` (this package installed over 1.0.0b9) or ``published`` (1.0.0b9).
"""

from __future__ import annotations

import os
import sys
from importlib import metadata
from pathlib import Path

import pytest

import azure.ai.inference

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
