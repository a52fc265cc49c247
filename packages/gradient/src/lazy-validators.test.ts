import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// A module hook that refuses to load zod: importing the SDK and creating a client must not need it
// (it is most of a cold start), while the first validated call must load it.
const refuseZod = `export async function load(url, context, next) {
  if (url.includes("/node_modules/zod/")) throw new Error("zod was loaded: " + url);
  return next(url, context);
}`;
const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(refuseZod)}`)});`;

const script = `
const { Gradient } = await import("@chatwire/gradient");
const fetch = async () => new Response("{}", { headers: { "content-type": "application/json" } });
const client = new Gradient({ apiKey: "key", baseURL: "http://127.0.0.1:9", fetch, maxRetries: 0 });
console.log("client created");
await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }, { validation: "off" });
console.log("call without validation done");
await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] }).catch((error) => console.log(error.message));
`;

describe("validators load lazily", () => {
  it("imports the SDK, creates a client and calls with validation off without loading zod", () => {
    const result = spawnSync(
      process.execPath,
      ["--import", `data:text/javascript,${encodeURIComponent(register)}`, "--input-type=module", "-e", script],
      { cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8" },
    );
    const lines = result.stdout.trim().split("\n");
    expect(lines.slice(0, 2), result.stderr).toEqual(["client created", "call without validation done"]);
    // The first validated call is where zod loads, which the hook refuses: proof the hook works.
    // It is zod/mini (and its English messages) that loads, never classic zod.
    expect(lines[2]).toMatch(/zod was loaded: \S*\/node_modules\/zod\/(mini|locales)\/index\.js/);
  });
});
