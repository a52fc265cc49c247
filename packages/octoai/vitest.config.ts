import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "@chatwire/octoai",
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
  },
});
