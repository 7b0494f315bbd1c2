"""The async pipeline's runner of SansIO policies (``aio._hooks._HookRunner``) behaves as azure-core's own.

Each scenario runs one list of recording policies through azure-core's ``AsyncPipeline`` twice: as azure-core
wraps them, and wrapped by ``hook_runners``; the hooks called (in order, with the exception being handled) and
the outcome must be the same, whichever hook fails. The transport is in memory: the runners are the point.
Last, a client's operations, which start at the pipeline's first policy rather than at ``AsyncPipeline.run()``,
send what ``run()`` would send.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Optional

import pytest
from azure.core.pipeline import AsyncPipeline
from azure.core.pipeline.policies import AsyncHTTPPolicy, SansIOHTTPPolicy
from azure.core.pipeline.transport import AsyncHttpTransport
from azure.core.rest import HttpRequest

from azure.ai.inference import _core
from azure.ai.inference.aio import ChatCompletionsClient
from azure.ai.inference.aio._hooks import _HookRunner, hook_runners
from azure.ai.inference.models import UserMessage

from .emulator import Emulator
from .support import key


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


class Passthrough(AsyncHTTPPolicy):  # type: ignore[type-arg]
    """A policy that is no SansIO policy (as redirect and retry are): it splits the runs of hooks."""

    def __init__(self, log: list[Any]) -> None:
        super().__init__()
        self.log = log

    async def send(self, request: Any) -> Any:
        self.log.append(("passthrough", "before"))
        try:
            return await self.next.send(request)
        finally:
            self.log.append(("passthrough", "after", str(sys.exc_info()[1])))


NAMES = ("a", "b", "c", "d", "e")
HOOKS = ("on_request", "on_response", "on_exception")
# every hook of every policy failing in turn, with the transport answering or failing; and no failure
SCENARIOS = [(name, hook, fails) for name in NAMES for hook in HOOKS for fails in (False, True)]
SCENARIOS += [("", "", False), ("", "", True)]


async def run(wrap: bool, failing: str, hook: str, transport_fails: bool) -> list[Any]:
    log: list[Any] = []

    def recorder(name: str, is_async: bool = False) -> Recorder:
        return Recorder(name, log, is_async=is_async, fail=hook if name == failing else None)

    policies = [recorder("a"), recorder("b"), recorder("c", True), Passthrough(log), recorder("d", True), recorder("e")]
    pipeline = AsyncPipeline(Transport(transport_fails), hook_runners(policies) if wrap else policies)
    try:
        response = await pipeline.run(HttpRequest("POST", "http://127.0.0.1/x"))
        log.append(("result", response.http_response))
    except Boom as exc:
        log.append(("raised", str(exc), str(exc.__context__)))
    return log


@pytest.mark.parametrize(("failing", "hook", "transport_fails"), SCENARIOS)
def test_hooks_run_as_azure_core_runs_them(failing: str, hook: str, transport_fails: bool) -> None:
    ours = asyncio.run(run(True, failing, hook, transport_fails))
    assert ours == asyncio.run(run(False, failing, hook, transport_fails))
    assert ours[0] == ("a", "on_request", None)  # the hooks did run


def test_each_run_of_sansio_policies_has_one_runner() -> None:
    log: list[Any] = []
    a, b, other, c = Recorder("a", log), Recorder("b", log), Passthrough(log), Recorder("c", log)
    wrapped = hook_runners([a, b, other, c])
    assert [type(policy) for policy in wrapped] == [_HookRunner, Passthrough, _HookRunner]
    assert wrapped[0]._policies == (a, b) and wrapped[1] is other and wrapped[2]._policies == (c,)


def test_operations_start_at_the_first_policy_as_run_would(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """``_run`` skips ``AsyncPipeline.run()`` (multipart preparation) and starts at its first policy: same request."""
    shortcut = not _core.PUBLIC_ONLY

    async def send(direct: bool) -> tuple[str, Any]:
        chat = ChatCompletionsClient(emulator.endpoint, key())
        assert (chat._send.__name__ == "send") is shortcut  # the first-policy sender, unless the switch is on
        if not direct:
            with monkeypatch.context() as patch:
                patch.setattr(_core, "PUBLIC_ONLY", True)
                chat._send = _core.async_sender(chat._client)  # through AsyncPipelineClient.send_request
            assert chat._send.__name__ == "send_request"
        async with chat:
            result = await chat.complete(
                messages=[UserMessage("hi")], headers={"x-extra": "1"}, request_id="fixed-id", retry_total=0
            )
        sent = emulator.requests[-1]
        wire = (sent.method, sent.path, sent.raw_query, dict(sent.headers), sent.body)
        return result.choices[0].message.content, wire

    direct, through_run = asyncio.run(send(True)), asyncio.run(send(False))
    assert direct == through_run
    assert direct[1][3]["x-ms-client-request-id"] == "fixed-id" and direct[1][3]["x-extra"] == "1"
