import { startMailbox } from "./server.ts";

/** Reads a port from the environment, falling back when it is unset. */
function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number between 0 and 65535, got "${raw}"`);
  }
  return port;
}

const host = process.env.MAILBOX_HOST ?? "127.0.0.1";
const dir = ".data/mailbox";
const mailbox = await startMailbox({
  smtpPort: portFromEnv("MAILBOX_SMTP_PORT", 2525),
  httpPort: portFromEnv("MAILBOX_HTTP_PORT", 8025),
  host,
  dir,
  log: (line) => console.log(`[mailbox] ${line}`),
});

console.log(`[mailbox] SMTP on ${host}:${mailbox.smtpPort} (STARTTLS and AUTH optional, any credentials)`);
console.log(`[mailbox] inbox at http://${host}:${mailbox.httpPort}/ (JSON under /api/messages)`);
console.log(`[mailbox] messages kept in ${dir}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[mailbox] ${signal}: stopping`);
  await mailbox.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
