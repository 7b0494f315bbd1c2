"""The bulk runner's I/O-free parts: pacing, pauses, adaptive concurrency, retry waits, input lines, chunking."""

from __future__ import annotations

import json
import random
from email.utils import formatdate

import pytest

from azure.ai.inference.batch import RateLimiter, result_key
from azure.ai.inference.batch._items import merge_embeddings, parse_item, service_error, split_embeddings
from azure.ai.inference.batch._limits import (
    PACING_MARGIN,
    AdaptiveConcurrency,
    backoff,
    estimate_tokens,
    remaining,
    retry_after,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_requests_are_paced_evenly_just_below_the_quota() -> None:
    # Learn, "Manage Azure OpenAI quota": a 600-RPM deployment refuses the 11th request within one second, so
    # the limiter never bursts: requests go 60 / (rpm * margin) seconds apart.
    clock = Clock()
    limiter = RateLimiter(rpm=600, clock=clock)
    waits = [limiter.reserve(0)[0] for _ in range(11)]
    interval = 60 / (600 * PACING_MARGIN)
    assert waits == pytest.approx([i * interval for i in range(11)])
    assert waits[10] > 1.0  # the 11th is in the next second
    clock.now += 100  # idle time earns no burst
    assert limiter.reserve(0)[0] == 0 and limiter.reserve(0)[0] == pytest.approx(interval)


def test_tokens_are_booked_from_the_estimate_and_corrected_from_usage() -> None:
    clock = Clock()
    limiter = RateLimiter(tpm=6000, clock=clock)  # 100 tokens a second
    assert limiter.reserve(100)[0] == 0
    assert limiter.reserve(50)[0] == pytest.approx(1 / PACING_MARGIN)  # waits for the first one's 100 tokens
    limiter.correct(50, 10)  # the second used 10 of its 50: the third goes sooner
    assert limiter.reserve(0)[0] == pytest.approx(1.1 / PACING_MARGIN)


def test_a_pause_voids_earlier_bookings() -> None:
    clock = Clock()
    limiter = RateLimiter(rpm=60, clock=clock)
    _, first_epoch = limiter.reserve(0)
    late, _ = limiter.reserve(0)
    assert late == pytest.approx(1 / PACING_MARGIN)
    limiter.pause(5)
    assert limiter.epoch() != first_epoch  # the holder of the second booking books again
    assert limiter.reserve(0)[0] == pytest.approx(5)  # nothing before the pause ends, then the pace resumes
    assert limiter.reserve(0)[0] == pytest.approx(5 + 1 / PACING_MARGIN)
    limiter.pause(1)  # a shorter pause changes nothing
    assert limiter.reserve(0)[0] == pytest.approx(5 + 2 / PACING_MARGIN)


def test_remaining_headers_hold_sends_only_for_a_limit_not_given() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limiter.observe(3, None, age=0.1)
    assert limiter.reserve(0)[0] == 0
    limiter.observe(None, 0, age=0.25)  # the window that request went in is spent: wait until it surely passed
    assert limiter.reserve(0)[0] == pytest.approx(0.75)
    given = RateLimiter(rpm=600, tpm=1000, clock=clock)
    given.observe(0, 0, age=0.0)
    assert given.reserve(0)[0] == 0
    assert remaining({"x-ratelimit-remaining-requests": "7", "x-ratelimit-remaining-tokens": "x"}) == (7, None)


def test_without_rpm_the_rate_is_learned_from_429s() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    for _ in range(10):
        clock.now += 0.05
        limiter.succeeded()
    limiter.throttled()  # 10 successes sent in the last second: about 10 a second
    limiter.throttled()  # the same window: one signal
    first = limiter.reserve(0)[0]
    assert limiter.reserve(0)[0] - first == pytest.approx(1 / (10 * PACING_MARGIN))


def test_the_refused_window_is_measured_once_it_is_over() -> None:
    """Answers of requests the window took can come back after the first 429: they count once it has ended."""
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limiter.succeeded(age=0.01)  # one answer back when the 429 comes: it alone would say 1 a second
    limiter.throttled(retry_after=0.4)  # the window ends in 0.4 s
    clock.now += 0.2
    for _ in range(19):  # the rest of the window's 20 come back late
        limiter.succeeded(age=0.21)
    clock.now += 0.3  # past the window's end: the next booking learns 20 a second
    first = limiter.reserve(0)[0]
    assert limiter.reserve(0)[0] - first == pytest.approx(1 / (20 * PACING_MARGIN))


def test_no_request_left_paces_to_the_window_it_filled() -> None:
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    for _ in range(4):
        clock.now += 0.1
        limiter.succeeded(age=0.0)
    limiter.observe(0, None, age=0.0)  # the 5th filled its window: wait for it to pass, then 5 a second
    assert limiter.reserve(0)[0] == pytest.approx(1.0)
    assert limiter.reserve(0)[0] == pytest.approx(1.0 + 1 / (5 * PACING_MARGIN))
    for _ in range(500):
        limiter.succeeded()  # successes speed the pace up a little each ...
    clock.now += 10
    fast = limiter.reserve(0)[0]
    assert limiter.reserve(0)[0] - fast < 1 / (5 * PACING_MARGIN)
    limiter.observe(0, None, age=0.0)  # ... until the service says the window is full again
    slow = limiter.reserve(0)[0]
    assert limiter.reserve(0)[0] - slow == pytest.approx(1 / (5 * PACING_MARGIN))


def test_adaptive_concurrency_halves_once_per_window_and_recovers() -> None:
    control = AdaptiveConcurrency(64)
    control.throttled(10.0)
    control.throttled(10.5)
    assert control.allowed == 32
    control.throttled(11.0)
    assert control.allowed == 16
    for _ in range(16 * 3):
        control.succeeded()
    assert control.allowed > 16
    for _ in range(10_000):
        control.succeeded()
    assert control.allowed == 64
    with pytest.raises(ValueError):
        AdaptiveConcurrency(0)
    with pytest.raises(ValueError, match="rpm must be a positive number"):
        RateLimiter(rpm=0)


def test_retry_after_reads_the_three_headers_in_azure_cores_order() -> None:
    now = 1_700_000_000.0
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}, now) == 0.25
    assert retry_after({"x-ms-retry-after-ms": "1500", "retry-after": "9"}, now) == 1.5
    assert retry_after({"retry-after": "86400"}, now) == 86400
    assert retry_after({"retry-after": formatdate(now + 30, usegmt=True)}, now) == pytest.approx(30)
    assert retry_after({"retry-after": "soon"}, now) is None
    assert retry_after({}, now) is None


def test_backoff_is_exponential_with_full_jitter() -> None:
    rng = random.Random(1)
    waits = [[backoff(attempt, rng) for _ in range(200)] for attempt in (1, 2, 3, 10)]
    assert all(0 <= w <= 0.5 for w in waits[0]) and max(waits[0]) > 0.4
    assert all(0 <= w <= 1.0 for w in waits[1]) and max(waits[1]) > 0.8
    assert all(0 <= w <= 2.0 for w in waits[2])
    assert all(0 <= w <= 30 for w in waits[3]) and max(waits[3]) > 20
    assert len({round(w, 6) for w in waits[3]}) > 150  # jittered, not one value


def test_token_estimates() -> None:
    chat = {"messages": [{"role": "user", "content": "x" * 40}, {"role": "user", "content": [{"text": "y" * 8}]}]}
    assert estimate_tokens("/chat/completions", {**chat, "max_tokens": 100}) == (4 + 10) + (4 + 2) + 100
    assert estimate_tokens("/embeddings", {"input": ["abcd" * 5, "ab"]}) == 6 + 1
    assert estimate_tokens("/embeddings", {"input": "abcdefgh"}) == 3


def line(**fields: object) -> str:
    return json.dumps({"custom_id": "a", "method": "POST", "url": "/chat/completions", "body": {"x": 1}, **fields})


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("{not json", "input 7 is not JSON"),
        (b"\xff\xfe", "input 7 is not UTF-8"),
        ("[1, 2]", "is a JSON list, not an object"),
        (line(custom_id=None), "input 7 has no custom_id"),
        (line(method="GET"), "method 'GET' is not supported"),
        (line(url="/completions"), "url '/completions' is not supported"),
        (line(body=[1]), "body must be a JSON object"),
        (line(body={"stream": True}), "streaming is not supported"),
    ],
)
def test_a_bad_line_says_why(raw: object, problem: str) -> None:
    item = parse_item(raw, 7)
    assert item is not None and item.problem is not None and problem in item.problem


def test_good_lines_and_keys() -> None:
    assert parse_item("  \n", 1) is None
    for url in ("/chat/completions", "/v1/chat/completions", "/deployments/gpt/chat/completions?api-version=x"):
        item = parse_item(line(url=url), 3, model="m")
        assert item is not None and item.problem is None and item.route == "/chat/completions"
        assert item.body == {"x": 1, "model": "m"} and item.key == "a" and item.id == "batch_req_3"
    named = parse_item({"custom_id": "b", "url": "/embeddings", "body": {"input": ["t"], "model": "own"}}, 1, "m")
    assert named is not None and named.body == {"input": ["t"], "model": "own"}
    nameless = parse_item("{}", 9)
    assert nameless is not None and nameless.key == "batch_req_9"
    assert result_key({"id": "batch_req_9", "custom_id": None}) == "batch_req_9"
    assert result_key({"id": "batch_req_9", "custom_id": "c"}) == "c"


def test_embeddings_are_chunked_and_put_back_in_input_order() -> None:
    body = {"input": [f"t{i}" for i in range(5)], "dimensions": 2}
    chunks = split_embeddings(body, 2)
    assert [c["input"] for c in chunks] == [["t0", "t1"], ["t2", "t3"], ["t4"]]
    assert all(c["dimensions"] == 2 for c in chunks)
    assert split_embeddings(body, 5) == [body]
    # each chunk's answer lists its vectors by their index within the chunk, in any order
    answers = [
        {"id": "e1", "data": [{"index": 1, "embedding": "t1"}, {"index": 0, "embedding": "t0"}],
         "usage": {"prompt_tokens": 2, "total_tokens": 2}},
        {"id": "e2", "data": [{"index": 0, "embedding": "t2"}, {"index": 1, "embedding": "t3"}],
         "usage": {"prompt_tokens": 2, "total_tokens": 2}},
        {"id": "e3", "data": [{"index": 0, "embedding": "t4"}], "usage": {"prompt_tokens": 1, "total_tokens": 1}},
    ]  # fmt: skip
    merged = merge_embeddings(answers, [2, 2, 1])
    assert {d["index"]: d["embedding"] for d in merged["data"]} == {i: f"t{i}" for i in range(5)}
    assert merged["usage"] == {"prompt_tokens": 5, "total_tokens": 5} and merged["id"] == "e1"


def test_service_error_reads_both_shapes() -> None:
    assert service_error(429, {"error": {"code": "429", "message": "slow down"}}) == ("429", "slow down")
    assert service_error(422, {"code": "invalid_input", "message": "bad"}) == ("invalid_input", "bad")
    assert service_error(502, "<html>", "Bad Gateway") == ("502", "HTTP 502 Bad Gateway")
