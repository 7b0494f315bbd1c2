"""Every use of an azure-core private name, each with the public path it falls back to.

A few of azure-core's private names save CPU on every request. Any azure-core release may rename them or change
what they do, so each shortcut here is checked once, when first needed, and the public path is taken when the
private name is missing or answers differently than the shortcut assumes. Setting the environment variable
``AZURE_AI_INFERENCE_PUBLIC_CORE=1`` (read once, at import) forces every public path: CI runs the whole suite so,
which proves that a new azure-core can cost speed but never correctness. No other module names an azure-core
private (``tests/test_layers.py`` checks).

The shortcuts, each with what its public path costs instead (``benchmarks/run.py --public-core`` measures):

- ``Request``: the operations' request answers ``body``, ``data`` and ``files`` from ``HttpRequest``'s private
  ``_body``, ``_data`` and ``_files``, as its ``__getattr__`` would, but without building a list of names and
  padding the name on every lookup (~3 µs each, about seven a request). Public path: ``HttpRequest`` itself.
- ``async_sender``: the async operations start at the pipeline's first policy (``_impl_policies[0]``, with a
  ``PipelineContext`` on ``_transport``), as ``AsyncPipeline.run()`` does, skipping its multipart preparation
  (two coroutines and five ``__getattr__`` lookups, ~25 µs a request); the operations' bodies are never
  multipart. Public path: ``AsyncPipelineClient.send_request``.
- ``async_policies``: consecutive ``SansIOHTTPPolicy`` objects run in one ``aio._hooks`` runner, as azure-core's
  private ``_SansIOAsyncHTTPPolicyRunner`` would run each. Public path: the policies as they are.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Awaitable, Callable, List

from azure.core.pipeline import PipelineContext, PipelineRequest
from azure.core.rest import HttpRequest

if TYPE_CHECKING:
    from azure.core import AsyncPipelineClient
    from azure.core.rest import AsyncHttpResponse

PUBLIC_ONLY = os.environ.get("AZURE_AI_INFERENCE_PUBLIC_CORE", "") not in ("", "0")


class _FastRequest(HttpRequest):
    """``HttpRequest``, answering the pre-rest names ``body``, ``data`` and ``files`` directly.

    Setting them still goes through ``HttpRequest.__setattr__``, which stores ``_body``/``_data``/``_files``.
    """

    body = property(lambda self: self._body)
    data = property(lambda self: self._data)
    files = property(lambda self: self._files)


def _request_class() -> type[HttpRequest]:
    """``_FastRequest`` if it answers as ``HttpRequest`` does for every form of body, else ``HttpRequest``."""
    if PUBLIC_ONLY:
        return HttpRequest
    forms: List[Any] = [{}, {"content": "{}"}, {"content": b"x"}, {"json": {"a": 1}}, {"data": {"a": "b"}}]
    forms.append({"files": {"f": ("f.txt", b"x")}})
    try:
        for form in forms:
            ours, theirs = _FastRequest("POST", "/", **form), HttpRequest("POST", "/", **form)
            if (ours.body, ours.data, ours.files) != (theirs.body, theirs.data, theirs.files):
                return HttpRequest
    except AttributeError:
        return HttpRequest
    return _FastRequest


Request = _request_class()

# What AsyncPipeline.run() refers to, in the azure-core versions whose run() the shortcut was checked against
# (1.30 to 1.41): it builds the context and request, prepares multipart bodies and calls the first policy.
_RUN_NAMES = {
    "PipelineContext", "PipelineRequest", "_AsyncTransportRunner", "_impl_policies", "_prepare_multipart",
    "_transport", "send",
}  # fmt: skip

AsyncSender = Callable[..., Awaitable["AsyncHttpResponse"]]


def async_sender(client: AsyncPipelineClient[HttpRequest, AsyncHttpResponse]) -> AsyncSender:
    """``send(request, stream, **options)``: the response of ``request`` through the client's pipeline."""
    pipeline = getattr(client, "_pipeline", None)
    chain = getattr(pipeline, "_impl_policies", None)
    transport = getattr(pipeline, "_transport", None)
    code = getattr(getattr(type(pipeline), "run", None), "__code__", None)
    if PUBLIC_ONLY or not chain or transport is None or set(getattr(code, "co_names", ())) != _RUN_NAMES:

        async def send_request(request: HttpRequest, stream: bool, **options: Any) -> AsyncHttpResponse:
            return await client.send_request(request, stream=stream, **options)

        return send_request

    first = chain[0]

    async def send(request: HttpRequest, stream: bool, **options: Any) -> AsyncHttpResponse:
        context = PipelineContext(transport, stream=stream, **options)
        return (await first.send(PipelineRequest(request, context))).http_response  # type: ignore[no-any-return]

    return send


def async_policies(policies: List[Any]) -> List[Any]:
    """The async pipeline's policies, runs of ``SansIOHTTPPolicy`` objects in one runner where that is safe."""
    if PUBLIC_ONLY:
        return policies
    from azure.core.pipeline import _base_async

    if not hasattr(_base_async, "_SansIOAsyncHTTPPolicyRunner"):  # azure-core wraps them some other way now
        return policies
    from .aio._hooks import hook_runners

    return hook_runners(policies)
