import { defineConfig } from "vitest/config";

// Unit suites that need no Worker stack or database: no global setup.
export default defineConfig({
  test: {
    include: ["tests/unit/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
