"""Real service traffic, played back: each recording in tests/recordings/ (made against Azure by the live tests of
the published SDK, 1.0.0b7, early 2025; see its README.md) is driven through the public clients as a user would,
sync and async whatever client the recording was made with. A loopback server answers with the recorded responses,
streams chunk by chunk as recorded, and the Entra ID ones over TLS (a throwaway CA from trustme): azure-core sends
bearer tokens over https only. Each test then checks that every request equals the recorded one (tests/playback.py
says what is compared) and that what the user reads equals what the recorded response says.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import pytest
import trustme
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError, ResourceNotFoundError

from azure.ai.inference.models import (
    AssistantMessage,
    AudioContentItem,
    ChatCompletionsToolCall,
    EmbeddingEncodingFormat,
    FunctionCall,
    ImageContentItem,
    ImageDetailLevel,
    ImageEmbeddingInput,
    ImageUrl,
    InputAudio,
    JsonSchemaFormat,
    SystemMessage,
    TextContentItem,
    UserMessage,
)

pytest.register_assert_rewrite("tests.playback")  # its comparisons fail with pytest's diffs too

from .playback import (  # noqa: E402
    RECORDINGS,
    Entry,
    PlaybackServer,
    assert_error_as_recorded,
    assert_info_as_recorded,
    assert_reads_as_recorded,
    assert_sent_as_recorded,
    assert_streamed_as_recorded,
    assert_usage,
    load,
    messages_of,
    tool_answer,
    tools_of,
    written,
)
from .support import collect, resolve, token_credential  # noqa: E402

KEY = "playback-key"
TOKEN = "playback-token"  # what the fake Entra ID credential hands out
# Azure OpenAI recordings have their api-version sanitized ("yyyy-mm-dd-preview"): a dated preview with structured
# output and audio input, both in 2025-01-01-preview (the Azure SDKs' notes on adopting it, e.g. azopenai v0.7.2
# for Go: "support Azure OpenAI API version 2025-01-01-preview ... Added InputAudioContent type").
AOAI_API_VERSION = "2025-01-01-preview"


@dataclass
class Play:
    """What a scenario drives: the API (sync or async), the server, the recording and a scratch directory."""

    api: ModuleType
    server: PlaybackServer
    name: str
    entries: list[Entry]
    tmp_path: Path
    ca_path: str | None = None  # the CA bundle that trusts the TLS server
    clients: list[Any] = field(default_factory=list)  # closed when the test ends, failed or not

    def client(self, cls: str, credential: Any = None, **kwargs: Any) -> Any:
        """The client ``cls`` for the recorded endpoint: the loopback server plus the recorded path prefix."""
        client = getattr(self.api, cls)(self.endpoint, credential or AzureKeyCredential(KEY), **self.options, **kwargs)
        return self.track(client)

    def track(self, client: Any) -> Any:
        self.clients.append(client)
        return client

    @property
    def endpoint(self) -> str:
        return self.server.url(self.entries[0].prefix)

    @property
    def options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.entries[0].query.get("api-version") != "2024-05-01-preview":  # the default; AOAI's is sanitized
            options["api_version"] = AOAI_API_VERSION
        if self.ca_path:
            options["connection_verify"] = self.ca_path
        return options


Scenario = Callable[[Play], Awaitable[None]]
SCENARIOS: dict[str, Scenario] = {}


def plays(*tests: str) -> Callable[[Scenario], Scenario]:
    """Register a scenario as the driver of the recordings of these tests (their names without ``test_``)."""

    def register(scenario: Scenario) -> Scenario:
        for test in tests:
            assert test not in SCENARIOS, test
            SCENARIOS[test] = scenario
        return scenario

    return register


def recorded_test(recording: str) -> str:
    """The name of the test that made a recording (without ``test_``), from its file name: two test files have
    tests of the same name, played alike (``<file>.py<Class>test_<name>``)."""
    return recording.split(".py", 1)[1].split("test_", 1)[1]


RECORDED = sorted(path.stem for path in RECORDINGS.glob("test_*.json"))


# ---------------------------------------------------------------------------------------------------------------
# Chat completions


@plays(
    "chat_completion_tracing_content_recording_disabled",
    "chat_completion_tracing_content_recording_enabled",
    "chat_completion_async_tracing_content_recording_disabled",
    "chat_completions_with_input_image_url",
    "async_chat_completions_with_input_image_url",
    # Despite its name, recorded with a key: its request has api-key (the sync one's, played by entra_id, not).
    "async_aoai_chat_completions_with_entra_id_auth",
)
async def chat(play: Play) -> None:
    """Plain chat, and a user message of text and an image URL."""
    [entry] = play.entries
    client = play.client("ChatCompletionsClient")
    result = await resolve(client.complete(messages=messages_of(entry.body["messages"])))
    assert_reads_as_recorded(result, entry.response)


@plays("chat_completions_with_json_input", "async_chat_completions_with_json_input")
async def json_body(play: Play) -> None:
    """The whole request body given as a JSON mapping."""
    [entry] = play.entries
    client = play.client("ChatCompletionsClient")
    result = await resolve(client.complete(json.loads(json.dumps(entry.body))))
    assert_reads_as_recorded(result, entry.response)


@plays("chat_completions_with_bytes_input", "async_chat_completions_with_bytes_input")
async def bytes_body(play: Play) -> None:
    """The whole request body given as the bytes of a JSON file, indented as a file is."""
    [entry] = play.entries
    client = play.client("ChatCompletionsClient")
    result = await resolve(client.complete(json.dumps(entry.body, indent=4).encode()))
    assert_reads_as_recorded(result, entry.response)


@plays("chat_completions_with_model_extras", "async_chat_completions_with_model_extras")
async def model_extras(play: Play) -> None:
    """A setting the API does not name goes to the body's root with ``extra-parameters: pass-through``."""
    [entry] = play.entries
    client = play.client("ChatCompletionsClient")
    messages = messages_of(entry.body["messages"])
    result = await resolve(client.complete(messages=messages, model_extras={"n": entry.body["n"]}))
    assert_reads_as_recorded(result, entry.response)


@plays("chat_completions_multi_turn", "async_chat_completions_multi_turn")
async def multi_turn(play: Play) -> None:
    """The first reply goes back as an AssistantMessage, then a follow-up question."""
    first, second = play.entries
    client = play.client("ChatCompletionsClient")
    messages = messages_of(first.body["messages"])
    result = await resolve(client.complete(messages=messages))
    assert_reads_as_recorded(result, first.response)
    messages += [
        AssistantMessage(result.choices[0].message.content),
        UserMessage(second.body["messages"][-1]["content"]),
    ]
    result = await resolve(client.complete(messages=messages))
    assert_reads_as_recorded(result, second.response)


@plays(
    "chat_completions_with_tool",
    "chat_completion_with_function_call_tracing_content_recording_disabled",
    "chat_completion_with_function_call_tracing_content_recording_enabled",
)
async def tool_call(play: Play) -> None:
    """The model calls a tool; its call and the tool's answer go back and the model answers in words."""
    first, second = play.entries
    client = play.client("ChatCompletionsClient")
    messages, tools = messages_of(first.body["messages"]), tools_of(first.body)
    result = await resolve(client.complete(messages=messages, tools=tools))
    assert_reads_as_recorded(result, first.response)
    [call] = result.choices[0].message.tool_calls
    recorded_call = first.response["choices"][0]["message"]["tool_calls"][0]["function"]
    assert (call.function.name, json.loads(call.function.arguments)) == (
        recorded_call["name"],
        json.loads(recorded_call["arguments"]),
    )
    messages += [AssistantMessage(tool_calls=result.choices[0].message.tool_calls), tool_answer(second, call.id)]
    result = await resolve(client.complete(messages=messages, tools=tools))
    assert_reads_as_recorded(result, second.response)


@plays(
    "chat_completions_streaming",
    "async_chat_completions_streaming",
    "chat_completion_streaming_tracing_content_recording_disabled",
    "chat_completion_streaming_tracing_content_recording_enabled",
)
async def streaming(play: Play) -> None:
    """A streamed answer, served in the chunks Azure sent."""
    [entry] = play.entries
    client = play.client("ChatCompletionsClient")
    stream = await resolve(client.complete(messages=messages_of(entry.body["messages"]), stream=True))
    updates = await collect(stream)
    final = await resolve(stream.get_final_completion())
    assert_streamed_as_recorded(updates, final, entry)


@plays(
    "chat_completion_with_function_call_streaming_tracing_content_recording_disabled",
    "chat_completion_with_function_call_streaming_tracing_content_recording_enabled",
)
async def streamed_tool_call(play: Play) -> None:
    """A streamed tool call, sent back from the assembled completion, then a streamed answer."""
    first, second = play.entries
    client = play.client("ChatCompletionsClient")
    messages, tools = messages_of(first.body["messages"]), tools_of(first.body)
    stream = await resolve(client.complete(messages=messages, tools=tools, stream=True))
    updates = await collect(stream)
    final = await resolve(stream.get_final_completion())
    assert_streamed_as_recorded(updates, final, first)
    [call] = final.choices[0].message.tool_calls
    # Built anew from the assembled call, as the recorded test did (1.0.0b9 had no get_final_completion())
    call = ChatCompletionsToolCall(
        id=call.id, function=FunctionCall(name=call.function.name, arguments=call.function.arguments)
    )
    messages += [AssistantMessage(tool_calls=[call]), tool_answer(second, call.id)]
    stream = await resolve(client.complete(messages=messages, tools=tools, stream=True))
    updates = await collect(stream)
    final = await resolve(stream.get_final_completion())
    assert_streamed_as_recorded(updates, final, second)


@plays("aoai_chat_completions_with_structured_output", "async_aoai_chat_completions_with_structured_output")
async def structured_output(play: Play) -> None:
    """A JSON schema in ``response_format``; the reply is JSON that follows it."""
    [entry] = play.entries
    schema = entry.body["response_format"]["json_schema"]
    client = play.client("ChatCompletionsClient")
    response_format = JsonSchemaFormat(
        name=schema["name"], schema=schema["schema"], description=schema["description"], strict=schema["strict"]
    )
    result = await resolve(
        client.complete(messages=messages_of(entry.body["messages"]), response_format=response_format)
    )
    assert_reads_as_recorded(result, entry.response)
    reply = json.loads(result.choices[0].message.content)
    assert reply == json.loads(entry.response["choices"][0]["message"]["content"])
    assert set(reply) == set(schema["schema"]["required"])


@plays("chat_completions_with_input_image_file", "async_chat_completions_with_input_image_file")
async def image_file(play: Play) -> None:
    """An image loaded from a file (recreated from the recorded data URL), with detail ``high``."""
    [entry] = play.entries
    system, user = entry.body["messages"]
    text, image = user["content"]
    path = written(play.tmp_path, "image.png", image["image_url"]["url"])
    content = [
        TextContentItem(text=text["text"]),
        ImageContentItem(image_url=ImageUrl.load(image_file=path, image_format="png", detail=ImageDetailLevel.HIGH)),
    ]
    client = play.client("ChatCompletionsClient")
    result = await resolve(client.complete(messages=[SystemMessage(system["content"]), UserMessage(content)]))
    assert_reads_as_recorded(result, entry.response)


@plays("chat_completions_with_audio_input")
async def audio_file(play: Play) -> None:
    """An mp3 clip loaded from a file; the fixture keeps the clip's first 48 bytes (see its INDEX.json note)."""
    [entry] = play.entries
    system, user = entry.body["messages"]
    text, audio = user["content"]
    path = written(play.tmp_path, "hello_how_are_you.mp3", audio["input_audio"]["data"])
    content = [
        TextContentItem(text=text["text"]),
        AudioContentItem(input_audio=InputAudio.load(audio_file=path, audio_format=audio["input_audio"]["format"])),
    ]
    client = play.client("ChatCompletionsClient")
    result = await resolve(client.complete(messages=[SystemMessage(system["content"]), UserMessage(content)]))
    assert_reads_as_recorded(result, entry.response)


@plays("chat_completion_with_auth_failure")
async def chat_auth_failure(play: Play) -> None:
    """A wrong key: 401 with the service's message."""
    [entry] = play.entries
    client = play.client("ChatCompletionsClient")
    with pytest.raises(ClientAuthenticationError) as caught:
        await resolve(client.complete(messages=messages_of(entry.body["messages"])))
    assert_error_as_recorded(caught.value, entry)


# ---------------------------------------------------------------------------------------------------------------
# Entra ID: a token credential, over TLS (azure-core sends bearer tokens over https only)


@plays(
    "chat_completions_with_entra_id_auth",
    "async_chat_completions_with_entra_id_auth",
    "aoai_chat_completions_with_entra_id_auth",
)
async def entra_id(play: Play) -> None:
    """Chat with a token credential: ``Authorization: Bearer <token>`` and no ``api-key`` (as recorded)."""
    [entry] = play.entries
    credential = token_credential(play.api, TOKEN)
    # The scope follows the host, and the loopback host is neither Azure OpenAI's nor Azure ML's: name the one the
    # recorded host needed, as a user of an Azure OpenAI endpoint behind a gateway would.
    azure_openai = entry.prefix.startswith("/openai/deployments/")
    scope = f"https://{'cognitiveservices' if azure_openai else 'ml'}.azure.com/.default"
    client = play.client("ChatCompletionsClient", credential=credential, credential_scopes=[scope])
    result = await resolve(client.complete(messages=messages_of(entry.body["messages"])))
    assert_reads_as_recorded(result, entry.response)
    assert play.server.sent[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert credential.scopes == [(scope,)]


# ---------------------------------------------------------------------------------------------------------------
# Model info and load_client


def expected_client(api: ModuleType, model_type: str) -> type:
    """The client the recorded /info answer calls for: Azure ML says ``chat-completion`` and ``embedding``."""
    return {"chat-completion": api.ChatCompletionsClient, "embedding": api.EmbeddingsClient}[model_type]


@plays(
    "get_model_info_on_chat_client",
    "async_get_model_info_on_chat_client",
    "get_model_info_on_embeddings_client",
    "async_get_model_info_on_embeddings_client",
    "get_model_info_on_image_embeddings_client",
    "async_get_model_info_on_image_embeddings_client",
)
async def model_info(play: Play) -> None:
    """``get_model_info()`` on the client the recording used; a second call is answered from the cache."""
    [entry] = play.entries
    name = next(name for name in ("Image", "Embeddings", "Chat") if name in play.name)
    cls = {"Image": "ImageEmbeddingsClient", "Embeddings": "EmbeddingsClient", "Chat": "ChatCompletionsClient"}[name]
    client = play.client(cls)
    info = await resolve(client.get_model_info())
    again = await resolve(client.get_model_info())
    assert_info_as_recorded(info, entry)
    assert again == info and len(play.server.sent) == 1


@plays(
    "load_chat_completions_client",
    "async_load_chat_completions_client",
    "load_embeddings_client",
    "async_load_embeddings_client",
    "load_image_embeddings_client",
    "async_load_image_embeddings_client",
)
async def load_client(play: Play) -> None:
    """``load_client`` picks the client from /info and keeps its answer."""
    [entry] = play.entries
    client = play.track(await resolve(play.api.load_client(play.endpoint, AzureKeyCredential(KEY), **play.options)))
    info = await resolve(client.get_model_info())
    assert type(client) is expected_client(play.api, entry.response["model_type"])
    assert_info_as_recorded(info, entry)
    assert len(play.server.sent) == 1


@plays("get_model_info_on_aoai_endpoint", "load_client_on_aoai_endpoint")
async def no_info_route(play: Play) -> None:
    """Azure OpenAI has no /info: 404, explained in the message, with the service's error readable."""
    [entry] = play.entries
    with pytest.raises(ResourceNotFoundError) as caught:
        if "load_client" in play.name:
            await resolve(play.api.load_client(play.endpoint, AzureKeyCredential(KEY), **play.options))
        else:
            await resolve(play.client("ChatCompletionsClient").get_model_info())
    assert_error_as_recorded(caught.value, entry)
    # 1.0.0b9's explanation in the message; here also said first in str(), once, before the service's words
    assert caught.value.message == (LOAD_CLIENT_NOT_FOUND if "load_client" in play.name else MODEL_INFO_NOT_FOUND)
    assert str(caught.value).startswith(caught.value.message + "\n(404)")
    assert str(caught.value).count("route not supported") == 1


LOAD_CLIENT_NOT_FOUND = (
    "`load_client` function does not work on this endpoint (`/info` route not supported). "
    "Please construct one of the clients (e.g. `ChatCompletionsClient`) directly."
)
MODEL_INFO_NOT_FOUND = "Model information is not available on this endpoint (`/info` route not supported)."


# ---------------------------------------------------------------------------------------------------------------
# Embeddings


@plays("embeddings", "image_embeddings", "async_image_embeddings")
async def embeddings(play: Play) -> None:
    """Text or image embeddings as floats, then as base64 (the fixtures keep 8 values, 48 base64 characters)."""
    floats = play.entries[0]
    if "/images/" in floats.path:
        path = written(play.tmp_path, "image.png", floats.body["input"][0]["image"])
        client = play.client("ImageEmbeddingsClient")
        inputs: list[Any] = [ImageEmbeddingInput.load(image_file=path, image_format="png")]
    else:
        client = play.client("EmbeddingsClient")
        inputs = list(floats.body["input"])
    results = [
        await resolve(client.embed(input=inputs)),
        await resolve(client.embed(input=inputs, encoding_format=EmbeddingEncodingFormat.BASE64)),
    ]
    for result, entry in zip(results, play.entries):
        recorded = entry.response
        assert (result.id, result.model) == (recorded["id"], recorded["model"])
        assert [(item.index, item.embedding) for item in result.data] == [
            (item["index"], item["embedding"]) for item in recorded["data"]
        ]
        assert_usage(result.usage, recorded["usage"])
        assert result.as_dict() == recorded and str(result) == json.dumps(recorded, indent=2)
    assert all(isinstance(item.embedding, str) for item in results[1].data)


@plays("async_embeddings_with_auth_failure")
async def embeddings_auth_failure(play: Play) -> None:
    [entry] = play.entries
    client = play.client("EmbeddingsClient")
    with pytest.raises(ClientAuthenticationError) as caught:
        await resolve(client.embed(input=entry.body["input"]))
    assert_error_as_recorded(caught.value, entry)


@plays("embeddings_on_chat_completion_endpoint")
async def embeddings_on_chat_endpoint(play: Play) -> None:
    """A chat model's endpoint has no /embeddings: 404 with a plain-text body."""
    [entry] = play.entries
    client = play.client("EmbeddingsClient")
    with pytest.raises(ResourceNotFoundError) as caught:
        await resolve(client.embed(input=entry.body["input"]))
    assert_error_as_recorded(caught.value, entry)


# ---------------------------------------------------------------------------------------------------------------
# The suite


def test_fixtures_are_the_published_recordings() -> None:
    """Unchanged: each fixture INDEX.json did not mark as reduced has the published file's length."""
    index = json.loads((RECORDINGS / "INDEX.json").read_text(encoding="utf-8"))
    assert sorted(index) == [f"{name}.json" for name in RECORDED]
    for name, source in index.items():
        assert source["repo"] == "Azure/azure-sdk-assets"
        if "note" in source:
            assert source["note"].startswith("REDUCED:")
        else:
            assert (
                source["check"]
                == f"length {len((RECORDINGS / name).read_text(encoding='utf-8'))} == upstream total_chars"
            )


def test_every_recording_is_played() -> None:
    assert len(RECORDED) == 53
    assert {recorded_test(recording) for recording in RECORDED} == set(SCENARIOS)


@pytest.fixture(scope="module")
def tls() -> Iterator[tuple[ssl.SSLContext, str]]:
    """A server context and the path of the CA bundle that trusts it, from a throwaway CA (trustme)."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with authority.cert_pem.tempfile() as ca_path:
        yield context, ca_path


@pytest.fixture(scope="module")
def servers(tls: tuple[ssl.SSLContext, str]) -> Iterator[dict[str, PlaybackServer]]:
    plain, secure = PlaybackServer().start(), PlaybackServer(tls[0]).start()
    yield {"http": plain, "https": secure}
    plain.stop()
    secure.stop()


@pytest.mark.parametrize("recording", RECORDED, ids=lambda name: name.split(".py")[1])
async def test_playback(
    recording: str,
    api: ModuleType,
    servers: dict[str, PlaybackServer],
    tls: tuple[ssl.SSLContext, str],
    tmp_path: Path,
) -> None:
    entries = load(recording)
    scenario = SCENARIOS[recorded_test(recording)]
    server = servers["https" if scenario is entra_id else "http"]
    server.play(entries)
    play = Play(api, server, recording, entries, tmp_path, tls[1] if scenario is entra_id else None)
    try:
        await scenario(play)
    finally:  # a request unlike the recorded one is the likelier cause of a failure: compared first
        for client in play.clients:
            await resolve(client.close())
        for sent, entry in zip(server.sent, entries):
            assert_sent_as_recorded(sent, entry)
            if "api-key" in entry.headers:  # the recorder dropped Authorization: a key goes in both headers
                assert (sent.headers["api-key"], sent.headers["Authorization"]) == (KEY, f"Bearer {KEY}")
    assert len(server.sent) == len(entries)
