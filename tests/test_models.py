"""The model base and the models: construction, discriminated unions, mapping behaviour, str/repr, key order."""

from __future__ import annotations

import collections.abc
import copy
import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from azure.ai.inference._model_base import dumps
from azure.ai.inference.models import (
    AssistantMessage,
    AudioContentFormat,
    AudioContentItem,
    ChatChoice,
    ChatCompletions,
    ChatCompletionsNamedToolChoice,
    ChatCompletionsNamedToolChoiceFunction,
    ChatCompletionsToolCall,
    ChatCompletionsToolDefinition,
    ChatRequestMessage,
    ChatResponseMessage,
    ChatRole,
    CompletionsFinishReason,
    CompletionsUsage,
    ContentItem,
    DeveloperMessage,
    EmbeddingsResult,
    FunctionCall,
    FunctionDefinition,
    ImageContentItem,
    ImageDetailLevel,
    ImageEmbeddingInput,
    ImageUrl,
    InputAudio,
    JsonSchemaFormat,
    ModelInfo,
    ModelType,
    StreamingChatCompletionsUpdate,
    SystemMessage,
    TextContentItem,
    ToolMessage,
    UserMessage,
)


def completion_json() -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "created": 1700000000,
        "model": "m1",
        "system_fingerprint": "fp",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hello \u00e9"}},
        ],
        "usage": {"completion_tokens": 2, "prompt_tokens": 3, "total_tokens": 5},
    }


# --- construction ----------------------------------------------------------------------------------


def test_keyword_construction_keeps_keyword_order_and_drops_none() -> None:
    definition = FunctionDefinition(parameters={"z": 1}, name="f", description=None)
    assert list(definition) == ["parameters", "name"]
    assert definition.name == "f" and definition.description is None
    assert definition == {"parameters": {"z": 1}, "name": "f"}


def test_mapping_construction_copies_the_mapping() -> None:
    raw = {"name": "f", "extra": 1}
    definition = FunctionDefinition(raw)
    definition["name"] = "g"
    definition.description = "d"
    del definition["extra"]
    assert raw == {"name": "f", "extra": 1}
    assert definition.as_dict() == {"name": "g", "description": "d"}


def test_mapping_and_keywords_together_keywords_win() -> None:
    assert FunctionDefinition({"name": "f", "x": 1}, name="g").as_dict() == {"name": "g", "x": 1}


def test_unknown_keyword_is_a_type_error_naming_it() -> None:
    words = r"^FunctionDefinition\.__init__\(\) got an unexpected keyword argument 'nmae'$"  # 1.0.0b9's
    with pytest.raises(TypeError, match=words):
        FunctionDefinition(nmae="f")
    with pytest.raises(TypeError, match="'content'"):
        ChatRequestMessage(role="user", content="x")


def test_positional_argument_that_is_not_a_mapping_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        FunctionDefinition("f")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        FunctionDefinition({"name": "f"}, {"name": "g"})  # type: ignore[call-arg]


# --- discriminated unions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cls"),
    [
        ({"role": "system", "content": "s"}, SystemMessage),
        ({"role": "developer", "content": "d"}, DeveloperMessage),
        ({"role": "user", "content": "u"}, UserMessage),
        ({"role": "assistant", "content": "a"}, AssistantMessage),
        ({"role": "tool", "content": "t", "tool_call_id": "c"}, ToolMessage),
    ],
)
def test_request_message_from_mapping_is_the_subclass_of_its_role(raw: dict[str, Any], cls: type) -> None:
    message = ChatRequestMessage(raw)
    assert type(message) is cls  # the public (patched) class, with positional content
    assert message == raw and message.as_dict() == raw
    assert message.content == raw["content"]


def test_unknown_discriminator_gives_the_base() -> None:
    message = ChatRequestMessage({"role": "narrator", "content": "x"})
    assert type(message) is ChatRequestMessage
    assert message.role == "narrator" and message["content"] == "x"
    item = ContentItem({"type": "video_url", "video_url": {"url": "u"}})
    assert type(item) is ContentItem
    assert item.type == "video_url" and item["video_url"] == {"url": "u"}


def test_content_items_by_type_with_nested_models() -> None:
    image = ContentItem({"type": "image_url", "image_url": {"url": "http://x/y.png", "detail": "low"}})
    audio = ContentItem({"type": "input_audio", "input_audio": {"data": "QUJD", "format": "mp3"}})
    text = ContentItem({"type": "text", "text": "t"})
    assert isinstance(image, ImageContentItem) and isinstance(image.image_url, ImageUrl)
    assert image.image_url.url == "http://x/y.png" and image.image_url.detail is ImageDetailLevel.LOW
    assert isinstance(audio, AudioContentItem) and audio.input_audio.format is AudioContentFormat.MP3
    assert isinstance(text, TextContentItem) and text.text == "t"


def test_user_message_content_list_items_are_typed() -> None:
    message = UserMessage({"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "other"}]})
    first, second = message.content
    assert type(first) is TextContentItem and type(second) is ContentItem
    assert UserMessage("plain").content == "plain"


# --- mapping behaviour -----------------------------------------------------------------------------


def test_as_dict_is_deep_plain_json() -> None:
    message = AssistantMessage(
        tool_calls=[ChatCompletionsToolCall(id="c1", function=FunctionCall(name="f", arguments="{}"))]
    )
    result = message.as_dict()

    def plain(value: Any) -> bool:
        if isinstance(value, list):
            return all(plain(v) for v in value)
        if isinstance(value, dict):
            return type(value) is dict and all(plain(v) for v in value.values())
        return isinstance(value, (str, int, float, bool, type(None)))

    assert plain(result)
    assert result == {
        "role": "assistant",
        "tool_calls": [{"id": "c1", "function": {"name": "f", "arguments": "{}"}, "type": "function"}],
    }
    result["tool_calls"][0]["id"] = "changed"  # a copy: the model is untouched
    assert message.tool_calls[0].id == "c1"


def test_unknown_response_fields_are_kept_in_as_dict_and_str() -> None:
    result = ChatCompletions(completion_json())
    assert result["system_fingerprint"] == "fp" and result.get("system_fingerprint") == "fp"
    assert result.as_dict()["system_fingerprint"] == "fp"
    assert list(json.loads(str(result))) == ["id", "created", "model", "system_fingerprint", "choices", "usage"]
    assert "system_fingerprint" not in ChatCompletions._fields


def test_created_is_a_utc_datetime_and_the_mapping_keeps_the_int() -> None:
    result = ChatCompletions(completion_json())
    assert result.created == datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)
    assert result["created"] == 1700000000 and result.as_dict()["created"] == 1700000000
    result.created = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    assert result["created"] == 1577836800
    assert result.created.year == 2020 and result.created.tzinfo is not None
    assert json.loads(str(result))["created"] == 1577836800


def test_enum_fields_are_members_for_known_values_and_plain_strings_otherwise() -> None:
    result = ChatCompletions(completion_json())
    choice = result.choices[0]
    assert choice.finish_reason is CompletionsFinishReason.STOPPED
    assert choice.message.role is ChatRole.ASSISTANT
    weird = ChatChoice({"index": 0, "finish_reason": "weird"})
    assert weird.finish_reason == "weird" and type(weird.finish_reason) is str
    assert ModelInfo({"model_type": "embeddings"}).model_type is ModelType.EMBEDDINGS
    assert type(ModelInfo({"model_type": "chat"}).model_type) is str
    assert type(SystemMessage("s").role) is str and SystemMessage("s").role == "system"


def test_missing_fields_read_none_and_unknown_attributes_raise() -> None:
    empty = ChatCompletions({})
    assert empty.id is None and empty.created is None and empty.choices is None and empty.usage is None
    assert str(empty) == "{}" and repr(empty) == "{}"
    with pytest.raises(AttributeError, match="nosuch"):
        empty.nosuch  # noqa: B018


def test_attribute_set_updates_mapping_and_cache() -> None:
    result = ChatCompletions(completion_json())
    assert result.usage.total_tokens == 5  # cached now
    usage = CompletionsUsage(completion_tokens=9)
    result.usage = usage
    assert result.usage is usage and result["usage"] is usage
    usage.total_tokens = 10  # a nested model stays live
    assert result.as_dict()["usage"] == {"completion_tokens": 9, "total_tokens": 10}
    result["usage"] = given = {"prompt_tokens": 1}  # item assignment keeps the value as given (as 1.0.0b9)
    assert result.usage is given and result["usage"] is given
    result.usage = {"prompt_tokens": 2}  # attribute assignment makes a JSON object a model (as 1.0.0b9)
    assert isinstance(result.usage, CompletionsUsage) and result.usage.prompt_tokens == 2
    assert result["usage"] is result.usage
    result.choices[0].message.content = "changed"  # nested models wrap the same JSON
    assert result["choices"][0]["message"]["content"] == "changed"


def test_lists_read_as_attributes_are_the_lists_of_the_mapping() -> None:
    result = ChatCompletions(completion_json())
    result.choices.append(ChatChoice(index=1, finish_reason="length"))
    assert result.choices is result.choices
    assert [c["index"] for c in result["choices"]] == [0, 1]
    assert result.as_dict()["choices"][1] == {"index": 1, "finish_reason": "length"}
    message = UserMessage([TextContentItem(text="a")])
    message.content.append(TextContentItem(text="b"))
    assert dumps(message) == (
        '{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}'
    )


def test_none_assignment_and_del_remove_the_key() -> None:
    result = ChatCompletions(completion_json())
    assert result.model == "m1"
    result.model = None
    assert "model" not in result and result.model is None
    del result["id"]
    assert "id" not in result and result.id is None
    assert result.usage is not None
    del result.usage
    assert "usage" not in result and result.usage is None
    with pytest.raises(KeyError):
        del result["id"]
    result["extra"] = None  # an unknown key keeps an explicit null
    assert "extra" in result and result["extra"] is None


def test_equality_with_models_and_dicts() -> None:
    raw = completion_json()
    result = ChatCompletions(raw)
    assert result == raw and result == ChatCompletions(completion_json())
    assert result != {**raw, "id": "other"}
    assert result != "not a mapping"
    assert SystemMessage("s") == {"role": "system", "content": "s"}
    assert SystemMessage("s") != SystemMessage("t")
    with pytest.raises(TypeError):
        hash(result)


def test_mutable_mapping_protocol() -> None:
    usage = CompletionsUsage(completion_tokens=1, prompt_tokens=2)
    assert len(usage) == 2 and list(usage.keys()) == ["completion_tokens", "prompt_tokens"]
    assert list(usage.items()) == [("completion_tokens", 1), ("prompt_tokens", 2)]
    usage.update(total_tokens=3)
    assert usage.total_tokens == 3 and usage.pop("prompt_tokens") == 2 and usage.prompt_tokens is None
    clone = usage.copy()
    clone["total_tokens"] = 4
    assert type(clone) is CompletionsUsage and usage.total_tokens == 3
    assert copy.deepcopy(usage) == usage
    assert usage.setdefault("total_tokens", 9) == 3 and usage.setdefault("extra", 9) == 9 and usage["extra"] == 9
    assert usage.popitem() == ("extra", 9) and usage.pop("missing", None) is None  # the last, as in 1.0.0b9
    with pytest.raises(KeyError):
        usage.pop("missing")
    with pytest.raises(TypeError):
        reversed(usage)  # type: ignore[call-overload]  # a mapping has no order to reverse, as for any Mapping
    assert list(usage) == ["completion_tokens", "total_tokens"]
    result = ChatCompletions(completion_json())
    assert result.popitem()[0] == "usage"
    key, choices = result.popitem()  # a model field not read yet comes out as a model, as a read by key gives it
    assert key == "choices" and type(choices[0]) is ChatChoice
    usage.clear()
    with pytest.raises(KeyError, match="empty"):
        usage.popitem()
    assert len(usage) == 0 and usage.total_tokens is None and usage.get("total_tokens", 0) == 0


def test_keys_values_and_items_are_views_of_the_json_dict_as_in_b9() -> None:
    result = ChatCompletions(completion_json())
    keys, values, items = result.keys(), result.values(), result.items()
    assert (type(keys), type(values), type(items)) == (type({}.keys()), type({}.values()), type({}.items()))
    assert list(keys) == list(completion_json())
    assert all(type(choice) is ChatChoice for choice in dict(items)["choices"])  # models, as a read by key gives
    assert dict(items)["choices"] is result.choices and type(dict(items)["usage"]) is CompletionsUsage
    result["extra"] = 1
    assert "extra" in keys and ("extra", 1) in items  # live views


@pytest.mark.parametrize("abc", [collections.abc.Mapping, collections.abc.MutableMapping, collections.abc.Collection])
def test_models_are_mappings_to_isinstance_and_issubclass(abc: type) -> None:
    assert isinstance(CompletionsUsage(), abc) and issubclass(ChatCompletions, abc) and issubclass(UserMessage, abc)
    assert not isinstance(ChatCompletions, abc)  # the class is not a mapping: its instances are


def test_repr_and_str_of_plain_models_are_the_dict_repr() -> None:
    result = ChatCompletions(completion_json())
    assert repr(result) == repr(completion_json())
    message = result.choices[0].message
    assert str(message) == repr(message) == "{'role': 'assistant', 'content': 'Hello é'}"
    assert str(ModelInfo(model_name="mn", model_type="chat_completion", model_provider_name="p")) == (
        "{'model_name': 'mn', 'model_type': 'chat_completion', 'model_provider_name': 'p'}"
    )
    update = StreamingChatCompletionsUpdate({"id": "s1", "choices": [{"index": 0, "delta": {"content": "He"}}]})
    assert str(update) == "{'id': 's1', 'choices': [{'index': 0, 'delta': {'content': 'He'}}]}"


def test_str_of_chat_completions_is_indented_ascii_json() -> None:
    raw = completion_json()
    del raw["system_fingerprint"]
    assert str(ChatCompletions(raw)) == (
        "{\n"
        '  "id": "cmpl-1",\n'
        '  "created": 1700000000,\n'
        '  "model": "m1",\n'
        '  "choices": [\n'
        "    {\n"
        '      "index": 0,\n'
        '      "finish_reason": "stop",\n'
        '      "message": {\n'
        '        "role": "assistant",\n'
        '        "content": "Hello \\u00e9"\n'
        "      }\n"
        "    }\n"
        "  ],\n"
        '  "usage": {\n'
        '    "completion_tokens": 2,\n'
        '    "prompt_tokens": 3,\n'
        '    "total_tokens": 5\n'
        "  }\n"
        "}"
    )


def test_str_of_embeddings_result_is_indented_ascii_json() -> None:
    raw = {"id": "e1", "model": "em", "data": [{"index": 0, "embedding": [0.1, 0.2]}], "note": "\u00e9"}
    result = EmbeddingsResult(raw)
    assert str(result) == json.dumps(raw, indent=2)
    assert "\\u00e9" in str(result)
    assert result.data[0].embedding == [0.1, 0.2] and result.data[0].index == 0


# --- messages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [SystemMessage, DeveloperMessage, UserMessage, AssistantMessage, ToolMessage])
def test_message_content_positional_or_keyword_but_not_both(cls: type) -> None:
    assert cls("a")["content"] == "a"
    assert cls(content="a")["content"] == "a"
    with pytest.raises(ValueError) as info:
        cls("a", content="b")
    assert str(info.value) == "content cannot be provided as positional and keyword arguments"


def test_message_key_order() -> None:
    call = ChatCompletionsToolCall(id="c1", function=FunctionCall(name="f", arguments='{"a": 1}'))
    call_json = {"id": "c1", "function": {"name": "f", "arguments": '{"a": 1}'}, "type": "function"}
    cases = [
        (AssistantMessage(tool_calls=[call]), [("role", "assistant"), ("tool_calls", [call_json])]),
        (
            AssistantMessage("a", tool_calls=[call]),
            [("role", "assistant"), ("tool_calls", [call_json]), ("content", "a")],
        ),
        (ToolMessage("r", tool_call_id="c1"), [("role", "tool"), ("tool_call_id", "c1"), ("content", "r")]),
        (ToolMessage(content="r", tool_call_id="c1"), [("role", "tool"), ("content", "r"), ("tool_call_id", "c1")]),
        (ToolMessage(tool_call_id="c2"), [("role", "tool"), ("tool_call_id", "c2")]),
        (DeveloperMessage("dev"), [("role", "developer"), ("content", "dev")]),
        (SystemMessage(content="s"), [("role", "system"), ("content", "s")]),
        (SystemMessage(), [("role", "system")]),
    ]  # fmt: skip
    for message, items in cases:
        assert list(message.as_dict().items()) == items


def test_type_goes_last_on_tools_unless_given() -> None:
    definition = FunctionDefinition(name="f", description="d", parameters={"type": "object", "properties": {}})
    assert dumps(ChatCompletionsToolDefinition(function=definition)) == (
        '{"function": {"name": "f", "description": "d", "parameters": {"type": "object", "properties": {}}}, '
        '"type": "function"}'
    )
    explicit = ChatCompletionsToolDefinition(
        type="function", function=FunctionDefinition(name="f", parameters={"z": 1}, description="d")
    )
    assert dumps(explicit) == (
        '{"type": "function", "function": {"name": "f", "parameters": {"z": 1}, "description": "d"}}'
    )
    named = ChatCompletionsNamedToolChoice(function=ChatCompletionsNamedToolChoiceFunction(name="f"))
    assert dumps(named) == '{"function": {"name": "f"}, "type": "function"}'
    call = ChatCompletionsToolCall(id="c1", function=FunctionCall(name="f", arguments='{"a": 1}'))
    assert dumps(call) == '{"id": "c1", "function": {"name": "f", "arguments": "{\\"a\\": 1}"}, "type": "function"}'
    assert call.type == "function"


def test_content_items_put_type_first() -> None:
    message = UserMessage(
        [
            TextContentItem(text="t"),
            ImageContentItem(image_url=ImageUrl(url="http://x/y.png", detail=ImageDetailLevel.HIGH)),
            AudioContentItem(input_audio=InputAudio(data="QUJD", format=AudioContentFormat.WAV)),
        ]
    )
    assert dumps(message) == (
        '{"role": "user", "content": [{"type": "text", "text": "t"}, '
        '{"type": "image_url", "image_url": {"url": "http://x/y.png", "detail": "high"}}, '
        '{"type": "input_audio", "input_audio": {"data": "QUJD", "format": "wav"}}]}'
    )


def test_json_schema_format_keeps_keyword_order() -> None:
    schema = JsonSchemaFormat(name="n", schema={"type": "object", "b": 1, "a": 2}, description="desc", strict=True)
    assert dumps(schema) == (
        '{"name": "n", "schema": {"type": "object", "b": 1, "a": 2}, "description": "desc", "strict": true}'
    )
    assert list(JsonSchemaFormat(strict=False, name="n", schema={})) == ["strict", "name", "schema"]


def test_serialization_escapes_non_ascii_like_json_dumps() -> None:
    message = UserMessage("h\u00e9llo \u2603 \U0001f600")
    assert dumps(message) == '{"role": "user", "content": "h\\u00e9llo \\u2603 \\ud83d\\ude00"}'
    assert dumps({"t": 0.1 + 0.2, "p": 1e-7, "b": True}) == '{"t": 0.30000000000000004, "p": 1e-07, "b": true}'


# --- file loaders ----------------------------------------------------------------------------------


def test_image_url_load(tmp_path: Path) -> None:
    image = tmp_path / "img.png"
    image.write_bytes(b"PNGDATA")
    loaded = ImageUrl.load(image_file=str(image), image_format="png", detail=ImageDetailLevel.LOW)
    assert isinstance(loaded, ImageUrl)
    assert loaded.as_dict() == {"url": "data:image/png;base64,UE5HREFUQQ==", "detail": "low"}
    assert ImageUrl.load(image_file=image, image_format="jpeg").as_dict() == {
        "url": "data:image/jpeg;base64,UE5HREFUQQ=="
    }


def test_image_embedding_input_load(tmp_path: Path) -> None:
    image = tmp_path / "img.png"
    image.write_bytes(b"PNGDATA")
    loaded = ImageEmbeddingInput.load(image_file=str(image), image_format="jpeg", text="t")
    assert isinstance(loaded, ImageEmbeddingInput)
    assert loaded.as_dict() == {"image": "data:image/jpeg;base64,UE5HREFUQQ==", "text": "t"}
    assert "text" not in ImageEmbeddingInput.load(image_file=image, image_format="png")


def test_input_audio_load(tmp_path: Path) -> None:
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"WAVDATA")
    loaded = InputAudio.load(audio_file=str(audio), audio_format="wav")
    assert isinstance(loaded, InputAudio)
    assert loaded.as_dict() == {"data": "V0FWREFUQQ==", "format": "wav"}
    assert loaded.format is AudioContentFormat.WAV


def test_load_of_a_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ImageUrl.load(image_file=tmp_path / "missing.png", image_format="png")


def test_response_message_tool_calls_are_models() -> None:
    message = ChatResponseMessage(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [{"id": "t1", "type": "function", "function": {"name": "f", "arguments": '{"a": 1}'}}],
        }
    )
    call = message.tool_calls[0]
    assert isinstance(call, ChatCompletionsToolCall) and isinstance(call.function, FunctionCall)
    assert call.function.arguments == '{"a": 1}' and message.content is None
    assert str(call) == "{'id': 't1', 'type': 'function', 'function': {'name': 'f', 'arguments': '{\"a\": 1}'}}"
