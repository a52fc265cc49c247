"""Errors in the protocol's words: the kind table of the conformance README, and the reference
driver's own error classes, named as the chatwire SDKs name theirs."""

from __future__ import annotations

import email.utils
import json
import os
import re
import time
from typing import Any, Dict, List, Mapping, Optional

#: error-kinds.json, beside this kit in the conformance package: the status table every driver maps
#: HTTP errors by, whatever its language.
_ERROR_KINDS_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "error-kinds.json")
with open(_ERROR_KINDS_PATH, encoding="utf-8") as _file:
    _ERROR_KINDS = json.load(_file)

#: A server may ask for a longer wait, but the SDKs honour at most a minute.
MAX_RETRY_AFTER_MS = 60_000


def kind_for_status(status: int) -> str:
    kind = _ERROR_KINDS["by_status"].get(str(status))
    if kind is not None:
        return kind
    return _ERROR_KINDS["other_server_error"] if status >= 500 else _ERROR_KINDS["other_status"]


def class_names(error: BaseException) -> List[str]:
    """The error's class and every class above it, as Python's method resolution order has them."""
    return [cls.__name__ for cls in type(error).__mro__ if cls is not object]


class DriverError(Exception):
    """An error the reference driver reports; `kind` is its protocol kind (None: no kind)."""

    kind: Optional[str] = None

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        retry_after_ms: Optional[float] = None,
        stream_error_kind: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after_ms = retry_after_ms
        self.stream_error_kind = stream_error_kind


class APIError(DriverError):
    kind = "other_status"


class BadRequestError(APIError):
    kind = "bad_request"


class AuthenticationError(APIError):
    kind = "authentication"


class PermissionDeniedError(APIError):
    kind = "permission"


class NotFoundError(APIError):
    kind = "not_found"


class ConflictError(APIError):
    kind = "conflict"


class UnprocessableEntityError(APIError):
    kind = "unprocessable"


class RateLimitError(APIError):
    kind = "rate_limit"


class InternalServerError(APIError):
    kind = "server"


class APIConnectionError(APIError):
    kind = "connection"


class APITimeoutError(APIConnectionError):
    kind = "timeout"


class StreamError(APIError):
    kind = "stream_error"


class ValidationError(DriverError):
    """The answer has no shape the driver can hand out (no kind, as a schema check failure)."""

    kind = None


_CLASS_BY_KIND = {
    cls.kind: cls
    for cls in (
        BadRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
        InternalServerError,
    )
}


def error_for_status(
    status: int, message: str, retry_after_ms: Optional[float] = None
) -> APIError:
    cls = _CLASS_BY_KIND.get(kind_for_status(status), APIError)
    return cls(message, status=status, retry_after_ms=retry_after_ms)


def protocol_error(error: DriverError) -> Dict[str, Any]:
    """The protocol's Error object for one of the driver's own errors."""
    described: Dict[str, Any] = {
        "kind": error.kind,
        "message": error.message,
        "class": type(error).__name__,
        "classes": class_names(error),
    }
    if error.stream_error_kind is not None:
        described["stream_error_kind"] = error.stream_error_kind
    if error.status is not None:
        described["status"] = error.status
    if error.retry_after_ms is not None:
        described["retry_after_ms"] = error.retry_after_ms
    return described


def provider_words(body: Any) -> Optional[str]:
    """The backend's own words in an error body, in the shapes the dialects use: `{"error":
    {"message"}}` (the spec's ErrorBody), `{"error": "..."}` (Prediction Guard), and a top-level
    `message` or `detail` (OctoAI, FastAPI)."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    candidates = [
        error,
        error.get("message") if isinstance(error, dict) else None,
        body.get("message"),
        body.get("detail"),
    ]
    for value in candidates:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


_TITLE = re.compile(r"<title>([^<]*)</title>", re.IGNORECASE)
_H1 = re.compile(r"<h1>([^<]*)</h1>", re.IGNORECASE)


def words_of_body(text: str, content_type: str) -> Optional[str]:
    """The backend's words in an error answer: its JSON's message, an HTML page's title (or
    first heading), or the first line of plain text."""
    try:
        return provider_words(json.loads(text))
    except ValueError:
        pass
    if "html" in content_type.lower() or text.lstrip().startswith("<"):
        match = _TITLE.search(text) or _H1.search(text)
        words = match.group(1) if match else None
    else:
        words = next((line for line in text.splitlines() if line.strip()), None)
    if words is None:
        return None
    words = re.sub(r"\s+", " ", words).strip()
    return words or None


def retry_after_ms(headers: Mapping[str, str], now: Optional[float] = None) -> Optional[float]:
    """The wait `retry-after-ms` (milliseconds) or `retry-after` (seconds or an HTTP date) asks
    for, when it is readable and between 0 and a minute."""
    candidates: List[float] = []
    millis = headers.get("retry-after-ms")
    if millis is not None and millis.strip():
        candidates.append(_number(millis))
    after = headers.get("retry-after")
    if after is not None and after.strip():
        seconds = _number(after)
        if seconds == seconds:
            candidates.append(seconds * 1000)
        else:
            parsed = email.utils.parsedate_tz(after)
            if parsed is not None:
                current = time.time() if now is None else now
                candidates.append((email.utils.mktime_tz(parsed) - current) * 1000)
    for value in candidates:
        if value == value and 0 <= value <= MAX_RETRY_AFTER_MS:
            return int(value) if float(value).is_integer() else value
    return None


def _number(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        return float("nan")
    return value if value not in (float("inf"), float("-inf")) else float("nan")
