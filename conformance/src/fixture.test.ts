import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dialects } from "@chatwire/core";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { spec } from "./check/spec-document.js";
import { chunkBytes, fixtureProblems, loadFixtures, readFixture, toBodyChunk } from "./fixture.js";
import { optionalForDrivers } from "./record/optional-for-drivers.js";

const valid = {
  name: "stream-basic",
  dialect: "gradient",
  description: "A stream.",
  request: { method: "POST", path: "/v1/chat/completions", headers: {}, body: { model: "m", messages: [] } },
  response: { status: 200, headers: { "content-type": "text/event-stream" }, body_chunks: ["data: [DONE]\n\n"] },
  expect: { chunks: [] },
};

function writeFixture(dir: string, dialect: string, name: string, value: unknown): string {
  mkdirSync(join(dir, dialect), { recursive: true });
  const path = join(dir, dialect, `${name}.json`);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe("fixture files", () => {
  it("accepts a well-formed fixture", () => {
    expect(fixtureProblems(valid)).toEqual([]);
  });

  it("names every problem of a malformed one", () => {
    const problems = fixtureProblems({
      ...valid,
      dialect: "openai",
      response: { ...valid.response, body_chunks: [42] },
      expect: { error: { class: "RateLimitError", message_includes: "" } },
    });
    const text = problems.join("\n");
    expect(text).toContain("/dialect");
    expect(text).toContain("/response/body_chunks/0");
    expect(text).toContain("must have required property 'kind' (\"kind\")");
    expect(text).toContain('/expect/error must NOT have additional properties ("class")');
    expect(text).toContain("/expect/error/message_includes must NOT have fewer than 1 characters");
  });

  it("names errors by a language-neutral kind, with the TypeScript class as a detail", () => {
    const withError = (error: unknown) => fixtureProblems({ ...valid, expect: { error } });
    expect(withError({ kind: "rate_limit", status: 429, typescript: { class: "RateLimitError" } })).toEqual([]);
    expect(withError({ kind: "stream_error", stream_error_kind: "truncated" })).toEqual([]);
    expect(withError({ kind: "stream_error" }).join("\n")).toContain("stream_error_kind");
    expect(withError({ kind: "server", stream_error_kind: "truncated" }).join("\n")).toContain("must NOT be valid");
    expect(withError({ kind: "RateLimitError" }).join("\n")).toContain("/expect/error/kind");
  });

  it("wants one delay per body chunk", () => {
    expect(fixtureProblems({ ...valid, response: { ...valid.response, delays_ms: [1, 2] } })).toEqual([
      "/response/delays_ms has 2 entries for 1 body chunks",
    ]);
  });

  it("refuses a file whose name or folder disagrees with its content", () => {
    const dir = mkdtempSync(join(tmpdir(), "fixtures-"));
    expect(() => readFixture(writeFixture(dir, "gradient", "other-name", valid))).toThrow(/must be the file name/);
    expect(() => readFixture(writeFixture(dir, "octoai", "stream-basic", valid))).toThrow(/fixtures\/octoai/);
    writeFileSync(join(dir, "gradient", "broken.json"), "{ not json");
    expect(() => readFixture(join(dir, "gradient", "broken.json"))).toThrow(/broken\.json is not readable JSON/);
  });

  it("wants optional_for_drivers to name fields of the body", () => {
    const request = { ...valid.request, optional_for_drivers: ["seed"] };
    expect(fixtureProblems({ ...valid, request })).toEqual([
      '/request/optional_for_drivers names "seed", which is no field of /request/body; list only fields the body has',
    ]);
    const seeded = { ...request, body: { ...request.body, seed: 7 } };
    expect(fixtureProblems({ ...valid, request: seeded })).toEqual([]);
    expect(fixtureProblems({ ...valid, request: { ...seeded, optional_for_drivers: [] } }).join("\n")).toContain(
      "/request/optional_for_drivers must NOT have fewer than 1 items",
    );
  });

  it("loads the shipped fixtures sorted by dialect and name", () => {
    const fixtures = loadFixtures();
    const keys = fixtures.map((fixture) => `${fixture.dialect}/${fixture.name}`);
    expect(keys).toEqual([...keys].sort());
  });
});

describe("body chunks", () => {
  it("keeps whole UTF-8 as text and a cut character as base64, bytes unchanged", () => {
    const bytes = new TextEncoder().encode("data: café 日本 🌊\n\n");
    const cut = bytes.indexOf(0xc3) + 1;
    const pieces = [bytes.subarray(0, cut), bytes.subarray(cut)];
    const stored = pieces.map(toBodyChunk);
    expect(typeof stored[0]).toBe("object");
    expect(typeof stored[1]).toBe("object");
    expect(toBodyChunk(bytes)).toBe("data: café 日本 🌊\n\n");
    expect(Buffer.concat(stored.map(chunkBytes))).toEqual(Buffer.from(bytes));
  });
});

describe("the shipped fixtures' requests", () => {
  const fixtures = loadFixtures();
  // Unevaluated properties off: a field the dialect's request schema does not name is refused too.
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true }).addSchema(spec);
  const requestValidators = Object.fromEntries(
    Object.values(dialects).map((dialect) => [
      dialect.id,
      ajv.compile({ $ref: `${spec.$id}#/$defs/${dialect.schemas.request}`, unevaluatedProperties: false }),
    ]),
  );

  it.each(fixtures.map((fixture) => [`${fixture.dialect}/${fixture.name}`, fixture]))(
    "%s holds only fields its dialect's API takes, and marks those an official SDK lacks",
    (_id, fixture) => {
      const validate = requestValidators[fixture.dialect];
      expect(validate?.(fixture.request.body), JSON.stringify(validate?.errors)).toBe(true);
      expect(fixture.request.optional_for_drivers).toEqual(optionalForDrivers(fixture.dialect, fixture.request.body));
    },
  );
});
