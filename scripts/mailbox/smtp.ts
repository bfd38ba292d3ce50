import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { MailStore } from "./store.ts";

export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/** A closable SMTP listener bound to its actual port. */
export interface RunningSmtp {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts an SMTP server that accepts every message for every recipient and stores it.
 * STARTTLS uses smtp-server's built-in self-signed certificate; AUTH is optional and any
 * credentials pass, so the app can be pointed here with the same settings as a real relay.
 */
export async function startSmtp(opts: {
  store: MailStore;
  port: number;
  host: string;
  log: (line: string) => void;
}): Promise<RunningSmtp> {
  const { store, log } = opts;
  const server = new SMTPServer({
    name: "edgepost-mailbox",
    banner: "Edgepost development mailbox",
    logger: false,
    size: MAX_MESSAGE_BYTES,
    rejectOversized: true,
    authMethods: ["PLAIN", "LOGIN"],
    authOptional: true,
    // Local clients often AUTH without STARTTLS; refusing that here would only get in the way.
    allowInsecureAuth: true,
    // Clients normally QUIT at once; do not hold stop() for smtp-server's 30 s default.
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? "anonymous" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => {
        // Keep reading an oversized message to the end, but stop holding it in memory.
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on("error", (err: Error) => callback(err));
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          log(`smtp: refused a message over ${MAX_MESSAGE_BYTES} bytes`);
          callback(
            Object.assign(new Error("Message exceeds fixed maximum message size"), { responseCode: 552 }),
          );
          return;
        }
        const { mailFrom, rcptTo } = session.envelope;
        const envelope = {
          mailFrom: mailFrom ? mailFrom.address : "",
          rcptTo: rcptTo.map((r) => r.address),
        };
        const connection = {
          tls: session.secure,
          authUser: typeof session.user === "string" ? session.user : null,
        };
        store.save(Buffer.concat(chunks), envelope, connection).then(
          (id) => {
            const how = [connection.tls ? "TLS" : "plain", connection.authUser === null ? "no auth" : "auth"];
            log(
              `smtp: stored ${id} from <${envelope.mailFrom}> to ${envelope.rcptTo.join(", ")} (${how.join(", ")})`,
            );
            callback(null, `Message stored as ${id}`);
          },
          (err: unknown) => {
            log(`smtp: could not store a message: ${String(err)}`);
            callback(Object.assign(new Error("Could not store the message"), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on("error", (err: Error) => log(`smtp: ${err.message}`));

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
