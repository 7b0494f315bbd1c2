"""User code written from the README: the types that type checkers infer for the clients' methods.

Checked, with 0 errors expected, by ``mypy --strict`` and by ``basedpyright`` in strict mode. Each
``# type: ignore[...]`` marks a call that must stay refused (mypy's ``warn_unused_ignores`` reports it otherwise).
"""

from __future__ import annotations

from typing import Union

from azure.core.credentials import AzureKeyCredential
from typing_extensions import assert_type

from azure.ai.inference import ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient, aio, load_client
from azure.ai.inference.models import (
    AssistantMessage,
    AsyncStreamingChatCompletions,
    ChatCompletions,
    ChatCompletionsToolChoicePreset,
    ChatCompletionsToolDefinition,
    EmbeddingEncodingFormat,
    EmbeddingsResult,
    FunctionDefinition,
    ImageEmbeddingInput,
    JsonSchemaFormat,
    ModelInfo,
    StreamingChatCompletions,
    SystemMessage,
    UserMessage,
)

Reply = Union[ChatCompletions, StreamingChatCompletions]
AsyncReply = Union[ChatCompletions, AsyncStreamingChatCompletions]
WEATHER = ChatCompletionsToolDefinition(
    function=FunctionDefinition(
        name="get_weather",
        description="The weather in a city.",
        parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    )
)


def chat(endpoint: str, key: str, flag: bool) -> None:
    client = ChatCompletionsClient(endpoint=endpoint, credential=AzureKeyCredential(key), temperature=0.2)
    response = client.complete(messages=[SystemMessage("You are helpful."), UserMessage("Hi")])
    assert_type(response, ChatCompletions)
    print(response.choices[0].message.content)
    for update in client.complete(messages=[UserMessage("Hi")], stream=True):
        if update.choices:
            print(update.choices[0].delta.content)
    assert_type(client.complete(messages=[UserMessage("Hi")], stream=False), ChatCompletions)
    assert_type(client.complete(messages=[UserMessage("Hi")], stream=None), ChatCompletions)
    assert_type(client.complete(messages=[UserMessage("Hi")], stream=True), StreamingChatCompletions)
    assert_type(client.complete(messages=[UserMessage("Hi")], stream=flag), Reply)
    assert_type(client.complete({"messages": [{"role": "user", "content": "Hi"}]}), Reply)
    assert_type(client.complete(b'{"messages": []}', content_type="application/json"), Reply)

    history = [SystemMessage("You are helpful."), UserMessage("Hi"), AssistantMessage("Hello!")]
    history.append(UserMessage("How are you?"))
    response = client.complete(
        messages=history,
        stop=("\n\n",),
        response_format="json_object",
        tools=[WEATHER],
        tool_choice="auto",
        model_extras={"logprobs": True},
        error_map={418: TeapotError},
    )
    assert_type(response, ChatCompletions)
    for call in response.choices[0].message.tool_calls or []:
        print(call.function.name, call.function.arguments)
    client.complete(messages=[{"role": "user", "content": "Hi"}], tool_choice=ChatCompletionsToolChoicePreset.NONE)
    client.complete(messages=history, response_format=JsonSchemaFormat(name="answer", schema={"type": "object"}))
    client.complete(messages=history, tool_choice="sometimes")  # type: ignore[call-overload]
    client.complete(messages=history, response_format="yaml")  # type: ignore[call-overload]
    client.complete(messages=UserMessage("Hi"))  # type: ignore[call-overload]

    assert_type(client.get_model_info(), ModelInfo)
    with client:
        pass


class TeapotError(Exception):
    """An exception of the caller's own, for ``error_map``."""


def embeddings(endpoint: str, key: str) -> None:
    credential = AzureKeyCredential(key)
    with EmbeddingsClient(endpoint, credential, encoding_format="float") as texts:
        result = texts.embed(input=["first", "second"], input_type="query", dimensions=8)
        assert_type(result, EmbeddingsResult)
        texts.embed(input=("first",), encoding_format=EmbeddingEncodingFormat.BASE64, content_type="application/json")
        texts.embed(input=["first"], input_type="question")  # type: ignore[arg-type]
        texts.embed(input=[ImageEmbeddingInput(image="data:image/png;base64,AAAA")])  # type: ignore[list-item]
    with ImageEmbeddingsClient(endpoint, credential) as images:
        assert_type(images.embed(input=[ImageEmbeddingInput(image="data:image/png;base64,AAAA")]), EmbeddingsResult)
    loaded = load_client(endpoint, credential)
    assert_type(loaded, Union[ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient])


async def chat_async(endpoint: str, key: str, flag: bool) -> None:
    async with aio.ChatCompletionsClient(endpoint, AzureKeyCredential(key)) as client:
        assert_type(await client.complete(messages=[UserMessage("Hi")]), ChatCompletions)
        stream = await client.complete(messages=[UserMessage("Hi")], stream=True)
        assert_type(stream, AsyncStreamingChatCompletions)
        async for update in stream:
            print(update.choices[0].delta.content if update.choices else update.usage)
        assert_type(await client.complete(messages=[UserMessage("Hi")], stream=flag), AsyncReply)
        assert_type(await client.complete({"messages": []}), AsyncReply)
        assert_type(await client.get_model_info(), ModelInfo)
    async with aio.EmbeddingsClient(endpoint, AzureKeyCredential(key)) as texts:
        assert_type(await texts.embed(input=["first"]), EmbeddingsResult)
    loaded = await aio.load_client(endpoint, AzureKeyCredential(key))
    assert_type(loaded, Union[aio.ChatCompletionsClient, aio.EmbeddingsClient, aio.ImageEmbeddingsClient])
