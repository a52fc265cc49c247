import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "@chatwire/predictionguard",
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
  },
});
