"""The runner's `case` message (driver-protocol.schema.json), checked field by field."""

from __future__ import annotations

import re
from typing import Any, Dict, List, NamedTuple, Optional

DIALECTS = ("octoai", "predictionguard", "gradient")
_ID = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9-]*$")


class Case(NamedTuple):
    id: str
    dialect: str
    base_url: str
    api_key: str
    stream: bool
    request: Dict[str, Any]
    optional_fields: List[str]
    timeout_ms: int

    @property
    def timeout_s(self) -> float:
        """The SDK's own time limit: below the runner's, so the SDK's timeout is what is seen."""
        return max(0.05, self.timeout_ms * 0.8 / 1000)


class InvalidCase(ValueError):
    """A message that is not a case the driver can run; `case_id` is its id when it had one."""

    def __init__(self, message: str, case_id: Optional[str] = None) -> None:
        super().__init__(message)
        self.case_id = case_id


def parse_case(message: Any) -> Case:
    if not isinstance(message, dict):
        raise InvalidCase("the message is %s, not a JSON object" % type(message).__name__)
    raw_id = message.get("id")
    case_id = raw_id if isinstance(raw_id, str) and raw_id else None

    def fail(problem: str) -> InvalidCase:
        return InvalidCase(problem + " (see driver-protocol.schema.json, Case)", case_id)

    if message.get("type") != "case":
        raise fail("`type` is %r; the runner sends only `case` messages" % (message.get("type"),))
    if case_id is None or not _ID.match(case_id):
        raise fail("`id` must be `<dialect>/<fixture name>`, got %r" % (raw_id,))
    if message.get("dialect") not in DIALECTS:
        raise fail("`dialect` must be one of %s, got %r" % (", ".join(DIALECTS), message.get("dialect")))
    for field in ("base_url", "api_key"):
        if not isinstance(message.get(field), str):
            raise fail("`%s` must be a string" % field)
    if not message["base_url"].startswith(("http://", "https://")):
        raise fail("`base_url` must be an http(s) URL, got %r" % message["base_url"])
    if not isinstance(message.get("stream"), bool):
        raise fail("`stream` must be true or false")
    if not isinstance(message.get("request"), dict):
        raise fail("`request` must be a JSON object (the request body)")
    timeout_ms = message.get("timeout_ms")
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, int) or timeout_ms < 1:
        raise fail("`timeout_ms` must be a whole number of milliseconds, at least 1")
    optional = message.get("optional_fields", [])
    if not isinstance(optional, list) or not all(isinstance(item, str) for item in optional):
        raise fail("`optional_fields` must be a list of field names")
    return Case(
        id=case_id,
        dialect=message["dialect"],
        base_url=message["base_url"],
        api_key=message["api_key"],
        stream=message["stream"],
        request=message["request"],
        optional_fields=list(optional),
        timeout_ms=timeout_ms,
    )
