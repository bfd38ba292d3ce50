import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The OpenAPI document as a contract for generated clients: built in Node (no wrangler) by
 * `npm run sdk:generate -- <tmp>` together with a fresh client, then held to Redocly's recommended
 * rules (no warning), to the house rules for operations (operationId, tag, summary, examples),
 * and compared with the committed `sdk/` so a stale client fails here.
 */

const ROOT = join(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
let dir: string;
let doc: Doc;

interface Doc {
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}
interface Schema {
  $ref?: string;
  example?: unknown;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}
interface Media {
  schema?: Schema;
  example?: unknown;
}
interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, op })),
  );

const resolve = (s: Schema | undefined) =>
  s?.$ref ? doc.components.schemas[s.$ref.replace("#/components/schemas/", "")] : s;

/**
 * A body's example: its own, or its schema's (through a $ref). A page (`pageOf`) is exemplified by
 * its item's example, which is how the docs render it: `{data: [item], nextCursor}`.
 */
const exampleOf = (m: Media): unknown => {
  const schema = resolve(m.schema);
  const item = resolve(schema?.properties?.data?.items);
  return m.example ?? schema?.example ?? (item?.example === undefined ? undefined : [item.example]);
};
/** Image uploads are bytes: JSON and CSV bodies are the ones an example can show. */
const hasText = (type: string) => type === "application/json" || type === "text/csv";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "edgepost-sdk-"));
  const run = spawnSync(process.execPath, [require.resolve("tsx/cli"), "scripts/sdk-generate.ts", dir], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`sdk:generate failed:\n${run.stdout}${run.stderr}`);
  doc = JSON.parse(readFileSync(join(dir, "openapi.json"), "utf8"));
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended rules with no warning", () => {
    const cli = join(dirname(require.resolve("@redocly/cli/package.json")), "bin/cli.js");
    const run = spawnSync(
      process.execPath,
      [cli, "lint", join(dir, "openapi.json"), "--config", join(ROOT, "redocly.yaml"), "--format", "json"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
      },
    );
    const report = JSON.parse(run.stdout) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} (${p.location[0]?.pointer})`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 120_000);

  it("names every operation with a unique camelCase verb+noun operationId", () => {
    const ids = operations().map(({ at, op }) => [at, op.operationId] as const);
    const bad = ids.filter(([, id]) => !/^[a-z]+(?:[A-Z][a-z0-9]*)+$/.test(id ?? ""));
    expect(bad).toEqual([]);
    const seen = ids.map(([, id]) => id);
    expect(seen.filter((id, i) => seen.indexOf(id) !== i)).toEqual([]);
  });

  it("gives every operation a summary and a tag described at the top level", () => {
    const described = new Set((doc.tags ?? []).filter((t) => t.description).map((t) => t.name));
    const bad = operations()
      .filter(({ op }) => !op.summary || !op.tags?.length || !op.tags.every((t) => described.has(t)))
      .map(({ at }) => at);
    expect(bad).toEqual([]);
  });

  it("has an example for every JSON or CSV request body and success answer", () => {
    const missing: string[] = [];
    for (const { at, op } of operations()) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        if (hasText(type) && exampleOf(media) === undefined) missing.push(`${at} request`);
      }
      for (const [status, res] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(res.content ?? {})) {
          if (status.startsWith("2") && hasText(type) && exampleOf(media) === undefined) {
            missing.push(`${at} ${status}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("the committed client (sdk/)", () => {
  const files = (root: string): string[] =>
    readdirSync(root).flatMap((name) => {
      const path = join(root, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
  const tree = (root: string) =>
    Object.fromEntries(files(root).map((f) => [relative(root, f), readFileSync(f, "utf8")]));

  it("is what `npm run sdk:generate` makes from the current document", () => {
    const fresh: Record<string, string> = {
      "openapi.json": readFileSync(join(dir, "openapi.json"), "utf8"),
      ...tree(join(dir, "src")),
    };
    const committed: Record<string, string> = {
      "openapi.json": readFileSync(join(ROOT, "sdk/openapi.json"), "utf8"),
      ...tree(join(ROOT, "sdk/src")),
    };
    const stale = Object.keys({ ...fresh, ...committed }).filter((f) => fresh[f] !== committed[f]);
    expect(stale, "sdk/ is stale: run `npm run sdk:generate`").toEqual([]);
  });
});
