"""Today's Azure under its real host names, over real TLS, reached only on 127.0.0.1.

One emulator in Azure mode (tests/azure_today.py) serves TLS on 127.0.0.1 with a certificate for the Azure,
GitHub Models, Serverless and Managed Compute host names, issued by a throwaway ``trustme`` CA. A CONNECT proxy
on 127.0.0.1 (tests/proxy.py) tunnels every ``<host>:443`` to it. Per test, the environment names that proxy
(``HTTPS_PROXY``) and the CA (``REQUESTS_CA_BUNDLE`` for requests, ``SSL_CERT_FILE`` for OpenSSL), which the
package's environment resolver (azure/ai/inference/_environment.py) reads when a client is built: unchanged client
code written for ``https://myres.services.ai.azure.com/models`` then reaches the emulator, hostname verification on.
Name resolution is guarded too: any lookup of a name other than 127.0.0.1 / localhost fails and is recorded.

    async def test_chat(azure_today: AzureWorld, api: ModuleType) -> None:
        client = api.ChatCompletionsClient("https://myres.services.ai.azure.com/models", AzureKeyCredential(KEY))
        await resolve(client.complete(messages=[UserMessage("hi")], model="gpt-4o-mini"))
        assert azure_today.urls == ["https://myres.services.ai.azure.com/openai/v1/chat/completions"]

``azure_today.settings`` holds the emulated resource (``deployments``, ``refuse_both_auth_headers``,
``github_status``), ``azure_today.emulator`` the emulator (``requests``, ``enqueue``, ``accepted_tokens``),
``azure_today.credential(api)`` an Entra stand-in that records the scopes asked for; all reset per test.
"""

from __future__ import annotations

import os
import socket
import ssl
import tempfile
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from .azure_today import AzureToday
from .emulator import EMULATOR_KEY, Emulator, RecordedRequest
from .proxy import ForwardProxy
from .support import RecordingCredential, token_credential

CERT_HOSTS = (
    "*.services.ai.azure.com",  # Foundry (Azure AI Services) resources
    "*.openai.azure.com",  # Azure OpenAI resources
    "*.cognitiveservices.azure.com",  # AI Services resources under their older name
    "models.inference.ai.azure.com",  # GitHub Models, first host
    "models.github.ai",  # GitHub Models, second host
    "*.models.ai.azure.com",  # Serverless API endpoints (<name>.<region>.models.ai.azure.com has two labels...)
    "*.eastus2.models.ai.azure.com",  # ...and a wildcard matches one label, so the common regions are named
    "*.swedencentral.models.ai.azure.com",
    "*.inference.ml.azure.com",  # Managed Compute online endpoints
    "*.eastus2.inference.ml.azure.com",
)
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
LOOPBACK_NAMES = frozenset(["127.0.0.1", "localhost"])


class AzureWorld:
    """The TLS emulator, the CONNECT proxy and the CA; `enter` sets a test's environment to use them."""

    def __init__(self, key: str = EMULATOR_KEY) -> None:
        import trustme  # here, not at the top: conftest imports this module, and only these tests need trustme

        self.key = key
        self.ca = trustme.CA()
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert(*CERT_HOSTS).configure_cert(server_context)
        self.emulator = Emulator(key=key, azure=True, ssl_context=server_context)
        self._directory = tempfile.TemporaryDirectory(prefix="azure-ca-")
        self.ca_path = os.path.join(self._directory.name, "ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_path)
        self.proxy: ForwardProxy | None = None
        self.lookups: list[str] = []  # names whose resolution was refused (anything but loopback)

    def __enter__(self) -> AzureWorld:
        self.emulator.start()
        port = int(self.emulator.endpoint.rsplit(":", 1)[1])
        self.proxy = ForwardProxy(tunnel_port=port).__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.proxy is not None:
            self.proxy.__exit__(*exc_info)
        self.emulator.stop()
        self._directory.cleanup()

    @property
    def settings(self) -> AzureToday:
        """Today's Azure as the emulator plays it: deployments, switches (reset per test)."""
        assert self.emulator.azure_today is not None
        return self.emulator.azure_today

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.emulator.requests

    @property
    def urls(self) -> list[str]:
        """The URL of each request received, as the client sent it (``https://<host><path>?<query>``)."""
        return [request.url for request in self.emulator.requests]

    def credential(self, api: ModuleType, token: str = "entra-token") -> RecordingCredential:
        """A token credential for ``api`` (sync or aio) whose token the emulator accepts; ``.scopes`` records."""
        self.emulator.accepted_tokens.add(token)
        return token_credential(api, token)

    def enter(self, monkeypatch: pytest.MonkeyPatch) -> AzureWorld:
        """Reset the emulator and the records; point this test's environment at the proxy and the CA."""
        assert self.proxy is not None, "the world is not running"
        self.emulator.reset()
        self.proxy.targets.clear()
        self.proxy.connected.clear()
        self.lookups.clear()
        for name in (*PROXY_VARIABLES, "CURL_CA_BUNDLE", "SSL_CERT_DIR"):
            monkeypatch.delenv(name, raising=False)
        for name in ("HTTPS_PROXY", "https_proxy"):  # requests and urllib let the lower-case one win
            monkeypatch.setenv(name, self.proxy.url)
        for name in ("NO_PROXY", "no_proxy"):  # the plain-http emulator of the other tests stays direct
            monkeypatch.setenv(name, "127.0.0.1,localhost")
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", self.ca_path)
        monkeypatch.setenv("SSL_CERT_FILE", self.ca_path)
        _trust_in_aiohttp(monkeypatch)
        monkeypatch.setattr(socket, "getaddrinfo", self._loopback_only(socket.getaddrinfo))
        return self

    def _loopback_only(self, getaddrinfo: Any) -> Any:
        def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
            name = host.decode() if isinstance(host, bytes) else str(host)
            if name not in LOOPBACK_NAMES:
                self.lookups.append(name)
                raise socket.gaierror(socket.EAI_NONAME, f"tests resolve only 127.0.0.1, not {name!r}")
            return getaddrinfo(host, *args, **kwargs)

        return guarded


def _trust_in_aiohttp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give aiohttp the verifying SSL context it would have built had ``SSL_CERT_FILE`` been set at start-up.

    aiohttp (3.10 and later) builds its default verifying context once, when it is imported, and OpenSSL reads
    ``SSL_CERT_FILE`` then; setting the variable later changes nothing for it. Rebuilding the context the same way
    now, with the variable set, is what a user who exports it before starting Python gets.
    """
    import aiohttp.connector as connector

    if hasattr(connector, "_SSL_CONTEXT_VERIFIED") and hasattr(connector, "_make_ssl_context"):
        monkeypatch.setattr(connector, "_SSL_CONTEXT_VERIFIED", connector._make_ssl_context(True))


@pytest.fixture(scope="session")
def _azure_world() -> Iterator[AzureWorld]:
    with AzureWorld() as world:
        yield world


@pytest.fixture
def azure_today(_azure_world: AzureWorld, monkeypatch: pytest.MonkeyPatch) -> AzureWorld:
    """Today's Azure on its real host names over TLS; the environment set so unchanged clients reach it."""
    return _azure_world.enter(monkeypatch)
