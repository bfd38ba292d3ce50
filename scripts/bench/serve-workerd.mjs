// Serves one Worker from a single workerd process, the way `wrangler dev` runs it internally but
// without wrangler's proxy workerd in front (under `wrangler dev` every request crosses two workerd
// processes). Run with the project's Node 22:
//   node serve-workerd.mjs <wrangler.toml> <bundle dir> <port> <env file> <persist dir>
// The bundle is `wrangler deploy --dry-run --outdir` output, so the code served is exactly what a
// deploy uploads; bindings, assets and routing come from the same wrangler.toml through wrangler's
// own translation (unstable_getMiniflareWorkerOptions). Prints "ready" once it answers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const [config, bundleDir, port, envFile, persist] = process.argv.slice(2);
const vars = Object.fromEntries(
  readFileSync(envFile, "utf8")
    .split("\n")
    .filter((line) => line.includes("="))
    .map((line) => {
      const at = line.indexOf("=");
      return [line.slice(0, at), JSON.parse(line.slice(at + 1))];
    }),
);
const {
  rootPath,
  modulesRules: _rules,
  ...workerOptions
} = unstable_getMiniflareWorkerOptions(config).workerOptions;
// Miniflare 5 takes its own options shape; wrangler converts its v4-shaped options the same way.
const mf = new Miniflare(
  convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: Number(port),
    rootPath,
    defaultPersistRoot: persist,
    // BENCH_INSPECTOR_PORT opens DevTools on the isolate, for a CPU profile (scripts/bench/profile.ts).
    ...(process.env.BENCH_INSPECTOR_PORT ? { inspectorPort: Number(process.env.BENCH_INSPECTOR_PORT) } : {}),
    workers: [
      {
        name: "worker",
        ...workerOptions,
        bindings: { ...(workerOptions.bindings ?? {}), ...vars },
        modules: true,
        modulesRoot: bundleDir,
        scriptPath: join(bundleDir, "index.js"),
      },
    ],
  }),
);
await mf.ready;
console.log("ready");
const stop = async () => {
  await mf.dispose();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
