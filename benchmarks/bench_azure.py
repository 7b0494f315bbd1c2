"""Benchmark worker for azure-ai-inference: this repository's package, or 1.0.0b9 under the interpreter that has it.

The two are drop-in compatible, so one script drives both through the same public calls and the figures
compare like with like. The one exception is the ``build`` row, which reaches into this package (1.0.0b9 has
no public way to serialize a request body without sending it) and is skipped for 1.0.0b9.

Usage: ``python benchmarks/bench_azure.py ROW [--quick] [--port N] [--profile]``; prints one JSON line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import _common as c
from azure.core import PipelineClient
from azure.core.credentials import AzureKeyCredential
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest import HttpRequest
from azure.core.rest._http_response_impl import HttpResponseImpl
from azure.core.utils import CaseInsensitiveDict

import azure.ai.inference
from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import (
    AssistantMessage,
    ChatCompletions,
    StreamingChatCompletions,
    SystemMessage,
    UserMessage,
)

OURS = Path(azure.ai.inference.__file__).resolve().is_relative_to(Path(__file__).resolve().parent.parent)
ENDPOINT = "http://127.0.0.1:9/models"  # never connected to: the in-process transport answers
MESSAGE_CLASSES = {"system": SystemMessage, "user": UserMessage, "assistant": AssistantMessage}
MESSAGES = [SystemMessage(c.SYSTEM_PROMPT), UserMessage(c.QUESTION)]
Workload = tuple[Callable[[], Any], Callable[[], Any], int]


class _NoConnection:
    def close(self) -> None:
        pass


def canned_response(request: HttpRequest, chunks: Any, content_type: str) -> HttpResponseImpl:
    """An azure-core response whose body is ``chunks`` (an iterable of bytes), read lazily."""
    return HttpResponseImpl(
        request=request,
        internal_response=_NoConnection(),
        status_code=200,
        reason="OK",
        content_type=content_type,
        headers=CaseInsensitiveDict({"Content-Type": content_type}),
        stream_download_generator=lambda **_: iter(chunks),
    )


class CannedTransport(HttpTransport):  # type: ignore[type-arg]
    """An in-process transport: every request gets the same canned answer, with no socket involved."""

    def __init__(self, chunks: Callable[[], Any], content_type: str = "application/json") -> None:
        self._chunks, self._content_type = chunks, content_type

    def send(self, request: HttpRequest, **kwargs: Any) -> HttpResponseImpl:
        response = canned_response(request, self._chunks(), self._content_type)
        if not kwargs.get("stream"):
            response.read()
        return response

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __exit__(self, *args: Any) -> None:
        pass


def in_process_client(chunks: Callable[[], Any], content_type: str = "application/json") -> ChatCompletionsClient:
    return ChatCompletionsClient(ENDPOINT, AzureKeyCredential("k"), transport=CannedTransport(chunks, content_type))


def row_stream(s: dict[str, Any]) -> Workload:
    chunks = c.sse_chunks(c.STREAM_WORDS)
    request = HttpRequest("POST", ENDPOINT + "/chat/completions")

    def run() -> None:
        c.read_stream(StreamingChatCompletions(canned_response(request, chunks, "text/event-stream")))

    return run, c.floor_split_loads(chunks), c.STREAM_WORDS


def row_parse(s: dict[str, Any]) -> Workload:
    def run() -> None:
        assert ChatCompletions(json.loads(c.COMPLETION_BODY)).choices[0].message.content == c.COMPLETION_TEXT

    return run, c.floor_parse, 1


def row_build(s: dict[str, Any]) -> Workload:
    client = in_process_client(lambda: [c.COMPLETION_BODY])
    turns = c.history()

    def run() -> str:  # what complete() does before building the HttpRequest
        messages = [MESSAGE_CLASSES[role](text) for role, text in turns]
        body: str = client._body({"messages": messages, "max_tokens": 256, "temperature": 0.5}, None)[0]
        return body

    assert run() == c.floor_build(), "the package must send what the floor sends"
    return run, c.floor_build, 1


def row_inproc(s: dict[str, Any]) -> Workload:
    client = in_process_client(lambda: [c.COMPLETION_BODY])

    def run() -> None:
        result = client.complete(messages=MESSAGES, max_tokens=256, temperature=0.5)
        assert result.choices[0].message.content == c.COMPLETION_TEXT

    return run, c.floor_request_response, 1


def row_loopback(s: dict[str, Any]) -> tuple[Any, ...]:
    client = ChatCompletionsClient(f"http://127.0.0.1:{s['port']}/models", AzureKeyCredential("k"))
    url = f"http://127.0.0.1:{s['port']}{c.LOOPBACK_PATH}"
    bare = PipelineClient(url, policies=[])  # azure-core's default transport, no policy
    body, headers = c.request_json(), {"Content-Type": "application/json", "api-key": "k", "Authorization": "Bearer k"}

    def run() -> None:
        assert client.complete(messages=MESSAGES).choices[0].message.content == c.COMPLETION_TEXT

    def transport() -> None:  # the HTTP stack every azure-core client sits on: what the package cannot change
        request = HttpRequest("POST", url, content=body, headers=headers)
        assert json.loads(bare.send_request(request).read())["choices"][0]["message"]["content"] == c.COMPLETION_TEXT

    return run, c.http_floor(s["port"], stream=False), 1, {"transport": transport}


def row_sse_loopback(s: dict[str, Any]) -> Workload:
    client = ChatCompletionsClient(f"http://127.0.0.1:{s['port']}/models", AzureKeyCredential("k"))

    def run() -> None:
        assert c.read_stream(client.complete(messages=MESSAGES, stream=True)) == c.SSE_UPDATES

    return run, c.http_floor(s["port"], stream=True), c.SSE_UPDATES


def stream(events: int) -> Any:
    """A completion of ``events`` updates through the whole pipeline (in-process transport, chunks made lazily)."""
    client = in_process_client(lambda: c.sse_chunk_generator(events), "text/event-stream")
    return client.complete(messages=MESSAGES, stream=True)


async def async_calls(kind: str, port: int) -> tuple[Any, Any]:
    """One async call of the kind an async row makes (``chat``, ``embed``, ``stream``), on one client."""
    from azure.ai.inference.aio import ChatCompletionsClient as AsyncChat
    from azure.ai.inference.aio import EmbeddingsClient as AsyncEmbeddings

    endpoint = f"http://127.0.0.1:{port}/models"
    if kind == "embed":
        embeddings = AsyncEmbeddings(endpoint, AzureKeyCredential("k"))

        async def embed() -> None:
            result = await embeddings.embed(input=c.EMBED_INPUT)
            assert len(result.data[0].embedding) == c.EMBEDDING_DIMENSIONS

        return embed, embeddings.close
    chat = AsyncChat(endpoint, AzureKeyCredential("k"))

    async def complete() -> None:
        assert (await chat.complete(messages=MESSAGES)).choices[0].message.content == c.COMPLETION_TEXT

    async def stream() -> int:
        count = 0
        async for update in await chat.complete(messages=MESSAGES, stream=True, max_tokens=c.STREAMS_UPDATES):
            update.choices[0].delta.content  # noqa: B018  # reading it is the point
            count += 1
        assert count == c.STREAMS_UPDATES, count
        return count

    return (stream if kind == "stream" else complete), chat.close


if __name__ == "__main__":
    c.worker(
        "ours" if OURS else "b9",
        azure.ai.inference.__version__,
        {name[4:].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("row_")},
        stream=stream,
        imports=("azure.ai.inference", "azure.core.pipeline"),
        skipped={} if OURS else {"build": "1.0.0b9 has no public way to serialize a request without sending it"},
        async_factory=async_calls,
    )
