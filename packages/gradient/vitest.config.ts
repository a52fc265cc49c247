import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "@chatwire/gradient",
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
  },
});
