"""Authentication (key and Entra ID), the Entra ID audience, and keeping the key out of logs and messages."""

from __future__ import annotations

import logging
import types
from types import ModuleType
from typing import Any

import pytest
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ServiceRequestError
from azure.core.pipeline.transport import AsyncHttpTransport, HttpTransport
from azure.core.rest._http_response_impl import HttpResponseImpl
from azure.core.rest._http_response_impl_async import AsyncHttpResponseImpl
from azure.core.utils import CaseInsensitiveDict

from azure.ai.inference._configuration import COGNITIVE_SERVICES_SCOPE, ML_SCOPE
from azure.ai.inference.models import ModelInfo, UserMessage

from .emulator import Emulator
from .support import collect, resolve, token_credential

SECRET = "s3cret-Key-0123456789"
MESSAGES = [UserMessage("hello there")]
INFO_JSON = b'{"model_name": "m", "model_type": "chat_completion", "model_provider_name": "p"}'


def _canned(request: Any, response_type: type) -> Any:
    """A 200 answer with the /info JSON, built without any I/O."""
    response = response_type(
        request=request,
        internal_response=types.SimpleNamespace(close=lambda: None),
        status_code=200,
        reason="OK",
        content_type="application/json",
        headers=CaseInsensitiveDict({"Content-Type": "application/json"}),
        stream_download_generator=None,
    )
    response._content = INFO_JSON
    return response


class RecordingTransport(HttpTransport):
    """Records each request and answers it in-process: nothing leaves the process."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    def send(self, request: Any, **kwargs: Any) -> Any:
        self.requests.append(request)
        return _canned(request, HttpResponseImpl)

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> RecordingTransport:
        return self

    def __exit__(self, *args: Any) -> None:
        pass


class AsyncRecordingTransport(AsyncHttpTransport):
    """The async form of RecordingTransport."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    async def send(self, request: Any, **kwargs: Any) -> Any:
        self.requests.append(request)
        return _canned(request, AsyncHttpResponseImpl)

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def __aenter__(self) -> AsyncRecordingTransport:
        return self

    async def __aexit__(self, *args: Any) -> None:
        pass


def recording_transport(api: ModuleType) -> Any:
    return AsyncRecordingTransport() if api.__name__.endswith(".aio") else RecordingTransport()


# --- Entra ID --------------------------------------------------------------------------------------


async def test_token_credential_over_http_is_refused_before_sending(api: ModuleType, emulator: Emulator) -> None:
    credential = token_credential(api)
    chat = api.ChatCompletionsClient(emulator.endpoint, credential)
    with pytest.raises(ServiceRequestError) as info:
        await resolve(chat.complete(messages=MESSAGES))
    with pytest.raises(ServiceRequestError):
        await resolve(chat.get_model_info())
    await resolve(chat.close())
    assert str(info.value) == "Bearer token authentication is not permitted for non-TLS protected (non-https) URLs."
    assert emulator.requests == []
    assert credential.scopes == []


async def test_token_reaches_the_service_as_bearer(api: ModuleType, emulator: Emulator) -> None:
    emulator.accepted_tokens = {"entra-token"}
    credential = token_credential(api)
    chat = api.ChatCompletionsClient(emulator.endpoint, credential, credential_scopes=["api://custom/.default"])
    # azure-core's per-call opt-out of its https check lets the token travel to the loopback emulator
    first = await resolve(chat.complete(messages=MESSAGES, enforce_https=False))
    await resolve(chat.complete(messages=MESSAGES, enforce_https=False))
    await resolve(chat.close())
    assert first.choices[0].message.content == "Echo: hello there"
    for request in emulator.requests:
        assert request.headers["Authorization"] == "Bearer entra-token"
        assert "api-key" not in request.headers
    assert credential.scopes == [("api://custom/.default",)]  # the token is cached for the second call


async def test_rejected_token_is_an_authentication_error(api: ModuleType, emulator: Emulator) -> None:
    emulator.accepted_tokens = {"another-token"}
    chat = api.ChatCompletionsClient(emulator.endpoint, token_credential(api))
    with pytest.raises(ClientAuthenticationError) as info:
        await resolve(chat.complete(messages=MESSAGES, enforce_https=False))
    await resolve(chat.close())
    assert info.value.status_code == 401 and len(emulator.requests) == 1


@pytest.mark.parametrize(
    ("endpoint", "scope"),
    [
        ("https://res.openai.azure.com/openai/deployments/gpt", COGNITIVE_SERVICES_SCOPE),
        ("https://RES.OpenAI.Azure.com/openai/deployments/gpt", COGNITIVE_SERVICES_SCOPE),
        ("https://res.cognitiveservices.azure.com/models", COGNITIVE_SERVICES_SCOPE),
        ("https://res.services.ai.azure.com/models", COGNITIVE_SERVICES_SCOPE),
        ("https://res.services.ai.azure.com:443/models", COGNITIVE_SERVICES_SCOPE),
        ("https://my-endpoint.eastus2.inference.ml.azure.com", ML_SCOPE),
        ("https://my-model.eastus2.models.ai.azure.com", ML_SCOPE),
        ("https://models.inference.ai.azure.com", ML_SCOPE),
        ("https://example.com/openai.azure.com", ML_SCOPE),
        ("https://openai.azure.com.example.com", ML_SCOPE),
    ],
)
async def test_default_scope_follows_the_host(api: ModuleType, endpoint: str, scope: str) -> None:
    for name in ("ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient"):
        created = getattr(api, name)(endpoint, token_credential(api))
        assert created._config.credential_scopes == [scope]
        await resolve(created.close())
    assert COGNITIVE_SERVICES_SCOPE == "https://cognitiveservices.azure.com/.default"
    assert ML_SCOPE == "https://ml.azure.com/.default"


async def test_explicit_scopes_win(api: ModuleType) -> None:
    chat = api.ChatCompletionsClient(
        "https://res.openai.azure.com", token_credential(api), credential_scopes=["https://ml.azure.com/.default"]
    )
    assert chat._config.credential_scopes == ["https://ml.azure.com/.default"]
    await resolve(chat.close())


@pytest.mark.parametrize(
    ("endpoint", "scope"),
    [
        ("https://res.services.ai.azure.com/models", COGNITIVE_SERVICES_SCOPE),
        ("https://models.inference.ai.azure.com", ML_SCOPE),
    ],
)
async def test_scope_reaches_get_token(api: ModuleType, endpoint: str, scope: str) -> None:
    credential = token_credential(api)
    transport = recording_transport(api)
    # The /info route, kept on purpose: on today's Azure it is retired (tests/test_today_azure.py).
    chat = api.ChatCompletionsClient(endpoint, credential, transport=transport, route="model_inference")
    info = await resolve(chat.get_model_info())
    await resolve(chat.close())
    assert isinstance(info, ModelInfo) and info.model_name == "m"
    assert credential.scopes == [(scope,)]
    (request,) = transport.requests
    assert request.url == f"{endpoint}/info?api-version=2024-05-01-preview"
    assert request.headers["Authorization"] == "Bearer entra-token"
    assert "api-key" not in request.headers


async def test_load_client_passes_scopes_to_the_client_it_returns(api: ModuleType) -> None:
    credential = token_credential(api)
    loaded = await resolve(
        api.load_client(
            "https://res.openai.azure.com/openai/deployments/gpt",
            credential,
            transport=recording_transport(api),
            credential_scopes=["api://x/.default"],
        )
    )
    assert loaded._config.credential_scopes == ["api://x/.default"]
    assert credential.scopes == [("api://x/.default",)]
    await resolve(loaded.close())


# --- key credential --------------------------------------------------------------------------------


async def test_key_goes_in_both_headers_and_update_applies_next_request(api: ModuleType, emulator: Emulator) -> None:
    credential = AzureKeyCredential("emulator-key")
    embeddings = api.EmbeddingsClient(emulator.endpoint, credential)
    await resolve(embeddings.embed(input=["a"]))
    credential.update("rotated-key")
    emulator.key = "rotated-key"
    await resolve(embeddings.get_model_info())
    await resolve(embeddings.close())
    first, second = emulator.requests
    assert (first.headers["api-key"], first.headers["Authorization"]) == ("emulator-key", "Bearer emulator-key")
    assert (second.headers["api-key"], second.headers["Authorization"]) == ("rotated-key", "Bearer rotated-key")


async def test_per_call_api_key_header_is_sent_as_given(api: ModuleType, emulator: Emulator) -> None:
    chat = api.ChatCompletionsClient(emulator.endpoint, AzureKeyCredential("emulator-key"))
    await resolve(chat.complete(messages=MESSAGES, headers={"api-key": "other", "azureml-model-deployment": "dep"}))
    await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    given, plain = emulator.requests
    assert given.headers["api-key"] == "other" and given.headers["azureml-model-deployment"] == "dep"
    assert given.headers["Authorization"] == "Bearer emulator-key"
    assert plain.headers["api-key"] == "emulator-key" and "azureml-model-deployment" not in plain.headers


async def test_constructor_api_key_header_wins(api: ModuleType, emulator: Emulator) -> None:
    chat = api.ChatCompletionsClient(
        emulator.endpoint, AzureKeyCredential("emulator-key"), headers={"api-key": "ctor", "Authorization": "x"}
    )
    await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.get_model_info())
    await resolve(chat.close())
    for request in emulator.requests:
        assert request.headers["api-key"] == "ctor"
        assert request.headers["Authorization"] == "Bearer emulator-key"


# --- secrets ---------------------------------------------------------------------------------------


def _logged_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join([caplog.text, *(record.getMessage() for record in caplog.records)])


async def _calls_that_log(api: ModuleType, emulator: Emulator, **kwargs: Any) -> list[BaseException]:
    """A chat call, a streamed call, a 401 and a 500; the errors raised."""
    emulator.key = SECRET
    chat = api.ChatCompletionsClient(emulator.endpoint, AzureKeyCredential(SECRET), retry_total=0, **kwargs)
    await resolve(chat.complete(messages=MESSAGES))
    updates = await collect(await resolve(chat.complete(messages=MESSAGES, stream=True)))
    assert updates
    errors: list[BaseException] = []
    emulator.enqueue(401, json={"error": {"code": "401", "message": "Access denied due to invalid subscription key."}})
    emulator.enqueue(500, body=b"<html><body>Internal Server Error</body></html>", content_type="text/html")
    for _ in range(2):
        with pytest.raises(HttpResponseError) as info:
            await resolve(chat.complete(messages=MESSAGES))
        errors.append(info.value)
    for text in (str(chat), repr(chat), str(chat._config), repr(chat._config)):
        assert SECRET not in text
    policy = chat._config.authentication_policy
    assert SECRET not in str(policy) and SECRET not in repr(policy)
    await resolve(chat.close())
    assert len(emulator.requests) == 4
    return errors


async def test_key_never_logged_or_shown_without_logging_enable(
    api: ModuleType, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="azure")
    errors = await _calls_that_log(api, emulator)
    assert [type(e) for e in errors] == [ClientAuthenticationError, HttpResponseError]
    for error in errors:
        assert SECRET not in str(error) and SECRET not in repr(error) and SECRET not in str(error.message)
    logged = _logged_text(caplog)
    assert "/chat/completions" in logged  # headers are logged at INFO ...
    assert "REDACTED" in logged  # ... with the credential headers redacted
    assert SECRET not in logged


async def test_logging_enable_logs_whole_requests_including_the_key(
    api: ModuleType, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    # As the README says: logging_enable=True logs whole requests, keys included; keep such logs private.
    caplog.set_level(logging.DEBUG, logger="azure")
    await _calls_that_log(api, emulator, logging_enable=True)
    logged = _logged_text(caplog)
    assert f"'api-key': '{SECRET}'" in logged
    assert f"'Authorization': 'Bearer {SECRET}'" in logged


# --- construction errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("credential", ["a-key-as-str", 42, object()])
async def test_unsupported_credential_is_a_type_error(api: ModuleType, credential: Any) -> None:
    for name in ("ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient"):
        with pytest.raises(TypeError, match="credential"):
            getattr(api, name)("https://host/models", credential)
