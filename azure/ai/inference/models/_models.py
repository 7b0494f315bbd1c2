# Generated-style layer: mirrors the TypeSpec definitions named in tsp-location.yaml.
# Customizations belong in _patch.py.
"""Models of the Azure AI Model Inference API, leaves first."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Mapping, Optional, Union, overload

from .._model_base import Model, enum_value, list_of, nested, rest_field, unix_time
from ._enums import (
    AudioContentFormat,
    ChatRole,
    CompletionsFinishReason,
    ImageDetailLevel,
    ModelType,
)

if TYPE_CHECKING:  # as generated code does: fields name the public models, customizations included
    from .. import models as _models

__all__ = [
    "AssistantMessage",
    "AudioContentItem",
    "ChatChoice",
    "ChatCompletions",
    "ChatCompletionsNamedToolChoice",
    "ChatCompletionsNamedToolChoiceFunction",
    "ChatCompletionsResponseFormat",
    "ChatCompletionsResponseFormatJsonObject",
    "ChatCompletionsResponseFormatJsonSchema",
    "ChatCompletionsResponseFormatText",
    "ChatCompletionsToolCall",
    "ChatCompletionsToolDefinition",
    "ChatRequestMessage",
    "ChatResponseMessage",
    "CompletionsUsage",
    "ContentItem",
    "DeveloperMessage",
    "EmbeddingItem",
    "EmbeddingsResult",
    "EmbeddingsUsage",
    "FunctionCall",
    "FunctionDefinition",
    "ImageContentItem",
    "ImageEmbeddingInput",
    "ImageUrl",
    "InputAudio",
    "JsonSchemaFormat",
    "ModelInfo",
    "StreamingChatChoiceUpdate",
    "StreamingChatCompletionsUpdate",
    "StreamingChatResponseMessageUpdate",
    "StreamingChatResponseToolCallUpdate",
    "SystemMessage",
    "TextContentItem",
    "ToolMessage",
    "UserMessage",
]


# --- Request content -------------------------------------------------------------------------------


class ContentItem(Model, discriminator="type"):
    """An item of user message content, discriminated by ``type``."""

    type: str = rest_field()
    """The kind of content item."""


_content_item = nested(ContentItem)


class TextContentItem(ContentItem):
    """Text content."""

    _defaults = {"type": "text"}
    type: Literal["text"] = rest_field()
    text: str = rest_field()
    """The text."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, text: str) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class ImageUrl(Model):
    """An image given by URL, or as a data URL of base64 bytes."""

    url: str = rest_field()
    """An http(s) URL or a ``data:image/<format>;base64,...`` URL."""
    detail: Optional[Union[str, ImageDetailLevel]] = rest_field(enum_value(ImageDetailLevel))
    """Level of detail the model should use."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, url: str, detail: Optional[Union[str, ImageDetailLevel]] = None) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class ImageContentItem(ContentItem):
    """Image content."""

    _defaults = {"type": "image_url"}
    type: Literal["image_url"] = rest_field()
    image_url: _models.ImageUrl = rest_field(nested(ImageUrl))
    """The image."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, image_url: ImageUrl) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class InputAudio(Model):
    """Audio as base64 bytes and a format."""

    data: str = rest_field()
    """Base64 bytes of the audio."""
    format: Union[str, AudioContentFormat] = rest_field(enum_value(AudioContentFormat))
    """Audio format."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, data: str, format: Union[str, AudioContentFormat]) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class AudioContentItem(ContentItem):
    """Audio content."""

    _defaults = {"type": "input_audio"}
    type: Literal["input_audio"] = rest_field()
    input_audio: _models.InputAudio = rest_field(nested(InputAudio))
    """The audio."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, input_audio: InputAudio) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


# --- Tools -----------------------------------------------------------------------------------------


class FunctionCall(Model):
    """A function the model wants called."""

    name: str = rest_field()
    """Function name."""
    arguments: str = rest_field()
    """Arguments as a JSON string, as the model wrote them (they may not be valid JSON)."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, name: str, arguments: str) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class ChatCompletionsToolCall(Model):
    """A tool call made by the model."""

    _trailing = {"type": "function"}
    id: str = rest_field()
    """Tool call id, to be echoed in the ``ToolMessage`` that answers it."""
    type: Literal["function"] = rest_field()
    function: FunctionCall = rest_field(nested(FunctionCall))
    """The function call."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, id: str, function: FunctionCall) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class FunctionDefinition(Model):
    """A function the model may call."""

    name: str = rest_field()
    """Function name."""
    description: Optional[str] = rest_field()
    """What the function does, for the model."""
    parameters: Optional[Dict[str, Any]] = rest_field()
    """JSON schema of the parameters."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(
            self, *, name: str, description: Optional[str] = None, parameters: Optional[Mapping[str, Any]] = None
        ) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class ChatCompletionsToolDefinition(Model):
    """A tool the model may call."""

    _trailing = {"type": "function"}
    type: Literal["function"] = rest_field()
    function: FunctionDefinition = rest_field(nested(FunctionDefinition))
    """The function definition."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, function: FunctionDefinition) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class ChatCompletionsNamedToolChoiceFunction(Model):
    """The function a named tool choice forces."""

    name: str = rest_field()
    """Function name."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, name: str) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class ChatCompletionsNamedToolChoice(Model):
    """A tool choice forcing one named function."""

    _trailing = {"type": "function"}
    type: Literal["function"] = rest_field()
    function: ChatCompletionsNamedToolChoiceFunction = rest_field(nested(ChatCompletionsNamedToolChoiceFunction))
    """The function to call."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, function: ChatCompletionsNamedToolChoiceFunction) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


# --- Messages --------------------------------------------------------------------------------------


class ChatRequestMessage(Model, discriminator="role"):
    """A chat request message, discriminated by ``role``."""

    role: Union[str, ChatRole] = rest_field()
    """Role of the author."""


class SystemMessage(ChatRequestMessage):
    """Instructions for the model."""

    _defaults = {"role": "system"}
    content: str = rest_field()
    """The instructions."""


class DeveloperMessage(ChatRequestMessage):
    """Instructions for the model, for models that use the developer role."""

    _defaults = {"role": "developer"}
    content: str = rest_field()
    """The instructions."""


class UserMessage(ChatRequestMessage):
    """Input from the user."""

    _defaults = {"role": "user"}
    content: Union[str, List[ContentItem]] = rest_field(
        lambda value: value if isinstance(value, str) else [_content_item(item) for item in value], models=True
    )
    """Text, or a list of content items."""


class AssistantMessage(ChatRequestMessage):
    """A reply of the model, sent back as history."""

    _defaults = {"role": "assistant"}
    content: Optional[str] = rest_field()
    """The reply text."""
    tool_calls: Optional[List[ChatCompletionsToolCall]] = rest_field(list_of(nested(ChatCompletionsToolCall)))
    """Tool calls the model made."""
    reasoning_content: Optional[str] = rest_field()
    """The reasoning of a reasoning model (DeepSeek-R1 style), when sent back in history."""


class ToolMessage(ChatRequestMessage):
    """The result of a tool call."""

    _defaults = {"role": "tool"}
    content: Optional[str] = rest_field()
    """The tool's output."""
    tool_call_id: str = rest_field()
    """Id of the tool call this answers."""


# --- Response formats --------------------------------------------------------------------------------


class JsonSchemaFormat(Model):
    """A JSON schema the model's output must follow."""

    name: str = rest_field()
    """Name of the schema."""
    schema: Dict[str, Any] = rest_field()
    """The JSON schema."""
    description: Optional[str] = rest_field()
    """What the schema is for."""
    strict: Optional[bool] = rest_field()
    """Whether the output must follow the schema exactly."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(
            self,
            *,
            name: str,
            schema: Mapping[str, Any],
            description: Optional[str] = None,
            strict: Optional[bool] = None,
        ) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class ChatCompletionsResponseFormat(Model, discriminator="type"):
    """Format of the model's output, discriminated by ``type``."""

    type: str = rest_field()
    """The kind of format."""


class ChatCompletionsResponseFormatText(ChatCompletionsResponseFormat):
    """Plain text output."""

    _defaults = {"type": "text"}

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class ChatCompletionsResponseFormatJsonObject(ChatCompletionsResponseFormat):
    """Output that is a JSON object."""

    _defaults = {"type": "json_object"}

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class ChatCompletionsResponseFormatJsonSchema(ChatCompletionsResponseFormat):
    """Output following a JSON schema."""

    _defaults = {"type": "json_schema"}
    json_schema: JsonSchemaFormat = rest_field(nested(JsonSchemaFormat))
    """The schema."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, json_schema: JsonSchemaFormat) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


# --- Chat responses ----------------------------------------------------------------------------------


class CompletionsUsage(Model):
    """Token counts of a chat completion."""

    completion_tokens: int = rest_field()
    """Tokens generated."""
    prompt_tokens: int = rest_field()
    """Tokens in the prompt."""
    total_tokens: int = rest_field()
    """Sum of both."""


class ChatResponseMessage(Model):
    """The message of a chat choice."""

    role: Union[str, ChatRole] = rest_field(enum_value(ChatRole))
    """Role of the author (``assistant``)."""
    content: Optional[str] = rest_field()
    """The reply text."""
    tool_calls: Optional[List[ChatCompletionsToolCall]] = rest_field(list_of(nested(ChatCompletionsToolCall)))
    """Tool calls the model made."""
    reasoning_content: Optional[str] = rest_field()
    """The reasoning of a reasoning model (DeepSeek-R1 style), when the service returns it."""


class ChatChoice(Model):
    """One choice of a chat completion."""

    index: int = rest_field()
    """Index of the choice."""
    finish_reason: Optional[Union[str, CompletionsFinishReason]] = rest_field(enum_value(CompletionsFinishReason))
    """Why generation stopped."""
    message: _models.ChatResponseMessage = rest_field(nested(ChatResponseMessage))
    """The reply."""


class ChatCompletions(Model):
    """The result of a chat completions request."""

    id: str = rest_field()
    """Completion id."""
    created: datetime.datetime = rest_field(unix_time)
    """When the completion was created (UTC)."""
    model: str = rest_field()
    """The model that answered."""
    choices: List[ChatChoice] = rest_field(list_of(nested(ChatChoice)))
    """The choices."""
    usage: CompletionsUsage = rest_field(nested(CompletionsUsage))
    """Token counts."""


class StreamingChatResponseToolCallUpdate(Model):
    """A fragment of a tool call in a streamed update."""

    id: Optional[str] = rest_field()
    """Tool call id (in the first fragment of each tool call only)."""
    function: FunctionCall = rest_field(nested(FunctionCall))
    """Name (first fragment) and a piece of the arguments."""


class StreamingChatResponseMessageUpdate(Model):
    """The message delta of a streamed choice."""

    role: Optional[Union[str, ChatRole]] = rest_field(enum_value(ChatRole))
    """Role of the author (first update)."""
    content: Optional[str] = rest_field()
    """The next piece of text."""
    reasoning_content: Optional[str] = rest_field()
    """The next piece of the reasoning of a reasoning model."""
    tool_calls: Optional[List[StreamingChatResponseToolCallUpdate]] = rest_field(
        list_of(nested(StreamingChatResponseToolCallUpdate))
    )
    """Tool call fragments."""


class StreamingChatChoiceUpdate(Model):
    """One choice of a streamed update."""

    index: int = rest_field()
    """Index of the choice."""
    finish_reason: Optional[Union[str, CompletionsFinishReason]] = rest_field(enum_value(CompletionsFinishReason))
    """Why generation stopped (last update of the choice)."""
    delta: StreamingChatResponseMessageUpdate = rest_field(nested(StreamingChatResponseMessageUpdate))
    """The message delta."""


class StreamingChatCompletionsUpdate(Model):
    """One update of a streamed chat completion."""

    id: str = rest_field()
    """Completion id."""
    created: datetime.datetime = rest_field(unix_time)
    """When the completion was created (UTC)."""
    model: str = rest_field()
    """The model that answered."""
    choices: List[StreamingChatChoiceUpdate] = rest_field(list_of(nested(StreamingChatChoiceUpdate)))
    """The choice deltas."""
    usage: Optional[CompletionsUsage] = rest_field(nested(CompletionsUsage))
    """Token counts (usually in the last update only)."""


# --- Embeddings and model info -----------------------------------------------------------------------


class ImageEmbeddingInput(Model):
    """An image to embed, with optional text."""

    image: str = rest_field()
    """A ``data:image/<format>;base64,...`` URL."""
    text: Optional[str] = rest_field()
    """Text to embed with the image, if the model supports it."""

    if TYPE_CHECKING:  # the constructor type checkers see: keywords, or one mapping of raw JSON

        @overload
        def __init__(self, *, image: str, text: Optional[str] = None) -> None: ...
        @overload
        def __init__(self, mapping: Mapping[str, Any], /) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class EmbeddingItem(Model):
    """One embedding vector."""

    embedding: Union[str, List[float]] = rest_field()
    """The vector, or its base64 bytes when requested so."""
    index: int = rest_field()
    """Index of the input it embeds."""


class EmbeddingsUsage(Model):
    """Token counts of an embeddings request."""

    prompt_tokens: int = rest_field()
    """Tokens in the input."""
    total_tokens: int = rest_field()
    """Total tokens."""


class EmbeddingsResult(Model):
    """The result of an embeddings request."""

    id: str = rest_field()
    """Result id."""
    data: List[EmbeddingItem] = rest_field(list_of(nested(EmbeddingItem)))
    """The embeddings, one per input."""
    usage: EmbeddingsUsage = rest_field(nested(EmbeddingsUsage))
    """Token counts."""
    model: str = rest_field()
    """The model that answered."""


class ModelInfo(Model):
    """What the endpoint says about its model."""

    model_name: str = rest_field()
    """Model name."""
    model_type: Union[str, ModelType] = rest_field(enum_value(ModelType))
    """Kind of model."""
    model_provider_name: str = rest_field()
    """Who provides the model."""
