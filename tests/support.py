"""Helpers that let one test body drive the sync and the async clients alike."""

from __future__ import annotations

import inspect
import time
from types import ModuleType
from typing import Any

from azure.core.credentials import AccessToken, AzureKeyCredential

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


class RecordingCredential:
    """A stand-in for an ``azure.identity`` credential: hands out ``token`` and records the scopes asked for."""

    def __init__(self, token: str = "entra-token") -> None:
        self.token = token
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken(self.token, int(time.time()) + 3600)

    def close(self) -> None:
        pass


class AsyncRecordingCredential(RecordingCredential):
    """The async form, for ``azure.ai.inference.aio`` clients."""

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:  # type: ignore[override]
        return RecordingCredential.get_token(self, *scopes, **kwargs)

    async def close(self) -> None:  # type: ignore[override]
        pass


def token_credential(api: ModuleType, token: str = "entra-token") -> RecordingCredential:
    """A recording token credential of the form ``api`` (sync or aio) takes."""
    return AsyncRecordingCredential(token) if api.__name__.endswith(".aio") else RecordingCredential(token)
