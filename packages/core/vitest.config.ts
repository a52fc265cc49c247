import { defineProject } from "vitest/config";

export default defineProject({
  // The tests run the source: `#spec-schemas` is the generated module itself, not a built file.
  resolve: { alias: { "#spec-schemas": new URL("./src/generated/schemas.ts", import.meta.url).pathname } },
  test: {
    name: "@chatwire/core",
    include: ["**/*.test.ts"],
    // Generous: CI runs every package's tests at once on two cores. Tests assert behaviour, never time.
    testTimeout: 30_000,
    exclude: ["**/node_modules/**", "**/dist/**"],
  },
});
