# Generated-style layer: mirrors the TypeSpec definitions named in tsp-location.yaml.
# Customizations belong in the _patch.py files.
"""The async pipeline-owning client base."""

from __future__ import annotations

from copy import deepcopy
from typing import Any, Awaitable

from azure.core import AsyncPipelineClient
from azure.core.exceptions import ServiceRequestError
from azure.core.rest import AsyncHttpResponse, HttpRequest
from typing_extensions import Self

from .._client import raise_for_status
from .._configuration import Credential, client_setup, endpoint_prefix
from .._core import async_policies, async_sender
from .._routes import add_note


class AsyncInferenceClientBase:
    """Owns the configuration and the async HTTP pipeline of one endpoint."""

    _images = False
    """Whether the client embeds images: the OpenAI v1 API has no such operation (``_routes``)."""

    def __init__(self, endpoint: str, credential: Credential, **kwargs: Any) -> None:
        self._config, policies = client_setup(endpoint, credential, kwargs, is_async=True, images=self._images)
        self._route = self._config.route
        base = self._route.base
        self._client: AsyncPipelineClient[HttpRequest, AsyncHttpResponse] = AsyncPipelineClient(
            base_url=base, policies=async_policies(policies), **kwargs
        )
        self._url_prefix = endpoint_prefix(base)
        self._send = async_sender(self._client)

    def send_request(
        self, request: HttpRequest, *, stream: bool = False, **kwargs: Any
    ) -> Awaitable[AsyncHttpResponse]:
        """Send a request through the client's pipeline as it is; the response is returned whatever its status.

        :param request: The request; a relative URL is joined to the endpoint.
        :keyword stream: Whether to leave the response body unread, to be streamed.
        """
        request_copy = deepcopy(request)
        request_copy.url = self._client.format_url(request_copy.url)
        return self._client.send_request(request_copy, stream=stream, **kwargs)

    async def _run(
        self, request: HttpRequest, *, stream: bool = False, error_map: Any = None, **kwargs: Any
    ) -> AsyncHttpResponse:
        """Send a request built by an operation; anything but 200 raises, mapped by ``error_map`` first."""
        prefix = self._url_prefix  # the builders' URLs are routes: "/chat/completions?api-version=..."
        request.url = prefix + request.url if prefix is not None else self._client.format_url(request.url)
        try:
            response = await self._send(request, stream, **kwargs)
        except ServiceRequestError as exc:
            add_note(exc, self._route.note(None))
            raise
        if response.status_code != 200:
            if stream:
                await response.read()
            raise_for_status(response, error_map, self._route)
        return response

    async def close(self) -> None:
        """Close the pipeline and its connections."""
        await self._client.close()

    async def __aenter__(self) -> Self:
        await self._client.__aenter__()
        return self

    async def __aexit__(self, *exc_details: Any) -> None:
        await self._client.__aexit__(*exc_details)
