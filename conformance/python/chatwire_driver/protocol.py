"""The driver side of the protocol: a `hello` line, then one `result` line for each `case` line
read, in order, each flushed at once; exit 0 when stdin closes.

Nothing a single case does ends the loop: a driver that fails on a case answers that case with
an error of kind null saying so, and a line that is no case is answered (when it names its id)
or reported on stderr."""

from __future__ import annotations

import json
import sys
import traceback
from typing import IO, Any, Dict, Optional, Protocol

from .case import Case, InvalidCase, parse_case


class Driver(Protocol):
    """What the loop needs of a driver: who it is, and one case in, one result out (the result's
    `chunks`, `completion`, `error` or `skipped`; the loop adds `type` and `id`)."""

    def hello(self) -> Dict[str, Any]: ...

    def run(self, case: Case) -> Dict[str, Any]: ...


def serve(
    driver: Driver,
    stdin: Optional[IO[bytes]] = None,
    stdout: Optional[IO[bytes]] = None,
    stderr: Optional[IO[str]] = None,
) -> int:
    stdin = stdin if stdin is not None else sys.stdin.buffer
    stdout = stdout if stdout is not None else sys.stdout.buffer
    stderr = stderr if stderr is not None else sys.stderr
    try:
        _write(stdout, driver.hello())
        for number, raw in enumerate(stdin, start=1):
            result = _answer(driver, raw, number, stderr)
            if result is not None:
                _write(stdout, result)
    except BrokenPipeError:
        stderr.write("chatwire_driver: the runner stopped reading results (broken pipe)\n")
        return 1
    return 0


def _answer(driver: Any, raw: bytes, number: int, stderr: IO[str]) -> Optional[Dict[str, Any]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        stderr.write("chatwire_driver: input line %d is not UTF-8 (%s); skipped\n" % (number, error))
        return None
    if not text.strip():
        return None
    try:
        case = parse_case(json.loads(text))
    except ValueError as error:
        if isinstance(error, InvalidCase) and error.case_id is not None:
            return _result(error.case_id, {"error": _unreadable_case(str(error))})
        stderr.write(
            "chatwire_driver: input line %d is not a case message: %s; skipped. Line: %s\n"
            % (number, error, text.strip()[:200])
        )
        return None
    try:
        outcome = driver.run(case)
    except Exception as error:  # a driver bug must fail its case, not the run
        outcome = {"error": _driver_failure(error)}
    return _result(case.id, _checked(outcome))


def _result(case_id: str, outcome: Dict[str, Any]) -> Dict[str, Any]:
    result: Dict[str, Any] = {"type": "result", "id": case_id}
    result.update(outcome)
    return result


def _unreadable_case(problem: str) -> Dict[str, Any]:
    return {"kind": None, "message": "the driver cannot run this case: %s" % problem}


def _driver_failure(error: BaseException) -> Dict[str, Any]:
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return {
        "kind": None,
        "message": "the driver failed on this case (a bug of the driver, not of the SDK): %s" % trace,
        "class": type(error).__name__,
    }


_OUTCOME_KEYS = ("chunks", "completion", "error", "skipped")


def _checked(outcome: Any) -> Dict[str, Any]:
    """The outcome if it has a result's shape and a JSON form, else an error saying what is wrong."""
    problem = None
    if not isinstance(outcome, dict):
        problem = "the driver returned %s, not a result object" % type(outcome).__name__
    elif set(outcome) - set(_OUTCOME_KEYS):
        problem = "the driver's result has unknown fields %s" % sorted(set(outcome) - set(_OUTCOME_KEYS))
    elif "chunks" in outcome and not (
        isinstance(outcome["chunks"], list) and all(isinstance(chunk, dict) for chunk in outcome["chunks"])
    ):
        problem = "the driver's `chunks` is not a list of objects"
    elif "completion" in outcome and not isinstance(outcome["completion"], dict):
        problem = "the driver's `completion` is not an object"
    else:
        try:
            json.dumps(outcome, allow_nan=False)
        except (TypeError, ValueError) as error:
            problem = "the result has no JSON form (%s)" % error
    if problem is None:
        return outcome
    return {"error": {"kind": None, "message": problem}}


def _write(stdout: IO[bytes], message: Dict[str, Any]) -> None:
    # ASCII escapes: the line survives any locale, and a lone surrogate from an SDK stays valid JSON.
    line = json.dumps(message, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    stdout.write(line.encode("ascii") + b"\n")
    stdout.flush()
