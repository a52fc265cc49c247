import { describe, expect, it } from "vitest";
import { exitCode, requiredPassed, type SuiteReport } from "../results.js";
import { toJSON } from "./json.js";
import { toJUnit } from "./junit.js";
import { formatReport } from "./table.js";
import { childNamed, childrenNamed, parseXml } from "./test-xml.js";

const withoutEvidence: SuiteReport = {
  kind: "check",
  target: "gradient at http://127.0.0.1:8080/gradient",
  results: [
    {
      id: "envelope.same-id",
      severity: "required",
      impact: { kind: "spec", detail: "ChatCompletionChunk.id" },
      rationale: "Clients key a completion by its id.",
      outcome: "no-evidence",
      expected: "at least one chunk in the plain stream",
      got: "the plain stream had 0 chunks (the answer was text/html)",
      durationMs: 2,
    },
    {
      id: "framing.done-sentinel",
      severity: "required",
      rationale: "The sentinel ends the stream.",
      outcome: "pass",
      durationMs: 1,
    },
  ],
};

const unusable: SuiteReport = {
  kind: "check",
  target: "octoai at http://127.0.0.1:9",
  unusable: "the backend cannot be checked: nothing came back from POST http://127.0.0.1:9/v1/chat/completions",
  results: [],
};

describe("a case without evidence", () => {
  it("fails the run like a required failure, and a backend that cannot be used exits 3", () => {
    expect(requiredPassed([withoutEvidence])).toBe(false);
    expect(exitCode([withoutEvidence])).toBe(1);
    expect(exitCode([unusable, withoutEvidence])).toBe(3);
    const recommended = {
      ...withoutEvidence,
      results: withoutEvidence.results.map((r) => ({ ...r, severity: "recommended" as const })),
    };
    expect(exitCode([recommended])).toBe(0);
  });

  it("is its own word in the table, with what it needs and what there was", () => {
    const table = formatReport([withoutEvidence], { color: false });
    expect(table).toContain("  NO-EVIDENCE  envelope.same-id");
    expect(table).toContain("  PASS         framing.done-sentinel");
    expect(table).toMatch(/needs: +at least one chunk in the plain stream/);
    expect(table).toMatch(/got: +the plain stream had 0 chunks \(the answer was text\/html\)/);
    expect(table).toContain("1 passed, 0 failed, 1 without evidence (1 required), 0 skipped");
    expect(table).toContain("FAILED (1 required case without evidence)");
    expect(table).not.toContain("FAIL ");
  });

  it("is its own outcome and total in JSON, with the impact of the check", () => {
    const json = JSON.parse(toJSON([withoutEvidence, unusable]));
    expect(json.passed).toBe(false);
    expect(json.totals).toEqual({ pass: 1, fail: 0, skip: 0, no_evidence: 1, unusable: 1 });
    expect(json.suites[0].results[0]).toMatchObject({
      outcome: "no-evidence",
      impact: { kind: "spec", detail: "ChatCompletionChunk.id" },
    });
    expect(json.suites[1].unusable).toBe(unusable.unusable);
  });

  it("is a JUnit <error>, not a <failure>, and an unusable target is one errored case", () => {
    const root = parseXml(toJUnit([withoutEvidence, unusable]));
    expect(root.attributes).toMatchObject({ tests: "3", failures: "0", errors: "2" });
    const [first, second] = childrenNamed(root, "testsuite");
    const cases = childrenNamed(first ?? root, "testcase");
    expect(childNamed(cases[0] ?? root, "failure")).toBeUndefined();
    expect(childNamed(cases[0] ?? root, "error")?.attributes).toEqual({
      message:
        "[required] no evidence: needs at least one chunk in the plain stream, got the plain stream had 0 chunks (the answer was text/html)",
      type: "no-evidence",
    });
    const target = childrenNamed(second ?? root, "testcase");
    expect(target.map((testcase) => testcase.attributes.name)).toEqual(["(target)"]);
    expect(childNamed(target[0] ?? root, "error")?.attributes.type).toBe("unusable");
  });

  it("shows why a target could not be used instead of an empty table", () => {
    const table = formatReport([unusable], { color: false });
    expect(table).toContain("unusable: the backend cannot be checked");
    expect(table).not.toContain("(no cases)");
    expect(table).toContain("FAILED (1 target unusable)");
  });
});
