import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations } from "../lib/migrate";
import { freePort } from "../lib/net";
import { startPglite } from "../lib/pglite";
import { generateSecrets } from "../lib/secrets";
import { startWorker } from "../lib/worker";
import { type Bench, figure, throughput } from "./harness";

/**
 * Requests per second for an API-key-authenticated `GET /api/v1/me` (key lookup, constant-time
 * hash check, user-facing JSON) beside `GET /healthz` (one `select 1`), same Worker, same run:
 * the ratio is what authentication costs on every API call.
 */
export const apiAuth: Bench = async () => {
  const db = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => undefined }
    : await startPglite({ dir: "memory://", port: await freePort() });
  await applyMigrations(db.url);
  const dir = mkdtempSync(join(tmpdir(), "edgepost-bench-"));
  const worker = await startWorker({
    persistTo: dir,
    snapshot: true,
    vars: { ...generateSecrets(), ENVIRONMENT: "test", DATABASE_URL: db.url },
  });
  try {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${worker.url}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, string>>);
    const email = `bench-${Date.now()}@edgepost.test`;
    let session = await post("/api/v1/auth/setup", { email, password: "bench password 1", name: "Bench" });
    if (!session.accessToken)
      session = await post("/api/v1/auth/login", { email, password: "bench password 1" });
    const key = (await post("/api/v1/api-keys", { name: "bench", role: "analyst" }, session.accessToken)).key;
    const get = (path: string, token?: string) =>
      fetch(`${worker.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }).then(
        (r) => r.text(),
      );
    await throughput(() => get("/healthz"), 1, 4);
    const health = await throughput(() => get("/healthz"), 5, 4);
    const me = await throughput(() => get("/api/v1/me", key), 5, 4);
    return [figure("api-key-auth-rps", me, "requests/s", "GET /healthz (one query, no auth)", health)];
  } finally {
    await worker.stop();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
