import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, ownerLogin, stack } from "../support/api";

/**
 * The hosted signup page (`GET /subscribe/:listId`): the list's chosen fields, its language, the
 * brand theme, the 404 page, and what POST /subscribe does with the page's field values.
 */

const tag = Math.random().toString(36).slice(2, 8);
const addr = (local: string) => `${local}-${tag}@signup-page.example`;
let ipSeq = 0;
const freshIp = () => `203.0.${100 + Math.floor(Math.random() * 100)}.${(ipSeq++ % 250) + 1}`;

let token: string;
const lists = {} as Record<"form" | "german" | "plain" | "private" | "archived", string>;
const keys = { plan: `plan_${tag}`, seats: `seats_${tag}`, birthday: `bday_${tag}`, agree: `agree_${tag}` };

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

async function send(
  method: string,
  path: string,
  opts: { body?: string; type?: string; ip?: string; lang?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { "cf-connecting-ip": opts.ip ?? freshIp() };
  if (opts.type) headers["content-type"] = opts.type;
  if (opts.lang) headers["accept-language"] = opts.lang;
  const res = await fetch(`${stack().baseUrl}${path}`, {
    method,
    headers,
    body: opts.body,
    redirect: "manual",
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const postForm = (fields: [string, string][], ip?: string) =>
  send("POST", "/subscribe", {
    body: new URLSearchParams(fields).toString(),
    type: "application/x-www-form-urlencoded",
    ip,
  });
const postJson = (body: unknown, ip?: string) =>
  send("POST", "/subscribe", { body: JSON.stringify(body), type: "application/json", ip });

const htmlLang = (page: string) => /<html lang="([^"]*)">/.exec(page)?.[1];

async function fieldsOf(email: string) {
  const [row] = await sql<{ fields: Record<string, unknown>; name: string | null }>(
    "select fields, name from subscribers where lower(email) = lower($1)",
    [email],
  );
  return row;
}

async function makeList(body: Record<string, unknown>): Promise<string> {
  const res = await api("POST", "/api/v1/lists", { token, body });
  if (res.status !== 201) throw new Error(`list: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

const BRAND = {
  primaryColor: "#aa3311",
  backgroundColor: "#fdf6e3",
  textColor: "#222222",
  buttonColor: "#118844",
  buttonTextColor: "#fefefe",
  fontFamily: "Georgia, 'Times New Roman', Times, serif",
  buttonStyle: "pill",
  logoUrl: "https://cdn.example.com/logo.png",
};

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  const field = async (key: string, label: string, type: string, options?: string[]) => {
    const res = await api("POST", "/api/v1/fields", { token, body: { key, label, type, options } });
    if (res.status !== 201) throw new Error(`field ${key}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await field(keys.plan, "Plan <b>", "select", ["free", "pro & more"]);
  await field(keys.seats, "Seats", "number");
  await field(keys.birthday, "Birthday", "date");
  await field(keys.agree, "I agree", "boolean");
  lists.form = await makeList({ name: `Form ${tag}`, optIn: "single", visibility: "public" });
  lists.german = await makeList({
    name: `German ${tag}`,
    optIn: "double",
    visibility: "public",
    language: "de",
  });
  lists.plain = await makeList({ name: `Plain <i>${tag}</i>`, optIn: "single", visibility: "public" });
  lists.private = await makeList({ name: `Private ${tag}`, visibility: "private" });
  lists.archived = await makeList({ name: `Archived ${tag}`, visibility: "public" });
  await postJson({ email: addr("keeps-archived"), listIds: [lists.archived] });
  expect((await api("DELETE", `/api/v1/lists/${lists.archived}`, { token })).status).toBe(204);

  const res = await api("PATCH", `/api/v1/lists/${lists.form}`, {
    token,
    body: {
      form: {
        title: "Join the <Form> club",
        intro: "Monthly news & offers",
        buttonLabel: "Count me in",
        successMessage: "Welcome aboard!",
        name: "required",
        fields: [
          { key: keys.plan, required: true },
          { key: keys.seats, required: false },
          { key: keys.birthday, required: false },
          { key: keys.agree, required: true },
        ],
      },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
});

afterAll(async () => {
  // Other suites share the database: leave the default look behind.
  await api("PATCH", "/api/v1/settings", {
    token,
    body: {
      brand: {
        primaryColor: "#2d5bd7",
        backgroundColor: "#f6f7f9",
        textColor: "#1d2330",
        buttonColor: "#2d5bd7",
        buttonTextColor: "#ffffff",
        fontFamily: "Arial, Helvetica, sans-serif",
        buttonStyle: "rounded",
        logoUrl: null,
      },
    },
  });
});

describe("list form settings", () => {
  it("stores the form on the list and returns it with defaults filled in", async () => {
    const res = await api("GET", `/api/v1/lists/${lists.form}`, { token });
    expect(res.body.form).toMatchObject({ title: "Join the <Form> club", name: "required" });
    expect(res.body.form.fields).toHaveLength(4);
    const plain = await api("GET", `/api/v1/lists/${lists.plain}`, { token });
    expect(plain.body).toMatchObject({
      language: null,
      form: { title: null, intro: null, buttonLabel: null, name: "optional", fields: [] },
    });
    // A partial change keeps the rest.
    const partial = await api("PATCH", `/api/v1/lists/${lists.plain}`, {
      token,
      body: { form: { intro: "Hi" } },
    });
    expect(partial.body.form).toMatchObject({ intro: "Hi", name: "optional" });
  });

  it("refuses unknown fields, unknown keys and languages with a 400 naming them", async () => {
    const unknownField = await api("PATCH", `/api/v1/lists/${lists.plain}`, {
      token,
      body: { form: { fields: [{ key: "no_such_field", required: true }] } },
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toContain("no_such_field");
    const strict = await api("PATCH", `/api/v1/lists/${lists.plain}`, {
      token,
      body: { form: { titel: "typo" } },
    });
    expect(strict.status).toBe(400);
    expect(JSON.stringify(strict.body.error)).toContain("titel");
    const lang = await api("PATCH", `/api/v1/lists/${lists.plain}`, { token, body: { language: "xx" } });
    expect(lang.status).toBe(400);
    const dupe = await api("PATCH", `/api/v1/lists/${lists.plain}`, {
      token,
      body: { form: { fields: [{ key: keys.seats }, { key: keys.seats }] } },
    });
    expect(dupe.status).toBe(400);
  });

  it("previews unsaved changes and gives the hosted page's address", async () => {
    const res = await api("POST", `/api/v1/lists/${lists.plain}/form/preview`, {
      token,
      body: {
        form: { title: "Unsaved title", fields: [{ key: keys.seats, required: true }] },
        language: "fr",
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.page).toContain("Unsaved title");
    expect(res.body.page).toContain('<html lang="fr">');
    expect(res.body.html).toContain(`name="fields[${keys.seats}]"`);
    expect(res.body.url).toBe(`${stack().baseUrl}/subscribe/${lists.plain}`);
    // Nothing was stored.
    expect((await api("GET", `/api/v1/lists/${lists.plain}`, { token })).body.form.title).toBeNull();
    const priv = await api("GET", `/api/v1/lists/${lists.private}/form`, { token });
    expect(priv.body.url).toBeNull();
  });
});

describe("the hosted signup page", () => {
  it("renders the chosen fields by type, escaped, with the form's texts and a honeypot", async () => {
    const res = await send("GET", `/subscribe/${lists.form}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = res.text;
    expect(page).toContain("Join the &lt;Form&gt; club");
    expect(page).toContain("Monthly news &amp; offers");
    expect(page).toContain("Count me in");
    expect(page).toMatch(/<input type="email"[^>]*name="email"[^>]*required/);
    expect(page).toMatch(/name="name"[^>]*required/);
    expect(page).toMatch(new RegExp(`<select id="f-${keys.plan}" name="fields\\[${keys.plan}\\]" required>`));
    expect(page).toContain('<option value="pro &amp; more">pro &amp; more</option>');
    expect(page).toContain("Plan &lt;b&gt;");
    expect(page).toMatch(new RegExp(`type="number"[^>]*name="fields\\[${keys.seats}\\]"`));
    expect(page).toMatch(new RegExp(`type="date"[^>]*name="fields\\[${keys.birthday}\\]"`));
    expect(page).toMatch(
      new RegExp(`type="checkbox"[^>]*name="fields\\[${keys.agree}\\]" value="true" required`),
    );
    expect(page).toContain(`name="l" value="${lists.form}"`);
    expect(page).toContain('name="website"');
    expect(page).toContain('action="/subscribe"');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<link|@import|url\(/i);

    const plain = await send("GET", `/subscribe/${lists.plain}`);
    expect(plain.text).toContain(`Plain &lt;i&gt;${tag}&lt;/i&gt;`);
    expect(plain.text).not.toContain("fields[");
  });

  it("says its language: the list's, else the best Accept-Language match, else en", async () => {
    const german = await send("GET", `/subscribe/${lists.german}`, { lang: "ja, en;q=0.5" });
    expect(htmlLang(german.text)).toBe("de");
    const cases: [string | undefined, string][] = [
      ["fr-CA,fr;q=0.9,en;q=0.8", "fr"],
      ["pt-PT, en;q=0.3", "pt-BR"],
      ["nl, es;q=0.7, ja;q=0.9", "ja"],
      ["zh-CN, *;q=0.5", "en"],
      ["PT-br", "pt-BR"],
      [undefined, "en"],
    ];
    for (const [lang, expected] of cases) {
      const res = await send("GET", `/subscribe/${lists.plain}`, { lang });
      expect(htmlLang(res.text), String(lang)).toBe(expected);
    }
  });

  it("answers unknown, private, archived and malformed lists with a 404 page", async () => {
    for (const id of [
      lists.private,
      lists.archived,
      "00000000-0000-7000-8000-000000000000",
      "nope",
      "%3Cx%3E",
    ]) {
      const res = await send("GET", `/subscribe/${id}`, { lang: "es" });
      expect(res.status, id).toBe(404);
      expect(res.headers.get("content-type"), id).toMatch(/^text\/html/);
      expect(htmlLang(res.text), id).toBe("es");
      expect(res.text).not.toContain(`Private ${tag}`);
    }
  });

  it("is themed by the brand, with a CSP that lets only the logo's origin in", async () => {
    const bad = await api("PATCH", "/api/v1/settings", {
      token,
      body: {
        brand: { primaryColor: "red;}body{x:y", fontFamily: "Comic Sans", logoUrl: "javascript:alert(1)" },
      },
    });
    expect(bad.status).toBe(400);
    const set = await api("PATCH", "/api/v1/settings", { token, body: { brand: BRAND } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.brand).toEqual(BRAND);
    // A partial change keeps the other keys.
    const partial = await api("PATCH", "/api/v1/settings", {
      token,
      body: { brand: { textColor: "#333333" } },
    });
    expect(partial.body.brand).toEqual({ ...BRAND, textColor: "#333333" });

    const res = await send("GET", `/subscribe/${lists.form}`);
    for (const colour of ["#aa3311", "#fdf6e3", "#333333", "#118844", "#fefefe"]) {
      expect(res.text, colour).toContain(colour);
    }
    expect(res.text).toContain("Georgia, 'Times New Roman', Times, serif");
    expect(res.text).toContain("border-radius:999px");
    expect(res.text).toContain('<img class="logo" src="https://cdn.example.com/logo.png"');
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("img-src 'self' data: https://cdn.example.com;");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain("script-src");

    // The other public pages wear the same theme, their error pages too.
    const notFound = await send("GET", "/confirm/garbage");
    expect(notFound.status).toBe(404);
    expect(notFound.text).toContain("#aa3311");
    expect(notFound.text).toContain("https://cdn.example.com/logo.png");
    const unsub = await send("GET", "/u/garbage", { lang: "de-AT" });
    expect(unsub.text).toContain("#118844");
    expect(htmlLang(unsub.text)).toBe("de");
  });
});

describe("signing up through the hosted page", () => {
  const valid = (email: string): [string, string][] => [
    ["email", email],
    ["name", "Page Person"],
    ["l", lists.form],
    [`fields[${keys.plan}]`, "pro & more"],
    [`fields[${keys.seats}]`, "12"],
    [`fields[${keys.birthday}]`, "1990-02-28"],
    [`fields[${keys.agree}]`, "true"],
    ["website", ""],
  ];

  it("stores the field values with their types and shows the form's success message", async () => {
    const email = addr("typed");
    const res = await postForm(valid(email));
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain("Welcome aboard!");
    expect(res.text).toContain("#aa3311");
    expect(await fieldsOf(email)).toEqual({
      name: "Page Person",
      fields: {
        [keys.plan]: "pro & more",
        [keys.seats]: 12,
        [keys.birthday]: "1990-02-28",
        [keys.agree]: true,
      },
    });
  });

  it("refuses wrong types, missing required fields and fields the form does not ask for", async () => {
    const email = addr("bad-types");
    const with_ = (name: string, value: string | null) =>
      valid(email)
        .filter(([k]) => k !== name)
        .concat(value === null ? [] : [[name, value]]);
    const cases: [string, [string, string][]][] = [
      ["not a number", with_(`fields[${keys.seats}]`, "a dozen")],
      ["not a date", with_(`fields[${keys.birthday}]`, "1990-02-30")],
      ["not an option", with_(`fields[${keys.plan}]`, "enterprise")],
      ["missing required select", with_(`fields[${keys.plan}]`, null)],
      ["unchecked required box", with_(`fields[${keys.agree}]`, null)],
      ["missing required name", with_("name", "")],
    ];
    for (const [what, fields] of cases) {
      const res = await postForm(fields);
      expect(res.status, what).toBe(400);
      expect(res.headers.get("content-type"), what).toMatch(/^text\/html/);
      expect(res.text, what).toContain(`href="/subscribe/${lists.form}"`);
    }
    // JSON: the same checks, and a field of another list's form (or none) is refused by name.
    const json = await postJson({
      email,
      listIds: [lists.plain],
      fields: { [keys.seats]: 3 },
    });
    expect(json.status).toBe(400);
    expect(JSON.parse(json.text).error.message).toContain(keys.seats);
    const typed = await postJson({
      email,
      name: "J Son",
      listIds: [lists.form],
      fields: { [keys.plan]: "free", [keys.agree]: true, [keys.seats]: 2.5 },
    });
    expect(typed.status, typed.text).toBe(200);
    expect((await fieldsOf(email))?.fields).toEqual({
      [keys.plan]: "free",
      [keys.agree]: true,
      [keys.seats]: 2.5,
    });
  });

  it("never overwrites a known subscriber's values, only fills empty ones, and audits what it set", async () => {
    const email = addr("known");
    const birthday = `fields[${keys.birthday}]`;
    expect((await postForm(valid(email).filter(([k]) => k !== birthday))).status).toBe(200);
    const again = valid(email).map(([k, v]): [string, string] => [
      k,
      k === `fields[${keys.seats}]` ? "99" : v,
    ]);
    expect((await postForm(again)).status).toBe(200);
    const stored = await fieldsOf(email);
    expect(stored?.fields[keys.seats]).toBe(12);
    expect(stored?.fields[keys.birthday]).toBe("1990-02-28");
    const audit = await sql<{ after: { fieldsSet?: string[] } }>(
      `select a.diff->'after' as after from audit_logs a join subscribers s on s.id::text = a.entity_id
        where lower(s.email) = lower($1) order by a.created_at`,
      [email],
    );
    expect(audit.map((a) => a.after.fieldsSet)).toEqual([undefined, [keys.birthday]]);
  });

  it("ignores a filled honeypot: a thank-you page, nothing stored", async () => {
    const email = addr("bot");
    const res = await postForm(
      valid(email).map(([k, v]) => [k, k === "website" ? "http://spam.example" : v]),
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain("Welcome aboard!");
    expect(await fieldsOf(email)).toBeUndefined();
  });

  it("says check your inbox for a double opt-in list, in the list's language", async () => {
    const res = await postForm([
      ["email", addr("double")],
      ["l", lists.german],
    ]);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Bitte prüfen Sie Ihr Postfach");
    expect(htmlLang(res.text)).toBe("de");
  });

  it("keeps the per-address rate limit", async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      expect((await postForm(valid(addr(`rate-${i}`)), ip)).status).toBe(200);
    }
    const limited = await postForm(valid(addr("rate-over")), ip);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
    expect(limited.text).toContain("#aa3311");
    expect(await fieldsOf(addr("rate-over"))).toBeUndefined();
  });
});
