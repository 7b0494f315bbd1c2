# Generated-style layer: mirrors the TypeSpec definitions named in tsp-location.yaml.
# Customizations belong in the _patch.py files.
"""The sync pipeline-owning client base."""

from __future__ import annotations

from copy import deepcopy
from typing import Any, Dict, Mapping, Optional, Type

from azure.core import PipelineClient
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceExistsError,
    ResourceNotFoundError,
    ResourceNotModifiedError,
    ServiceRequestError,
    map_error,
)
from azure.core.rest import HttpRequest, HttpResponse
from typing_extensions import Self

from ._configuration import Credential, client_setup, endpoint_prefix
from ._routes import Route, add_note

ERROR_MAP: Dict[int, Type[HttpResponseError]] = {
    401: ClientAuthenticationError,
    404: ResourceNotFoundError,
    409: ResourceExistsError,
    304: ResourceNotModifiedError,
}


def raise_for_status(
    response: Any, error_map: Optional[Mapping[int, Type[HttpResponseError]]] = None, route: Optional[Route] = None
) -> None:
    """Raise the azure-core exception for a response that is not 200; its body must have been read.

    ``error_map`` is the caller's per-call ``error_map=``: its status codes win over the default ones. When the
    ``route`` reaches a retired service, the message says so first (the status and body stay on the exception).
    """
    mapping = {**ERROR_MAP, **error_map} if error_map else ERROR_MAP
    try:
        map_error(status_code=response.status_code, response=response, error_map=mapping)
        raise HttpResponseError(response=response)
    except HttpResponseError as exc:
        if route is not None:
            add_note(exc, route.note(response.status_code))
        raise


class InferenceClientBase:
    """Owns the configuration and the HTTP pipeline of one endpoint."""

    _images = False
    """Whether the client embeds images: the OpenAI v1 API has no such operation (``_routes``)."""

    def __init__(self, endpoint: str, credential: Credential, **kwargs: Any) -> None:
        self._config, policies = client_setup(endpoint, credential, kwargs, is_async=False, images=self._images)
        self._route = self._config.route
        base = self._route.base
        self._client: PipelineClient[HttpRequest, HttpResponse] = PipelineClient(
            base_url=base, policies=policies, **kwargs
        )
        self._url_prefix = endpoint_prefix(base)

    def send_request(self, request: HttpRequest, *, stream: bool = False, **kwargs: Any) -> HttpResponse:
        """Send a request through the client's pipeline as it is; the response is returned whatever its status.

        :param request: The request; a relative URL is joined to the endpoint.
        :keyword stream: Whether to leave the response body unread, to be streamed.
        """
        request_copy = deepcopy(request)
        request_copy.url = self._client.format_url(request_copy.url)
        return self._client.send_request(request_copy, stream=stream, **kwargs)

    def _run(self, request: HttpRequest, *, stream: bool = False, error_map: Any = None, **kwargs: Any) -> HttpResponse:
        """Send a request built by an operation; anything but 200 raises, mapped by ``error_map`` first."""
        prefix = self._url_prefix  # the builders' URLs are routes: "/chat/completions?api-version=..."
        request.url = prefix + request.url if prefix is not None else self._client.format_url(request.url)
        try:
            response = self._client.send_request(request, stream=stream, **kwargs)
        except ServiceRequestError as exc:
            add_note(exc, self._route.note(None))
            raise
        if response.status_code != 200:
            if stream:
                response.read()
            raise_for_status(response, error_map, self._route)
        return response

    def close(self) -> None:
        """Close the pipeline and its connections."""
        self._client.close()

    def __enter__(self) -> Self:
        self._client.__enter__()
        return self

    def __exit__(self, *exc_details: Any) -> None:
        self._client.__exit__(*exc_details)
