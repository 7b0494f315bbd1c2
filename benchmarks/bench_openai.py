"""Benchmark worker for openai-python, through its public API only; run it with a Python that has ``openai``.

openai-python on ``httpx2`` and earlier ones on ``httpx`` both work: whichever is installed is used.
Usage: ``python benchmarks/bench_openai.py ROW [--quick] [--port N] [--profile]``; prints one JSON line.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import _common as c
import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

try:
    import httpx2 as httpx
except ImportError:  # older openai-python
    import httpx  # type: ignore[no-redef]

BASE_URL = "http://127.0.0.1:9/v1"  # never connected to: the mock transport answers
MESSAGES = [{"role": "system", "content": c.SYSTEM_PROMPT}, {"role": "user", "content": c.QUESTION}]
Workload = tuple[Callable[[], Any], Callable[[], Any], int]


def in_process_client(chunks: Callable[[], Any], content_type: str = "application/json") -> openai.OpenAI:
    def answer(request: Any) -> Any:
        return httpx.Response(200, headers={"Content-Type": content_type}, content=chunks())

    transport = httpx.MockTransport(answer)
    return openai.OpenAI(api_key="k", base_url=BASE_URL, max_retries=0, http_client=httpx.Client(transport=transport))


def row_stream(s: dict[str, Any]) -> Workload:
    chunks = c.sse_chunks(c.STREAM_WORDS)
    client = in_process_client(lambda: [c.COMPLETION_BODY])
    request = httpx.Request("POST", BASE_URL + "/chat/completions")

    def run() -> None:
        response = httpx.Response(200, content=iter(chunks), request=request)
        c.read_stream(openai.Stream(cast_to=ChatCompletionChunk, response=response, client=client))

    return run, c.floor_split_loads(chunks), c.STREAM_WORDS


def row_parse(s: dict[str, Any]) -> Workload:
    def run() -> None:  # construct() is what the client does: no validation, nested models built
        completion = ChatCompletion.construct(**json.loads(c.COMPLETION_BODY))
        assert completion.choices[0].message.content == c.COMPLETION_TEXT

    return run, c.floor_parse, 1


def row_inproc(s: dict[str, Any]) -> Workload:
    client = in_process_client(lambda: [c.COMPLETION_BODY])

    def run() -> None:
        result = client.chat.completions.create(model=c.MODEL, messages=MESSAGES, max_tokens=256, temperature=0.5)
        assert result.choices[0].message.content == c.COMPLETION_TEXT

    return run, c.floor_request_response, 1


def _loopback_client(port: int) -> openai.OpenAI:
    return openai.OpenAI(api_key="k", base_url=f"http://127.0.0.1:{port}/models", max_retries=0)


def row_loopback(s: dict[str, Any]) -> tuple[Any, ...]:
    client = _loopback_client(s["port"])
    bare = httpx.Client()
    url, body = f"http://127.0.0.1:{s['port']}{c.LOOPBACK_PATH}", c.request_json().encode()
    headers = {"Content-Type": "application/json", "Authorization": "Bearer k"}

    def run() -> None:
        result = client.chat.completions.create(model=c.MODEL, messages=MESSAGES)
        assert result.choices[0].message.content == c.COMPLETION_TEXT

    def transport() -> None:  # the HTTP stack openai-python sits on
        assert bare.post(url, content=body, headers=headers).json()["choices"][0]["message"]["content"]

    return run, c.http_floor(s["port"], stream=False), 1, {"transport": transport}


def row_sse_loopback(s: dict[str, Any]) -> Workload:
    client = _loopback_client(s["port"])

    def run() -> None:
        stream = client.chat.completions.create(model=c.MODEL, messages=MESSAGES, stream=True)
        assert c.read_stream(stream) == c.SSE_UPDATES

    return run, c.http_floor(s["port"], stream=True), c.SSE_UPDATES


def stream(events: int) -> Any:
    """A completion of ``events`` updates through the client (mock transport, chunks made lazily)."""
    client = in_process_client(lambda: c.sse_chunk_generator(events), "text/event-stream")
    return client.chat.completions.create(model=c.MODEL, messages=MESSAGES, stream=True)


async def async_calls(kind: str, port: int) -> tuple[Any, Any]:
    """One async call of the kind an async row makes (``chat``, ``embed``, ``stream``), on one client."""
    client = openai.AsyncOpenAI(api_key="k", base_url=f"http://127.0.0.1:{port}/models", max_retries=0)

    async def embed() -> None:
        result = await client.embeddings.create(model=c.MODEL, input=c.EMBED_INPUT, encoding_format="float")
        assert len(result.data[0].embedding) == c.EMBEDDING_DIMENSIONS

    async def complete() -> None:
        result = await client.chat.completions.create(model=c.MODEL, messages=MESSAGES)
        assert result.choices[0].message.content == c.COMPLETION_TEXT

    async def stream() -> int:
        count = 0
        updates = await client.chat.completions.create(
            model=c.MODEL, messages=MESSAGES, stream=True, max_tokens=c.STREAMS_UPDATES
        )
        async for update in updates:
            update.choices[0].delta.content  # noqa: B018  # reading it is the point
            count += 1
        assert count == c.STREAMS_UPDATES, count
        return count

    return {"embed": embed, "chat": complete, "stream": stream}[kind], client.close


if __name__ == "__main__":
    c.worker(
        "openai",
        openai.__version__,
        {name[4:].replace("_", "-"): fn for name, fn in globals().items() if name.startswith("row_")},
        stream=stream,
        imports=("openai", httpx.__name__),
        skipped={"build": "messages are plain dicts: the floor itself"},
        async_factory=async_calls,
    )
