"""The reference driver: each dialect spoken with nothing but the standard library, by the rules
the chatwire SDKs follow, so that a fixture set replayed through it grades the fixtures, the
fixture server and the runner apart from any provider's SDK."""

from __future__ import annotations

import http.client
import json
import platform
import socket
import time
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional

from . import __version__
from .accumulate import NotAssemblable, accumulate
from .case import DIALECTS, Case
from .dialects import Dialect, load_dialects
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    DriverError,
    StreamError,
    ValidationError,
    error_for_status,
    protocol_error,
    provider_words,
    retry_after_ms,
    words_of_body,
)
from .sse import EventTooLargeError, SSEDecoder

#: An error page is read this far: enough for its words, never unbounded memory.
MAX_ERROR_BODY_BYTES = 1024 * 1024
#: Larger than a chat completion can be.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: A whole stream larger than this is refused rather than held.
MAX_STREAM_BYTES = 256 * 1024 * 1024
#: As the chatwire SDKs: a stream that sends no byte this long is given up.
IDLE_TIMEOUT_S = 30.0
_READ_SIZE = 64 * 1024
_NO_BODY_STATUSES = (204, 205)

_TRANSPORT_ERRORS = (http.client.HTTPException, OSError)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        return self._end - time.monotonic()


class ReferenceDriver:
    name = "python-reference"

    def __init__(self, dialects: Optional[Dict[str, Dialect]] = None) -> None:
        self._dialects = dialects if dialects is not None else load_dialects()
        # No proxy: the fixture server is local, and a proxy from the environment would answer instead.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def hello(self) -> Dict[str, Any]:
        return {
            "type": "hello",
            "driver": self.name,
            "language": "Python %s" % platform.python_version(),
            "sdk": "chatwire_driver %s (urllib)" % __version__,
            "dialects": [dialect for dialect in DIALECTS if dialect in self._dialects],
        }

    def run(self, case: Case) -> Dict[str, Any]:
        dialect = self._dialects.get(case.dialect)
        if dialect is None:
            return {"skipped": "dialects.json has no dialect %r" % case.dialect}
        url = case.base_url.rstrip("/") + dialect.chat_path
        deadline = _Deadline(case.timeout_s)
        chunks: List[Dict[str, Any]] = []
        try:
            response = self._send(url, case, dialect, deadline)
            try:
                if case.stream:
                    return self._read_stream(response, url, dialect, deadline, chunks)
                return {"completion": self._read_completion(response, url, deadline)}
            finally:
                response.close()
        except DriverError as error:
            result: Dict[str, Any] = {"error": protocol_error(error)}
            if case.stream:
                result["chunks"] = chunks
            return result

    def _send(self, url: str, case: Case, dialect: Dialect, deadline: _Deadline) -> Any:
        credential = "%s %s" % (dialect.auth_scheme, case.api_key) if dialect.auth_scheme else case.api_key
        request = urllib.request.Request(
            url,
            data=json.dumps(case.request).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "text/event-stream" if case.stream else "application/json",
                dialect.auth_header: credential,
                "User-Agent": "chatwire-python-reference/%s" % __version__,
            },
        )
        describe = "POST %s" % url
        try:
            return self._opener.open(request, timeout=max(deadline.left(), 0.001))
        except urllib.error.HTTPError as answer:
            raise self._status_error(answer, describe, deadline) from None
        except urllib.error.URLError as error:
            raise _transport_error(error.reason, describe, "before an answer came") from None
        except _TRANSPORT_ERRORS as error:
            raise _transport_error(error, describe, "before an answer came") from None

    def _status_error(self, answer: urllib.error.HTTPError, describe: str, deadline: _Deadline) -> DriverError:
        try:
            raw, _ = _read_body(answer, deadline, MAX_ERROR_BODY_BYTES)
        except DriverError as error:
            return error  # dropped mid-body: no whole answer, a connection error
        finally:
            answer.close()
        text = raw.decode("utf-8", errors="replace")
        content_type = answer.headers.get("content-type", "")
        said = words_of_body(text, content_type) or _describe_body(text, content_type)
        message = "%s failed with %d: %s" % (describe, answer.code, said)
        return error_for_status(answer.code, message, retry_after_ms(answer.headers))

    def _read_completion(self, response: Any, url: str, deadline: _Deadline) -> Dict[str, Any]:
        describe = "POST %s" % url
        raw, truncated = _read_body(response, deadline, MAX_RESPONSE_BYTES)
        if truncated:
            raise APIError(
                "%s: the response is larger than %d bytes, more than a chat completion can be."
                % (describe, MAX_RESPONSE_BYTES),
                status=response.status,
            )
        text = raw.decode("utf-8", errors="replace")
        try:
            body = json.loads(text)
        except ValueError:
            raise APIError(
                '%s answered %d but the body is not JSON: "%s"' % (describe, response.status, text[:200]),
                status=response.status,
            ) from None
        if not isinstance(body, dict):
            raise ValidationError(
                "%s answered %d with JSON that is not an object: %s"
                % (describe, response.status, text[:200])
            )
        return body

    def _read_stream(
        self,
        response: Any,
        url: str,
        dialect: Dialect,
        deadline: _Deadline,
        chunks: List[Dict[str, Any]],
    ) -> Dict[str, Any]:
        describe = "POST %s" % url
        content_type = response.headers.get("content-type", "")
        if response.status in _NO_BODY_STATUSES:
            raise StreamError(
                "%s answered %d with an empty body." % (describe, response.status),
                status=response.status,
                stream_error_kind="empty-body",
            )
        if "text/event-stream" not in content_type.lower():
            raw, _ = _read_body(response, deadline, MAX_ERROR_BODY_BYTES)
            text = raw.decode("utf-8", errors="replace")
            said = words_of_body(text, content_type)
            raise StreamError(
                "%s answered with an error instead of a stream: %s" % (describe, said)
                if said
                else '%s did not stream: expected text/event-stream, got "%s" ("%s").'
                % (describe, content_type or "no content type", text[:200]),
                status=response.status,
                stream_error_kind="not-event-stream",
            )
        sentinel = dialect.done_sentinel
        decoder = SSEDecoder()
        received = 0
        while True:
            piece = _read_stream_piece(response, deadline, describe, len(chunks))
            received += len(piece)
            if received > MAX_STREAM_BYTES:
                raise StreamError(
                    "%s: the stream is larger than %d bytes." % (describe, MAX_STREAM_BYTES),
                    stream_error_kind="too-large",
                )
            try:
                events = decoder.feed(piece) if piece else decoder.end()
            except EventTooLargeError as error:
                raise StreamError("%s: %s." % (describe, error), stream_error_kind="too-large") from None
            for event in events:
                if sentinel is not None and event.data == sentinel:
                    return _finished(chunks, describe)
                _take_event(event, chunks, describe)
            if not piece:
                break
        if sentinel is not None:
            raise StreamError(
                "%s: the stream ended after %s without %s, so the answer may be cut short."
                % (describe, _count(len(chunks)), sentinel),
                stream_error_kind="truncated",
            )
        return _finished(chunks, describe)


def _take_event(event: Any, chunks: List[Dict[str, Any]], describe: str) -> None:
    """One event before the sentinel: a chunk, or the error it carries."""
    if event.event == "error":
        raise StreamError(
            "%s: the server sent an error event after %s: %s"
            % (describe, _count(len(chunks)), _words_of_data(event.data)),
            stream_error_kind="error-event",
        )
    if event.data == "":
        return  # an empty `data:` carries nothing
    try:
        value = json.loads(event.data)
    except ValueError as error:
        raise StreamError(
            '%s: chunk %d is not valid JSON (%s): "%s"' % (describe, len(chunks) + 1, error, event.data[:200]),
            stream_error_kind="invalid-json",
        ) from None
    if isinstance(value, dict) and "error" in value:
        raise StreamError(
            "%s: the server sent an error in the stream after %s: %s"
            % (describe, _count(len(chunks)), _words_of_data(event.data)),
            stream_error_kind="error-event",
        )
    if not isinstance(value, dict):
        raise ValidationError(
            "%s: chunk %d is JSON but not an object: %s" % (describe, len(chunks) + 1, event.data[:200])
        )
    chunks.append(value)


def _finished(chunks: List[Dict[str, Any]], describe: str) -> Dict[str, Any]:
    try:
        completion = accumulate(chunks)
    except NotAssemblable as error:
        raise StreamError(
            "%s: %s, so the completion cannot be assembled." % (describe, error),
            stream_error_kind="unassemblable",
        ) from None
    return {"chunks": chunks, "completion": completion}


def _read_body(response: Any, deadline: _Deadline, limit: int) -> "tuple[bytes, bool]":
    """At most `limit` bytes of a body, and whether there was more; bounded by the deadline."""
    parts: List[bytes] = []
    size = 0
    describe = "POST %s" % response.geturl()
    while True:
        left = deadline.left()
        if left <= 0:
            raise APITimeoutError(
                "%s: the answer took longer than %.1f s to arrive." % (describe, deadline.seconds)
            )
        _set_read_timeout(response, left)
        try:
            piece = response.read1(_READ_SIZE)
        except _TRANSPORT_ERRORS as error:
            raise _transport_error(error, describe, "while the answer was read") from None
        if not piece:
            return b"".join(parts), False
        parts.append(piece)
        size += len(piece)
        if size > limit:
            return b"".join(parts)[:limit], True


def _read_stream_piece(response: Any, deadline: _Deadline, describe: str, chunks: int) -> bytes:
    left = deadline.left()
    if left <= 0:
        raise _stream_timeout(describe, deadline, chunks)
    idle = min(left, IDLE_TIMEOUT_S)
    _set_read_timeout(response, idle)
    try:
        return response.read1(_READ_SIZE)
    except (socket.timeout, TimeoutError):
        if deadline.left() <= 0:
            raise _stream_timeout(describe, deadline, chunks) from None
        raise StreamError(
            "%s: no data for %.1f s after %s, so the stream was closed." % (describe, idle, _count(chunks)),
            stream_error_kind="idle-timeout",
        ) from None
    except _TRANSPORT_ERRORS as error:
        raise APIConnectionError(
            "%s: the connection broke after %s (%s), so the answer is incomplete."
            % (describe, _count(chunks), _reason(error))
        ) from None


def _stream_timeout(describe: str, deadline: _Deadline, chunks: int) -> StreamError:
    return StreamError(
        "%s: the stream ran past the case's time limit (%.1f s) after %s, so it was closed."
        % (describe, deadline.seconds, _count(chunks)),
        stream_error_kind="stream-timeout",
    )


def _set_read_timeout(response: Any, seconds: float) -> None:
    """Bounds the next read of `response`'s socket: urllib sets one timeout, for every read."""
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        try:
            sock.settimeout(max(seconds, 0.001))
        except OSError:
            pass  # the socket is already closed: the read says so


def _transport_error(reason: Any, describe: str, when: str) -> APIConnectionError:
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return APITimeoutError("%s: no answer in time (%s)." % (describe, when))
    return APIConnectionError("%s: the connection failed %s (%s)." % (describe, when, _reason(reason)))


def _reason(error: Any) -> str:
    text = str(error)
    name = type(error).__name__
    return "%s: %s" % (name, text) if text else name


def _words_of_data(data: str) -> str:
    try:
        said = provider_words(json.loads(data))
    except ValueError:
        return data
    return said if said is not None else data[:200]


def _describe_body(text: str, content_type: str) -> str:
    if not text.strip():
        return "(empty body)"
    kind = "HTML" if "html" in content_type.lower() or text.lstrip().startswith("<") else "text"
    return 'the server answered with %s: "%s"' % (kind, " ".join(text.split())[:200])


def _count(n: int) -> str:
    return "%d %s" % (n, "chunk" if n == 1 else "chunks")
