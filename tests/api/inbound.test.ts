import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMemberships, lists } from "../../schema/lists";
import { sends } from "../../schema/sends";
import { subscribers } from "../../schema/subscribers";
import { suppressions } from "../../schema/suppressions";
import { emailHash } from "../../workers/domain/audience/email";
import { bounceToken } from "../../workers/lib/bounce-token";
import { type DbConnection, openDb } from "../../workers/lib/db";
import { stack } from "../support/api";

/** Mail to the bounce domain reaches the Worker's email() handler (locally through /cdn-cgi/handler/email). */

const FIXTURES = join(import.meta.dirname, "../fixtures/bounces");
const tag = Math.random().toString(36).slice(2, 7);
let conn: DbConnection;
let listId: string;

beforeAll(async () => {
  conn = openDb(stack().databaseUrl);
  const [list] = await conn.db
    .insert(lists)
    .values({ name: `inbound ${tag}`, optIn: "single" })
    .returning();
  listId = list?.id ?? "";
});
afterAll(async () => conn.close());

/** A subscriber on the suite's list and one send to them, as if a message had gone out. */
async function sentTo(email: string) {
  const [sub] = await conn.db.insert(subscribers).values({ email, name: "Inbound" }).returning();
  if (!sub) throw new Error("no subscriber");
  await conn.db
    .insert(listMemberships)
    .values({ listId, subscriberId: sub.id, status: "confirmed", source: "admin" });
  const messageId = `${tag}.${Math.random().toString(36).slice(2)}@news.example.com`;
  const [send] = await conn.db
    .insert(sends)
    .values({ subscriberId: sub.id, email, status: "sent", attempts: 1, sentAt: new Date(), messageId })
    .returning();
  if (!send) throw new Error("no send");
  const token = await bounceToken(stack().secrets.TRACKING_SECRET ?? "", send.id);
  return { sub, send, messageId, bounceAddress: `bounces+${token}@news.example.com` };
}

async function deliver(raw: string, to: string, from = "MAILER-DAEMON@mx.example.net") {
  const url = `${stack().baseUrl}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const res = await fetch(url, { method: "POST", body: raw });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

const dsn = (to: string, recipient: string, status: string, diagnostic: string, originalMessageId: string) =>
  [
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>",
    `To: ${to}`,
    "Subject: Undelivered Mail Returned to Sender",
    `Message-ID: <dsn.${Math.random().toString(36).slice(2)}@mx.example.net>`,
    "Date: Tue, 01 Dec 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    "",
    "--B",
    "Content-Type: text/plain",
    "",
    "This is the mail system at host mx.example.net. Your message could not be delivered.",
    "",
    "--B",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.net",
    "",
    `Final-Recipient: rfc822; ${recipient}`,
    "Action: failed",
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    "",
    "--B",
    "Content-Type: text/rfc822-headers",
    "",
    `Message-ID: <${originalMessageId}>`,
    `To: ${recipient}`,
    "Subject: News",
    "",
    "--B--",
    "",
  ].join("\r\n");

const isSuppressed = async (email: string) =>
  (
    await conn.db
      .select()
      .from(suppressions)
      .where(eq(suppressions.emailHash, await emailHash(email)))
  )[0];

describe("inbound mail: bounces", () => {
  it("a hard bounce DSN to the signed bounce address marks the send bounced and suppresses the subscriber", async () => {
    const email = `hard-${tag}@example.org`;
    const t = await sentTo(email);
    await deliver(
      dsn(
        t.bounceAddress,
        email,
        "5.1.1",
        "550 5.1.1 <x>: Recipient address rejected: User unknown",
        t.messageId,
      ),
      t.bounceAddress,
    );
    const [send] = await conn.db.select().from(sends).where(eq(sends.id, t.send.id));
    expect(send).toMatchObject({ status: "bounced", lastEnhanced: "5.1.1" });
    expect(await isSuppressed(email)).toMatchObject({ reason: "bounce" });
    const [sub] = await conn.db.select().from(subscribers).where(eq(subscribers.id, t.sub.id));
    expect(sub?.status).toBe("bounced");
  });

  it("matches by the quoted Message-ID when the bounce came to another address", async () => {
    const email = `byid-${tag}@example.org`;
    const t = await sentTo(email);
    await deliver(
      dsn("postmaster@news.example.com", email, "5.1.1", "550 user unknown", t.messageId),
      "postmaster@news.example.com",
    );
    const [send] = await conn.db.select().from(sends).where(eq(sends.id, t.send.id));
    expect(send?.status).toBe("bounced");
  });

  it("counts soft bounces and suppresses only at the third within the window; a repeated notice counts once", async () => {
    const email = `soft-${tag}@example.org`;
    for (let i = 1; i <= 3; i++) {
      const t = await sentTo(i === 1 ? email : email.replace("@", `+x${i}@`));
      // The same address each time: three sends to one subscriber would be three campaigns.
      await conn.db
        .update(sends)
        .set({ email, subscriberId: (await firstSubscriber(email)).id })
        .where(eq(sends.id, t.send.id));
      const notice = dsn(t.bounceAddress, email, "4.2.2", "452 4.2.2 Mailbox full", t.messageId);
      await deliver(notice, t.bounceAddress);
      await deliver(notice, t.bounceAddress); // the MTA sent it twice
      if (i < 3) expect(await isSuppressed(email), `after ${i}`).toBeUndefined();
    }
    expect(await isSuppressed(email)).toMatchObject({ reason: "bounce" });
  });

  it("a real MTA's bounce (Postfix, from the sisimai corpus) is classified and applied", async () => {
    const t = await sentTo("kijitora@example.org");
    const raw = readFileSync(join(FIXTURES, "lhost-postfix-01.eml"), "utf8");
    await deliver(raw, t.bounceAddress);
    const [send] = await conn.db.select().from(sends).where(eq(sends.id, t.send.id));
    expect(send).toMatchObject({ status: "bounced", lastEnhanced: "5.1.1" });
  });

  it("ignores auto-replies and ordinary mail", async () => {
    const t = await sentTo(`auto-${tag}@example.org`);
    for (const file of ["rfc3834-02.eml", "not-bounce/is-not-bounce-01.eml"]) {
      await deliver(readFileSync(join(FIXTURES, file), "utf8"), t.bounceAddress);
    }
    const [send] = await conn.db.select().from(sends).where(eq(sends.id, t.send.id));
    expect(send?.status).toBe("sent");
    expect(await isSuppressed(`auto-${tag}@example.org`)).toBeUndefined();
  });

  it("ignores a bounce whose token was altered and that quotes nothing of ours", async () => {
    const email = `forged-${tag}@example.org`;
    const t = await sentTo(email);
    const forged = t.bounceAddress.replace(/-([a-z2-7])/, (_, c: string) => `-${c === "a" ? "b" : "a"}`);
    await deliver(dsn(forged, email, "5.1.1", "550 user unknown", "someone-else@elsewhere"), forged);
    expect(await isSuppressed(email)).toBeUndefined();
  });
});

describe("inbound mail: complaints and unsubscribes", () => {
  it("an ARF complaint suppresses, marks the subscriber complained and unsubscribes them from every list", async () => {
    const t = await sentTo("redacted@example.net");
    await deliver(readFileSync(join(FIXTURES, "arf-01.eml"), "utf8"), t.bounceAddress, "fbl@example.net");
    const [sub] = await conn.db.select().from(subscribers).where(eq(subscribers.id, t.sub.id));
    expect(sub?.status).toBe("complained");
    expect(await isSuppressed("redacted@example.net")).toMatchObject({ reason: "complaint" });
    const memberships = await conn.db
      .select()
      .from(listMemberships)
      .where(eq(listMemberships.subscriberId, t.sub.id));
    expect(memberships.every((m) => m.status === "unsubscribed")).toBe(true);
  });

  it("a mail to the List-Unsubscribe mailto address unsubscribes the sender's subscriber", async () => {
    const email = `mailto-${tag}@example.org`;
    const t = await sentTo(email);
    const raw = [
      `From: <${email}>`,
      `To: <${t.bounceAddress}>`,
      "Subject: unsubscribe",
      `Message-ID: <u.${tag}@example.org>`,
      "Date: Tue, 01 Dec 2026 10:00:00 +0000",
      "",
      "Please unsubscribe me.",
      "",
    ].join("\r\n");
    await deliver(raw, t.bounceAddress, email);
    const [sub] = await conn.db.select().from(subscribers).where(eq(subscribers.id, t.sub.id));
    expect(sub?.status).toBe("unsubscribed");
    expect(await isSuppressed(email)).toMatchObject({ reason: "unsubscribe" });
  });
});

async function firstSubscriber(email: string) {
  const [row] = await conn.db
    .select()
    .from(subscribers)
    .where(sql`lower(${subscribers.email}) = lower(${email})`);
  if (!row) throw new Error(`no subscriber ${email}`);
  return row;
}
