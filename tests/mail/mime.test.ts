import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { encodeHeaderWords, encodeQuotedPrintable } from "../../workers/mail/mime/encode";
import { buildMessage, parseMailbox } from "../../workers/mail/mime/mime";

// mimetext/browser and the encoders are plain JavaScript, so they are checked here from Node;
// the SMTP suites send their output through workerd.

describe("buildMessage", () => {
  const base = {
    from: "Edgepost <no-reply@mail.edgepost.test>",
    to: "Zoë Example <zoe@example.test>",
    subject: "Grüße aus Köln — 你好 — ".repeat(4),
    html: `<p>${"Lörem ipsum dolor sit amet ".repeat(40)}</p>\n<p>.dot line</p>`,
    text: `Line with trailing spaces   \n.starts with a dot\n${"x".repeat(200)}\n`,
  };

  it("round-trips unicode headers and bodies through a MIME parser", async () => {
    const built = buildMessage({ ...base, date: new Date("2026-11-28T13:05:00Z") });
    const parsed = await PostalMime.parse(built.raw);
    expect(parsed.subject).toBe(base.subject);
    expect(parsed.from).toMatchObject({ name: "Edgepost", address: "no-reply@mail.edgepost.test" });
    expect(parsed.to?.[0]).toMatchObject({ name: "Zoë Example", address: "zoe@example.test" });
    // mimetext ends each part with a blank line before the boundary, hence trimEnd.
    expect(parsed.html?.replace(/\r\n/g, "\n").trimEnd()).toBe(base.html);
    expect(parsed.text?.replace(/\r\n/g, "\n").trimEnd()).toBe(base.text.trimEnd());
    expect(parsed.date).toBe("2026-11-28T13:05:00.000Z");
    expect(parsed.messageId).toBe(built.messageId);
    expect(built.messageId).toMatch(/^<[0-9a-f]{32}@mail\.edgepost\.test>$/);
    expect(built).toMatchObject({ from: "no-reply@mail.edgepost.test", to: ["zoe@example.test"] });
  });

  it("writes CRLF lines of at most 78 characters, 7-bit only, multipart/alternative", () => {
    const { raw } = buildMessage(base);
    expect(raw).not.toMatch(/[^\r]\n/);
    expect(raw).not.toMatch(/[^\x20-\x7e\r\n\t]/);
    for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
    expect(raw).toMatch(/^MIME-Version: 1\.0\r$/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative; boundary=/m);
    expect(raw).toMatch(/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r$/m);
  });

  it("leaves plain ASCII subjects readable", () => {
    const { raw } = buildMessage({ ...base, subject: "Confirm your address" });
    expect(raw).toMatch(/^Subject: Confirm your address\r$/m);
  });
});

describe("encoders", () => {
  it("splits encoded words at 75 characters without splitting a character", () => {
    const encoded = encodeHeaderWords("😀".repeat(40));
    for (const word of encoded.split("\r\n ")) {
      expect(word.length).toBeLessThanOrEqual(75);
      const b64 = word.slice("=?UTF-8?B?".length, -2);
      expect(Buffer.from(b64, "base64").toString("utf8")).toMatch(/^(😀)+$/);
    }
  });

  it("quoted-printable protects trailing whitespace, '=' and leading dots", () => {
    expect(encodeQuotedPrintable("a = b \n.x\t")).toBe("a =3D b=20\r\n=2Ex=09");
  });

  it("parses mailboxes with and without display names", () => {
    expect(parseMailbox('"Edgepost Team" <team@edgepost.test>')).toEqual({
      name: "Edgepost Team",
      address: "team@edgepost.test",
    });
    expect(parseMailbox("team@edgepost.test")).toEqual({ address: "team@edgepost.test" });
    expect(() => parseMailbox("not an address")).toThrow(/not an email address/);
  });
});
