import { sql } from "drizzle-orm";
import type { Database } from "../../workers/lib/db";
import type { ApiResponse } from "./api";
import { captureRequestSecrets, captureResponse } from "./capture";

/** A small API client for a stack of a suite's own (the shared-stack helpers in api.ts use inject). */
export function client(baseUrl: string) {
  let token = "";
  const call = async <T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> => {
    captureRequestSecrets(path, body);
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    });
    const text = await res.text();
    captureResponse(method, `${baseUrl}${path}`, res.status, res.headers, text);
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    call,
    /** A raw body of another type (a CSV upload), with the same credentials. */
    async send(method: string, path: string, body: string, contentType: string): Promise<ApiResponse<any>> {
      captureRequestSecrets(path, body);
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": contentType },
        body,
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    },
    /** Creates the owner of a fresh stack and keeps its token for later calls. */
    async setup() {
      const res = await call<{ accessToken: string }>("POST", "/api/v1/auth/setup", {
        email: "owner@pipeline.test",
        password: "correct horse battery staple",
        name: "Pipeline Owner",
      });
      if (res.status !== 201) throw new Error(`setup: ${res.status} ${JSON.stringify(res.body)}`);
      token = res.body.accessToken;
    },
    async login() {
      const res = await call<{ accessToken: string }>("POST", "/api/v1/auth/login", {
        email: "owner@pipeline.test",
        password: "correct horse battery staple",
      });
      token = res.body.accessToken;
    },
    /** Fires the cron trigger, as the dev launcher does every minute. */
    cron: () => fetch(`${baseUrl}/cdn-cgi/local/scheduled`).then((r) => r.text()),
  };
}

/**
 * `n` subscribers on a new single opt-in list, inserted in SQL (fast), addressed
 * `<prefix>-<i>@<domain>`; returns the list id and the addresses in order.
 */
export async function seedAudience(db: Database, prefix: string, n: number, domain = "sink.example.com") {
  const listId = crypto.randomUUID();
  await db.execute(
    sql`insert into lists (id, name, opt_in, visibility) values (${listId}::uuid, ${`${prefix} list`}, 'single', 'private')`,
  );
  await db.execute(sql`
    with subs as (
      insert into subscribers (id, email, name)
      select gen_random_uuid(), ${prefix} || '-' || i || '@' || ${domain}, 'Person ' || i from generate_series(1, ${n}) i
      returning id)
    insert into list_memberships (list_id, subscriber_id, status, source)
    select ${listId}::uuid, id, 'confirmed', 'admin' from subs`);
  return { listId, emails: Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}@${domain}`) };
}

/** Polls `check` every 200 ms until it returns a value, or fails after `ms`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
