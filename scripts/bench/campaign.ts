import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Liquid } from "liquidjs";
import nodemailer from "nodemailer";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { messageLinks } from "../../workers/domain/content/render-context";
import type { Env } from "../../workers/env";
import { bounceToken } from "../../workers/lib/bounce-token";
import { signMessageTokens } from "../../workers/lib/tracking-token";
import { SIGNED_HEADERS } from "../../workers/mail/dkim/sign";
import { htmlToText } from "../../workers/mail/html/to-text";
import { applyMigrations } from "../lib/migrate";
import { freePort } from "../lib/net";
import { startPglite } from "../lib/pglite";
import { groupCpuSeconds, memoryByName } from "../lib/proc-stats";
import { generateSecrets } from "../lib/secrets";
import { startWorker } from "../lib/worker";
import { type Bench, figure } from "./harness";
import { profileWorker } from "./profile";

/**
 * A campaign end to end: N recipients (100,000 by default) through the real sends queue consumer
 * in workerd (`wrangler dev`): ledger claims, Liquid render, tracking links, MIME, an RSA-2048
 * DKIM signature per message, the relay's rate limiter (set high), SMTP to a local sink. Beside
 * it, nodemailer's pooled SMTP transport sends the same messages (liquidjs render, its DKIM signer)
 * to the same sink in the same run. Also the peak memory of our processes, at two audience sizes.
 */

const N = Number(process.env.BENCH_CAMPAIGN_SIZE ?? 100_000);
const SMALL = Math.max(1000, Math.round(N / 10));
const MB = 1024 * 1024;
const DOMAIN = "news.bench.test";

const HTML = `<!doctype html><html><body style="font-family:sans-serif">
<h1>Hello {{ subscriber.name | default: "reader" }}</h1>
${Array.from({ length: 12 }, (_, i) => `<p>Story ${i + 1}: ${"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(8)}<a href="https://example.com/story/${i + 1}?src=newsletter">Read more</a></p>`).join("\n")}
<p>You get this because you signed up as {{ subscriber.email }}. <a href="{{ unsubscribe_url }}">Unsubscribe</a></p>
</body></html>`;

/** Keeps wrangler's bundle next to the profile, so its line numbers can be read. */
function copyBundle(dir: string): void {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? e.name === "node_modules"
          ? []
          : walk(join(d, e.name))
        : e.name === "index.js"
          ? [join(d, e.name)]
          : [],
    );
  const bundle = walk(join(dir, ".wrangler")).at(0);
  if (bundle) writeFileSync("/tmp/campaign-bundle.js", readFileSync(bundle));
}

interface Sink {
  port: number;
  count: number;
  /** The next message received, whole (one is kept at a time, to compare the two sides' mail). */
  sample(): Promise<Buffer>;
  close(): Promise<void>;
}

/** A counting SMTP sink: accepts everything, keeps nothing but the count (and a sample on request). */
async function startSink(): Promise<Sink> {
  const state: { count: number; want: ((b: Buffer) => void) | null } = { count: 0, want: null };
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, _session, callback) {
      const want = state.want;
      state.want = null;
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => {
        if (want) chunks.push(c);
      });
      stream.on("end", () => {
        state.count++;
        want?.(Buffer.concat(chunks));
        callback(null, "2.0.0 OK");
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    port: (server.server.address() as AddressInfo).port,
    get count() {
      return state.count;
    },
    sample: () =>
      new Promise<Buffer>((resolve) => {
        state.want = resolve;
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function query(url: string, text: string, values: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}

/** Resident memory now of the group's largest process whose name starts with `prefix`. */
function currentRss(groupLeader: number, prefix: string): number {
  const sizes = [...memoryByName(groupLeader, "VmRSS")].filter(([name]) => name.startsWith(prefix));
  return Math.max(0, ...sizes.map(([, v]) => v));
}

interface Run {
  seconds: number;
  /** workerd CPU time per message sent, in milliseconds. */
  cpuMsPerMessage: number;
  workerdPeak: number;
  anyPeak: number;
  campaignId: string;
  listId: string;
  /** One message as the sink received it. */
  sample: Buffer;
  /** workerd's largest resident memory while the first fifth and the last fifth were sent. */
  rssFirstFifth: number;
  rssLastFifth: number;
}

/** One campaign of `size` recipients on a fresh Worker; returns its duration and memory peaks. */
async function runCampaign(
  dbUrl: string,
  size: number,
  sink: Sink,
  secrets: Record<string, string>,
): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "edgepost-bench-campaign-"));
  const worker = await startWorker({
    persistTo: dir,
    snapshot: true,
    vars: {
      ...secrets,
      ENVIRONMENT: "test",
      DATABASE_URL: dbUrl,
      SMTP_URL: `smtp://127.0.0.1:${sink.port}?security=none`,
      SMTP_MAX_PER_SECOND: "100000",
      APP_URL: "https://edgepost.bench.test",
    },
  });
  try {
    const call = async (method: string, path: string, body: unknown, token?: string) => {
      const res = await fetch(`${worker.url}/api/v1${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    let token: string;
    try {
      token = (
        await call("POST", "/auth/setup", {
          email: "bench@bench.test",
          password: "bench password 1",
          name: "Bench",
        })
      ).accessToken as string;
    } catch {
      token = (await call("POST", "/auth/login", { email: "bench@bench.test", password: "bench password 1" }))
        .accessToken as string;
    }
    const domains = (await fetch(`${worker.url}/api/v1/domains`, {
      headers: { authorization: `Bearer ${token}` },
    }).then((r) => r.json())) as {
      total: number;
    };
    if (domains.total === 0) await call("POST", "/domains", { domain: DOMAIN }, token);
    const listId = (
      (await query(dbUrl, `select id from lists where name = $1`, [`bench ${size}`])).rows[0] as
        | { id: string }
        | undefined
    )?.id;
    if (!listId) throw new Error(`no list for ${size}`);
    const template = await call(
      "POST",
      "/templates",
      { name: `bench ${size}`, subject: "News for {{ subscriber.name }}", html: HTML },
      token,
    );
    const campaign = await call(
      "POST",
      "/campaigns",
      {
        name: `bench ${size}`,
        templateId: template.id,
        listIds: [listId],
        fromName: "Bench",
        fromEmail: `news@${DOMAIN}`,
      },
      token,
    );
    const before = sink.count;
    const sample = sink.sample();
    const cpu0 = groupCpuSeconds(worker.child.proc.pid ?? -1, "workerd");
    const t0 = performance.now();
    await call("POST", `/campaigns/${campaign.id}/send`, {}, token);
    // BENCH_PROFILE=seconds: a CPU profile of the isolate while it sends (the big run only).
    const profiling =
      process.env.BENCH_PROFILE && size === N
        ? new Promise((r) => setTimeout(r, 3000))
            .then(() =>
              profileWorker(
                worker.inspectorPort,
                Number(process.env.BENCH_PROFILE),
                "/tmp/campaign.cpuprofile",
              ),
            )
            .then((top) => {
              console.error(
                `campaign bench: CPU profile in /tmp/campaign.cpuprofile; top self time:\n${top.join("\n")}`,
              );
              copyBundle(dir);
            })
        : Promise.resolve();
    // workerd's resident memory as the campaign goes: flat means nothing grows with the audience.
    const rssBySent: Array<{ sent: number; rss: number }> = [];
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const row = (
        await query(dbUrl, "select status, sent_count from campaigns where id = $1", [campaign.id])
      ).rows[0] as {
        status: string;
        sent_count: number;
      };
      rssBySent.push({ sent: row.sent_count, rss: currentRss(worker.child.proc.pid ?? -1, "workerd") });
      if (row.status === "sent") break;
      if (row.status !== "sending") throw new Error(`campaign ${row.status}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpuMsPerMessage = ((groupCpuSeconds(worker.child.proc.pid ?? -1, "workerd") - cpu0) * 1000) / size;
    await profiling;
    const delivered = sink.count - before;
    if (delivered !== size) throw new Error(`sink got ${delivered} of ${size}`);
    const peaks = memoryByName(worker.child.proc.pid ?? -1, "VmHWM");
    const deciles = Array.from({ length: 10 }, (_, k) => {
      const at = rssBySent.find((r) => r.sent >= ((k + 1) / 10) * size) ?? rssBySent.at(-1);
      return `${((k + 1) * 10).toString()}%: ${((at?.rss ?? 0) / MB).toFixed(0)} MB`;
    });
    console.error(`campaign bench: workerd RSS as the ${size} went out: ${deciles.join(", ")}`);
    const fifth = (from: number, to: number) =>
      Math.max(0, ...rssBySent.filter((r) => r.sent >= from * size && r.sent <= to * size).map((r) => r.rss));
    return {
      seconds,
      cpuMsPerMessage,
      rssFirstFifth: fifth(0, 0.2),
      rssLastFifth: fifth(0.8, 1),
      campaignId: campaign.id as string,
      listId,
      sample: await sample,
      workerdPeak: Math.max(0, ...[...peaks].filter(([k]) => k.startsWith("workerd")).map(([, v]) => v)),
      anyPeak: Math.max(0, ...peaks.values()),
    };
  } finally {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * nodemailer's pooled transport sending the same messages as ours: the same HTML with the same
 * signed click links and open pixel (liquidjs renders a copy of the template whose links are
 * variables; our tracking token functions sign them, as they do for us), the same text part
 * (derived from the HTML once, as our templates do), the same List-Unsubscribe (URL and the
 * per-send bounce mailbox), List-ID, Feedback-ID and X-Edgepost-Send headers, the per-send
 * envelope sender, and DKIM over the same header fields. Returns seconds and one sample message.
 */
async function runNodemailer(
  size: number,
  sink: Sink,
  privateKeyPem: string,
  secrets: Record<string, string>,
  ids: { campaignId: string; listId: string },
): Promise<{ seconds: number; sample: Buffer }> {
  const env = { TRACKING_SECRET: secrets.TRACKING_SECRET, APP_URL: "https://edgepost.bench.test" } as Env;
  const base = env.APP_URL as string;
  const links = [...HTML.matchAll(/href="(https:[^"]+)"/g)].map((m) => m[1] as string);
  let tracked = HTML;
  for (const [k, url] of links.entries()) tracked = tracked.replace(`href="${url}"`, `href="{{ c${k} }}"`);
  tracked = tracked.replace(
    "</body>",
    `<img src="{{ o }}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" /></body>`,
  );
  const liquid = new Liquid();
  const html = liquid.parse(tracked);
  const text = liquid.parse(htmlToText(HTML, { liquid: true }));
  const subject = liquid.parse("News for {{ subscriber.name }}");
  const bounceDomain = DOMAIN;
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 4,
    maxMessages: Number.POSITIVE_INFINITY,
    host: "127.0.0.1",
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    dkim: {
      domainName: DOMAIN,
      keySelector: "bench",
      privateKey: privateKeyPem,
      headerFieldNames: SIGNED_HEADERS.join(":"),
    },
  });
  const sample = sink.sample();
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < size; i = next++) {
      const sendId = 10_000_000 + i;
      const subscriberId = randomUUID();
      const scope = { subscriberId, campaignId: ids.campaignId, listId: ids.listId };
      const [urls, tokens, bounce] = await Promise.all([
        messageLinks(env, scope),
        signMessageTokens(env.TRACKING_SECRET, { sendId, campaignId: ids.campaignId, subscriberId }, links),
        bounceToken(env.TRACKING_SECRET, sendId),
      ]);
      const vars: Record<string, unknown> = {
        subscriber: { name: `Person ${i}`, email: `bench-${i}@example.com` },
        ...urls,
        o: `${base}/o/${tokens.open}`,
      };
      for (const [k, token] of tokens.clicks.entries()) vars[`c${k}`] = `${base}/c/${token}`;
      const returnPath = `bounces+${bounce}@${bounceDomain}`;
      await transport.sendMail({
        from: { name: "Bench", address: `news@${DOMAIN}` },
        to: `bench-${i}@example.com`,
        subject: await liquid.render(subject, vars),
        html: await liquid.render(html, vars),
        text: await liquid.render(text, vars),
        textEncoding: "quoted-printable",
        envelope: { from: returnPath, to: `bench-${i}@example.com` },
        headers: {
          "List-Unsubscribe": `<${urls.unsubscribe_url}>, <mailto:${returnPath}?subject=unsubscribe>`,
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          "List-ID": `"bench ${size}" <${ids.listId}.${DOMAIN}>`,
          "Feedback-ID": `${ids.campaignId}:campaign:edgepost`,
          "X-Edgepost-Send": String(sendId),
        },
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const seconds = (performance.now() - t0) / 1000;
  transport.close();
  return { seconds, sample: await sample };
}

/**
 * RSA-2048 signatures per second inside workerd (the consumer's runtime, where WebCrypto runs on
 * the isolate's thread), timed from outside: 1,600 signatures minus 100, median of three.
 */
async function workerdRsaRate(): Promise<number> {
  const { Miniflare, convertV4MiniflareOptions } = await import("miniflare");
  const script = `export default { async fetch(req) {
    const n = Number(new URL(req.url).searchParams.get("n"));
    const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    const pair = await crypto.subtle.generateKey({ ...alg, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ["sign"]);
    const key = await crypto.subtle.importKey("pkcs8", await crypto.subtle.exportKey("pkcs8", pair.privateKey), alg, false, ["sign"]);
    const data = new TextEncoder().encode("x".repeat(1200));
    for (let i = 0; i < n; i++) await crypto.subtle.sign(alg.name, key, data);
    return new Response("ok");
  } }`;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers: [{ name: "rsa", modules: true, script, compatibilityDate: "2025-01-01" }],
    }),
  );
  try {
    const time = async (n: number) => {
      const t0 = performance.now();
      await (await mf.dispatchFetch(`http://rsa/?n=${n}`)).text();
      return performance.now() - t0;
    };
    await time(100);
    const rates: number[] = [];
    for (let run = 0; run < 3; run++) rates.push((1500 * 1000) / ((await time(1600)) - (await time(100))));
    rates.sort((a, b) => a - b);
    return rates[1] ?? 0;
  } finally {
    await mf.dispose();
  }
}

/** The parts and size of a message as the sink got it, to show both sides sent the same kind of mail. */
function describeMessage(raw: Buffer): string {
  const text = raw.toString("latin1");
  const types = [...text.matchAll(/^Content-Type:\s*([^;\r\n]+)/gim)].map((m) => m[1]?.toLowerCase());
  const clicks = (text.replace(/=\r\n/g, "").match(/\/c\/[A-Za-z0-9_-]{20,}/g) ?? []).length;
  const dkim = (text.match(/^DKIM-Signature:/gim) ?? []).length;
  return `${(raw.length / 1024).toFixed(1)} KB, ${types.join(" ")}, ${clicks} click links, ${dkim} DKIM signature`;
}

export const campaignBench: Bench = async () => {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  let dbUrl: string;
  let stopDb: () => Promise<void>;
  if (server) {
    const name = `edgepost_bench_campaign_${process.pid}`;
    await query(server, `create database "${name}"`);
    const u = new URL(server);
    u.pathname = `/${name}`;
    dbUrl = u.toString();
    stopDb = async () => {
      await query(server, `drop database if exists "${name}" with (force)`);
    };
  } else {
    const db = await startPglite({ dir: "memory://", port: await freePort() });
    dbUrl = db.url;
    stopDb = db.stop;
  }
  const sink = await startSink();
  try {
    await applyMigrations(dbUrl);
    for (const size of [SMALL, N]) {
      const list = await query(
        dbUrl,
        `insert into lists (id, name, opt_in) values (gen_random_uuid(), $1, 'single') returning id`,
        [`bench ${size}`],
      );
      const listId = (list.rows[0] as { id: string }).id;
      await query(
        dbUrl,
        `with s as (insert into subscribers (id, email, name)
           select gen_random_uuid(), 'bench' || $2::int || '-' || i || '@example.com', 'Person ' || i from generate_series(1, $2::int) i returning id)
         insert into list_memberships (list_id, subscriber_id, status, source) select $1::uuid, id, 'confirmed', 'import' from s`,
        [listId, size],
      );
    }
    console.error(
      `campaign bench: ${N} recipients (and ${SMALL} for the memory comparison), database ${server ? "postgres" : "pglite"}`,
    );
    const rsaPerSecond = await workerdRsaRate();
    console.error(`campaign bench: RSA-2048 in workerd ${rsaPerSecond.toFixed(0)} signatures/s`);
    const secrets = generateSecrets();
    const small = await runCampaign(dbUrl, SMALL, sink, secrets);
    console.error(
      `campaign bench: ${SMALL} sent in ${small.seconds.toFixed(1)} s, workerd peak ${(small.workerdPeak / MB).toFixed(0)} MB`,
    );
    const big = await runCampaign(dbUrl, N, sink, secrets);
    console.error(
      `campaign bench: ${N} sent in ${big.seconds.toFixed(1)} s, workerd peak ${(big.workerdPeak / MB).toFixed(0)} MB, CPU ${big.cpuMsPerMessage.toFixed(2)} ms per message`,
    );
    const { generateKeyPairSync } = await import("node:crypto");
    const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const nm = await runNodemailer(N, sink, pem, secrets, { campaignId: big.campaignId, listId: big.listId });
    const theirs = nm.seconds;
    console.error(`campaign bench: nodemailer pool sent ${N} in ${theirs.toFixed(1)} s`);
    console.error(`campaign bench: our message ${describeMessage(big.sample)}`);
    console.error(`campaign bench: nodemailer's message ${describeMessage(nm.sample)}`);
    const ours = N / big.seconds;
    return [
      figure(
        `campaign-send-msgs-per-s (${server ? "postgres" : "pglite"})`,
        ours,
        "msgs/s",
        "nodemailer pooled transport (4 connections), same messages, same sink, same run",
        N / theirs,
      ),
      figure("campaign-send-msgs-per-s-vs-target", ours, "msgs/s", "target 1,000 msgs/s", 1000),
      figure(
        "campaign-workerd-cpu-ms-per-message (lower is better)",
        big.cpuMsPerMessage,
        "ms",
        "one RSA-2048 DKIM signature in workerd, same run: the floor",
        1000 / rsaPerSecond,
      ),
      figure(
        "campaign-send-msgs-per-s-vs-rsa-ceiling",
        ours,
        "msgs/s",
        "RSA-2048 signatures/s in workerd, same run (one isolate can send no faster)",
        rsaPerSecond,
      ),
      figure(
        `campaign-peak-rss-workerd-${N} (lower is better)`,
        big.workerdPeak / MB,
        "MB",
        `the same at ${SMALL} recipients`,
        small.workerdPeak / MB,
      ),
      figure(
        "campaign-rss-workerd-last-fifth-vs-first-fifth (lower is better)",
        big.rssLastFifth / MB,
        "MB",
        `workerd's resident memory while the first fifth of the ${N} were sent (same campaign)`,
        big.rssFirstFifth / MB,
      ),
      figure(
        "campaign-peak-rss-any-process (lower is better)",
        big.anyPeak / MB,
        "MB",
        `the same at ${SMALL} recipients`,
        small.anyPeak / MB,
      ),
    ];
  } finally {
    await sink.close();
    await stopDb();
  }
};
