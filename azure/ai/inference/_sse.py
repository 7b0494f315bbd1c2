"""The one Server-Sent Events decoder: bytes in, events out, no I/O.

Implements "event stream interpretation" of the WHATWG HTML Living Standard,
https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
with one deliberate difference, in :meth:`SSEDecoder.flush`: at end of input a pending event that
has data is dispatched instead of discarded, because some servers close the connection without the
final blank line, and dropping the last event (often the one with the finish reason or the usage)
would silently truncate the response.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

__all__ = ["SSEDecoder", "ServerSentEvent"]


class ServerSentEvent(NamedTuple):
    """One dispatched event, a frozen value object (a named tuple: cheaper to define at import than a dataclass)."""

    event: str = "message"
    """The event type: the value of the event's last ``event`` field, or ``"message"``."""
    data: str = ""
    """The values of the event's ``data`` fields, joined with ``"\\n"``."""
    id: Optional[str] = None
    """The last event ID of the stream when the event was dispatched (it persists); None if never set."""
    retry: Optional[int] = None
    """The reconnection time in milliseconds, if the event itself carried a valid ``retry`` field."""


class SSEDecoder:
    """Incremental event stream decoder: :meth:`feed` it chunks of bytes, then call :meth:`flush` once.

    ``last_event_id`` and ``retry`` (the stream's reconnection time in milliseconds) persist across events.
    """

    __slots__ = ("_buf", "_cr", "_data", "_event", "_event_retry", "_first", "last_event_id", "retry")

    def __init__(self) -> None:
        self._buf = bytearray()  # bytes after the last line end: an incomplete line
        self._cr = False  # the last chunk ended with CR, so an LF opening the next one ends no line
        self._first = True  # no line seen yet: a leading BOM is still to be stripped
        self._data: list[str] = []
        self._event = "message"
        self._event_retry: int | None = None
        self.last_event_id: str | None = None
        self.retry: int | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode the next chunk of the stream; return the events it completes."""
        if self._cr:
            if not chunk:
                return []
            self._cr = False
            if chunk[0] == 10:  # the LF of a CRLF split across chunks
                chunk = chunk[1:]
        message = self.message_data(chunk)
        if message is not None:
            return [ServerSentEvent("message", message, self.last_event_id)]
        if 10 not in chunk and 13 not in chunk:  # no line end yet (a bytearray: a long line costs linear time)
            self._buf += chunk
            return []
        if self._buf:
            self._buf += chunk
            chunk = bytes(self._buf)
            self._buf.clear()
        # bytes.splitlines breaks at exactly the SSE line ends: CRLF, LF and CR (not at str's extra ones).
        lines = chunk.splitlines()
        if chunk[-1] == 13:  # a CR ends a line now; an LF opening the next chunk then ends no other
            self._cr = True
        elif chunk[-1] != 10:
            self._buf += lines.pop()
        if self._first:  # the first line starts the stream
            self._first = False
            if lines[0][:3] == b"\xef\xbb\xbf":
                lines[0] = lines[0][3:]
        events: list[ServerSentEvent] = []
        data = self._data
        for line in lines:
            if not line:
                if data:
                    events.append(ServerSentEvent(self._event, "\n".join(data), self.last_event_id, self._event_retry))
                    data.clear()
                self._event = "message"
                self._event_retry = None
            elif line[:6] == b"data: ":  # the common field first
                data.append(line[6:].decode("utf-8", "replace"))
            elif line[0] != 58:  # a line starting with a colon is a comment
                self._field(line.decode("utf-8", "replace"))
        return events

    def message_data(self, chunk: bytes) -> str | None:
        """The data of ``chunk`` if it is one whole ``data: ...`` message event and nothing is pending, else None.

        The shortcut for the usual chunk (a server flushes each event as it is made): no line loop and no event
        object. :meth:`feed` handles every other chunk.
        """
        if (
            chunk[:6] == b"data: "
            and chunk[-2:] == b"\n\n"
            and not self._cr
            and not self._buf
            and not self._data
            and self._event == "message"
            and self._event_retry is None
            and chunk.count(b"\n") == 2
            and 13 not in chunk
        ):
            self._first = False
            return chunk[6:-2].decode("utf-8", "replace")
        return None

    def flush(self) -> list[ServerSentEvent]:
        """End of input: process a final line that lacks its line end, then dispatch a pending event."""
        self._cr = False
        return self.feed(b"\n\n" if self._buf else b"\n")

    def _field(self, line: str) -> None:
        """Process a field line other than ``data: ...``."""
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value or "message"
        elif name == "id" and "\0" not in value:
            self.last_event_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self.retry = self._event_retry = int(value)
