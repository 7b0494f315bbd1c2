"""The emulator as a quota-limited deployment: ``emulator.quota = Quota(rpm=600)``.

As Azure OpenAI does (Learn, "Manage Azure OpenAI quota"): the requests-per-minute quota is enforced per
1-second window (a 600-RPM deployment refuses the 11th request received within one second), tokens are
estimated when a request arrives from its text and ``max_tokens``, and a refused request gets a 429 with
``Retry-After`` (whole seconds) and ``retry-after-ms``. Every answer carries ``x-ratelimit-remaining-requests``
and ``x-ratelimit-remaining-tokens`` for the current window, as Azure OpenAI's do. Windows are aligned to the
clock's whole seconds.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any, Awaitable, Callable, Optional

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def estimated_tokens(body: Any) -> int:
    """The emulator's tokens for a request body: words of the text (its own usage counts words) plus max_tokens."""
    if not isinstance(body, dict):
        return 0
    inputs = body.get("input")
    if inputs is not None:
        texts = [inputs] if isinstance(inputs, str) else inputs if isinstance(inputs, list) else []
        return sum(len(text.split()) for text in texts if isinstance(text, str))
    words = 0
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            words += len(content.split())
    max_tokens = body.get("max_tokens")
    return words + (max_tokens if isinstance(max_tokens, int) else 0)


class Quota:
    """A per-second window of ``rpm / 60`` requests and ``tpm / 60`` tokens; counts what it accepted and refused."""

    def __init__(self, rpm: float, tpm: Optional[float] = None, *, clock: Callable[[], float] = time.time) -> None:
        self.requests_per_window = rpm / 60
        self.tokens_per_window = None if tpm is None else tpm / 60
        self._clock = clock
        self._window = -1
        self._requests = 0
        self._tokens = 0
        self.accepted = 0
        self.refused = 0
        self.busiest_window = 0  # the most requests accepted in one window

    def admit(self, tokens: int) -> Optional[float]:
        """Count a request in; None if accepted, else the seconds until the next window."""
        now = self._clock()
        window = math.floor(now)
        if window != self._window:
            self._window, self._requests, self._tokens = window, 0, 0
        over_tokens = self.tokens_per_window is not None and self._tokens + tokens > self.tokens_per_window
        if self._requests + 1 > self.requests_per_window or (over_tokens and self._tokens > 0):
            self.refused += 1
            return window + 1 - now
        self._requests += 1
        self._tokens += tokens
        self.accepted += 1
        self.busiest_window = max(self.busiest_window, self._requests)
        return None

    def remaining_headers(self) -> dict[str, str]:
        headers = {"x-ratelimit-remaining-requests": str(max(0, math.floor(self.requests_per_window) - self._requests))}
        if self.tokens_per_window is not None:
            headers["x-ratelimit-remaining-tokens"] = str(max(0, math.floor(self.tokens_per_window - self._tokens)))
        return headers

    async def handle(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a POST past the quota with a 429 shaped like Azure OpenAI's; otherwise answer it as usual."""
        if request.method != "POST":
            return await handler(request)
        try:
            body = json.loads(await request.read())
        except ValueError:
            body = None
        wait = self.admit(estimated_tokens(body))
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            message = (
                "Requests to the ChatCompletions_Create Operation under Azure OpenAI API have exceeded call rate "
                f"limit of your current pricing tier. Please retry after {seconds} second."
            )
            headers = {"Retry-After": str(seconds), "retry-after-ms": str(math.ceil(wait * 1000))}
            headers.update(self.remaining_headers())
            payload = {"error": {"code": "429", "message": message}}
            return web.json_response(payload, status=429, reason="Too Many Requests", headers=headers)
        response = await handler(request)
        if not response.prepared:  # a stream's headers are sent already
            response.headers.update(self.remaining_headers())
        return response
