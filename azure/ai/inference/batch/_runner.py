"""The bulk runner: many Batch API lines through one async chat client and one async embeddings client."""

from __future__ import annotations

import asyncio
import inspect
import json
import random
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Container, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Optional, Union

from azure.core.exceptions import AzureError, HttpResponseError

from ._items import (
    CHAT,
    EMBEDDINGS,
    Item,
    Result,
    merge_embeddings,
    parse_item,
    quota_tokens,
    result,
    service_error,
    split_embeddings,
    usage_tokens,
)
from ._limits import (
    RETRYABLE_STATUS,
    AdaptiveConcurrency,
    RateLimiter,
    backoff,
    estimate_tokens,
    remaining,
    retry_after,
)

Inputs = Union[Iterable[Any], AsyncIterable[Any]]


@dataclass
class BatchStats:
    """Counts of a run so far."""

    done: int = 0  # items answered 200
    failed: int = 0  # items with an error result
    skipped: int = 0  # items whose key was in ``skip``
    retried: int = 0  # calls sent again
    throttled: int = 0  # answers with status 429
    tokens: int = 0  # usage.total_tokens of the answers
    elapsed: float = 0.0  # seconds since the run started

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Answer:
    """What one call came back with."""

    status: Optional[int]
    headers: Mapping[str, str]
    body: Any
    error: Optional[tuple[str, str]] = None  # set when the call failed


async def _resolved(value: Any) -> Any:
    """A limiter's answer: a shared one's (a Ray actor's) methods return awaitables, a local one's plain values."""
    return await value if inspect.isawaitable(value) else value


class _Slots:
    """A semaphore whose size follows an `AdaptiveConcurrency`."""

    def __init__(self, control: AdaptiveConcurrency) -> None:
        self._control = control
        self._busy = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self) -> None:
        while self._busy >= self._control.allowed:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if not waiter.cancelled():  # woken, then cancelled: pass the wake-up on
                    self.wake()
                raise
        self._busy += 1

    def release(self) -> None:
        self._busy -= 1
        self.wake()

    def wake(self) -> None:
        free = self._control.allowed - self._busy
        while free > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                free -= 1


class BatchRunner:
    """Runs Batch API requests through the package's async clients, within a quota, retrying what may be retried.

    :keyword chat: The async ``ChatCompletionsClient`` for ``/chat/completions`` lines.
    :keyword embeddings: The async ``EmbeddingsClient`` for ``/embeddings`` lines.
    :keyword concurrency: At most this many calls in flight; fewer after 429s, growing back on success.
    :keyword rpm: The deployment's requests-per-minute quota: requests are paced evenly just below it.
    :keyword tpm: Its tokens-per-minute quota: tokens are estimated before each call, corrected from ``usage``
        (the prompt's tokens, plus ``max_tokens`` which the service counts used or not).
    :keyword max_retries: Retries of one call (429, 408, 500, 502, 503, 504 and connection errors).
    :keyword max_retry_wait: The longest wait the service may ask for (``Retry-After``, ``retry-after-ms``,
        ``x-ms-retry-after-ms``); asked for longer, the item fails with the service's message.
    :keyword max_embedding_inputs: Inputs per embeddings call (2048 for Azure OpenAI, 96 for Cohere); a longer
        list is sent in chunks and the vectors are put back in the order of its inputs.
    :keyword model: Put in a body that names no ``model``; a mapping gives one per route
        (``{"/chat/completions": ..., "/embeddings": ...}``).
    :keyword ordered: Yield results in input order (else as they complete).
    :keyword limiter: A shared rate limiter (for example a Ray actor); by default one of this runner's own.

    The clients' own retry policy is switched off for the calls made here (``retry_total=0``): the runner
    retries, counts the retries and caps the waits.
    """

    def __init__(
        self,
        *,
        chat: Any = None,
        embeddings: Any = None,
        concurrency: int = 32,
        rpm: Optional[float] = None,
        tpm: Optional[float] = None,
        max_retries: int = 8,
        max_retry_wait: float = 60.0,
        max_embedding_inputs: int = 2048,
        model: Union[str, Mapping[str, str], None] = None,
        ordered: bool = False,
        limiter: Any = None,
        seed: Optional[int] = None,
    ) -> None:
        if chat is None and embeddings is None:
            raise ValueError("give a chat client, an embeddings client or both")
        if max_embedding_inputs < 1 or max_retries < 0 or max_retry_wait < 0:
            raise ValueError("max_embedding_inputs must be at least 1, max_retries and max_retry_wait not negative")
        self._clients = {CHAT: chat, EMBEDDINGS: embeddings}
        self._control = AdaptiveConcurrency(concurrency)
        self._slots = _Slots(self._control)
        self._limiter: Any = limiter if limiter is not None else RateLimiter(rpm, tpm)
        self._remote = not isinstance(self._limiter, RateLimiter)  # its methods return awaitables
        self._counts_tokens = self._remote or tpm is not None or self._limiter.tpm is not None
        self._max_retries, self._max_retry_wait = max_retries, max_retry_wait
        self._max_inputs, self._model, self._ordered = max_embedding_inputs, model, ordered
        self._rng = random.Random(seed)
        self.stats = BatchStats()

    async def run(self, inputs: Inputs, *, skip: Container[str] = ()) -> AsyncIterator[Result]:
        """Run every input (read lazily, a bounded number ahead) and yield its result.

        :param inputs: Batch API lines (text, bytes or mappings); an iterable or an async iterable.
        :keyword skip: Keys (``custom_id``, else ``id``) of items already done: they are not run.
        """
        started = time.monotonic()
        source = inputs.__aiter__() if isinstance(inputs, AsyncIterable) else None
        lines = iter(inputs) if source is None else None  # type: ignore[arg-type]
        # Items in progress: bounded, whatever the input's length. As many as calls may be in flight, so that no
        # task waits for a slot (the event loop's work per call stays that of a plain semaphore) unless the
        # adaptive limit is below the maximum or an item is sent in chunks.
        window = self._control.maximum
        ready: asyncio.Queue[Result] = asyncio.Queue()
        order: deque[asyncio.Future[Result]] = deque()
        tasks: set[asyncio.Task[Result]] = set()
        pending, position, exhausted = 0, 0, False

        def finished(task: asyncio.Task[Result]) -> None:
            tasks.discard(task)
            if not task.cancelled() and not self._ordered:
                ready.put_nowait(task.result())

        try:
            while True:
                while not exhausted and pending < window:
                    try:
                        raw = await source.__anext__() if source is not None else next(lines)  # type: ignore[arg-type]
                    except (StopAsyncIteration, StopIteration):
                        exhausted = True
                        break
                    position += 1
                    item = parse_item(raw, position, self._model)
                    if item is None:
                        continue
                    if item.key in skip:
                        self.stats.skipped += 1
                        continue
                    pending += 1
                    if item.problem is not None:
                        bad = asyncio.get_running_loop().create_future()
                        bad.set_result(self._failed(item, None, ("invalid_request", item.problem)))
                        order.append(bad) if self._ordered else ready.put_nowait(bad.result())
                        continue
                    task = asyncio.ensure_future(self._process(item))
                    tasks.add(task)
                    task.add_done_callback(finished)
                    if self._ordered:
                        order.append(task)
                if pending == 0:
                    break
                answer = await order.popleft() if self._ordered else await ready.get()
                pending -= 1
                self.stats.elapsed = time.monotonic() - started
                yield answer
        finally:
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
            self.stats.elapsed = time.monotonic() - started

    def _failed(self, item: Item, answer: Optional[_Answer], error: tuple[str, str]) -> Result:
        self.stats.failed += 1
        if answer is None or answer.status is None:
            return result(item, error=error)
        return result(item, status=answer.status, headers=answer.headers, body=answer.body, error=error)

    async def _process(self, item: Item) -> Result:
        """One item's result; never raises but for cancellation."""
        assert item.body is not None
        client = self._clients[item.route]
        if client is None:
            kind = "chat" if item.route == CHAT else "embeddings"
            return self._failed(item, None, ("no_client", f"no {kind} client was given for {item.route}"))
        try:
            if item.route == EMBEDDINGS:
                bodies = split_embeddings(item.body, self._max_inputs)
                if len(bodies) > 1:
                    answers = await asyncio.gather(*(self._call(client, EMBEDDINGS, body) for body in bodies))
                    failure = next((answer for answer in answers if answer.error is not None), None)
                    if failure is not None:
                        return self._failed(item, failure, failure.error)  # type: ignore[arg-type]
                    sizes = [len(body["input"]) for body in bodies]
                    merged = merge_embeddings([answer.body for answer in answers], sizes)
                    self.stats.done += 1
                    return result(item, status=200, headers=answers[0].headers, body=merged)
            answer = await self._call(client, item.route, item.body)
        except Exception as exc:  # an item's failure is its result, never the run's end
            return self._failed(item, None, ("internal_error", f"{type(exc).__name__}: {exc}"))
        if answer.error is not None:
            return self._failed(item, answer, answer.error)
        self.stats.done += 1
        return result(item, status=answer.status, headers=answer.headers, body=answer.body)

    async def _call(self, client: Any, route: str, body: dict[str, Any]) -> _Answer:
        """One call, paced and retried; the answer, with ``error`` set if it finally failed."""
        estimate = estimate_tokens(route, body) if self._counts_tokens else 0
        for attempt in range(self._max_retries + 1):
            if attempt:
                self.stats.retried += 1
            await self._slots.acquire()
            try:
                await self._wait_for_turn(estimate)
                sent_at = time.monotonic()
                answer = await self._send(client, route, body)
            finally:
                self._slots.release()
            received = time.monotonic()
            if answer.status == 200:
                await self._settled(body, answer, estimate, received - sent_at)
                done = self._limiter.succeeded(received - sent_at)
                if self._remote:
                    await done
                self._control.succeeded()
                self._slots.wake()
                return answer
            if answer.status is not None and answer.status not in RETRYABLE_STATUS:
                return answer
            wait = retry_after(answer.headers, time.time()) if answer.status is not None else None
            if answer.status == 429:
                self.stats.throttled += 1
                self._control.throttled(received)
                await _resolved(self._limiter.throttled(wait))
            if wait is not None and wait > self._max_retry_wait:
                message = (answer.error or ("", ""))[1]
                answer.error = (
                    "retry_wait_too_long",
                    f"{message} (the service asked to retry after {wait:g} s, more than the {self._max_retry_wait:g} s"
                    " max_retry_wait allows)",
                )
                return answer
            if attempt == self._max_retries:
                break
            if wait is None:
                wait = backoff(attempt + 1, self._rng)
            if answer.status == 429:  # a throttled deployment refuses everyone: everyone waits
                await _resolved(self._limiter.pause(wait))
            await asyncio.sleep(wait)
        code, message = answer.error or ("", "")
        answer.error = (code, f"{message} (gave up after {self._max_retries} retries)")
        return answer

    async def _wait_for_turn(self, tokens: float) -> None:
        """Sleep until the limiter's booking for this call comes; book again if a pause voided it meanwhile."""
        while True:
            booking = self._limiter.reserve(tokens)
            delay, epoch = await booking if self._remote else booking
            if delay > 0:
                await asyncio.sleep(delay)
            if delay <= 0 or await _resolved(self._limiter.epoch()) == epoch:
                return

    async def _settled(self, body: dict[str, Any], answer: _Answer, estimate: int, age: float) -> None:
        """Count the tokens, correct the token booking from ``usage``, follow the rate-limit headers of a 200."""
        used = usage_tokens(answer.body)
        if used is not None:
            self.stats.tokens += used
        counted = quota_tokens(body, answer.body) if self._counts_tokens else None
        if counted is not None and counted != estimate:
            corrected = self._limiter.correct(estimate, counted)
            if self._remote:
                await corrected
        left_requests, left_tokens = remaining(answer.headers)
        if left_requests is not None or left_tokens is not None:
            await _resolved(self._limiter.observe(left_requests, left_tokens, age))

    async def _send(self, client: Any, route: str, body: dict[str, Any]) -> _Answer:
        seen: list[Any] = []
        hook = seen.append  # azure-core's raw_response_hook: the response of this call, for its headers
        try:
            if route == CHAT:
                answer = await client.complete(body, retry_total=0, raw_response_hook=hook)
            else:
                answer = await client.embed(body, retry_total=0, raw_response_hook=hook)
        except HttpResponseError as exc:
            response: Any = exc.response
            status: int = exc.status_code or (response.status_code if response is not None else 0)
            try:
                payload = response.json() if response is not None else None
            except ValueError:
                payload = response.text() if response is not None else None
            headers = response.headers if response is not None else {}
            return _Answer(status, headers, payload, service_error(status, payload, exc.reason or ""))
        except AzureError as exc:  # no answer: the connection failed or timed out
            return _Answer(None, {}, None, ("connection_error", f"{type(exc).__name__}: {exc.message}"))
        if not seen:  # no pipeline response seen (a client double in tests): the model's JSON
            return _Answer(200, {}, answer.as_dict())
        response = seen[-1].http_response
        # The body as the service sent it: parsing its bytes again costs less than copying the model's JSON out.
        return _Answer(200, response.headers, json.loads(response.body().decode("utf-8")))
