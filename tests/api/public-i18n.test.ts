import { beforeAll, describe, expect, it } from "vitest";
import { preferencesToken, unsubscribeToken } from "../../workers/domain/audience/subscriptions/links";
import { api, ownerLogin, stack } from "../support/api";
import { mailDetail, waitForMail } from "../support/mailbox";

/**
 * Public pages and the double opt-in mail in the subscriber's language: a German list's pages and
 * confirmation mail are German whatever the browser says; a list without a language follows
 * Accept-Language (Japanese here). `<html lang>` always matches the words.
 */

const tag = Math.random().toString(36).slice(2, 8);
const addr = (local: string) => `${local}-${tag}@public-i18n.example`;
let ipSeq = 0;
const freshIp = () => `198.51.${100 + Math.floor(Math.random() * 100)}.${(ipSeq++ % 250) + 1}`;
let token: string;
let german: string;
let neutral: string;

async function page(
  method: string,
  path: string,
  opts: { lang?: string; form?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "cf-connecting-ip": freshIp() };
  if (opts.lang) headers["accept-language"] = opts.lang;
  if (opts.form) headers["content-type"] = "application/x-www-form-urlencoded";
  const res = await fetch(`${stack().baseUrl}${path}`, {
    method,
    headers,
    ...(opts.form ? { body: new URLSearchParams(opts.form).toString() } : {}),
    redirect: "manual",
  });
  const text = await res.text();
  return { status: res.status, text, lang: /<html lang="([^"]*)">/.exec(text)?.[1] };
}

async function list(body: Record<string, unknown>): Promise<string> {
  const res = await api<{ id: string }>("POST", "/api/v1/lists", { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function subscriberId(email: string): Promise<string> {
  const res = await api<{ data: { id: string }[] }>(
    "GET",
    `/api/v1/subscribers?q=${encodeURIComponent(email)}`,
    {
      token,
    },
  );
  const id = res.body.data[0]?.id;
  if (!id) throw new Error(`no subscriber ${email}`);
  return id;
}

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  german = await list({ name: `Neuigkeiten ${tag}`, optIn: "double", visibility: "public", language: "de" });
  neutral = await list({ name: `News ${tag}`, optIn: "double", visibility: "public" });
});

describe("public pages and the double opt-in mail in the list's language", () => {
  it("a German list: signup page, thanks page, confirmation mail and confirmation page in German", async () => {
    const signup = await page("GET", `/subscribe/${german}`, { lang: "ja,en;q=0.5" });
    expect(signup.lang).toBe("de");
    expect(signup.text).toContain(`class="field-label">E-Mail <span`);
    expect(signup.text).toContain("Abonnieren</button>");
    expect(signup.text).toContain("Wir schicken Ihnen eine E-Mail, um Ihr Abonnement zu bestätigen.");

    const email = addr("anna");
    const thanks = await page("POST", "/subscribe", { lang: "en", form: { email, l: german } });
    expect(thanks.status).toBe(200);
    expect(thanks.lang).toBe("de");
    expect(thanks.text).toContain("Bitte prüfen Sie Ihr Postfach");

    const [summary] = await waitForMail(email);
    expect(summary?.subject).toBe(`Bitte bestätigen Sie Ihr Abonnement von „Neuigkeiten ${tag}“`);
    const mail = await mailDetail(summary?.id ?? "");
    expect(mail.text).toContain("Hallo,");
    expect(mail.text).toContain("Falls Sie das nicht angefordert haben");
    expect(mail.html).toContain("Abonnement bestätigen</a>");
    const link = /\/confirm\/[A-Za-z0-9_.-]+/.exec(mail.text)?.[0] ?? "";
    expect(link).not.toBe("");

    const confirmed = await page("GET", link, { lang: "fr" });
    expect(confirmed.lang).toBe("de");
    expect(confirmed.text).toContain("Anmeldung bestätigt");
    expect(confirmed.text).toContain("Vielen Dank, Ihr Abonnement ist bestätigt:");
  });

  it("a German list's unsubscribe pages are German; the preferences page follows the browser", async () => {
    const email = addr("ben");
    expect(
      (await api("POST", "/api/v1/subscribers", { token, body: { email, listIds: [german] } })).status,
    ).toBe(201);
    const id = await subscriberId(email);
    const secret = stack().secrets.TRACKING_SECRET ?? "";
    const u = await unsubscribeToken(secret, { subscriberId: id, listId: german });
    const ask = await page("GET", `/u/${u}`, { lang: "en" });
    expect(ask.lang).toBe("de");
    expect(ask.text).toContain(`<strong>${email}</strong> von <strong>Neuigkeiten ${tag}</strong> abmelden?`);
    expect(ask.text).toContain("Abmelden</button>");
    const done = await page("POST", `/u/${u}`, { lang: "en", form: {} });
    expect(done.lang).toBe("de");
    expect(done.text).toContain("Sie sind abgemeldet");

    const prefs = await page("GET", `/preferences/${await preferencesToken(secret, id)}`, { lang: "pt-BR" });
    expect(prefs.lang).toBe("pt-BR");
    expect(prefs.text).toContain("Suas inscrições");
  });
});

describe("a list without a language follows Accept-Language", () => {
  it("Accept-Language: ja gives Japanese pages and a Japanese confirmation mail", async () => {
    const signup = await page("GET", `/subscribe/${neutral}`, { lang: "ja" });
    expect(signup.lang).toBe("ja");
    expect(signup.text).toContain(`class="field-label">メールアドレス <span`);
    expect(signup.text).toContain("登録する</button>");

    const email = addr("yuki");
    const thanks = await page("POST", "/subscribe", { lang: "ja", form: { email, l: neutral } });
    expect(thanks.lang).toBe("ja");
    expect(thanks.text).toContain("受信トレイをご確認ください");
    const [summary] = await waitForMail(email);
    expect(summary?.subject).toBe(`「News ${tag}」の購読を確認してください`);

    const bad = await page("GET", "/confirm/not-a-token", { lang: "ja" });
    expect(bad.status).toBe(404);
    expect(bad.lang).toBe("ja");
    expect(bad.text).toContain("無効なリンクです");

    const english = await page("GET", `/subscribe/${neutral}`, { lang: "nl" });
    expect(english.lang).toBe("en");
    expect(english.text).toContain("Subscribe</button>");
  });
});

describe("system mail to users in their language", () => {
  it("an invitation follows the inviting request's Accept-Language; a reset, the user's own locale first", async () => {
    const de = addr("dora");
    const res = await api("POST", "/api/v1/users", {
      token,
      body: { email: de, name: "Dora", role: "editor" },
      headers: { "accept-language": "de-AT,de;q=0.9" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [mail] = await waitForMail(de);
    expect(mail?.subject).toBe("Ihre Einladung zu Edgepost");
    expect((await mailDetail(mail?.id ?? "")).text).toContain("als Redakteur zu Edgepost eingeladen");

    const ja = addr("kenji");
    const created = await api<{ id: string }>("POST", "/api/v1/users", {
      token,
      body: { email: ja, name: "Kenji", role: "analyst", password: "a long enough password" },
    });
    expect(created.status).toBe(201);
    expect(
      (await api("PATCH", `/api/v1/users/${created.body.id}`, { token, body: { locale: "ja" } })).status,
    ).toBe(200);
    const reset = await api("POST", "/api/v1/auth/password-reset", {
      body: { email: ja },
      headers: { "accept-language": "fr", "cf-connecting-ip": freshIp() },
    });
    expect(reset.status).toBe(202);
    const [resetMail] = await waitForMail(ja);
    expect(resetMail?.subject).toBe("Edgepost のパスワードの再設定");
  });
});
