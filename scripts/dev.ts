/**
 * `npm run dev`: the whole platform on embedded defaults, stopped together by Ctrl-C.
 * PGlite on the Postgres wire protocol (or DATABASE_URL), migrations, the dev mailbox (or
 * SMTP_URL), the dashboard build, and the Worker under wrangler on http://localhost:8787, plus the
 * every-minute cron tick that `wrangler dev` does not fire by itself.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { applyMigrations } from "./lib/migrate";
import { startPglite } from "./lib/pglite";
import { ensureDevVars } from "./lib/secrets";
import { ROOT, startWorker } from "./lib/worker";
import { startMailbox } from "./mailbox/server";

const DATA = process.env.EDGEPOST_DATA_DIR || join(ROOT, ".data");
const PORT = Number(process.env.PORT ?? 8787);
const PGLITE_PORT = Number(process.env.PGLITE_PORT ?? 54329);
const say = (line: string) => console.log(`[edgepost] ${line}`);
/** A path as the log shows it: relative inside the checkout, whole elsewhere (EDGEPOST_DATA_DIR). */
const shown = (path: string) => {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
};
const stoppers: Array<() => Promise<unknown>> = [];
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  for (const stop of stoppers.reverse()) await stop().catch((err) => console.error(err));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGHUP", () => void shutdown(0));

/** wrangler's complaint that it cannot reach Cloudflare for `request.cf` data is harmless offline. */
const NOISE =
  /Request\.cf|ENOTFOUND workers\.cloudflare\.com|at GetAddrInfoReqWrap|at process\.processTicksAndRejections/;

async function main() {
  mkdirSync(DATA, { recursive: true });
  const devVarsPath = process.env.EDGEPOST_DATA_DIR ? join(DATA, ".dev.vars") : join(ROOT, ".dev.vars");
  const { vars, created } = ensureDevVars(devVarsPath);
  if (created.length) say(`generated ${created.join(", ")} into ${shown(devVarsPath)} (kept for next time)`);
  say(`data: ${shown(DATA)}${process.env.EDGEPOST_DATA_DIR ? " (EDGEPOST_DATA_DIR)" : ""}`);

  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    say(`database: DATABASE_URL (${new URL(databaseUrl).host})`);
  } else {
    const pglite = await startPglite({ dir: join(DATA, "pglite"), port: PGLITE_PORT });
    stoppers.push(pglite.stop);
    databaseUrl = pglite.url;
    say(`database: embedded PGlite on ${databaseUrl} (data in ${shown(join(DATA, "pglite"))})`);
  }
  await applyMigrations(databaseUrl);
  say("migrations applied");

  let smtpUrl = process.env.SMTP_URL;
  if (smtpUrl) {
    say(`mail: SMTP_URL (${new URL(smtpUrl).host})`);
  } else {
    const mailbox = await startMailbox({
      dir: join(DATA, "mailbox"),
      smtpPort: Number(process.env.MAILBOX_SMTP_PORT ?? 2525),
      httpPort: Number(process.env.MAILBOX_HTTP_PORT ?? 8025),
    });
    stoppers.push(mailbox.stop);
    // The mailbox's STARTTLS certificate is self-signed (workerd refuses it): plain, said so.
    smtpUrl = `smtp://127.0.0.1:${mailbox.smtpPort}?security=none`;
    say(
      `mail: dev mailbox, SMTP on 127.0.0.1:${mailbox.smtpPort}, read it at http://localhost:${mailbox.httpPort} (messages in ${shown(join(DATA, "mailbox"))})`,
    );
  }

  say("building the dashboard…");
  const build = spawnSync(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "scripts/build-dashboard.ts")], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error("dashboard build failed");

  const worker = await startWorker({
    port: PORT,
    persistTo: join(DATA, "wrangler"),
    vars: {
      ...vars,
      ENVIRONMENT: "development",
      DATABASE_URL: databaseUrl,
      SMTP_URL: smtpUrl,
      // Base of the links in mail (confirmations, unsubscribe); .dev.vars or the environment may override.
      APP_URL: process.env.APP_URL || vars.APP_URL || `http://localhost:${PORT}`,
    },
    log: (line) => {
      if (!NOISE.test(line)) console.log(`[worker] ${line}`);
    },
  });
  stoppers.push(worker.stop);
  worker.child.proc.once("exit", (code) => {
    if (!stopping) {
      console.error(`[edgepost] the Worker exited (code ${code}); stopping everything`);
      void shutdown(1);
    }
  });

  // wrangler dev never fires cron triggers locally: tick every minute ourselves.
  const tick = setInterval(() => {
    fetch(`${worker.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("* * * * *")}`).catch((err) =>
      console.error(`[edgepost] cron tick failed: ${(err as Error).message}`),
    );
  }, 60_000);
  stoppers.push(async () => clearInterval(tick));

  say(
    `ready: dashboard and API on http://localhost:${PORT} (API docs at /api/docs). Ctrl-C stops everything.`,
  );
}

main().catch(async (err) => {
  console.error(`[edgepost] ${(err as Error).message}`);
  await shutdown(1);
});
