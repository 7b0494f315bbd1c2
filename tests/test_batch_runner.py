"""The bulk runner over the real async clients and real sockets, against the emulator (and its quota)."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from azure.ai.inference.aio import ChatCompletionsClient, EmbeddingsClient
from azure.ai.inference.batch import BatchRunner

from .emulator import Emulator, embedding_vector
from .quota import Quota
from .support import key

pytestmark = pytest.mark.asyncio


def chat_line(custom_id: str, text: str, **body: Any) -> dict[str, Any]:
    body = {"messages": [{"role": "user", "content": text}], **body}
    return {"custom_id": custom_id, "method": "POST", "url": "/chat/completions", "body": body}


def completion(text: str) -> dict[str, Any]:
    usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
    message = {"role": "assistant", "content": text}
    return {"id": "c", "created": 1, "model": "m", "choices": [{"index": 0, "message": message}], "usage": usage}


async def run_all(runner: BatchRunner, inputs: Any, **kwargs: Any) -> list[dict[str, Any]]:
    return [result async for result in runner.run(inputs, **kwargs)]


@pytest.fixture
async def chat(emulator: Emulator) -> AsyncIterator[ChatCompletionsClient]:
    async with ChatCompletionsClient(emulator.endpoint, key()) as client:
        yield client


async def test_results_are_in_the_batch_api_format(emulator: Emulator, chat: ChatCompletionsClient) -> None:
    lines = [json.dumps(chat_line(f"c{i}", f"hello {i}")) for i in range(5)]
    runner = BatchRunner(chat=chat, model="m1")
    results = await run_all(runner, lines)
    assert sorted(r["custom_id"] for r in results) == [f"c{i}" for i in range(5)]
    first = next(r for r in results if r["custom_id"] == "c0")
    assert first["id"] == "batch_req_1" and first["error"] is None
    assert first["response"]["status_code"] == 200
    assert first["response"]["body"]["choices"][0]["message"]["content"] == "Echo: hello 0"
    assert {r.json()["model"] for r in emulator.requests} == {"m1"}  # filled in where the body named none
    assert runner.stats.done == 5 and runner.stats.failed == 0 and runner.stats.tokens == 5 * (2 + 3)


async def test_bad_lines_are_results_and_the_run_goes_on(chat: ChatCompletionsClient) -> None:
    inputs = ["{oops", json.dumps(chat_line("ok", "hi")), "", json.dumps({"custom_id": "x", "url": "/images"})]
    results = await run_all(BatchRunner(chat=chat, ordered=True), inputs)
    assert [(r["id"], r["custom_id"]) for r in results] == [("batch_req_1", None), ("batch_req_2", "ok"),
                                                             ("batch_req_4", "x")]  # fmt: skip
    assert results[0]["error"]["code"] == "invalid_request" and "not JSON" in results[0]["error"]["message"]
    assert results[1]["error"] is None
    assert "url '/images' is not supported" in results[2]["error"]["message"] and results[2]["response"] is None


async def test_service_errors_are_results(emulator: Emulator, chat: ChatCompletionsClient) -> None:
    emulator.enqueue(400, json={"error": {"code": "content_filter", "message": "filtered"}})
    runner = BatchRunner(chat=chat)
    [only] = await run_all(runner, [chat_line("a", "hi")])
    assert only["response"]["status_code"] == 400
    assert only["response"]["body"] == {"error": {"code": "content_filter", "message": "filtered"}}
    assert only["error"] == {"code": "content_filter", "message": "filtered"}
    assert len(emulator.requests) == 1 and runner.stats.failed == 1 and runner.stats.retried == 0


async def test_ordered_results_follow_the_input(emulator: Emulator, chat: ChatCompletionsClient) -> None:
    emulator.enqueue(200, json=completion("slow"), delay=0.3)  # the first answer comes last
    results = await run_all(BatchRunner(chat=chat, ordered=True), [chat_line(f"c{i}", "x") for i in range(6)])
    assert [r["custom_id"] for r in results] == [f"c{i}" for i in range(6)]
    unordered = await run_all(BatchRunner(chat=chat), [chat_line(f"c{i}", "x") for i in range(6)])
    assert len(unordered) == 6


async def test_input_is_read_lazily(chat: ChatCompletionsClient) -> None:
    pulled = 0

    def lines() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for i in range(1000):
            pulled += 1
            yield chat_line(f"c{i}", "x")

    runner = BatchRunner(chat=chat, concurrency=4)
    async for _ in runner.run(lines()):
        assert pulled <= 4 + 1  # a bounded window ahead, not the whole input
        break
    assert pulled < 20


async def test_async_input_and_skip(chat: ChatCompletionsClient) -> None:
    async def lines() -> AsyncIterator[str]:
        for i in range(4):
            yield json.dumps(chat_line(f"c{i}", "x"))

    runner = BatchRunner(chat=chat)
    results = await run_all(runner, lines(), skip={"c1", "c3"})
    assert sorted(r["custom_id"] for r in results) == ["c0", "c2"] and runner.stats.skipped == 2


@pytest.mark.parametrize("status", [429, 408, 500, 502, 503, 504])
async def test_retryable_answers_are_retried(emulator: Emulator, chat: ChatCompletionsClient, status: int) -> None:
    emulator.enqueue(status, json={"error": {"code": str(status), "message": "busy"}}, headers={"retry-after-ms": "20"})
    runner = BatchRunner(chat=chat)
    [only] = await run_all(runner, [chat_line("a", "hi")])
    assert only["error"] is None and len(emulator.requests) == 2
    assert runner.stats.retried == 1 and runner.stats.throttled == (status == 429)


async def test_the_clients_own_retries_are_off(emulator: Emulator, chat: ChatCompletionsClient) -> None:
    """The package's retry policy retries a 429 POST; under the runner only the runner retries, and counts it."""
    emulator.enqueue(429, json={"error": {"code": "429", "message": "slow down"}}, headers={"Retry-After": "0"})
    runner = BatchRunner(chat=chat, max_retries=0)
    [only] = await run_all(runner, [chat_line("a", "hi")])
    assert len(emulator.requests) == 1
    assert only["response"]["status_code"] == 429
    assert only["error"]["message"] == "slow down (gave up after 0 retries)"


async def test_a_wait_over_the_cap_fails_the_item_with_the_services_message(
    emulator: Emulator, chat: ChatCompletionsClient
) -> None:
    message = "Requests to the ChatCompletions_Create Operation have exceeded call rate limit. Retry after 86400 s."
    emulator.enqueue(429, json={"error": {"code": "429", "message": message}}, headers={"Retry-After": "86400"})
    started = time.monotonic()
    [only] = await run_all(BatchRunner(chat=chat, max_retry_wait=30), [chat_line("a", "hi")])
    assert time.monotonic() - started < 5
    assert only["error"]["code"] == "retry_wait_too_long"
    assert only["error"]["message"].startswith(message)
    assert "86400 s, more than the 30 s max_retry_wait" in only["error"]["message"]


async def test_backoff_without_retry_after_then_give_up(emulator: Emulator, chat: ChatCompletionsClient) -> None:
    for _ in range(3):
        emulator.enqueue(503, json={"error": {"code": "Unavailable", "message": "down"}})
    runner = BatchRunner(chat=chat, max_retries=2, seed=3)
    [only] = await run_all(runner, [chat_line("a", "hi")])
    assert len(emulator.requests) == 3 and runner.stats.retried == 2
    assert only["error"] == {"code": "Unavailable", "message": "down (gave up after 2 retries)"}


async def test_connection_errors_are_retried(emulator: Emulator, chat: ChatCompletionsClient) -> None:
    emulator.enqueue(drop=True)
    runner = BatchRunner(chat=chat, seed=1)
    [only] = await run_all(runner, [chat_line("a", "hi")])
    assert only["error"] is None and runner.stats.retried == 1


async def test_embeddings_are_chunked_and_mapped_back(emulator: Emulator) -> None:
    texts = [f"text number {i}" for i in range(7)]
    line = {"custom_id": "e", "method": "POST", "url": "/embeddings", "body": {"input": texts, "dimensions": 4}}
    async with EmbeddingsClient(emulator.url("embed"), key()) as client:
        runner = BatchRunner(embeddings=client, max_embedding_inputs=3)
        [only] = await run_all(runner, [line])
    assert [len(r.json()["input"]) for r in emulator.requests] == [3, 3, 1]
    body = only["response"]["body"]
    vectors = {d["index"]: d["embedding"] for d in body["data"]}
    assert vectors == {i: embedding_vector(text, 4) for i, text in enumerate(texts)}
    assert body["usage"]["total_tokens"] == 3 * 7


async def test_a_route_without_a_client_is_an_error_result(chat: ChatCompletionsClient) -> None:
    line = {"custom_id": "e", "url": "/embeddings", "body": {"input": ["a"]}}
    [only] = await run_all(BatchRunner(chat=chat), [line])
    assert only["error"]["code"] == "no_client"


async def test_the_quota_is_kept(emulator: Emulator, chat: ChatCompletionsClient) -> None:
    emulator.quota = Quota(rpm=1200)  # 20 a second
    runner = BatchRunner(chat=chat, rpm=1200, concurrency=64)
    started = time.monotonic()
    results = await run_all(runner, [chat_line(f"c{i}", "x") for i in range(50)])
    elapsed = time.monotonic() - started
    assert all(r["error"] is None for r in results)
    assert emulator.quota.refused == 0 and runner.stats.throttled == 0 and emulator.quota.busiest_window <= 20
    assert 2.0 < elapsed < 4.0  # 50 at 20 a second: paced, not much slower


async def test_without_rpm_429s_are_retried_and_the_run_completes(
    emulator: Emulator, chat: ChatCompletionsClient
) -> None:
    emulator.quota = Quota(rpm=1200)
    runner = BatchRunner(chat=chat, concurrency=64)
    results = await run_all(runner, [chat_line(f"c{i}", "x") for i in range(60)])
    assert all(r["error"] is None for r in results)
    assert runner.stats.throttled == emulator.quota.refused > 0  # the first burst, then the learned pace


async def test_remaining_headers_hold_the_next_send(emulator: Emulator, chat: ChatCompletionsClient) -> None:
    emulator.enqueue(200, json=completion("a"), headers={"x-ratelimit-remaining-requests": "0"})
    runner = BatchRunner(chat=chat, concurrency=1)
    started = time.monotonic()
    await run_all(runner, [chat_line("a", "x"), chat_line("b", "x")])
    assert time.monotonic() - started > 0.8  # the window the first went in had no request left


async def test_the_token_quota_is_kept(emulator: Emulator, chat: ChatCompletionsClient) -> None:
    """Tokens are booked before sending (text and max_tokens) and corrected from usage to what the service counts
    at arrival: the prompt and max_tokens, used or not. A correction to the tokens used (5 here) would let four
    times too many through."""
    emulator.quota = Quota(rpm=60_000, tpm=90_000)  # 1,500 tokens a second; each request counts 2 words + 20
    runner = BatchRunner(chat=chat, tpm=90_000, concurrency=4)  # answers come back while more wait to be sent
    started = time.monotonic()
    results = await run_all(runner, [chat_line(f"c{i}", "two words", max_tokens=20) for i in range(150)])
    elapsed = time.monotonic() - started
    assert all(r["error"] is None for r in results)
    assert emulator.quota.refused == 0 and runner.stats.throttled == 0
    assert 1.5 < elapsed < 10.0  # 150 x 22 tokens at 1,500 a second: paced
