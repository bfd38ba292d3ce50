/**
 * `npm run test:faults`: the fault suite (tests/faults). Each file starts its own stack on the
 * embedded PGlite or on DATABASE_URL's server and breaks one part of it: the database for 30 s,
 * the relay, the Worker process (SIGKILL), the queue's delivery (twice, out of order). Like
 * `npm test`, it ends with the secret scan of everything the stacks logged and answered, and with
 * `N passed, N failed`.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CAPTURE_ENV } from "./lib/secret-scan";
import { bin, printTotals, runStep, runVitest } from "./lib/vitest-run";
import { ROOT } from "./lib/worker";

const built = runStep("build dashboard", bin("tsx"), ["scripts/build-dashboard.ts"]);
console.log(
  `\n▶ fault suite (database: ${process.env.DATABASE_URL ? "Postgres at DATABASE_URL" : "embedded PGlite"})`,
);
const capture = join(ROOT, ".test-tmp/capture-faults");
rmSync(capture, { recursive: true, force: true });
mkdirSync(capture, { recursive: true });
process.env[CAPTURE_ENV] = capture;
const totals = runVitest("faults", [
  "--config",
  "tests/faults/vitest.faults.config.ts",
  ...process.argv.slice(2),
]);
const scanned = runStep("secret scan", bin("tsx"), ["scripts/scan-secrets.ts", capture]);
for (const ok of [built, scanned]) {
  if (ok) totals.passed++;
  else totals.failed++;
}
printTotals(totals);
