"""The async default transport: azure-core's aiohttp transport, with a settable connection pool size."""

from typing import Any, Optional

import aiohttp
from azure.core.pipeline.transport._aiohttp import AioHttpTransport  # the public name is a lazy Any


class PooledAioHttpTransport(AioHttpTransport):
    """``AioHttpTransport`` whose session keeps at most ``connection_limit`` connections (aiohttp's default: 100).

    The session is made when the transport opens, inside the event loop, as azure-core makes its own.
    """

    def __init__(self, *, connection_limit: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._connection_limit = connection_limit

    async def open(self) -> None:
        if self.session is None and self._session_owner and not self._has_been_opened:
            self.session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connection_limit or 100),
                trust_env=self._use_env_settings,
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
            )
        await super().open()  # type: ignore[no-untyped-call]
