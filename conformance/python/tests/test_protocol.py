import io
import json
import os
import subprocess
import sys
import unittest

from chatwire_driver.adapters import sdk_importable
from chatwire_driver.protocol import serve

PACKAGE_ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))


def case_line(case_id="gradient/one", **fields):
    message = {
        "type": "case",
        "id": case_id,
        "dialect": "gradient",
        "base_url": "http://127.0.0.1:9/x",
        "api_key": "k",
        "stream": False,
        "request": {"model": "m", "messages": []},
        "timeout_ms": 1000,
    }
    message.update(fields)
    return json.dumps(message).encode() + b"\n"


class RecordingDriver:
    def __init__(self, outcome=None, fail_on=()):
        self.seen = []
        self.outcome = outcome or {"completion": {"id": "x"}}
        self.fail_on = fail_on

    def hello(self):
        return {"type": "hello", "driver": "recording"}

    def run(self, case):
        self.seen.append(case.id)
        if case.id in self.fail_on:
            raise KeyError("choices")
        return self.outcome


def run_loop(driver, stdin_bytes):
    out = io.BytesIO()
    err = io.StringIO()
    code = serve(driver, stdin=io.BytesIO(stdin_bytes), stdout=out, stderr=err)
    lines = [json.loads(line) for line in out.getvalue().decode("ascii").splitlines()]
    return code, lines, err.getvalue()


class Loop(unittest.TestCase):
    def test_hello_first_then_one_result_per_case_in_order(self):
        code, lines, _ = run_loop(RecordingDriver(), case_line("gradient/a") + case_line("gradient/b"))
        self.assertEqual(code, 0)
        self.assertEqual(lines[0], {"type": "hello", "driver": "recording"})
        self.assertEqual([line["id"] for line in lines[1:]], ["gradient/a", "gradient/b"])
        self.assertEqual(lines[1], {"type": "result", "id": "gradient/a", "completion": {"id": "x"}})

    def test_a_driver_bug_fails_its_case_only(self):
        driver = RecordingDriver(fail_on=("gradient/a",))
        code, lines, _ = run_loop(driver, case_line("gradient/a") + case_line("gradient/b"))
        self.assertEqual(code, 0)
        error = lines[1]["error"]
        self.assertIsNone(error["kind"])
        self.assertEqual(error["class"], "KeyError")
        self.assertIn("a bug of the driver", error["message"])
        self.assertIn("completion", lines[2])

    def test_garbage_lines_are_reported_on_stderr_and_skipped(self):
        code, lines, err = run_loop(RecordingDriver(), b"not json\n\n[1, 2]\n\xff\xfe\n" + case_line("gradient/b"))
        self.assertEqual(code, 0)
        self.assertEqual([line["type"] for line in lines], ["hello", "result"])
        self.assertIn("input line 1 is not a case message", err)
        self.assertIn("input line 3 is not a case message", err)
        self.assertIn("input line 4 is not UTF-8", err)

    def test_a_case_with_an_id_but_bad_fields_is_answered_with_what_is_wrong(self):
        code, lines, _ = run_loop(RecordingDriver(), case_line("gradient/a", timeout_ms="soon"))
        self.assertEqual(lines[1]["id"], "gradient/a")
        self.assertIsNone(lines[1]["error"]["kind"])
        self.assertIn("`timeout_ms` must be a whole number", lines[1]["error"]["message"])

    def test_a_result_without_a_json_form_becomes_an_error(self):
        for outcome in ({"completion": {"x": float("nan")}}, {"chunks": ["text"]}, {"completion": []}, {"bogus": 1}):
            with self.subTest(outcome=outcome):
                _, lines, _ = run_loop(RecordingDriver(outcome), case_line())
                self.assertIsNone(lines[1]["error"]["kind"])

    def test_non_ascii_is_escaped_so_lines_are_ascii(self):
        _, lines, _ = run_loop(RecordingDriver({"completion": {"text": "é\ud800"}}), case_line())
        self.assertEqual(lines[1]["completion"]["text"], "é\ud800")


class CommandLine(unittest.TestCase):
    def run_module(self, *args, stdin=b""):
        env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT)
        return subprocess.run(
            [sys.executable, "-m", "chatwire_driver", *args],
            input=stdin,
            capture_output=True,
            env=env,
            timeout=30,
        )

    def test_unknown_driver_exits_2_naming_the_drivers(self):
        done = self.run_module("nope")
        self.assertEqual(done.returncode, 2)
        self.assertIn(b"no driver named 'nope'", done.stderr)
        self.assertIn(b"reference", done.stderr)

    def test_no_driver_exits_2_with_usage(self):
        done = self.run_module()
        self.assertEqual(done.returncode, 2)
        self.assertIn(b"usage: python3 -m chatwire_driver <driver>", done.stderr)

    def test_a_missing_sdk_exits_2_saying_what_to_install(self):
        for name in ("predictionguard", "octoai", "gradient"):
            if sdk_importable(name):
                continue  # installed here: there is nothing missing to report
            with self.subTest(sdk=name):
                done = self.run_module(name)
                self.assertEqual(done.returncode, 2)
                self.assertIn(b"pip install " + name.encode(), done.stderr)

    def test_the_reference_driver_says_hello_and_exits_0_when_stdin_closes(self):
        done = self.run_module("reference")
        self.assertEqual(done.returncode, 0, done.stderr)
        hello = json.loads(done.stdout.decode().splitlines()[0])
        self.assertEqual(hello["driver"], "python-reference")
        self.assertEqual(hello["dialects"], ["octoai", "predictionguard", "gradient"])

    def test_a_missing_dialects_file_exits_2_saying_which(self):
        env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT, CHATWIRE_DIALECTS_JSON="/nonexistent/dialects.json")
        done = subprocess.run(
            [sys.executable, "-m", "chatwire_driver", "reference"], input=b"", capture_output=True, env=env, timeout=30
        )
        self.assertEqual(done.returncode, 2)
        self.assertIn(b"/nonexistent/dialects.json does not exist", done.stderr)


if __name__ == "__main__":
    unittest.main()
