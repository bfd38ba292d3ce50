import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

/** A test CA and a certificate for localhost / 127.0.0.1 signed by it (made with openssl). */
export interface TestCerts {
  caFile: string;
  key: Buffer;
  cert: Buffer;
  dispose(): void;
}

export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "edgepost-smtp-certs-"));
  const openssl = (args: string) => execFileSync("openssl", args.split(" "), { cwd: dir, stdio: "pipe" });
  const newKey = "-days 2 -nodes -newkey rsa:2048";
  openssl(
    `req -x509 ${newKey} -subj /CN=Edgepost-test-CA -keyout ca.key -out ca.pem ` +
      "-addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign",
  );
  openssl("req -nodes -newkey rsa:2048 -subj /CN=localhost -keyout server.key -out server.csr");
  writeFileSync(
    join(dir, "ext.cnf"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
  );
  openssl(
    "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out server.pem -extfile ext.cnf",
  );
  return {
    caFile: join(dir, "ca.pem"),
    key: readFileSync(join(dir, "server.key")),
    cert: readFileSync(join(dir, "server.pem")),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One message as the server received it (smtp-server has already undone dot-stuffing). */
export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  secure: boolean;
  user: string | undefined;
}

export interface TestServer {
  port: number;
  received: Received[];
  /** Raw bytes of each TCP chunk the server read, per connection (plain connections only). */
  chunks: string[][];
  auths: { method: string; username: string; password: string }[];
  /** Sockets of open connections, so a test can cut one. */
  sockets: Set<Socket>;
  close(): Promise<void>;
}

/**
 * Starts an smtp-server that stores every message. `options` are smtp-server's own, so a test
 * can add AUTH, TLS, SIZE or hooks that refuse (onRcptTo, onData) or stall (never calling back).
 * `listenHost` is 127.0.0.1 unless a test needs the server on another address.
 */
export async function startServer(
  options: Partial<SMTPServerOptions> & {
    onMessage?: (raw: Buffer) => Error | undefined;
    listenHost?: string;
  } = {},
): Promise<TestServer> {
  const received: Received[] = [];
  const chunks: string[][] = [];
  const auths: TestServer["auths"] = [];
  const sockets = new Set<Socket>();
  const { onMessage, listenHost, ...smtpOptions } = options;
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    allowInsecureAuth: true,
    closeTimeout: 200,
    onAuth(auth, _session, callback) {
      auths.push({ method: auth.method, username: auth.username ?? "", password: auth.password ?? "" });
      if (auth.username === "app" && auth.password === "s3cret p@ss") callback(null, { user: "app" });
      else
        callback(Object.assign(new Error("5.7.8 Authentication credentials invalid"), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const parts: Buffer[] = [];
      stream.on("data", (c: Buffer) => parts.push(c));
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error("5.3.4 Message too big"), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(parts);
        const refusal = onMessage?.(raw);
        if (refusal) return callback(refusal);
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          secure: session.secure,
          user: typeof session.user === "string" ? session.user : undefined,
        });
        callback(null, `2.0.0 Queued as ${received.length}`);
      });
    },
    ...smtpOptions,
  } as SMTPServerOptions);
  server.on("error", () => {});
  server.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    const mine: string[] = [];
    chunks.push(mine);
    socket.on("data", (c: Buffer) => mine.push(c.toString("latin1")));
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, listenHost ?? "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    chunks,
    auths,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A refusal for an smtp-server hook: `code` becomes the reply code. */
export const refuse = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });
