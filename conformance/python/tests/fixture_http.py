"""A small stdlib HTTP server that answers each fixture's request with its recorded response, as
the fixture server does: pieces as separate chunked writes, a TCP reset where the fixture ends
with one. Cases are served at `/<dialect>/<name>` plus the recorded path."""

from __future__ import annotations

import base64
import glob
import json
import os
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional

FIXTURES_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "fixtures"))
#: Recorded pauses are kept short in tests: the pieces still leave one by one.
MAX_DELAY_S = 0.005
_FRAMING = {"content-length", "transfer-encoding", "connection", "keep-alive"}


def load_fixture(case_id: str) -> Dict[str, Any]:
    with open(os.path.join(FIXTURES_DIR, case_id + ".json"), encoding="utf-8") as file:
        return json.load(file)


def all_fixture_ids() -> List[str]:
    paths = sorted(glob.glob(os.path.join(FIXTURES_DIR, "*", "*.json")))
    return [os.path.relpath(path, FIXTURES_DIR)[: -len(".json")].replace(os.sep, "/") for path in paths]


def piece_bytes(piece: Any) -> bytes:
    if isinstance(piece, str):
        return piece.encode("utf-8")
    return base64.b64decode(piece["base64"])


class FixtureHTTPServer:
    """Serves `fixtures` on 127.0.0.1 and a free port; records each request it was sent."""

    def __init__(self, fixtures: List[Dict[str, Any]]) -> None:
        self.cases = {"%s/%s" % (f["dialect"], f["name"]): f for f in fixtures}
        self.requests: List[Dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                owner.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                fixture = owner._fixture_for(self.command, self.path)
                if fixture is None:
                    self._plain(404, {"error": {"message": "no case at %s %s" % (self.command, self.path)}})
                    return
                self._replay(fixture)

            def _plain(self, status: int, body: Dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("connection", "close")
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True

            def _replay(self, fixture: Dict[str, Any]) -> None:
                response = fixture["response"]
                self.send_response_only(response["status"])
                for name, value in response["headers"].items():
                    if name not in _FRAMING:
                        self.send_header(name, value)
                self.send_header("transfer-encoding", "chunked")
                self.send_header("connection", "close")
                self.end_headers()
                self.wfile.flush()
                delays = response.get("delays_ms") or []
                for index, piece in enumerate(response["body_chunks"]):
                    wait = delays[index] / 1000 if index < len(delays) else 0
                    time.sleep(min(wait, MAX_DELAY_S))
                    data = piece_bytes(piece)
                    if data:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                        self.wfile.flush()
                self.close_connection = True
                if response.get("ends") == "reset":
                    time.sleep(0.05)
                    # Linger 0: close sends RST, as a dropped connection does.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    return
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _fixture_for(self, method: str, path: str) -> Optional[Dict[str, Any]]:
        for case_id, fixture in self.cases.items():
            prefix = "/" + case_id
            if method == fixture["request"]["method"] and path == prefix + fixture["request"]["path"]:
                return fixture
        return None

    def base_url(self, fixture: Dict[str, Any]) -> str:
        return "%s/%s/%s" % (self.url, fixture["dialect"], fixture["name"])

    def __enter__(self) -> "FixtureHTTPServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


def case_message(fixture: Dict[str, Any], base_url: str, timeout_ms: int = 10_000) -> Dict[str, Any]:
    """The runner's case line for a fixture (conformance/src/replay/replay.ts caseMessage)."""
    message: Dict[str, Any] = {
        "type": "case",
        "id": "%s/%s" % (fixture["dialect"], fixture["name"]),
        "dialect": fixture["dialect"],
        "base_url": base_url,
        "api_key": "replay-key",
        "stream": fixture["request"]["body"].get("stream") is True,
        "request": json.loads(json.dumps(fixture["request"]["body"])),
        "timeout_ms": timeout_ms,
    }
    optional = fixture["request"].get("optional_for_drivers")
    if optional:
        message["optional_fields"] = list(optional)
    return message


def project_onto(actual: Any, shape: Any) -> Any:
    """`actual` cut down to the fields `shape` names (compare.ts projectOnto)."""
    if isinstance(shape, list) and isinstance(actual, list):
        return [project_onto(item, shape[i]) if i < len(shape) else item for i, item in enumerate(actual)]
    if isinstance(shape, dict) and isinstance(actual, dict):
        return {key: project_onto(actual[key], shape[key]) for key in shape if key in actual}
    return actual


def mismatch(expect: Dict[str, Any], result: Dict[str, Any]) -> Optional[str]:
    """What in `result` breaks the fixture's `expect` (compare.ts compareOutcome), or None."""
    if "chunks" in expect and result.get("chunks", []) != expect["chunks"]:
        return "chunks differ: got %d, expected %d" % (len(result.get("chunks", [])), len(expect["chunks"]))
    error = result.get("error")
    want = expect.get("error")
    if want is not None:
        if error is None:
            return "expected an error %s, got none" % want
        for field, got_field in (("kind", "kind"), ("stream_error_kind", "stream_error_kind"), ("status", "status"), ("retry_after_ms", "retry_after_ms")):
            if field in want and error.get(got_field) != want[field]:
                return "error %s: expected %r, got %r (%s)" % (field, want[field], error.get(got_field), error)
        if "message_includes" in want and want["message_includes"] not in error["message"]:
            return "error message %r lacks %r" % (error["message"], want["message_includes"])
        ts_class = want.get("typescript", {}).get("class")
        if ts_class and "classes" in error and ts_class not in [error.get("class")] + error["classes"]:
            return "error class %s is not a %s" % (error.get("classes"), ts_class)
        return None
    if error is not None:
        return "expected no error, got %s" % error
    if "completion" in expect:
        if "completion" not in result:
            return "expected a completion, got none"
        if project_onto(result["completion"], expect["completion"]) != expect["completion"]:
            return "completion differs: %s" % json.dumps(result["completion"])[:500]
    return None
