import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { spec } from "./spec-document.js";

/** One way a value misses a schema: where (a JSON pointer into the value) and what. */
export interface SchemaProblem {
  /** JSON pointer of the offending value; for a missing property, of the property that is missing. */
  path: string;
  message: string;
}

let specAjv: Ajv2020 | undefined;
const specValidators = new Map<string, ValidateFunction>();

function problemsOf(errors: ErrorObject[] | null | undefined): SchemaProblem[] {
  return (errors ?? []).map((error) => {
    const missing = error.keyword === "required" ? (error.params as { missingProperty?: string }).missingProperty : "";
    return {
      path: missing ? `${error.instancePath}/${missing}` : error.instancePath,
      message: error.message ?? "is invalid",
    };
  });
}

/**
 * The validator of one `$defs` entry of the spec, e.g. `ChatCompletionChunk`. Compiled once per
 * process: the spec is large and every chunk of every probe goes through it.
 */
export function specValidator(defName: string): (value: unknown) => SchemaProblem[] {
  if (!(defName in spec.$defs)) throw new Error(`the spec has no $defs entry "${defName}"`);
  let validate = specValidators.get(defName);
  if (!validate) {
    // Not strict: validation must judge backends, not police the spec's own annotations.
    specAjv ??= new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true }).addSchema(spec);
    validate = specAjv.compile({ $ref: `${spec.$id}#/$defs/${defName}` });
    specValidators.set(defName, validate);
  }
  const compiled = validate;
  return (value) => (compiled(value) ? [] : problemsOf(compiled.errors));
}

/** Validates `value` against a schema the checks sent (the `response_format` schema). */
export function validateAgainst(schema: object, value: unknown): SchemaProblem[] {
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  return validate(value) ? [] : problemsOf(validate.errors);
}

/** Problems in one line: `/choices/0/index must be integer; ...`. */
export function describeProblems(problems: readonly SchemaProblem[], limit = 3): string {
  const shown = problems.slice(0, limit).map((problem) => `${problem.path || "/"} ${problem.message}`);
  const more = problems.length > limit ? ` (and ${problems.length - limit} more)` : "";
  return `${shown.join("; ")}${more}`;
}
