import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "workers/**/*.test.ts"],
    // The fault suite runs on its own (`npm run test:faults`): minutes of outages, one stack each.
    exclude: ["tests/faults/**", "**/node_modules/**"],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // expect.poll waits up to 1 s by default: under CI load on two cores a debounced preview or a
    // queue round trip can take longer. A poll that passes returns at once, so only failures wait.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    // Two cores: the Worker runtime and the database need one of them.
    maxWorkers: 2,
    // Each worker imports the support code, the Worker's modules and playwright-core once, not once
    // per file: the imports were 140 s of a 780 s pass. No suite mocks modules or globals.
    isolate: false,
    reporters: ["default"],
  },
});
