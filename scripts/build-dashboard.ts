/**
 * Builds the dashboard into dashboard/dist, with the API reference's script vendored in so that
 * /api/docs works without reaching a CDN.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT } from "./lib/worker";

const require = createRequire(import.meta.url);
const vendor = join(ROOT, "dashboard/public/vendor");
mkdirSync(vendor, { recursive: true });
copyFileSync(require.resolve("@scalar/api-reference/browser/standalone.js"), join(vendor, "scalar.js"));

const vite = join(ROOT, "node_modules/vite/bin/vite.js");
const res = spawnSync(
  process.execPath,
  [vite, "build", "--config", join(ROOT, "dashboard/vite.config.ts"), "--logLevel", "warn"],
  {
    cwd: ROOT,
    stdio: "inherit",
  },
);
process.exit(res.status ?? 1);
