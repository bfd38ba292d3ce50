/**
 * Builds the dashboard into dashboard/dist, with the API reference's script vendored in so that
 * /api/docs works without reaching a CDN. The build goes to a folder of its own and then takes
 * dist's place by rename: a Worker stack starting meanwhile (tests run beside the dev launcher,
 * which builds too) never finds dist missing or half written.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT } from "./lib/worker";

const require = createRequire(import.meta.url);
const vendor = join(ROOT, "dashboard/public/vendor");
mkdirSync(vendor, { recursive: true });
copyFileSync(require.resolve("@scalar/api-reference/browser/standalone.js"), join(vendor, "scalar.js"));

const dist = join(ROOT, "dashboard/dist");
const fresh = join(ROOT, `dashboard/.dist-${process.pid}`);
const stale = join(ROOT, `dashboard/.dist-old-${process.pid}`);
const vite = join(ROOT, "node_modules/vite/bin/vite.js");
const res = spawnSync(
  process.execPath,
  [
    vite,
    "build",
    "--config",
    join(ROOT, "dashboard/vite.config.ts"),
    "--outDir",
    fresh,
    "--emptyOutDir",
    "--logLevel",
    "warn",
  ],
  { cwd: ROOT, stdio: "inherit" },
);
if (res.status !== 0) {
  rmSync(fresh, { recursive: true, force: true });
  process.exit(res.status ?? 1);
}
if (existsSync(dist)) renameSync(dist, stale);
renameSync(fresh, dist);
rmSync(stale, { recursive: true, force: true });
