import { type AddressInfo, createServer, type Server } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domains, relays } from "../../schema/sending";
import { systemActor } from "../../workers/domain/actor";
import { createRelay, updateRelay } from "../../workers/domain/sending/relays/relays";
import type { Env } from "../../workers/env";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { startServer, type TestServer } from "../mail/servers";
import { api, ownerLogin, stack, userWithRole } from "../support/api";

const tag = Math.random().toString(36).slice(2, 7);
let token: string;
let conn: DbConnection;
let smtp: TestServer;

interface Relay {
  id: string;
  hasPassword: boolean;
  isDefault: boolean;
  [k: string]: unknown;
}

beforeAll(async () => {
  token = (await ownerLogin()).accessToken;
  conn = openDb(stack().databaseUrl);
  smtp = await startServer();
});
afterAll(async () => {
  await smtp.close();
  await conn.close();
});

const relayBody = (extra: Record<string, unknown> = {}) => ({
  name: `Local ${tag}`,
  host: "127.0.0.1",
  port: smtp.port,
  security: "none",
  username: "app",
  password: "s3cret p@ss",
  maxPerSecond: 50,
  ...extra,
});

describe("relays", () => {
  it("stores the password encrypted and never returns it", async () => {
    const res = await api<Relay>("POST", "/api/v1/relays", { token, body: relayBody() });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.hasPassword).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain("s3cret");
    const [row] = await conn.db.select().from(relays).where(eq(relays.id, res.body.id));
    expect(row?.passwordEncrypted).toMatch(/^v1\./);
    expect(row?.passwordEncrypted).not.toContain("s3cret");
    const list = await api("GET", "/api/v1/relays", { token });
    expect(JSON.stringify(list.body)).not.toContain("s3cret");
    const audit = await api<{ data: unknown[] }>("GET", `/api/v1/audit-logs?entity=relay`, { token });
    expect(JSON.stringify(audit.body)).not.toContain("s3cret");
  });

  it("tests the connection and says which step failed", async () => {
    const good = await api<Relay>("POST", "/api/v1/relays", {
      token,
      body: relayBody({ name: `good ${tag}` }),
    });
    const ok = await api<{ ok: boolean; authenticated: boolean }>(
      "POST",
      `/api/v1/relays/${good.body.id}/test`,
      { token, body: {} },
    );
    expect(ok.body).toMatchObject({ ok: true, authenticated: true });

    const badAuth = await api<Relay>("POST", "/api/v1/relays", {
      token,
      body: relayBody({ name: `bad ${tag}`, password: "wrong" }),
    });
    const auth = await api<{ ok: boolean; step: string; code: number }>(
      "POST",
      `/api/v1/relays/${badAuth.body.id}/test`,
      { token, body: {} },
    );
    expect(auth.body).toMatchObject({ ok: false, step: "auth", code: 535 });

    const closed = await api<Relay>("POST", "/api/v1/relays", {
      token,
      body: relayBody({ name: `closed ${tag}`, port: 1 }),
    });
    const connect = await api<{ ok: boolean; step: string }>(
      "POST",
      `/api/v1/relays/${closed.body.id}/test`,
      { token, body: {} },
    );
    expect(connect.body).toMatchObject({ ok: false, step: "connect" });
  });

  it("clears a stored password with null, and only admins change relays", async () => {
    const r = await api<Relay>("POST", "/api/v1/relays", {
      token,
      body: relayBody({ name: `clear ${tag}` }),
    });
    const cleared = await api<Relay>("PATCH", `/api/v1/relays/${r.body.id}`, {
      token,
      body: { password: null },
    });
    expect(cleared.body.hasPassword).toBe(false);
    const kept = await api<Relay>("PATCH", `/api/v1/relays/${r.body.id}`, {
      token,
      body: { name: `kept ${tag}` },
    });
    expect(kept.body.hasPassword).toBe(false);
    const editor = await userWithRole("editor");
    expect(
      (await api("POST", "/api/v1/relays", { token: editor.accessToken, body: relayBody() })).status,
    ).toBe(403);
    expect((await api("GET", "/api/v1/relays", { token: editor.accessToken })).status).toBe(200);
    expect((await api("DELETE", `/api/v1/relays/${r.body.id}`, { token })).status).toBe(204);
  });

  it("clears the stored password when the host, port or security changes without a new one", async () => {
    const r = await api<Relay>("POST", "/api/v1/relays", {
      token,
      body: relayBody({ name: `moved ${tag}` }),
    });
    expect(r.body.hasPassword).toBe(true);
    const renamed = await api<Relay>("PATCH", `/api/v1/relays/${r.body.id}`, {
      token,
      body: { name: `moved still ${tag}`, host: "127.0.0.1" },
    });
    expect(renamed.body).toMatchObject({ hasPassword: true, passwordCleared: false });
    for (const change of [{ port: smtp.port + 1 }, { host: "localhost" }, { security: "starttls" }]) {
      const withPassword = await api<Relay>("PATCH", `/api/v1/relays/${r.body.id}`, {
        token,
        body: { password: "s3cret p@ss" },
      });
      expect(withPassword.body.hasPassword).toBe(true);
      const moved = await api<Relay>("PATCH", `/api/v1/relays/${r.body.id}`, { token, body: change });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect(moved.body, JSON.stringify(change)).toMatchObject({ hasPassword: false, passwordCleared: true });
    }
    const [row] = await conn.db.select().from(relays).where(eq(relays.id, r.body.id));
    expect(row?.passwordEncrypted).toBeNull();
    // A new endpoint with its own password keeps that one.
    const both = await api<Relay>("PATCH", `/api/v1/relays/${r.body.id}`, {
      token,
      body: { host: "127.0.0.1", port: smtp.port, security: "none", password: "s3cret p@ss" },
    });
    expect(both.body).toMatchObject({ hasPassword: true, passwordCleared: false });
    const ok = await api<{ ok: boolean; authenticated: boolean }>(
      "POST",
      `/api/v1/relays/${r.body.id}/test`,
      {
        token,
        body: {},
      },
    );
    expect(ok.body).toMatchObject({ ok: true, authenticated: true });
  });

  it("tests only mail ports on remote hosts, and answers every failure before a greeting alike", async () => {
    const remote = await api<Relay>("POST", "/api/v1/relays", {
      token,
      body: relayBody({
        name: `scan ${tag}`,
        host: "192.0.2.10",
        port: 8080,
        password: null,
        username: null,
      }),
    });
    expect(remote.status).toBe(201);
    const refused = await api<{ error: { code: string; details: { path: string[] }[] } }>(
      "POST",
      `/api/v1/relays/${remote.body.id}/test`,
      { token, body: {} },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0]?.path).toEqual(["port"]);

    // Closed, open but not SMTP (an HTTP answer), and open but closing at once: one answer.
    const notSmtp = createServer((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    const hangUp = createServer((socket) => socket.destroy());
    const listen = (server: Server) =>
      new Promise<number>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
      );
    try {
      const answers = [];
      for (const port of [1, await listen(notSmtp), await listen(hangUp)]) {
        const relay = await api<Relay>("POST", "/api/v1/relays", {
          token,
          body: relayBody({ name: `probe ${port} ${tag}`, port }),
        });
        const res = await api<Record<string, unknown>>("POST", `/api/v1/relays/${relay.body.id}/test`, {
          token,
          body: {},
        });
        expect(res.status).toBe(200);
        const { elapsedMs: _elapsed, ...answer } = res.body;
        answers.push({ ...answer, message: String(answer.message).replace(`:${port} `, ":PORT ") });
      }
      expect(answers[0]).toMatchObject({ ok: false, step: "connect" });
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    } finally {
      notSmtp.close();
      hangUp.close();
    }
  });

  it("keeps at most one default relay", async () => {
    // Inside a transaction that is rolled back: other suites on this stack send through the default relay.
    const rollback = new Error("rollback");
    await conn.db
      .transaction(async (tx) => {
        const deps = {
          db: tx,
          actor: systemActor("test"),
          env: { ENCRYPTION_KEY: stack().secrets.ENCRYPTION_KEY } as Env,
        };
        const a = await createRelay(deps, {
          ...relayBody({ name: `a ${tag}` }),
          security: "none",
          isDefault: true,
        });
        const b = await createRelay(deps, {
          ...relayBody({ name: `b ${tag}` }),
          security: "none",
          isDefault: true,
        });
        const defaults = await tx.select().from(relays).where(eq(relays.isDefault, true));
        expect(defaults.map((d) => d.id)).toEqual([b.id]);
        await updateRelay(deps, a.id, { isDefault: true });
        const after = await tx.select().from(relays).where(eq(relays.isDefault, true));
        expect(after.map((d) => d.id)).toEqual([a.id]);
        throw rollback;
      })
      .catch((err: unknown) => {
        if (err !== rollback) throw err;
      });
  });
});

describe("sending domains", () => {
  interface Domain {
    id: string;
    domain: string;
    dkimSelector: string;
    dkimPublicKey: string;
    ed25519PublicKey: string | null;
    verifiedAt: string | null;
    records: { purpose: string; type: string; name: string; value: string; required: boolean }[];
  }
  const name = `mail-${tag}.example.org`;
  let domain: Domain;

  it("generates DKIM keys (private keys encrypted at rest) and returns the records to publish", async () => {
    const res = await api<Domain>("POST", "/api/v1/domains", {
      token,
      body: { domain: name, ed25519: true, bounceDomain: `bounce.${name}` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    domain = res.body;
    expect(JSON.stringify(res.body)).not.toMatch(/private/i);
    const dkim = domain.records.find((r) => r.purpose === "dkim");
    expect(dkim).toMatchObject({
      type: "TXT",
      name: `${domain.dkimSelector}._domainkey.${name}`,
      required: true,
    });
    expect(dkim?.value).toBe(`v=DKIM1; k=rsa; p=${domain.dkimPublicKey}`);
    expect(domain.records.find((r) => r.purpose === "dkim-ed25519")?.value).toContain(
      `k=ed25519; p=${domain.ed25519PublicKey}`,
    );
    expect(domain.records.find((r) => r.purpose === "dmarc")?.name).toBe(`_dmarc.${name}`);
    expect(domain.records.filter((r) => r.type === "MX").every((r) => r.name === `bounce.${name}`)).toBe(
      true,
    );
    const [row] = await conn.db.select().from(domains).where(eq(domains.id, domain.id));
    expect(row?.dkimPrivateKeyEncrypted).toMatch(/^v1\./);
    expect(row?.dkimPrivateKeyEncrypted).not.toContain("MII");
    expect(
      (await api("POST", "/api/v1/domains", { token, body: { domain: name.toUpperCase() } })).status,
    ).toBe(409);
  });

  it("verifies against DNS: missing until the DKIM records are published, then verified", async () => {
    const before = await api<{ verified: boolean; checks: { purpose: string; status: string }[] }>(
      "POST",
      `/api/v1/domains/${domain.id}/verify`,
      { token, body: {} },
    );
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.verified).toBe(false);
    expect(before.body.checks.find((c) => c.purpose === "dkim")?.status).toBe("missing");
    for (const r of domain.records.filter((r) => r.required)) {
      await fetch(`${stack().dnsUrl}/records`, {
        method: "POST",
        body: JSON.stringify({ name: r.name, type: r.type, data: r.value }),
      });
    }
    const after = await api<{
      verified: boolean;
      domain: Domain;
      checks: { purpose: string; status: string }[];
    }>("POST", `/api/v1/domains/${domain.id}/verify`, { token, body: {} });
    expect(after.body.verified).toBe(true);
    expect(after.body.checks.find((c) => c.purpose === "dkim")?.status).toBe("ok");
    expect(after.body.checks.find((c) => c.purpose === "spf")?.status).toBe("missing");
    expect(after.body.domain.verifiedAt).not.toBeNull();
  });
});
