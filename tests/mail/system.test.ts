import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mailbox, startMailbox } from "../../scripts/mailbox/server";
import type { SystemRequest } from "../workers/smtp-harness/index";
import { type Harness, startHarness } from "../workers/smtp-harness/start";
import { makeCerts, startServer, type TestCerts } from "./servers";

type SystemResponse = { ok: boolean; error?: { name: string; message: string } };

let harness: Harness;
let certs: TestCerts;
let mailbox: Mailbox;
const dir = mkdtempSync(join(tmpdir(), "edgepost-system-mail-"));

beforeAll(async () => {
  certs = makeCerts();
  [harness, mailbox] = await Promise.all([
    startHarness({ caFile: certs.caFile }),
    startMailbox({ dir, smtpPort: 0, httpPort: 0 }),
  ]);
});

afterAll(async () => {
  await Promise.all([harness?.stop(), mailbox?.stop()]);
  certs?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const mail = {
  to: "new.user@example.test",
  subject: "Bestätigen Sie Ihre Adresse ✉️ — a subject long enough to need more than one encoded word",
  html: '<p>Hello <b>Zoë</b>, confirm here: <a href="https://edgepost.test/confirm/abc">confirm</a></p>',
  text: "Hello Zoë,\nconfirm here: https://edgepost.test/confirm/abc\n.\nThanks",
};

const send = (body: SystemRequest) => harness.post<SystemResponse>("/system", body);

describe("sendSystemMail", () => {
  it("delivers a multipart message to the dev mailbox", async () => {
    const res = await send({ SMTP_URL: `smtp://127.0.0.1:${mailbox.smtpPort}?security=none`, mail });
    expect(res).toEqual({ ok: true });
    const [stored] = await mailbox.messages();
    expect(stored).toMatchObject({ from: "no-reply@localhost", to: [mail.to], subject: mail.subject });
    expect(stored?.messageId).toMatch(/^<[0-9a-f]{32}@localhost>$/);
    const raw = await readFileFromMailbox(stored?.id ?? "");
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from).toMatchObject({ name: "Edgepost", address: "no-reply@localhost" });
    expect(parsed.html).toContain("<b>Zoë</b>");
    expect(parsed.text?.replace(/\r\n/g, "\n").trimEnd()).toBe(mail.text);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative; boundary=/m);
    // Every header and body line stays within RFC 5322's 78 characters.
    for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
  });

  it("sends from SYSTEM_FROM, with the message id on its domain", async () => {
    await mailbox.clear();
    const res = await send({
      SMTP_URL: `smtp://127.0.0.1:${mailbox.smtpPort}?security=none`,
      SYSTEM_FROM: "Ëdgepost Team <hello@news.example.test>",
      mail,
    });
    expect(res.ok).toBe(true);
    const [stored] = await mailbox.messages();
    expect(stored?.from).toBe("hello@news.example.test");
    expect(stored?.messageId).toMatch(/@news\.example\.test>$/);
    const parsed = await PostalMime.parse(await readFileFromMailbox(stored?.id ?? ""));
    expect(parsed.from?.name).toBe("Ëdgepost Team");
  });

  it("uses smtps:// with URL-encoded credentials over implicit TLS", async () => {
    const server = await startServer({ secure: true, key: certs.key, cert: certs.cert, authOptional: false });
    try {
      const res = await send({ SMTP_URL: `smtps://app:s3cret%20p%40ss@localhost:${server.port}`, mail });
      expect(res).toEqual({ ok: true });
      expect(server.auths).toEqual([{ method: "PLAIN", username: "app", password: "s3cret p@ss" }]);
      expect(server.received[0]).toMatchObject({ secure: true, user: "app", to: [mail.to] });
    } finally {
      await server.close();
    }
  });

  it("throws a clear error when SMTP_URL is not set", async () => {
    const res = await send({ mail });
    expect(res).toEqual({
      ok: false,
      error: { name: "AppError", message: "SMTP_URL is not set, so system mail cannot be sent" },
    });
  });

  it("requires STARTTLS for smtp:// unless the URL opts out, before any credentials are sent", async () => {
    const server = await startServer({ hideSTARTTLS: true, authOptional: false });
    try {
      const res = await send({ SMTP_URL: `smtp://app:s3cret%20p%40ss@127.0.0.1:${server.port}`, mail });
      expect(res.ok).toBe(false);
      expect(res.error?.message).toMatch(/^SMTP tls failed: the server does not offer STARTTLS/);
      expect(server.auths).toEqual([]);
      expect(server.received).toEqual([]);
      const optedOut = await send({
        SMTP_URL: `smtp://app:s3cret%20p%40ss@127.0.0.1:${server.port}?security=none`,
        mail,
      });
      expect(optedOut).toEqual({ ok: true });
    } finally {
      await server.close();
    }
  });

  it("throws an SmtpError naming the step when the relay refuses", async () => {
    const server = await startServer({ authOptional: false });
    try {
      const res = await send({ SMTP_URL: `smtp://app:wrong@127.0.0.1:${server.port}?security=none`, mail });
      expect(res.ok).toBe(false);
      expect(res.error?.name).toBe("SmtpError");
      expect(res.error?.message).toMatch(/^SMTP auth failed: .*535/);
    } finally {
      await server.close();
    }
  });
});

async function readFileFromMailbox(id: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${mailbox.httpPort}/api/messages/${id}/raw`);
  if (!res.ok) throw new Error(`mailbox raw ${id}: ${res.status}`);
  return res.text();
}
