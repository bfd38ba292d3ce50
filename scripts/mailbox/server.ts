import { startHttp } from "./http.ts";
import { startSmtp } from "./smtp.ts";
import { MailStore, type StoredMessage } from "./store.ts";

export type { Envelope, MessageDetail, StoredMessage } from "./store.ts";

export interface MailboxOptions {
  /** SMTP port; 0 picks a free one. Defaults to 2525. */
  smtpPort?: number;
  /** Web UI and JSON API port; 0 picks a free one. Defaults to 8025. */
  httpPort?: number;
  /** Interface for both listeners. Defaults to 127.0.0.1. */
  host?: string;
  /** Directory the messages live in, e.g. ".data/mailbox"; created if missing. */
  dir: string;
  /** Receives one line per stored message and per error. Silent by default. */
  log?: (line: string) => void;
}

export interface Mailbox {
  smtpPort: number;
  httpPort: number;
  /** Every stored message, newest first. */
  messages(): Promise<StoredMessage[]>;
  /** Deletes every stored message. */
  clear(): Promise<void>;
  /** Closes both listeners; resolves once they are closed. */
  stop(): Promise<void>;
}

/** Starts the development mailbox: an accept-everything SMTP server plus a web UI and JSON API. */
export async function startMailbox(opts: MailboxOptions): Promise<Mailbox> {
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? (() => {});
  const store = new MailStore(opts.dir);
  await store.init();

  const smtp = await startSmtp({ store, port: opts.smtpPort ?? 2525, host, log });
  const http = await startHttp({ store, port: opts.httpPort ?? 8025, host, log }).catch(
    async (err: unknown) => {
      await smtp.close(); // do not leave the SMTP port taken when the HTTP one is busy
      throw err;
    },
  );

  let stopping: Promise<void> | undefined;
  return {
    smtpPort: smtp.port,
    httpPort: http.port,
    messages: () => store.list(),
    clear: () => store.clear(),
    stop: () => {
      stopping ??= Promise.all([smtp.close(), http.close()]).then(() => undefined);
      return stopping;
    },
  };
}
