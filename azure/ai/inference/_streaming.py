"""Hand-written streaming: server-sent events to updates, for the sync and async iterators alike.

``_UpdateReader`` is the I/O-free core: fed the bytes of a response, it decodes events (``_sse``),
ends at ``[DONE]``, raises on error events and invalid JSON, and assembles the final completion as
it goes. The iterators only read bytes and close the response: when the stream ends or fails, when
the consumer breaks out of its loop (the loop's generator is closed), on ``close()`` and on leaving
``with``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator  # subscripted bases: cheaper to build than typing's
from typing import Any, Dict, List, Optional, TypeVar

from azure.core.exceptions import AzureError, DecodeError, HttpResponseError, IncompleteReadError, ODataV4Format
from azure.core.rest import AsyncHttpResponse, HttpResponse
from typing_extensions import Self

from ._model_base import _new, _set_data, loads
from .models._models import StreamingChatCompletionsUpdate
from .models._patch import ChatCompletions

_Update = StreamingChatCompletionsUpdate
_UPDATE_CLASS: Any = _Update._customized  # the models package, _patch.py included, is imported by now
_E = TypeVar("_E", bound=HttpResponseError)


class _Choice:
    """What the updates of one choice add up to."""

    __slots__ = ("finish_reason", "parts", "reasoning", "role", "tool_calls")

    def __init__(self) -> None:
        self.role: Optional[str] = None
        self.parts: List[str] = []
        self.reasoning: List[str] = []
        self.finish_reason: Optional[str] = None
        self.tool_calls: Dict[int, Dict[str, Any]] = {}

    def add_tool_calls(self, deltas: List[Dict[str, Any]]) -> None:
        """Merge tool call fragments by ``index``; argument fragments are joined in order."""
        for position, delta in enumerate(deltas):
            index = delta.get("index", position)
            if not isinstance(index, int):
                raise TypeError("a tool call index is not an integer")
            call = self.tool_calls.setdefault(
                index,
                {"id": None, "type": "function", "function": {"name": "", "arguments": ""}},
            )
            if delta.get("id"):
                call["id"] = delta["id"]
            if delta.get("type"):
                call["type"] = delta["type"]
            function = delta.get("function") or {}
            if function.get("name"):
                call["function"]["name"] += function["name"]
            if function.get("arguments"):
                call["function"]["arguments"] += function["arguments"]

    def as_json(self, index: int) -> Dict[str, Any]:
        message: Dict[str, Any] = {"role": self.role or "assistant", "content": "".join(self.parts) or None}
        if self.reasoning:
            message["reasoning_content"] = "".join(self.reasoning)
        if self.tool_calls:
            message["tool_calls"] = [self.tool_calls[i] for i in sorted(self.tool_calls)]
        return {"index": index, "finish_reason": self.finish_reason, "message": message}


class _UpdateReader:
    """Bytes of an event stream in, updates out; no I/O."""

    __slots__ = ("_choices", "_decoder", "_head", "_response", "_usage", "done")

    def __init__(self, response: Any) -> None:
        from ._sse import SSEDecoder  # loads with the first stream, not with the package

        self._decoder = SSEDecoder()
        self.done = False
        self._response = response
        self._head: Dict[str, Any] = {}
        self._usage: Optional[Dict[str, Any]] = None
        self._choices: Dict[int, _Choice] = {}

    def feed(self, chunk: bytes) -> List[_Update]:
        """The updates that this chunk completes."""
        if self.done:
            return []
        data = self._decoder.message_data(chunk)  # the usual chunk: one event
        if data is not None:
            update = self._update("message", data)
            return [] if update is None else [update]
        return self._updates(self._decoder.feed(chunk))

    def end(self) -> List[_Update]:
        """The updates left at end of input; a stream cut off before its end raises."""
        updates = self._updates(self._decoder.flush()) if not self.done else []
        if not self.done and not any(choice.finish_reason for choice in self._choices.values()):
            raise self._attach(
                IncompleteReadError(
                    "The stream ended before the service finished it (no [DONE] and no finish reason); "
                    "the completion is incomplete."
                )
            )
        self.done = True
        return updates

    def _updates(self, events: Any) -> List[_Update]:
        updates = []
        for event in events:
            update = self._update(event.event, event.data)
            if update is not None:
                updates.append(update)
            elif self.done:
                break
        return updates

    def _update(self, kind: str, data: str) -> Optional[_Update]:
        """The update of one event; None for ``[DONE]`` (which ends the stream) and for updates with nothing in them."""
        if data == "[DONE]":
            self.done = True
            return None
        try:
            payload = loads(data)
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
            if kind == "error":
                raise self._error({"message": data}) from exc
            raise self._attach(
                DecodeError(f"The stream has an event whose data is not valid JSON: {data[:200]!r}")
            ) from exc
        if type(payload) is not dict:
            raise self._attach(DecodeError(f"The stream has an event whose data is not a JSON object: {data[:200]!r}"))
        if kind == "error" or "error" in payload:
            raise self._error(payload)
        choices = payload.get("choices")
        if not choices and not payload.get("usage"):
            return None  # neither choices nor usage: nothing for the caller
        try:
            self._add(payload, choices)
        except (AttributeError, TypeError) as exc:  # a list or a string where an object was due, ...
            raise self._attach(
                DecodeError(f"The stream has an update of an unexpected shape ({exc}): {data[:200]!r}")
            ) from exc
        update = _new(_UPDATE_CLASS)  # Model._wrap() inlined: the class is not discriminated
        _set_data(update, payload)
        return update  # type: ignore[no-any-return]

    def _add(self, payload: Dict[str, Any], choices: Optional[List[Dict[str, Any]]]) -> None:
        """Fold one update into the final completion."""
        if not self._head:
            self._head = {k: payload[k] for k in ("id", "created", "model") if k in payload}
        usage = payload.get("usage")
        if usage:
            self._usage = usage
        for choice_json in choices or ():
            index = choice_json.get("index", 0)
            choice = self._choices.get(index)
            if choice is None:
                if not isinstance(index, int):
                    raise TypeError("a choice index is not an integer")
                choice = self._choices[index] = _Choice()
            delta = choice_json.get("delta")
            if delta:
                content = delta.get("content")
                if content:
                    if type(content) is not str:
                        raise TypeError("the content is not a string")
                    parts = choice.parts
                    parts.append(content)
                    if len(parts) > 256:  # keep memory proportional to the text, not to the number of updates
                        choice.parts = ["".join(parts)]
                if content is None or len(delta) > 1:  # most deltas carry content alone
                    if delta.get("role"):
                        choice.role = delta["role"]
                    if delta.get("reasoning_content"):
                        choice.reasoning.append(delta["reasoning_content"])
                    if delta.get("tool_calls"):
                        choice.add_tool_calls(delta["tool_calls"])
            finish_reason = choice_json.get("finish_reason")
            if finish_reason:
                choice.finish_reason = finish_reason

    def _error(self, payload: Dict[str, Any]) -> HttpResponseError:
        """The exception for an error event, with the service's code and message."""
        error = payload.get("error", payload)
        if not isinstance(error, dict):
            error = {"message": str(error)}
        code, message = error.get("code"), error.get("message") or json.dumps(error)
        exc = self._attach(HttpResponseError(f"The service sent an error in the stream: ({code}) {message}"))
        try:
            exc.error = ODataV4Format({"code": code, "message": message, **error})
        except Exception:  # azure-core's parser trips over odd "details" or "innererror"
            exc.error = ODataV4Format({"code": code, "message": message})
        return exc

    def _attach(self, exc: _E) -> _E:
        """Give an exception the response; the stream reads nothing else of it (it may be a replay)."""
        exc.response = self._response
        exc.status_code = getattr(self._response, "status_code", None)
        return exc

    def final(self) -> ChatCompletions:
        """The completion the updates add up to."""
        completion: Dict[str, Any] = dict(self._head)
        completion["choices"] = [self._choices[i].as_json(i) for i in sorted(self._choices)]
        if self._usage is not None:
            completion["usage"] = self._usage
        return ChatCompletions._wrap(completion)


class _Stream:
    """What both iterators share."""

    def __init__(self, response: Any) -> None:
        self._response = response
        self._reader = _UpdateReader(response)


class StreamingChatCompletions(_Stream, Iterator[StreamingChatCompletionsUpdate]):
    """The updates of a streamed chat completion, from an azure-core ``HttpResponse``.

    Iterate it, or use ``next()``. The response is closed when the stream ends, when a ``for`` loop
    over it is left early, on ``close()``, and on leaving ``with``.
    """

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response)
        self._updates = self._read()

    def _read(self) -> Iterator[StreamingChatCompletionsUpdate]:
        reader = self._reader
        try:
            chunks = _chunks(self._response)
            for chunk in chunks:
                yield from reader.feed(chunk)
                if reader.done:
                    _drain(chunks)
                    return
            yield from reader.end()
        finally:
            self.close()

    def __iter__(self) -> Iterator[StreamingChatCompletionsUpdate]:
        try:
            yield from self._updates
        finally:  # reached on a break too, when the loop drops this generator
            self.close()

    def __next__(self) -> StreamingChatCompletionsUpdate:
        return next(self._updates)

    def get_final_completion(self) -> ChatCompletions:
        """Read the rest of the stream and return the ``ChatCompletions`` that all its updates add up to.

        Content is concatenated per choice, tool calls are merged by index with their arguments joined,
        and id, model, created, finish reasons and usage are kept. Updates already iterated count too.
        """
        for _ in self._updates:
            pass
        return self._reader.final()

    def close(self) -> None:
        """Close the response; iteration ends."""
        self._updates = iter(())
        self._response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_details: Any) -> None:
        self.close()


class AsyncStreamingChatCompletions(_Stream, AsyncIterator[StreamingChatCompletionsUpdate]):
    """The updates of a streamed chat completion, from an azure-core ``AsyncHttpResponse``.

    Iterate it with ``async for``. The response is closed when the stream ends, when an ``async for``
    loop over it is left early (once the event loop finalizes the loop's generator), on ``aclose()``,
    and on leaving ``async with``.
    """

    def __init__(self, response: AsyncHttpResponse) -> None:
        super().__init__(response)
        self._updates = self._read()

    async def _read(self) -> AsyncIterator[StreamingChatCompletionsUpdate]:
        reader = self._reader
        try:
            chunks = self._response.iter_bytes()
            async for chunk in chunks:
                for update in reader.feed(chunk):
                    yield update
                if reader.done:
                    await _adrain(chunks)
                    return
            for update in reader.end():
                yield update
        finally:
            await self.aclose()

    async def __aiter__(self) -> AsyncIterator[StreamingChatCompletionsUpdate]:
        try:
            async for update in self._updates:
                yield update
        finally:
            await self.aclose()

    async def __anext__(self) -> StreamingChatCompletionsUpdate:
        return await self._updates.__anext__()

    async def get_final_completion(self) -> ChatCompletions:
        """Read the rest of the stream and return the ``ChatCompletions`` that all its updates add up to."""
        async for _ in self._updates:
            pass
        return self._reader.final()

    async def aclose(self) -> None:
        """Close the response; iteration ends."""
        self._updates = _empty()
        await self._response.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_details: Any) -> None:
        await self.aclose()


async def _empty() -> AsyncIterator[StreamingChatCompletionsUpdate]:
    return
    yield  # an async generator that yields nothing


# After [DONE], the rest of the body (the end of the chunked encoding, usually) is read, so that the
# connection goes back to the pool instead of being closed, up to this many bytes.
_DRAIN_LIMIT = 64 * 1024


def _drain(chunks: Iterator[bytes]) -> None:
    """Read what follows [DONE]; a failure only costs the connection."""
    left = _DRAIN_LIMIT
    try:
        for chunk in chunks:
            left -= len(chunk)
            if left < 0:
                return
    except (AzureError, OSError):
        return


async def _adrain(chunks: AsyncIterator[bytes]) -> None:
    """Read what follows [DONE]; a failure only costs the connection."""
    left = _DRAIN_LIMIT
    try:
        async for chunk in chunks:
            left -= len(chunk)
            if left < 0:
                return
    except (AzureError, OSError):
        return


def _chunks(response: HttpResponse) -> Iterator[bytes]:
    """The bytes of a sync response; a chunked body cut short raises ``IncompleteReadError``, as with aiohttp."""
    try:
        yield from response.iter_bytes()
    except HttpResponseError as exc:
        if type(exc) is not HttpResponseError:  # already precise: IncompleteReadError, ServiceResponseError, ...
            raise
        raise IncompleteReadError(
            f"The connection broke in the middle of the stream: {exc.message}", error=exc
        ) from exc
