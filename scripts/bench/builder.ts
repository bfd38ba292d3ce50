import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mjml2html from "mjml-browser";
import { BlockDocumentSchema } from "../../workers/contract/blocks";
import { blocksToMjml } from "../../workers/contract/blocks-mjml";
import { compileBlocks } from "../../workers/mail/template/mjml";
import { ROOT } from "../lib/worker";
import { sixtyBlockDocument } from "./builder-fixture";
import { type Bench, figure } from "./harness";

const RUNS = Number(process.env.BENCH_BUILDER_RUNS ?? 20);
const CLI_RUNS = Number(process.env.BENCH_BUILDER_CLI_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function timeEach(runs: number, op: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await op();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * The block builder's compile of a 60-block newsletter: our path (validate, blocks -> MJML, then
 * mjml-browser, exactly what the Worker runs on save) beside MJML's own CLI (`mjml file.mjml -s`,
 * one process per compile, as a build step would run it) on the same .mjml, and beside MJML's Node
 * API in process (the same compiler without the process start).
 */
export const builderBench: Bench = async () => {
  const doc = BlockDocumentSchema.parse(sixtyBlockDocument());
  const source = blocksToMjml(doc);
  const dir = mkdtempSync(join(tmpdir(), "bench-builder-"));
  try {
    const file = join(dir, "newsletter.mjml");
    writeFileSync(file, source);
    const coldStart = performance.now();
    const html = await compileBlocks(doc);
    const cold = performance.now() - coldStart;
    const ours = median(await timeEach(RUNS, () => compileBlocks(doc)));
    const generatorOnly = median(
      await timeEach(RUNS, () => blocksToMjml(BlockDocumentSchema.parse(sixtyBlockDocument()))),
    );
    const cli = join(ROOT, "node_modules/.bin/mjml");
    const theirs = median(
      await timeEach(CLI_RUNS, () => {
        const r = spawnSync(cli, [file, "-s"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        if (r.status !== 0 || !r.stdout.includes("Story 13")) throw new Error(`mjml CLI failed: ${r.stderr}`);
      }),
    );
    const { default: mjmlNode } = (await import("mjml")) as {
      default: (s: string) => Promise<{ html: string }>;
    };
    await mjmlNode(source);
    const node = median(await timeEach(RUNS, () => mjmlNode(source)));
    const browserOnly = median(await timeEach(RUNS, () => mjml2html(source, { validationLevel: "soft" })));
    console.error(
      `builder: 60 blocks -> ${source.length} B of MJML -> ${html.length} B of HTML; first compile ${cold.toFixed(0)} ms`,
    );
    return [
      figure(
        "builder: compile 60 blocks, ours (ms, lower is better)",
        ours,
        "ms",
        "mjml CLI, same .mjml (process per file)",
        theirs,
      ),
      figure(
        "builder: compile 60 blocks, ours (ms, lower is better)",
        ours,
        "ms",
        "mjml Node API in process",
        node,
      ),
      figure(
        "builder: mjml-browser alone (ms, lower is better)",
        browserOnly,
        "ms",
        "mjml Node API in process",
        node,
      ),
      figure("builder: blocks -> MJML generator alone (ms)", generatorOnly, "ms", "the whole compile", ours),
      figure("builder: first compile in a fresh process (ms)", cold, "ms", "warm compile", ours),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
