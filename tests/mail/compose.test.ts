import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { base64Lines, quotedPrintable } from "../../workers/mail/mime/body-encoding";
import { bounceAddress, type ComposeInput, composeMessage } from "../../workers/mail/mime/compose";
import { encodeQuotedPrintable } from "../../workers/mail/mime/encode";

const base: ComposeInput = {
  from: "Zoë from Edgepost <news@mail.edgepost.test>",
  to: "Jörg Müller <jorg@example.com>",
  replyTo: "Editors <editors@edgepost.test>",
  subject: "Grüße — your digest 👋",
  html: `<p>Hallo Jörg — ${"ein langer Absatz ".repeat(30)}</p>\n<p>.dot line</p>`,
  text: `Hallo Jörg\n.dot line\ntrailing   \n${"x".repeat(200)}`,
  date: new Date("2026-11-28T13:05:00Z"),
  unsubscribe: { url: "https://edgepost.test/u/tok123", mailto: "unsubscribe@mail.edgepost.test" },
  list: { id: "weekly", name: "Weekly digest" },
  feedbackId: { campaign: "cmp1", kind: "newsletter" },
  bounce: { token: "v1_AbC-123", domain: "bounces.edgepost.test" },
};

const header = (raw: string, name: string) => {
  const unfolded = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]/g, " ");
  return new RegExp(`^${name}: (.*)$`, "mi").exec(unfolded)?.[1]?.replace(/\r$/, "");
};

describe("composeMessage", () => {
  it("round-trips headers and bodies through postal-mime", async () => {
    const msg = composeMessage(base);
    const parsed = await PostalMime.parse(msg.raw);
    expect(parsed.subject).toBe(base.subject);
    expect(parsed.from).toMatchObject({ name: "Zoë from Edgepost", address: "news@mail.edgepost.test" });
    expect(parsed.to).toEqual([{ name: "Jörg Müller", address: "jorg@example.com" }]);
    expect(parsed.replyTo).toEqual([{ name: "Editors", address: "editors@edgepost.test" }]);
    expect(parsed.html?.replace(/\r\n/g, "\n").trimEnd()).toBe(base.html);
    expect(parsed.text?.replace(/\r\n/g, "\n").trimEnd()).toBe(base.text);
    expect(parsed.date).toBe("2026-11-28T13:05:00.000Z");
    expect(parsed.messageId).toBe(msg.messageId);
  });

  it("puts the Message-ID on the sending domain and returns the envelope separately", () => {
    const msg = composeMessage({ ...base, sendingDomain: "send.edgepost.test" });
    expect(msg.messageId).toMatch(/^<[0-9a-f]{32}@send\.edgepost\.test>$/);
    expect(msg.envelopeFrom).toBe("bounces+v1_AbC-123@bounces.edgepost.test");
    expect(msg.from).toBe(msg.envelopeFrom);
    expect(msg.to).toEqual(["jorg@example.com"]);
    expect(header(msg.raw, "Return-Path")).toBeUndefined();
    expect(composeMessage({ ...base, bounce: undefined }).envelopeFrom).toBe("news@mail.edgepost.test");
  });

  it("writes the list headers Gmail and Yahoo ask bulk senders for", () => {
    const { raw } = composeMessage(base);
    expect(header(raw, "List-Unsubscribe")).toBe(
      "<https://edgepost.test/u/tok123>, <mailto:unsubscribe@mail.edgepost.test?subject=unsubscribe>",
    );
    expect(header(raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    expect(header(raw, "List-ID")).toBe('"Weekly digest" <weekly.mail.edgepost.test>');
    expect(header(raw, "Feedback-ID")).toBe("cmp1:newsletter:edgepost");
    const mailtoOnly = composeMessage({ ...base, unsubscribe: { mailto: "u@mail.edgepost.test" } }).raw;
    expect(header(mailtoOnly, "List-Unsubscribe-Post")).toBeUndefined();
  });

  it("encodes headers per RFC 2047 and keeps every line 7-bit, CRLF and at most 78 characters", () => {
    const { raw } = composeMessage({
      ...base,
      subject: "Ünïcödé ".repeat(20),
      to: `${"Ä".repeat(40)} <a@example.com>`,
    });
    // CRLF throughout, with no lone CR or LF: the send path signs it without normalising.
    expect(raw).not.toMatch(/[^\r]\n|\r(?!\n)/);
    expect(raw).not.toMatch(/[^\x20-\x7e\r\n\t]/);
    for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
    for (const word of raw.match(/=\?UTF-8\?B\?[^?]*\?=/g) ?? []) expect(word.length).toBeLessThanOrEqual(75);
    // A URL cannot be folded: its line may pass 78 characters, never the 998 of RFC 5322.
    const long = composeMessage({
      ...base,
      unsubscribe: { url: `https://edgepost.test/u/${"t".repeat(300)}` },
    }).raw;
    for (const line of long.split("\r\n")) expect(line.length).toBeLessThanOrEqual(998);
  });

  it("nests alternative in related for inline images and in mixed for attachments", async () => {
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 1, 2, 3]);
    const pdf = new Uint8Array(4000).map((_, i) => (i * 7) % 256);
    const msg = composeMessage({
      ...base,
      html: '<p><img src="cid:logo@edgepost" alt="Logo"></p>',
      inlineImages: [{ cid: "logo@edgepost", contentType: "image/png", content: png, filename: "logo.png" }],
      attachments: [{ filename: "Übersicht 2026.pdf", contentType: "application/pdf", content: pdf }],
    });
    expect(msg.raw).toMatch(/^Content-Type: multipart\/mixed; boundary=ep_[0-9a-f]{24}\r$/m);
    expect(msg.raw).toMatch(/^Content-Type: multipart\/related; boundary=ep_[0-9a-f]{24}\r$/m);
    expect(msg.raw).toMatch(/^Content-Type: multipart\/alternative; boundary=ep_[0-9a-f]{24}\r$/m);
    const parsed = await PostalMime.parse(msg.raw);
    const [logo, file] = parsed.attachments;
    expect(logo).toMatchObject({
      mimeType: "image/png",
      disposition: "inline",
      contentId: "<logo@edgepost>",
      filename: "logo.png",
    });
    expect(new Uint8Array(logo?.content as ArrayBuffer)).toEqual(png);
    expect(file).toMatchObject({
      mimeType: "application/pdf",
      disposition: "attachment",
      filename: "Übersicht 2026.pdf",
    });
    expect(new Uint8Array(file?.content as ArrayBuffer)).toEqual(pdf);
    expect(parsed.html).toContain('src="cid:logo@edgepost"');
    expect(parsed.text?.trim()).toBe(base.text);
  });

  it("refuses header injection and unsafe bounce tokens", () => {
    expect(() =>
      composeMessage({ ...base, headers: { "X-Campaign": "a\r\nBcc: victim@example.com" } }),
    ).toThrow(/line break/);
    expect(() => bounceAddress({ token: "a@b", domain: "x.test" })).toThrow(/bounce token/);
    const { raw } = composeMessage({ ...base, subject: "Hi\r\nBcc: victim@example.com" });
    expect(raw).not.toMatch(/^Bcc:/m);
  });
});

describe("body encodings", () => {
  const decodeQp = (s: string) => {
    const soft = s.replace(/=\r\n/g, "");
    const bytes: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === "=") {
        bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(soft.charCodeAt(i));
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  };

  it("quoted-printable decodes to the input with safe lines, like encodeQuotedPrintable", () => {
    const samples = [
      "a = b \n.x\t",
      "é".repeat(100),
      `${"x".repeat(74)}é`,
      `${" ".repeat(90)}\n`,
      "=".repeat(100),
      "😀".repeat(30),
      "a\rb\r\nc",
      "<td>\n\t\t  <p>  indented  </p>\t\n</td>  ",
      `${" ".repeat(74)}x  y`,
    ];
    for (const s of samples) {
      const out = quotedPrintable(s);
      expect(decodeQp(out)).toBe(s.replace(/\r\n|\r/g, "\n").replace(/\n/g, "\r\n"));
      expect(decodeQp(out)).toBe(decodeQp(encodeQuotedPrintable(s)));
      for (const line of out.split("\r\n")) {
        expect(line.length).toBeLessThanOrEqual(76);
        expect(line).not.toMatch(/[ \t]$|^\./);
      }
    }
    expect(quotedPrintable("a = b \n.x\t")).toBe("a =3D b=20\r\n=2Ex=09");
  });

  it("never splits a character's bytes across a soft line break", () => {
    const out = quotedPrintable(`${"x".repeat(70)}${"é".repeat(10)}`);
    for (const line of out.split("\r\n")) expect(line).not.toMatch(/=C3=$/);
  });

  it("base64 wraps at 76 characters", () => {
    const lines = base64Lines(new Uint8Array(1000).fill(7)).split("\r\n");
    expect(lines.every((l) => l.length <= 76)).toBe(true);
    expect(Buffer.from(lines.join(""), "base64")).toEqual(Buffer.alloc(1000, 7));
  });
});
