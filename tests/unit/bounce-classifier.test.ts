import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFeedbackReport } from "../../workers/bounce/arf";
import { type Classification, classifyMessage, classifySmtpReply } from "../../workers/bounce/classify";
import { parseDeliveryStatus } from "../../workers/bounce/dsn";
import { classifyMailbox } from "../../workers/bounce/mailbox";
import { findReplyCode, findStatus, preferStatus } from "../../workers/bounce/status";

const ROOT = new URL("../..", import.meta.url).pathname;
// The sisimai sample corpus, kept in the repository with its licences (tests/fixtures/bounces/README.md);
// another corpus in the same layout can be named with BOUNCE_FIXTURES.
const FIXTURES = process.env.BOUNCE_FIXTURES ?? join(import.meta.dirname, "../fixtures/bounces");

interface ExpectedRecipient {
  index: number;
  status: string;
  replyCode: string;
  reason: string;
  hard: boolean;
  feedbackType?: string;
}
interface Expected {
  file: string;
  kind: "bounce" | "complaint" | "not-bounce";
  recipients: ExpectedRecipient[];
}

/** Classifies every message of a fixture file (some hold several, mbox style). */
function classifyFile(file: string): Promise<Classification> {
  return classifyMailbox(readFileSync(join(FIXTURES, file)));
}

/** x.0.9NN codes are sisimai's stand-ins for a code the notice lacked: only the class counts. */
function sameStatus(expected: string, got: string): boolean {
  return /^[245]\.0\.9\d\d$/.test(expected) ? got[0] === expected[0] : got === expected;
}

const pct = (n: number, of: number) => (of === 0 ? 100 : Math.round((1000 * n) / of) / 10);

describe.skipIf(!existsSync(join(FIXTURES, "expected.json")))(
  "fixture accuracy (sisimai set-of-emails sample)",
  () => {
    it("meets the hard/soft, status and not-bounce targets", async () => {
      const expected = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as Expected[];
      const counts = { recipients: 0, hard: 0, status: 0, reason: 0, replyCode: 0, messages: 0, kind: 0 };
      const complaints = { total: 0, feedbackType: 0 };
      const notBounce = { total: 0, wrong: 0 };
      const mismatches: string[] = [];
      const slowest = { file: "", ms: 0 };

      for (const e of expected) {
        const started = performance.now();
        const got = await classifyFile(e.file);
        const ms = performance.now() - started;
        if (ms > slowest.ms) Object.assign(slowest, { file: e.file, ms: Math.round(ms) });
        counts.messages++;
        if (got.kind === e.kind) counts.kind++;
        else mismatches.push(`${e.file}: kind ${got.kind}, expected ${e.kind}`);
        if (e.kind === "not-bounce") {
          notBounce.total++;
          if (got.kind !== "not-bounce") notBounce.wrong++;
        }
        if (got.recipients.length !== e.recipients.length) {
          mismatches.push(`${e.file}: ${got.recipients.length} recipients, expected ${e.recipients.length}`);
        }
        e.recipients.forEach((x, i) => {
          const g = got.recipients[i];
          counts.recipients++;
          const okHard = g?.hard === x.hard;
          const okStatus = g !== undefined && sameStatus(x.status, g.status);
          if (okHard) counts.hard++;
          if (okStatus) counts.status++;
          if (g?.reason === x.reason) counts.reason++;
          if ((g?.replyCode ?? "") === x.replyCode) counts.replyCode++;
          if (x.feedbackType) {
            complaints.total++;
            if (g?.feedbackType === x.feedbackType) complaints.feedbackType++;
          }
          if (!okHard || !okStatus || g?.reason !== x.reason) {
            const have = g ? `${g.status} ${g.reason} hard=${g.hard}` : "missing";
            mismatches.push(
              `${e.file}#${i + 1}: got ${have}, expected ${x.status} ${x.reason} hard=${x.hard}`,
            );
          }
        });
      }

      const figures = {
        "hard/soft": pct(counts.hard, counts.recipients),
        status: pct(counts.status, counts.recipients),
        reason: pct(counts.reason, counts.recipients),
        replyCode: pct(counts.replyCode, counts.recipients),
        kind: pct(counts.kind, counts.messages),
        feedbackType: pct(complaints.feedbackType, complaints.total),
      };
      const report = {
        recipients: counts.recipients,
        messages: counts.messages,
        figures,
        notBounce: { messages: notBounce.total, takenForBounceOrComplaint: notBounce.wrong },
        slowest,
        mismatches,
      };
      console.log(
        [
          "bounce classifier on the fixture corpus",
          `  recipients ${counts.recipients}, messages ${counts.messages}`,
          ...Object.entries(figures).map(([k, v]) => `  ${k.padEnd(13)} ${v.toFixed(1)}%`),
          `  not-bounce    ${notBounce.wrong} of ${notBounce.total} taken for a bounce or complaint`,
          `  slowest       ${slowest.file} ${slowest.ms} ms`,
          `mismatches (${mismatches.length}):`,
          ...mismatches.map((m) => `  ${m}`),
        ].join("\n"),
      );
      mkdirSync(join(ROOT, ".test-tmp"), { recursive: true });
      writeFileSync(join(ROOT, ".test-tmp/bounce-report.json"), `${JSON.stringify(report, null, 2)}\n`);

      expect(figures["hard/soft"]).toBeGreaterThanOrEqual(95);
      expect(figures.status).toBeGreaterThanOrEqual(90);
      expect(figures.kind).toBeGreaterThanOrEqual(95);
      expect(figures.feedbackType).toBe(100);
      expect(notBounce.wrong).toBe(0);
    }, 120_000);
  },
);

const dsn = (recipients: string) => `From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>
To: bounces+token@send.example.com
Subject: Returned mail: see transcript for details
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The original message was received at Mon, 1 Jan 2024 00:00:00 +0000.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

${recipients}
--B
Content-Type: text/rfc822-headers

From: News <news@send.example.com>
To: someone@example.org
Message-ID: <campaign-42@send.example.com>
X-Edgepost-Send: s_123

--B--
`;

describe("status codes", () => {
  it("finds the enhanced status code in a diagnostic, ignoring IP addresses and versions", () => {
    expect(findStatus("550 5.1.1 <a@example.org>... User unknown")).toBe("5.1.1");
    expect(findStatus("host 192.0.2.1 said: 452 4.2.2 Mailbox full")).toBe("4.2.2");
    expect(findStatus("Postfix v3.4.5 said 550 no such user")).toBe("");
    expect(findStatus("550-5.7.26 This mail is unauthenticated", "5")).toBe("5.7.26");
    expect(findStatus("550 5.0.0 rejected; 5.7.1 policy")).toBe("5.7.1");
  });

  it("finds the reply code and prefers the specific status over a vague one", () => {
    expect(findReplyCode("Remote host said: 554 delivery error")).toBe("554");
    expect(findReplyCode("version 1.550.2 said nothing")).toBe("");
    expect(preferStatus("5.0.0", "5.1.1", "550")).toBe("5.1.1");
    expect(preferStatus("5.1.1", "5.7.1", "550")).toBe("5.7.1");
    expect(preferStatus("4.4.7", "5.1.1", "550")).toBe("5.1.1");
  });
});

describe("SMTP replies", () => {
  it("classifies reply codes, enhanced codes and texts", () => {
    expect(classifySmtpReply({ code: 550, enhanced: "5.1.1", text: "No such user" })).toEqual({
      status: "5.1.1",
      hard: true,
      reason: "userunknown",
      temporary: false,
    });
    expect(classifySmtpReply({ code: 452, enhanced: "4.2.2", text: "Mailbox full" })).toMatchObject({
      hard: false,
      reason: "mailboxfull",
      temporary: true,
    });
    expect(
      classifySmtpReply({
        code: 550,
        text: "5.7.1 Service unavailable; client blocked using zen.spamhaus.org",
      }),
    ).toMatchObject({ status: "5.7.1", hard: false, reason: "blocked" });
    expect(classifySmtpReply({ code: 421, text: "Try again later" })).toMatchObject({
      status: "4.0.0",
      temporary: true,
    });
    expect(classifySmtpReply({})).toMatchObject({ status: "", hard: false, temporary: false });
  });
});

describe("delivery status notifications", () => {
  it("reports each recipient of a DSN with two recipients", async () => {
    const raw = dsn(`Final-Recipient: rfc822; gone@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown

Final-Recipient: rfc822; full@example.net
Action: delayed
Status: 4.2.2
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full
`);
    const result = await classifyMessage(raw);
    expect(result.kind).toBe("bounce");
    expect(result.recipients).toMatchObject([
      { email: "gone@example.org", status: "5.1.1", hard: true, reason: "userunknown", replyCode: "550" },
      { email: "full@example.net", status: "4.2.2", hard: false, reason: "mailboxfull", action: "delayed" },
    ]);
    expect(result.originalMessageId).toBe("campaign-42@send.example.com");
    expect(result.originalHeaders?.["x-edgepost-send"]).toBe("s_123");
    expect(result.deliveredTo).toContain("bounces+token@send.example.com");
  });

  it("reads a message with CRLF line ends like one with LF", async () => {
    const lf = dsn("Final-Recipient: rfc822; gone@example.org\nAction: failed\nStatus: 5.1.1\n");
    const crlf = new TextEncoder().encode(lf.replace(/\n/g, "\r\n"));
    expect((await classifyMessage(crlf)).recipients).toEqual((await classifyMessage(lf)).recipients);
  });

  it("parses folded fields and groups without a blank line before the next recipient", () => {
    const report = parseDeliveryStatus(`Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; <a@example.org>
Action: failed
Status: 5.0.0 (permanent failure)
Diagnostic-Code: smtp; 550 Requested action not taken:
    mailbox unavailable
Final-Recipient: rfc822; "b..c"@example.org
Action: failed
Status: 5.2.2
`);
    expect(report.recipients.map((r) => r.email)).toEqual(["a@example.org", '"b..c"@example.org']);
    expect(report.recipients[0]?.diagnostic).toBe(
      "permanent failure 550 Requested action not taken: mailbox unavailable",
    );
  });

  it("reads a free-form Exim notice that has no report part", async () => {
    const raw = `From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: bounces+token@send.example.com
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: gone@example.org

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  gone@example.org
    host mx.example.org [192.0.2.1]
    SMTP error from remote mail server after RCPT TO:<gone@example.org>:
    550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown

------ This is a copy of the message, including all the headers. ------

Message-ID: <campaign-43@send.example.com>
From: News <news@send.example.com>
`;
    const result = await classifyMessage(raw);
    expect(result.recipients).toMatchObject([{ email: "gone@example.org", status: "5.1.1", hard: true }]);
    expect(result.originalMessageId).toBe("campaign-43@send.example.com");
  });
});

describe("provider notices", () => {
  it("reads an Amazon SES notification delivered through an SNS e-mail subscription", async () => {
    const message = {
      notificationType: "Complaint",
      complaint: {
        complainedRecipients: [{ emailAddress: "reader@example.org" }],
        complaintFeedbackType: "abuse",
      },
      mail: { headers: [{ name: "Message-ID", value: "<campaign-45@send.example.com>" }] },
    };
    const sns = JSON.stringify({ Type: "Notification", Message: JSON.stringify(message) }, null, 2);
    const raw = `From: AWS Notifications <no-reply@sns.amazonaws.com>
To: ops@send.example.com
Subject: AWS Notification Message

${sns}
`;
    expect(await classifyMessage(raw)).toMatchObject({
      kind: "complaint",
      originalMessageId: "campaign-45@send.example.com",
      recipients: [{ email: "reader@example.org", reason: "feedback", feedbackType: "abuse" }],
    });
  });

  it("reads a notice forwarded as an attachment", async () => {
    const inner = dsn("Final-Recipient: rfc822; gone@example.org\nAction: failed\nStatus: 5.1.1\n");
    const raw = `From: Jane Admin <jane@send.example.com>
To: bounces+token@send.example.com
Subject: Fwd: Returned mail
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="F"

--F
Content-Type: text/plain

See below.

--F
Content-Type: message/rfc822

${inner}
--F--
`;
    expect(await classifyMessage(raw)).toMatchObject({
      kind: "bounce",
      recipients: [{ email: "gone@example.org", status: "5.1.1", hard: true }],
    });
  });
});

describe("complaints, auto-replies and other mail", () => {
  it("reads an ARF feedback report", async () => {
    const raw = `From: feedback@fbl.example.net
To: fbl@send.example.com
Subject: Abuse report
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="A"

--A
Content-Type: text/plain

This is an email abuse report for an email message received from IP 192.0.2.1.

--A
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <bounces+token@send.example.com>
Original-Rcpt-To: <reader@example.org>
Source-IP: 192.0.2.1

--A
Content-Type: message/rfc822

From: News <news@send.example.com>
To: reader@example.org
Message-ID: <campaign-44@send.example.com>
Subject: Hello

Hi
--A--
`;
    const result = await classifyMessage(raw);
    expect(result).toMatchObject({
      kind: "complaint",
      originalMessageId: "campaign-44@send.example.com",
      recipients: [
        { email: "reader@example.org", reason: "feedback", feedbackType: "abuse", hard: false, status: "" },
      ],
    });
    expect(parseFeedbackReport("Feedback-Type: opt-out\nRemoval-Recipient: a@example.org\n")).toMatchObject({
      feedbackType: "opt-out",
      recipients: ["a@example.org"],
    });
  });

  it("takes an out-of-office reply for a vacation notice, not a failure", async () => {
    const raw = `From: Jane Reader <jane@example.org>
To: news@send.example.com
Subject: Automatic reply: Our October newsletter
Auto-Submitted: auto-replied

I am out of the office until Monday.
`;
    expect(await classifyMessage(raw)).toMatchObject({
      kind: "bounce",
      recipients: [{ email: "jane@example.org", reason: "vacation", hard: false, status: "" }],
    });
  });

  it("leaves ordinary mail alone, even when it talks about delivery", async () => {
    const raw = `From: Jane Reader <jane@example.org>
To: news@send.example.com
Subject: Re: delivery of my order
Date: Mon, 1 Jan 2024 00:00:00 +0000

Hi, my parcel could not be delivered to: jane@example.org
550 thanks anyway
`;
    expect(await classifyMessage(raw)).toEqual({
      kind: "not-bounce",
      recipients: [],
      deliveredTo: ["news@send.example.com"],
    });
  });

  it("never throws on garbage and stays fast on hostile input", async () => {
    const inputs: (string | Uint8Array | ArrayBuffer)[] = [
      "",
      "\u0000\u0001\u0002",
      "Content-Type: multipart/report; boundary=x\n\n--x\n--x--",
      new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0x0a, 0x0a, 0x41]),
      new ArrayBuffer(16),
      `From: MAILER-DAEMON@x\nSubject: Undelivered Mail\n\n${"a".repeat(200_000)}@${"b.".repeat(50_000)}`,
      `From: MAILER-DAEMON@x\n\n${"<a@b.c>: 550 ".repeat(20_000)}`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      const result = await classifyMessage(input);
      expect(["bounce", "not-bounce"]).toContain(result.kind);
      expect(performance.now() - started).toBeLessThan(1500);
    }
    expect((await classifyMessage("")).kind).toBe("not-bounce");
  });
});
