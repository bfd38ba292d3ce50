import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT } from "./worker";

export const bin = (name: string) => join(ROOT, "node_modules/.bin", name);

/** Runs a command in the project, output inherited; true when it exited 0. */
export function runStep(label: string, cmd: string, args: string[]): boolean {
  console.log(`\n▶ ${label}`);
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", env: process.env });
  return res.status === 0;
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Runs vitest with a JSON report beside the usual output and returns the totals from the report
 * (a failed file counts as a failure; no report at all counts as one).
 */
export function runVitest(name: string, args: string[]): Totals {
  const report = join(ROOT, `.test-tmp/${name}-report.json`);
  mkdirSync(dirname(report), { recursive: true });
  rmSync(report, { force: true });
  runStep(name, bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...args,
  ]);
  if (!existsSync(report)) {
    console.error("vitest wrote no report: counting the run as failed");
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const r = JSON.parse(readFileSync(report, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + r.numFailedTestSuites,
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

/** The last line of every test command: `N passed, N failed` (and skipped, when any). */
export function printTotals(t: Totals): never {
  console.log(`\n${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ""}`);
  process.exit(t.failed > 0 ? 1 : 0);
}
