"""Drivers for the providers' own Python SDKs. Each adapter module imports its SDK, so it is
imported only once the SDK is known to be importable."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any, Dict, NamedTuple


class AdapterInfo(NamedTuple):
    module: str
    sdk_module: str
    pip_name: str
    describe: str


ADAPTERS: Dict[str, AdapterInfo] = {
    "predictionguard": AdapterInfo(
        "chatwire_driver.adapters.predictionguard",
        "predictionguard",
        "predictionguard",
        "Prediction Guard's SDK, predictionguard 2.x",
    ),
    "octoai": AdapterInfo(
        "chatwire_driver.adapters.octoai", "octoai", "octoai", "OctoAI's SDK, octoai 1.x"
    ),
    "gradient": AdapterInfo(
        "chatwire_driver.adapters.gradient",
        "gradient",
        "gradient",
        "DigitalOcean's Gradient SDK, gradient 3.x",
    ),
}


class SDKUnavailable(RuntimeError):
    """The adapter's SDK cannot be imported."""


def sdk_importable(module: str) -> bool:
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def load_adapter(name: str) -> Any:
    info = ADAPTERS[name]
    if not sdk_importable(info.sdk_module):
        raise SDKUnavailable(
            "the %s driver needs the `%s` package, which is not installed for %s: pip install %s"
            % (name, info.sdk_module, sys.executable, info.pip_name)
        )
    try:
        module = importlib.import_module(info.module)
    except ImportError as error:
        raise SDKUnavailable(
            "the `%s` package is installed but does not import (%s); reinstall it: pip install --force-reinstall %s"
            % (info.sdk_module, error, info.pip_name)
        ) from None
    return module.create_driver()
