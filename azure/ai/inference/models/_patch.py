"""Hand-written customizations of the models: positional content, file loaders, tools, structured output, ``str()``."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from typing import Any, Callable, Iterable, List, Optional, Sequence, Type, TypeVar, Union, overload

from .._model_base import Model
from . import _models
from ._enums import AudioContentFormat, ImageDetailLevel

_PathLike = Union[str, os.PathLike[str]]  # not pathlib: 3 ms to import
_P = TypeVar("_P")


def _content_init(message: Model, content: Any, kwargs: dict[str, Any]) -> None:
    """Take ``content`` positionally or by keyword; a mapping positional is the raw JSON."""
    if type(content) is str and not kwargs:  # SystemMessage("..."): the common case, built directly
        object.__setattr__(message, "_data", {**message._defaults, "content": content})
        return
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

    def __init__(self, content: Union[str, Mapping[str, Any], None] = None, /, **kwargs: Any) -> None:
        _content_init(self, content, kwargs)


class DeveloperMessage(_models.DeveloperMessage):
    """Instructions for the model, for models that use the developer role."""

    def __init__(self, content: Union[str, Mapping[str, Any], None] = None, /, **kwargs: Any) -> None:
        _content_init(self, content, kwargs)


class UserMessage(_models.UserMessage):
    """Input from the user: ``UserMessage("Hi")`` or ``UserMessage([TextContentItem(...), ...])``."""

    def __init__(
        self, content: Union[str, Sequence[_models.ContentItem], Mapping[str, Any], None] = None, /, **kwargs: Any
    ) -> None:
        _content_init(self, content, kwargs)


class AssistantMessage(_models.AssistantMessage):
    """A reply of the model, sent back as history."""

    def __init__(self, content: Union[str, Mapping[str, Any], None] = None, /, **kwargs: Any) -> None:
        _content_init(self, content, kwargs)


class ToolMessage(_models.ToolMessage):
    """The result of a tool call: ``ToolMessage("42", tool_call_id=call.id)``."""

    def __init__(self, content: Union[str, Mapping[str, Any], None] = None, /, **kwargs: Any) -> None:
        _content_init(self, content, kwargs)


def _read_base64(path: _PathLike) -> str:
    with open(path, "rb") as file:
        return base64.b64encode(file.read()).decode("ascii")


class ImageUrl(_models.ImageUrl):
    """An image given by URL, or as a data URL of base64 bytes."""

    @classmethod
    def load(
        cls,
        *,
        image_file: _PathLike,
        image_format: str,
        detail: Optional[Union[str, ImageDetailLevel]] = None,
    ) -> ImageUrl:
        """An image from a local file, as a ``data:image/<image_format>;base64,...`` URL.

        :keyword image_file: Path of the image file.
        :keyword image_format: Image format, for example ``png`` or ``jpeg``.
        :keyword detail: Level of detail the model should use.
        """
        return cls(url=f"data:image/{image_format};base64,{_read_base64(image_file)}", detail=detail)


class ImageEmbeddingInput(_models.ImageEmbeddingInput):
    """An image to embed, with optional text."""

    @classmethod
    def load(cls, *, image_file: _PathLike, image_format: str, text: Optional[str] = None) -> ImageEmbeddingInput:
        """An image from a local file, as a ``data:image/<image_format>;base64,...`` URL.

        :keyword image_file: Path of the image file.
        :keyword image_format: Image format, for example ``png`` or ``jpeg``.
        :keyword text: Text to embed with the image.
        """
        return cls(image=f"data:image/{image_format};base64,{_read_base64(image_file)}", text=text)


class InputAudio(_models.InputAudio):
    """Audio as base64 bytes and a format."""

    @classmethod
    def load(cls, *, audio_file: _PathLike, audio_format: Union[str, AudioContentFormat]) -> InputAudio:
        """Audio from a local file, its bytes base64-encoded in ``data``.

        :keyword audio_file: Path of the audio file.
        :keyword audio_format: ``wav`` or ``mp3``.
        """
        return cls(data=_read_base64(audio_file), format=audio_format)


class ImageContentItem(_models.ImageContentItem):
    """Image content; ``image=`` is accepted as another name of ``image_url=``, as some documentation writes it."""

    @overload
    def __init__(self, *, image_url: _models.ImageUrl) -> None: ...
    @overload
    def __init__(self, *, image: _models.ImageUrl) -> None: ...
    @overload
    def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
    def __init__(self, *args: Any, image: Optional[_models.ImageUrl] = None, **kwargs: Any) -> None:
        if image is not None:
            if kwargs.get("image_url") is not None:
                raise TypeError("ImageContentItem() takes image_url or image, not both")
            kwargs["image_url"] = image
        super().__init__(*args, **kwargs)


class ChatCompletionsToolDefinition(_models.ChatCompletionsToolDefinition):
    """A tool the model may call; ``from_function()`` builds one from a typed Python function."""

    @classmethod
    def from_function(cls, function: Callable[..., Any]) -> ChatCompletionsToolDefinition:
        """A tool definition from a function: its name, its docstring, and a JSON schema of its parameters.

        The schema comes from the type hints (str, int, float, bool, Optional, Literal, enums, lists, dicts,
        pydantic models) and defaults; ``:param name: text`` lines of the docstring describe the parameters.

        :param function: A typed Python function.
        :return: The tool definition, to pass in ``tools=``.
        """
        from .._tools import function_definition  # loaded on first use, not at import time

        return cls(function=_models.FunctionDefinition(function_definition(function)))


class ChatResponseMessage(_models.ChatResponseMessage):
    """The message of a chat choice; ``parse()`` reads structured output, ``run_tool_calls()`` runs tools."""

    def parse(self, model_class: Type[_P]) -> _P:
        """The content parsed as JSON into ``model_class`` (a pydantic model), for structured output.

        :param model_class: The pydantic model class the reply was asked to follow.
        :return: An instance of ``model_class``.
        :raises ValueError: The message has no content, or it is not that model.
        """
        if self.content is None:
            raise ValueError(f"The message has no content to parse as {model_class.__name__}.")
        try:
            return model_class.model_validate_json(self.content)  # type: ignore[attr-defined,no-any-return]
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise ValueError(
                f"The model's reply is not a valid {model_class.__name__}: {exc}\nThe reply: {self.content[:500]!r}"
            ) from exc

    def run_tool_calls(self, functions: Iterable[Callable[..., Any]]) -> List[ToolMessage]:
        """Call the function each tool call names with its arguments, and return the messages to send back.

        :param functions: The functions the tools were made from (``ChatCompletionsToolDefinition.from_function``).
        :return: One ``ToolMessage`` per tool call, in order; empty if the message has none.
        :raises ValueError: A tool call names an unknown function or has arguments that are not a JSON object.
        """
        from .._tools import run_tool_calls

        return run_tool_calls(self.tool_calls or (), functions)


# Names the documentation uses for current models; each is the very same class, so it serializes alike.
ChatCompletionsFunctionToolDefinition = ChatCompletionsToolDefinition
ChatCompletionsResponseFormatJSON = _models.ChatCompletionsResponseFormatJsonObject


class _IndentedJson:
    """``str()`` as indented JSON."""

    def __str__(self) -> str:
        return json.dumps(Model.as_dict(self), indent=2)  # type: ignore[arg-type]


class ChatCompletions(_IndentedJson, _models.ChatCompletions):
    """The result of a chat completions request; ``str()`` gives indented JSON."""


class EmbeddingsResult(_IndentedJson, _models.EmbeddingsResult):
    """The result of an embeddings request; ``str()`` gives indented JSON."""


__all__ = [
    "AssistantMessage",
    "ChatCompletions",
    "ChatCompletionsFunctionToolDefinition",
    "ChatCompletionsResponseFormatJSON",
    "ChatCompletionsToolDefinition",
    "ChatResponseMessage",
    "DeveloperMessage",
    "EmbeddingsResult",
    "ImageContentItem",
    "ImageEmbeddingInput",
    "ImageUrl",
    "InputAudio",
    "SystemMessage",
    "ToolMessage",
    "UserMessage",
]
