"""Property tests (hypothesis) of the update reader and the model base, with no I/O.

- Arbitrary bytes and arbitrary JSON events fed to ``_UpdateReader`` raise nothing but the documented
  exceptions (DecodeError, HttpResponseError, IncompleteReadError), and the final completion can always be built.
- Any chunking of a valid stream gives the same updates and the same final completion.
- Any JSON object wrapped in a response model round-trips, and reading its fields raises at most a
  TypeError, ValueError or OverflowError that says what is wrong: never KeyError, AttributeError or IndexError.

The decoder's own chunking property is in test_sse.py. Every test is bounded: at most 200 examples of
small inputs; deadline off, so that a slow CI machine does not fail a test.
"""

from __future__ import annotations

import json
from typing import Any

from azure.core.exceptions import DecodeError, HttpResponseError, IncompleteReadError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from azure.ai.inference._model_base import Model
from azure.ai.inference._streaming import _UpdateReader
from azure.ai.inference.models import ChatCompletions, EmbeddingsResult, ModelInfo, StreamingChatCompletionsUpdate

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DOCUMENTED = (DecodeError, HttpResponseError, IncompleteReadError)

# JSON whose keys are mostly the ones the reader and the models look at, so that wrong shapes get exercised.
KEYS = st.sampled_from([
    "id", "created", "model", "choices", "index", "delta", "message", "role", "content", "tool_calls",
    "function", "name", "arguments", "finish_reason", "usage", "total_tokens", "error", "code", "details",
    "data", "embedding", "x",
])  # fmt: skip
SCALARS = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=8)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=10
)
OBJECTS = st.dictionaries(KEYS, JSON, max_size=5)


def _maybe(**fields: Any) -> Any:
    return st.fixed_dictionaries({}, optional=fields)


# Update-shaped JSON with arbitrary values at every level: the wrong shapes a reader can meet.
TOOL_CALL_ISH = _maybe(index=JSON, id=JSON, function=_maybe(name=JSON, arguments=JSON) | JSON)
DELTA_ISH = _maybe(role=JSON, content=JSON, tool_calls=st.lists(TOOL_CALL_ISH | JSON, max_size=2) | JSON)
CHOICE_ISH = _maybe(index=JSON, delta=DELTA_ISH | JSON, finish_reason=JSON)
UPDATE_ISH = st.fixed_dictionaries(
    {"choices": st.lists(CHOICE_ISH | JSON, max_size=2) | JSON}, optional={"usage": JSON}
)


class Replay:
    """What the reader needs of a response."""

    status_code = 200


def split(data: bytes, positions: list[int]) -> list[bytes]:
    cuts = sorted({p % (len(data) + 1) for p in positions})
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]


def read(chunks: list[bytes]) -> tuple[list[dict[str, Any]], dict[str, Any] | None, BaseException | None]:
    """Feed the chunks, then end: the updates as JSON, the final completion's JSON, and the exception if any."""
    reader = _UpdateReader(Replay())
    updates: list[Any] = []
    try:
        for chunk in chunks:
            updates.extend(reader.feed(chunk))
        updates.extend(reader.end())
    except DOCUMENTED as exc:
        return [u.as_dict() for u in updates], reader.final().as_dict(), exc
    return [u.as_dict() for u in updates], reader.final().as_dict(), None


@BOUNDED
@given(st.binary(max_size=300), st.lists(st.integers(min_value=0), max_size=8))
def test_arbitrary_bytes_raise_only_documented_exceptions(data: bytes, positions: list[int]) -> None:
    read(split(data, positions))  # anything undocumented propagates and fails the test


@BOUNDED
@given(
    st.lists(st.one_of(UPDATE_ISH, OBJECTS, JSON), min_size=1, max_size=3), st.sampled_from(["message", "error", "x"])
)
def test_arbitrary_json_events_raise_only_documented_exceptions(payloads: list[Any], event: str) -> None:
    stream = "".join(f"event: {event}\ndata: {json.dumps(p)}\n\n" for p in payloads) + "data: [DONE]\n\n"
    updates, final, error = read([stream.encode()])
    assert final is not None
    if error is None:
        assert event != "error"
        for update in updates:  # what was yielded has the shape the reader folded
            assert all(isinstance(choice, dict) for choice in update.get("choices") or [])


# A valid stream: choices with content and tool call fragments, a finish reason each, maybe usage.
TEXT = st.text(max_size=6)
TOOL_DELTA = st.fixed_dictionaries(
    {"index": st.integers(0, 2), "function": st.fixed_dictionaries({"name": TEXT, "arguments": TEXT})}
)
DELTA = st.fixed_dictionaries(
    {}, optional={"role": st.just("assistant"), "content": TEXT, "tool_calls": st.lists(TOOL_DELTA, max_size=2)}
)
CHOICE_UPDATE = st.fixed_dictionaries({"index": st.integers(0, 2), "delta": DELTA})
USAGE = st.fixed_dictionaries({"prompt_tokens": st.integers(0, 9), "total_tokens": st.integers(0, 9)})


@st.composite
def valid_streams(draw: st.DrawFn) -> bytes:
    head = {"id": "c1", "created": 1700000000, "model": "m"}
    updates = [{**head, "choices": [draw(CHOICE_UPDATE)]} for _ in range(draw(st.integers(0, 6)))]
    for index in sorted({u["choices"][0]["index"] for u in updates} | {0}):
        updates.append({**head, "choices": [{"index": index, "delta": {}, "finish_reason": "stop"}]})
    if draw(st.booleans()):
        updates.append({**head, "choices": [], "usage": draw(USAGE)})
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = "".join(f"data: {json.dumps(u, ensure_ascii=draw(st.booleans()))}{ending}{ending}" for u in updates)
    return (text + ("data: [DONE]" + ending * 2 if draw(st.booleans()) else "")).encode()


@BOUNDED
@given(valid_streams(), st.lists(st.integers(min_value=0), max_size=12))
def test_any_chunking_of_a_valid_stream_reads_the_same(stream: bytes, positions: list[int]) -> None:
    whole = read([stream])
    assert whole[2] is None
    assert read(split(stream, positions)) == whole
    assert read([stream[i : i + 1] for i in range(len(stream))]) == whole


def walk(value: Any, depth: int = 0) -> None:
    """Read every field of a model, and of the models and lists it holds."""
    if isinstance(value, list):
        for item in value:
            walk(item, depth + 1)
    elif isinstance(value, Model) and depth < 8:
        for name in sorted(type(value)._fields):
            try:
                field = getattr(value, name)
            except (TypeError, ValueError, OverflowError) as exc:
                assert str(exc)  # says what is wrong
                continue
            walk(field, depth + 1)


@BOUNDED
@given(OBJECTS, st.sampled_from([ChatCompletions, StreamingChatCompletionsUpdate, EmbeddingsResult, ModelInfo]))
def test_models_over_arbitrary_json(data: dict[str, Any], cls: type[Model]) -> None:
    original = json.loads(json.dumps(data))
    model = cls._wrap(data)
    walk(model)
    assert model.as_dict() == original
    assert json.loads(json.dumps(model.as_dict())) == original
    assert cls(original) == model
    assert model.copy().as_dict() == model.as_dict()
    try:  # a read by key converts as the attribute does: the same error for JSON of the wrong shape
        assert dict(model.copy()) == dict(model)
    except TypeError as exc:
        assert "JSON" in str(exc)
    str(model)
