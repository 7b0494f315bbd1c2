"""The I/O-free parts of the bulk runner's limits: pacing to a quota, adaptive concurrency, retry waits.

Facts of the service behind them (Learn, "Manage Azure OpenAI quota",
https://learn.microsoft.com/azure/ai-services/openai/how-to/quota):
- a deployment's requests-per-minute limit is evaluated over small windows, typically 1 or 10 seconds: a
  600-RPM deployment answers 429 to the 11th request received within one second, until the next window;
- when a request arrives, its tokens are estimated from the prompt and ``max_tokens``, and counted against
  the tokens-per-minute limit.
So requests are paced evenly (no burst) just under the quota, and tokens are estimated before sending,
then corrected from the ``usage`` of the answer. Time is always passed in, so that tests need no clock.
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Optional

# Requests go out at this share of the quota: the windows are counted at the service, where network jitter
# can bring two requests paced 1/rate apart into one window.
PACING_MARGIN = 0.98
WINDOW = 1.0  # seconds: the shortest window the service evaluates a quota over
RETRYABLE_STATUS = frozenset([408, 429, 500, 502, 503, 504])
BACKOFF_BASE = 0.5  # seconds: the first exponential backoff, before jitter
BACKOFF_MAX = 30.0
RECOVERY = 0.002  # a learned request rate grows by this share per success
THROTTLED_SLOWDOWN = 1.25  # and a learned interval grows at least by this factor per 429 window
CHARS_PER_TOKEN = 4  # a rough estimate for English text; corrected from usage after each call
TOKENS_PER_MESSAGE = 4


class RateLimiter:
    """Paces requests and tokens to per-minute quotas (a generic cell rate algorithm: one "next free" time each).

    ``reserve(tokens)`` books the next slot and says how long to wait before sending; the booking of tokens
    is corrected once the answer's ``usage`` is known. ``pause(seconds)`` holds every send (a 429's
    Retry-After) and cancels the bookings made before it: their holders see ``epoch()`` change and book again,
    so that the pause does not end in a burst. With no quota given, only pauses apply. Every method takes and
    returns plain values (no clock of the caller's), so that one limiter can serve several processes (a Ray actor).
    """

    def __init__(
        self, rpm: Optional[float] = None, tpm: Optional[float] = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        for name, value in (("rpm", rpm), ("tpm", tpm)):
            if value is not None and not (isinstance(value, (int, float)) and value > 0):
                raise ValueError(f"{name} must be a positive number, not {value!r}")
        self.rpm, self.tpm, self._clock = rpm, tpm, clock
        self._request_interval = 60.0 / (rpm * PACING_MARGIN) if rpm else 0.0
        self._seconds_per_token = 60.0 / (tpm * PACING_MARGIN) if tpm else 0.0
        self._next_request = self._next_token = self._paused_until = float("-inf")
        self._epoch = 0
        # With no rpm given, the request rate is learned: on a 429, the successes of the last window say what
        # the deployment takes; each success then speeds up a little, until the next 429.
        self._learning = rpm is None
        self._successes: deque[float] = deque()
        self._last_throttled = float("-inf")
        self._learned = 0.0  # the interval the last window learned from said
        self._window_end: Optional[float] = None  # of the window a 429 refused, when its Retry-After said so

    def reserve(self, tokens: float) -> tuple[float, int]:
        """Book a send of a request of ``tokens`` estimated tokens: the seconds to wait, and the booking's epoch."""
        now = self._clock()
        if self._window_end is not None and now >= self._window_end:  # the refused window is over: all its counted
            self._request_interval = 0.0  # successes are in, and say its capacity
            self._learn(self._window_end - WINDOW, self._window_end)
            self._window_end = None
        start = max(now, self._paused_until, self._next_request, self._next_token)
        self._next_request = start + self._request_interval
        self._next_token = start + tokens * self._seconds_per_token
        return start - now, self._epoch

    def epoch(self) -> int:
        """Changes when a pause cancels the bookings made so far."""
        return self._epoch

    def correct(self, estimated: float, actual: float) -> None:
        """A request used ``actual`` tokens where ``estimated`` were booked: move the token schedule so."""
        self._next_token += (actual - estimated) * self._seconds_per_token

    def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds``; bookings made until now are void."""
        until = self._clock() + seconds
        if until > self._paused_until:
            self._paused_until = until
            self._next_request = min(self._next_request, until)
            self._next_token = min(self._next_token, until)
            self._epoch += 1

    def succeeded(self, age: float = 0.0) -> None:
        """A call sent ``age`` seconds ago was answered 200."""
        if self._learning:
            now = self._clock()
            self._successes.append(now - age)  # when it was sent: the window that counted it
            while self._successes[0] < now - 2 * WINDOW - age:
                self._successes.popleft()
            self._request_interval *= 1 - RECOVERY

    def throttled(self, retry_after: Optional[float] = None) -> None:
        """A call was answered 429: with no rpm given, pace requests to the rate the deployment took.

        The successes sent in the last window say it; those still on their way are counted once the window
        has ended, which a ``retry_after`` of at most one window tells (the next booking after it does)."""
        now = self._clock()
        if not self._learning or now - self._last_throttled < WINDOW:  # a burst of 429s from one window is one signal
            return
        self._last_throttled = now
        self._learn(now - WINDOW, now)
        if retry_after is not None and retry_after <= WINDOW:
            self._window_end = now + retry_after

    def _learn(self, start: float, end: float, also: int = 0) -> None:
        """Pace requests to the successes sent between ``start`` and ``end`` (and ``also`` more), or slow down if
        there were none."""
        taken = also + sum(start < sent <= end for sent in self._successes)
        interval = 1.0 / (taken * PACING_MARGIN) if taken else WINDOW
        self._request_interval = max(self._request_interval * THROTTLED_SLOWDOWN, interval)
        self._learned = interval

    def observe(self, remaining_requests: Optional[float], remaining_tokens: Optional[float], age: float) -> None:
        """The service's ``x-ratelimit-remaining-*`` headers of a request sent ``age`` seconds ago, followed for a
        limit not given here (a quota given paces below the service's limit already).

        No request left: the window that request went in is full. Requests are then paced to the successes sent
        in the window up to it, once learned; until then sends wait until that window has surely passed. No token
        left: sends wait so too."""
        now = self._clock()
        if remaining_requests is not None and remaining_requests <= 0 and self._learning:
            if self._learned:
                self._request_interval = max(self._request_interval, self._learned)  # at the limit: back to it
            elif age < WINDOW:
                self.pause(WINDOW - age)
                self._learn(now - age - WINDOW, now - age, also=1)  # the window up to it, and the request itself
        if remaining_tokens is not None and remaining_tokens <= 0 and self.tpm is None and age < WINDOW:
            self.pause(WINDOW - age)


class AdaptiveConcurrency:
    """How many calls may be in flight: halved on a 429 (once per window), grown by one per ``limit`` successes."""

    def __init__(self, maximum: int) -> None:
        if maximum < 1:
            raise ValueError(f"concurrency must be at least 1, not {maximum!r}")
        self.maximum = maximum
        self.limit = float(maximum)
        self._last_decrease = float("-inf")

    @property
    def allowed(self) -> int:
        return max(1, int(self.limit))

    def throttled(self, now: float) -> None:
        if now - self._last_decrease >= WINDOW:  # a burst of 429s from one window is one signal
            self.limit = max(1.0, self.limit / 2)
            self._last_decrease = now

    def succeeded(self) -> None:
        self.limit = min(float(self.maximum), self.limit + 1.0 / self.limit)


def _number(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def retry_after(headers: Mapping[str, str], now_epoch: float) -> Optional[float]:
    """The wait in seconds the service asked for: ``retry-after-ms``, ``x-ms-retry-after-ms``, then ``Retry-After``
    (seconds or an HTTP date), the order azure-core reads them in; None when none is there or readable."""
    for name in ("retry-after-ms", "x-ms-retry-after-ms"):
        milliseconds = _number(headers.get(name))
        if milliseconds is not None and milliseconds >= 0:
            return milliseconds / 1000
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return max(0.0, seconds)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now_epoch)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def backoff(attempt: int, rng: random.Random) -> float:
    """Exponential backoff with full jitter for retry number ``attempt`` (1-based)."""
    return rng.uniform(0, min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (attempt - 1)))


def remaining(headers: Mapping[str, str]) -> tuple[Optional[float], Optional[float]]:
    """The ``x-ratelimit-remaining-requests`` and ``-tokens`` headers Azure OpenAI sends, when present."""
    return _number(headers.get("x-ratelimit-remaining-requests")), _number(headers.get("x-ratelimit-remaining-tokens"))


def _text_length(content: Any) -> int:
    if isinstance(content, str):
        return len(content)
    if isinstance(content, list):
        return sum(len(part.get("text") or "") for part in content if isinstance(part, dict))
    return 0


def estimate_tokens(route: str, body: Mapping[str, Any]) -> int:
    """The tokens a request will count for, estimated before sending: its text, plus ``max_tokens`` for a chat."""
    if route == "/embeddings":
        inputs = body.get("input")
        texts = [inputs] if isinstance(inputs, str) else inputs if isinstance(inputs, list) else []
        return sum(1 + len(text) // CHARS_PER_TOKEN for text in texts if isinstance(text, str))
    messages = body.get("messages")
    prompt = sum(
        TOKENS_PER_MESSAGE + _text_length(m.get("content")) // CHARS_PER_TOKEN
        for m in (messages if isinstance(messages, list) else [])
        if isinstance(m, dict)
    )
    completion = body.get("max_tokens") or body.get("max_completion_tokens") or 0
    return prompt + (completion if isinstance(completion, int) else 0)
