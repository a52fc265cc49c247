import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { helpText } from "./help.js";
import { OPTIONS } from "./options.js";

describe("helpText", () => {
  const lines = helpText().split("\n");

  it("starts with the usage and has one line per option with its spellings, meaning, default and variable", () => {
    expect(lines[0]).toBe("Usage: chatwire-server [options]");
    for (const spec of OPTIONS) {
      const matching = lines.filter((line) => line.startsWith(`  ${spec.flags.join(", ")}`));
      expect(matching, spec.flags[0]).toHaveLength(1);
      const line = matching[0] as string;
      expect(line).toContain(spec.meaning);
      if (spec.shownDefault) expect(line).toContain(`default: ${spec.shownDefault}`);
      if (spec.env) expect(line).toContain(`env: ${spec.env}`);
    }
  });

  it("has notes on the environment, the key and the aliases", () => {
    const notes = lines.slice(lines.indexOf("Notes:"));
    expect(notes.join("\n")).toContain("keeps the key out of ps");
    expect(notes.join("\n")).toContain("the command line wins");
    expect(notes.join("\n")).toContain("-m, -t, -np, -c, --ctx-size");
    expect(notes.join("\n")).toContain("log_prompt is accepted and has no effect");
  });

  it("is what the README's command-line section shows", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`text\n${helpText()}\`\`\``);
  });
});
