"""OpenTelemetry tracing of chat completions and embeddings, after the OpenTelemetry GenAI semantic conventions.

``AIInferenceInstrumentor().instrument()`` replaces ``complete()`` of the sync and async ``ChatCompletionsClient``
and ``embed()`` of the sync and async ``EmbeddingsClient`` and ``ImageEmbeddingsClient`` with traced versions;
``uninstrument()`` puts the originals back. Nothing else is patched, and the call path is untouched while
not instrumented. Spans go to the global OpenTelemetry tracer provider
(``pip install azure-ai-inference[opentelemetry]``).

Each call gets a span of kind CLIENT named ``chat <model>`` or ``embeddings <model>``. Its request attributes
(``gen_ai.request.*``, ``server.address``, ``server.port``) are read from the body actually sent, through
azure-core's per-call ``raw_request_hook``, so constructor defaults and ``body=`` calls are traced alike. The
response sets ``gen_ai.response.id``, ``.model``, ``.finish_reasons`` and ``gen_ai.usage.input_tokens`` /
``output_tokens``; a failure sets ``error.type`` and an error status. A streaming span ends when the stream
ends, fails or is closed, with the usage and finish reasons of the updates read.

Request messages become ``gen_ai.<role>.message`` events and choices ``gen_ai.choice`` events, their JSON in
``gen_ai.event.content``. Message text, tool call names and arguments, and error descriptions (which can quote
content) are recorded only with content recording on: ``instrument(enable_content_recording=True)``, or the
environment variable ``AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED=true``. Without it, events keep roles,
indexes, finish reasons and tool call ids only.
"""

import functools
import inspect
import json
import logging
import os
from collections.abc import Mapping
from typing import Any, Callable, Dict, Generator, Iterator, List, Optional, Tuple
from urllib.parse import urlparse

from ._core import configured_request_hook
from ._streaming import AsyncStreamingChatCompletions, StreamingChatCompletions, _UpdateReader
from ._version import VERSION

__all__ = ["AIInferenceInstrumentor"]

_LOGGER = logging.getLogger(__name__)
CONTENT_RECORDING_ENV = "AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED"
GEN_AI_SYSTEM = "az.ai.inference"

# Request body keys and the span attributes they set.
_REQUEST_ATTRIBUTES = {
    "chat": {
        "max_tokens": "gen_ai.request.max_tokens",
        "temperature": "gen_ai.request.temperature",
        "top_p": "gen_ai.request.top_p",
        "frequency_penalty": "gen_ai.request.frequency_penalty",
        "presence_penalty": "gen_ai.request.presence_penalty",
        "seed": "gen_ai.request.seed",
        "stop": "gen_ai.request.stop_sequences",
    },
    "embeddings": {
        "dimensions": "gen_ai.embeddings.dimension.count",
        "encoding_format": "gen_ai.request.encoding_formats",
    },
}
_OUTPUT_TYPES = {"text": "text", "json_object": "json", "json_schema": "json"}


class _State:
    """What ``instrument()`` set up; one per process, as the classes it patches are."""

    tracer: Any = None
    recording = False
    originals: Dict[Tuple[type, str], Any] = {}


class AIInferenceInstrumentor:
    """Turns OpenTelemetry tracing of this library's clients on and off, for the whole process."""

    def instrument(self, enable_content_recording: Optional[bool] = None) -> None:
        """Trace every call of ``complete()`` and ``embed()``, sync and async, from now on.

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
        for cls, name, operation in _targets():
            _State.originals[(cls, name)] = cls.__dict__.get(name)
            setattr(cls, name, _traced(getattr(cls, name), operation))

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


def _targets() -> List[Tuple[type, str, str]]:
    """The classes and methods that ``instrument()`` wraps."""
    from . import _patch as sync_patch
    from .aio import _patch as async_patch

    return [
        target
        for module in (sync_patch, async_patch)
        for target in (
            (module.ChatCompletionsClient, "complete", "chat"),
            (module.EmbeddingsClient, "embed", "embeddings"),
            (module.ImageEmbeddingsClient, "embed", "embeddings"),
        )
    ]


def _traced(original: Callable[..., Any], operation: str) -> Callable[..., Any]:
    """The traced version of a sync or async client method, with its signature (getfullargspec reads it too)."""
    traced: Callable[..., Any]
    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def traced(client: Any, *args: Any, **kwargs: Any) -> Any:
            with _Call(client, operation, kwargs) as call:
                return call.result(await original(client, *args, **kwargs))

    else:

        @functools.wraps(original)
        def traced(client: Any, *args: Any, **kwargs: Any) -> Any:
            with _Call(client, operation, kwargs) as call:
                return call.result(original(client, *args, **kwargs))

    traced.__signature__ = inspect.signature(original)  # type: ignore[attr-defined]
    return traced


class _Call:
    """The span of one traced call: opened on entry, ended on exit unless a stream carries it on."""

    def __init__(self, client: Any, operation: str, kwargs: Dict[str, Any]) -> None:
        from opentelemetry.trace import SpanKind

        self.operation = operation
        self.recording = _State.recording
        self.span = _State.tracer.start_span(
            operation,
            kind=SpanKind.CLIENT,
            attributes={"gen_ai.operation.name": operation, "gen_ai.system": GEN_AI_SYSTEM},
        )
        self.ended = False
        self.sent = False
        # The caller's per-call hook, else the client's configured one, still runs after ours.
        policy = getattr(getattr(client, "_config", None), "custom_hook_policy", None)
        self.next_hook = kwargs.get("raw_request_hook") or configured_request_hook(policy)
        kwargs["raw_request_hook"] = self.on_request

    def __enter__(self) -> "_Call":
        from opentelemetry import context, trace

        self.token = context.attach(trace.set_span_in_context(self.span))
        return self

    def __exit__(self, exc_type: Any, exc: Optional[BaseException], traceback: Any) -> None:
        from opentelemetry import context

        context.detach(self.token)
        if exc is not None:
            self.end(exc)

    def on_request(self, pipeline_request: Any) -> None:
        """azure-core's ``raw_request_hook``: record the first request sent (not its retries)."""
        if not self.sent and self.span.is_recording():  # an unsampled span needs no attributes
            self.sent = True
            _guarded(self.record_request, pipeline_request.http_request)
        if self.next_hook is not None:
            self.next_hook(pipeline_request)

    def record_request(self, request: Any) -> None:
        span = self.span
        url = urlparse(request.url)
        if url.hostname:
            span.set_attribute("server.address", url.hostname)
            span.set_attribute("server.port", url.port or (443 if url.scheme == "https" else 80))
        content = request.content
        if not isinstance(content, (str, bytes, bytearray)):
            return  # a file object, which cannot be read twice
        body = json.loads(content)
        if not isinstance(body, dict):
            return
        model = body.get("model")
        if isinstance(model, str) and model:
            span.set_attribute("gen_ai.request.model", model)
            span.update_name(f"{self.operation} {model}")
        for key, attribute in _REQUEST_ATTRIBUTES[self.operation].items():
            value = body.get(key)
            _set(span, attribute, [value] if key == "encoding_format" else value)
        response_format = body.get("response_format")
        if isinstance(response_format, dict):
            _set(span, "gen_ai.output.type", _OUTPUT_TYPES.get(response_format.get("type", "")))
        for message in body.get("messages") or ():
            if isinstance(message, dict):
                self.event(f"gen_ai.{message.get('role')}.message", _message_event(message, self.recording))

    def event(self, name: str, content: Dict[str, Any]) -> None:
        self.span.add_event(
            name, {"gen_ai.system": GEN_AI_SYSTEM, "gen_ai.event.content": json.dumps(content, default=str)}
        )

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
        span = self.span
        _set(span, "gen_ai.response.id", result.get("id"))
        _set(span, "gen_ai.response.model", result.get("model"))
        usage = result.get("usage") or {}
        _set(span, "gen_ai.usage.input_tokens", usage.get("prompt_tokens"))
        _set(span, "gen_ai.usage.output_tokens", usage.get("completion_tokens"))
        if self.operation != "chat":
            return
        choices = [choice for choice in result.get("choices") or () if isinstance(choice, Mapping)]
        reasons = [str(choice["finish_reason"]) for choice in choices if choice.get("finish_reason")]
        if reasons:
            span.set_attribute("gen_ai.response.finish_reasons", reasons)
        for choice in choices:
            self.event("gen_ai.choice", _choice_event(choice, self.recording))

    def end(self, error: Optional[BaseException], reader: Optional[_UpdateReader] = None) -> None:
        """End the span, once; with the completion a stream's updates add up to, and with the error if any."""
        if self.ended:
            return
        self.ended = True
        if reader is not None and self.span.is_recording():
            _guarded(lambda: self.record_response(reader.final()))
        if error is not None:
            from opentelemetry.trace import Status, StatusCode

            cls = type(error)
            self.span.set_attribute("error.type", f"{cls.__module__}.{cls.__qualname__}".lstrip("."))
            self.span.set_status(Status(StatusCode.ERROR, str(error) if self.recording else None))
        self.span.end()


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


def _tool_calls(calls: Any, recording: bool) -> List[Any]:
    """Tool calls as recorded: whole with content recording, else only their ids and types."""
    if recording:
        return list(calls)
    return [{"id": call.get("id"), "type": call.get("type", "function")} for call in calls if isinstance(call, Mapping)]


def _message_event(message: Dict[str, Any], recording: bool) -> Dict[str, Any]:
    """The ``gen_ai.event.content`` of a request message."""
    if recording:
        return message
    event: Dict[str, Any] = {"role": message.get("role")}
    if message.get("tool_call_id"):
        event["tool_call_id"] = message["tool_call_id"]
    if message.get("tool_calls"):
        event["tool_calls"] = _tool_calls(message["tool_calls"], False)
    return event


def _choice_event(choice: Mapping[str, Any], recording: bool) -> Dict[str, Any]:
    """The ``gen_ai.event.content`` of a choice."""
    source = choice.get("message") or {}
    message: Dict[str, Any] = {"role": source["role"]} if source.get("role") else {}
    if recording and source.get("content") is not None:
        message["content"] = source["content"]
    if source.get("tool_calls"):
        message["tool_calls"] = _tool_calls(source["tool_calls"], recording)
    return {"index": choice.get("index", 0), "finish_reason": choice.get("finish_reason"), "message": message}


class _TracedStream(StreamingChatCompletions):
    """A stream whose span ends with it: at its end, on an error, on ``close()``, or when a loop over it breaks."""

    def __init__(self, stream: StreamingChatCompletions, call: _Call) -> None:
        super().__init__(stream._response)  # the given stream has read nothing yet; this one reads instead
        self._call = call
        self._updates = self._traced = self._trace(self._updates)

    def _trace(self, updates: Iterator[Any]) -> Generator[Any, None, None]:
        try:
            yield from updates
        except Exception as exc:
            self._call.end(exc, self._reader)
            raise
        finally:
            self._call.end(None, self._reader)

    def close(self) -> None:
        """Close the response; iteration ends."""
        super().close()
        # While running, the iteration itself is closing us, and ends the span on its way out.
        if inspect.getgeneratorstate(self._traced) != inspect.GEN_RUNNING:
            self._traced.close()
            self._call.end(None, self._reader)


class _TracedAsyncStream(AsyncStreamingChatCompletions):
    """An async stream whose span ends with it, as ``_TracedStream``."""

    def __init__(self, stream: AsyncStreamingChatCompletions, call: _Call) -> None:
        super().__init__(stream._response)
        self._call = call
        self._updates = self._traced = self._trace(self._updates)

    async def _trace(self, updates: Any) -> Any:
        try:
            async for update in updates:
                yield update
        except Exception as exc:
            self._call.end(exc, self._reader)
            raise
        finally:
            await updates.aclose()
            self._call.end(None, self._reader)

    async def aclose(self) -> None:
        """Close the response; iteration ends."""
        running = self._traced.ag_running
        await super().aclose()
        if not running:
            await self._traced.aclose()
            self._call.end(None, self._reader)
