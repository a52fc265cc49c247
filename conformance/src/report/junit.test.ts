import { describe, expect, it } from "vitest";
import type { SuiteReport } from "../results.js";
import { toJUnit } from "./junit.js";
import { sampleReports } from "./test-reports.js";
import { childNamed, childrenNamed, parseXml, type XmlElement } from "./test-xml.js";

function testcases(root: XmlElement): XmlElement[] {
  return childrenNamed(root, "testsuite").flatMap((suite) => childrenNamed(suite, "testcase"));
}

function testcaseNamed(root: XmlElement, name: string): XmlElement {
  const testcase = testcases(root).find((candidate) => candidate.attributes.name === name);
  if (testcase === undefined) throw new Error(`no testcase ${name}`);
  return testcase;
}

function properties(element: XmlElement): Record<string, string | undefined> {
  const list = childNamed(element, "properties");
  return Object.fromEntries(
    (list ? childrenNamed(list, "property") : []).map((property) => [
      property.attributes.name,
      property.attributes.value,
    ]),
  );
}

describe("toJUnit", () => {
  it("declares XML and totals everything on <testsuites>", () => {
    const xml = toJUnit(sampleReports());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const root = parseXml(xml);
    expect(root.name).toBe("testsuites");
    expect(root.attributes).toEqual({
      name: "chatwire-conformance",
      tests: "5",
      failures: "2",
      errors: "0",
      skipped: "1",
      time: "1.540",
    });
  });

  it("writes one <testsuite> per report, counted on its own", () => {
    const suites = childrenNamed(parseXml(toJUnit(sampleReports())), "testsuite");
    expect(suites.map((suite) => suite.attributes)).toEqual([
      {
        name: "check.gradient at http://127.0.0.1:8080/gradient",
        tests: "4",
        failures: "2",
        errors: "0",
        skipped: "1",
        time: "1.536",
      },
      { name: "replay.@chatwire/octoai", tests: "1", failures: "0", errors: "0", skipped: "0", time: "0.004" },
    ]);
    expect(properties(suites[1] as XmlElement)).toEqual({ kind: "replay", target: "@chatwire/octoai" });
  });

  it("names each testcase by kind.target and id, with its time in seconds and its severity", () => {
    const root = parseXml(toJUnit(sampleReports()));
    expect(testcases(root).map((testcase) => testcase.attributes)).toEqual([
      { classname: "check.gradient at http://127.0.0.1:8080/gradient", name: "envelope.id", time: "0.012" },
      { classname: "check.gradient at http://127.0.0.1:8080/gradient", name: "framing.done-last", time: "0.003" },
      { classname: "check.gradient at http://127.0.0.1:8080/gradient", name: "usage.final-chunk", time: "1.521" },
      { classname: "check.gradient at http://127.0.0.1:8080/gradient", name: "tools.parallel", time: "0.000" },
      { classname: "replay.@chatwire/octoai", name: "octoai/basic-stream", time: "0.004" },
    ]);
    expect(properties(testcaseNamed(root, "usage.final-chunk")).severity).toBe("recommended");
    expect(properties(testcaseNamed(root, "envelope.id")).severity).toBe("required");
  });

  it("writes a <failure> for required and recommended failures alike, the severity in message and type", () => {
    const root = parseXml(toJUnit(sampleReports()));
    const required = childNamed(testcaseNamed(root, "framing.done-last"), "failure");
    expect(required?.attributes).toEqual({
      message:
        "[required] expected data: [DONE] as the last event, got stream ended after 14 events without data: [DONE]",
      type: "required",
    });
    expect(required?.text).toBe(
      [
        "why: Clients stop reading at [DONE]; without it they wait for the socket to close.",
        "expected: data: [DONE] as the last event",
        "got: stream ended after 14 events without data: [DONE]",
        "diff:",
        '  data: {"choices":[]}',
        "- data: [DONE]",
        "+ <connection closed>",
      ].join("\n"),
    );
    const recommended = childNamed(testcaseNamed(root, "usage.final-chunk"), "failure");
    expect(recommended?.attributes.message).toBe(
      "[recommended] expected a last chunk with usage and empty choices, got no usage chunk",
    );
    expect(recommended?.attributes.type).toBe("recommended");
  });

  it("writes <skipped> with the note, and keeps a passing case's note as output", () => {
    const root = parseXml(toJUnit(sampleReports()));
    expect(childNamed(testcaseNamed(root, "tools.parallel"), "skipped")?.attributes).toEqual({
      message: "backend does not advertise tools",
    });
    const passing = testcaseNamed(root, "envelope.id");
    expect(childNamed(passing, "failure")).toBeUndefined();
    expect(childNamed(passing, "system-out")?.text).toBe("id looked like chatcmpl-…");
  });

  it("falls back to the rationale when a failure has no expected/got, and cuts a long message", () => {
    const report: SuiteReport = {
      kind: "check",
      target: "t",
      results: [
        { id: "a", severity: "required", rationale: "the reason", outcome: "fail", durationMs: 0 },
        {
          id: "b",
          severity: "required",
          rationale: "r",
          outcome: "fail",
          expected: "e",
          got: "y".repeat(5000),
          durationMs: 0,
        },
      ],
    };
    const root = parseXml(toJUnit([report]));
    expect(childNamed(testcaseNamed(root, "a"), "failure")?.attributes.message).toBe("[required] the reason");
    const failure = childNamed(testcaseNamed(root, "b"), "failure");
    expect(failure?.attributes.message?.length).toBeLessThan(250);
    expect(failure?.text).toContain(`got: ${"y".repeat(5000)}`);
  });

  it("escapes markup and keeps whitespace in ids, messages and bodies", () => {
    const nasty = `a<b>&"c'`;
    const report: SuiteReport = {
      kind: "replay",
      target: `t&"<>'`,
      results: [
        {
          id: nasty,
          severity: "required",
          rationale: "line one\nline two\ttabbed",
          outcome: "fail",
          expected: `<&"'>`,
          got: "data: x\r\n\r\n",
          durationMs: 1,
        },
        { id: "s", severity: "recommended", rationale: "", outcome: "skip", note: `</skipped>&amp;`, durationMs: 0 },
      ],
    };
    const root = parseXml(toJUnit([report]));
    const testcase = testcaseNamed(root, nasty);
    expect(testcase.attributes.classname).toBe(`replay.t&"<>'`);
    expect(properties(testcase).rationale).toBe("line one\nline two\ttabbed");
    const failure = childNamed(testcase, "failure");
    expect(failure?.attributes.message).toBe(`[required] expected <&"'>, got data: x`);
    expect(failure?.text).toContain(`expected: <&"'>\ngot: data: x\r\n\r\n`);
    expect(childNamed(testcaseNamed(root, "s"), "skipped")?.attributes.message).toBe("</skipped>&amp;");
  });

  it("replaces characters XML 1.0 cannot carry with visible escapes, and keeps valid astral ones", () => {
    const controls = "\u0000\u0008\u000b\u000c\u000e\u001b\u001f";
    const report: SuiteReport = {
      kind: "check",
      target: `t${controls}`,
      results: [
        {
          id: `id${controls}`,
          severity: "required",
          rationale: "r",
          outcome: "fail",
          expected: "lone \ud800 and \udc00 surrogates, \ufffe\uffff",
          got: `bytes ${controls} 😀`,
          durationMs: 1,
        },
      ],
    };
    const xml = toJUnit([report]);
    // parseXml throws on any character XML 1.0 does not allow.
    const root = parseXml(xml);
    const escaped = "\\u0000\\u0008\\u000b\\u000c\\u000e\\u001b\\u001f";
    const testcase = testcaseNamed(root, `id${escaped}`);
    expect(testcase.attributes.classname).toBe(`check.t${escaped}`);
    const failure = childNamed(testcase, "failure");
    // The one-line message folds whitespace, vertical tab and form feed included; the body keeps them.
    expect(failure?.attributes.message).toBe(
      "[required] expected lone \\ud800 and \\udc00 surrogates, \\ufffe\\uffff, got bytes \\u0000\\u0008 \\u000e\\u001b\\u001f 😀",
    );
    expect(failure?.text).toContain(`got: bytes ${escaped} 😀`);
  });

  it("writes a valid empty document for no reports", () => {
    const root = parseXml(toJUnit([]));
    expect(root.attributes.tests).toBe("0");
    expect(root.children).toEqual([]);
  });

  it("is rejected by the test parser when it is not well-formed", () => {
    // Guards the guard: the checks above mean something only if parseXml is strict.
    expect(() => parseXml('<a x="<"/>')).toThrow();
    expect(() => parseXml("<a>&</a>")).toThrow();
    expect(() => parseXml("<a>\u0000</a>")).toThrow();
    expect(() => parseXml("<a>\ud800</a>")).toThrow();
  });
});
