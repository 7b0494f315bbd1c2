"""Request builders of the four routes."""

from ._operations import (
    CHAT_COMPLETIONS_OPTIONS,
    EMBEDDINGS_OPTIONS,
    build_chat_completions_complete_request,
    build_embeddings_embed_request,
    build_get_model_info_request,
    build_image_embeddings_embed_request,
)

__all__ = [
    "CHAT_COMPLETIONS_OPTIONS",
    "EMBEDDINGS_OPTIONS",
    "build_chat_completions_complete_request",
    "build_embeddings_embed_request",
    "build_get_model_info_request",
    "build_image_embeddings_embed_request",
]
