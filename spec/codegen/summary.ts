#!/usr/bin/env node
import { forEachSchemaNode } from "./schema-walk.js";
import { loadSpecFiles, SPEC_FILE } from "./spec-files.js";

/** Prints what the spec defines and each provider's wire facts: the quick look at what chatwire speaks. */
function main(): void {
  const { spec, dialects } = loadSpecFiles();
  const defNames = Object.keys(spec.$defs);
  let fields = 0;
  for (const def of Object.values(spec.$defs)) {
    forEachSchemaNode(def, (node) => {
      if (node.properties && typeof node.properties === "object") fields += Object.keys(node.properties).length;
    });
  }
  const lines = [
    `chatwire spec (${SPEC_FILE}): ${defNames.length} types, ${fields} fields`,
    `  ${defNames.join(", ")}`,
    "",
    "dialects:",
  ];
  for (const d of dialects.dialects) {
    lines.push(
      `  ${d.name} (${d.package})`,
      `    POST ${d.base_url}${d.chat_path}   key: $${d.api_key_env}${d.base_url_env ? `   base URL: $${d.base_url_env}` : ""}`,
      `    request ${d.schemas.request}, response ${d.schemas.response}, chunk ${d.schemas.chunk}, error ${d.schemas.error}`,
      `    stream: done=${JSON.stringify(d.stream.done_sentinel)}, usage=${d.stream.usage_placement}, errors=${d.stream.error_shape}`,
    );
  }
  console.log(lines.join("\n"));
}

main();
