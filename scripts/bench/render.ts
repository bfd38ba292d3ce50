import { dkimVerify } from "mailauth/lib/dkim/verify";
import DKIM from "nodemailer/lib/dkim";
import MailComposer from "nodemailer/lib/mail-composer";
import { DkimSigner, dkimDnsRecord, generateDkimKeys } from "../../workers/mail/dkim/sign";
import { composeMessage } from "../../workers/mail/mime/compose";
import { newMessageId } from "../../workers/mail/mime/mime";
import { compileTemplate, type RenderedTemplate, renderTemplate } from "../../workers/mail/template/template";
import { type Bench, figure, throughput } from "./harness";
import { newsletterTemplate, recipientVars } from "./render-fixture";

const SECONDS = Number(process.env.BENCH_RENDER_SECONDS ?? 3);
const RUNS = 3;
const DOMAIN = "news.edgepost.test";
const SELECTOR = "bench";
const SIGNED =
  "from:to:subject:date:message-id:mime-version:content-type:reply-to:list-id:list-unsubscribe:list-unsubscribe-post:feedback-id";

/** The headers both composers write for recipient `i`. */
function envelope(i: number, r: RenderedTemplate) {
  return {
    from: { name: "Edgepost Weekly", address: `digest@${DOMAIN}` },
    to: { name: `Reader Nº${i} Müller`, address: `reader${i}@example.com` },
    replyTo: `editors@${DOMAIN}`,
    subject: r.subject,
    html: r.html,
    text: r.text,
    unsubscribe: `https://edgepost.test/u/${"t".repeat(40)}${i}`,
    mailto: `unsubscribe@${DOMAIN}`,
  };
}

const pem = (pkcs8: string) =>
  `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)?.join("\n")}\n-----END PRIVATE KEY-----\n`;

async function median(op: () => Promise<unknown>): Promise<number> {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++)
    rates.push(await throughput(op, SECONDS, Number(process.env.BENCH_RENDER_CONCURRENCY ?? 1)));
  rates.sort((a, b) => a - b);
  return rates[Math.floor(RUNS / 2)] ?? 0;
}

/**
 * Render + MIME + DKIM of a 30 KB personalised newsletter, one message at a time on one core,
 * beside the raw RSA-2048 signing rate (the ceiling) and nodemailer's MailComposer + DKIM signer
 * doing the same work (same liquidjs render, same headers, one RSA-2048 signature).
 */
export const renderBench: Bench = async () => {
  const keys = await generateDkimKeys();
  const signer = await DkimSigner.create([
    { domain: DOMAIN, selector: SELECTOR, algorithm: "rsa-sha256", privateKey: keys.rsa.privateKey },
  ]);
  const theirDkim = new DKIM({
    domainName: DOMAIN,
    keySelector: SELECTOR,
    privateKey: pem(keys.rsa.privateKey),
    headerFieldNames: SIGNED,
  });
  const compiled = compileTemplate(newsletterTemplate());

  const ours = (i: number, r: RenderedTemplate) => {
    const e = envelope(i, r);
    const msg = composeMessage({
      ...e,
      unsubscribe: { url: e.unsubscribe, mailto: e.mailto },
      list: { id: "weekly-digest", name: "Weekly digest" },
      feedbackId: { campaign: "c1", kind: "newsletter" },
      bounce: { token: `b${i}`, domain: `bounces.${DOMAIN}` },
    });
    return signer.sign(msg.raw, { crlf: true });
  };
  const theirs = async (i: number, r: RenderedTemplate) => {
    const e = envelope(i, r);
    const node = new MailComposer({
      ...e,
      messageId: newMessageId(DOMAIN),
      date: new Date(),
      textEncoding: "quoted-printable",
      headers: {
        "List-Unsubscribe": `<${e.unsubscribe}>, <mailto:${e.mailto}?subject=unsubscribe>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-ID": `"Weekly digest" <weekly-digest.${DOMAIN}>`,
        "Feedback-ID": "c1:newsletter:edgepost",
      },
    }).compile();
    const chunks: Buffer[] = [];
    for await (const chunk of theirDkim.sign(node.createReadStream())) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  // Both sides must produce a message that verifies, or the comparison means nothing.
  const record = dkimDnsRecord({
    domain: DOMAIN,
    selector: SELECTOR,
    algorithm: "rsa-sha256",
    publicKey: keys.rsa.publicKey,
  });
  const resolver = async () => [record.strings];
  const first = await renderTemplate(compiled, recipientVars(0));
  for (const [side, message] of [
    ["ours", await ours(0, first)],
    ["nodemailer", await theirs(0, first)],
  ] as const) {
    const result = await dkimVerify(message, { resolver });
    if (result.results[0]?.status.result !== "pass")
      throw new Error(`render bench: the ${side} message's signature does not verify`);
    console.error(`render: ${side} message ${(message.length / 1024).toFixed(1)} KB, DKIM pass`);
  }
  console.error(
    `render: rendered HTML ${(first.html.length / 1024).toFixed(1)} KB, text ${(first.text.length / 1024).toFixed(1)} KB`,
  );

  const data = new TextEncoder().encode("x".repeat(1200));
  const rsaKey = await crypto.subtle.importKey(
    "pkcs8",
    Buffer.from(keys.rsa.privateKey, "base64"),
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  let n = 0;
  const withRender = (side: typeof ours | typeof theirs) => async () => {
    const i = n++;
    return side(i, await renderTemplate(compiled, recipientVars(i)));
  };
  // Built only for the pre-rendered rounds, and few: held across the full rounds, 500 rendered
  // messages (38 MB) made every major GC slower and cost those rounds 8-15%.
  let rendered: RenderedTemplate[] = [];
  const preRendered = (side: typeof ours | typeof theirs) => () => {
    const i = n++;
    return side(i, rendered[i % rendered.length] as RenderedTemplate);
  };
  // Warm both sides up (JIT, key caches) before anything is timed.
  await throughput(withRender(ours), 1, 1);
  await throughput(withRender(theirs), 1, 1);

  const rsa = await median(() => crypto.subtle.sign("RSASSA-PKCS1-v1_5", rsaKey, data));
  const oursFull = await median(withRender(ours));
  const theirsFull = await median(withRender(theirs));
  rendered = await Promise.all(
    Array.from({ length: 50 }, (_, i) => renderTemplate(compiled, recipientVars(i))),
  );
  const oursMime = await median(preRendered(ours));
  const theirsMime = await median(preRendered(theirs));
  console.error(
    `render: ours ${oursFull.toFixed(0)}/s (${oursMime.toFixed(0)}/s pre-rendered), nodemailer ${theirsFull.toFixed(0)}/s (${theirsMime.toFixed(0)}/s), RSA-2048 ${rsa.toFixed(0)}/s`,
  );
  const same = "same 30 KB newsletter, same headers, one RSA-2048 signature, one core, same run";
  return [
    figure(
      "render-mime-dkim-msgs-per-s",
      oursFull,
      "msgs/s",
      "raw RSA-2048 signatures/s (WebCrypto, one core, same run)",
      rsa,
    ),
    figure(
      "render-mime-dkim-vs-nodemailer",
      oursFull,
      "msgs/s",
      `nodemailer MailComposer + DKIM after the same liquidjs render (${same})`,
      theirsFull,
    ),
    figure(
      "mime-dkim-vs-nodemailer",
      oursMime,
      "msgs/s",
      `nodemailer MailComposer + DKIM, both without rendering (${same})`,
      theirsMime,
    ),
  ];
};
