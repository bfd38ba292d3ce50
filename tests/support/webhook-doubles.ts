import { execFileSync } from "node:child_process";
import { createHmac, createSign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { WEBHOOK_TEST } from "./webhook-fixtures";

/**
 * Doubles of the relays' sides of their webhooks, each signing exactly as the provider documents:
 * an SNS certificate host (a self-signed RSA certificate served over HTTP, with a SubscribeURL
 * that records its visits), and signers for SNS, SendGrid, Mailgun, Postmark and our own format.
 */

export interface SnsDouble {
  /** Base URL of the double (http://127.0.0.1:port). */
  url: string;
  certUrl: string;
  /** The certificate of another key: a message signed with ours does not verify against it. */
  otherCertUrl: string;
  /** Paths of the SubscribeURL visits so far. */
  confirmations: string[];
  sign(message: Record<string, string>, version?: "1" | "2", certUrl?: string): Record<string, string>;
  stop(): Promise<void>;
}

function makeRsaCert(dir: string, name: string) {
  execFileSync(
    "openssl",
    `req -x509 -days 2 -nodes -newkey rsa:2048 -subj /CN=sns.amazonaws.com -keyout ${name}.key -out ${name}.pem`.split(
      " ",
    ),
    { cwd: dir, stdio: "pipe" },
  );
  return {
    key: readFileSync(join(dir, `${name}.key`), "utf8"),
    cert: readFileSync(join(dir, `${name}.pem`)),
  };
}

/** The string SNS signs: `Name\nvalue\n` for the fields of the message's type, in byte order. */
export function snsCanonical(m: Record<string, string>): string {
  const names =
    m.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  return names
    .filter((n) => m[n] !== undefined)
    .map((n) => `${n}\n${m[n]}\n`)
    .join("");
}

/** Starts the SNS double on 127.0.0.1 (the host SNS_CERT_HOST_PATTERN allows in tests). */
export async function startSnsDouble(): Promise<SnsDouble> {
  const dir = mkdtempSync(join(tmpdir(), "edgepost-sns-"));
  const main = makeRsaCert(dir, "sns");
  const other = makeRsaCert(dir, "other");
  const confirmations: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path === "/SimpleNotificationService-test.pem") return res.end(main.cert);
    if (path === "/SimpleNotificationService-other.pem") return res.end(other.cert);
    if (path.startsWith("/confirm")) {
      confirmations.push(path);
      res.setHeader("content-type", "text/xml");
      return res.end("<ConfirmSubscriptionResponse/>");
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const certUrl = `${url}/SimpleNotificationService-test.pem`;
  return {
    url,
    certUrl,
    otherCertUrl: `${url}/SimpleNotificationService-other.pem`,
    confirmations,
    sign(message, version = "2", cert = certUrl) {
      const signer = createSign(version === "1" ? "RSA-SHA1" : "RSA-SHA256");
      signer.update(snsCanonical(message));
      return {
        ...message,
        SignatureVersion: version,
        Signature: signer.sign(main.key, "base64"),
        SigningCertURL: cert,
      };
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const now = () => Math.floor(Date.now() / 1000);

/** SendGrid's headers for a body: ECDSA P-256 over timestamp + body, base64 DER. */
export function sendgridHeaders(body: string, timestamp = now()): Record<string, string> {
  const signer = createSign("sha256");
  signer.update(`${timestamp}${body}`);
  return {
    "content-type": "application/json",
    "x-twilio-email-event-webhook-signature": signer.sign(inject("webhooks").sendgridPrivateKey, "base64"),
    "x-twilio-email-event-webhook-timestamp": String(timestamp),
  };
}

/** Mailgun's in-body signature: hex HMAC-SHA256 of timestamp + token. */
export function mailgunSignature(timestamp = now(), key: string = WEBHOOK_TEST.mailgunKey) {
  const token = Math.random().toString(36).slice(2).padEnd(50, "x");
  const signature = createHmac("sha256", key).update(`${timestamp}${token}`).digest("hex");
  return { timestamp: String(timestamp), token, signature };
}

/** Postmark's Basic credentials header. */
export const postmarkAuth = (
  user: string = WEBHOOK_TEST.postmarkUser,
  password: string = WEBHOOK_TEST.postmarkPassword,
) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** Our own format's headers: `sha256=<hex HMAC of "<timestamp>.<body>">`. */
export function genericHeaders(body: string, timestamp = now(), secret: string = WEBHOOK_TEST.webhookSecret) {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return {
    "content-type": "application/json",
    "x-edgepost-timestamp": String(timestamp),
    "x-edgepost-signature": `sha256=${mac}`,
  };
}
