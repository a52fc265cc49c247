import { defineProject } from "vitest/config";
export default defineProject({
  test: {
    name: "@chatwire/core",
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
  },
});
//# sourceMappingURL=vitest.config.js.map
