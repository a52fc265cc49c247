import unittest

from chatwire_driver.accumulate import NotAssemblable, accumulate

from .fixture_http import all_fixture_ids, load_fixture, project_onto


def chunk(choices, **fields):
    base = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": choices}
    base.update(fields)
    return base


class AgainstTheFixtures(unittest.TestCase):
    def test_every_stream_fixture_adds_up_to_its_expected_completion(self):
        checked = 0
        for case_id in all_fixture_ids():
            expect = load_fixture(case_id)["expect"]
            if "chunks" in expect and "completion" in expect:
                with self.subTest(case=case_id):
                    got = accumulate(expect["chunks"])
                    self.assertEqual(project_onto(got, expect["completion"]), expect["completion"])
                checked += 1
        self.assertGreater(checked, 40)


class Rules(unittest.TestCase):
    def test_content_joins_and_the_last_finish_reason_wins(self):
        got = accumulate(
            [
                chunk([{"index": 0, "delta": {"role": "assistant", "content": "Hel"}, "finish_reason": None}]),
                chunk([{"index": 0, "delta": {"content": "lo"}, "finish_reason": "stop"}]),
            ]
        )
        self.assertEqual(got["choices"][0]["message"], {"role": "assistant", "content": "Hello"})
        self.assertEqual(got["choices"][0]["finish_reason"], "stop")
        self.assertNotIn("logprobs", got["choices"][0])

    def test_tool_call_pieces_group_by_index_and_empty_content_becomes_null(self):
        got = accumulate(
            [
                chunk([{"index": 0, "delta": {"content": "", "tool_calls": [{"index": 1, "id": "b", "type": "function", "function": {"name": "g", "arguments": "{"}}]}}]),
                chunk([{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "a", "function": {"name": "f", "arguments": "{}"}}]}}]),
                chunk([{"index": 0, "delta": {"tool_calls": [{"index": 1, "id": "b", "function": {"name": "g", "arguments": "}"}}]}}]),
            ]
        )
        message = got["choices"][0]["message"]
        self.assertIsNone(message["content"])
        self.assertEqual(
            message["tool_calls"],
            [
                {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}},
                {"id": "b", "type": "function", "function": {"name": "g", "arguments": "{}"}},
            ],
        )

    def test_prediction_guard_generated_text_stands_in_and_its_numbers_are_no_logprobs(self):
        got = accumulate(
            [
                chunk([{"index": 0, "delta": {}, "generated_text": None, "logprobs": -0.5}]),
                chunk([{"index": 0, "delta": {}, "generated_text": "Paris", "logprobs": None, "finish_reason": "stop"}]),
            ]
        )
        self.assertEqual(got["choices"][0]["message"]["content"], "Paris")
        self.assertNotIn("logprobs", got["choices"][0])

    def test_usage_the_last_non_null_and_null_when_only_nulls_came(self):
        parts = [{"index": 0, "delta": {"content": "a"}}]
        self.assertIsNone(accumulate([chunk(parts, usage=None)])["usage"])
        usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        self.assertEqual(accumulate([chunk(parts, usage=None), chunk([], usage=usage)])["usage"], usage)
        self.assertNotIn("usage", accumulate([chunk(parts)]))

    def test_octoai_prompt_logprobs_are_kept_from_the_chunk_that_carries_them(self):
        prompt = [None, {"1734": {"logprob": -2.5, "rank": 3, "decoded_token": " sea"}}]
        parts = [{"index": 0, "delta": {"content": "a"}}]
        got = accumulate([chunk(parts, prompt_logprobs=prompt), chunk(parts), chunk(parts, prompt_logprobs=None)])
        self.assertEqual(got["prompt_logprobs"], prompt)
        self.assertIsNone(accumulate([chunk(parts, prompt_logprobs=None)])["prompt_logprobs"])
        self.assertNotIn("prompt_logprobs", accumulate([chunk(parts)]))

    def test_choices_come_out_in_index_order(self):
        got = accumulate([chunk([{"index": 1, "delta": {"content": "b"}}, {"index": 0, "delta": {"content": "a"}}])])
        self.assertEqual([c["index"] for c in got["choices"]], [0, 1])

    def test_what_is_no_chunk_cannot_be_assembled(self):
        for chunks in ([], ["text"], [{"id": "x"}], [chunk([{"delta": {}}])], [chunk([{"index": True}])]):
            with self.subTest(chunks=chunks), self.assertRaises(NotAssemblable):
                accumulate(chunks)


if __name__ == "__main__":
    unittest.main()
