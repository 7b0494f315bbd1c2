"""The sync default transport: azure-core's requests transport, with a settable connection pool size."""

from typing import Any, Optional

import requests
from azure.core.pipeline.transport._requests_basic import RequestsTransport  # the public name is a lazy Any


class PooledRequestsTransport(RequestsTransport):
    """``RequestsTransport`` keeping up to ``connection_limit`` connections per host (requests keeps 10)."""

    def __init__(self, *, connection_limit: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._connection_limit = connection_limit

    def _init_session(self, session: requests.Session) -> None:
        super()._init_session(session)
        if self._connection_limit is not None:
            for adapter in session.adapters.values():  # azure-core's adapters: retries off, bigger blocks
                adapter.init_poolmanager(self._connection_limit, self._connection_limit)  # type: ignore[attr-defined]
