"""Shared fixtures: one loopback service emulator per test session, reset before each test that uses it."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from types import ModuleType

import pytest

from .azure_tls import _azure_world, azure_today
from .emulator import EMULATOR_KEY, Emulator

__all__ = ["EMULATOR_KEY", "_azure_world", "azure_today"]  # azure_today: tests/azure_tls.py

# tests/frameworks/ needs the frameworks' own venv: scripts/frameworks.sh builds it and sets this variable.
if not os.environ.get("AZURE_AI_INFERENCE_FRAMEWORKS"):
    collect_ignore = ["frameworks"]


def pytest_configure() -> None:
    # pytest-asyncio 1.2 (the last for Python 3.9) asks asyncio.get_event_loop() for the loop to restore after each
    # async test; while no loop was ever set, that creates one that nobody closes (a ResourceWarning once
    # collected). Setting "no current loop" first makes it find none instead.
    asyncio.set_event_loop(None)


@pytest.fixture(scope="session")
def _emulator_server() -> Iterator[Emulator]:
    with Emulator(key=EMULATOR_KEY) as server:
        yield server


@pytest.fixture
def emulator(_emulator_server: Emulator) -> Emulator:
    """The session's emulator (requires key ``EMULATOR_KEY``), with no recorded requests and default settings."""
    _emulator_server.reset()
    return _emulator_server


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest) -> ModuleType:
    """``azure.ai.inference`` or ``azure.ai.inference.aio``: every test that takes it runs in both forms."""
    from .support import APIS

    return APIS[request.param]
