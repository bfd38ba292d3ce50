import { defineConfig } from "vitest/config";

// The mail library's Node-side suites, without the global setup that starts a Worker stack:
// `vitest run tests/mail/dkim.test.ts --config tests/mail/vitest.mail.config.ts`.
export default defineConfig({
  test: {
    include: ["tests/mail/**/*.test.ts"],
    testTimeout: 30_000,
    reporters: ["default"],
  },
});
