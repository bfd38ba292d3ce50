import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { captureResponse } from "../support/capture";
import { type DnsDouble, startDnsDouble } from "../support/dns-double";
import { fuzzFixtures, importFinished } from "../support/fuzz/fixtures";
import { type Doc, type Fixtures, mismatch, type Operation, operationsOf } from "../support/fuzz/schema";
import { prng } from "../support/fuzz/values";
import { type Variant, variantsOf } from "../support/fuzz/variants";
import { changes, type Snapshot, watchWrites } from "../support/fuzz/writes";
import { type Stack, startStack } from "../support/stack";

/**
 * Schema-driven fuzzing: every operation of the served OpenAPI document gets hostile variants of
 * its body, path ids and query (wrong types, huge and hostile unicode strings, 10,000-deep
 * nesting, edge numbers, bad ids and cursors). Each answer must be a 4xx in the error envelope
 * (or a proper success), never a 5xx or a hang; and a refused request must write nothing: no
 * audit row with its request id, no change to the row counts or update times of the main tables.
 *
 * The run has a stack of its own so that those counts move only for its own requests. The PRNG
 * seed is printed; FUZZ_SEED=<n> replays a run (variant choice and random strings alike).
 */

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/**
 * Sampled per-property and query variants per operation, on top of the fixed ones. Each run draws
 * a new seed, so runs add up; 10 keeps the suite's biggest file near 2 minutes on two cores (24
 * took 215-240 s, a fifth of a CI pass). FUZZ_BUDGET=24 or more for a deeper run.
 */
const BUDGET = Number(process.env.FUZZ_BUDGET ?? 10);
const REQUEST_TIMEOUT_MS = 20_000;
/** Refusals audited on purpose: failed sign-ins are security events. */
const AUDITED_REFUSALS = ["auth.login_failed", "auth.account_limited", "auth.refresh_reuse"];
/**
 * A transactional send is recorded before it is tried; one that then fails is answered 422 with
 * its `sendId` (GET /transactional/{id} shows why). That answer reports a write, it is no refusal.
 */
const recordedSend = (text: string) => {
  try {
    return (
      (JSON.parse(text) as { error?: { details?: { sendId?: unknown } } }).error?.details?.sendId !==
      undefined
    );
  } catch {
    return false;
  }
};
/** The smallest file the image upload takes: a GIF89a header, 1x1, no colour table, the trailer. */
const TINY_GIF = "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;";
/** Operations not fuzzed: the webhooks take provider-signed bodies (tests/api/webhooks.test.ts). */
const SKIPPED = (op: Operation) => op.path.startsWith("/webhooks/");

let stk: Stack;
let dns: DnsDouble;
let conn: DbConnection;
let writes: Awaited<ReturnType<typeof watchWrites>>;
let tokens: { owner: string; analyst: string };
let fx: Fixtures;

async function call(v: Variant) {
  const res = await fetch(`${stk.baseUrl}${v.url}`, {
    method: v.method,
    headers: {
      authorization: `Bearer ${tokens[v.as]}`,
      ...(v.contentType ? { "content-type": v.contentType } : {}),
    },
    body: v.body,
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  captureResponse(v.method, `${stk.baseUrl}${v.url}`, res.status, res.headers, text);
  return { status: res.status, headers: res.headers, text };
}

beforeAll(async () => {
  dns = await startDnsDouble();
  stk = await startStack({ vars: { DNS_RESOLVER_URL: `${dns.url}/dns-query` } });
  conn = openDb(stk.databaseUrl);
  ({ tokens, fx } = await fuzzFixtures(stk.baseUrl));
  writes = await watchWrites(conn.db);
}, 180_000);

afterAll(async () => {
  await conn?.close();
  await stk?.stop();
  await dns?.stop();
});

interface Finding {
  variant: Variant;
  problem: string;
  status?: number;
  answer?: string;
}

const excerpt = (s: string | undefined, n = 300) =>
  s === undefined ? "(none)" : JSON.stringify(s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

function report(findings: Finding[]): string {
  return [
    `${findings.length} finding(s); replay with FUZZ_SEED=${SEED}`,
    ...findings.map(
      (f) =>
        `- ${f.variant.method} ${excerpt(f.variant.url, 200)} as ${f.variant.as} [${f.variant.label}]: ${f.problem}` +
        `\n    body ${excerpt(f.variant.body)}\n    answer ${f.status ?? "-"} ${excerpt(f.answer)}`,
    ),
  ].join("\n");
}

/** Checks one answer; returns what is wrong with it, or null. */
function judge(op: Operation, status: number, headers: Headers, text: string): string | null {
  if (status >= 500) return `answered ${status}`;
  if (status >= 400) {
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      return "error answer is not JSON";
    }
    const e = body?.error;
    if (typeof e?.code !== "string" || typeof e?.message !== "string" || typeof e?.requestId !== "string") {
      return "error answer is not the error envelope";
    }
    if (e.requestId !== headers.get("x-request-id"))
      return "error envelope's requestId is not the X-Request-Id";
    return null;
  }
  if (!(status in op.responses)) return `answered ${status}, which the document does not list`;
  const schema = op.responses[status];
  if (!schema) return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "success answer is not JSON";
  }
  const miss = mismatch(schema, body);
  return miss ? `success answer does not match the document: ${miss}` : null;
}

describe("schema-driven fuzzing", () => {
  it("answers every hostile variant of every operation with a 4xx (or a success), and a refusal writes nothing", {
    timeout: 600_000,
  }, async () => {
    console.log(`fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    const rng = prng(SEED);
    const doc = (await (await fetch(`${stk.baseUrl}/api/v1/openapi.json`)).json()) as Doc;
    const ops = operationsOf(doc).filter((op) => !SKIPPED(op));
    expect(ops.length).toBeGreaterThan(80);
    const findings: Finding[] = [];
    let requests = 0;
    let before = await writes.settled();
    const started = Date.now();
    for (const op of ops) {
      for (const variant of variantsOf(op, fx, rng, BUDGET)) {
        if (op.path === "/api/v1/imports" && op.method === "POST" && variant.body === undefined) {
          // The upload is CSV: a file of one bad row, so a success is an import of nothing.
          variant.body = "email\nnot-an-email\n";
          variant.contentType = "text/csv";
        }
        if (op.path === "/api/v1/assets" && op.method === "POST" && variant.body === undefined) {
          // The upload is an image: a GIF header of 1x1 (ASCII bytes, as the variant's body is text).
          variant.body = TINY_GIF;
          variant.contentType = "image/gif";
        }
        requests++;
        let answer: Awaited<ReturnType<typeof call>>;
        try {
          answer = await call(variant);
        } catch (err) {
          findings.push({ variant, problem: `no answer: ${(err as Error).message}` });
          continue;
        }
        const problem = judge(op, answer.status, answer.headers, answer.text);
        if (problem) findings.push({ variant, problem, status: answer.status, answer: answer.text });
        if (answer.status >= 400 && answer.status < 500) {
          const { tables: after, audited } = await writes.snapshot(answer.headers.get("x-request-id") ?? "");
          const allowed = recordedSend(answer.text)
            ? [...AUDITED_REFUSALS, "transactional.send"]
            : AUDITED_REFUSALS;
          const written = audited.filter((a) => !allowed.includes(a));
          const changed = changes(before, after, audited.length > 0);
          const partial = written.length > 0 ? `audited ${written.join(", ")}` : changed.join("; ");
          if (partial) {
            findings.push({
              variant,
              problem: `refused, yet wrote: ${partial}`,
              status: answer.status,
              answer: answer.text,
            });
          }
          before = after;
        } else if (variant.method === "GET" && answer.status < 300) {
          before = (await writes.snapshot()).tables;
        } else {
          if (op.path === "/api/v1/imports" && answer.status < 300) {
            await importFinished(stk.baseUrl, tokens.owner, (JSON.parse(answer.text) as { id: string }).id);
          }
          before = await writes.settled();
        }
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`fuzz: ${requests} requests over ${ops.length} operations in ${seconds} s (seed ${SEED})`);
    expect(findings, report(findings)).toEqual([]);
  });
});

/** The bugs the fuzzing found, each pinned down by a request that no seed has to draw. */
describe("regressions found by fuzzing", () => {
  const ask = (method: string, url: string, body?: unknown, as: "owner" | "analyst" = "owner") =>
    call({
      label: "regression",
      method,
      url,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      contentType: body === undefined ? undefined : "application/json",
      as,
    });
  const refusedWithoutWrites = async (res: Awaited<ReturnType<typeof call>>, before: Snapshot) => {
    expect(res.status, res.text).toBe(400);
    expect(JSON.parse(res.text).error.code).toBe("validation_failed");
    const after = await writes.snapshot(res.headers.get("x-request-id") ?? "");
    expect(after.audited).toEqual([]);
    expect(changes(before, after.tables)).toEqual([]);
  };

  it("refuses NUL in a body, a query, a path and a key with a 400, writing nothing", async () => {
    const before = await writes.settled();
    await refusedWithoutWrites(await ask("POST", "/api/v1/lists", { name: "a\u0000b" }), before);
    await refusedWithoutWrites(
      await ask("POST", "/api/v1/auth/login", { email: "\u0000", password: "x" }),
      before,
    );
    await refusedWithoutWrites(await ask("GET", "/api/v1/templates?q=%00"), before);
    await refusedWithoutWrites(await ask("DELETE", "/api/v1/suppressions/a%00b%40example.com"), before);
    const fields = { "a\u0000": 1 };
    await refusedWithoutWrites(
      await ask("PATCH", `/api/v1/subscribers/${fx.subscribers}`, { fields }),
      before,
    );
  });

  it("refuses a lone surrogate and 10,000-deep data before a transactional send is recorded", async () => {
    const before = await writes.settled();
    const send = { templateId: fx.receipt, to: "regression@fuzz.test" };
    await refusedWithoutWrites(
      await ask("POST", "/api/v1/transactional", { ...send, fromName: "x\ud800y" }),
      before,
    );
    const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const body = `{"templateId":"${fx.receipt}","to":"regression@fuzz.test","data":${deep}}`;
    await refusedWithoutWrites(await ask("POST", "/api/v1/transactional", body), before);
    await refusedWithoutWrites(
      await ask("POST", `/api/v1/templates/${fx.receipt}/preview`, body, "analyst"),
      before,
    );
  });

  it("refuses an unknown relay before a transactional send is recorded", async () => {
    const before = await writes.settled();
    const res = await ask("POST", "/api/v1/transactional", {
      templateId: fx.receipt,
      to: "regression@fuzz.test",
      relayId: "00000000-0000-7000-8000-000000000000",
    });
    await refusedWithoutWrites(res, before);
  });

  it("answers an empty PATCH with the unchanged record, for every resource", async () => {
    for (const resource of [
      "users",
      "fields",
      "lists",
      "subscribers",
      "segments",
      "relays",
      "domains",
      "campaigns",
    ]) {
      const url = `/api/v1/${resource}/${fx[resource]}`;
      const res = await ask("PATCH", url, {});
      expect(res.status, `${url}: ${res.text}`).toBe(200);
      expect(JSON.parse(res.text).id).toBe(fx[resource]);
    }
  });

  it("keeps a text setting that looks like JSON as text", async () => {
    const texts = { postalAddress: "12", organizationName: "null", defaultFromName: '["a"]' };
    const patched = await ask("PATCH", "/api/v1/settings", texts);
    expect(JSON.parse(patched.text)).toMatchObject(texts);
    expect(JSON.parse((await ask("GET", "/api/v1/settings")).text)).toMatchObject(texts);
  });
});
