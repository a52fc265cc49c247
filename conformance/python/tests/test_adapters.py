"""Each adapter against a stand-in of its SDK (tests/fake_sdks.py): what it passes the SDK, and
how it maps what the SDK returns and raises."""

import unittest

from chatwire_driver.case import parse_case

from . import fake_sdks
from .fake_sdks import installed

BASE = "http://127.0.0.1:4010/%s/case"
CHUNKS = [
    {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"}, "finish_reason": None}]},
    {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
]
COMPLETION = {"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}]}


def case(dialect, stream=False, optional=(), **request):
    body = {"model": "m", "messages": [{"role": "user", "content": "Hi"}], "temperature": 0}
    if stream:
        body["stream"] = True
    body.update(request)
    message = {
        "type": "case",
        "id": "%s/case" % dialect,
        "dialect": dialect,
        "base_url": BASE % dialect + "/",
        "api_key": "key-1",
        "stream": stream,
        "request": body,
        "timeout_ms": 5000,
    }
    if optional:
        message["optional_fields"] = list(optional)
    return parse_case(message)


def driver(script):
    return script.adapter.create_driver()


class PredictionGuard(unittest.TestCase):
    def test_hello_names_the_sdk_and_its_one_dialect(self):
        with installed("predictionguard") as script:
            hello = driver(script).hello()
        self.assertEqual(hello["driver"], "predictionguard 2.11.0 (Python)")
        self.assertEqual(hello["sdk"], "predictionguard 2.11.0")
        self.assertEqual(hello["dialects"], ["predictionguard"])

    def test_a_completion_dict_is_the_completion_and_seed_is_left_out_where_allowed(self):
        with installed("predictionguard") as script:
            script.returns = COMPLETION
            result = driver(script).run(case("predictionguard", optional=("seed",), seed=7, max_completion_tokens=8))
        self.assertEqual(result, {"completion": COMPLETION})
        self.assertEqual(script.client_options, [{"api_key": "key-1", "url": BASE % "predictionguard", "timeout": 4.0}])
        call = script.calls[0]
        self.assertNotIn("seed", call)
        self.assertEqual((call["model"], call["max_completion_tokens"], call["temperature"]), ("m", 8, 0))

    def test_a_field_the_method_lacks_and_may_not_leave_out_skips_the_case(self):
        with installed("predictionguard") as script:
            result = driver(script).run(case("predictionguard", n=2))
        self.assertIn("takes no `n`", result["skipped"])
        self.assertEqual(script.calls, [])

    def test_stream_items_are_unwrapped_from_data_and_no_completion_is_claimed(self):
        with installed("predictionguard") as script:
            script.items = [{"data": chunk} for chunk in CHUNKS]
            result = driver(script).run(case("predictionguard", stream=True))
        self.assertEqual(result, {"chunks": CHUNKS})
        self.assertTrue(script.calls[0]["stream"])

    def test_a_value_error_has_no_kind_and_keeps_the_sdks_words(self):
        with installed("predictionguard") as script:
            script.raise_on_call = ValueError("Could not make prediction. api understands the request but refuses")
            error = driver(script).run(case("predictionguard"))["error"]
        self.assertEqual(
            error,
            {"kind": None, "message": "Could not make prediction. api understands the request but refuses", "class": "ValueError"},
        )

    def test_an_http_error_in_a_stream_maps_by_its_status(self):
        with installed("predictionguard") as script:
            script.raise_after_items = fake_sdks.HTTPError("429 Client Error", response=fake_sdks.HTTPResponse(429))
            result = driver(script).run(case("predictionguard", stream=True))
        self.assertEqual(result["chunks"], [])
        self.assertEqual((result["error"]["kind"], result["error"]["status"]), ("rate_limit", 429))
        self.assertEqual(result["error"]["class"], "HTTPError")

    def test_a_body_cut_short_is_a_connection_error_after_the_chunks_so_far(self):
        with installed("predictionguard") as script:
            script.items = [{"data": CHUNKS[0]}]
            script.raise_after_items = fake_sdks.ChunkedEncodingError("Connection broken: IncompleteRead")
            result = driver(script).run(case("predictionguard", stream=True))
        self.assertEqual(result["chunks"], [CHUNKS[0]])
        self.assertEqual(result["error"]["kind"], "connection")

    def test_a_timeout_is_a_timeout(self):
        with installed("predictionguard") as script:
            script.raise_on_call = fake_sdks.ReadTimeout("Read timed out.")
            self.assertEqual(driver(script).run(case("predictionguard"))["error"]["kind"], "timeout")

    def test_a_client_that_cannot_be_made_fails_the_case_saying_so(self):
        with installed("predictionguard") as script:
            script.raise_on_client = ValueError("Could not connect to Prediction Guard API with the given api_key.")
            error = driver(script).run(case("predictionguard"))["error"]
        self.assertIsNone(error["kind"])
        self.assertTrue(error["message"].startswith("making the SDK's client failed: Could not connect"))

    def test_another_dialects_case_is_skipped(self):
        with installed("predictionguard") as script:
            self.assertIn("speaks only the predictionguard dialect", driver(script).run(case("gradient"))["skipped"])


class Gradient(unittest.TestCase):
    def test_the_client_reaches_the_case_base_url_either_way_with_retries_off(self):
        with installed("gradient") as script:
            script.returns = fake_sdks.StainlessModel(COMPLETION)
            result = driver(script).run(case("gradient"))
        self.assertEqual(result, {"completion": COMPLETION})
        self.assertEqual(
            script.client_options,
            [
                {
                    "model_access_key": "key-1",
                    "inference_endpoint": BASE % "gradient",
                    "base_url": BASE % "gradient" + "/v1",
                    "timeout": 4.0,
                    "max_retries": 0,
                }
            ],
        )

    def test_fields_without_a_parameter_go_through_extra_body(self):
        with installed("gradient") as script:
            script.returns = fake_sdks.StainlessModel(COMPLETION)
            driver(script).run(case("gradient", seed=7, response_format={"type": "json_object"}, max_tokens=8))
        call = script.calls[0]
        self.assertEqual(call["extra_body"], {"seed": 7, "response_format": {"type": "json_object"}})
        self.assertEqual(call["max_tokens"], 8)
        self.assertNotIn("seed", call)

    def test_stream_chunks_are_the_models_wire_json_and_the_stream_is_closed(self):
        with installed("gradient") as script:
            script.items = [fake_sdks.StainlessModel(chunk) for chunk in CHUNKS]
            result = driver(script).run(case("gradient", stream=True))
        self.assertEqual(result, {"chunks": CHUNKS})
        self.assertTrue(script.stream.closed)

    def test_a_status_error_maps_by_status_with_the_retry_after_the_sdk_reads(self):
        with installed("gradient") as script:
            response = fake_sdks.HTTPResponse(429, {"retry-after": "7"})
            script.raise_on_call = fake_sdks.RateLimitError(
                "Error code: 429 - {'error': {'message': 'Rate limit reached'}}", response=response, body=None
            )
            error = driver(script).run(case("gradient"))["error"]
        self.assertEqual(
            error,
            {
                "kind": "rate_limit",
                "status": 429,
                "message": "Error code: 429 - {'error': {'message': 'Rate limit reached'}}",
                "class": "RateLimitError",
                "retry_after_ms": 7000,
            },
        )

    def test_an_api_error_raised_in_a_stream_is_an_error_event_after_the_chunks(self):
        with installed("gradient") as script:
            script.items = [fake_sdks.StainlessModel(CHUNKS[0])]
            script.raise_after_items = fake_sdks.APIError("Model inference failed", None, body={"message": "x"})
            result = driver(script).run(case("gradient", stream=True))
        self.assertEqual(result["chunks"], [CHUNKS[0]])
        self.assertEqual(result["error"]["kind"], "stream_error")
        self.assertEqual(result["error"]["stream_error_kind"], "error-event")
        self.assertEqual(result["error"]["message"], "Model inference failed")

    def test_connection_and_timeout_errors_raw_or_wrapped(self):
        for raised, kind in (
            (fake_sdks.APIConnectionError(), "connection"),
            (fake_sdks.APITimeoutError(), "timeout"),
            (fake_sdks.RemoteProtocolError("peer closed connection"), "connection"),
        ):
            with self.subTest(raised=type(raised).__name__), installed("gradient") as script:
                script.raise_after_items = raised
                result = driver(script).run(case("gradient", stream=True))
                self.assertEqual(result["error"]["kind"], kind)

    def test_a_non_object_chunk_fails_the_case_without_a_kind(self):
        with installed("gradient") as script:
            script.items = ["not a chunk"]
            result = driver(script).run(case("gradient", stream=True))
        self.assertIsNone(result["error"]["kind"])
        self.assertIn("chunk 1 is str, not an object", result["error"]["message"])


class OctoAI(unittest.TestCase):
    def test_the_environment_gets_the_base_url_as_its_text_gen_url(self):
        with installed("octoai") as script:
            script.returns = fake_sdks.FernModel(COMPLETION)
            result = driver(script).run(case("octoai"))
        self.assertEqual(result, {"completion": COMPLETION})
        environment = script.client_options[0]["environment"]
        self.assertEqual(environment.text_gen, BASE % "octoai")
        self.assertEqual(environment.image_gen, "https://image.octoai.run")
        self.assertEqual(fake_sdks.OctoAIEnvironment.DEFAULT.text_gen, "https://text.octoai.run")

    def test_a_constructor_with_base_url_gets_it(self):
        with installed("octoai", takes_base_url=True) as script:
            script.returns = fake_sdks.FernModel(COMPLETION)
            driver(script).run(case("octoai"))
        self.assertEqual(script.client_options[0]["base_url"], BASE % "octoai")

    def test_a_stream_calls_the_stream_method_with_retries_off_and_extras_passed_through(self):
        with installed("octoai") as script:
            script.items = [fake_sdks.FernModel(chunk) for chunk in CHUNKS]
            result = driver(script).run(case("octoai", stream=True, seed=7, stream_options={"include_usage": True}))
        self.assertEqual(result, {"chunks": CHUNKS})
        call = script.calls[0]
        self.assertEqual(call["method"], "text_gen.create_chat_completion_stream")
        self.assertNotIn("stream", call)
        self.assertEqual(
            call["request_options"],
            {
                "max_retries": 0,
                "timeout_in_seconds": 4.0,
                "additional_body_parameters": {"seed": 7, "stream_options": {"include_usage": True}},
            },
        )

    def test_an_api_error_maps_by_its_status_code(self):
        with installed("octoai") as script:
            script.raise_on_call = fake_sdks.ApiError(status_code=401, body={"error": {"message": "bad key"}})
            error = driver(script).run(case("octoai"))["error"]
        self.assertEqual((error["kind"], error["status"], error["class"]), ("authentication", 401, "ApiError"))
        self.assertIn("bad key", error["message"])


if __name__ == "__main__":
    unittest.main()
