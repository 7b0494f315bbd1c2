"""What the environment says about the connection to a client's one endpoint, read once when the client is built.

azure-core's transports, left to their default ``use_env_settings=True``, ask the environment on every request:
requests scans the proxy variables, aiohttp resolves proxies and reads ``~/.netrc`` on an executor thread.
A client talks to one endpoint, so the answer cannot change between its requests unless the environment does;
like httpx, we read it when the client is built and hand the result to the transport, with the per-request
lookups turned off. What is read, as requests and aiohttp read it:

- ``HTTPS_PROXY`` / ``HTTP_PROXY`` (per the endpoint's scheme), else ``ALL_PROXY``, unless ``NO_PROXY``
  names the endpoint's host (suffixes, ``*``, ports, and CIDR blocks for IP hosts, as requests allows);
- ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` for the sync (requests) transport; aiohttp takes its CA
  bundle from OpenSSL, which reads ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` itself;
- the netrc entry of the endpoint's host (``NETRC``, else ``~/.netrc`` or ``~/_netrc``): both transports
  send it as basic auth in the ``Authorization`` header.
"""

from __future__ import annotations

import base64
import ipaddress
import netrc
import os
import urllib.request  # 10 ms to import: this module loads when a client is built, not with the package
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urlparse

from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import SansIOHTTPPolicy


def _no_proxy_match(host: str, port: Optional[int], no_proxy: str) -> bool:
    """Whether ``NO_PROXY`` names the host: a CIDR block holding an IP host, else urllib's suffix rules."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        for entry in no_proxy.replace(" ", "").split(","):
            if "/" in entry:
                try:
                    if address in ipaddress.ip_network(entry, strict=False):
                        return True
                except ValueError:
                    continue
    netloc = host if port is None else f"{host}:{port}"
    return bool(urllib.request.proxy_bypass_environment(netloc, {"no": no_proxy}))  # type: ignore[attr-defined]


def proxy_for(url: str) -> Optional[str]:
    """The proxy the environment names for ``url``, or ``None``."""
    parsed = urlparse(url)
    proxies = urllib.request.getproxies_environment()  # lower case wins over upper case, as in requests
    no_proxy = proxies.pop("no", "")
    proxy = proxies.get(parsed.scheme) or proxies.get("all")
    if not proxy or (no_proxy and _no_proxy_match(parsed.hostname or "", parsed.port, no_proxy)):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"  # "host:port" means an HTTP proxy to both stacks


def netrc_auth(host: str) -> Optional[Tuple[str, str]]:
    """The netrc login and password for ``host``, or ``None``; a missing or unreadable file is no entry."""
    path = os.environ.get("NETRC")
    candidates = [path] if path else [os.path.expanduser(f"~/{name}") for name in (".netrc", "_netrc")]
    for candidate in candidates:
        if not os.path.isfile(candidate):
            continue
        try:
            entry = netrc.netrc(candidate).authenticators(host)
        except (netrc.NetrcParseError, OSError):
            return None
        if entry is None:
            return None
        login, account, password = entry
        return (login or account or ""), (password or "")
    return None


class NetrcAuthPolicy(SansIOHTTPPolicy[Any, Any]):
    """Sends the netrc credentials of the endpoint host as basic auth, as both transports would per request."""

    def __init__(self, login: str, password: str) -> None:
        super().__init__()
        self._value = "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode("ascii")

    def on_request(self, request: PipelineRequest[Any]) -> None:
        request.http_request.headers["Authorization"] = self._value

    def __repr__(self) -> str:
        return "<NetrcAuthPolicy>"  # never the credentials


def resolve(endpoint: str, kwargs: Dict[str, Any], *, is_async: bool) -> Optional[NetrcAuthPolicy]:
    """Fill ``kwargs`` (the client's keywords) with what the environment says, once; the netrc policy if any.

    Also checks ``connection_limit``, which only the default transport takes.

    Nothing is read when the caller passes a ``transport`` or ``use_env_settings``: ``True`` keeps azure-core's
    per-request behaviour, ``False`` ignores the environment. ``proxies=`` and ``connection_verify=`` given by
    the caller win over the environment.
    """
    if not isinstance(endpoint, str):
        return None  # the configuration says what is wrong with it
    limit = kwargs.get("connection_limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ValueError(f"connection_limit must be a positive integer, got {limit!r}")
    if "transport" in kwargs:
        if kwargs.pop("connection_limit", None) is not None:
            raise TypeError("connection_limit sizes the default transport's pool; set it on the transport you pass")
        return None
    if "use_env_settings" in kwargs:
        return None
    kwargs["use_env_settings"] = False
    if "proxies" not in kwargs:
        proxy = proxy_for(endpoint)
        if proxy:
            kwargs["proxies"] = {urlparse(endpoint).scheme: proxy}
    if not is_async and "connection_verify" not in kwargs and endpoint.lower().startswith("https:"):
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            kwargs["connection_verify"] = bundle
    credentials = netrc_auth(urlparse(endpoint).hostname or "")
    return NetrcAuthPolicy(*credentials) if credentials else None
