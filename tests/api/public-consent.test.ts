import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { preferencesToken, unsubscribeToken } from "../../workers/domain/audience/subscriptions/links";
import { api, ownerLogin, stack } from "../support/api";
import { mailDetail, mailTo, waitForMail } from "../support/mailbox";

/**
 * What a stranger can do with someone else's address through the public form: never put back an
 * address that left, never put their own words in the mail; and what an erasure leaves behind.
 */

const tag = Math.random().toString(36).slice(2, 8);
const addr = (local: string) => `${local}-${tag}@consent.example`;
let ipSeq = 0;
// 198.18.0.0/15 (benchmarking) is used by no other suite, so another suite's audit rows never match these.
const ipBlock = Math.floor(Math.random() * 256);
const freshIp = () => `198.18.${ipBlock}.${(ipSeq++ % 250) + 1}`;
let token: string;
let secret: string;
const lists = {} as Record<"single" | "double", string>;

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack().databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function request(
  method: string,
  path: string,
  opts: { body?: string; type?: string; ip?: string; ua?: string } = {},
) {
  const headers: Record<string, string> = {
    "user-agent": opts.ua ?? "consent-test",
    "cf-connecting-ip": opts.ip ?? freshIp(),
  };
  if (opts.type) headers["content-type"] = opts.type;
  const res = await fetch(`${stack().baseUrl}${path}`, {
    method,
    headers,
    body: opts.body,
    redirect: "manual",
  });
  return { status: res.status, text: await res.text() };
}

const subscribe = (body: Record<string, unknown>, opts: { ip?: string; ua?: string } = {}) =>
  request("POST", "/subscribe", { ...opts, body: JSON.stringify(body), type: "application/json" });
/** A public page's title and main content, without the brand's styles and logo. */
const pageWords = (html: string) =>
  `${/<title>[^<]*<\/title>/.exec(html)?.[0]}${/<main>[\s\S]*<\/main>/.exec(html)?.[0]?.replace(/<img class="logo"[^>]*>/, "")}`;

const subscribeForm = (fields: [string, string][]) =>
  request("POST", "/subscribe", {
    body: new URLSearchParams(fields).toString(),
    type: "application/x-www-form-urlencoded",
  });

async function subscriberOf(email: string) {
  const [row] = await sql<{ id: string; status: string }>(
    "select id, status from subscribers where lower(email) = lower($1)",
    [email],
  );
  if (!row) throw new Error(`no subscriber ${email}`);
  return row;
}

async function statusOn(email: string, listId: string) {
  const [row] = await sql<{ status: string }>(
    `select m.status from list_memberships m join subscribers s on s.id = m.subscriber_id
      where lower(s.email) = lower($1) and m.list_id = $2`,
    [email, listId],
  );
  return row?.status;
}

/** The confirm link of the newest message to `email` once `count` messages arrived. */
async function confirmPath(email: string, count = 1): Promise<string> {
  const [newest] = await waitForMail(email, count);
  const detail = await mailDetail(newest?.id ?? "");
  const m = /https?:\/\/\S+(\/confirm\/[A-Za-z0-9_.-]+)/.exec(detail.text);
  if (!m?.[1]) throw new Error(`no confirm link in: ${detail.text}`);
  return m[1];
}

const settle = () => new Promise((r) => setTimeout(r, 800));

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  secret = stack().secrets.TRACKING_SECRET ?? "";
  for (const optIn of ["single", "double"] as const) {
    const res = await api("POST", "/api/v1/lists", {
      token,
      body: { name: `Consent ${optIn} ${tag}`, optIn, visibility: "public" },
    });
    lists[optIn] = res.body.id;
  }
});

describe("coming back after unsubscribing needs a confirmation by mail", () => {
  it("a list unsubscribe on a single opt-in list is not undone by the form until the mailbox confirms", async () => {
    const email = addr("left");
    await subscribe({ email, listIds: [lists.single] });
    const sub = await subscriberOf(email);
    const unsub = await unsubscribeToken(secret, { subscriberId: sub.id, listId: lists.single });
    expect((await request("POST", `/u/${unsub}`)).status).toBe(200);
    expect(await statusOn(email, lists.single)).toBe("unsubscribed");

    // A stranger re-submits the address: same answer as for a brand-new one, nothing changes yet.
    const known = await subscribe({ email, listIds: [lists.single] });
    const fresh = await subscribe({ email: addr("fresh"), listIds: [lists.single] });
    expect(known.status).toBe(200);
    expect(known.text).toBe(fresh.text);
    const knownPage = await subscribeForm([
      ["email", email],
      ["l", lists.single],
    ]);
    const freshPage = await subscribeForm([
      ["email", addr("fresh-form")],
      ["l", lists.single],
    ]);
    // The pages' words (public-signup-page.test.ts may change the brand theme in between).
    expect(pageWords(knownPage.text)).toBe(pageWords(freshPage.text));
    expect(pageWords(knownPage.text)).toContain("Thanks for subscribing");
    expect(await statusOn(email, lists.single)).toBe("unsubscribed");
    expect(await statusOn(addr("fresh"), lists.single)).toBe("confirmed");
    // One mail, however often the form is sent (the page post above was the second request).
    const link = await confirmPath(email);
    await settle();
    expect(await mailTo(email)).toHaveLength(1);
    expect(await mailTo(addr("fresh"))).toEqual([]);

    expect((await request("GET", link)).status).toBe(200);
    expect(await statusOn(email, lists.single)).toBe("confirmed");
  });

  it("an address that unsubscribed from everything comes back only through the mailed link", async () => {
    const email = addr("all");
    await subscribe({ email, listIds: [lists.single] });
    const sub = await subscriberOf(email);
    const unsub = await unsubscribeToken(secret, { subscriberId: sub.id });
    expect((await request("POST", `/u/${unsub}`)).status).toBe(200);

    await subscribe({ email, listIds: [lists.single] });
    expect(await statusOn(email, lists.single)).toBe("unsubscribed");
    expect((await subscriberOf(email)).status).toBe("unsubscribed");
    const link = await confirmPath(email);
    expect((await request("GET", link)).status).toBe(200);
    expect(await statusOn(email, lists.single)).toBe("confirmed");
    expect((await subscriberOf(email)).status).toBe("active");
    expect(await sql("select 1 from suppressions where email = lower($1)", [email])).toEqual([]);
  });

  it("a confirmation link mailed before an unsubscribe does not undo it", async () => {
    const email = addr("stale");
    await subscribe({ email, listIds: [lists.double] });
    const link = await confirmPath(email);
    expect((await request("GET", link)).status).toBe(200);
    const sub = await subscriberOf(email);
    const unsub = await unsubscribeToken(secret, { subscriberId: sub.id, listId: lists.double });
    await request("POST", `/u/${unsub}`);
    await request("GET", link);
    expect(await statusOn(email, lists.double)).toBe("unsubscribed");
  });
});

describe("the confirmation mail carries nothing the visitor typed", () => {
  it("leaves the submitted name out of the mail, and stores it", async () => {
    const email = addr("named");
    const name = "Click http://evil.example now";
    const res = await subscribe({ email, name, listIds: [lists.double] });
    expect(res.status).toBe(200);
    const [mail] = await waitForMail(email);
    const detail = await mailDetail(mail?.id ?? "");
    for (const part of [detail.subject, detail.text, detail.html]) {
      expect(part).not.toContain("evil.example");
      expect(part).not.toContain("Click");
    }
    const [row] = await sql<{ name: string }>("select name from subscribers where lower(email) = lower($1)", [
      email,
    ]);
    expect(row?.name).toBe(name);
  });
});

describe("erasure", () => {
  it("scrubs the address, IPs and user agents of the subscriber's own actions from the audit log", async () => {
    const email = addr("erase-me");
    const ips = [freshIp(), freshIp(), freshIp(), freshIp()];
    const uas = ips.map((_, i) => `ConsentBrowser/${i}.${tag}`);
    await subscribe({ email, listIds: [lists.double, lists.single] }, { ip: ips[0], ua: uas[0] });
    const link = await confirmPath(email);
    await request("GET", link, { ip: ips[1], ua: uas[1] });
    const sub = await subscriberOf(email);
    const unsub = await unsubscribeToken(secret, { subscriberId: sub.id, listId: lists.single });
    await request("POST", `/u/${unsub}`, { ip: ips[2], ua: uas[2] });
    const prefs = await preferencesToken(secret, sub.id);
    await request("POST", `/preferences/${prefs}`, {
      body: `l=${lists.single}`,
      type: "application/x-www-form-urlencoded",
      ip: ips[3],
      ua: uas[3],
    });
    // Rows by admins that hold the address: a transactional mail to it, a suppression added and lifted.
    const template = await api("POST", "/api/v1/templates", {
      token,
      body: { name: `Erase ${tag}`, kind: "transactional", subject: "Receipt", html: "<p>Thanks</p>" },
    });
    const sent = await api("POST", "/api/v1/transactional", {
      token,
      body: { templateId: template.body.id, to: email, fromEmail: "shop@consent.example" },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(
      (await api("POST", "/api/v1/suppressions", { token, body: { email, reason: "manual" } })).status,
    ).toBe(201);
    expect((await api("DELETE", `/api/v1/suppressions/${encodeURIComponent(email)}`, { token })).status).toBe(
      204,
    );
    const traces = () =>
      sql<{ action: string }>(
        `select action from audit_logs where position(lower($1) in lower(coalesce(actor_label, '') || ' ' ||
          coalesce(diff::text, ''))) > 0 or ip = any($2) or user_agent = any($3)`,
        [email, ips, uas],
      );
    expect((await traces()).map((r) => r.action).sort()).toEqual([
      "subscription.confirm",
      "subscription.create",
      "subscription.preferences",
      "subscription.unsubscribe",
      "suppression.create",
      "suppression.delete",
      "transactional.send",
    ]);

    expect((await api("DELETE", `/api/v1/subscribers/${sub.id}`, { token })).status).toBe(204);
    expect(await traces()).toEqual([]);
    const rows = await sql<{ action: string; actor_label: string | null }>(
      "select action, actor_label from audit_logs where entity_id = $1 order by created_at",
      [sub.id],
    );
    expect(rows.map((r) => r.action)).toEqual([
      "subscription.create",
      "subscription.confirm",
      "subscription.unsubscribe",
      "subscription.preferences",
      "subscriber.erase",
    ]);
    expect(rows.slice(0, 4).every((r) => r.actor_label === "[erased]")).toBe(true);
  });
});
