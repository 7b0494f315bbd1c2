"""``_core``: each azure-core private shortcut is taken only where it answers as the public path would, and
``AZURE_AI_INFERENCE_PUBLIC_CORE=1`` forces every public path (CI runs the whole suite so: scripts/floors.sh)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import azure.core
import pytest
from azure.core.pipeline import _base_async as azure_core_async_pipeline
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.core.rest import HttpRequest

from azure.ai.inference import _core
from azure.ai.inference.aio import ChatCompletionsClient

from .support import key

# The azure-core releases whose private names the shortcuts were checked against: within them each is taken.
CHECKED = ((1, 30), (1, 41))
AZURE_CORE = tuple(int(part) for part in azure.core.__version__.split(".")[:2])

WHICH_PATHS = """
import asyncio
from azure.core.rest import HttpRequest
from azure.ai.inference import _core
from azure.ai.inference.aio import ChatCompletionsClient
from azure.core.credentials import AzureKeyCredential

async def main():
    async with ChatCompletionsClient("http://127.0.0.1:9", AzureKeyCredential("k")) as chat:
        print(_core.PUBLIC_ONLY, _core.Request is HttpRequest, chat._send.__name__,
              any(type(p).__name__ == "_HookRunner" for p in chat._client._pipeline._impl_policies))

asyncio.run(main())
"""


def paths_taken(switch: str | None) -> list[str]:
    env = {name: value for name, value in os.environ.items() if name != "AZURE_AI_INFERENCE_PUBLIC_CORE"}
    if switch is not None:
        env["AZURE_AI_INFERENCE_PUBLIC_CORE"] = switch
    done = subprocess.run([sys.executable, "-c", WHICH_PATHS], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_switch_forces_every_public_path() -> None:
    assert paths_taken("1") == ["True", "True", "send_request", "False"]


@pytest.mark.skipif(not CHECKED[0] <= AZURE_CORE <= CHECKED[1], reason="shortcuts checked on azure-core 1.30-1.41")
@pytest.mark.parametrize("switch", [None, "", "0"])
def test_without_the_switch_every_shortcut_is_taken(switch: str | None) -> None:
    assert paths_taken(switch) == ["False", "False", "send", "True"]


def test_a_request_class_that_answers_otherwise_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    if not _core.PUBLIC_ONLY:
        assert _core._request_class() is _core._FastRequest
    monkeypatch.setattr(_core._FastRequest, "data", property(lambda self: b"other"))  # not what HttpRequest says
    assert _core._request_class() is HttpRequest
    # A private name removed: the property's AttributeError sends Python to HttpRequest.__getattr__, which answers.
    monkeypatch.setattr(_core._FastRequest, "data", property(lambda self: self._gone))
    assert _core._FastRequest("POST", "/", content=b"x").data == b"x"


def test_the_first_policy_sender_needs_the_pipeline_run_it_was_checked_against() -> None:
    class Pipeline:
        _impl_policies = [object()]
        _transport = object()

        async def run(self, request: Any, **kwargs: Any) -> Any:  # names other than AsyncPipeline.run's
            return await self.send_somewhere_new(request)

    async def check() -> None:
        async with ChatCompletionsClient("http://127.0.0.1:9", key()) as chat:
            expected = "send_request" if _core.PUBLIC_ONLY else "send"
            assert _core.async_sender(chat._client).__name__ == expected
            for pipeline in (None, SimpleNamespace(), Pipeline()):
                assert _core.async_sender(SimpleNamespace(_pipeline=pipeline)).__name__ == "send_request"  # type: ignore[arg-type]

    asyncio.run(check())


def test_sansio_policies_are_left_to_azure_core_when_its_runner_is_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    policies = [SansIOHTTPPolicy(), SansIOHTTPPolicy()]
    if not _core.PUBLIC_ONLY:
        assert len(_core.async_policies(policies)) == 1
    monkeypatch.delattr(azure_core_async_pipeline, "_SansIOAsyncHTTPPolicyRunner")
    assert _core.async_policies(policies) is policies
