"""The connection: the environment read once per client (proxies through a real forward proxy on 127.0.0.1,
NO_PROXY, netrc), ``proxies=`` per client and per call, the pool size, and streams that give their
connection back to the pool. Sync and async alike."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from azure.ai.inference.models import UserMessage

from .emulator import Emulator
from .proxy import ForwardProxy
from .support import client, collect, key, resolve

MESSAGES = [UserMessage("hello")]
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD", "NETRC")
UNUSED_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens, so a request sent there fails


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """A running forward proxy, and an environment with no proxy variable and an empty home (no netrc)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with ForwardProxy() as running:
        yield running


async def chat_once(api: ModuleType, emulator: Emulator, **kwargs: Any) -> None:
    """Build a chat client, send one completion (per-call keywords in ``call``) and close the client."""
    call = kwargs.pop("call", {})
    chat = client(api, "ChatCompletionsClient", emulator.endpoint, **kwargs)
    try:
        result = await resolve(chat.complete(messages=MESSAGES, **call))
        assert result.choices[0].message.content == "Echo: hello"
    finally:
        await resolve(chat.close())


async def test_http_proxy_from_the_environment_is_used(
    api: ModuleType, emulator: Emulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    await chat_once(api, emulator)
    assert proxy.targets == [emulator.endpoint.removeprefix("http://")]
    assert len(emulator.requests) == 1


async def test_no_proxy_bypasses_the_proxy(
    api: ModuleType, emulator: Emulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.com,127.0.0.0/8")
    await chat_once(api, emulator)
    assert proxy.targets == []
    assert len(emulator.requests) == 1


async def test_proxies_keyword_overrides_the_environment(
    api: ModuleType, emulator: Emulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", UNUSED_PROXY)
    await chat_once(api, emulator, proxies={"http": proxy.url})
    await chat_once(api, emulator, call={"proxies": {"http": proxy.url}})
    assert len(proxy.targets) == 2 and len(emulator.requests) == 2


async def test_a_per_call_proxy_overrides_the_clients(api: ModuleType, emulator: Emulator, proxy: ForwardProxy) -> None:
    await chat_once(api, emulator, proxies={"http": UNUSED_PROXY}, call={"proxies": {"http": proxy.url}})
    assert len(proxy.targets) == 1


async def test_the_environment_is_read_when_the_client_is_built(
    api: ModuleType, emulator: Emulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    per_request = client(api, "ChatCompletionsClient", emulator.endpoint, use_env_settings=True)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    try:
        await resolve(chat.complete(messages=MESSAGES))
        assert proxy.targets == []  # built before the variable was set
        await resolve(per_request.complete(messages=MESSAGES))  # azure-core's behaviour: read per request
        assert len(proxy.targets) == 1
    finally:
        await resolve(chat.close())
        await resolve(per_request.close())
    assert len(emulator.requests) == 2


async def test_netrc_entry_of_the_endpoint_host_is_sent_as_basic_auth(
    api: ModuleType, emulator: Emulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login user password secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    await chat_once(api, emulator)  # the emulator still accepts the api-key header
    assert emulator.requests[0].headers["Authorization"] == "Basic dXNlcjpzZWNyZXQ="  # user:secret
    netrc.write_text("machine example.com login user password secret\n")
    await chat_once(api, emulator)
    assert emulator.requests[1].headers["Authorization"] == f"Bearer {key().key}"


def test_connection_limit_is_checked(api: ModuleType, emulator: Emulator) -> None:
    for bad in (0, -1, 1.5, "4", True):
        with pytest.raises(ValueError, match="connection_limit must be a positive integer"):
            client(api, "ChatCompletionsClient", emulator.endpoint, connection_limit=bad)
    with pytest.raises(TypeError, match="connection_limit sizes the default transport's pool"):
        client(api, "ChatCompletionsClient", emulator.endpoint, connection_limit=2, transport=object())


async def test_streams_read_to_the_end_reuse_one_connection(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    try:
        for _ in range(5):
            updates = await collect(await resolve(chat.complete(messages=MESSAGES, stream=True)))
            assert updates[-1].choices[0].finish_reason == "stop"
        await resolve(chat.complete(messages=MESSAGES))
    finally:
        await resolve(chat.close())
    assert len(emulator.requests) == 6
    assert len({request.peer for request in emulator.requests}) == 1


async def test_connection_limit_bounds_the_async_pool(emulator: Emulator) -> None:
    from azure.ai.inference.aio import ChatCompletionsClient

    async def one(chat: Any) -> int:
        return len(await collect(await chat.complete(messages=MESSAGES, stream=True)))

    async with ChatCompletionsClient(emulator.endpoint, key(), connection_limit=3) as chat:
        counts = await asyncio.gather(*(one(chat) for _ in range(30)))
    assert len(set(counts)) == 1 and counts[0] > 1  # every stream whole
    assert len(emulator.requests) == 30
    assert len({request.peer for request in emulator.requests}) <= 3


async def test_each_request_gets_its_own_request_id_unless_one_is_given(api: ModuleType, emulator: Emulator) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint)
    try:
        for _ in range(2):
            await resolve(chat.complete(messages=MESSAGES))
        await resolve(chat.complete(messages=MESSAGES, request_id="mine"))
        await resolve(chat.complete(messages=MESSAGES, headers={"x-ms-client-request-id": "header"}))
    finally:
        await resolve(chat.close())
    ids = [request.headers["x-ms-client-request-id"] for request in emulator.requests]
    assert str(uuid.UUID(ids[0])) == ids[0] and str(uuid.UUID(ids[1])) == ids[1] and ids[0] != ids[1]
    assert ids[2:] == ["mine", "header"]


@pytest.mark.parametrize(
    ("suffix", "path", "query"),
    [
        ("/models", "/models/chat/completions", "api-version=2024-05-01-preview"),
        ("/models/", "/models/chat/completions", "api-version=2024-05-01-preview"),
        ("", "/chat/completions", "api-version=2024-05-01-preview"),
        ("/models?tenant=a", "/models/chat/completions", "tenant=a&api-version=2024-05-01-preview"),
    ],
)
async def test_routes_join_the_endpoint(
    api: ModuleType, emulator: Emulator, suffix: str, path: str, query: str
) -> None:
    chat = client(api, "ChatCompletionsClient", emulator.endpoint + suffix)
    try:
        await resolve(chat.complete(messages=MESSAGES))
        await resolve(chat.complete(messages=MESSAGES, params={"trace": "1"}))
    finally:
        await resolve(chat.close())
    assert [(r.path, r.raw_query) for r in emulator.requests] == [
        (path, query),
        (path, query.replace("api-version", "trace=1&api-version")),
    ]


def test_what_the_environment_says_for_an_endpoint(proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch) -> None:
    from azure.ai.inference._environment import resolve

    monkeypatch.setenv("ALL_PROXY", "proxy.example:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://secure.example:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/bundle.pem")
    monkeypatch.setenv("NO_PROXY", ".internal.example,10.0.0.0/8")
    settings: dict[str, Any] = {}
    assert resolve("https://a.services.ai.azure.com/models", settings, is_async=False) is None  # no netrc
    assert settings == {
        "use_env_settings": False,
        "proxies": {"https": "http://secure.example:3128"},
        "connection_verify": "/etc/bundle.pem",
    }
    settings = {}
    resolve("https://a.services.ai.azure.com/models", settings, is_async=True)  # aiohttp: OpenSSL's variables
    assert "connection_verify" not in settings
    settings = {"connection_verify": False, "proxies": {}}
    resolve("https://a.services.ai.azure.com/models", settings, is_async=False)  # the caller's keywords win
    assert settings == {"connection_verify": False, "proxies": {}, "use_env_settings": False}
    for endpoint in ("http://model.internal.example/v1", "http://10.1.2.3:8080/v1"):
        settings = {}
        resolve(endpoint, settings, is_async=False)
        assert "proxies" not in settings, endpoint
    settings = {}
    resolve("http://model.example/v1", settings, is_async=False)
    assert settings["proxies"] == {"http": "http://proxy.example:3128"}  # ALL_PROXY, scheme added
    for given in ({"transport": object()}, {"use_env_settings": True}):
        settings = dict(given)
        resolve("http://model.example/v1", settings, is_async=False)
        assert settings == given  # azure-core reads the environment itself, per request
