"""Batch work at scale: Batch API files through the async clients, within a quota, resumable from the command line.

``BatchRunner`` runs Batch API lines (``{"custom_id", "method", "url", "body"}``) through an async
``ChatCompletionsClient`` and ``EmbeddingsClient`` and yields Batch API results; ``RateLimiter`` paces to a
deployment's requests- and tokens-per-minute quota. ``python -m azure.ai.inference batch IN OUT`` is the
command line over them. Not imported by ``import azure.ai.inference``.
"""

from ._items import result_key
from ._limits import RateLimiter
from ._runner import BatchRunner, BatchStats

__all__ = ["BatchRunner", "BatchStats", "RateLimiter", "result_key"]
