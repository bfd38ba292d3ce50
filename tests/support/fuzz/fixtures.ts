import { captureRequestSecrets, captureResponse } from "../capture";
import type { Fixtures } from "./schema";

/**
 * The records the fuzz test aims at, on a fresh stack of its own: an owner and an analyst
 * (their tokens), and one of every resource with an id in a path, so that a hostile body reaches
 * the handler behind the lookup. Returns the tokens and the ids by resource (the path segment).
 */
export async function fuzzFixtures(baseUrl: string) {
  const tokens = { owner: "", analyst: "" };
  const send = async <T = { id: string }>(path: string, body: unknown, method = "POST"): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.owner}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    captureRequestSecrets(path, body);
    captureResponse(method, `${baseUrl}${path}`, res.status, res.headers, text);
    if (res.status >= 300) throw new Error(`fixture ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const owner = { email: "owner@fuzz.test", password: "fuzzing owner passphrase", name: "Fuzz Owner" };
  tokens.owner = (await send<{ accessToken: string }>("/api/v1/auth/setup", owner)).accessToken;
  const analyst = { email: "analyst@fuzz.test", password: "fuzzing analyst passphrase" };
  await send("/api/v1/users", { ...analyst, name: "Fuzz Analyst", role: "analyst" });
  tokens.analyst = (await send<{ accessToken: string }>("/api/v1/auth/login", analyst)).accessToken;

  const fx: Fixtures = {};
  const target = { email: "target@fuzz.test", name: "Fuzz Target", role: "editor" };
  fx.users = (await send("/api/v1/users", { ...target, password: "fuzzing target passphrase" })).id;
  fx["api-keys"] = (await send("/api/v1/api-keys", { name: "fuzz key", role: "analyst" })).id;
  fx.lists = (await send("/api/v1/lists", { name: "Fuzz list", optIn: "single" })).id;
  fx.subscribers = (await send("/api/v1/subscribers", { email: "sub@fuzz.test", listIds: [fx.lists] })).id;
  fx.fields = (await send("/api/v1/fields", { key: "fz_age", label: "Age", type: "number" })).id;
  fx.segments = (await send("/api/v1/segments", { name: "Fuzz segment", rules: { list: fx.lists } })).id;
  const html = '<p>Hi</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>';
  fx.templates = (await send("/api/v1/templates", { name: "Fuzz template", subject: "Hi", html })).id;
  fx.receipt = (
    await send("/api/v1/templates", {
      name: "Fuzz receipt",
      subject: "Receipt",
      html: "<p>Thanks {{ data.name }}</p>",
      kind: "transactional",
    })
  ).id;
  fx.campaigns = (
    await send("/api/v1/campaigns", {
      name: "Fuzz campaign",
      templateId: fx.templates,
      listIds: [fx.lists],
      fromName: "Fuzz",
      fromEmail: "news@fuzz.test",
    })
  ).id;
  fx.relays = (await send("/api/v1/relays", { name: "Fuzz relay", host: "127.0.0.1", port: 2525 })).id;
  fx.domains = (await send("/api/v1/domains", { domain: "fuzz.example.com" })).id;
  fx.suppressionEmail = "suppressed@fuzz.test";
  await send("/api/v1/suppressions", { email: fx.suppressionEmail });
  await send("/api/v1/settings", { defaultFromEmail: "news@fuzz.test", defaultFromName: "Fuzz" }, "PATCH");
  fx.transactional = (await send("/api/v1/transactional", { templateId: fx.receipt, to: "t@fuzz.test" })).id;
  const imp = await fetch(`${baseUrl}/api/v1/imports?listIds=${fx.lists}`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens.owner}`, "content-type": "text/csv" },
    body: "email\nimported@fuzz.test\n",
  });
  fx.imports = ((await imp.json()) as { id: string }).id;
  const image = await fetch(`${baseUrl}/api/v1/assets?name=fuzz.gif`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens.owner}`, "content-type": "image/gif" },
    body: new Uint8Array([...new TextEncoder().encode("GIF89a"), 1, 0, 1, 0, 0, 0, 0, 0x3b]),
  });
  if (image.status !== 201) throw new Error(`fixture /api/v1/assets: ${image.status} ${await image.text()}`);
  fx.assets = ((await image.json()) as { id: string }).id;
  await importFinished(baseUrl, tokens.owner, fx.imports);
  return { tokens, fx };
}

/** Waits for an import to be applied: the imports queue writes its rows after the answer. */
export async function importFinished(baseUrl: string, token: string, id: string) {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${baseUrl}/api/v1/imports/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { status } = (await res.json()) as { status: string };
    if (status === "done" || status === "failed") return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import ${id} did not finish`);
}
