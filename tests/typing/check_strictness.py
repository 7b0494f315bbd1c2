"""Mistakes a type checker must catch: each ``# type: ignore[code]`` below must stay necessary.

mypy runs with ``warn_unused_ignores`` and basedpyright with ``reportUnnecessaryTypeIgnoreComment``, so if a
type grows looser (an ``Any``, a union that swallows the mistake, a lost overload), the ignore is reported as
unused and the check fails.
"""

import datetime
from typing import List

from azure.core.credentials import AzureKeyCredential

from azure.ai.inference import ChatCompletionsClient, EmbeddingsClient, aio
from azure.ai.inference.models import (
    ChatCompletions,
    ContentItem,
    FunctionDefinition,
    ImageUrl,
    JsonSchemaFormat,
    SystemMessage,
    TextContentItem,
    UserMessage,
)

client = ChatCompletionsClient("https://example.services.ai.azure.com/models", AzureKeyCredential("<key>"))


def mistakes() -> None:
    response = client.complete(messages=[UserMessage("Hi")])
    # Content may be None (a reply made only of tool calls): it must be checked before use.
    response.choices[0].message.content.upper()  # type: ignore[union-attr]
    # Token counts are ints, timestamps are datetimes.
    tokens: str = response.usage.total_tokens  # type: ignore[assignment]
    created: int = response.created  # type: ignore[assignment]
    # A stream has updates, not choices; a plain result is not a stream.
    print(client.complete(messages=[UserMessage("Hi")], stream=True).choices)  # type: ignore[attr-defined]
    client.complete(messages=[UserMessage("Hi")]).get_final_completion()  # type: ignore[attr-defined]
    # Message content is text or content items; messages are a sequence of messages, not one string.
    UserMessage(42)  # type: ignore[arg-type]
    SystemMessage(["not", "text"])  # type: ignore[arg-type]
    client.complete(messages="Hi")  # type: ignore[arg-type]
    # Model constructors take their fields by keyword, with their types (or one mapping of raw JSON).
    TextContentItem(text=42)  # type: ignore[call-overload]
    ImageUrl(uri="https://example.com/a.png")  # type: ignore[call-overload]
    FunctionDefinition(description="no name")  # type: ignore[call-overload]
    JsonSchemaFormat(name="s", schema="not a mapping")  # type: ignore[call-overload]
    # The streamed update's choices hold deltas, not messages.
    for update in client.complete(messages=[UserMessage("Hi")], stream=True):
        print(update.choices[0].message)  # type: ignore[attr-defined]
    # Embeddings are a list of floats or a base64 string, never a plain float list without a check.
    result = EmbeddingsClient("https://e", AzureKeyCredential("k")).embed(input=["a"])
    vector: List[float] = result.data[0].embedding  # type: ignore[assignment]
    print(tokens, created, vector, datetime.datetime.now(), ContentItem, ChatCompletions)


async def async_mistakes(async_client: aio.ChatCompletionsClient) -> None:
    # The async client's complete() must be awaited, and its stream iterated with async for.
    print(async_client.complete(messages=[UserMessage("Hi")]).choices)  # type: ignore[attr-defined]
    stream = await async_client.complete(messages=[UserMessage("Hi")], stream=True)
    next(stream)  # type: ignore[call-overload]
