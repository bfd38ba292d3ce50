import { networkInterfaces } from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MessageResult, OutgoingMessage, SmtpOptions } from "../../workers/mail/smtp/client";
import type { SessionResponse } from "../workers/smtp-harness/index";
import { type Harness, startHarness } from "../workers/smtp-harness/start";
import { makeCerts, refuse, startServer, type TestCerts, type TestServer } from "./servers";

let harness: Harness;
let certs: TestCerts;
const servers: TestServer[] = [];

beforeAll(async () => {
  certs = makeCerts();
  harness = await startHarness({ caFile: certs.caFile });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await harness?.stop();
  certs?.dispose();
});

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  servers.push(s);
  return s;
}

const AUTH = { user: "app", pass: "s3cret p@ss" };
const FAST = { connect: 2000, greeting: 1500, command: 1500, data: 1500 };

function message(n: number, to: string[] = [`rcpt${n}@example.test`], body?: string): OutgoingMessage {
  const raw =
    `From: sender@example.test\r\nTo: ${to.join(", ")}\r\nSubject: message ${n}\r\n` +
    `Message-ID: <m${n}@example.test>\r\n\r\n${body ?? `Body of message ${n}.\r\n`}`;
  return { from: "bounces@example.test", to, raw };
}

function session(
  target: TestServer,
  messages: OutgoingMessage[],
  options: Partial<SmtpOptions> = {},
): Promise<SessionResponse> {
  return harness.post<SessionResponse>("/session", {
    host: "127.0.0.1",
    port: target.port,
    security: "none",
    clientName: "mta.edgepost.test",
    timeouts: FAST,
    ...options,
    messages,
  });
}

describe("SMTP client: delivery", () => {
  it("sends several messages on one connection, pipelining MAIL, RCPT and DATA", async () => {
    const s = await server();
    const res = await session(s, [message(1), message(2, ["a@example.test", "b@example.test"]), message(3)], {
      auth: AUTH,
    });
    expect(res.error).toBeUndefined();
    expect(res.connected?.authenticated).toBe(true);
    expect(res.connected?.capabilities).toHaveProperty("PIPELINING");
    expect(res.results.map((r) => r.accepted)).toEqual([true, true, true]);
    expect(res.results[1]?.recipients).toEqual([
      expect.objectContaining({ recipient: "a@example.test", accepted: true, code: 250 }),
      expect.objectContaining({ recipient: "b@example.test", accepted: true, code: 250 }),
    ]);
    expect(res.results[2]?.response).toContain("Queued as 3");
    expect(s.received.map((r) => r.to)).toEqual([
      ["rcpt1@example.test"],
      ["a@example.test", "b@example.test"],
      ["rcpt3@example.test"],
    ]);
    expect(s.received[0]?.from).toBe("bounces@example.test");
    // One connection; MAIL, both RCPTs and DATA arrived in one read; no RSET after a complete transaction.
    expect(s.chunks).toHaveLength(1);
    const chunks = s.chunks[0] ?? [];
    expect(chunks[0]).toMatch(/^EHLO mta\.edgepost\.test\r\n$/);
    const pipelined =
      /^MAIL FROM:<bounces@example\.test>\r\nRCPT TO:<a@example\.test>\r\nRCPT TO:<b@example\.test>\r\nDATA\r\n$/;
    expect(chunks.some((c) => pipelined.test(c))).toBe(true);
    expect(chunks.some((c) => c.includes("RSET"))).toBe(false);
    expect(chunks.at(-1)).toBe("QUIT\r\n");
  });

  it("sends command by command when the server does not offer PIPELINING", async () => {
    const s = await server({ hidePIPELINING: true });
    const res = await session(s, [message(1, ["a@example.test", "b@example.test"]), message(2)]);
    expect(res.results.map((r) => r.accepted)).toEqual([true, true]);
    expect(s.received).toHaveLength(2);
    const chunks = s.chunks[0] ?? [];
    expect(chunks.some((c) => c.includes("MAIL FROM") && c.includes("RCPT TO"))).toBe(false);
    expect(chunks).not.toContain("RSET\r\n");
  });

  it("resets before the next message only after a transaction that did not complete", async () => {
    const s = await server({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith("nobody")) return callback(refuse(550, "5.1.1 No such user"));
        callback();
      },
    });
    const res = await session(s, [message(1, ["nobody@example.test"]), message(2), message(3)]);
    expect(res.results.map((r) => r.accepted)).toEqual([false, true, true]);
    const sent = (s.chunks[0] ?? []).join("");
    // One RSET: after the refused message's open transaction, none after the complete one.
    expect(sent.match(/RSET\r\n/g)).toHaveLength(1);
    expect(s.received.map((r) => r.to)).toEqual([["rcpt2@example.test"], ["rcpt3@example.test"]]);
  });

  it("dot-stuffs lines starting with a dot and normalises line ends to CRLF", async () => {
    const s = await server();
    const body = ".starts with a dot\n..two dots\r\n.\r\nlone CR\rlone LF\nend without newline";
    const res = await session(s, [message(1, undefined, body)]);
    expect(res.results[0]?.accepted).toBe(true);
    const sent = message(1, undefined, body).raw as string;
    const expected = `${sent.replace(/\r\n|\r|\n/g, "\r\n")}\r\n`;
    expect(s.received[0]?.raw.toString("utf8")).toBe(expected);
    // On the wire every line-initial dot was doubled, and the body ended with CRLF.CRLF.
    const wire = (s.chunks[0] ?? []).join("");
    expect(wire).toContain("\r\n..starts with a dot\r\n...two dots\r\n..\r\nlone CR\r\nlone LF\r\n");
    expect(wire).toContain("end without newline\r\n.\r\n");
  });

  it("reports each recipient: 550 for one while the others are delivered", async () => {
    const s = await server({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith("nobody")) callback(refuse(550, "5.1.1 No such user here"));
        else callback();
      },
    });
    const to = ["a@example.test", "nobody@example.test", "c@example.test"];
    const res = await session(s, [message(1, to)]);
    const result = res.results[0] as MessageResult;
    expect(result.accepted).toBe(true);
    expect(result.error).toBeUndefined();
    expect(result.recipients).toEqual([
      expect.objectContaining({ recipient: "a@example.test", accepted: true, code: 250 }),
      {
        recipient: "nobody@example.test",
        accepted: false,
        code: 550,
        enhanced: "5.1.1",
        message: "550 5.1.1 No such user here",
      },
      expect.objectContaining({ recipient: "c@example.test", accepted: true, code: 250 }),
    ]);
    expect(s.received[0]?.to).toEqual(["a@example.test", "c@example.test"]);
  });

  it("refuses a message over the server's SIZE before sending it, and goes on with the next", async () => {
    const s = await server({ size: 2000 });
    const big = message(1, undefined, `${"x".repeat(70)}\r\n`.repeat(60));
    const res = await session(s, [big, message(2)]);
    expect(res.connected?.capabilities.SIZE).toBe("2000");
    expect(res.results[0]).toMatchObject({
      accepted: false,
      error: { step: "mail", temporary: false, enhanced: "5.3.4" },
    });
    expect(res.results[0]?.error?.message).toMatch(/at most 2000/);
    expect(res.results[1]?.accepted).toBe(true);
    expect(s.received).toHaveLength(1);
    expect((s.chunks[0] ?? []).join("")).not.toContain("message 1");
  });
});

describe("SMTP client: AUTH", () => {
  it.each(["PLAIN", "LOGIN"] as const)("logs in with AUTH %s", async (method) => {
    const s = await server({ authMethods: ["PLAIN", "LOGIN"], authOptional: false });
    const res = await session(s, [message(1)], { auth: { ...AUTH, method } });
    expect(res.error).toBeUndefined();
    expect(s.auths).toEqual([{ method, username: "app", password: "s3cret p@ss" }]);
    expect(s.received[0]?.user).toBe("app");
  });

  it("picks LOGIN when the server offers only LOGIN", async () => {
    const s = await server({ authMethods: ["LOGIN"], authOptional: false });
    const res = await session(s, [message(1)], { auth: AUTH });
    expect(res.results[0]?.accepted).toBe(true);
    expect(s.auths[0]?.method).toBe("LOGIN");
  });

  it("fails at step auth, permanently, on bad credentials (535)", async () => {
    const s = await server({ authOptional: false });
    const res = await session(s, [message(1)], { auth: { user: "app", pass: "wrong" } });
    expect(res.connected).toBeUndefined();
    expect(res.error).toMatchObject({ step: "auth", temporary: false, code: 535, enhanced: "5.7.8" });
    expect(s.received).toHaveLength(0);
  });
});

describe("SMTP client: credentials never travel in plain text", () => {
  // A non-loopback address of this machine, to reach a local server as a remote host would.
  const remote = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

  it.skipIf(!remote).each(["none", "opportunistic"] as const)(
    "refuses AUTH without TLS to a host that is not loopback (security %s)",
    async (security) => {
      const s = await server({ listenHost: "0.0.0.0", hideSTARTTLS: true, authOptional: false });
      const res = await session(s, [message(1)], { host: remote, security, auth: AUTH });
      expect(res.error).toMatchObject({ step: "auth", temporary: false });
      expect(res.error?.message).toMatch(/refusing to send credentials over an unencrypted connection/);
      expect(s.auths).toEqual([]);
      expect(s.chunks.flat().join("")).not.toMatch(/AUTH/i);
      expect(s.received).toHaveLength(0);
    },
  );

  it("still authenticates in plain text to a loopback host (local development)", async () => {
    const s = await server({ hideSTARTTLS: true, authOptional: false });
    const res = await session(s, [message(1)], { host: "127.0.0.1", security: "none", auth: AUTH });
    expect(res.error).toBeUndefined();
    expect(s.auths).toHaveLength(1);
  });
});

describe("SMTP client: failures", () => {
  it("fails at step greeting, temporarily, on 421", async () => {
    const s = await server({
      onConnect(_session, callback) {
        callback(refuse(421, "4.3.2 Too busy, try later"));
      },
    });
    const res = await session(s, [message(1)]);
    expect(res.error).toMatchObject({ step: "greeting", temporary: true, code: 421, enhanced: "4.3.2" });
  });

  it("reports 451 on RCPT as a temporary rcpt failure", async () => {
    const s = await server({
      onRcptTo(_address, _session, callback) {
        callback(refuse(451, "4.7.1 Greylisted, come back later"));
      },
    });
    const res = await session(s, [message(1), message(2)]);
    expect(res.error).toBeUndefined();
    expect(res.results[0]).toMatchObject({
      accepted: false,
      error: { step: "rcpt", temporary: true, code: 451, enhanced: "4.7.1" },
      recipients: [{ recipient: "rcpt1@example.test", accepted: false, code: 451, enhanced: "4.7.1" }],
    });
    expect(s.received).toHaveLength(0);
  });

  it("treats 421 to a command as the server closing: a temporary failure of that step", async () => {
    const s = await server({
      onRcptTo(_address, _session, callback) {
        callback(refuse(421, "4.3.2 Shutting down"));
      },
    });
    const res = await session(s, [message(1), message(2)]);
    expect(res.error).toMatchObject({ step: "rcpt", temporary: true, code: 421, enhanced: "4.3.2" });
    expect(res.results).toEqual([]);
    const results = await harness.post<MessageResult[]>("/deliver", {
      host: "127.0.0.1",
      port: s.port,
      security: "none",
      timeouts: FAST,
      messages: [message(1), message(2)],
    });
    expect(results.map((r) => r.error?.code)).toEqual([421, 421]);
    expect(results[1]?.recipients[0]).toMatchObject({ accepted: false, code: 421 });
  });

  it("reports 451 after DATA as a temporary data failure for every recipient", async () => {
    const s = await server({ onMessage: () => refuse(451, "4.3.0 Local problem") });
    const res = await session(s, [message(1, ["a@example.test", "b@example.test"])]);
    expect(res.results[0]).toMatchObject({
      accepted: false,
      error: { step: "data", temporary: true, code: 451, enhanced: "4.3.0" },
      recipients: [
        { recipient: "a@example.test", accepted: false, code: 451 },
        { recipient: "b@example.test", accepted: false, code: 451 },
      ],
    });
  });

  it("fails at step data, temporarily, when the server closes mid-DATA", async () => {
    const s = await server({
      onData(stream) {
        stream.once("data", () => {
          for (const socket of s.sockets) socket.destroy();
        });
        stream.resume();
      },
    });
    const body = `${"y".repeat(70)}\r\n`.repeat(2000);
    const res = await session(s, [message(1, undefined, body), message(2)]);
    expect(res.error).toMatchObject({ step: "data", temporary: true });
    expect(res.results).toEqual([]);
    expect(res.elapsedMs).toBeLessThan(FAST.data + 1000);
  });

  it("gives the interrupted message and every later one the connection failure (deliver)", async () => {
    let count = 0;
    const s = await server({
      onData(stream, _session, callback) {
        count++;
        if (count === 1) {
          stream.on("end", () => callback(null, "2.0.0 first one queued"));
          stream.resume();
          return;
        }
        stream.once("data", () => {
          for (const socket of s.sockets) socket.destroy();
        });
        stream.resume();
      },
    });
    const body = `${"z".repeat(70)}\r\n`.repeat(2000);
    const results = await harness.post<MessageResult[]>("/deliver", {
      host: "127.0.0.1",
      port: s.port,
      security: "none",
      timeouts: FAST,
      messages: [message(1), message(2, undefined, body), message(3)],
    });
    expect(results[0]).toMatchObject({ accepted: true, response: "250 2.0.0 first one queued" });
    for (const r of results.slice(1)) {
      expect(r).toMatchObject({ accepted: false, error: { step: "data", temporary: true } });
    }
  });

  it("times out on a server that never greets, and nothing hangs", async () => {
    const s = await server({
      onConnect() {
        // Never call back: smtp-server then never sends its 220.
      },
    });
    const res = await session(s, [message(1)], { timeouts: { ...FAST, greeting: 800 } });
    expect(res.error).toMatchObject({ step: "greeting", temporary: true });
    expect(res.error?.message).toMatch(/timed out after 800 ms/);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(700);
    expect(res.elapsedMs).toBeLessThan(3000);
  });

  it("times out when the server stalls after the message body", async () => {
    const s = await server({
      onData(stream) {
        stream.resume(); // read everything, answer never
      },
    });
    const res = await session(s, [message(1)], { timeouts: { ...FAST, data: 800 } });
    expect(res.error).toMatchObject({ step: "data", temporary: true });
    expect(res.error?.message).toMatch(/timed out after 800 ms/);
    expect(res.elapsedMs).toBeLessThan(3000);
  });

  it("fails at step connect when nothing listens", async () => {
    const s = await server();
    const port = s.port;
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const results = await harness.post<MessageResult[]>("/deliver", {
      host: "127.0.0.1",
      port,
      security: "none",
      timeouts: FAST,
      messages: [message(1), message(2)],
    });
    expect(results).toHaveLength(2);
    for (const r of results) expect(r.error).toMatchObject({ step: "connect", temporary: true });
  });
});

describe("SMTP client: verifySmtp (relay test connection)", () => {
  it("reports the session facts when everything works", async () => {
    const s = await server({ key: certs.key, cert: certs.cert, authOptional: false });
    const res = await harness.post<Record<string, unknown>>("/verify", {
      host: "127.0.0.1",
      port: s.port,
      security: "starttls",
      servername: "localhost",
      auth: AUTH,
      timeouts: FAST,
    });
    expect(res).toMatchObject({ ok: true, secure: true, authenticated: true });
    expect(res.capabilities).toHaveProperty("AUTH");
  });

  it("names the failing step", async () => {
    const s = await server({ authOptional: false });
    const res = await harness.post<Record<string, unknown>>("/verify", {
      host: "127.0.0.1",
      port: s.port,
      security: "none",
      auth: { user: "app", pass: "nope" },
      timeouts: FAST,
    });
    expect(res).toMatchObject({ ok: false, error: { step: "auth", code: 535, temporary: false } });
  });
});

describe("SMTP client: TLS", () => {
  const tls = () => ({ key: certs.key, cert: certs.cert });

  it("speaks implicit TLS (port 465 style) to a server whose CA is trusted", async () => {
    const s = await server({ secure: true, ...tls(), authOptional: false });
    const res = await session(s, [message(1)], { security: "tls", servername: "localhost", auth: AUTH });
    expect(res.error).toBeUndefined();
    expect(res.connected).toMatchObject({ secure: true, authenticated: true });
    expect(s.received[0]).toMatchObject({ secure: true, user: "app" });
  });

  it("upgrades with STARTTLS (port 587 style), then authenticates", async () => {
    const s = await server({ ...tls(), authOptional: false, allowInsecureAuth: false });
    const res = await session(s, [message(1), message(2)], {
      security: "starttls",
      servername: "localhost",
      auth: AUTH,
    });
    expect(res.error).toBeUndefined();
    expect(res.connected).toMatchObject({ secure: true, authenticated: true });
    expect(s.received.map((r) => r.secure)).toEqual([true, true]);
  });

  it("fails at step tls, permanently, when STARTTLS is required but not offered", async () => {
    const s = await server({ hideSTARTTLS: true });
    const res = await session(s, [message(1)], { security: "starttls", auth: AUTH });
    expect(res.error).toMatchObject({ step: "tls", temporary: false });
    expect(res.error?.message).toMatch(/does not offer STARTTLS/);
    expect(s.auths).toHaveLength(0);
  });

  it("fails at step tls, permanently, when the certificate is not trusted", async () => {
    // smtp-server's built-in certificate is self-signed and not for this host.
    const s = await server();
    const res = await session(s, [message(1)], { security: "starttls", auth: AUTH });
    expect(res.error).toMatchObject({ step: "tls", temporary: false });
    expect(s.auths).toHaveLength(0);
    expect(s.received).toHaveLength(0);
  });

  it("fails at step tls, permanently, when an implicit-TLS certificate is not trusted", async () => {
    const s = await server({ secure: true });
    const res = await session(s, [message(1)], { security: "tls", auth: AUTH });
    expect(res.error).toMatchObject({ step: "tls", temporary: false });
    expect(s.auths).toHaveLength(0);
  });

  it("fails at step tls when the certificate is not for the expected server name", async () => {
    const s = await server({ ...tls() });
    const res = await session(s, [message(1)], { security: "starttls", servername: "relay.example.com" });
    expect(res.error).toMatchObject({ step: "tls", temporary: false });
    expect(s.received).toHaveLength(0);
  });

  it("upgrades opportunistically when STARTTLS is offered, and stays plain when it is not", async () => {
    const offered = await server({ ...tls() });
    const withTls = await session(offered, [message(1)], {
      security: "opportunistic",
      servername: "localhost",
    });
    expect(withTls.connected?.secure).toBe(true);
    const plain = await server({ hideSTARTTLS: true });
    const withoutTls = await session(plain, [message(1)], { security: "opportunistic" });
    expect(withoutTls.connected?.secure).toBe(false);
    expect(withoutTls.results[0]?.accepted).toBe(true);
  });
});
