import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events } from "../../schema/events";
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

/** A DSN reporting a failure for each of `recipients` (one address or several). */
const dsn = (
  to: string,
  recipients: string | string[],
  status: string,
  diagnostic: string,
  originalMessageId: string,
) =>
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
    ...[recipients]
      .flat()
      .flatMap((recipient) => [
        "",
        `Final-Recipient: rfc822; ${recipient}`,
        "Action: failed",
        `Status: ${status}`,
        `Diagnostic-Code: smtp; ${diagnostic}`,
      ]),
    "",
    "--B",
    "Content-Type: text/rfc822-headers",
    "",
    `Message-ID: <${originalMessageId}>`,
    `To: ${[recipients].flat().join(", ")}`,
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

/** An ARF (RFC 5965) abuse report naming `recipients` (Original-Rcpt-To) about our message. */
const arf = (to: string, recipients: string[], originalMessageId: string) =>
  [
    "From: <fbl@isp.example.net>",
    `To: ${to}`,
    "Subject: FW: News",
    `Message-ID: <arf.${Math.random().toString(36).slice(2)}@isp.example.net>`,
    "Date: Tue, 01 Dec 2026 10:00:00 +0000",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=feedback-report; boundary="F"',
    "",
    "--F",
    "Content-Type: text/plain",
    "",
    "This is an email abuse report.",
    "",
    "--F",
    "Content-Type: message/feedback-report",
    "",
    "Feedback-Type: abuse",
    "User-Agent: ISP-FBL/1.0",
    "Version: 1",
    ...recipients.map((r) => `Original-Rcpt-To: ${r}`),
    "",
    "--F",
    "Content-Type: message/rfc822",
    "",
    "From: News <news@news.example.com>",
    `To: ${recipients.join(", ")}`,
    `Message-ID: <${originalMessageId}>`,
    "Subject: News",
    "",
    "Hello",
    "",
    "--F--",
    "",
  ].join("\r\n");

/** Everything the rules could have changed for a subscriber with one send. */
async function stateOf(t: Awaited<ReturnType<typeof sentTo>>) {
  const [send] = await conn.db.select().from(sends).where(eq(sends.id, t.send.id));
  const [sub] = await conn.db.select().from(subscribers).where(eq(subscribers.id, t.sub.id));
  const memberships = await conn.db
    .select({ status: listMemberships.status })
    .from(listMemberships)
    .where(eq(listMemberships.subscriberId, t.sub.id));
  const suppression = await isSuppressed(t.sub.email);
  const recorded = await conn.db
    .select({ kind: events.kind })
    .from(events)
    .where(sql`${events.subscriberId} = ${t.sub.id} or ${events.data}->>'email' = ${t.sub.email}`);
  return {
    send: send?.status,
    subscriber: sub?.status,
    memberships: memberships.map((m) => m.status),
    suppressed: suppression?.reason ?? null,
    events: recorded.map((e) => e.kind),
  };
}

const untouched = {
  send: "sent",
  subscriber: "active",
  memberships: ["confirmed"],
  suppressed: null,
  events: [],
};

describe("inbound mail: a recipient's forged notice affects only their own send", () => {
  // Every recipient can read their own message's bounce address and Message-ID; a notice mailed
  // there may name anyone. Only the matched send's own address may ever be penalised.
  type Sent = Awaited<ReturnType<typeof sentTo>>;
  const paths: [string, string, (t: Sent) => string][] = [
    ["tok", "to their signed bounce address", (t) => t.bounceAddress],
    ["mid", "quoting their Message-ID", () => "postmaster@news.example.com"],
  ];

  for (const [key, path, to] of paths) {
    it(`a DSN ${path} naming a victim changes nothing for the victim (or the sender)`, async () => {
      const attacker = await sentTo(`dsn-a-${key}-${tag}@example.org`);
      const victim = await sentTo(`dsn-v-${key}-${tag}@example.org`);
      await deliver(
        dsn(to(attacker), victim.sub.email, "5.1.1", "550 5.1.1 user unknown", attacker.messageId),
        to(attacker),
        attacker.sub.email,
      );
      expect(await stateOf(victim)).toEqual(untouched);
      expect(await stateOf(attacker)).toEqual(untouched);
    });

    it(`a DSN ${path} naming the recipient and a victim bounces the recipient only`, async () => {
      const owner = await sentTo(`dsn-o-${key}-${tag}@example.org`);
      const victim = await sentTo(`dsn-w-${key}-${tag}@example.org`);
      await deliver(
        dsn(
          to(owner),
          [victim.sub.email, owner.sub.email],
          "5.1.1",
          "550 5.1.1 user unknown",
          owner.messageId,
        ),
        to(owner),
      );
      expect(await stateOf(victim)).toEqual(untouched);
      expect(await stateOf(owner)).toMatchObject({
        send: "bounced",
        subscriber: "bounced",
        suppressed: "bounce",
        events: ["bounce"],
      });
    });

    it(`an ARF report ${path} naming a victim changes nothing for the victim`, async () => {
      const attacker = await sentTo(`arf-a-${key}-${tag}@example.org`);
      const victim = await sentTo(`arf-v-${key}-${tag}@example.org`);
      await deliver(
        arf(to(attacker), [victim.sub.email], attacker.messageId),
        to(attacker),
        attacker.sub.email,
      );
      expect(await stateOf(victim)).toEqual(untouched);
      expect(await stateOf(attacker)).toEqual(untouched);
    });

    it(`an ARF report ${path} naming the recipient and a victim affects the recipient only`, async () => {
      const owner = await sentTo(`arf-o-${key}-${tag}@example.org`);
      const victim = await sentTo(`arf-w-${key}-${tag}@example.org`);
      await deliver(arf(to(owner), [victim.sub.email, owner.sub.email], owner.messageId), to(owner));
      expect(await stateOf(victim)).toEqual(untouched);
      expect(await stateOf(owner)).toMatchObject({
        subscriber: "complained",
        memberships: ["unsubscribed"],
        suppressed: "complaint",
        events: ["complaint"],
      });
    });
  }
});

async function firstSubscriber(email: string) {
  const [row] = await conn.db
    .select()
    .from(subscribers)
    .where(sql`lower(${subscribers.email}) = lower(${email})`);
  if (!row) throw new Error(`no subscriber ${email}`);
  return row;
}
