"""Hand-written customizations of the models: positional message content, file loaders, ``str()``."""

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, List, Optional, Union

from .._model_base import Model
from . import _models
from ._enums import AudioContentFormat, ImageDetailLevel

_PathLike = Union[str, Path]


def _content_init(message: Model, content: Any, kwargs: dict[str, Any]) -> None:
    """Take ``content`` positionally or by keyword; a mapping positional is the raw JSON."""
    if isinstance(content, Mapping):
        Model.__init__(message, content, **kwargs)
        return
    if content is not None:
        if "content" in kwargs:
            raise ValueError("content cannot be provided as positional and keyword arguments")
        kwargs["content"] = content
    Model.__init__(message, **kwargs)


class SystemMessage(_models.SystemMessage):
    """Instructions for the model: ``SystemMessage("You are helpful.")``."""

    def __init__(self, content: Optional[str] = None, /, **kwargs: Any) -> None:
        _content_init(self, content, kwargs)


class DeveloperMessage(_models.DeveloperMessage):
    """Instructions for the model, for models that use the developer role."""

    def __init__(self, content: Optional[str] = None, /, **kwargs: Any) -> None:
        _content_init(self, content, kwargs)


class UserMessage(_models.UserMessage):
    """Input from the user: ``UserMessage("Hi")`` or ``UserMessage([TextContentItem(...), ...])``."""

    def __init__(self, content: Optional[Union[str, List[_models.ContentItem]]] = None, /, **kwargs: Any) -> None:
        _content_init(self, content, kwargs)


class AssistantMessage(_models.AssistantMessage):
    """A reply of the model, sent back as history."""

    def __init__(self, content: Optional[str] = None, /, **kwargs: Any) -> None:
        _content_init(self, content, kwargs)


class ToolMessage(_models.ToolMessage):
    """The result of a tool call: ``ToolMessage("42", tool_call_id=call.id)``."""

    def __init__(self, content: Optional[str] = None, /, **kwargs: Any) -> None:
        _content_init(self, content, kwargs)


def _read_base64(path: _PathLike) -> str:
    return base64.b64encode(Path(path).read_bytes()).decode("ascii")


class ImageUrl(_models.ImageUrl):
    """An image given by URL, or as a data URL of base64 bytes."""

    @classmethod
    def load(
        cls,
        *,
        image_file: _PathLike,
        image_format: str,
        detail: Optional[Union[str, ImageDetailLevel]] = None,
    ) -> "ImageUrl":
        """An image from a local file, as a ``data:image/<image_format>;base64,...`` URL.

        :keyword image_file: Path of the image file.
        :keyword image_format: Image format, for example ``png`` or ``jpeg``.
        :keyword detail: Level of detail the model should use.
        """
        return cls(url=f"data:image/{image_format};base64,{_read_base64(image_file)}", detail=detail)


class ImageEmbeddingInput(_models.ImageEmbeddingInput):
    """An image to embed, with optional text."""

    @classmethod
    def load(cls, *, image_file: _PathLike, image_format: str, text: Optional[str] = None) -> "ImageEmbeddingInput":
        """An image from a local file, as a ``data:image/<image_format>;base64,...`` URL.

        :keyword image_file: Path of the image file.
        :keyword image_format: Image format, for example ``png`` or ``jpeg``.
        :keyword text: Text to embed with the image.
        """
        return cls(image=f"data:image/{image_format};base64,{_read_base64(image_file)}", text=text)


class InputAudio(_models.InputAudio):
    """Audio as base64 bytes and a format."""

    @classmethod
    def load(cls, *, audio_file: _PathLike, audio_format: Union[str, AudioContentFormat]) -> "InputAudio":
        """Audio from a local file, its bytes base64-encoded in ``data``.

        :keyword audio_file: Path of the audio file.
        :keyword audio_format: ``wav`` or ``mp3``.
        """
        return cls(data=_read_base64(audio_file), format=audio_format)


class _IndentedJson:
    """``str()`` as indented JSON."""

    def __str__(self) -> str:
        return json.dumps(Model.as_dict(self), indent=2)  # type: ignore[arg-type]


class ChatCompletions(_IndentedJson, _models.ChatCompletions):
    """The result of a chat completions request; ``str()`` gives indented JSON."""


class EmbeddingsResult(_IndentedJson, _models.EmbeddingsResult):
    """The result of an embeddings request; ``str()`` gives indented JSON."""


__all__ = [
    "AssistantMessage", "ChatCompletions", "DeveloperMessage", "EmbeddingsResult", "ImageEmbeddingInput",
    "ImageUrl", "InputAudio", "SystemMessage", "ToolMessage", "UserMessage",
]  # fmt: skip
