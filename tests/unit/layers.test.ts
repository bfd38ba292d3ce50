import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Imports point one way: entry points (api, http, public, inbound, jobs, track, objects) above the
 * domain, the domain above the libraries it uses (mail, bounce, contract), those above lib, and
 * everything above schema. Inside the domain, campaigns, workflows and analytics sit above
 * sending, sending above bounces and content, those above audience, audience above tracking, and
 * all of them above the platform modules (settings, audit, actor, pagination, users...). The
 * dashboard reads the contract only. A new import against these arrows fails here, naming the
 * file and the line.
 */

const ROOT = join(import.meta.dirname, "../..");

/** Rank of a workers/ path: a file may import its own rank or lower. */
function workersRank(path: string): number | null {
  const [top = "", sub = ""] = path.split("/").slice(1);
  if (top === "index.ts") return 90;
  if (top === "env.ts") return null; // the bindings' types: importable from anywhere
  const entry = ["api", "http", "public", "inbound", "jobs", "track", "objects"];
  if (entry.includes(top)) return 80;
  if (top === "domain") return 20 + domainRank(sub.replace(/\.ts$/, ""));
  if (["mail", "bounce", "contract"].includes(top)) return 10;
  if (top === "lib") return 5;
  return null;
}

/** Inside the domain: what each module may lean on. */
function domainRank(module: string): number {
  const order: Record<string, number> = {
    campaigns: 7,
    workflows: 7,
    analytics: 7,
    maintenance: 7,
    sending: 6,
    bounces: 5,
    content: 5,
    audience: 4,
    tracking: 3,
  };
  return order[module] ?? 1;
}

function rank(path: string): number | null {
  if (path.startsWith("schema/")) return 0;
  if (path.startsWith("workers/")) return workersRank(path);
  return null;
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(name) && !name.endsWith(".test.ts")) yield path;
  }
}

const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gm;

function imports(path: string): { target: string; line: number }[] {
  const text = readFileSync(join(ROOT, path), "utf8");
  const found: { target: string; line: number }[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const target = normalize(join(dirname(path), m[1] ?? ""));
    found.push({ target, line: text.slice(0, m.index).split("\n").length });
  }
  return found;
}

describe("layers", () => {
  it("has no import from a lower layer to a higher one in workers/ and schema/", () => {
    const wrong: string[] = [];
    for (const dir of ["workers", "schema"]) {
      for (const file of sources(dir)) {
        const from = rank(file);
        if (from === null) continue;
        for (const { target, line } of imports(file)) {
          const to = rank(target);
          if (to !== null && to > from)
            wrong.push(`${file}:${line} imports ${relative(ROOT, join(ROOT, target))}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("lets the dashboard import only the contract (and schema enums) from the Worker's code", () => {
    const wrong: string[] = [];
    for (const file of sources("dashboard/src")) {
      for (const { target, line } of imports(file)) {
        if (target.startsWith("workers/") && !target.startsWith("workers/contract/"))
          wrong.push(`${file}:${line} imports ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("catches a wrong import (the rule itself is checked)", () => {
    expect(rank("workers/domain/sending/ledger.ts")).toBeGreaterThan(
      rank("workers/mail/smtp/client.ts") ?? 99,
    );
    expect(rank("workers/http/route.ts")).toBeGreaterThan(
      rank("workers/domain/campaigns/lifecycle.ts") ?? 99,
    );
    expect(rank("workers/domain/sending/ledger.ts")).toBeLessThan(
      rank("workers/domain/campaigns/campaigns.ts") ?? 0,
    );
    expect(rank("workers/domain/sending/ledger.ts")).toBeLessThan(
      rank("workers/domain/workflows/validate.ts") ?? 0,
    );
    expect(rank("workers/domain/settings.ts")).toBeLessThan(rank("workers/domain/tracking/ingest.ts") ?? 0);
  });
});
