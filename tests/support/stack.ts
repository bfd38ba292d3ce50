import { appendFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/net";
import { generateSecrets } from "../../scripts/lib/secrets";
import { ROOT, startWorker } from "../../scripts/lib/worker";
import { type Mailbox, startMailbox } from "../../scripts/mailbox/server";
import { captureSecret, captureStackLog, capturing } from "./capture";
import { prepareTestDatabase } from "./database";
import { startTcpProxy, type TcpProxy, viaProxy } from "./tcp-proxy";

export interface Stack {
  baseUrl: string;
  databaseUrl: string;
  /** The Worker's secrets, so tests can forge tokens signed with the right (or wrong) key. */
  secrets: Record<string, string>;
  /** The dev mailbox the Worker's SMTP_URL points at (JSON under /api/messages); null when SMTP_URL was given. */
  mailboxUrl: string | null;
  /** With `dbProxy`: the proxy between the Worker and its database, to cut and restore. */
  dbProxy: TcpProxy | null;
  /**
   * Kills the Worker at once (SIGKILL to wrangler and workerd, nothing flushed, the local queues'
   * messages lost with it) and starts a new one on the same port, database and secrets.
   */
  crashAndRestart(whileDown?: () => Promise<void>): Promise<void>;
  /**
   * A second Worker process on the same database, secrets and relay, with queues of its own: a
   * concurrent consumer, as production runs many (the local queue hands out one batch at a time).
   * Stopped with the stack.
   */
  twin(): Promise<{ baseUrl: string }>;
  stop(): Promise<void>;
}

/**
 * STACK_LOG=1 prints the Worker's output; STACK_LOG=<file> appends it to that file. Under `npm
 * test` it is also captured for the secret scan (tests/support/capture.ts).
 */
function stackLog(): ((line: string) => void) | undefined {
  const target = process.env.STACK_LOG;
  const show =
    target === "1"
      ? (l: string) => console.log(`[worker] ${l}`)
      : target
        ? (l: string) => appendFileSync(target, `${new Date().toISOString()} ${l}\n`)
        : undefined;
  const capture = captureStackLog();
  if (!show || !capture) return show ?? capture;
  return (l) => {
    show(l);
    capture(l);
  };
}

/** The stack's secrets, and any secret among its variables, for the secret scan. */
function captureStackSecrets(secrets: Record<string, string>, vars: Record<string, string> = {}) {
  for (const [name, value] of Object.entries({ ...secrets, ...vars })) {
    if (/(SECRET|PASSWORD|SIGNING_KEY|ENCRYPTION_KEY|PEPPER)$/.test(name)) captureSecret(name, value);
  }
  if (vars.SMTP_URL) captureSecret("SMTP_URL password", decodeURIComponent(new URL(vars.SMTP_URL).password));
}

/**
 * Starts a database and the Worker under `wrangler dev`: the same runtime production uses.
 * Every stack is brand new and empty; `stop` removes everything it made. Unless `vars` names an
 * SMTP_URL, the Worker's mail goes to a dev mailbox of its own on free ports; APP_URL (the base of
 * links in mail) is the Worker's own address unless given.
 */
export async function startStack(
  opts: { fresh?: boolean; vars?: Record<string, string>; dbProxy?: boolean } = {},
): Promise<Stack> {
  if (!existsSync(join(ROOT, "dashboard/dist/index.html"))) {
    throw new Error("dashboard/dist is missing: run `npm run build` first (npm test does)");
  }
  // The database is made while the Worker starts (its /healthz waits for it): about 2 s less a stack.
  const db = await prepareTestDatabase();
  const target = new URL(db.url);
  const proxy = opts.dbProxy
    ? await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    : null;
  const dir = mkdtempSync(join(tmpdir(), "edgepost-stack-"));
  const secrets = generateSecrets();
  captureStackSecrets(secrets, opts.vars);
  let mailbox: Mailbox | null = null;
  try {
    const mail: Record<string, string> = {};
    if (!opts.vars?.SMTP_URL) {
      mailbox = await startMailbox({ dir: join(dir, "mailbox"), smtpPort: 0, httpPort: 0 });
      // The mailbox's STARTTLS certificate is self-signed (workerd refuses it): plain, said so.
      mail.SMTP_URL = `smtp://127.0.0.1:${mailbox.smtpPort}?security=none`;
    }
    const port = await freePort();
    const workerOptions = (persistTo: string) => ({
      port,
      persistTo,
      snapshot: true,
      vars: {
        ...secrets,
        ENVIRONMENT: "test",
        DATABASE_URL: proxy ? viaProxy(db.url, proxy) : db.url,
        APP_URL: `http://127.0.0.1:${port}`,
        ...mail,
        ...opts.vars,
      },
      log: stackLog(),
      // The secret scan reads every line the Worker writes, console.log included.
      logLevel: capturing() ? ("log" as const) : ("warn" as const),
    });
    const starting = startWorker(workerOptions(join(dir, "worker-0")));
    // A database that failed leaves the Worker waiting for it: stopped once its start gives up.
    const [, first] = await Promise.all([
      db.ready.catch((err: unknown) => {
        starting.then((w) => w.stop()).catch(() => undefined);
        throw err;
      }),
      starting,
    ]);
    let worker = first;
    const twins: Awaited<ReturnType<typeof startWorker>>[] = [];
    let restarts = 0;
    const box = mailbox;
    return {
      baseUrl: worker.url,
      databaseUrl: db.url,
      secrets,
      mailboxUrl: box ? `http://127.0.0.1:${box.httpPort}` : null,
      dbProxy: proxy,
      async crashAndRestart(whileDown) {
        const pid = worker.child.proc.pid;
        if (pid) process.kill(-pid, "SIGKILL");
        await worker.stop();
        await whileDown?.();
        worker = await startWorker(workerOptions(join(dir, `worker-${++restarts}`)));
      },
      async twin() {
        const port = await freePort();
        const twin = await startWorker({ ...workerOptions(join(dir, `twin-${twins.length}`)), port });
        twins.push(twin);
        return { baseUrl: twin.url };
      },
      async stop() {
        for (const t of twins) await t.stop();
        await worker.stop();
        await box?.stop();
        await proxy?.close();
        await db.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await mailbox?.stop();
    await proxy?.close();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
