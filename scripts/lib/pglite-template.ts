import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { MIGRATIONS_DIR } from "./migrate";

const ROOT = new URL("../..", import.meta.url).pathname;
const DIR = join(ROOT, ".test-tmp");

/** A digest of every migration, so a changed or added migration makes a new template. */
function migrationsDigest(): string {
  const hash = createHash("sha256");
  const files = readdirSync(MIGRATIONS_DIR, { recursive: true, encoding: "utf8" }).sort();
  for (const name of files.filter((f) => f.endsWith(".sql") || f.endsWith(".json"))) {
    hash.update(name).update(readFileSync(join(MIGRATIONS_DIR, name)));
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * A dump (gzip tar of the data directory) of a PGlite database with every migration applied,
 * made once per set of migrations and kept under .test-tmp. Starting a test database from it
 * skips PGlite's initdb (10-19 s of CPU on this machine) and the migrations: about 4 s instead.
 * Racing makers each write their own file and rename it into place; any of them is right.
 */
export async function pgliteTemplate(): Promise<string> {
  const path = join(DIR, `pglite-template-${migrationsDigest()}.tgz`);
  if (existsSync(path)) return path;
  mkdirSync(DIR, { recursive: true });
  const db = await PGlite.create("memory://");
  try {
    await migrate(drizzle({ client: db }), { migrationsFolder: MIGRATIONS_DIR });
    const dump = await db.dumpDataDir("gzip");
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    await db.close();
  }
  for (const old of readdirSync(DIR).filter(
    (f) => f.startsWith("pglite-template-") && join(DIR, f) !== path,
  )) {
    if (!old.endsWith(".partial")) rmSync(join(DIR, old), { force: true });
  }
  return path;
}
