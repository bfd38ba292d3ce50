import { defineConfig } from "vitest/config";

/**
 * The fault suite (`npm run test:faults`): each file starts a stack of its own and breaks a part
 * of it (the database, the relay, the Worker process, the queue's delivery order). One file at a
 * time: the faults are timed, and two cores are shared with the Worker and the database.
 */
export default defineConfig({
  test: {
    include: ["tests/faults/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    expect: { poll: { timeout: 30_000, interval: 200 } },
    reporters: ["default"],
  },
});
