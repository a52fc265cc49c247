"""Prediction Guard's Python SDK (predictionguard 2.x) behind the driver protocol.

- Client: `PredictionGuard(api_key=..., url=..., timeout=...)`. The SDK appends `/chat/completions`
  to `url`, which is the dialect's chat path, so `url` is the case's base URL as it is. Making the
  client sends `GET {url}/completions` to check the key (only a 401 or 404 to it fails).
- Call: `client.chat.completions.create(...)`; its parameters are named ones only (no `seed`, `n`
  or `response_format`, no pass-through), so a field it lacks is left out where the case allows
  and the case is skipped otherwise.
- Returns: a dict for a completion; for a stream, a generator of `{"data": chunk}` dicts (the
  adapter hands out the chunk). The SDK assembles no completion from a stream.
- Raises: `ValueError` for an error answer to a call without `stream` (no status: kind null),
  `requests` exceptions for a stream (`HTTPError` with the status) and for transport failures.
"""

from __future__ import annotations

from typing import Any, Iterable

import predictionguard

from ..case import Case
from .common import SDKAdapter, accepts_parameter, fit_arguments, skip_if_missing

METHOD = "predictionguard's chat.completions.create()"


class PredictionGuardAdapter(SDKAdapter):
    dialect = "predictionguard"
    sdk_name = "predictionguard"

    def make_client(self, case: Case) -> Any:
        options = {"api_key": case.api_key, "url": case.base_url.rstrip("/")}
        if accepts_parameter(predictionguard.PredictionGuard, "timeout"):
            options["timeout"] = case.timeout_s
        return predictionguard.PredictionGuard(**options)

    def _call(self, client: Any, case: Case) -> Any:
        create = client.chat.completions.create
        arguments = fit_arguments(create, case.request, case.optional_fields)
        skip_if_missing(arguments, METHOD)
        return create(**arguments.kwargs)

    def complete(self, client: Any, case: Case) -> Any:
        return self._call(client, case)

    def stream(self, client: Any, case: Case) -> Iterable[Any]:
        return self._call(client, case)

    def chunk_of(self, item: Any) -> Any:
        # The SDK wraps each chunk as {"data": chunk}; the fixture holds the chunk.
        if isinstance(item, dict) and "data" in item and "choices" not in item:
            return item["data"]
        return item


def create_driver() -> PredictionGuardAdapter:
    return PredictionGuardAdapter(str(getattr(predictionguard, "__version__", "(version unknown)")))
