# Generated-style layer: mirrors the TypeSpec definitions named in tsp-location.yaml.
# Customizations belong in the _patch.py files.
"""Request builders: method, route, query and headers of each operation, and the body fields in spec order."""

from __future__ import annotations

from typing import Any, Mapping, Optional
from urllib.parse import quote

from azure.core.rest import HttpRequest

from ._core import Request

# Body fields of each request, in the order the spec declares them (and the service receives them).
CHAT_COMPLETIONS_OPTIONS = (
    "messages", "stream", "frequency_penalty", "max_tokens", "model", "presence_penalty", "response_format",
    "seed", "stop", "temperature", "tool_choice", "tools", "top_p",
)  # fmt: skip
EMBEDDINGS_OPTIONS = ("input", "dimensions", "encoding_format", "input_type", "model")


# HttpRequest, or a faster one that answers as it does (see _core): the requests of every operation.
_Request = Request


def _build(
    method: str,
    route: str,
    *,
    api_version: str,
    content: Any = None,
    extra_params: Optional[str] = None,
    headers: Optional[Mapping[str, str]] = None,
    params: Optional[Mapping[str, Any]] = None,
    content_type: Optional[str] = None,
    **kwargs: Any,
) -> HttpRequest:
    request_headers = {"Content-Type": "application/json"} if content is not None else {}
    request_headers["Accept"] = "application/json"
    if params:
        query = dict(params)
        query.pop("api-version", None)  # the client's api-version wins, and comes last
        if api_version:  # OpenAI v1-style endpoints take no api-version
            query["api-version"] = api_version
        request = _Request(method, route, params=query, headers=request_headers, content=content, **kwargs)
    else:  # the query azure-core would write for {"api-version": api_version}, without parsing the URL
        url = f"{route}?api-version={api_version}" if api_version else route
        request = _Request(method, url, headers=request_headers, content=content, **kwargs)
    if extra_params is not None:
        request.headers["extra-parameters"] = extra_params
    for name, value in (headers or {}).items():  # the caller's headers win, but model_extras need pass-through
        if extra_params is None or name.lower() != "extra-parameters":
            request.headers[name] = value
    if content_type:  # the keyword wins over a Content-Type in the headers
        request.headers["Content-Type"] = content_type
    return request


def build_chat_completions_complete_request(**kwargs: Any) -> HttpRequest:
    """POST /chat/completions."""
    return _build("POST", "/chat/completions", **kwargs)


def build_embeddings_embed_request(**kwargs: Any) -> HttpRequest:
    """POST /embeddings."""
    return _build("POST", "/embeddings", **kwargs)


def build_image_embeddings_embed_request(**kwargs: Any) -> HttpRequest:
    """POST /images/embeddings."""
    return _build("POST", "/images/embeddings", **kwargs)


def build_get_model_info_request(**kwargs: Any) -> HttpRequest:
    """GET /info."""
    return _build("GET", "/info", **kwargs)


def build_list_models_request(**kwargs: Any) -> HttpRequest:
    """GET /models (OpenAI v1)."""
    return _build("GET", "/models", **kwargs)


def build_get_model_request(model: str, **kwargs: Any) -> HttpRequest:
    """GET /models/{model} (OpenAI v1)."""
    return _build("GET", f"/models/{quote(model, safe='')}", **kwargs)
