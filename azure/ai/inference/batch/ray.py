"""Batch work on Ray Data, when one machine is not enough: ``pip install "azure-ai-inference[ray]"``.

``BatchInference`` is a callable class for ``Dataset.map_batches``: each Ray worker builds one of it, holding one
async client and one `BatchRunner`, and runs the Batch API lines of each batch through it. ``shared_limiter``
makes one `RateLimiter` a Ray actor, so that every worker together keeps within one deployment's quota::

    limiter = shared_limiter(rpm=600, tpm=60_000)
    results = ray.data.read_text("requests.jsonl").map_batches(
        BatchInference,
        fn_constructor_kwargs={"endpoint": endpoint, "key": key, "limiter": limiter},
        compute=ray.data.ActorPoolStrategy(size=4),
        num_cpus=0.25,  # waiting on the network: leave CPUs for reading the input
        batch_size=64,
    )

Each output row holds ``custom_id``, ``status_code`` (0 when no answer came), ``error`` (the message, or
``""``) and ``result``: the Batch API result line as JSON text (an answer's shape differs from row to row,
which Arrow columns cannot hold).
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Mapping
from typing import Any, Optional

from azure.core.credentials import AzureKeyCredential

from ._limits import RateLimiter
from ._runner import BatchRunner

try:
    ray: Any = importlib.import_module("ray")
except ImportError as exc:  # the extra is not installed
    raise ImportError('azure.ai.inference.batch.ray needs Ray: pip install "azure-ai-inference[ray]"') from exc


class SharedLimiter:
    """A `RateLimiter` living in a Ray actor: each method call is a remote call, awaited by the runner."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "actor":  # not a limiter method (pickle probes before actor is set)
            raise AttributeError(name)
        method = getattr(self.actor, name)
        return lambda *args: method.remote(*args)


def shared_limiter(
    rpm: Optional[float] = None, tpm: Optional[float] = None, *, name: Optional[str] = None
) -> SharedLimiter:
    """One `RateLimiter` as a Ray actor, shared by every worker given it (or, with ``name``, finding it by name)."""
    actor = ray.remote(num_cpus=0)(RateLimiter)
    if name is not None:
        actor = actor.options(name=name, get_if_exists=True)
    return SharedLimiter(actor.remote(rpm, tpm))


def _plain(value: Any) -> Any:
    """A value of a batch as plain JSON types: Ray Data hands lists inside objects over as numpy arrays."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    return _plain(tolist()) if tolist is not None and not isinstance(value, (str, bytes)) else value


def _lines(batch: Mapping[str, Any]) -> list[Any]:
    """The Batch API lines of a batch: its ``text`` column (``ray.data.read_text``), else its line columns."""
    if "text" in batch:
        return [_plain(line) for line in batch["text"]]
    columns = [name for name in ("custom_id", "method", "url", "body") if name in batch]
    rows = zip(*(batch[name] for name in columns))
    return [{name: _plain(value) for name, value in zip(columns, row)} for row in rows]


class BatchInference:
    """Runs the Batch API lines of each batch through one async client per Ray worker.

    :keyword endpoint: The endpoint of the chat completions or embeddings deployment.
    :keyword key: Its key; or pass ``credential`` (an ``AzureKeyCredential`` or an async token credential).
    :keyword kind: ``"chat"`` or ``"embeddings"``: the client this worker holds.
    :keyword limiter: A `shared_limiter` handle: the quota every worker shares. Without one, ``rpm`` and ``tpm``
        limit this worker alone.
    :keyword client_kwargs: More keywords for the client (``api_version``, ``model``, ...).
    Other keywords (``concurrency``, ``max_retries``, ``max_retry_wait``, ``max_embedding_inputs``, ``model``)
    go to `BatchRunner`.
    """

    def __init__(
        self,
        *,
        endpoint: str,
        key: Optional[str] = None,
        credential: Any = None,
        kind: str = "chat",
        limiter: Any = None,
        client_kwargs: Optional[Mapping[str, Any]] = None,
        **runner_kwargs: Any,
    ) -> None:
        from ..aio import ChatCompletionsClient, EmbeddingsClient

        if kind not in ("chat", "embeddings"):
            raise ValueError(f"kind must be 'chat' or 'embeddings', not {kind!r}")
        if credential is None:
            if key is None:
                raise ValueError("give a key or a credential")
            credential = AzureKeyCredential(key)
        self._loop = asyncio.new_event_loop()
        cls = ChatCompletionsClient if kind == "chat" else EmbeddingsClient
        self._client = cls(endpoint, credential, **dict(client_kwargs or {}))
        chat, embeddings = (self._client, None) if kind == "chat" else (None, self._client)
        self._runner = BatchRunner(chat=chat, embeddings=embeddings, limiter=limiter, ordered=True, **runner_kwargs)

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[Any]]:
        results = self._loop.run_until_complete(self._collect(_lines(batch)))
        return {
            "custom_id": [result["custom_id"] for result in results],
            "status_code": [(result["response"] or {}).get("status_code") or 0 for result in results],
            "error": [(result["error"] or {}).get("message") or "" for result in results],
            "result": [json.dumps(result) for result in results],
        }

    async def _collect(self, lines: list[Any]) -> list[dict[str, Any]]:
        return [result async for result in self._runner.run(lines)]

    def __del__(self) -> None:
        loop = getattr(self, "_loop", None)
        if loop is not None and not loop.is_closed():
            loop.run_until_complete(self._client.close())
            loop.close()
