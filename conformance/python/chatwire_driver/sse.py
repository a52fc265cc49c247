"""Server-sent events from a byte stream, by the WHATWG "event stream interpretation" rules.

The rules matter here because a driver's verdict depends on them: an event is dispatched only at
a blank line, so a stream cut off inside its last event yields nothing for it (the cut shows up as
a missing done sentinel, never as a half event read as whole).

https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
"""

from __future__ import annotations

import codecs
from typing import Iterable, Iterator, List, NamedTuple, Optional

#: Far above any chat-completion chunk, far below what would exhaust memory.
DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024

_BOM = "\ufeff"


class ServerSentEvent(NamedTuple):
    #: The event type: "message" when the block had no (or an empty) ``event`` field.
    event: str
    #: The block's ``data`` lines joined with "\n".
    data: str
    #: The last event ID at dispatch ("" until an ``id`` field sets one); it carries over.
    id: str
    #: The block's last valid ``retry`` value in milliseconds, else None.
    retry: Optional[int]


class EventTooLargeError(ValueError):
    """A line or an event's data grew past the size limit."""


class SSEDecoder:
    """Feed bytes cut anywhere; get back the events whose blank line has arrived."""

    def __init__(self, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> None:
        self._max_event_size = max_event_size
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # text of an unfinished line
        self._at_start = True  # a BOM is skipped only as the stream's first character
        self._data: List[str] = []
        self._data_size = 0
        self._has_data = False
        self._event_type = ""
        self._last_id = ""
        self._retry: Optional[int] = None

    def feed(self, chunk: bytes) -> List[ServerSentEvent]:
        return self._take(self._text.decode(chunk, final=False))

    def end(self) -> List[ServerSentEvent]:
        """End of stream. An unfinished line or event is discarded, as the spec says."""
        events = self._take(self._text.decode(b"", final=True))
        # A lone CR held back in case an LF followed is a whole line end after all.
        if self._pending == "\r":
            events.extend(self._take("\n"))
        self._pending = ""
        self._reset_event()
        return events

    def _take(self, text: str) -> List[ServerSentEvent]:
        if self._at_start and text:
            self._at_start = False
            if text.startswith(_BOM):
                text = text[1:]
        buffer = self._pending + text
        events: List[ServerSentEvent] = []
        start = 0
        length = len(buffer)
        while start < length:
            cr = buffer.find("\r", start)
            lf = buffer.find("\n", start)
            if cr == -1 and lf == -1:
                break
            if cr != -1 and (lf == -1 or cr < lf):
                if cr + 1 == length:
                    break  # a CR at the end: wait, the next byte may be its LF
                line_end, next_start = cr, cr + 2 if buffer[cr + 1] == "\n" else cr + 1
            else:
                line_end, next_start = lf, lf + 1
            event = self._line(buffer[start:line_end])
            if event is not None:
                events.append(event)
            start = next_start
        self._pending = buffer[start:]
        if len(self._pending) > self._max_event_size:
            raise EventTooLargeError(
                "a line of the event stream is longer than %d characters" % self._max_event_size
            )
        return events

    def _line(self, line: str) -> Optional[ServerSentEvent]:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment, e.g. a keep-alive
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
            self._has_data = True
            self._data_size += len(value) + 1
            if self._data_size > self._max_event_size:
                raise EventTooLargeError(
                    "an event's data is larger than %d characters" % self._max_event_size
                )
        elif field == "event":
            self._event_type = value
        elif field == "id":
            if "\0" not in value:
                self._last_id = value
        elif field == "retry":
            if value and value.isascii() and value.isdigit():
                self._retry = int(value)
        return None

    def _dispatch(self) -> Optional[ServerSentEvent]:
        if not self._has_data:
            self._reset_event()
            return None
        event = ServerSentEvent(
            event=self._event_type or "message",
            data="\n".join(self._data),
            id=self._last_id,
            retry=self._retry,
        )
        self._reset_event()
        return event

    def _reset_event(self) -> None:
        self._data = []
        self._data_size = 0
        self._has_data = False
        self._event_type = ""
        self._retry = None


def iter_events(
    chunks: Iterable[bytes], max_event_size: int = DEFAULT_MAX_EVENT_SIZE
) -> Iterator[ServerSentEvent]:
    """The events of a whole byte stream, each as soon as its blank line has arrived."""
    decoder = SSEDecoder(max_event_size)
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.end()
