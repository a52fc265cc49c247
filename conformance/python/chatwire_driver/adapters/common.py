"""What every SDK adapter does alike: fit a case's request to the SDK method's parameters, turn
what the SDK returns into plain JSON, and map what it raises to the protocol's error kinds."""

from __future__ import annotations

import inspect
import json
import platform
from typing import Any, Callable, Dict, Iterable, List, NamedTuple, Optional, Sequence

from ..case import Case
from ..errors import class_names, kind_for_status
from ..plain_json import to_plain

# Class names, anywhere in an exception's MRO, that say how a call failed. They are the names the
# HTTP libraries under the SDKs use (requests, httpx, urllib3, http.client) and the Stainless and
# chatwire names, so the SDKs' own exceptions and the raw ones they let through both map.
TIMEOUT_CLASSES = frozenset(
    {
        "APITimeoutError",
        "Timeout",
        "TimeoutException",
        "ReadTimeout",
        "ConnectTimeout",
        "WriteTimeout",
        "PoolTimeout",
        "TimeoutError",
        "timeout",
    }
)
CONNECTION_CLASSES = frozenset(
    {
        "APIConnectionError",
        "ConnectionError",
        "ChunkedEncodingError",
        "NetworkError",
        "TransportError",
        "RemoteProtocolError",
        "ProtocolError",
        "IncompleteRead",
        "RemoteDisconnected",
        "ConnectError",
        "ReadError",
    }
)


class Arguments(NamedTuple):
    #: Parameters the method takes, from the request.
    kwargs: Dict[str, Any]
    #: Fields the method does not take that the request has, for the SDK's pass-through (extra body).
    extra: Dict[str, Any]
    #: Fields the method does not take that the case allows to leave out.
    left_out: List[str]
    #: Fields the method does not take, may not be left out, and have no pass-through.
    missing: List[str]


def fit_arguments(
    method: Callable[..., Any],
    request: Dict[str, Any],
    optional_fields: Sequence[str],
    *,
    implied: Iterable[str] = (),
    pass_through: bool = False,
) -> Arguments:
    """The request's fields as `method`'s keyword arguments. A field it lacks goes through the
    SDK's pass-through when it has one; else it is left out where the case allows; else it is
    missing (the call cannot be made as the fixture records it). `implied` fields are expressed
    by the choice of method (`stream`, for an SDK with a separate streaming method)."""
    accepts = _keyword_parameters(method)
    kwargs: Dict[str, Any] = {}
    extra: Dict[str, Any] = {}
    left_out: List[str] = []
    missing: List[str] = []
    implied_set = set(implied)
    for field, value in request.items():
        if accepts is None or field in accepts:
            kwargs[field] = value
        elif field in implied_set:
            continue
        elif pass_through:
            extra[field] = value
        elif field in optional_fields:
            left_out.append(field)
        else:
            missing.append(field)
    return Arguments(kwargs, extra, left_out, missing)


def accepts_parameter(function: Callable[..., Any], name: str) -> bool:
    accepts = _keyword_parameters(function)
    return accepts is None or name in accepts


def _keyword_parameters(function: Callable[..., Any]) -> Optional[set]:
    """The names `function` takes as keywords; None when it takes any (`**kwargs`)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None
    names = set()
    for parameter in parameters:
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            return None
        if parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
            names.add(parameter.name)
    return names


def status_of(error: BaseException) -> Optional[int]:
    """The HTTP status an exception carries, on itself or on its `response`."""
    for holder in (error, getattr(error, "response", None)):
        if holder is None:
            continue
        for attribute in ("status_code", "status", "http_status"):
            value = getattr(holder, attribute, None)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
    return None


def classify(error: BaseException, phase: str) -> Dict[str, Any]:
    """The kind (and stream error kind) an SDK's exception maps to, by the README's kind table.
    `phase` is where it came from: "client" (making the client), "call", or "stream" (reading one)."""
    names = set(class_names(error))
    if names & TIMEOUT_CLASSES:
        return {"kind": "timeout"}
    if names & CONNECTION_CLASSES:
        return {"kind": "connection"}
    status = status_of(error)
    if status is not None and not 200 <= status <= 299:
        return {"kind": kind_for_status(status), "status": status}
    if phase == "stream" and "JSONDecodeError" in names:
        return {"kind": "stream_error", "stream_error_kind": "invalid-json"}
    return {"kind": None}


def describe_error(
    error: BaseException,
    phase: str,
    *,
    classified: Optional[Dict[str, Any]] = None,
    retry_after_ms: Optional[float] = None,
) -> Dict[str, Any]:
    described = dict(classified if classified is not None else classify(error, phase))
    status = status_of(error)
    if "status" not in described and status is not None and not 200 <= status <= 299:
        described["status"] = status
    message = str(error) or type(error).__name__
    if phase == "client":
        message = "making the SDK's client failed: %s" % message
    described["message"] = message
    # `class` only: `classes` would have the error judged by the fixtures' TypeScript class names
    # (driver-protocol.schema.json), which a Python SDK's classes match only by chance.
    described["class"] = type(error).__name__
    if retry_after_ms is not None:
        described["retry_after_ms"] = retry_after_ms
    return described


class SDKAdapter:
    """One provider SDK behind the protocol. Subclasses make the client and the call."""

    dialect = ""
    sdk_name = ""

    def __init__(self, sdk_version: str) -> None:
        self.sdk_version = sdk_version

    def hello(self) -> Dict[str, Any]:
        sdk = "%s %s" % (self.sdk_name, self.sdk_version)
        return {
            "type": "hello",
            "driver": "%s (Python)" % sdk,
            "language": "Python %s" % platform.python_version(),
            "sdk": sdk,
            "dialects": [self.dialect],
        }

    def run(self, case: Case) -> Dict[str, Any]:
        if case.dialect != self.dialect:
            return {"skipped": "the %s SDK speaks only the %s dialect" % (self.sdk_name, self.dialect)}
        try:
            client = self.make_client(case)
        except Skip as skip:
            return {"skipped": str(skip)}
        except Exception as error:
            return {"error": self.describe(error, "client", None)}
        chunks: List[Dict[str, Any]] = []
        phase = "call"
        try:
            if not case.stream:
                return {"completion": self.plain_object(self.complete(client, case), "the completion")}
            stream = self.stream(client, case)
            phase = "stream"
            try:
                for item in stream:
                    chunks.append(self.plain_object(self.chunk_of(item), "chunk %d" % (len(chunks) + 1)))
            finally:
                close = getattr(stream, "close", None)
                if callable(close):
                    close()
            return {"chunks": chunks}
        except Skip as skip:
            return {"skipped": str(skip)}
        except Exception as error:
            outcome: Dict[str, Any] = {"error": self.describe(error, phase, client)}
            if case.stream:
                outcome["chunks"] = chunks
            return outcome

    def describe(self, error: BaseException, phase: str, client: Any) -> Dict[str, Any]:
        return describe_error(error, phase)

    @staticmethod
    def plain_object(value: Any, what: str) -> Dict[str, Any]:
        plain = to_plain(value)
        if not isinstance(plain, dict):
            raise SDKShapeError("%s is %s, not an object: %s" % (what, type(plain).__name__, json.dumps(plain)[:200]))
        return plain

    def chunk_of(self, item: Any) -> Any:
        return item

    def make_client(self, case: Case) -> Any:
        raise NotImplementedError

    def complete(self, client: Any, case: Case) -> Any:
        raise NotImplementedError

    def stream(self, client: Any, case: Case) -> Iterable[Any]:
        raise NotImplementedError


class Skip(Exception):
    """The SDK cannot make this call at all; the message says why."""


class SDKShapeError(TypeError):
    """The SDK handed out something that is not a JSON object where one was due."""


def skip_if_missing(arguments: Arguments, method_name: str) -> None:
    if arguments.missing:
        raise Skip(
            "%s takes no %s, and the case does not allow leaving %s out"
            % (
                method_name,
                ", ".join("`%s`" % field for field in arguments.missing),
                "it" if len(arguments.missing) == 1 else "them",
            )
        )
