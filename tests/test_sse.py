"""The SSE decoder against the WHATWG "event stream interpretation" rules, under every chunking."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from azure.ai.inference._sse import ServerSentEvent, SSEDecoder

E = ServerSentEvent


def decode(*chunks: bytes) -> list[ServerSentEvent]:
    """Feed the chunks one by one, then flush."""
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events + decoder.flush()


def cuts(stream: bytes, positions: list[int]) -> list[bytes]:
    """The stream cut at the given positions."""
    bounds = [0, *sorted(p % (len(stream) + 1) for p in positions), len(stream)]
    return [stream[a:b] for a, b in zip(bounds, bounds[1:])]


def reference(stream: bytes, *, end: bool = True) -> list[ServerSentEvent]:
    """A literal, character by character reading of the spec, with this package's flush if at the end of input."""
    text = stream.decode("utf-8", "replace")
    text = text[1:] if text.startswith("\ufeff") else text
    lines, current, i = [], "", 0
    while i < len(text):
        if text[i] in "\r\n":
            lines.append(current)
            current = ""
            if text[i : i + 2] == "\r\n":
                i += 1
        else:
            current += text[i]
        i += 1
    if end:
        lines += [current, ""] if current else [""]
    events, data, kind, last_id, retry = [], "", "", None, None
    for line in lines:
        if line == "":
            if data:
                events.append(E(kind or "message", data[:-1] if data.endswith("\n") else data, last_id, retry))
            data, kind, retry = "", "", None
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            name, value = line[: line.index(":")], line[line.index(":") + 1 :]
            value = value[1:] if value.startswith(" ") else value
        else:
            name, value = line, ""
        if name == "event":
            kind = value
        elif name == "data":
            data += value + "\n"
        elif name == "id" and "\x00" not in value:
            last_id = value
        elif name == "retry" and value and all(c in "0123456789" for c in value):
            retry = int(value)
    return events


STREAM = (
    ": a comment\n"
    'data: {"a": 1}\n'
    "\n"
    "event: update\n"
    "id: 7\n"
    "retry: 1500\n"
    "data: first line\n"
    "data:second line\n"
    "\n"
    "data: 你好 🙂 é\n"
    "\n"
)
STREAM_EVENTS = [
    E("message", '{"a": 1}'),
    E("update", "first line\nsecond line", "7", 1500),
    E("message", "你好 🙂 é", "7"),
]
ENDINGS = {"LF": "\n", "CR": "\r", "CRLF": "\r\n"}


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_line_endings(ending: str) -> None:
    assert decode(STREAM.replace("\n", ending).encode()) == STREAM_EVENTS


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_split_at_every_position(ending: str) -> None:
    stream = STREAM.replace("\n", ending).encode()
    for i in range(len(stream) + 1):
        assert decode(stream[:i], stream[i:]) == STREAM_EVENTS, i
    assert decode(*(stream[i : i + 1] for i in range(len(stream)))) == STREAM_EVENTS
    assert decode(*(stream[i : i + 3] for i in range(0, len(stream), 3))) == STREAM_EVENTS


def test_mixed_line_endings() -> None:
    assert decode(b"data: a\rdata: b\r\n\ndata: c\n\r") == [E("message", "a\nb"), E("message", "c")]


def test_events_come_out_of_the_feed_that_completes_them() -> None:
    for ending in ENDINGS.values():
        stream = STREAM.replace("\n", ending).encode()
        for i in range(len(stream) + 1):
            decoder = SSEDecoder()
            assert decoder.feed(stream[:i]) == reference(stream[:i], end=False), (ending, i)
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a") == []
    assert decoder.feed(b"\r\r") == [E("message", "a")]


def test_message_data_takes_only_a_whole_event_with_nothing_pending() -> None:
    decoder = SSEDecoder()
    assert decoder.message_data(b'data: {"a": 1}\n\n') == '{"a": 1}'
    for chunk in (b"data: x\n", b"data: x\r\n\r\n", b"data: x\n\ndata: y\n\n", b"data:x\n\n", b"event: e\n\n"):
        assert decoder.message_data(chunk) is None, chunk
    for pending in (b"event: error\n", b"data: a\n", b"retry: 5\n", b"data: partial", b"data: a\r"):
        decoder = SSEDecoder()
        decoder.feed(pending)
        assert decoder.message_data(b"data: b\n\n") is None, pending  # feed() must see it, with what is pending
    decoder = SSEDecoder()
    decoder.feed(b"event: error\n")
    assert decoder.feed(b"data: b\n\n") == [E("error", "b")]


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    assert decode(b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n") == [E("message", "a\nb")]
    assert decode(b"data: a\r", b"", b"\n", b"\n") == [E("message", "a")]
    # A lone CR then a chunk starting with CR: two line ends, so the event is dispatched.
    assert decode(b"data: a\r", b"\rdata: b\n\n") == [E("message", "a"), E("message", "b")]


def test_multibyte_utf8_split_at_every_position() -> None:
    text = "中文 emoji 🙂👍🏽 and é"
    stream = f"data: {text}\n\n".encode()
    for i in range(len(stream) + 1):
        for j in range(i, len(stream) + 1):
            assert decode(stream[:i], stream[i:j], stream[j:]) == [E("message", text)], (i, j)


def test_invalid_utf8_is_replaced() -> None:
    assert decode(b"data: a\xffb\xe4\xb8\n\n") == [E("message", "a\ufffdb\ufffd")]
    assert decode(b"data: \xe4\xb8", b"\n\n") == [E("message", "\ufffd")]


def test_comments_are_ignored() -> None:
    assert decode(b":\n: keep-alive\n:data: x\ndata: y\n:\n\n") == [E("message", "y")]
    assert decode(b": only a comment\n\n") == []


def test_event_type_and_reset() -> None:
    stream = b"event: a\ndata: 1\n\ndata: 2\n\nevent: b\n\ndata: 3\n\nevent:\ndata: 4\n\nevent:c\ndata\n\n"
    assert decode(stream) == [E("a", "1"), E("message", "2"), E("message", "3"), E("message", "4"), E("c", "")]


def test_id_persists_and_rules() -> None:
    stream = b"id: 1\ndata: a\n\ndata: b\n\nid: 2\x003\ndata: c\n\nid\ndata: d\n\nid: 5\n\ndata: e\n\n"
    assert [e.id for e in decode(stream)] == ["1", "1", "1", "", "5"]
    decoder = SSEDecoder()
    assert decoder.last_event_id is None
    decoder.feed(b"id:  x\n\n")
    assert decoder.last_event_id == " x"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"0", 0),
        (b"1500", 1500),
        (b"007", 7),
        (b"", None),
        (b"-1", None),
        (b"1.5", None),
        (b" 5", None),
        (b"5 ", None),
        (b"1a", None),
        ("١٢".encode(), None),
        ("²".encode(), None),
    ],
)
def test_retry(value: bytes, expected: int | None) -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"retry: " + value + b"\ndata: x\n\ndata: y\n\n")
    assert [e.retry for e in events] == [expected, None]  # an event carries only its own retry field
    assert decoder.retry == expected  # the stream's reconnection time persists


def test_retry_without_data_is_kept_by_the_decoder() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"retry: 10\n\n") == []
    assert decoder.retry == 10


def test_space_after_colon() -> None:
    assert decode(b"data:x\n\n") == [E("message", "x")]
    assert decode(b"data:  x\n\n") == [E("message", " x")]
    assert decode(b"data: \n\n") == [E("message", "")]
    assert decode(b"data: a: b\n\n") == [E("message", "a: b")]


def test_multiline_and_empty_data() -> None:
    assert decode(b"data: a\ndata\ndata:\ndata: b\n\n") == [E("message", "a\n\n\nb")]
    assert decode(b"data\n\n") == [E("message", "")]
    assert decode(b"data:\ndata:\n\n") == [E("message", "\n")]


def test_field_names_are_exact() -> None:
    assert decode(b"Data: x\ndata : y\nfoo: z\n\n") == []
    assert decode(b"data: x\nunknown\nevent\n\n") == [E("message", "x")]


def test_dispatch_only_on_blank_line() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\ndata: b\n") == []
    assert decoder.feed(b"data: c\n") == []
    assert decoder.feed(b"\n") == [E("message", "a\nb\nc")]
    assert decoder.feed(b"\n\n\n") == []
    assert decoder.flush() == []


def test_flush_dispatches_an_unterminated_event() -> None:
    assert decode(b"data: a\n\ndata: b") == [E("message", "a"), E("message", "b")]
    assert decode(b"data: a\n\ndata: b\n") == [E("message", "a"), E("message", "b")]
    assert decode(b"data: a\n\ndata: b\r") == [E("message", "a"), E("message", "b")]
    assert decode(b"event: x\nid: 1\ndata: b") == [E("x", "b", "1")]
    assert decode(b"data: a\n\nevent: x") == [E("message", "a")]
    assert decode(b"") == []
    decoder = SSEDecoder()
    assert decoder.feed(b"data: [DONE]") == []
    assert decoder.flush() == [E("message", "[DONE]")]


def test_bom() -> None:
    bom = b"\xef\xbb\xbf"
    assert decode(bom + b"data: a\n\n") == [E("message", "a")]
    for i in range(1, 4):
        assert decode((bom + b"data: a\n\n")[:i], (bom + b"data: a\n\n")[i:]) == [E("message", "a")]
    assert decode(bom + b"data: a") == [E("message", "a")]
    assert decode(bom + b"\ndata: a\n\n") == [E("message", "a")]
    # Only one BOM, and only at the start of the stream: elsewhere it is part of a field name.
    assert decode(bom + bom + b"data: a\n\n") == []
    assert decode(b"data: a\n" + bom + b"data: b\n\n") == [E("message", "a")]
    assert decode(b"data: " + bom + b"a\n\n") == [E("message", "\ufeffa")]


def test_events_are_frozen_value_objects() -> None:
    (event,) = decode(b"data: x\n\n")
    assert event == E(data="x") and hash(event) == hash(E("message", "x", None, None))
    assert repr(event) == "ServerSentEvent(event='message', data='x', id=None, retry=None)"
    with pytest.raises(AttributeError):
        event.data = "y"  # type: ignore[misc]
    assert not hasattr(event, "__dict__")
    assert E() == E("message", "", None, None)
    assert copy.copy(event) == copy.deepcopy(event) == pickle.loads(pickle.dumps(event)) == event
    assert event._replace(id="1") == E("message", "x", "1")


# --- properties -----------------------------------------------------------------------------------

_text = st.characters(codec="utf-8", exclude_characters="\r\n")
_events = st.lists(
    st.tuples(
        st.text(_text, max_size=8),  # event type
        st.text(st.characters(codec="utf-8", exclude_characters="\r"), max_size=30),  # data
        st.none() | st.text(st.characters(codec="utf-8", exclude_characters="\r\n\x00"), max_size=5),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(_events, st.data())
def test_serialized_events_round_trip(events: list[tuple[str, str, str | None]], data: st.DataObject) -> None:
    lines: list[str] = []
    if data.draw(st.booleans()):
        lines.append(": hello")
    expected: list[ServerSentEvent] = []
    last_id = None
    for kind, text, event_id in events:
        if kind or data.draw(st.booleans()):
            lines.append(f"event: {kind}")
        if event_id is not None:
            lines.append(f"id: {event_id}")
            last_id = event_id
        for value in text.split("\n"):
            bare = not value.startswith(" ") and data.draw(st.booleans())
            lines.append(f"data:{value}" if bare else f"data: {value}")
        lines.append("")
        expected.append(E(kind or "message", text, last_id))
    if data.draw(st.booleans()) and lines:
        lines.pop()  # the server closed without the final blank line
    stream = "\ufeff" if data.draw(st.booleans()) else ""
    previous = ""
    for line in lines:
        # A CR then an LF would be one CRLF, so after a CR an empty line cannot end with a bare LF.
        choices = ["\r", "\r\n"] if previous == "\r" and not line else ["\n", "\r", "\r\n"]
        previous = data.draw(st.sampled_from(choices))
        stream += line + previous
    raw = stream.encode()
    chunks = cuts(raw, data.draw(st.lists(st.integers(0, len(raw)), max_size=8)))
    assert decode(*chunks) == expected


_sse_bytes = st.lists(
    st.sampled_from(
        [
            b"data",
            b"event",
            b"id",
            b"retry",
            b":",
            b" ",
            b"\r",
            b"\n",
            b"\r\n",
            b"12",
            b"x",
            b"\x00",
            b"\xef\xbb\xbf",
            b"\xe4\xb8",
            b"\xad",
            b"\xff",
            "🙂".encode(),
        ]
    ),
    max_size=40,
).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), _sse_bytes), st.lists(st.integers(min_value=0), max_size=10))
def test_arbitrary_bytes_match_the_reference(stream: bytes, positions: list[int]) -> None:
    decoder, events, fed = SSEDecoder(), [], b""
    for chunk in cuts(stream, positions):
        events += decoder.feed(chunk)
        fed += chunk
        assert events == reference(fed, end=False)  # each event comes out of the feed that completes it
    assert events + decoder.flush() == reference(stream)
