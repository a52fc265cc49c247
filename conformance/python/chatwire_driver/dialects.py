"""The dialect facts a driver needs (chat path, auth header, done sentinel), read from
spec/dialects.json: the file the runner names in CHATWIRE_DIALECTS_JSON, or, for a driver run by
hand, the copy beside this package (in this repository, or in node_modules)."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, NamedTuple, Optional

ENV_VAR = "CHATWIRE_DIALECTS_JSON"


class Dialect(NamedTuple):
    id: str
    chat_path: str
    auth_header: str
    auth_scheme: str
    done_sentinel: Optional[str]


class DialectsUnavailable(RuntimeError):
    """dialects.json cannot be found or read."""


def _repository_copy() -> str:
    # Three levels up, then spec/: <repo>/spec/dialects.json in this repository, and
    # node_modules/@chatwire/spec/dialects.json beside an installed @chatwire/conformance.
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "spec", "dialects.json"))


def dialects_path() -> str:
    return os.environ.get(ENV_VAR) or _repository_copy()


def load_dialects(path: Optional[str] = None) -> Dict[str, Dialect]:
    path = path or dialects_path()
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except FileNotFoundError:
        raise DialectsUnavailable(
            "%s does not exist; set %s to the path of spec/dialects.json" % (path, ENV_VAR)
        ) from None
    except (OSError, ValueError) as error:
        raise DialectsUnavailable("cannot read %s as JSON: %s" % (path, error)) from None
    try:
        return {entry["id"]: _dialect(entry) for entry in document["dialects"]}
    except (KeyError, TypeError) as error:
        raise DialectsUnavailable(
            "%s is not spec/dialects.json: an entry lacks %s" % (path, error)
        ) from None


def _dialect(entry: Dict[str, Any]) -> Dialect:
    auth = entry["auth"]
    return Dialect(
        id=entry["id"],
        chat_path=entry["chat_path"],
        auth_header=auth["header"],
        auth_scheme=auth.get("scheme") or "",
        done_sentinel=entry["stream"].get("done_sentinel"),
    )
