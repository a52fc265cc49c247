import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "@chatwire/conformance",
    include: ["**/*.test.ts"],
    // Generous: CI runs every package's tests at once on two cores. Tests assert behaviour, never time.
    testTimeout: 30_000,
    exclude: ["**/node_modules/**", "**/dist/**"],
  },
});
