import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Folders no build reads from: outputs, dependencies, vendored copies. */
const SKIP = new Set(["dist", "node_modules", "vendor"]);

/**
 * A hash of every file under `inputs` (folders walked in name order, files as is; paths relative
 * to `root`), each file's path and content in it: a build whose hash is unchanged is up to date.
 * Missing inputs are left out.
 */
export function inputsHash(root: string, inputs: readonly string[]): string {
  const hash = createHash("sha256");
  const walk = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (!SKIP.has(name) && !name.startsWith(".dist-")) walk(join(path, name));
      }
      return;
    }
    hash.update(relative(root, path)).update("\0").update(readFileSync(path)).update("\0");
  };
  for (const input of inputs) {
    const path = join(root, input);
    if (existsSync(path)) walk(path);
  }
  return hash.digest("hex");
}
