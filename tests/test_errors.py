"""Error mapping over real sockets: status codes to azure-core exceptions, parsed error bodies, bad 200 bodies."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    DecodeError,
    HttpResponseError,
    ResourceExistsError,
    ResourceNotFoundError,
    ResourceNotModifiedError,
)

from azure.ai.inference.models import UserMessage

from .emulator import Emulator
from .support import client, resolve

MESSAGES = [UserMessage("hi")]

# (status, enqueue keywords, exception type, exact str(exc), exact exc.message, error code) as 1.0.0b9 gave them.
CASES: list[tuple[int, dict[str, Any], type, str, str, Any]] = [
    (
        400,
        {"json": {"error": {"code": "bad_req", "message": "Bad thing happened"}}},
        HttpResponseError,
        "(bad_req) Bad thing happened\nCode: bad_req\nMessage: Bad thing happened",
        "(bad_req) Bad thing happened\nCode: bad_req\nMessage: Bad thing happened",
        "bad_req",
    ),
    (
        401,
        {"json": {"error": {"code": "401", "message": "Access denied due to invalid subscription key."}}},
        ClientAuthenticationError,
        "(401) Access denied due to invalid subscription key.\nCode: 401\n"
        "Message: Access denied due to invalid subscription key.",
        "(401) Access denied due to invalid subscription key.\nCode: 401\n"
        "Message: Access denied due to invalid subscription key.",
        "401",
    ),
    (
        401,
        {"body": b""},
        ClientAuthenticationError,
        "Operation returned an invalid status 'Unauthorized'",
        "Operation returned an invalid status 'Unauthorized'",
        None,
    ),
    (
        404,
        {"json": {"error": {"code": "NotFound", "message": "Resource not found"}}},
        ResourceNotFoundError,
        "(NotFound) Resource not found\nCode: NotFound\nMessage: Resource not found",
        "(NotFound) Resource not found\nCode: NotFound\nMessage: Resource not found",
        "NotFound",
    ),
    (
        409,
        {"json": {"error": {"code": "Conflict", "message": "exists"}}},
        ResourceExistsError,
        "(Conflict) exists\nCode: Conflict\nMessage: exists",
        "(Conflict) exists\nCode: Conflict\nMessage: exists",
        "Conflict",
    ),
    (
        304,
        {"body": b""},
        ResourceNotModifiedError,
        "Operation returned an invalid status 'Not Modified'",
        "Operation returned an invalid status 'Not Modified'",
        None,
    ),
    (
        400,
        {"json": {"code": "content_filter", "message": "The response was filtered", "status": 400}},
        HttpResponseError,
        "(content_filter) The response was filtered\nCode: content_filter\nMessage: The response was filtered",
        "(content_filter) The response was filtered\nCode: content_filter\nMessage: The response was filtered",
        "content_filter",
    ),
    (
        500,
        {"body": b"<html><body>Internal Server Error</body></html>", "content_type": "text/html"},
        HttpResponseError,
        "Operation returned an invalid status 'Internal Server Error'\n"
        "Content: <html><body>Internal Server Error</body></html>",
        "Operation returned an invalid status 'Internal Server Error'",
        None,
    ),
    (
        400,
        {"body": b"plain text error", "content_type": "text/plain"},
        HttpResponseError,
        "Operation returned an invalid status 'Bad Request'\nContent: plain text error",
        "Operation returned an invalid status 'Bad Request'",
        None,
    ),
    (
        400,
        {"json": {"detail": "x"}},
        HttpResponseError,
        'Operation returned an invalid status \'Bad Request\'\nContent: {"detail": "x"}',
        "Operation returned an invalid status 'Bad Request'",
        None,
    ),
    (
        400,
        {"json": {"error": {"message": "only msg"}}},
        HttpResponseError,
        "(None) only msg\nCode: None\nMessage: only msg",
        "(None) only msg\nCode: None\nMessage: only msg",
        None,
    ),
    (
        400,
        {
            "json": {
                "error": {
                    "code": "c",
                    "message": "m",
                    "details": [{"code": "d", "message": "dm"}],
                    "innererror": {"code": "ic"},
                }
            }
        },
        HttpResponseError,
        "(c) m\nCode: c\nMessage: m\nException Details:\t(d) dm\n\tCode: d\n\tMessage: dm\n"
        'Inner error: {\n    "code": "ic"\n}',
        "(c) m\nCode: c\nMessage: m\nException Details:\t(d) dm\n\tCode: d\n\tMessage: dm\n"
        'Inner error: {\n    "code": "ic"\n}',
        "c",
    ),
    (
        201,
        {"json": {"id": "x"}},
        HttpResponseError,
        'Operation returned an invalid status \'Created\'\nContent: {"id": "x"}',
        "Operation returned an invalid status 'Created'",
        None,
    ),
]


@pytest.mark.parametrize(
    ("status", "canned", "exc_type", "text", "message", "code"),
    CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)],
)
async def test_status_maps_to_exception_with_b9_text(
    api: ModuleType,
    emulator: Emulator,
    status: int,
    canned: dict[str, Any],
    exc_type: type,
    text: str,
    message: str,
    code: Any,
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, retry_total=0)
    emulator.enqueue(status, **canned)
    with pytest.raises(HttpResponseError) as info:
        await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    exc = info.value
    assert type(exc) is exc_type
    assert str(exc) == text and exc.message == message
    assert exc.status_code == status and exc.response.status_code == status
    assert (exc.error.code if exc.error is not None else None) == code
    if code is None and "error" not in canned.get("json", {}):
        assert exc.error is None
    assert len(emulator.requests) == 1


async def test_422_detail_is_readable_from_the_exception(api: ModuleType, emulator: Emulator) -> None:
    payload = {
        "code": "parameter_not_supported",
        "message": "Parameter not supported",
        "detail": {"loc": ["body", "response_format"], "input": "json_object"},
        "status": 422,
    }
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    emulator.enqueue(422, json=payload)
    with pytest.raises(HttpResponseError) as info:
        await resolve(chat.complete(messages=MESSAGES, response_format="json_object"))
    await resolve(chat.close())
    exc = info.value
    assert type(exc) is HttpResponseError and exc.status_code == 422 and exc.reason == "Unprocessable Entity"
    assert str(exc) == (
        "(parameter_not_supported) Parameter not supported\nCode: parameter_not_supported\n"
        "Message: Parameter not supported"
    )
    assert exc.error.code == "parameter_not_supported" and exc.error.message == "Parameter not supported"
    assert exc.response.json()["detail"] == {"loc": ["body", "response_format"], "input": "json_object"}


async def test_emulator_rejection_of_unknown_key_is_a_422(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    with pytest.raises(HttpResponseError) as info:
        await resolve(chat.complete({"messages": [{"role": "user", "content": "x"}], "unknown": 1}))
    await resolve(chat.close())
    assert info.value.status_code == 422 and info.value.error.code == "extra_parameters_not_allowed"
    assert info.value.response.json()["detail"]["loc"] == ["body", "unknown"]


async def test_reason_and_error_object_of_a_400(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    emulator.enqueue(400, json={"error": {"code": "bad_req", "message": "Bad thing happened"}})
    with pytest.raises(HttpResponseError) as info:
        await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert info.value.reason == "Bad Request"
    assert info.value.error.message == "Bad thing happened"


@pytest.mark.parametrize(
    ("canned", "content_type", "start"),
    [
        ({"body": b"{not json"}, "application/json", "{not json"),
        ({"body": b"hello", "content_type": "text/plain"}, "text/plain", "hello"),
        ({"json": [1, 2]}, "application/json", "[1, 2]"),
        ({"body": b""}, "application/json", "b''"),
    ],
    ids=["invalid-json", "text-plain", "json-array", "empty"],
)
async def test_200_that_is_not_a_json_object_is_a_decode_error(
    api: ModuleType, emulator: Emulator, canned: dict[str, Any], content_type: str, start: str
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    embeddings = client(api, "EmbeddingsClient", emulator.endpoint)
    emulator.enqueue(200, **canned)
    emulator.enqueue(200, **canned)
    with pytest.raises(DecodeError) as chat_info:
        await resolve(chat.complete(messages=MESSAGES))
    with pytest.raises(DecodeError) as embed_info:
        await resolve(embeddings.embed(input=["a"]))
    await resolve(chat.close())
    await resolve(embeddings.close())
    for exc in (chat_info.value, embed_info.value):
        text = str(exc)
        assert "200" in text and content_type in text and start in text
        assert exc.status_code == 200 and exc.response is not None


async def test_200_with_an_error_object_is_an_http_error(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    emulator.enqueue(200, json={"error": {"code": "busy", "message": "Try later"}})
    with pytest.raises(HttpResponseError) as info:
        await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert type(info.value) is HttpResponseError
    assert info.value.error.code == "busy" and "Try later" in str(info.value)
    assert info.value.status_code == 200


async def test_streaming_error_raises_from_complete_with_the_message(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    emulator.enqueue(400, json={"error": {"code": "bad_req", "message": "Bad stream"}})
    with pytest.raises(HttpResponseError) as info:
        await resolve(chat.complete(messages=MESSAGES, stream=True))
    emulator.enqueue(401, json={"error": {"code": "401", "message": "denied"}})
    with pytest.raises(ClientAuthenticationError):
        await resolve(chat.complete(messages=MESSAGES, stream=True))
    await resolve(chat.close())
    assert str(info.value) == "(bad_req) Bad stream\nCode: bad_req\nMessage: Bad stream"
    assert info.value.status_code == 400 and info.value.error.code == "bad_req"


async def test_retryable_status_is_retried_then_raised(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, retry_total=1, retry_backoff_factor=0)
    for _ in range(2):
        emulator.enqueue(429, json={"error": {"code": "429", "message": "Rate limit"}}, headers={"Retry-After": "0"})
    with pytest.raises(HttpResponseError) as info:
        await resolve(chat.complete(messages=MESSAGES))
    emulator.enqueue(503, body=b"", headers={"Retry-After": "0"})
    result = await resolve(chat.complete(messages=MESSAGES))
    await resolve(chat.close())
    assert str(info.value) == "(429) Rate limit\nCode: 429\nMessage: Rate limit"
    assert info.value.status_code == 429 and info.value.reason == "Too Many Requests"
    assert result.choices[0].message.content == "Echo: hi"
    assert len(emulator.requests) == 4


async def test_get_model_info_404_says_the_route_is_missing(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.url("/noinfo"))
    with pytest.raises(ResourceNotFoundError) as info:
        await resolve(chat.get_model_info())
    await resolve(chat.close())
    assert info.value.message == "Model information is not available on this endpoint (`/info` route not supported)."
    assert info.value.error.code == "NotFound" and info.value.status_code == 404


async def test_errors_of_embeddings_clients_map_the_same_way(api: ModuleType, emulator: Emulator) -> None:
    for name in ("EmbeddingsClient", "ImageEmbeddingsClient"):
        embeddings = client(api, name, emulator.endpoint)
        emulator.enqueue(404, json={"error": {"code": "NotFound", "message": "Resource not found"}})
        with pytest.raises(ResourceNotFoundError) as info:
            await resolve(embeddings.embed(input=["a"] if name == "EmbeddingsClient" else [{"image": "x"}]))
        await resolve(embeddings.close())
        assert str(info.value) == "(NotFound) Resource not found\nCode: NotFound\nMessage: Resource not found"
