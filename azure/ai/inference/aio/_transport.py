"""The async default transport: azure-core's aiohttp transport, with a settable connection pool size."""

from typing import Any, Optional

import aiohttp
from azure.core.pipeline.transport import AioHttpTransport


class PooledAioHttpTransport(AioHttpTransport):  # type: ignore[misc]  # azure-core types the public name Any
    """``AioHttpTransport`` whose session keeps at most ``connection_limit`` connections (aiohttp's default: 100).

    The session is made when the transport first opens, inside the event loop, with the settings azure-core
    gives its own; once closed, the transport answers a new ``open()`` as azure-core's does.
    """

    session: Optional[aiohttp.ClientSession]

    def __init__(self, *, connection_limit: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._connection_limit = connection_limit
        self._trust_env = kwargs.get("use_env_settings", True)
        self._opened = False

    async def open(self) -> None:
        if self.session is None and not self._opened and self._connection_limit is not None:
            self.session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connection_limit),
                trust_env=self._trust_env,
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
            )
        await super().open()
        self._opened = True
