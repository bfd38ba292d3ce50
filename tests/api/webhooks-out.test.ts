import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventRecord } from "../../workers/domain/tracking/event-record";
import { ingestEvents } from "../../workers/domain/tracking/ingest";
import { MAX_ATTEMPTS } from "../../workers/domain/webhooks/schedule";
import { type DbConnection, openDb, queryRows } from "../../workers/lib/db";
import { signOpen } from "../../workers/lib/tracking-token";
import { api, ownerLogin, stack, userWithRole } from "../support/api";
import { captureSecret } from "../support/capture";
import { OWNER } from "../support/global-setup";
import { waitForMail } from "../support/mailbox";

/**
 * Outgoing webhooks on the shared stack, with local receivers on 127.0.0.1 (allowed by the owner's
 * `webhooks.allowPrivateTargets`): signatures checked by the independent `standardwebhooks`
 * library, the API's roles and secret-once rule, a receiver that fails and recovers (each event
 * delivered once, in order), redelivery, the test event, automatic disabling, and a burst of
 * 10,000 opens (stored as the events consumer stores them, plus 200 through the real tracking
 * endpoint and its queue) delivered in batches with none lost. Retry waits are shortened by moving
 * the due time of pending deliveries in the database and firing the cron.
 */

const tag = Math.random().toString(36).slice(2, 8);
let owner = "";
let conn: DbConnection;

interface Got {
  headers: IncomingMessage["headers"];
  body: string;
  status: number;
}

/** A local receiver answering `statuses` in turn (then 200), keeping every request. */
function receiver(statuses: number[] = [], always?: number) {
  const got: Got[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const status = always ?? statuses.shift() ?? 200;
      got.push({ headers: req.headers, body, status });
      res.statusCode = status;
      res.end(status === 200 ? "thanks" : "receiver down");
    });
  });
  return {
    got,
    ok: () => got.filter((g) => g.status === 200),
    async start() {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    },
    stop: () => new Promise((r) => server.close(r)),
  };
}

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

const cron = () => fetch(`${stack().baseUrl}/cdn-cgi/local/scheduled`).then((r) => r.text());

/** Makes the endpoint's waiting deliveries due now and fires the cron (instead of waiting out backoff). */
async function hurry(endpointId: string) {
  await conn.db.execute(
    sql`update webhook_deliveries set next_at = now() where endpoint_id = ${endpointId} and status = 'pending'`,
  );
  await cron();
}

async function createHook(url: string, events: string[], token = owner) {
  const res = await api<{ id: string; secret: string }>("POST", "/api/v1/webhooks", {
    token,
    body: { url, events },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  captureSecret("webhook signing secret", res.body.secret);
  return res.body;
}

function verify(secret: string, g: Got) {
  return new Webhook(secret).verify(g.body, g.headers as Record<string, string>) as {
    type: string;
    timestamp: string;
    data: Record<string, unknown>;
  };
}

beforeAll(async () => {
  owner = (await ownerLogin()).accessToken;
  conn = openDb(stack().databaseUrl);
});

afterAll(async () => {
  await api("PATCH", "/api/v1/settings", {
    token: owner,
    body: { webhooks: { allowPrivateTargets: false } },
  });
  await conn?.close();
});

describe("webhook endpoints API", () => {
  it("refuses private targets until the owner allows them; admins only; the secret is shown once", async () => {
    await api("PATCH", "/api/v1/settings", {
      token: owner,
      body: { webhooks: { allowPrivateTargets: false } },
    });
    for (const url of [
      "http://127.0.0.1:9/hook",
      "http://10.1.2.3/x",
      "http://169.254.169.254/",
      "http://localhost/",
    ]) {
      const res = await api("POST", "/api/v1/webhooks", {
        token: owner,
        body: { url, events: ["subscriber.created"] },
      });
      expect(res.status, url).toBe(400);
    }
    const admin = await userWithRole("admin");
    const editor = await userWithRole("editor");
    const patch = { webhooks: { allowPrivateTargets: true } };
    expect((await api("PATCH", "/api/v1/settings", { token: admin.accessToken, body: patch })).status).toBe(
      403,
    );
    const set = await api("PATCH", "/api/v1/settings", { token: owner, body: patch });
    expect(set.status).toBe(200);
    expect(set.body.webhooks).toEqual({ allowPrivateTargets: true });

    const body = { url: "http://127.0.0.1:9/hook", events: ["subscriber.created"] };
    expect((await api("POST", "/api/v1/webhooks", { token: editor.accessToken, body })).status).toBe(403);
    expect((await api("GET", "/api/v1/webhooks", { token: editor.accessToken })).status).toBe(403);
    expect(
      (await api("POST", "/api/v1/webhooks", { token: owner, body: { ...body, events: ["no.such"] } }))
        .status,
    ).toBe(400);
    expect(
      (await api("POST", "/api/v1/webhooks", { token: owner, body: { ...body, extra: 1 } })).status,
    ).toBe(400);

    const created = await createHook(body.url, body.events, admin.accessToken);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const one = await api("GET", `/api/v1/webhooks/${created.id}`, { token: admin.accessToken });
    expect(one.body).toMatchObject({ id: created.id, url: body.url, enabled: true, events: body.events });
    const list = await api("GET", "/api/v1/webhooks?limit=500", { token: admin.accessToken });
    expect(JSON.stringify([one.body, list.body])).not.toContain(created.secret.slice(6, 30));
    const [stored] = await queryRows<{ secret_encrypted: string }>(
      conn.db,
      sql`select secret_encrypted from webhook_endpoints where id = ${created.id}`,
    );
    expect(stored?.secret_encrypted).not.toContain(created.secret.slice(6, 30));

    const off = await api("PATCH", `/api/v1/webhooks/${created.id}`, {
      token: admin.accessToken,
      body: { enabled: false, events: ["email.bounced", "email.opened"] },
    });
    expect(off.body).toMatchObject({ enabled: false, events: ["email.bounced", "email.opened"] });
    expect((await api("DELETE", `/api/v1/webhooks/${created.id}`, { token: admin.accessToken })).status).toBe(
      204,
    );
    expect((await api("GET", `/api/v1/webhooks/${created.id}`, { token: admin.accessToken })).status).toBe(
      404,
    );

    const audit = await api("GET", "/api/v1/audit-logs?entity=webhook&limit=500", { token: owner });
    const actions = (audit.body.data as { action: string; entityId: string }[])
      .filter((r) => r.entityId === created.id)
      .map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["webhook.create", "webhook.update", "webhook.delete"]));
  });
});

describe("delivery", { timeout: 120_000 }, () => {
  it("a receiver that fails then recovers gets every event once, in order per subscriber, signed", async () => {
    const hook = receiver([500, 500, 503]);
    try {
      const created = await createHook(await hook.start(), [
        "subscriber.created",
        "subscriber.updated",
        "subscriber.unsubscribed",
        "subscriber.deleted",
        "list.membership_changed",
      ]);
      const list = await api("POST", "/api/v1/lists", { token: owner, body: { name: `hooks ${tag}` } });
      const people: string[] = [];
      for (const n of [1, 2, 3]) {
        const sub = await api("POST", "/api/v1/subscribers", {
          token: owner,
          body: { email: `hook-${n}-${tag}@example.com`, name: `P${n}` },
        });
        people.push(sub.body.id);
      }
      for (const id of people) {
        await api("PATCH", `/api/v1/subscribers/${id}`, { token: owner, body: { name: "Renamed" } });
        await api("POST", `/api/v1/subscribers/${id}/lists`, { token: owner, body: { add: [list.body.id] } });
        await api("PATCH", `/api/v1/subscribers/${id}`, { token: owner, body: { status: "unsubscribed" } });
      }
      await api("DELETE", `/api/v1/subscribers/${people[0]}`, { token: owner });
      // 3 × (created, updated, lists, updated + unsubscribed) + deleted
      const expected = 3 * 5 + 1;
      const deadline = Date.now() + 60_000;
      while (hook.ok().length < expected && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        if (hook.got.length >= 1) await hurry(created.id);
      }
      const failed = hook.got.filter((g) => g.status !== 200);
      expect(failed.length).toBe(3);
      const events = hook
        .ok()
        .map((g) => ({ id: g.headers["webhook-id"] as string, ...verify(created.secret, g) }));
      expect(events.length).toBe(expected);
      expect(new Set(events.map((e) => e.id)).size).toBe(expected);
      const subjectOf = (e: (typeof events)[number]) => (e.data.subscriber as { id: string }).id;
      for (const [i, id] of people.entries()) {
        const types = events.filter((e) => subjectOf(e) === id).map((e) => e.type);
        expect(types).toEqual([
          "subscriber.created",
          "subscriber.updated",
          "list.membership_changed",
          "subscriber.updated",
          "subscriber.unsubscribed",
          ...(i === 0 ? ["subscriber.deleted"] : []),
        ]);
      }
      // The failed first attempt went to the same event the recovered receiver got first.
      expect(failed[0]?.headers["webhook-id"]).toBe(events[0]?.id);

      const log = await api("GET", `/api/v1/webhooks/${created.id}/deliveries?limit=5`, { token: owner });
      expect(log.status).toBe(200);
      expect(log.body.data).toHaveLength(5);
      expect(log.body.nextCursor).toBeTruthy();
      expect(log.body.data[0]).toMatchObject({ ok: true, status: 200, responseExcerpt: "thanks" });
      const all: { ok: boolean; status: number; deliveryId: string; event: string; latencyMs: number }[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { data: typeof all; nextCursor: string | null } } = await api(
          "GET",
          `/api/v1/webhooks/${created.id}/deliveries?limit=7${cursor ? `&cursor=${cursor}` : ""}`,
          {
            token: owner,
          },
        );
        all.push(...page.body.data);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(all.length).toBe(expected + 3);
      expect(all.filter((a) => !a.ok).map((a) => a.status)).toEqual([503, 500, 500]);

      // Redelivery: the same event id again, after the others.
      const first = all.at(-1);
      const re = await api(
        "POST",
        `/api/v1/webhooks/${created.id}/deliveries/${first?.deliveryId}/redeliver`,
        {
          token: owner,
        },
      );
      expect(re.status).toBe(202);
      // The test event.
      expect((await api("POST", `/api/v1/webhooks/${created.id}/test`, { token: owner })).status).toBe(202);
      await expect.poll(() => hook.ok().length, { timeout: 20_000 }).toBe(expected + 2);
      const [again, test] = hook.ok().slice(-2);
      expect(again?.headers["webhook-id"]).toBe(events[0]?.id);
      expect(verify(created.secret, again as Got).type).toBe("subscriber.created");
      expect(verify(created.secret, test as Got)).toMatchObject({ type: "webhook.test" });
      // A body changed in transit fails verification.
      expect(() => verify(created.secret, { ...(test as Got), body: `${test?.body} ` })).toThrow();
      await api("DELETE", `/api/v1/webhooks/${created.id}`, { token: owner });
    } finally {
      await hook.stop();
    }
  });

  it("turns an endpoint off after its retry schedule fails, audits it and mails the admins", async () => {
    const hook = receiver([], 500);
    try {
      const created = await createHook(await hook.start(), ["subscriber.created"]);
      await api("POST", `/api/v1/webhooks/${created.id}/test`, { token: owner });
      await expect.poll(() => hook.got.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      // As if the day of retries had passed: the head is at its last attempt.
      await conn.db.execute(
        sql`update webhook_deliveries set attempts = ${MAX_ATTEMPTS - 1} where endpoint_id = ${created.id}`,
      );
      await expect
        .poll(
          async () => {
            await hurry(created.id);
            return (await api("GET", `/api/v1/webhooks/${created.id}`, { token: owner })).body.enabled;
          },
          { timeout: 30_000, interval: 1000 },
        )
        .toBe(false);
      const view = await api("GET", `/api/v1/webhooks/${created.id}`, { token: owner });
      expect(view.body.disabledReason).toMatch(/failed/);
      const audit = await api("GET", "/api/v1/audit-logs?entity=webhook&limit=500", { token: owner });
      expect(
        (audit.body.data as { action: string; entityId: string }[]).some(
          (r) => r.entityId === created.id && r.action === "webhook.auto_disable",
        ),
      ).toBe(true);
      const mails = await waitForMail(OWNER.email, 1);
      expect(mails.some((m) => m.subject === "A webhook endpoint was turned off")).toBe(true);
      // Turned off: new events are not queued for it.
      const count = hook.got.length;
      await api("POST", "/api/v1/subscribers", { token: owner, body: { email: `off-${tag}@example.com` } });
      await cron();
      await new Promise((r) => setTimeout(r, 1500));
      expect(hook.got.length).toBe(count);
      await api("DELETE", `/api/v1/webhooks/${created.id}`, { token: owner });
    } finally {
      await hook.stop();
    }
  });
});

describe("events from other areas", { timeout: 120_000 }, () => {
  it("tells of a finished import and of workflow runs entering and leaving", async () => {
    const hook = receiver();
    try {
      const created = await createHook(await hook.start(), [
        "import.finished",
        "workflow.entered",
        "workflow.exited",
      ]);
      const types = () => hook.ok().map((g) => verify(created.secret, g));
      const arrived = (type: string) =>
        expect
          .poll(
            async () => {
              await cron();
              return types().filter((e) => e.type === type);
            },
            { timeout: 40_000, interval: 1000 },
          )
          .toHaveLength(1);
      const up = await fetch(`${stack().baseUrl}/api/v1/imports`, {
        method: "POST",
        headers: { authorization: `Bearer ${owner}`, "content-type": "text/csv" },
        body: `email\nimp-1-${tag}@example.com\nimp-2-${tag}@example.com\n`,
      });
      expect(up.status).toBe(202);
      const importId = ((await up.json()) as { id: string }).id;
      const email = `wf-${tag}@example.com`;
      await api("POST", "/api/v1/subscribers", { token: owner, body: { email } });
      const wf = await api("POST", "/api/v1/workflows", {
        token: owner,
        body: {
          name: `hooks ${tag}`,
          trigger: { type: "event", name: `hooked_${tag}` },
          nodes: [{ id: "w", type: "wait", seconds: 600 }],
          edges: [],
        },
      });
      expect(wf.status, JSON.stringify(wf.body)).toBe(201);
      await api("POST", `/api/v1/workflows/${wf.body.id}/activate`, { token: owner });
      const ev = await api("POST", "/api/v1/events", {
        token: owner,
        body: { email, name: `hooked_${tag}` },
      });
      expect(ev.status).toBe(202);
      await arrived("workflow.entered");
      await api("POST", `/api/v1/workflows/${wf.body.id}/deactivate`, { token: owner });
      await arrived("workflow.exited");
      await arrived("import.finished");
      const byType = Object.fromEntries(types().map((e) => [e.type, e.data]));
      expect(byType["import.finished"]).toMatchObject({
        import: { id: importId, status: "done", inserted: 2 },
      });
      expect(byType["workflow.entered"]).toMatchObject({ workflowId: wf.body.id, email });
      expect(byType["workflow.exited"]).toMatchObject({
        workflowId: wf.body.id,
        status: "exited",
        reason: "deactivated",
      });
      await api("DELETE", `/api/v1/webhooks/${created.id}`, { token: owner });
    } finally {
      await hook.stop();
    }
  });
});

describe("batches", { timeout: 150_000 }, () => {
  it("delivers a burst of 10,000 opens (and more through the tracking endpoint) in batches, none lost", async () => {
    const N = 10_000;
    const VIA_HTTP = 200;
    const hook = receiver();
    try {
      const created = await createHook(await hook.start(), ["email.opened"]);
      const sends = await seedSends(N + VIA_HTTP);
      // Some through the real tracking endpoint (its events queue and consumer)...
      const secret = stack().secrets.TRACKING_SECRET as string;
      let next = N;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = next++; i < N + VIA_HTTP; i = next++) {
            const s = sends[i] as (typeof sends)[number];
            const token = await signOpen(secret, {
              sendId: s.id,
              campaignId: s.campaignId,
              subscriberId: s.subscriberId,
            });
            const res = await fetch(`${stack().baseUrl}/o/${token}`, { headers: { "user-agent": CHROME } });
            await res.arrayBuffer();
          }
        }),
      );
      // ...and the burst as the events consumer stores it: 1,000 events per ingest transaction,
      // every tenth a privacy proxy's (machine) open.
      for (let at = 0; at < N; at += 1000) {
        const records: EventRecord[] = sends.slice(at, at + 1000).map((s, k) => ({
          kind: "open",
          dedupeKey: `o:${s.id}:burst-${tag}`,
          occurredAt: new Date(),
          sendId: s.id,
          campaignId: s.campaignId,
          subscriberId: s.subscriberId,
          machine: (at + k) % 10 === 0,
        }));
        await ingestEvents(conn.db, records);
      }
      const seen = new Map<number, { n: number; machine: boolean }>();
      const deadline = Date.now() + 100_000;
      while (seen.size < N + VIA_HTTP && Date.now() < deadline) {
        await cron();
        await new Promise((r) => setTimeout(r, 1000));
        seen.clear();
        for (const g of hook.ok()) {
          const body = verify(created.secret, g);
          expect(body.type).toBe("batch");
          const batch = body.data as {
            count: number;
            events: { type: string; data: { sendId: number; machine: boolean } }[];
          };
          expect(batch.count).toBe(batch.events.length);
          for (const e of batch.events) {
            expect(e.type).toBe("email.opened");
            const had = seen.get(e.data.sendId);
            seen.set(e.data.sendId, { n: (had?.n ?? 0) + 1, machine: e.data.machine });
          }
        }
      }
      expect(seen.size).toBe(N + VIA_HTTP);
      expect([...seen.values()].every((v) => v.n === 1)).toBe(true);
      expect([...seen.values()].filter((v) => v.machine).length).toBe(N / 10);
      // At most 500 a request: a burst is tens of requests, not thousands.
      expect(hook.ok().length).toBeLessThanOrEqual(100);
      const first = verify(created.secret, hook.ok()[0] as Got);
      expect((first.data as { events: { data: Record<string, unknown> }[] }).events[0]?.data).toMatchObject({
        email: expect.stringContaining(`@burst-${tag}.example.com`),
      });
      await api("DELETE", `/api/v1/webhooks/${created.id}`, { token: owner });
    } finally {
      await hook.stop();
    }
  });
});

/** `n` campaign sends to `n` subscribers, as if mailed an hour ago, made in a few statements. */
async function seedSends(n: number) {
  const [t] = await queryRows<{ id: string }>(
    conn.db,
    sql`insert into templates (id, name) values (gen_random_uuid(), ${`hooks ${tag}`}) returning id`,
  );
  const [c] = await queryRows<{ id: string }>(
    conn.db,
    sql`insert into campaigns (id, name, template_id, from_name, from_email)
      values (gen_random_uuid(), ${`hooks burst ${tag}`}, ${t?.id}, 'T', 't@example.com') returning id`,
  );
  const rows = await queryRows<{ id: string; subscriber_id: string }>(
    conn.db,
    sql`with subs as (
        insert into subscribers (id, email)
        select gen_random_uuid(), 'p' || i || '@burst-' || ${tag} || '.example.com' from generate_series(1, ${n}) i
        returning id, email)
      insert into sends (campaign_id, subscriber_id, email, status, sent_at)
      select ${c?.id}::uuid, id, email, 'sent', now() - interval '1 hour' from subs
      returning id, subscriber_id`,
  );
  return rows.map((r) => ({ id: Number(r.id), subscriberId: r.subscriber_id, campaignId: c?.id as string }));
}
