/**
 * `npm test`: type-check, lint, build the dashboard, then every test suite against a real
 * database (embedded PGlite, or fresh databases on the server of DATABASE_URL) and the Worker in
 * workerd, then the secret scan of everything the suites captured. Ends with the totals on a line
 * of their own: `N passed, N failed`.
 */
import { existsSync } from "node:fs";
import { bin, printTotals, runStep as run, runVitest } from "./lib/vitest-run";

/**
 * Incremental: the build info under .test-tmp lets a second run over the same sources (CI's
 * Postgres pass after its PGlite pass) check again in about 2 s instead of 7-10 s per project.
 */
const typecheck = (project: string, info: string) => [
  "-p",
  project,
  "--incremental",
  "--tsBuildInfoFile",
  `.test-tmp/tsc-${info}.tsbuildinfo`,
];
const checks: Array<[string, boolean]> = [];
checks.push([
  "typecheck",
  run("typecheck", bin("tsc"), typecheck("tsconfig.json", "root")) &&
    run("typecheck dashboard", bin("tsc"), typecheck("dashboard/tsconfig.json", "dashboard")),
]);
checks.push(["lint", run("lint", bin("biome"), ["check", "."])]);
checks.push(["build", run("build dashboard", bin("tsx"), ["scripts/build-dashboard.ts"])]);

console.log(
  `\n▶ tests (database: ${process.env.DATABASE_URL ? "Postgres at DATABASE_URL" : "embedded PGlite"})`,
);
if (!existsSync("/usr/bin/chromium") && !process.env.CHROMIUM_PATH) {
  console.log("  note: Chromium not found at /usr/bin/chromium: browser tests will be SKIPPED");
}
const totals = runVitest("vitest", process.argv.slice(2));
// After every suite (all stacks stopped, their output flushed): no secret in any Worker log line
// or any answer the suites read (tests/support/capture.ts, scripts/lib/secret-scan.ts).
checks.push(["secret scan", run("secret scan", bin("tsx"), ["scripts/scan-secrets.ts"])]);
const failedChecks = checks.filter(([, ok]) => !ok).map(([name]) => name);
// Type-check, lint, build and the secret scan count as one test each.
totals.passed += checks.length - failedChecks.length;
totals.failed += failedChecks.length;
if (failedChecks.length) console.error(`failed checks: ${failedChecks.join(", ")}`);
printTotals(totals);
