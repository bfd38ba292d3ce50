import { dkimVerify } from "mailauth/lib/dkim/verify";
import { beforeAll, describe, expect, it } from "vitest";
import { relaxedBody, relaxedHeader } from "../../workers/mail/dkim/canon";
import { DkimSigner, dkimDnsRecord, generateDkimKeys } from "../../workers/mail/dkim/sign";
import { type ComposeInput, composeMessage } from "../../workers/mail/mime/compose";

// Every signature is checked by mailauth, an independent DKIM implementation, with a resolver
// that serves the TXT records dkimDnsRecord says to publish.

const DOMAIN = "mail.edgepost.test";
let signer: DkimSigner;
let rsaOnly: DkimSigner;
const records = new Map<string, string[]>();

const resolver = async (name: string, type: string) => {
  const record = records.get(name);
  if (type !== "TXT" || !record)
    throw Object.assign(new Error(`no ${type} for ${name}`), { code: "ENOTFOUND" });
  return [record];
};

async function verify(message: string) {
  const result = await dkimVerify(message, { resolver });
  return result.results.map((r) => ({ selector: r.selector, algo: r.algo, result: r.status.result }));
}

const bothPass = [
  { selector: "rsa", algo: "rsa-sha256", result: "pass" },
  { selector: "ed", algo: "ed25519-sha256", result: "pass" },
];

beforeAll(async () => {
  const keys = await generateDkimKeys({ ed25519: true });
  const ed = keys.ed25519;
  if (!ed) throw new Error("no Ed25519 key generated");
  for (const [selector, algorithm, publicKey] of [
    ["rsa", "rsa-sha256", keys.rsa.publicKey],
    ["ed", "ed25519-sha256", ed.publicKey],
  ] as const) {
    const record = dkimDnsRecord({ domain: DOMAIN, selector, algorithm, publicKey });
    records.set(record.name, record.strings);
  }
  signer = await DkimSigner.create([
    { domain: DOMAIN, selector: "rsa", algorithm: "rsa-sha256", privateKey: keys.rsa.privateKey },
    { domain: DOMAIN, selector: "ed", algorithm: "ed25519-sha256", privateKey: ed.privateKey },
  ]);
  rsaOnly = await DkimSigner.create([
    { domain: DOMAIN, selector: "rsa", algorithm: "rsa-sha256", privateKey: keys.rsa.privateKey },
  ]);
});

const base: ComposeInput = {
  from: `Edgepost <news@${DOMAIN}>`,
  to: "reader@example.com",
  subject: "Weekly digest",
  html: "<p>Hello</p>",
  text: "Hello",
  unsubscribe: { url: "https://edgepost.test/u/abc", mailto: `unsubscribe@${DOMAIN}` },
  list: { id: "weekly", name: "Weekly" },
  feedbackId: { campaign: "c1", kind: "newsletter" },
  replyTo: `editors@${DOMAIN}`,
};

const shapes: Record<string, Partial<ComposeInput>> = {
  "a unicode subject and body": {
    subject: "Grüße aus Köln — 你好 👋",
    html: "<p>Zoë’s café — 你好 😀</p>",
    text: "Zoë’s café — 你好 😀",
  },
  "non-ASCII display names": {
    from: `Zoë Ålander <news@${DOMAIN}>`,
    to: "Jörg Müller-Lüdenscheidt <j@example.com>",
  },
  "long lines (quoted-printable soft breaks)": {
    html: `<p style="margin:0">${"Lorem ipsum dolor sit amet ".repeat(200)}</p>`,
  },
  "trailing whitespace and blank lines at the end": {
    html: "<p>x</p>   \n\n\n   \n",
    text: "line with spaces   \n\t\n\n\n",
  },
  "an empty text part": { text: "" },
  attachments: {
    attachments: [
      {
        filename: "report.pdf",
        contentType: "application/pdf",
        content: new Uint8Array(5000).map((_, i) => i % 251),
      },
      { filename: "Übersicht.csv", contentType: "text/csv", content: new TextEncoder().encode("a,b\n1,2\n") },
    ],
  },
  "inline images (multipart/related)": {
    html: '<p><img src="cid:logo" alt="Logo"></p>',
    inlineImages: [
      { cid: "logo", contentType: "image/png", content: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]) },
    ],
  },
  "folded headers (long subject, long List-Unsubscribe)": {
    subject: "A very long subject line that certainly needs folding across several lines, ".repeat(3),
    unsubscribe: { url: `https://edgepost.test/u/${"t".repeat(120)}`, mailto: `unsubscribe@${DOMAIN}` },
  },
  "runs of spaces and tabs inside lines": {
    html: "<p>a  \t  b\t\tc</p>\n        <p>indented</p>",
    text: "a  \t b",
  },
};

describe("DKIM signatures verified by mailauth", () => {
  for (const [name, shape] of Object.entries(shapes)) {
    it(`passes for ${name}, RSA and Ed25519`, async () => {
      const { raw } = composeMessage({ ...base, ...shape });
      // As the send path signs: composed messages are CRLF throughout, so normalising is skipped.
      expect(await verify(await signer.sign(raw, { crlf: true }))).toEqual(bothPass);
    });
  }

  it("signs LF-only input, returning it with CRLF line ends", async () => {
    const raw = composeMessage(base).raw.replace(/\r\n/g, "\n");
    const signed = await signer.sign(raw);
    expect(signed).not.toMatch(/[^\r]\n/);
    expect(await verify(signed)).toEqual(bothPass);
  });

  it("signs a hand-written message with folded headers and an empty body", async () => {
    const raw = [
      `From: Someone <someone@${DOMAIN}>`,
      "To: a@example.com,",
      "\tb@example.com",
      "Subject:   spaced   out  ",
      "  and folded",
      "Date: Sat, 28 Nov 2026 13:05:00 +0000",
      "Message-ID: <x@y>",
      "",
      "",
    ].join("\r\n");
    expect(await verify(await signer.sign(raw))).toEqual(bothPass);
  });

  it("fails when the body is changed after signing", async () => {
    const signed = await signer.sign(composeMessage(base).raw);
    const tampered = signed.replace("<p>Hello</p>", "<p>Hello!</p>");
    expect(tampered).not.toBe(signed);
    for (const r of await verify(tampered)) expect(r.result).not.toBe("pass");
  });

  it("fails when a signed header is changed", async () => {
    const signed = await signer.sign(composeMessage(base).raw);
    const tampered = signed.replace("Subject: Weekly digest", "Subject: Weekly digest!");
    for (const r of await verify(tampered)) expect(r.result).not.toBe("pass");
  });

  it("fails when a second From is added (From is over-signed)", async () => {
    const signed = await signer.sign(composeMessage(base).raw);
    const injected = signed.replace(/\r\nDate:/, "\r\nFrom: attacker@evil.test\r\nDate:");
    for (const r of await verify(injected)) expect(r.result).not.toBe("pass");
  });

  it("still passes when whitespace inside lines changes (relaxed canonicalisation)", async () => {
    const signed = await rsaOnly.sign(composeMessage({ ...base, html: "<p>a b</p>" }).raw);
    const respaced = signed
      .replace("Subject: Weekly digest", "Subject:  Weekly   digest")
      .replace("<p>a b</p>", "<p>a \t b</p>");
    expect(await verify(respaced)).toEqual([{ selector: "rsa", algo: "rsa-sha256", result: "pass" }]);
  });
});

describe("the DKIM-Signature header", () => {
  it("signs the listed headers that are present, From twice, with t= and folded lines", async () => {
    const signed = await rsaOnly.sign(composeMessage(base).raw, { timestamp: 1_800_000_000 });
    const header = signed.slice(0, signed.indexOf("\r\nDate:"));
    expect(header.replace(/\r\n /g, " ")).toMatch(
      /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=mail\.edgepost\.test; s=rsa; t=1800000000;/,
    );
    const h = /h=([^;]+);/.exec(header.replace(/\r\n /g, ""))?.[1];
    expect(h?.split(":")).toEqual([
      "from",
      "from",
      "to",
      "subject",
      "date",
      "message-id",
      "mime-version",
      "content-type",
      "reply-to",
      "list-id",
      "list-unsubscribe",
      "list-unsubscribe-post",
      "feedback-id",
    ]);
    for (const line of header.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
  });

  it("refuses a message without a From header", async () => {
    await expect(rsaOnly.sign("To: a@example.com\r\n\r\nbody\r\n")).rejects.toThrow(/From/);
  });

  it("publishes keys as TXT records split into 255-character strings", async () => {
    const keys = await generateDkimKeys();
    const record = dkimDnsRecord({
      domain: "example.com",
      selector: "s1",
      algorithm: "rsa-sha256",
      publicKey: keys.rsa.publicKey,
    });
    expect(record.name).toBe("s1._domainkey.example.com");
    expect(record.value).toMatch(/^v=DKIM1; k=rsa; p=MII[A-Za-z0-9+/=]+$/);
    expect(record.strings.join("")).toBe(record.value);
    for (const s of record.strings) expect(s.length).toBeLessThanOrEqual(255);
    const ed = (await generateDkimKeys({ ed25519: true })).ed25519;
    expect(Buffer.from(ed?.publicKey ?? "", "base64")).toHaveLength(32);
    expect(
      dkimDnsRecord({
        domain: "e.com",
        selector: "x",
        algorithm: "ed25519-sha256",
        publicKey: ed?.publicKey ?? "",
      }).value,
    ).toMatch(/^v=DKIM1; k=ed25519; p=/);
  });
});

describe("relaxed canonicalisation (RFC 6376 3.4.2, 3.4.4)", () => {
  const body = (s: string) => new TextDecoder().decode(relaxedBody(s));

  it("collapses whitespace, drops it at line ends, and trims trailing empty lines", () => {
    expect(body(" C \r\nD \t E\r\n\r\n\r\n")).toBe(" C\r\nD E\r\n");
    expect(body("a\r\n \r\n\t\r\nb \t")).toBe("a\r\n\r\n\r\nb\r\n");
    expect(body("")).toBe("");
    expect(body("\r\n\r\n")).toBe("");
    expect(body("x")).toBe("x\r\n");
    expect(body("x ")).toBe("x\r\n");
    expect(body("x\r\n y =20\r\n")).toBe("x\r\n y =20\r\n");
  });

  it("matches the rules applied one by one on random bodies (runs across 4-byte boundaries included)", () => {
    // RFC 6376 3.4.4 as written: per line, drop trailing WSP, reduce WSP runs to one SP; then
    // drop empty lines at the end and end with CRLF unless empty.
    const reference = (s: string) => {
      const lines = s.split("\r\n").map((l) => l.replace(/[ \t]+$/, "").replace(/[ \t]+/g, " "));
      while (lines.length > 0 && lines.at(-1) === "") lines.pop();
      return lines.length === 0 ? "" : `${lines.join("\r\n")}\r\n`;
    };
    const alphabet = ["a", "b", " ", "  ", "\t", "\r\n", "é", "xyz", " \r\n", "=20"];
    for (let k = 0; k < 20000; k++) {
      let s = "";
      const len = Math.floor(Math.random() * 24);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
      expect(body(s), JSON.stringify(s)).toBe(reference(s));
    }
    // Bodies past the first buffer's size (it grows), of a length that is not a multiple of 4.
    for (const size of [30_001, 70_003]) {
      const big = `${"word ".repeat(size / 5)}x`.slice(0, size);
      expect(body(big)).toBe(reference(big));
      expect(body(`${big}  y`)).toBe(reference(`${big}  y`));
    }
  });

  it("lower-cases names and unfolds values", () => {
    expect(relaxedHeader("SUBJect \t:  A \r\n\t B  ")).toBe("subject:A B");
  });
});
