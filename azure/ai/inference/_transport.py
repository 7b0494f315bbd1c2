"""The sync default transport: azure-core's requests transport, with a settable connection pool size."""

from typing import Any, Optional

from azure.core.pipeline.transport import RequestsTransport


class PooledRequestsTransport(RequestsTransport):  # type: ignore[misc]  # azure-core types the public name Any
    """``RequestsTransport`` keeping up to ``connection_limit`` connections per host (requests keeps 10)."""

    def __init__(self, *, connection_limit: Optional[int] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._connection_limit = connection_limit

    def open(self) -> None:
        made = self.session is None
        super().open()
        # A session azure-core just made, with its own adapters (retries off, bigger blocks), mounted for http and https
        if made and self.session is not None and self._connection_limit is not None:
            for adapter in {id(a): a for a in self.session.adapters.values()}.values():
                adapter.init_poolmanager(self._connection_limit, self._connection_limit)
