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

/**
 * An answer as the test saw it. A new API key is shown once, in the answer that creates it: that
 * answer is written with the key masked, and the key becomes a secret for everything else.
 */
export function captureResponse(method: string, url: string, status: number, headers: Headers, text: string) {
  if (!dir()) return;
  let body = text;
  if (method === "POST" && /\/api\/v1\/api-keys\/?$/.test(new URL(url).pathname) && status === 201) {
    const key = (JSON.parse(text) as { key?: string }).key;
    captureSecret("API key", key);
    if (key) body = text.split(key).join("[the new key]");
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
