import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "workers/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Two cores: the Worker runtime and the database need one of them.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
