import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { preferencesToken, unsubscribeToken } from "../../workers/domain/audience/subscriptions/links";
import { signToken } from "../../workers/lib/signed-token";
import { api, ownerLogin, stack } from "../support/api";

/** Unique names per run: the suites share one database. */
const tag = Math.random().toString(36).slice(2, 8);
const addr = (local: string) => `${local}-${tag}@subscribe.example`;
let ipSeq = 0;
/** A fresh client address per test, so the per-IP rate limit of one test never touches another. */
const freshIp = () => `198.51.${100 + Math.floor(Math.random() * 100)}.${(ipSeq++ % 250) + 1}`;
const UA = "Mozilla/5.0 (public-subscription test)";

let token: string;
const lists = {} as Record<"double" | "single" | "private" | "odd", string>;

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack().databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** A raw request to the Worker; never follows redirects, so one would show as a 3xx. */
async function send(
  method: string,
  path: string,
  opts: { body?: string | FormData; type?: string; ip?: string; ua?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    "user-agent": opts.ua ?? UA,
    "cf-connecting-ip": opts.ip ?? freshIp(),
  };
  if (opts.type) headers["content-type"] = opts.type;
  const res = await fetch(`${stack().baseUrl}${path}`, {
    method,
    headers,
    body: opts.body,
    redirect: "manual",
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const subscribeJson = (body: unknown, ip?: string) =>
  send("POST", "/subscribe", { body: JSON.stringify(body), type: "application/json", ip });
const subscribeForm = (fields: [string, string][], ip?: string) =>
  send("POST", "/subscribe", {
    body: new URLSearchParams(fields).toString(),
    type: "application/x-www-form-urlencoded",
    ip,
  });

interface Membership {
  list_id: string;
  status: string;
  source: string;
  ip: string | null;
  user_agent: string | null;
  consented_at: Date;
  confirmed_at: Date | null;
  unsubscribed_at: Date | null;
}

async function subscriberOf(email: string) {
  const [row] = await sql<{ id: string; status: string; name: string | null }>(
    "select id, status, name from subscribers where lower(email) = lower($1)",
    [email],
  );
  return row;
}

async function membershipsOf(email: string): Promise<Membership[]> {
  return sql<Membership>(
    `select m.* from list_memberships m join subscribers s on s.id = m.subscriber_id
      where lower(s.email) = lower($1) order by m.list_id`,
    [email],
  );
}

const membership = async (email: string, listId: string) =>
  (await membershipsOf(email)).find((m) => m.list_id === listId);

async function suppressionOf(email: string) {
  const [row] = await sql<{ reason: string }>("select reason from suppressions where email = lower($1)", [
    email,
  ]);
  return row;
}

interface MailSummary {
  id: string;
  to: string[];
  subject: string;
}

async function mailTo(email: string): Promise<MailSummary[]> {
  const res = await fetch(`${stack().mailboxUrl}/api/messages`);
  const all = (await res.json()) as MailSummary[];
  return all.filter((m) => m.to.some((t) => t.toLowerCase() === email.toLowerCase()));
}

/** Waits for the confirmation mail to `email` and returns its confirm link. */
async function confirmLink(email: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const [first] = await mailTo(email);
    if (first) {
      const detail = (await (await fetch(`${stack().mailboxUrl}/api/messages/${first.id}`)).json()) as {
        text: string;
        html: string;
      };
      const m = /(https?:\/\/\S+\/confirm\/[A-Za-z0-9_.-]+)/.exec(detail.text);
      if (!m?.[1]) throw new Error(`no confirm link in: ${detail.text}`);
      expect(detail.html).toContain(m[1]);
      return m[1];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${email} within 15 s`);
}

const pathOf = (url: string) => new URL(url).pathname;

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  const make = async (name: string, optIn: string, visibility: string) => {
    const res = await api("POST", "/api/v1/lists", { token, body: { name, optIn, visibility } });
    if (res.status !== 201) throw new Error(`list ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  lists.double = await make(`Double ${tag}`, "double", "public");
  lists.single = await make(`Single ${tag}`, "single", "public");
  lists.private = await make(`Private ${tag}`, "single", "private");
  lists.odd = await make(`<img src=x onerror=alert(1)> & "Co" ${tag}`, "single", "public");
});

describe("double opt-in", () => {
  it("mails a signed link through the mailbox; clicking it confirms with the click's consent details", async () => {
    const email = addr("double");
    const res = await subscribeJson({ email, name: "Dora Double", listIds: [lists.double] }, "192.0.2.10");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ ok: true, confirmationRequired: true });
    const before = await membership(email, lists.double);
    expect(before).toMatchObject({ status: "unconfirmed", source: "form", ip: "192.0.2.10", user_agent: UA });
    expect(before?.confirmed_at).toBeNull();

    const link = await confirmLink(email);
    expect(link.startsWith(`${stack().baseUrl}/confirm/`)).toBe(true);
    const [mail] = await mailTo(email);
    expect(mail?.subject).toContain(`Double ${tag}`);

    const page = await send("GET", pathOf(link), { ip: "192.0.2.99", ua: "Clicker/1.0" });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.text).toContain("confirmed");
    expect(page.text).not.toMatch(/<script/i);
    const after = await membership(email, lists.double);
    expect(after).toMatchObject({
      status: "confirmed",
      source: "form",
      ip: "192.0.2.99",
      user_agent: "Clicker/1.0",
    });
    expect(after?.confirmed_at).toBeInstanceOf(Date);
    expect(after?.consented_at.getTime()).toBe(before?.consented_at.getTime());

    // Clicking again is harmless.
    expect((await send("GET", pathOf(link))).status).toBe(200);
    const sub = await subscriberOf(email);
    const audit = await sql<{ action: string; actor_type: string; ip: string | null }>(
      "select action, actor_type, ip from audit_logs where entity_id = $1 order by created_at",
      [sub?.id],
    );
    expect(audit).toEqual([
      { action: "subscription.create", actor_type: "public", ip: "192.0.2.10" },
      { action: "subscription.confirm", actor_type: "public", ip: "192.0.2.99" },
    ]);
  });

  it("works from a plain HTML form post with repeated list fields", async () => {
    const email = addr("form");
    const res = await subscribeForm([
      ["email", email],
      ["name", "Fern Form"],
      ["l", lists.double],
      ["listIds", lists.single],
      ["website", ""],
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("form-action 'self'");
    expect(res.text).toContain("Check your inbox");
    expect(res.text).not.toMatch(/<script/i);
    expect(await subscriberOf(email)).toMatchObject({ name: "Fern Form", status: "active" });
    expect(await membership(email, lists.single)).toMatchObject({ status: "confirmed", source: "form" });
    expect(await membership(email, lists.double)).toMatchObject({ status: "unconfirmed" });
    const link = await confirmLink(email);
    expect((await send("GET", pathOf(link))).status).toBe(200);
    expect(await membership(email, lists.double)).toMatchObject({ status: "confirmed" });
  });

  it("refuses bad, tampered and wrong-purpose tokens with a 404 page, never a redirect", async () => {
    const email = addr("tamper");
    await subscribeJson({ email, listIds: [lists.double] });
    const link = pathOf(await confirmLink(email));
    const token = link.slice("/confirm/".length);
    const sub = await subscriberOf(email);
    const secret = stack().secrets.TRACKING_SECRET ?? "";
    const tampered = `${token.slice(0, 5)}${token[5] === "A" ? "B" : "A"}${token.slice(6)}`;
    const asUnsub = await unsubscribeToken(secret, { subscriberId: sub?.id ?? "" });
    const otherKey = await signToken("some other secret of a decent length!!", "confirm", [
      sub?.id ?? "",
      lists.double,
    ]);
    const cases: [string, string][] = [
      ["GET", "/confirm/garbage"],
      ["GET", `/confirm/${tampered}`],
      ["GET", `/confirm/${token.slice(0, -2)}`],
      ["GET", `/confirm/${asUnsub}`],
      ["GET", `/confirm/${otherKey}`],
      ["GET", `/u/${token}`],
      ["POST", `/u/${token}`],
      ["GET", "/u/garbage"],
      ["POST", "/u/garbage"],
      ["GET", `/preferences/${asUnsub}`],
      ["POST", `/preferences/${token}`],
      ["GET", "/preferences/x.y"],
    ];
    for (const [method, path] of cases) {
      const res = await send(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get("location"), path).toBeNull();
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
    }
    expect(await membership(email, lists.double)).toMatchObject({ status: "unconfirmed" });
  });
});

describe("the subscription endpoint", () => {
  it("confirms single opt-in at once and sends no mail", async () => {
    const email = addr("single");
    const res = await subscribeJson({ email, listIds: [lists.single] });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ ok: true, confirmationRequired: false });
    const m = await membership(email, lists.single);
    expect(m).toMatchObject({ status: "confirmed", source: "form", user_agent: UA });
    expect(m?.confirmed_at).toBeNull();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await mailTo(email)).toEqual([]);
  });

  it("answers the same for new, known, differently cased and suppressed addresses, changing nothing it should not", async () => {
    const email = addr("known");
    const first = await subscribeJson({ email, listIds: [lists.single, lists.double] });
    const link = await confirmLink(email);
    await send("GET", pathOf(link));
    const before = await membershipsOf(email);
    expect(before.map((m) => m.status)).toEqual(["confirmed", "confirmed"]);

    const again = await subscribeJson({ email: email.toUpperCase(), listIds: [lists.single, lists.double] });
    const fresh = await subscribeJson({ email: addr("brand-new"), listIds: [lists.single, lists.double] });
    await sql(
      `insert into suppressions (id, email_hash, email, reason)
        values (gen_random_uuid(), encode(sha256(convert_to($1, 'UTF8')), 'hex'), $1, 'manual')`,
      [addr("blocked")],
    );
    const blocked = await subscribeJson({ email: addr("blocked"), listIds: [lists.single, lists.double] });
    for (const r of [again, fresh, blocked]) {
      expect(r.status).toBe(first.status);
      expect(JSON.parse(r.text)).toEqual(JSON.parse(first.text));
    }
    expect(await membershipsOf(email)).toEqual(before);
    expect(await subscriberOf(addr("blocked"))).toBeUndefined();
    // The known, confirmed member got no second mail.
    await new Promise((r) => setTimeout(r, 800));
    expect(await mailTo(email)).toHaveLength(1);
    expect(await sql("select 1 from subscribers where lower(email) = lower($1)", [email])).toHaveLength(1);
  });

  it("creates one subscriber when the same address arrives several times at once", async () => {
    const email = addr("race");
    const variants = [email, email.toUpperCase(), ` ${email} `, email, email.replace("race", "RACE")];
    const results = await Promise.all(
      variants.map((e) => subscribeJson({ email: e, listIds: [lists.single] })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await sql("select 1 from subscribers where lower(email) = lower($1)", [email])).toHaveLength(1);
    expect(await membershipsOf(email)).toHaveLength(1);
  });

  it("refuses a private or unknown list alike and creates nothing", async () => {
    const email = addr("private");
    for (const listIds of [
      [lists.private],
      [lists.single, lists.private],
      ["00000000-0000-7000-8000-000000000000"],
      ["nope"],
      [],
    ]) {
      const res = await subscribeJson({ email, listIds });
      expect(res.status, JSON.stringify(listIds)).toBe(400);
      const body = JSON.parse(res.text);
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.message).toMatch(/list/i);
    }
    expect(await subscriberOf(email)).toBeUndefined();
  });

  it("answers 400 with a clear message for a bad address, as JSON or as a page", async () => {
    for (const email of ["not-an-address", "Jane <jane@example.com>", "", 42]) {
      const res = await subscribeJson({ email, listIds: [lists.single] });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).error.message).toMatch(/email/i);
    }
    const page = await subscribeForm([
      ["email", "bad@@example"],
      ["l", lists.single],
    ]);
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toMatch(/Invalid email/);
    expect((await send("POST", "/subscribe", { body: "email=x", type: "text/plain" })).status).toBe(415);
    expect((await send("POST", "/subscribe", { body: "{not json", type: "application/json" })).status).toBe(
      400,
    );
  });

  it("accepts a filled honeypot silently and stores nothing", async () => {
    const email = addr("bot");
    const json = await subscribeJson({ email, listIds: [lists.single], website: "http://spam.example" });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.text)).toMatchObject({ ok: true });
    const form = await subscribeForm([
      ["email", email],
      ["l", lists.double],
      ["website", "http://spam.example"],
    ]);
    expect(form.status).toBe(200);
    expect(form.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await subscriberOf(email)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailTo(email)).toEqual([]);
  });

  it("limits each client address to 10 a minute, then 429 with Retry-After", async () => {
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => subscribeJson({ email: `bad-${i}`, listIds: [lists.single] }, ip)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(400));
    const limited = await subscribeJson({ email: addr("limited"), listIds: [lists.single] }, ip);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text).error.code).toBe("rate_limited");
    const retry = Number(limited.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    const page = await subscribeForm(
      [
        ["email", addr("limited")],
        ["l", lists.single],
      ],
      ip,
    );
    expect(page.status).toBe(429);
    expect(page.headers.get("retry-after")).toBeTruthy();
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await subscriberOf(addr("limited"))).toBeUndefined();
    // Another address is not affected.
    expect((await subscribeJson({ email: addr("other-ip"), listIds: [lists.single] })).status).toBe(200);
  });

  it("keeps the API JSON-only: a form body to /api/v1 is still 415", async () => {
    const res = await send("POST", "/api/v1/lists", {
      body: "name=x",
      type: "application/x-www-form-urlencoded",
    });
    expect(res.status).toBe(415);
  });
});

describe("unsubscribe", () => {
  async function member(local: string) {
    const email = addr(local);
    await subscribeJson({ email, listIds: [lists.single, lists.odd] });
    const sub = await subscriberOf(email);
    if (!sub) throw new Error("subscriber missing");
    return { email, id: sub.id, secret: stack().secrets.TRACKING_SECRET ?? "" };
  }

  it("one-click: a POST of List-Unsubscribe=One-Click and nothing else unsubscribes from the list (RFC 8058)", async () => {
    const { email, id, secret } = await member("oneclick");
    const t = await unsubscribeToken(secret, { subscriberId: id, listId: lists.single });
    const res = await fetch(`${stack().baseUrl}/u/${t}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    const m = await membership(email, lists.single);
    expect(m?.status).toBe("unsubscribed");
    expect(m?.unsubscribed_at).toBeInstanceOf(Date);
    expect((await membership(email, lists.odd))?.status).toBe("confirmed");
    expect((await subscriberOf(email))?.status).toBe("active");
    expect(await suppressionOf(email)).toBeUndefined();
    // Again: still 200 (mail providers may retry).
    expect(
      (
        await send("POST", `/u/${t}`, {
          body: "List-Unsubscribe=One-Click",
          type: "application/x-www-form-urlencoded",
        })
      ).status,
    ).toBe(200);
  });

  it("one-click without a list unsubscribes from everything and suppresses the address; multipart works too", async () => {
    const { email, id, secret } = await member("oneclick-all");
    const t = await unsubscribeToken(secret, { subscriberId: id });
    const body = new FormData();
    body.set("List-Unsubscribe", "One-Click");
    const res = await fetch(`${stack().baseUrl}/u/${t}`, { method: "POST", body, redirect: "manual" });
    expect(res.status).toBe(200);
    expect((await membershipsOf(email)).map((m) => m.status)).toEqual(["unsubscribed", "unsubscribed"]);
    expect((await subscriberOf(email))?.status).toBe("unsubscribed");
    expect(await suppressionOf(email)).toEqual({ reason: "unsubscribe" });
    const audit = await sql<{ action: string }>("select action from audit_logs where entity_id = $1", [id]);
    expect(audit.map((a) => a.action)).toContain("subscription.unsubscribe_all");
  });

  it("GET shows a confirm page with a POST form and changes nothing", async () => {
    const { email, id, secret } = await member("unsub-page");
    const t = await unsubscribeToken(secret, { subscriberId: id, listId: lists.odd });
    const page = await send("GET", `/u/${t}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.text).toContain(`<form method="post" action="/u/${t}">`);
    expect(page.text).toContain(email);
    expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;");
    expect(page.text).not.toContain("<img src=x");
    expect(page.text).toMatch(/href="\/preferences\/|href="http:\/\/[^"]+\/preferences\//);
    expect((await membership(email, lists.odd))?.status).toBe("confirmed");
    const done = await send("POST", `/u/${t}`);
    expect(done.status).toBe(200);
    expect(done.text).toContain("no longer receive");
    expect((await membership(email, lists.odd))?.status).toBe("unsubscribed");
  });
});

describe("preferences", () => {
  it("shows the public lists with checkboxes and sets memberships to the ticked ones", async () => {
    const email = addr("prefs");
    await subscribeJson({ email, listIds: [lists.single] });
    const sub = await subscriberOf(email);
    const id = sub?.id ?? "";
    await sql(
      "insert into list_memberships (list_id, subscriber_id, status, source) values ($1, $2, 'confirmed', 'admin')",
      [lists.private, id],
    );
    const t = await preferencesToken(stack().secrets.TRACKING_SECRET ?? "", id);
    const page = await send("GET", `/preferences/${t}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`name="l" value="${lists.single}" checked`);
    expect(page.text).toContain(`name="l" value="${lists.double}">`);
    expect(page.text).not.toContain(lists.private);
    expect(page.text).toContain("unsubscribe_all");

    const saved = await send("POST", `/preferences/${t}`, {
      body: new URLSearchParams([
        ["l", lists.double],
        ["action", "save"],
      ]).toString(),
      type: "application/x-www-form-urlencoded",
    });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain("saved");
    expect(saved.text).toContain(`name="l" value="${lists.double}" checked`);
    expect((await membership(email, lists.single))?.status).toBe("unsubscribed");
    const joined = await membership(email, lists.double);
    expect(joined).toMatchObject({ status: "confirmed", source: "form" });
    expect(joined?.confirmed_at).toBeInstanceOf(Date);
    expect((await membership(email, lists.private))?.status).toBe("confirmed");

    const all = await send("POST", `/preferences/${t}`, {
      body: "action=unsubscribe_all",
      type: "application/x-www-form-urlencoded",
    });
    expect(all.status).toBe(200);
    expect((await membershipsOf(email)).every((m) => m.status === "unsubscribed")).toBe(true);
    expect(await suppressionOf(email)).toEqual({ reason: "unsubscribe" });

    // The public form now changes nothing for this address (it only mails a way back)...
    await subscribeJson({ email, listIds: [lists.single] });
    expect((await membership(email, lists.single))?.status).toBe("unsubscribed");
    // ...but ticking a list on the preferences page (a link from their own mailbox) re-subscribes.
    await send("POST", `/preferences/${t}`, {
      body: `l=${lists.single}`,
      type: "application/x-www-form-urlencoded",
    });
    expect((await membership(email, lists.single))?.status).toBe("confirmed");
    expect((await subscriberOf(email))?.status).toBe("active");
    expect(await suppressionOf(email)).toBeUndefined();
  });
});

describe("form snippet", () => {
  it("gives editors a copy-paste form that posts to /subscribe with the list and a honeypot", async () => {
    const res = await api("GET", `/api/v1/lists/${lists.double}/form`, { token });
    expect(res.status).toBe(200);
    const html = res.body.html as string;
    expect(html).toContain(`action="${stack().baseUrl}/subscribe"`);
    expect(html).toContain(`name="l" value="${lists.double}"`);
    expect(html).toContain('name="website"');
    expect(res.body.warning).toBeNull();
    const odd = await api("GET", `/api/v1/lists/${lists.odd}/form`, { token });
    expect(odd.body.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const priv = await api("GET", `/api/v1/lists/${lists.private}/form`, { token });
    expect(priv.body.warning).toMatch(/private/);
    expect(
      (await api("GET", "/api/v1/lists/00000000-0000-7000-8000-000000000000/form", { token })).status,
    ).toBe(404);
  });
});
