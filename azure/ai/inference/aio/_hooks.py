"""The runner of the async pipeline's ``SansIOHTTPPolicy`` hooks: azure-core's behaviour, less CPU per request.

azure-core's ``AsyncPipeline`` wraps each ``SansIOHTTPPolicy`` in a runner of its own, one coroutine level per
policy, and calls every hook through ``await_result``: one more coroutine per hook, and an
``isinstance(result, typing.Awaitable)`` that goes through typing's generic alias and the ABC machinery. With
ten such policies that is ten levels and twenty of each per request. Here one ``_HookRunner`` runs each run of
consecutive ``SansIOHTTPPolicy`` between the other policies (redirect, retry), as if nested as azure-core nests
them:

- ``on_request`` in list order, the rest of the pipeline, then ``on_response`` in reverse order;
- when a hook or the rest of the pipeline raises an ``Exception``, the ``on_exception`` of every policy
  "outside" the failure, innermost first, each called while that exception is being handled (so that
  ``sys.exc_info()`` is what azure-core would give); an ``on_exception`` that raises hands its new
  exception to the policies further out, as a raise out of a nested runner would;
- what a hook returns is awaited exactly when azure-core would await it: when it is awaitable. Hooks that
  return ``None`` (all of azure-core's and ours) skip the check.

``tests/test_hook_runner.py`` runs the same policies through azure-core's runners and these, and compares.
"""

import itertools
from collections.abc import Awaitable
from typing import Any, List, Sequence

from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import AsyncHTTPPolicy, SansIOHTTPPolicy


class _HookRunner(AsyncHTTPPolicy[Any, Any]):
    """Runs consecutive ``SansIOHTTPPolicy`` objects as azure-core's nested runners would."""

    def __init__(self, policies: Sequence[SansIOHTTPPolicy[Any, Any]]) -> None:
        super().__init__()
        self._policies = tuple(policies)
        self._reversed = self._policies[::-1]

    async def send(self, request: PipelineRequest[Any]) -> PipelineResponse[Any, Any]:
        inside = 0  # how many policies the failure, if one happens now, is inside of
        try:
            for policy in self._policies:
                result: Any = policy.on_request(request)
                if result is not None and isinstance(result, Awaitable):
                    await result
                inside += 1
            response = await self.next.send(request)
            for policy in self._reversed:
                inside -= 1  # a policy's own on_response is outside its try, as in azure-core's runner
                result = policy.on_response(request, response)
                if result is not None and isinstance(result, Awaitable):
                    await result
        except Exception:
            await self._unwind(request, inside)
            raise
        return response

    async def _unwind(self, request: PipelineRequest[Any], inside: int) -> None:
        """Call ``on_exception`` of the first ``inside`` policies, innermost first, inside the caller's ``except``."""
        for index in range(inside - 1, -1, -1):
            try:
                result: Any = self._policies[index].on_exception(request)  # type: ignore[func-returns-value]
                if result is not None and isinstance(result, Awaitable):
                    await result
            except Exception:  # raised out of that runner: the policies further out see the new exception
                await self._unwind(request, index)
                raise


def hook_runners(policies: List[Any]) -> List[Any]:
    """The policy list with each run of consecutive ``SansIOHTTPPolicy`` objects in one ``_HookRunner``."""
    result: List[Any] = []
    for hooks_only, run in itertools.groupby(policies, key=lambda policy: isinstance(policy, SansIOHTTPPolicy)):
        group = list(run)
        result.extend([_HookRunner(group)] if hooks_only else group)
    return result
