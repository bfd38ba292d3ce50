/**
 * `npm run bench [name…]`: speed and memory figures, each beside a baseline measured in the same
 * run. Prints one JSON line per figure and writes them all to bench-results.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { apiAuth } from "./bench/api-auth";
import { builderBench } from "./bench/builder";
import { campaignBench } from "./bench/campaign";
import type { Bench, Figure } from "./bench/harness";
import { importBench } from "./bench/import";
import { pgliteWire } from "./bench/pglite-wire";
import { renderBench } from "./bench/render";
import { reportBench } from "./bench/report";
import { segmentPreviewBench } from "./bench/segment-preview";
import { trackingHttp, trackingIngest, trackingSign } from "./bench/tracking";
import { workflowsBench } from "./bench/workflows";
import { ROOT } from "./lib/worker";

const BENCHES: Record<string, Bench> = {
  "pglite-wire": pgliteWire,
  "api-auth": apiAuth,
  "segment-preview": segmentPreviewBench,
  import: importBench,
  render: renderBench,
  campaign: campaignBench,
  tracking: trackingHttp,
  "tracking-ingest": trackingIngest,
  "tracking-sign": trackingSign,
  report: reportBench,
  workflows: workflowsBench,
  builder: builderBench,
};

/**
 * Benches whose target is "on one core" run in a child pinned to CPU 0 with taskset, so WebCrypto's
 * worker threads share that core too (unpinned, Node's RSA runs on the other core for free).
 */
const ONE_CORE = new Set(["render"]);

/** Runs one bench pinned to CPU 0 and returns its figures (its JSON lines). */
function runPinned(name: string): Figure[] {
  const res = spawnSync(
    "taskset",
    ["-c", "0", process.execPath, "--import", "tsx", join(ROOT, "scripts/bench.ts"), name],
    {
      env: { ...process.env, BENCH_PINNED: "1" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  if (res.status !== 0) throw new Error(`${name} (pinned to one core) failed`);
  return res.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Figure);
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !BENCHES[n]);
if (unknown.length) {
  console.error(`unknown bench: ${unknown.join(", ")}; available: ${Object.keys(BENCHES).join(", ")}`);
  process.exit(2);
}
console.error(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`);
const results: Figure[] = [];
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  console.error(`running ${name}…`);
  const pin = ONE_CORE.has(name) && !process.env.BENCH_PINNED && existsSync("/usr/bin/taskset");
  for (const fig of pin ? runPinned(name) : await (BENCHES[name] as Bench)()) {
    console.log(JSON.stringify(fig));
    results.push(fig);
  }
}
// A pinned child's run writes nothing: its parent collects the figures and writes the file.
if (!process.env.BENCH_PINNED)
  writeFileSync(join(ROOT, "bench-results.json"), `${JSON.stringify(results, null, 2)}\n`);
