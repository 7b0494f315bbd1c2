# Generated-style layer: mirrors the TypeSpec definitions named in tsp-location.yaml.
# Customizations belong in _patch.py.
"""Enums of the Azure AI Model Inference API. All are open: the service may send other values."""

from enum import Enum

from azure.core import CaseInsensitiveEnumMeta


class AudioContentFormat(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Format of input audio."""

    WAV = "wav"
    MP3 = "mp3"


class ChatCompletionsToolChoicePreset(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """How the model may use the tools it is given."""

    AUTO = "auto"
    NONE = "none"
    REQUIRED = "required"


class ChatRole(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Role of a chat message author."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
    DEVELOPER = "developer"


class CompletionsFinishReason(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Why a choice stopped generating."""

    STOPPED = "stop"
    TOKEN_LIMIT_REACHED = "length"
    CONTENT_FILTERED = "content_filter"
    TOOL_CALLS = "tool_calls"


class EmbeddingEncodingFormat(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Encoding of returned embeddings."""

    BASE64 = "base64"
    BINARY = "binary"
    FLOAT = "float"
    INT8 = "int8"
    UBINARY = "ubinary"
    UINT8 = "uint8"


class EmbeddingInputType(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """What an embeddings input is used for."""

    TEXT = "text"
    QUERY = "query"
    DOCUMENT = "document"


class ImageDetailLevel(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Level of detail the model should use for an image."""

    AUTO = "auto"
    LOW = "low"
    HIGH = "high"


class ModelType(str, Enum, metaclass=CaseInsensitiveEnumMeta):
    """Kind of model behind an endpoint."""

    EMBEDDINGS = "embeddings"
    IMAGE_GENERATION = "image_generation"
    TEXT_GENERATION = "text_generation"
    IMAGE_EMBEDDINGS = "image_embeddings"
    AUDIO_GENERATION = "audio_generation"
    CHAT_COMPLETION = "chat_completion"
