"""OpenTelemetry tracing of chat completions, with the spans, attributes and events 1.0.0b9 emitted.

``AIInferenceInstrumentor().instrument()`` replaces ``complete()`` of the sync and async ``ChatCompletionsClient``
with a traced version; ``uninstrument()`` puts the originals back. Nothing else is patched (embeddings and
``get_model_info()`` keep only azure-core's own spans), and the call path is untouched while not instrumented.
Spans go to the global OpenTelemetry tracer provider (``pip install azure-ai-inference[opentelemetry]``).

Dashboards are built on what 1.0.0b9 emitted, so each call gets exactly its span: kind CLIENT, named
``chat <model>`` (``chat`` when the call names no model), with ``gen_ai.operation.name``, ``gen_ai.system``,
``gen_ai.request.model`` (``chat`` when the call names none), ``gen_ai.request.max_tokens``, ``.temperature`` and
``.top_p`` as the call's arguments give them, ``server.address`` and, for an endpoint with an explicit port other
than 443, ``server.port``. The response sets ``gen_ai.response.id``, ``.model``, ``.finish_reasons`` and
``gen_ai.usage.input_tokens`` / ``output_tokens``; a streamed response, those of its last update. A failure sets
``error.type``, an error status with the exception's message, and (for the call itself) an ``exception`` event.

Events, each ``{"gen_ai.system": ..., "gen_ai.event.content": <JSON>}``, at timestamps at least 1 µs apart so that
backends that truncate them keep their order: with content recording on, one ``gen_ai.<role>.message`` per message
of the call, then one ``gen_ai.choice`` per choice ``{"message": {"content", "tool_calls"?}, "finish_reason",
"index"}``. With it off (the default), only the ``gen_ai.choice`` events, as ``{"finish_reason", "index"}``, plus
``"message": {"tool_calls": [...]}`` with each call's ``function`` stripped of its name and arguments. Content
recording: ``instrument(enable_content_recording=True)``, or ``AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED=true``.
"""

import contextlib
import functools
import inspect
import json
import logging
import os
import time
from collections.abc import Mapping
from typing import Any, Callable, Dict, Generator, Iterator, List, Optional, Tuple
from urllib.parse import urlparse

from ._model_base import to_json
from ._streaming import AsyncStreamingChatCompletions, StreamingChatCompletions
from ._version import VERSION

__all__ = ["AIInferenceInstrumentor"]

_LOGGER = logging.getLogger(__name__)
CONTENT_RECORDING_ENV = "AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED"
GEN_AI_SYSTEM = "az.ai.inference"
# The call's keyword arguments that 1.0.0b9 recorded, and their attributes.
_REQUEST_ATTRIBUTES = {
    "max_tokens": "gen_ai.request.max_tokens",
    "temperature": "gen_ai.request.temperature",
    "top_p": "gen_ai.request.top_p",
}


class _State:
    """What ``instrument()`` set up; one per process, as the classes it patches are."""

    tracer: Any = None
    recording = False
    originals: Dict[Tuple[type, str], Any] = {}


class AIInferenceInstrumentor:
    """Turns OpenTelemetry tracing of this library's chat completions on and off, for the whole process."""

    def instrument(self, enable_content_recording: Optional[bool] = None) -> None:
        """Trace every call of ``complete()``, sync and async, from now on.

        Calling it again keeps the instrumentation and only updates the content recording setting.

        :param enable_content_recording: Whether spans hold message content; ``None`` reads the environment
            variable ``AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED`` (``true`` turns it on).
        :raises ModuleNotFoundError: ``opentelemetry-api`` is not installed.
        """
        try:
            from opentelemetry import trace
        except ImportError as exc:
            raise ModuleNotFoundError(
                "Tracing needs OpenTelemetry: pip install 'azure-ai-inference[opentelemetry]'", name=exc.name
            ) from exc
        if enable_content_recording is None:
            enable_content_recording = os.environ.get(CONTENT_RECORDING_ENV, "").strip().lower() == "true"
        _State.recording = bool(enable_content_recording)
        if _State.originals:
            return
        _State.tracer = trace.get_tracer(__name__.rpartition(".")[0], VERSION)
        for cls in _targets():
            _State.originals[(cls, "complete")] = cls.__dict__.get("complete")
            cls.complete = _traced(cls.complete)

    def uninstrument(self) -> None:
        """Stop tracing: restore the replaced methods. Streams already returned still end their spans."""
        for (cls, name), original in _State.originals.items():
            if original is None:
                delattr(cls, name)  # it was inherited
            else:
                setattr(cls, name, original)
        _State.originals = {}
        _State.recording = False

    def is_instrumented(self) -> bool:
        """Whether ``instrument()`` is in effect.

        :return: ``True`` between ``instrument()`` and ``uninstrument()``.
        """
        return bool(_State.originals)

    def is_content_recording_enabled(self) -> bool:
        """Whether spans record message content.

        :return: The setting of the last ``instrument()``; ``False`` while not instrumented.
        """
        return _State.recording


def _targets() -> List[Any]:
    """The classes whose ``complete()`` ``instrument()`` wraps."""
    from . import _patch as sync_patch
    from .aio import _patch as async_patch

    return [sync_patch.ChatCompletionsClient, async_patch.ChatCompletionsClient]


def _traced(original: Callable[..., Any]) -> Callable[..., Any]:
    """The traced version of a sync or async ``complete()``, with its signature (getfullargspec reads it too)."""
    traced: Callable[..., Any]
    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def traced(client: Any, *args: Any, **kwargs: Any) -> Any:
            call = _Call(client, kwargs)
            with call.running():
                result = await original(client, *args, **kwargs)
            return call.result(result)

    else:

        @functools.wraps(original)
        def traced(client: Any, *args: Any, **kwargs: Any) -> Any:
            call = _Call(client, kwargs)
            with call.running():
                result = original(client, *args, **kwargs)
            return call.result(result)

    traced.__signature__ = inspect.signature(original)  # type: ignore[attr-defined]
    return traced


class _Call:
    """The span of one traced call: started with the call, ended on its return unless a stream carries it on."""

    def __init__(self, client: Any, kwargs: Dict[str, Any]) -> None:
        from opentelemetry.trace import SpanKind

        model = kwargs.get("model")
        self.recording = _State.recording
        self.span = _State.tracer.start_span("chat" if model is None else f"chat {model}", kind=SpanKind.CLIENT)
        self.last_event_ns = 0
        self.ended = False
        if self.span.is_recording():  # an unsampled span needs no attributes
            _guarded(self.record_request, client, kwargs)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """The span as the current one while the call runs; an exception ends it as failed."""
        from opentelemetry import trace

        try:
            with trace.use_span(self.span, end_on_exit=False):  # adds an ``exception`` event, as 1.0.0b9's did
                yield
        except BaseException as exc:
            self.end(exc)
            raise

    def record_request(self, client: Any, kwargs: Dict[str, Any]) -> None:
        model = kwargs.get("model")
        _set(self.span, "gen_ai.operation.name", "chat")
        _set(self.span, "gen_ai.system", GEN_AI_SYSTEM)
        _set(self.span, "gen_ai.request.model", "chat" if model is None else model)
        for key, attribute in _REQUEST_ATTRIBUTES.items():
            _set(self.span, attribute, kwargs.get(key))
        url = urlparse(str(getattr(getattr(client, "_config", None), "endpoint", "")))
        _set(self.span, "server.address", url.hostname)
        if url.port is not None and url.port != 443:  # 1.0.0b9's rule: only an explicit port, and not 443
            self.span.set_attribute("server.port", url.port)
        if self.recording:
            for message in kwargs.get("messages") or ():
                message = to_json(message)
                if isinstance(message, dict) and message.get("role"):
                    self.event(f"gen_ai.{message['role']}.message", message)

    def event(self, name: str, content: Dict[str, Any]) -> None:
        """Add an event, at least 1 µs after the previous one (clocks and backends are too coarse for order)."""
        timestamp = max(time.time_ns(), self.last_event_ns + 1000 if self.last_event_ns else 0)
        self.last_event_ns = timestamp
        body = json.dumps(content, default=str)  # content is JSON already; str() only guards against the odd value
        self.span.add_event(name, {"gen_ai.system": GEN_AI_SYSTEM, "gen_ai.event.content": body}, timestamp)

    def result(self, value: Any) -> Any:
        """Record the result; a stream is returned traced, to end the span when it ends."""
        if isinstance(value, StreamingChatCompletions):
            return _TracedStream(value, self)
        if isinstance(value, AsyncStreamingChatCompletions):
            return _TracedAsyncStream(value, self)
        if self.span.is_recording():
            _guarded(self.record_response, value)
        self.end(None)
        return value

    def record_response(self, result: Any) -> None:
        self.record_response_attributes(result)
        for choice in result.get("choices") or ():
            message = choice.get("message") or {}
            calls = [to_json(call) for call in message.get("tool_calls") or () if isinstance(call, Mapping)]
            reason, index = _finish_reason(choice.get("finish_reason")), choice.get("index")
            if self.recording:
                content: Dict[str, Any] = {"message": {"content": message.get("content")}}
                if calls:
                    content["message"]["tool_calls"] = calls
                content.update(finish_reason=reason, index=index)
            else:
                content = {"finish_reason": reason, "index": index}
                if calls:
                    content["message"] = {"tool_calls": [_without_function_details(call) for call in calls]}
            self.event("gen_ai.choice", content)

    def record_response_attributes(self, result: Any) -> None:
        """The attributes of a completion, or of a stream's last update."""
        span = self.span
        _set(span, "gen_ai.response.id", result.get("id"))
        _set(span, "gen_ai.response.model", result.get("model"))
        usage = result.get("usage")
        if isinstance(usage, Mapping):
            _set(span, "gen_ai.usage.input_tokens", usage.get("prompt_tokens"))
            _set(span, "gen_ai.usage.output_tokens", usage.get("completion_tokens"))
        choices = result.get("choices")
        if choices:
            reasons = [_finish_reason(choice.get("finish_reason")) for choice in choices if isinstance(choice, Mapping)]
            _set(span, "gen_ai.response.finish_reasons", reasons)

    def fail(self, error: BaseException) -> None:
        from opentelemetry.trace import Status, StatusCode

        cls = type(error)
        self.span.set_status(Status(StatusCode.ERROR, str(error)))
        module = cls.__module__ if cls.__module__ != "builtins" else ""
        self.span.set_attribute("error.type", f"{module}.{cls.__name__}" if module else cls.__name__)

    def end(self, error: Optional[BaseException]) -> None:
        """End the span, once, as failed if ``error`` is given."""
        if self.ended:
            return
        self.ended = True
        if error is not None:
            self.fail(error)
        self.span.end()

    def end_stream(self, choice: "_StreamedChoice", error: Optional[BaseException], complete: bool) -> None:
        """End a stream's span: ``complete`` when its updates ran out, else cut short by a break, close or error."""
        if self.ended:
            return
        if self.span.is_recording():
            _guarded(self.record_stream, choice, complete)
        self.end(error)

    def record_stream(self, choice: "_StreamedChoice", complete: bool) -> None:
        if complete and choice.last is not None:
            self.record_response_attributes(choice.last)
        self.event("gen_ai.choice", choice.event(complete, self.recording))


def _set(span: Any, attribute: str, value: Any) -> None:
    """Set an attribute whose value OpenTelemetry accepts; leave out anything else."""
    scalars = (str, bool, int, float)
    if isinstance(value, scalars) or (isinstance(value, list) and value and all(isinstance(v, scalars) for v in value)):
        span.set_attribute(attribute, value)


def _guarded(record: Callable[..., None], *args: Any) -> None:
    """Run a recording step; tracing never fails the call it traces."""
    try:
        record(*args)
    except Exception:
        _LOGGER.debug("Could not record the span of an AI inference call", exc_info=True)


def _finish_reason(value: Any) -> Any:
    """A finish reason as 1.0.0b9 recorded it: its string, ``"none"`` when missing."""
    return "none" if value is None else getattr(value, "value", value)


def _without_function_details(call: Dict[str, Any]) -> Dict[str, Any]:
    """A tool call without its function's name and arguments (content), and without an emptied ``function``."""
    stripped = {}
    for key, value in call.items():
        if key == "function" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in ("name", "arguments")}
            if not value:
                continue
        stripped[key] = value
    return stripped


class _StreamedChoice:
    """The ``gen_ai.choice`` event of a stream, folded from its updates as 1.0.0b9 did (every choice into one)."""

    def __init__(self) -> None:
        self.content: Dict[str, Any] = {}  # keys in the order they first appear, as in 1.0.0b9's JSON
        self.last: Any = None

    def add(self, update: Any) -> None:
        self.last = update
        content = self.content
        for choice in update.get("choices") or ():
            if choice.get("finish_reason"):
                content["finish_reason"] = choice["finish_reason"]
            if choice.get("index"):
                content["index"] = choice["index"]
            delta = choice.get("delta") or {}
            if delta.get("content"):
                message = content.setdefault("message", {})
                message["content"] = message.get("content", "") + delta["content"]
            for call in delta.get("tool_calls") or ():
                calls = content.setdefault("message", {}).setdefault("tool_calls", [])
                if call.get("id"):  # a new call; the fragments after it continue it
                    calls.append({"id": call["id"], "type": "", "function": {"name": "", "arguments": ""}})
                function = call.get("function")
                if calls and function:
                    calls[-1]["type"] = "function"
                    if function.get("name"):
                        calls[-1]["function"]["name"] = function["name"]
                    if function.get("arguments"):
                        calls[-1]["function"]["arguments"] += function["arguments"]

    def event(self, complete: bool, recording: bool) -> Dict[str, Any]:
        """The event's content; a stream cut short has finish reason ``error`` (and no index, as in 1.0.0b9)."""
        content = to_json(self.content)
        if complete:
            content["index"] = 0  # one choice is expected in a stream
        elif content.get("finish_reason") is None:
            content["finish_reason"] = "error"
        message = content.get("message")
        if message is not None and not recording:
            message.pop("content", None)
            if "tool_calls" in message:
                message["tool_calls"] = [_without_function_details(call) for call in message["tool_calls"]]
            if not message:
                del content["message"]
        return content  # type: ignore[no-any-return]


class _TracedStream(StreamingChatCompletions):
    """A stream whose span ends with it: at its end, on an error, on ``close()``, or when a loop over it breaks."""

    def __init__(self, stream: StreamingChatCompletions, call: _Call) -> None:
        super().__init__(stream._response)  # the given stream has read nothing yet; this one reads instead
        self._call = call
        self._choice = _StreamedChoice()
        self._updates = self._traced = self._trace(self._updates)

    def _trace(self, updates: Iterator[Any]) -> Generator[Any, None, None]:
        complete = False
        try:
            for update in updates:
                self._choice.add(update)
                yield update
            complete = True
        except Exception as exc:
            self._call.end_stream(self._choice, exc, False)
            raise
        finally:
            self._call.end_stream(self._choice, None, complete)

    def close(self) -> None:
        """Close the response; iteration ends."""
        super().close()
        # While running, the iteration itself is closing us, and ends the span on its way out.
        if inspect.getgeneratorstate(self._traced) != inspect.GEN_RUNNING:
            self._traced.close()
            self._call.end_stream(self._choice, None, False)


class _TracedAsyncStream(AsyncStreamingChatCompletions):
    """An async stream whose span ends with it, as ``_TracedStream``."""

    def __init__(self, stream: AsyncStreamingChatCompletions, call: _Call) -> None:
        super().__init__(stream._response)
        self._call = call
        self._choice = _StreamedChoice()
        self._updates = self._traced = self._trace(self._updates)

    async def _trace(self, updates: Any) -> Any:
        complete = False
        try:
            async for update in updates:
                self._choice.add(update)
                yield update
            complete = True
        except Exception as exc:
            self._call.end_stream(self._choice, exc, False)
            raise
        finally:
            await updates.aclose()
            self._call.end_stream(self._choice, None, complete)

    async def aclose(self) -> None:
        """Close the response; iteration ends."""
        running = self._traced.ag_running
        await super().aclose()
        if not running:
            await self._traced.aclose()
            self._call.end_stream(self._choice, None, False)
