/**
 * `npm test`: type-check, lint, build the dashboard, then every test suite against a real
 * database (embedded PGlite, or fresh databases on the server of DATABASE_URL) and the Worker in
 * workerd. Ends with the totals on a line of their own: `N passed, N failed`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib/worker";

const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
const run = (label: string, cmd: string, args: string[]) => {
  console.log(`\n▶ ${label}`);
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", env: process.env });
  return res.status === 0;
};

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
const report = join(ROOT, ".test-tmp/vitest-report.json");
rmSync(report, { force: true });
const extra = process.argv.slice(2);
run("vitest", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...extra,
]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  passed = r.numPassedTests;
  failed = r.numFailedTests + r.numFailedTestSuites;
  skipped = r.numPendingTests + r.numTodoTests;
} else {
  failed += 1;
  console.error("vitest wrote no report: counting the run as failed");
}
// Type-check, lint and build count as one test each.
passed += checks.length - failedChecks.length;
failed += failedChecks.length;
if (failedChecks.length) console.error(`failed checks: ${failedChecks.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
