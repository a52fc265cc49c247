import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// A module hook that refuses to load zod or the validators: importing the SDK and creating a client
// must not need them (they are most of a cold start), while the first validated call must load them.
// In Node that is one pre-bundled file; zod's own modules (every locale with them) never load.
const refuseZod = `export async function load(url, context, next) {
  if (url.includes("/node_modules/zod/")) throw new Error("zod was loaded: " + url);
  if (url.endsWith("/generated/schemas.node.js")) throw new Error("validators were loaded: " + url);
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
    // The first validated call is where the validators load, which the hook refuses: proof the hook
    // works. They come as one bundled file, with zod/mini inside, not as zod's own modules.
    expect(lines[2]).toMatch(/validators were loaded: \S*\/core\/dist\/generated\/schemas\.node\.js/);
  });
});
