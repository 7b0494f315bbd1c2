"""The public API of CONTRACT.md: names, signatures, enum members, model fields, version and py.typed."""

from __future__ import annotations

import enum
import importlib
import inspect
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

import azure.ai.inference
import azure.ai.inference.aio
import azure.ai.inference.models as models
from azure.ai.inference._model_base import Model

CLIENTS = ["ChatCompletionsClient", "EmbeddingsClient", "ImageEmbeddingsClient"]
TOP_LEVEL = [*CLIENTS, "load_client", "__version__"]

MODEL_FIELDS = {
    "AudioContentItem": ["type", "input_audio"],
    "ChatChoice": ["index", "finish_reason", "message"],
    "ChatCompletions": ["id", "created", "model", "choices", "usage"],
    "ChatCompletionsNamedToolChoice": ["type", "function"],
    "ChatCompletionsNamedToolChoiceFunction": ["name"],
    "ChatCompletionsToolCall": ["id", "type", "function"],
    "ChatCompletionsToolDefinition": ["type", "function"],
    "ChatResponseMessage": ["role", "content", "tool_calls"],
    "CompletionsUsage": ["completion_tokens", "prompt_tokens", "total_tokens"],
    "ContentItem": ["type"],
    "EmbeddingItem": ["embedding", "index"],
    "EmbeddingsResult": ["id", "data", "usage", "model"],
    "EmbeddingsUsage": ["prompt_tokens", "total_tokens"],
    "FunctionCall": ["name", "arguments"],
    "FunctionDefinition": ["name", "description", "parameters"],
    "ImageContentItem": ["type", "image_url"],
    "ImageEmbeddingInput": ["image", "text"],
    "ImageUrl": ["url", "detail"],
    "InputAudio": ["data", "format"],
    "JsonSchemaFormat": ["name", "schema", "description", "strict"],
    "ModelInfo": ["model_name", "model_type", "model_provider_name"],
    "StreamingChatChoiceUpdate": ["index", "finish_reason", "delta"],
    "StreamingChatCompletionsUpdate": ["id", "created", "model", "choices", "usage"],
    "StreamingChatResponseMessageUpdate": ["role", "content", "tool_calls"],
    "StreamingChatResponseToolCallUpdate": ["id", "function"],
    "TextContentItem": ["type", "text"],
    "AssistantMessage": ["role", "content", "tool_calls"],
    "ChatRequestMessage": ["role"],
    "SystemMessage": ["role", "content"],
    "ToolMessage": ["role", "content", "tool_call_id"],
    "UserMessage": ["role", "content"],
    "DeveloperMessage": ["role", "content"],
}
SUBTYPES = {
    "ContentItem": ["AudioContentItem", "ImageContentItem", "TextContentItem"],
    "ChatRequestMessage": ["AssistantMessage", "SystemMessage", "ToolMessage", "UserMessage", "DeveloperMessage"],
}
ENUMS = {
    "AudioContentFormat": {"WAV": "wav", "MP3": "mp3"},
    "ChatCompletionsToolChoicePreset": {"AUTO": "auto", "NONE": "none", "REQUIRED": "required"},
    "ChatRole": {
        "SYSTEM": "system", "USER": "user", "ASSISTANT": "assistant", "TOOL": "tool", "DEVELOPER": "developer",
    },
    "CompletionsFinishReason": {
        "STOPPED": "stop", "TOKEN_LIMIT_REACHED": "length", "CONTENT_FILTERED": "content_filter",
        "TOOL_CALLS": "tool_calls",
    },
    "EmbeddingEncodingFormat": {
        "BASE64": "base64", "BINARY": "binary", "FLOAT": "float", "INT8": "int8", "UBINARY": "ubinary",
        "UINT8": "uint8",
    },
    "EmbeddingInputType": {"TEXT": "text", "QUERY": "query", "DOCUMENT": "document"},
    "ImageDetailLevel": {"AUTO": "auto", "LOW": "low", "HIGH": "high"},
    "ModelType": {
        "EMBEDDINGS": "embeddings", "IMAGE_GENERATION": "image_generation", "TEXT_GENERATION": "text_generation",
        "IMAGE_EMBEDDINGS": "image_embeddings", "AUDIO_GENERATION": "audio_generation",
        "CHAT_COMPLETION": "chat_completion",
    },
}  # fmt: skip
STREAMING = ["StreamingChatCompletions", "AsyncStreamingChatCompletions"]
MODEL_NAMES = [*MODEL_FIELDS, *ENUMS, *STREAMING]

CHAT_SETTINGS = [
    "frequency_penalty", "presence_penalty", "temperature", "top_p", "max_tokens", "response_format", "stop",
    "tools", "tool_choice", "seed", "model", "model_extras",
]  # fmt: skip
EMBEDDINGS_SETTINGS = ["dimensions", "encoding_format", "input_type", "model", "model_extras"]
APIS = {"sync": azure.ai.inference, "async": azure.ai.inference.aio}

P = inspect.Parameter


def shape(function: Any) -> list[tuple[str, Any]]:
    """(name, kind) of each parameter, ``self`` left out."""
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values() if p.name != "self"]


def test_models_export_the_42_contract_names() -> None:
    assert len(MODEL_NAMES) == len(set(MODEL_NAMES)) == 42
    missing = [name for name in MODEL_NAMES if not hasattr(models, name)]
    assert missing == []
    assert set(MODEL_NAMES) <= set(models.__all__)
    for name in models.__all__:
        assert getattr(models, name) is not None


@pytest.mark.parametrize("api", ["sync", "async"])
def test_client_modules_export_the_contract_names(api: str) -> None:
    module = APIS[api]
    expected = TOP_LEVEL if api == "sync" else TOP_LEVEL[:-1]
    for name in expected:
        assert hasattr(module, name), name
    assert set(expected) <= set(module.__all__)
    assert all(isinstance(getattr(module, name), type) for name in CLIENTS)
    assert inspect.iscoroutinefunction(module.load_client) is (api == "async")


def test_version() -> None:
    version = azure.ai.inference.__version__
    assert isinstance(version, str) and version == importlib.import_module("azure.ai.inference._version").VERSION
    assert Version(version) > Version("1.0.0b9")


def test_py_typed_is_shipped() -> None:
    marker = resources.files("azure.ai.inference") / "py.typed"
    assert marker.is_file()
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"azure.ai.inference" = ["py.typed"]' in pyproject


@pytest.mark.parametrize("api", ["sync", "async"])
def test_chat_client_signatures(api: str) -> None:
    cls = APIS[api].ChatCompletionsClient
    settings = [(name, P.KEYWORD_ONLY) for name in CHAT_SETTINGS]
    assert shape(cls.__init__) == [
        ("endpoint", P.POSITIONAL_OR_KEYWORD),
        ("credential", P.POSITIONAL_OR_KEYWORD),
        *settings,
        ("kwargs", P.VAR_KEYWORD),
    ]
    assert shape(cls.complete) == [
        ("body", P.POSITIONAL_OR_KEYWORD),
        ("messages", P.KEYWORD_ONLY),
        ("stream", P.KEYWORD_ONLY),
        *settings,
        ("kwargs", P.VAR_KEYWORD),
    ]
    complete = inspect.signature(cls.complete).parameters
    assert complete["body"].default is not P.empty and complete["messages"].default is not P.empty
    for name in ["stream", *CHAT_SETTINGS]:
        assert complete[name].default is None, name
    for name in CHAT_SETTINGS:
        assert inspect.signature(cls.__init__).parameters[name].default is None, name
    assert inspect.iscoroutinefunction(cls.complete) is (api == "async")


@pytest.mark.parametrize("api", ["sync", "async"])
@pytest.mark.parametrize("name", ["EmbeddingsClient", "ImageEmbeddingsClient"])
def test_embeddings_client_signatures(api: str, name: str) -> None:
    cls = getattr(APIS[api], name)
    assert shape(cls.__init__) == [
        ("endpoint", P.POSITIONAL_OR_KEYWORD),
        ("credential", P.POSITIONAL_OR_KEYWORD),
        *[(setting, P.KEYWORD_ONLY) for setting in EMBEDDINGS_SETTINGS],
        ("kwargs", P.VAR_KEYWORD),
    ]
    assert shape(cls.embed) == [
        ("body", P.POSITIONAL_OR_KEYWORD),
        ("input", P.KEYWORD_ONLY),
        *[(setting, P.KEYWORD_ONLY) for setting in EMBEDDINGS_SETTINGS],
        ("kwargs", P.VAR_KEYWORD),
    ]
    embed = inspect.signature(cls.embed).parameters
    assert embed["body"].default is not P.empty and embed["input"].default is not P.empty
    for setting in EMBEDDINGS_SETTINGS:
        assert embed[setting].default is None
        assert inspect.signature(cls.__init__).parameters[setting].default is None
    assert inspect.iscoroutinefunction(cls.embed) is (api == "async")


@pytest.mark.parametrize("api", ["sync", "async"])
@pytest.mark.parametrize("name", CLIENTS)
def test_methods_every_client_has(api: str, name: str) -> None:
    cls = getattr(APIS[api], name)
    is_async = api == "async"
    assert shape(cls.get_model_info) == [("kwargs", P.VAR_KEYWORD)]
    assert shape(cls.send_request) == [
        ("request", P.POSITIONAL_OR_KEYWORD),
        ("stream", P.KEYWORD_ONLY),
        ("kwargs", P.VAR_KEYWORD),
    ]
    assert inspect.signature(cls.send_request).parameters["stream"].default is False
    assert inspect.iscoroutinefunction(cls.get_model_info) is is_async
    assert inspect.iscoroutinefunction(cls.close) is is_async
    assert hasattr(cls, "__aenter__" if is_async else "__enter__")
    assert hasattr(cls, "__aexit__" if is_async else "__exit__")


@pytest.mark.parametrize("api", ["sync", "async"])
def test_load_client_signature(api: str) -> None:
    assert shape(APIS[api].load_client) == [
        ("endpoint", P.POSITIONAL_OR_KEYWORD),
        ("credential", P.POSITIONAL_OR_KEYWORD),
        ("kwargs", P.VAR_KEYWORD),
    ]


@pytest.mark.parametrize(
    "name", ["SystemMessage", "UserMessage", "AssistantMessage", "ToolMessage", "DeveloperMessage"]
)
def test_message_classes_take_content_positionally_or_by_keyword(name: str) -> None:
    cls = getattr(models, name)
    params = shape(cls.__init__)
    assert params[0][1] in (P.POSITIONAL_ONLY, P.VAR_POSITIONAL)
    assert params[-1][1] is P.VAR_KEYWORD
    assert issubclass(cls, models.ChatRequestMessage)
    extra = {"tool_call_id": "c"} if name == "ToolMessage" else {}
    assert cls("x", **extra) == cls(content="x", **extra)


def test_loader_signatures() -> None:
    assert shape(models.ImageUrl.load) == [
        ("image_file", P.KEYWORD_ONLY),
        ("image_format", P.KEYWORD_ONLY),
        ("detail", P.KEYWORD_ONLY),
    ]
    assert shape(models.ImageEmbeddingInput.load) == [
        ("image_file", P.KEYWORD_ONLY),
        ("image_format", P.KEYWORD_ONLY),
        ("text", P.KEYWORD_ONLY),
    ]
    assert shape(models.InputAudio.load) == [("audio_file", P.KEYWORD_ONLY), ("audio_format", P.KEYWORD_ONLY)]
    assert inspect.signature(models.ImageUrl.load).parameters["detail"].default is None
    assert inspect.signature(models.ImageEmbeddingInput.load).parameters["text"].default is None


def test_streaming_classes_are_built_from_a_response() -> None:
    for name in STREAMING:
        assert shape(getattr(models, name).__init__) == [("response", P.POSITIONAL_OR_KEYWORD)]
    assert hasattr(models.StreamingChatCompletions, "__iter__")
    assert hasattr(models.StreamingChatCompletions, "__next__")
    assert hasattr(models.AsyncStreamingChatCompletions, "__aiter__")
    assert hasattr(models.AsyncStreamingChatCompletions, "__anext__")


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_enum_members_and_values(name: str) -> None:
    cls = getattr(models, name)
    assert issubclass(cls, str) and issubclass(cls, enum.Enum)
    assert {member.name: member.value for member in cls} == ENUMS[name]
    for member_name, value in ENUMS[name].items():
        member = cls[member_name]
        assert member == value and cls(value) is member
        assert cls[member_name.lower()] is member  # case-insensitive names


@pytest.mark.parametrize("name", sorted(MODEL_FIELDS))
def test_model_fields(name: str) -> None:
    cls = getattr(models, name)
    assert issubclass(cls, Model)
    assert set(MODEL_FIELDS[name]) <= cls._fields
    instance = cls({})
    for field in MODEL_FIELDS[name]:
        assert hasattr(cls, field), field
        if field not in ("role", "type"):  # discriminators are constants of the subclasses
            assert getattr(instance, field) is None
    assert callable(instance.as_dict)


@pytest.mark.parametrize("base", sorted(SUBTYPES))
def test_discriminated_subtypes(base: str) -> None:
    for name in SUBTYPES[base]:
        assert issubclass(getattr(models, name), getattr(models, base))
