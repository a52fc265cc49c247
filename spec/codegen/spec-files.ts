import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { SPEC_FILE, specRoot } from "../src/spec-root.js";
import type { SchemaNode } from "./schema-walk.js";

// The root finder lives with the published part of the package (src/), which must not load ajv.
export { SPEC_FILE, specRoot };
export const DIALECTS_FILE = "dialects.json";
const DIALECTS_SCHEMA_FILE = "dialects.schema.json";

export interface ChatSpec extends SchemaNode {
  $id: string;
  description: string;
  $defs: Record<string, SchemaNode>;
}

interface Dialect {
  id: string;
  name: string;
  package: string;
  base_url: string;
  base_url_env: { name: string; chat_path?: string }[];
  chat_path: string;
  auth: { header: string; scheme: string };
  api_key_env: string;
  schemas: { request: string; response: string; chunk: string; error: string };
  model_list_paths: string[];
  max_tokens_fields: string[];
  completion_logprobs: boolean;
  prompt_logprobs: boolean;
  stream: {
    done_sentinel: string | null;
    usage_placement: string;
    error_shape: string;
    options_require_stream: boolean;
    choice_logprobs: string;
    logprobs_always: boolean;
    generated_text: boolean;
    usage_on_other_chunks: string;
    notes: string;
  };
}

export interface DialectFile {
  dialects: Dialect[];
}

function readJson(root: string, file: string): unknown {
  const path = join(root, file);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not readable JSON: ${(error as Error).message}`);
  }
}

function describeAjvErrors(errors: Ajv2020["errors"]): string {
  return (errors ?? []).map((e) => `  ${e.instancePath || "/"} ${e.message ?? "is invalid"}`).join("\n");
}

/**
 * Reads the spec and the dialect table, and refuses to go on unless both are well-formed: the spec
 * must be a valid 2020-12 schema, and every dialect must name schemas that exist in it.
 */
export function loadSpecFiles(root: string = specRoot()): { spec: ChatSpec; dialects: DialectFile } {
  const spec = readJson(root, SPEC_FILE) as ChatSpec;
  const dialects = readJson(root, DIALECTS_FILE) as DialectFile;

  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  try {
    ajv.compile(spec);
  } catch (error) {
    throw new Error(`${SPEC_FILE} is not a valid JSON Schema 2020-12 document: ${(error as Error).message}`);
  }
  const checkDialects = ajv.compile(readJson(root, DIALECTS_SCHEMA_FILE) as SchemaNode);
  if (!checkDialects(dialects)) {
    throw new Error(
      `${DIALECTS_FILE} does not match ${DIALECTS_SCHEMA_FILE}:\n${describeAjvErrors(checkDialects.errors)}`,
    );
  }
  for (const dialect of dialects.dialects) {
    for (const [role, defName] of Object.entries(dialect.schemas)) {
      if (!(defName in spec.$defs)) {
        throw new Error(
          `${DIALECTS_FILE}: dialect "${dialect.id}" names ${role} schema "${defName}", which is not in ${SPEC_FILE} $defs`,
        );
      }
    }
  }
  return { spec, dialects };
}

/** The `$defs` name a local reference points at. */
export function refTarget(ref: string): string {
  const match = /^#\/\$defs\/([A-Za-z0-9_]+)$/.exec(ref);
  if (!match?.[1]) throw new Error(`unsupported $ref "${ref}": the spec only references its own $defs (#/$defs/Name)`);
  return match[1];
}
