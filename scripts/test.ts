/**
 * `npm test`: type-check, lint, build the dashboard, then every test suite against a real
 * database (embedded PGlite, or fresh databases on the server of DATABASE_URL) and the Worker in
 * workerd. Ends with the totals on a line of their own: `N passed, N failed`.
 */
import { existsSync } from "node:fs";
import { bin, printTotals, runStep as run, runVitest } from "./lib/vitest-run";

const checks: Array<[string, boolean]> = [];
checks.push([
  "typecheck",
  run("typecheck", bin("tsc"), ["-p", "tsconfig.json"]) &&
    run("typecheck dashboard", bin("tsc"), ["-p", "dashboard/tsconfig.json"]),
]);
checks.push(["lint", run("lint", bin("biome"), ["check", "."])]);
checks.push(["build", run("build dashboard", bin("tsx"), ["scripts/build-dashboard.ts"])]);
const failedChecks = checks.filter(([, ok]) => !ok).map(([name]) => name);

console.log(
  `\n▶ tests (database: ${process.env.DATABASE_URL ? "Postgres at DATABASE_URL" : "embedded PGlite"})`,
);
if (!existsSync("/usr/bin/chromium") && !process.env.CHROMIUM_PATH) {
  console.log("  note: Chromium not found at /usr/bin/chromium: browser tests will be SKIPPED");
}
const totals = runVitest("vitest", process.argv.slice(2));
// Type-check, lint and build count as one test each.
totals.passed += checks.length - failedChecks.length;
totals.failed += failedChecks.length;
if (failedChecks.length) console.error(`failed checks: ${failedChecks.join(", ")}`);
printTotals(totals);
