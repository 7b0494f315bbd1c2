"""Client library for AI model inference: chat completions, embeddings, image embeddings and model info."""

from ._patch import ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient, load_client
from ._version import VERSION

__version__ = VERSION

__all__ = ["ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient", "load_client", "__version__"]
