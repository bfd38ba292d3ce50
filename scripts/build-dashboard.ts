/**
 * Builds the dashboard into dashboard/dist, with the API reference's script vendored in so that
 * /api/docs works without reaching a CDN. The build goes to a folder of its own and then takes
 * dist's place by rename: a Worker stack starting meanwhile (tests run beside the dev launcher,
 * which builds too) never finds dist missing or half written.
 *
 * A build whose inputs (the dashboard's sources, the Worker code it imports, the lockfile) have
 * not changed since dist was built is skipped: CI builds once and its three parallel runs find
 * dist up to date instead of renaming it under each other's running stacks. `--force` builds anyway.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { inputsHash } from "./lib/digest";
import { ROOT } from "./lib/worker";

const require = createRequire(import.meta.url);
const dist = join(ROOT, "dashboard/dist");
const STAMP = ".build-inputs";

// Every file the build reads: the dashboard's sources, the Worker code it imports, the lockfile, this script.
const inputs = inputsHash(ROOT, ["dashboard", "workers", "package-lock.json", "scripts/build-dashboard.ts"]);
const stamp = join(dist, STAMP);
if (!process.argv.includes("--force") && existsSync(stamp) && readFileSync(stamp, "utf8") === inputs) {
  console.log("dashboard/dist is up to date with its sources");
  process.exit(0);
}

const vendor = join(ROOT, "dashboard/public/vendor");
mkdirSync(vendor, { recursive: true });
const scalar = require.resolve("@scalar/api-reference/browser/standalone.js");
const vendored = join(vendor, "scalar.js");
// Copied only when it differs: a copy truncates first, and a parallel build could read it half written.
if (!existsSync(vendored) || statSync(vendored).size !== statSync(scalar).size)
  copyFileSync(scalar, vendored);

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
writeFileSync(join(fresh, STAMP), inputs);
if (existsSync(dist)) renameSync(dist, stale);
renameSync(fresh, dist);
rmSync(stale, { recursive: true, force: true });
