import { readFileSync } from "node:fs";

/**
 * The status a case must be answered with: one (`401`) or a class (`"4xx"`). Without it a case
 * must succeed: `"2xx"`.
 */
type ExpectedStatus = number | "2xx" | "4xx" | "5xx";

/** One request to record: a name for the fixture, what it shows, and the body to send. */
export interface RecordingCase {
  name: string;
  description: string;
  body: Record<string, unknown>;
  /** Send this key instead of `--api-key`, to record the backend refusing a bad one. */
  api_key?: string;
  /** The answer the case is about; `record` refuses any other. `"2xx"` when absent. */
  expect_status?: ExpectedStatus;
  /** For a case about how a reply ends (a tool call, a stop sequence): every choice's finish_reason. */
  expect_finish_reason?: string;
}

function isExpectedStatus(value: unknown): value is ExpectedStatus {
  return (
    (Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599) ||
    value === "2xx" ||
    value === "4xx" ||
    value === "5xx"
  );
}

/**
 * Reads a cases file (`[{name, description, body, api_key?, expect_status?}, ...]`); a malformed
 * one is an error naming the entry.
 */
export function readRecordingCases(path: string): RecordingCase[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not readable JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw new Error(`${path} must hold a JSON array of cases, {name, description, body}.`);
  const names = new Set<string>();
  return value.map((entry, index) => {
    const where = `${path}: case ${index + 1}`;
    if (typeof entry !== "object" || entry === null) throw new Error(`${where} is not an object.`);
    const { name, description, body, api_key, expect_status, expect_finish_reason } = entry as Record<string, unknown>;
    if (typeof name !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
      throw new Error(`${where}: "name" must be lower-case letters, digits and dashes (it becomes the file name).`);
    }
    if (names.has(name)) throw new Error(`${where}: the name "${name}" is used twice.`);
    names.add(name);
    if (typeof description !== "string" || description === "")
      throw new Error(`${where} (${name}) needs a "description".`);
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new Error(`${where} (${name}): "body" must be the JSON request object.`);
    }
    if (api_key !== undefined && typeof api_key !== "string")
      throw new Error(`${where} (${name}): "api_key" must be a string.`);
    if (expect_status !== undefined && !isExpectedStatus(expect_status)) {
      throw new Error(`${where} (${name}): "expect_status" must be a status (401) or "2xx", "4xx" or "5xx".`);
    }
    if (
      expect_finish_reason !== undefined &&
      (typeof expect_finish_reason !== "string" || expect_finish_reason === "")
    ) {
      throw new Error(`${where} (${name}): "expect_finish_reason" must be a finish_reason such as "tool_calls".`);
    }
    return {
      name,
      description,
      body: body as Record<string, unknown>,
      ...(api_key !== undefined && { api_key }),
      ...(expect_status !== undefined && { expect_status }),
      ...(expect_finish_reason !== undefined && { expect_finish_reason: String(expect_finish_reason) }),
    };
  });
}
