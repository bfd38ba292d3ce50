import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { CAPTURE_ENV } from "../../scripts/lib/secret-scan";

/**
 * What the secret scan of `npm test` reads (scripts/lib/secret-scan.ts): the global setup points
 * CAPTURE_ENV at an empty folder, and each test process appends there the answers its helpers
 * read and the secrets it puts in play. Off (and free) when the variable is unset.
 */
const dir = () => process.env[CAPTURE_ENV];
const file = (kind: string) => join(dir() ?? "", `${kind}-${process.pid}.txt`);

/** Whether this run captures (the global setup of `npm test` and vitest turns it on). */
export const capturing = () => Boolean(dir());

const recorded = new Set<string>();

/** A secret that must never appear in a Worker log line or an answer. */
export function captureSecret(kind: string, value: string | null | undefined): void {
  const key = `${dir()}\n${value}`;
  if (!dir() || !value || recorded.has(key)) return;
  recorded.add(key);
  appendFileSync(join(dir() ?? "", `secrets-${process.pid}.jsonl`), `${JSON.stringify({ kind, value })}\n`);
}

/** The passwords in a JSON request body: a user's, the owner's at setup, a relay's. */
export function captureRequestSecrets(path: string, body: unknown): void {
  if (!dir() || body === null || typeof body !== "object") return;
  const kind = /\/relays\b/.test(path) ? "relay password" : "password";
  for (const key of ["password", "currentPassword", "newPassword"]) {
    const value = (body as Record<string, unknown>)[key];
    if (typeof value === "string") captureSecret(kind, value);
  }
}

/** Answers that show a new secret once, and the field that holds it. */
const SHOWN_ONCE: Array<{ path: RegExp; field: string; kind: string }> = [
  { path: /\/api\/v1\/api-keys\/?$/, field: "key", kind: "API key" },
  { path: /\/api\/v1\/webhooks\/?$/, field: "secret", kind: "webhook signing secret" },
];

/**
 * An answer as the test saw it. A new API key or webhook signing secret is shown once, in the
 * answer that creates it: that answer is written with the secret masked, and the secret becomes
 * one to look for in everything else.
 */
export function captureResponse(method: string, url: string, status: number, headers: Headers, text: string) {
  if (!dir()) return;
  let body = text;
  const once = SHOWN_ONCE.find((s) => s.path.test(new URL(url).pathname));
  if (method === "POST" && status === 201 && once) {
    const secret = (JSON.parse(text) as Record<string, unknown>)[once.field];
    if (typeof secret === "string") {
      captureSecret(once.kind, secret);
      body = text.split(secret).join(`[the new ${once.kind}]`);
    }
  }
  const head = [...headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  appendFileSync(file("responses"), `=== ${method} ${url} ${status}\n${head}\n\n${body}\n`);
}

/** Appends each line of a stack's Worker output to a file of its own. */
export function captureStackLog(): ((line: string) => void) | undefined {
  if (!dir()) return undefined;
  const path = join(dir() ?? "", `stack-${process.pid}-${Date.now().toString(36)}.log`);
  return (line) => appendFileSync(path, `${line}\n`);
}
