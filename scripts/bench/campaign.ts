import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Liquid } from "liquidjs";
import nodemailer from "nodemailer";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import { applyMigrations } from "../lib/migrate";
import { freePort } from "../lib/net";
import { startPglite } from "../lib/pglite";
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
  close(): Promise<void>;
}

/** A counting SMTP sink: accepts everything, keeps nothing but the count. */
async function startSink(): Promise<Sink> {
  const state = { count: 0 };
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, _session, callback) {
      stream.on("data", () => undefined);
      stream.on("end", () => {
        state.count++;
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

/** Peak resident memory (VmHWM) of every process in a group, by name. */
function peakRss(groupLeader: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== groupLeader) continue;
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const name = /^Name:\s+(\S+)/m.exec(status)?.[1] ?? entry;
      const hwm = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024;
      out.set(name, Math.max(out.get(name) ?? 0, hwm));
    } catch {
      // gone
    }
  }
  return out;
}

/** CPU seconds (user + system) used so far by the processes of a group whose name starts with `prefix`. */
function cpuSeconds(groupLeader: number, prefix: string): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (Number(fields[2]) !== groupLeader || !name.startsWith(prefix)) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

interface Run {
  seconds: number;
  /** workerd CPU time per message sent, in milliseconds. */
  cpuMsPerMessage: number;
  workerdPeak: number;
  anyPeak: number;
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
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
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
    const cpu0 = cpuSeconds(worker.child.proc.pid ?? -1, "workerd");
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
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const row = (
        await query(dbUrl, "select status, sent_count from campaigns where id = $1", [campaign.id])
      ).rows[0] as {
        status: string;
      };
      if (row.status === "sent") break;
      if (row.status !== "sending") throw new Error(`campaign ${row.status}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpuMsPerMessage = ((cpuSeconds(worker.child.proc.pid ?? -1, "workerd") - cpu0) * 1000) / size;
    await profiling;
    const delivered = sink.count - before;
    if (delivered !== size) throw new Error(`sink got ${delivered} of ${size}`);
    const peaks = peakRss(worker.child.proc.pid ?? -1);
    return {
      seconds,
      cpuMsPerMessage,
      workerdPeak: Math.max(0, ...[...peaks].filter(([k]) => k.startsWith("workerd")).map(([, v]) => v)),
      anyPeak: Math.max(0, ...peaks.values()),
    };
  } finally {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** nodemailer's pooled transport: the same template rendered with liquidjs, DKIM-signed, same sink. */
async function runNodemailer(size: number, sink: Sink, privateKeyPem: string): Promise<number> {
  const liquid = new Liquid();
  const tpl = liquid.parse(HTML);
  const subject = liquid.parse("News for {{ subscriber.name }}");
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 4,
    maxMessages: Number.POSITIVE_INFINITY,
    host: "127.0.0.1",
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    dkim: { domainName: DOMAIN, keySelector: "bench", privateKey: privateKeyPem },
  });
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < size; i = next++) {
      const vars = {
        subscriber: { name: `Person ${i}`, email: `bench-${i}@example.com` },
        unsubscribe_url: `https://edgepost.bench.test/u/${"t".repeat(43)}${i}`,
      };
      await transport.sendMail({
        from: { name: "Bench", address: `news@${DOMAIN}` },
        to: vars.subscriber.email,
        subject: await liquid.render(subject, vars),
        html: await liquid.render(tpl, vars),
        list: { unsubscribe: vars.unsubscribe_url },
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const seconds = (performance.now() - t0) / 1000;
  transport.close();
  return seconds;
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
    const theirs = await runNodemailer(N, sink, pem);
    console.error(`campaign bench: nodemailer pool sent ${N} in ${theirs.toFixed(1)} s`);
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
        "one RSA-2048 DKIM signature (WebCrypto, this machine): the floor",
        1000 / 2600,
      ),
      figure(
        `campaign-peak-rss-workerd-${N} (lower is better)`,
        big.workerdPeak / MB,
        "MB",
        `the same at ${SMALL} recipients`,
        small.workerdPeak / MB,
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
