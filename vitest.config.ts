import { defineConfig } from "vitest/config";

// One place to run every package's tests together (`npm run test:watch`); `npm test` runs them per package through turbo.
export default defineConfig({
  test: {
    projects: ["*/vitest.config.ts", "packages/*/vitest.config.ts"],
  },
});
