"""Async clients: the same names as ``azure.ai.inference``, awaitable."""

from ._patch import ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient, load_client

__all__ = ["ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient", "load_client"]
