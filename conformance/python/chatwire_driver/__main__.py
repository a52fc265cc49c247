"""python3 -m chatwire_driver <driver>: serve the driver protocol on stdin and stdout."""

from __future__ import annotations

import sys
from typing import List, Optional

from .adapters import ADAPTERS, SDKUnavailable, load_adapter
from .dialects import DialectsUnavailable
from .protocol import serve

USAGE = """usage: python3 -m chatwire_driver <driver>

Serves the chatwire conformance driver protocol (driver-protocol.schema.json): reads `case`
lines on stdin, answers one `result` line per case on stdout.

drivers:
  reference        the dialects spoken with the standard library (urllib), as the chatwire SDKs do
%s
Run by the conformance runner:
  chatwire-conformance replay --driver "python3 -m chatwire_driver reference"
"""


def _usage() -> str:
    lines = "".join(
        "  %-16s %s (pip install %s)\n" % (name, info.describe, info.pip_name) for name, info in ADAPTERS.items()
    )
    return USAGE % lines


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["-h"], ["--help"]):
        sys.stdout.write(_usage())
        return 0
    if len(args) != 1:
        sys.stderr.write("chatwire_driver: name one driver.\n\n" + _usage())
        return 2
    name = args[0]
    try:
        if name == "reference":
            from .reference import ReferenceDriver

            driver = ReferenceDriver()
        elif name in ADAPTERS:
            driver = load_adapter(name)
        else:
            sys.stderr.write(
                "chatwire_driver: no driver named %r; the drivers are reference, %s.\n"
                % (name, ", ".join(ADAPTERS))
            )
            return 2
    except (SDKUnavailable, DialectsUnavailable) as error:
        sys.stderr.write("chatwire_driver: %s\n" % error)
        return 2
    return serve(driver)


if __name__ == "__main__":
    sys.exit(main())
