import json
import socket
import threading
import unittest

from chatwire_driver.case import parse_case
from chatwire_driver.reference import ReferenceDriver

from .fixture_http import FixtureHTTPServer, all_fixture_ids, case_message, load_fixture, mismatch


def run_case(driver, server, fixture, timeout_ms=10_000):
    return driver.run(parse_case(case_message(fixture, server.base_url(fixture), timeout_ms)))


class ReferenceDriverOnEveryFixture(unittest.TestCase):
    """Every fixture, replayed over HTTP, comes out as the fixture expects."""

    def test_every_fixture(self):
        fixtures = [load_fixture(case_id) for case_id in all_fixture_ids()]
        self.assertGreater(len(fixtures), 80)
        driver = ReferenceDriver()
        with FixtureHTTPServer(fixtures) as server:
            for fixture in fixtures:
                case_id = "%s/%s" % (fixture["dialect"], fixture["name"])
                with self.subTest(case=case_id):
                    result = run_case(driver, server, fixture)
                    self.assertIsNone(mismatch(fixture["expect"], result), case_id)
                    json.dumps(result, allow_nan=False)


class ReferenceDriverRequests(unittest.TestCase):
    def test_sends_the_recorded_body_to_the_chat_path_with_the_dialects_auth(self):
        fixture = load_fixture("predictionguard/stream-basic")
        with FixtureHTTPServer([fixture]) as server:
            result = run_case(ReferenceDriver(), server, fixture)
            sent = server.requests[0]
        self.assertNotIn("error", result)
        self.assertEqual(sent["method"], "POST")
        self.assertEqual(sent["path"], "/predictionguard/stream-basic/chat/completions")
        self.assertEqual(json.loads(sent["body"]), fixture["request"]["body"])
        headers = {name.lower(): value for name, value in sent["headers"].items()}
        self.assertEqual(headers["authorization"], "Bearer replay-key")
        self.assertEqual(headers["accept"], "text/event-stream")
        self.assertEqual(headers["content-type"], "application/json")

    def test_error_kinds_carry_status_words_and_retry_after(self):
        fixture = load_fixture("gradient/hw-rate-limit-retry-after")
        with FixtureHTTPServer([fixture]) as server:
            error = run_case(ReferenceDriver(), server, fixture)["error"]
        self.assertEqual(error["kind"], "rate_limit")
        self.assertEqual(error["status"], 429)
        self.assertEqual(error["retry_after_ms"], 7000)
        self.assertEqual(error["class"], "RateLimitError")
        self.assertIn("APIError", error["classes"])
        self.assertIn("Rate limit reached", error["message"])


class ReferenceDriverTransportFailures(unittest.TestCase):
    def test_nothing_listening_is_a_connection_error(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        fixture = load_fixture("gradient/completion-basic")
        message = case_message(fixture, "http://127.0.0.1:%d/gradient/completion-basic" % port)
        result = ReferenceDriver().run(parse_case(message))
        self.assertEqual(result["error"]["kind"], "connection")
        self.assertEqual(result["error"]["class"], "APIConnectionError")

    def test_a_server_that_never_answers_is_a_timeout_within_the_case_limit(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        accepted = []
        thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
        thread.start()
        try:
            fixture = load_fixture("gradient/completion-basic")
            url = "http://127.0.0.1:%d/gradient/completion-basic" % listener.getsockname()[1]
            result = ReferenceDriver().run(parse_case(case_message(fixture, url, timeout_ms=300)))
        finally:
            for connection, _ in accepted:
                connection.close()
            listener.close()
        self.assertEqual(result["error"]["kind"], "timeout")

    def test_a_stream_that_goes_silent_ends_with_a_stream_timeout(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        held = []

        def answer_then_hang():
            connection, _ = listener.accept()
            held.append(connection)
            connection.recv(65536)
            connection.sendall(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                b"5\r\n: hi\n\r\n"
            )

        thread = threading.Thread(target=answer_then_hang, daemon=True)
        thread.start()
        try:
            fixture = load_fixture("gradient/stream-basic")
            url = "http://127.0.0.1:%d/gradient/stream-basic" % listener.getsockname()[1]
            result = ReferenceDriver().run(parse_case(case_message(fixture, url, timeout_ms=400)))
        finally:
            thread.join(1)
            for connection in held:
                connection.close()
            listener.close()
        self.assertEqual(result["error"]["kind"], "stream_error")
        self.assertEqual(result["error"]["stream_error_kind"], "stream-timeout")
        self.assertEqual(result["chunks"], [])


if __name__ == "__main__":
    unittest.main()
