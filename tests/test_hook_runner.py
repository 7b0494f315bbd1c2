"""The async pipeline's runner of SansIO policies (``aio._client._HookRunner``) behaves as azure-core's own.

Each scenario runs one list of recording policies through azure-core's ``AsyncPipeline`` twice: as azure-core
wraps them, and wrapped by ``hook_runners``; the hooks called (in order, with the exception being handled) and
the outcome must be the same. The transport is in memory: the runners are the point.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Optional

import pytest
from azure.core.pipeline import AsyncPipeline
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.core.pipeline.transport import AsyncHttpTransport
from azure.core.rest import HttpRequest

from azure.ai.inference.aio._client import _HookRunner, hook_runners


class Boom(Exception):
    pass


class Transport(AsyncHttpTransport):  # type: ignore[misc]
    def __init__(self, fail: bool) -> None:
        self.fail = fail

    async def send(self, request: Any, **kwargs: Any) -> Any:
        if self.fail:
            raise Boom("transport")
        return "response"

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def __aexit__(self, *args: Any) -> None: ...


class Recorder(SansIOHTTPPolicy):  # type: ignore[type-arg]
    """Logs each hook; async hooks when ``is_async``; raises ``Boom`` in the hook named by ``fail``."""

    def __init__(self, name: str, log: list[Any], *, is_async: bool = False, fail: Optional[str] = None) -> None:
        self.name, self.log, self.is_async, self.fail = name, log, is_async, fail

    def _hook(self, hook: str) -> Any:
        handling = sys.exc_info()[1]
        self.log.append((self.name, hook, None if handling is None else str(handling)))
        if self.fail == hook:
            raise Boom(f"{self.name}.{hook}")
        if hook == "on_request" and not self.is_async:
            return 42  # not awaitable: azure-core ignores it
        return None

    def on_request(self, request: Any) -> Any:
        return self._async("on_request") if self.is_async else self._hook("on_request")

    def on_response(self, request: Any, response: Any) -> Any:
        return self._async("on_response") if self.is_async else self._hook("on_response")

    def on_exception(self, request: Any) -> Any:
        return self._async("on_exception") if self.is_async else self._hook("on_exception")

    async def _async(self, hook: str) -> None:
        await asyncio.sleep(0)
        self._hook(hook)


SCENARIOS = {
    "ok": ({}, False),
    "transport fails": ({}, True),
    "on_request fails": ({"b": "on_request"}, False),
    "async on_request fails": ({"c": "on_request"}, False),
    "on_response fails": ({"b": "on_response"}, False),
    "on_exception fails": ({"c": "on_exception"}, True),
}


async def run(wrap: bool, failures: dict[str, str], transport_fails: bool) -> list[Any]:
    log: list[Any] = []
    policies: list[Any] = [
        Recorder("a", log),
        Recorder("b", log, fail=failures.get("b")),
        Recorder("c", log, is_async=True, fail=failures.get("c")),
        Recorder("d", log),
    ]
    pipeline = AsyncPipeline(Transport(transport_fails), hook_runners(policies) if wrap else policies)
    try:
        response = await pipeline.run(HttpRequest("POST", "http://127.0.0.1/x"))
        log.append(("result", response.http_response))
    except Boom as exc:
        log.append(("raised", str(exc), str(exc.__context__)))
    return log


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_hooks_run_as_azure_core_runs_them(scenario: str) -> None:
    failures, transport_fails = SCENARIOS[scenario]
    ours = asyncio.run(run(True, failures, transport_fails))
    assert ours == asyncio.run(run(False, failures, transport_fails))
    assert len(ours) > 3  # the hooks did run


def test_only_sansio_policies_are_wrapped() -> None:
    log: list[Any] = []
    sansio, other = Recorder("a", log), object()
    wrapped = hook_runners([sansio, other])
    assert isinstance(wrapped[0], _HookRunner) and wrapped[0]._policy is sansio
    assert wrapped[1] is other
