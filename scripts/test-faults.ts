/**
 * `npm run test:faults`: the fault suite (tests/faults). Each file starts its own stack on the
 * embedded PGlite or on DATABASE_URL's server and breaks one part of it: the database for 30 s,
 * the relay, the Worker process (SIGKILL), the queue's delivery (twice, out of order). Ends with
 * `N passed, N failed`.
 */
import { bin, printTotals, runStep, runVitest } from "./lib/vitest-run";

const built = runStep("build dashboard", bin("tsx"), ["scripts/build-dashboard.ts"]);
console.log(
  `\n▶ fault suite (database: ${process.env.DATABASE_URL ? "Postgres at DATABASE_URL" : "embedded PGlite"})`,
);
const totals = runVitest("faults", [
  "--config",
  "tests/faults/vitest.faults.config.ts",
  ...process.argv.slice(2),
]);
if (!built) totals.failed++;
printTotals(totals);
