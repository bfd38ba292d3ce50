import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Mailbox, startMailbox } from "../scripts/mailbox/server.ts";
import { hasChromium, launchChromium } from "./support/browser";

/** A 1×1 transparent GIF. */
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

interface ApiMessage {
  id: string;
  from: string;
  to: string[];
  subject: string;
  date: string | null;
  receivedAt: string;
  size: number;
  messageId: string | null;
}
interface ApiDetail extends ApiMessage {
  headers: Record<string, string[]>;
  text: string | null;
  html: string | null;
  tls: boolean;
  authUser: string | null;
  attachments: { filename: string | null; mimeType: string; size: number }[];
}

const dirs: string[] = [];
const running: Mailbox[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "edgepost-mailbox-"));
  dirs.push(dir);
  return dir;
}

async function start(dir: string): Promise<Mailbox> {
  const mailbox = await startMailbox({ smtpPort: 0, httpPort: 0, dir });
  running.push(mailbox);
  return mailbox;
}

/** A transport that must upgrade with STARTTLS and log in before sending. */
function secureTransport(mailbox: Mailbox) {
  return nodemailer.createTransport({
    host: "127.0.0.1",
    port: mailbox.smtpPort,
    secure: false,
    requireTLS: true,
    auth: { user: "app", pass: "anything" },
    tls: { rejectUnauthorized: false },
  });
}

/** A transport that neither upgrades nor authenticates. */
function plainTransport(mailbox: Mailbox) {
  return nodemailer.createTransport({
    host: "127.0.0.1",
    port: mailbox.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
}

afterAll(async () => {
  await Promise.all(running.map((m) => m.stop()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("development mailbox", () => {
  let mailbox: Mailbox;
  let dir: string;
  const url = (path: string) => `http://127.0.0.1:${mailbox.httpPort}${path}`;
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(url(path));
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    dir = await tempDir();
    mailbox = await start(dir);
  });
  beforeEach(() => mailbox.clear());

  it("stores a STARTTLS + AUTH message with every envelope recipient, Bcc included", async () => {
    const subject = "Grüße aus Köln 🚀 — résumé";
    const info = await secureTransport(mailbox).sendMail({
      from: '"Edgepost" <news@edgepost.test>',
      to: "ana@example.test",
      cc: "ben@example.test",
      bcc: "hidden@example.test",
      subject,
      text: "Hello in plain text",
      html: "<p>Hello in <b>HTML</b></p>",
      attachments: [{ filename: "report.csv", content: "a,b\n1,2\n", contentType: "text/csv" }],
    });
    expect(info.accepted).toEqual(["ana@example.test", "ben@example.test", "hidden@example.test"]);

    const list = await getJson<ApiMessage[]>("/api/messages");
    expect(list).toHaveLength(1);
    const [summary] = list;
    expect(summary).toMatchObject({ from: "news@edgepost.test", subject, messageId: info.messageId });
    expect(summary?.to).toEqual(["ana@example.test", "ben@example.test", "hidden@example.test"]);
    expect(await mailbox.messages()).toEqual(list);

    const detail = await getJson<ApiDetail>(`/api/messages/${summary?.id}`);
    expect(detail).toMatchObject({ tls: true, authUser: "app" });
    expect(detail.text?.trim()).toBe("Hello in plain text");
    expect(detail.html).toContain("<b>HTML</b>");
    expect(detail.headers.from).toEqual([expect.stringContaining("<news@edgepost.test>")]);
    expect(detail.headers.bcc).toBeUndefined();
    expect(detail.attachments).toEqual([expect.objectContaining({ filename: "report.csv", size: 8 })]);

    const raw = await fetch(url(`/api/messages/${summary?.id}/raw`));
    expect(raw.headers.get("content-type")).toBe("message/rfc822");
    const bytes = Buffer.from(await raw.arrayBuffer());
    expect(bytes.equals(await readFile(join(dir, `${summary?.id}.eml`)))).toBe(true);
    expect(bytes.toString("utf8")).not.toContain("hidden@example.test");

    const attachment = await fetch(url(`/messages/${summary?.id}/attachments/0`));
    expect(await attachment.text()).toBe("a,b\n1,2\n");
    expect(attachment.headers.get("content-disposition")).toContain("report.csv");
  });

  it("accepts a plain send without TLS or AUTH and keeps the bytes exactly", async () => {
    // Dot-stuffing, a bare final line and 8-bit text must all come back as sent.
    const sent = Buffer.from(
      "From: a@example.test\r\nTo: b@example.test\r\nSubject: plain\r\nMessage-ID: <p1@example.test>\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n\r\n.leading dot\r\n..two dots\r\nnaïve\r\n",
    );
    await plainTransport(mailbox).sendMail({
      envelope: { from: "bounce@example.test", to: ["b@example.test"] },
      raw: sent,
    });
    const [summary] = await getJson<ApiMessage[]>("/api/messages");
    expect(summary).toMatchObject({
      from: "bounce@example.test",
      to: ["b@example.test"],
      messageId: "<p1@example.test>",
    });
    const detail = await getJson<ApiDetail>(`/api/messages/${summary?.id}`);
    expect(detail).toMatchObject({ tls: false, authUser: null });
    const raw = Buffer.from(await (await fetch(url(`/api/messages/${summary?.id}/raw`))).arrayBuffer());
    expect(raw.equals(sent)).toBe(true);
  });

  it("lists newest first and escapes what it renders", async () => {
    const transport = plainTransport(mailbox);
    await transport.sendMail({ from: "a@example.test", to: "b@example.test", subject: "first", text: "1" });
    await transport.sendMail({
      from: "a@example.test",
      to: "b@example.test",
      subject: "<script>alert(1)</script>",
      text: "</pre><img src=x onerror=alert(2)>",
    });
    const list = await getJson<ApiMessage[]>("/api/messages");
    expect(list.map((m) => m.subject)).toEqual(["<script>alert(1)</script>", "first"]);

    const index = await fetch(url("/"));
    expect(index.headers.get("content-type")).toContain("text/html");
    const page = await index.text();
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script");
    expect(page.indexOf("&lt;script&gt;")).toBeLessThan(page.indexOf("first"));
    expect(page).toMatch(/<form method="post" action="\/delete">/);

    const detail = await (await fetch(url(`/messages/${list[0]?.id}`))).text();
    expect(detail).not.toContain("<script");
    expect(detail).not.toContain("<img");
    expect(detail).toContain("&lt;/pre&gt;&lt;img src=x onerror=alert(2)&gt;");
  });

  it("renders the HTML part only inside a sandbox with a strict CSP", async () => {
    await plainTransport(mailbox).sendMail({
      from: "a@example.test",
      to: "b@example.test",
      subject: "html",
      html: "<html><head></head><body><script>alert(1)</script><p>hi</p></body></html>",
    });
    const [summary] = await getJson<ApiMessage[]>("/api/messages");
    const page = await (await fetch(url(`/messages/${summary?.id}`))).text();
    const iframe = /<iframe[^>]*>/.exec(page)?.[0] ?? "";
    expect(iframe).toContain(`src="/messages/${summary?.id}/html"`);
    expect(iframe).toMatch(/\ssandbox="[^"]*"/);
    expect(iframe).not.toContain("allow-scripts");
    expect(iframe).not.toContain("allow-same-origin");

    const part = await fetch(url(`/messages/${summary?.id}/html`));
    const csp = part.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/^sandbox[ ;]/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/allow-scripts|script-src/);
    expect(await part.text()).toContain("<p>hi</p>");
  });

  it("shows a message in a browser without fetching its open pixel, other images still loading", async () => {
    // A stand-in for the Worker: it records every path the viewer's browser asks it for.
    const asked: string[] = [];
    const worker = createServer((req, res) => {
      asked.push(req.url ?? "");
      res.writeHead(200, { "content-type": "image/gif" }).end(PIXEL);
    });
    await new Promise<void>((resolve) => worker.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`;
    const browser = hasChromium ? await launchChromium() : null;
    try {
      await plainTransport(mailbox).sendMail({
        from: "news@example.test",
        to: "reader@example.test",
        subject: "tracked",
        html: `<html><head></head><body><p>Hello</p><img src="${origin}/logo.gif" alt="Logo">
<img width="1" height="1" alt="" src="${origin}/o/AbC-123_tok" style="display:block"></body></html>`,
      });
      const [summary] = await getJson<ApiMessage[]>("/api/messages");
      const part = await (await fetch(url(`/messages/${summary?.id}/html`))).text();
      expect(part).toContain(`${origin}/logo.gif`);
      expect(part).not.toContain("/o/AbC-123_tok");
      // The source keeps the pixel: it is the message as sent.
      expect(await (await fetch(url(`/messages/${summary?.id}/raw`))).text()).toContain("/o/AbC-123_tok");
      if (!browser) return;
      const page = await browser.newPage();
      await page.goto(url(`/messages/${summary?.id}`));
      await expect.poll(() => asked.includes("/logo.gif"), { timeout: 10_000 }).toBe(true);
      await page.waitForLoadState("networkidle");
      expect(asked.filter((path) => path.startsWith("/o/"))).toEqual([]);
    } finally {
      await browser?.close();
      await new Promise((resolve) => worker.close(resolve));
    }
  });

  it("deletes everything from the form and the API, but not from another site", async () => {
    const transport = plainTransport(mailbox);
    await transport.sendMail({ from: "a@example.test", to: "b@example.test", subject: "one", text: "1" });

    const foreign = await fetch(url("/delete"), { method: "POST", headers: { origin: "https://evil.test" } });
    expect(foreign.status).toBe(403);
    expect(await mailbox.messages()).toHaveLength(1);

    const form = await fetch(url("/delete"), {
      method: "POST",
      redirect: "manual",
      headers: { origin: url("") },
    });
    expect(form.status).toBe(303);
    expect(form.headers.get("location")).toBe("/");
    expect(await getJson<ApiMessage[]>("/api/messages")).toEqual([]);

    await transport.sendMail({ from: "a@example.test", to: "b@example.test", subject: "two", text: "2" });
    expect((await fetch(url("/api/messages"), { method: "DELETE" })).status).toBe(204);
    expect(await mailbox.messages()).toEqual([]);
  });

  it("advertises STARTTLS, optional AUTH PLAIN/LOGIN and a 25 MB limit", async () => {
    const socket = connect(mailbox.smtpPort, "127.0.0.1");
    let seen = "";
    socket.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
    });
    const until = async (pattern: RegExp) => {
      while (!pattern.test(seen)) await new Promise((resolve) => socket.once("data", resolve));
    };
    await until(/^220 /m);
    socket.write("EHLO tester\r\n");
    await until(/^250 /m);
    socket.end("QUIT\r\n");
    expect(seen).toContain("250-STARTTLS");
    expect(seen).toMatch(/250-AUTH PLAIN LOGIN/);
    expect(seen).toMatch(/250[- ]SIZE 26214400/);
  });

  it("answers 404 for unknown or path-like ids", async () => {
    for (const path of ["/api/messages/0000000000000-deadbeef", "/api/messages/..%2F..%2Fetc%2Fpasswd/raw"]) {
      expect((await fetch(url(path))).status).toBe(404);
    }
  });
});

describe("mailbox persistence", () => {
  it("reads messages back from disk after a restart with the same dir", async () => {
    const dir = await tempDir();
    const first = await start(dir);
    await plainTransport(first).sendMail({
      from: "a@example.test",
      to: "b@example.test",
      subject: "kept",
      text: "k",
    });
    const before = await first.messages();
    await first.stop();

    const second = await start(dir);
    expect(await second.messages()).toEqual(before);
    const res = await fetch(`http://127.0.0.1:${second.httpPort}/api/messages/${before[0]?.id}`);
    expect(((await res.json()) as ApiDetail).subject).toBe("kept");
  });
});
