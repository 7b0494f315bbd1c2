# Generated-style layer: mirrors the TypeSpec definitions named in tsp-location.yaml.
# Customizations belong in the _patch.py files.
"""One configuration for every client, sync and async: api-version, credential, scopes, policies."""

from __future__ import annotations

import itertools
import uuid
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union
from urllib.parse import urlparse

from azure.core.credentials import AzureKeyCredential, TokenCredential
from azure.core.credentials_async import AsyncTokenCredential
from azure.core.exceptions import ServiceRequestError
from azure.core.pipeline import PipelineRequest, policies

from ._routes import Route, route_of
from ._version import VERSION

_NOT_GIVEN: Any = object()
ML_SCOPE = "https://ml.azure.com/.default"
COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default"
# Hosts whose Entra ID audience is Cognitive Services rather than Azure Machine Learning.
_COGNITIVE_SERVICES_HOSTS = (".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")

Credential = Union[AzureKeyCredential, TokenCredential, AsyncTokenCredential]

if TYPE_CHECKING:  # azure-core's policies are generic to type checkers; subscripting them at import is slow
    _SansIOPolicy = policies.SansIOHTTPPolicy[Any, Any]
    _RetryPolicy = policies.RetryPolicy[Any, Any]
    _AsyncRetryPolicy = policies.AsyncRetryPolicy[Any, Any]
else:
    _SansIOPolicy, _RetryPolicy, _AsyncRetryPolicy = (
        policies.SansIOHTTPPolicy,
        policies.RetryPolicy,
        policies.AsyncRetryPolicy,
    )


def default_scopes(endpoint: str) -> List[str]:
    """The Entra ID scope for an endpoint when ``credential_scopes`` is not given."""
    host = (urlparse(endpoint).hostname or "").lower()
    return [COGNITIVE_SERVICES_SCOPE if host.endswith(_COGNITIVE_SERVICES_HOSTS) else ML_SCOPE]


class KeyCredentialPolicy(_SansIOPolicy):
    """Sends the key as ``Authorization: Bearer <key>`` and ``api-key: <key>``, read on every request.

    Serverless, Managed Compute and GitHub Models endpoints read the first header, Azure OpenAI and
    Foundry the second; Azure's OpenAI v1 API is sent the second only (``bearer=False``: one of its front
    ends refuses a request that carries both, langchain-ai/langchainjs#3856). Reading the key per request
    makes ``AzureKeyCredential.update()`` take effect at once. An ``api-key`` header the caller set is left as it is.
    """

    _MARK = "azure.ai.inference.api_key_set"

    def __init__(self, credential: AzureKeyCredential, *, bearer: bool = True) -> None:
        super().__init__()
        self._credential = credential
        self._bearer = bearer

    def on_request(self, request: PipelineRequest[Any]) -> None:
        key = self._credential.key
        headers = request.http_request.headers
        if "api-key" not in headers or request.context.get(self._MARK):
            headers["api-key"] = key
            request.context[self._MARK] = True
        if self._bearer:
            headers["Authorization"] = f"Bearer {key}"


class RefuseEndpointPolicy(_SansIOPolicy):
    """Refuses to send: the client was built (as 1.0.0b9 allowed) for an endpoint that is no absolute http(s) URL."""

    def __init__(self, endpoint: str) -> None:
        super().__init__()
        self._endpoint = endpoint

    def on_request(self, request: PipelineRequest[Any]) -> None:
        raise ServiceRequestError(
            f"The endpoint {self._endpoint!r} is not an absolute http(s) URL such as "
            "'https://<resource>.services.ai.azure.com/models'; nothing was sent."
        )


class RequestIdPolicy(policies.RequestIdPolicy):
    """azure-core's request-id policy, with cheaper ids: still a unique UUID-formatted id per request.

    azure-core makes a version 1 UUID per request, which libuuid may serialize through a clock file lock
    or its daemon; under load that cost more than the rest of our own work on a request. Here each policy
    draws one random (version 4) UUID and counts up in its last 48 bits, and hands each id to azure-core as
    the call's ``request_id`` option, where azure-core would have made one: no id fixed for the client
    (``request_id``, ``set_request_id``) or the call, ``auto_request_id`` on, and no such header yet.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        start = uuid.uuid4().hex
        self._id_prefix = f"{start[:8]}-{start[8:12]}-{start[12:16]}-{start[16:20]}-"
        self._id_counter = itertools.count(int(start[20:], 16))
        self._id_header = kwargs.get("request_id_header_name", "x-ms-client-request-id")
        self._make_ids = "request_id" not in kwargs and kwargs.get("auto_request_id", True)

    def set_request_id(self, value: str) -> None:
        super().set_request_id(value)
        self._make_ids = False

    def on_request(self, request: PipelineRequest[Any]) -> None:
        options = request.context.options
        if self._make_ids and "request_id" not in options and self._id_header not in request.http_request.headers:
            options["request_id"] = f"{self._id_prefix}{next(self._id_counter) & 0xFFFFFFFFFFFF:012x}"
        super().on_request(request)


def endpoint_prefix(endpoint: str) -> Optional[str]:
    """What a route is appended to, when joining is plain concatenation (no query, fragment or template)."""
    parsed = urlparse(endpoint)
    if parsed.query or parsed.fragment or parsed.params or "{" in endpoint or parsed.geturl() != endpoint:
        return None  # azure-core's format_url joins these
    return endpoint.rstrip("/")


class _RetryThrottled:
    """Retry a POST answered 429 even without Retry-After: the service refused it without running it.

    azure-core retries a POST only on 500, 503 and 504 unless the answer carries Retry-After.
    """

    def is_retry(self, settings: Dict[str, Any], response: Any) -> bool:
        if response.http_response.status_code == 429 and settings["total"]:
            return True  # what azure-core's is_retry answers for a 429 when the method may be retried
        return super().is_retry(settings, response)  # type: ignore[misc,no-any-return]


class RetryPolicy(_RetryThrottled, _RetryPolicy):
    """azure-core's retry policy, retrying throttled POSTs too."""


class AsyncRetryPolicy(_RetryThrottled, _AsyncRetryPolicy):
    """azure-core's async retry policy, retrying throttled POSTs too."""


class InferenceClientConfiguration:
    """Settings and policies shared by every client.

    :param endpoint: Service endpoint, for example ``https://<resource>.services.ai.azure.com/models``.
    :param credential: An ``AzureKeyCredential``, or an Entra ID token credential (sync or async).
    :keyword api_version: The ``api-version`` query parameter; ``""`` leaves it out.
    :keyword route: ``"model_inference"`` or ``"openai_v1"``; by default decided from the endpoint (``_routes``).
    :keyword images: For an image embeddings client (the OpenAI v1 API has none).
    :keyword credential_scopes: Entra ID scopes; by default chosen from the endpoint host.
    """

    def __init__(
        self,
        endpoint: str,
        credential: Credential,
        *,
        is_async: bool = False,
        images: bool = False,
        route: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        if endpoint is None:
            raise ValueError("Parameter 'endpoint' must not be None.")
        if not isinstance(endpoint, str):
            raise TypeError(f"endpoint must be a string URL, not {type(endpoint).__name__}")
        if credential is None:
            raise ValueError("Parameter 'credential' must not be None.")
        if not isinstance(credential, AzureKeyCredential) and not hasattr(credential, "get_token"):
            raise TypeError(
                f"Unsupported credential: {type(credential).__name__}. "
                "Use an AzureKeyCredential or a token credential from azure.identity."
            )
        self.endpoint = endpoint
        self.credential = credential
        version = kwargs.pop("api_version", _NOT_GIVEN)  # None, as "", sends none
        self.route: Route = route_of(endpoint, None if version is _NOT_GIVEN else version or "", route, images=images)
        self.api_version = self.route.api_version
        self.credential_scopes: List[str] = kwargs.pop("credential_scopes", None) or default_scopes(endpoint)
        kwargs.setdefault("sdk_moniker", f"ai-inference/{VERSION}")
        self.user_agent_policy = kwargs.get("user_agent_policy") or policies.UserAgentPolicy(**kwargs)
        self.headers_policy = kwargs.get("headers_policy") or policies.HeadersPolicy(**kwargs)
        self.proxy_policy = kwargs.get("proxy_policy") or policies.ProxyPolicy(**kwargs)
        self.logging_policy = kwargs.get("logging_policy") or policies.NetworkTraceLoggingPolicy(**kwargs)
        self.http_logging_policy = kwargs.get("http_logging_policy") or policies.HttpLoggingPolicy(**kwargs)
        self.custom_hook_policy = kwargs.get("custom_hook_policy") or policies.CustomHookPolicy(**kwargs)
        if is_async:
            self.retry_policy = kwargs.get("retry_policy") or AsyncRetryPolicy(**kwargs)
            self.redirect_policy = kwargs.get("redirect_policy") or policies.AsyncRedirectPolicy(**kwargs)
        else:
            self.retry_policy = kwargs.get("retry_policy") or RetryPolicy(**kwargs)
            self.redirect_policy = kwargs.get("redirect_policy") or policies.RedirectPolicy(**kwargs)
        self.authentication_policy = kwargs.get("authentication_policy") or self._auth_policy(is_async, **kwargs)

    def _auth_policy(self, is_async: bool, **kwargs: Any) -> Any:
        if isinstance(self.credential, AzureKeyCredential):
            return KeyCredentialPolicy(self.credential, bearer=self.route.bearer_key)
        bearer = policies.AsyncBearerTokenCredentialPolicy if is_async else policies.BearerTokenCredentialPolicy
        return bearer(self.credential, *self.credential_scopes, **kwargs)  # type: ignore[arg-type]

    def policies(self, **kwargs: Any) -> List[Any]:
        """The pipeline, in azure-core's usual order; first a policy that refuses every request to a bad endpoint."""
        parsed = urlparse(self.endpoint)
        refuse = [] if parsed.scheme in ("http", "https") and parsed.netloc else [RefuseEndpointPolicy(self.endpoint)]
        return [
            *refuse,
            RequestIdPolicy(**kwargs),
            self.headers_policy,
            self.user_agent_policy,
            self.proxy_policy,
            self.redirect_policy,
            self.retry_policy,
            self.authentication_policy,
            self.custom_hook_policy,
            self.logging_policy,
            policies.DistributedTracingPolicy(**kwargs),
            policies.SensitiveHeaderCleanupPolicy(**kwargs),
            self.http_logging_policy,
        ]

    def __repr__(self) -> str:
        return f"<InferenceClientConfiguration endpoint={self.endpoint!r} api_version={self.api_version!r}>"


def client_setup(
    endpoint: str, credential: Credential, kwargs: Dict[str, Any], *, is_async: bool, images: bool = False
) -> Tuple[InferenceClientConfiguration, List[Any]]:
    """The configuration and policies of a sync or async client, built once; ``kwargs`` (the client's keywords)
    gains what the environment says for the endpoint and, unless the caller passed one, the pooled transport.

    The configuration's ``route`` says where the operations go (``_routes``); ``images`` for image embeddings.
    """
    from ._environment import resolve  # what only a client being built needs loads then, not with the package

    route = kwargs.pop("route", None)
    netrc_policy = resolve(endpoint, kwargs, is_async=is_async)
    config = InferenceClientConfiguration(endpoint, credential, is_async=is_async, images=images, route=route, **kwargs)
    pipeline = config.policies(**kwargs)
    if netrc_policy is not None:
        pipeline.append(netrc_policy)  # last: where the transport would have set it
    if "transport" not in kwargs:  # the transports import requests or aiohttp: only when a client is built
        if is_async:
            from .aio._transport import PooledAioHttpTransport as transport
        else:
            from ._transport import PooledRequestsTransport as transport
        kwargs["transport"] = transport(**kwargs)
    return config, pipeline
