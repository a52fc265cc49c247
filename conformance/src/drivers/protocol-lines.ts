import { createRequire } from "node:module";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { truncate } from "../report/text.js";
import type { HelloMessage, ResultMessage } from "./protocol.js";

const protocolSchema = createRequire(import.meta.url)("../../driver-protocol.schema.json") as { $id: string };

let validators: Record<"hello" | "result" | "case", ValidateFunction> | undefined;

function validatorsFor(): NonNullable<typeof validators> {
  if (validators) return validators;
  // Formats are not checked: the one format in the schema is the runner's own base URL.
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
  ajv.addSchema(protocolSchema);
  const compile = (name: string) => ajv.compile({ $ref: `${protocolSchema.$id}#/$defs/${name}` });
  validators = { hello: compile("Hello"), result: compile("Result"), case: compile("Case") };
  return validators;
}

/** How much of a bad line a report quotes. */
const QUOTED_LINE_CHARS = 300;

/** A line as the report quotes it: cut, so that a megabyte of garbage does not fill it. */
function quoteLine(line: string): string {
  return JSON.stringify(truncate(line, QUOTED_LINE_CHARS));
}

export type DriverLine = { ok: true; message: HelloMessage | ResultMessage } | { ok: false; problem: string };

/** A line a driver printed, as a hello or a result; otherwise what makes it neither, the line quoted. */
export function readDriverLine(line: string): DriverLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, problem: `a line that is not JSON: ${quoteLine(line)}` };
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (type !== "hello" && type !== "result") {
    return { ok: false, problem: `a line whose "type" is neither "hello" nor "result": ${quoteLine(line)}` };
  }
  const validate = validatorsFor()[type];
  if (validate(value)) return { ok: true, message: value as HelloMessage | ResultMessage };
  return {
    ok: false,
    problem: `a ${type} line that breaks driver-protocol.schema.json (${schemaProblems(validate)}): ${quoteLine(line)}`,
  };
}

/** What makes `value` not a case line; empty when it is one (the runner's own lines, checked in tests). */
export function caseLineProblems(value: unknown): string {
  const validate = validatorsFor().case;
  return validate(value) ? "" : schemaProblems(validate);
}

function schemaProblems(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 3)
    .map((error) => {
      const detail = error.params.additionalProperty ?? error.params.allowedValues ?? error.params.missingProperty;
      return `${error.instancePath || "/"} ${error.message ?? "is invalid"}${detail === undefined ? "" : ` (${JSON.stringify(detail)})`}`;
    })
    .join("; ");
}
