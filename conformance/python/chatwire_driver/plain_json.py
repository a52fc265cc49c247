"""What an SDK returned, as plain JSON with the wire field names: dicts and lists as they are,
Stainless models through `to_dict()`, pydantic v2 models through `model_dump()`, v1 (and Fern)
models through `dict()`, each keeping only the fields the answer set, under their wire names."""

from __future__ import annotations

import enum
from typing import Any

#: Deeper than any chat completion nests; a cycle would otherwise never end.
_MAX_DEPTH = 64


class NotJSONable(TypeError):
    """An SDK value with no JSON form."""


def to_plain(value: Any, depth: int = 0) -> Any:
    if depth > _MAX_DEPTH:
        raise NotJSONable("the value nests deeper than %d levels" % _MAX_DEPTH)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return to_plain(value.value, depth + 1)
    if isinstance(value, dict):
        return {str(key): to_plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item, depth + 1) for item in value]
    return to_plain(_model_fields(value), depth + 1)


def _model_fields(model: Any) -> Any:
    to_dict = getattr(model, "to_dict", None)
    if callable(to_dict):
        try:
            return to_dict(mode="json")
        except TypeError:
            return to_dict()
    model_dump = getattr(model, "model_dump", None)
    if callable(model_dump):
        return model_dump(mode="json", by_alias=True, exclude_unset=True)
    as_dict = getattr(model, "dict", None)
    if callable(as_dict):
        try:
            return as_dict(by_alias=True, exclude_unset=True)
        except TypeError:
            return as_dict()
    if hasattr(model, "__dict__"):
        return {key: item for key, item in vars(model).items() if not key.startswith("_")}
    raise NotJSONable("%s has no JSON form" % type(model).__name__)
