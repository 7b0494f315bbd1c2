"""Helpers that let one test body drive the sync and the async clients alike."""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

from azure.core.credentials import AzureKeyCredential

import azure.ai.inference as sync_api
import azure.ai.inference.aio as async_api

from .emulator import EMULATOR_KEY

APIS = {"sync": sync_api, "async": async_api}


async def resolve(value: Any) -> Any:
    """Await ``value`` if the async client returned an awaitable."""
    return await value if inspect.isawaitable(value) else value


async def collect(stream: Any) -> list[Any]:
    """Every update of a sync or async stream."""
    if hasattr(stream, "__aiter__"):
        return [update async for update in stream]
    return list(stream)


def key() -> AzureKeyCredential:
    return AzureKeyCredential(EMULATOR_KEY)


def client(api: ModuleType, name: str, endpoint: str, **kwargs: Any) -> Any:
    return getattr(api, name)(endpoint, key(), **kwargs)
