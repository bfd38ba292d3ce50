/**
 * PGlite (Postgres in WASM) on the Postgres wire protocol, safe for many concurrent clients.
 *
 * PGlite is one single-user backend. @electric-sql/pglite-socket interleaves clients message by
 * message, which corrupts the extended query protocol (one client's Parse/Bind lands between
 * another's) as soon as two connections are busy at once. Here a client owns the backend from its
 * first message until the backend reports ReadyForQuery with status idle, so statements and
 * transactions never interleave. A client that disconnects mid-transaction is rolled back.
 *
 * Usage: tsx scripts/pglite-server.ts --db DIR|memory:// --port PORT [--host 127.0.0.1] [--load DUMP]
 * `--load` starts an in-memory database from a data directory dump (scripts/lib/pglite-template.ts).
 */
import { readFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "memory://" },
    port: { type: "string", default: "54329" },
    host: { type: "string", default: "127.0.0.1" },
    load: { type: "string" },
  },
});

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** Exclusive ownership of the backend by one client at a time, first come first served. */
class BackendLock {
  private owner: number | null = null;
  private queue: Array<{ id: number; grant: () => void }> = [];

  acquire(id: number): Promise<void> {
    if (this.owner === id) return Promise.resolve();
    if (this.owner === null) {
      this.owner = id;
      return Promise.resolve();
    }
    return new Promise((grant) => this.queue.push({ id, grant }));
  }

  release(id: number): void {
    if (this.owner !== id) return;
    const next = this.queue.shift();
    this.owner = next ? next.id : null;
    next?.grant();
  }

  /** Drops a departed client's place in the queue, or releases what it held. */
  forget(id: number): boolean {
    this.queue = this.queue.filter((w) => w.id !== id);
    return this.owner === id;
  }
}

/** Status byte of the last ReadyForQuery ('Z') in a backend response, if any. */
function readyStatus(out: Uint8Array): string | null {
  const view = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  let status: string | null = null;
  for (let i = 0; i + 5 <= view.length; ) {
    const len = view.readInt32BE(i + 1);
    if (view[i] === 0x5a && len === 5) status = String.fromCharCode(view[i + 5] ?? 0);
    i += 1 + len;
  }
  return status;
}

const db = values.load
  ? await PGlite.create({ dataDir: "memory://", loadDataDir: new Blob([readFileSync(values.load)]) })
  : await PGlite.create(values.db ?? "memory://");
const lock = new BackendLock();
let nextId = 1;

type Kind = "negotiate" | "cancel" | "startup" | "message";

function serve(socket: Socket) {
  const id = nextId++;
  let buf = Buffer.alloc(0);
  // Until the startup packet, frames have no type byte.
  let typed = false;
  let chain = Promise.resolve();
  socket.setNoDelay(true);

  const handle = async (kind: Kind, msg: Buffer) => {
    if (socket.destroyed) return;
    if (kind === "negotiate") return void socket.write("N");
    if (kind === "cancel" || msg[0] === 0x58 /* X: Terminate */) return void socket.end();
    await lock.acquire(id);
    const out = await db.runExclusive(() => db.execProtocolRaw(new Uint8Array(msg)));
    if (out.length && !socket.destroyed) socket.write(out);
    if (readyStatus(out) === "I") lock.release(id);
  };

  socket.on("data", (data) => {
    buf = Buffer.concat([buf, data]);
    for (;;) {
      const header = typed ? 1 : 0;
      if (buf.length < header + 4) break;
      const size = header + buf.readInt32BE(header);
      if (buf.length < size) break;
      const msg = buf.subarray(0, size);
      buf = buf.subarray(size);
      let kind: Kind = "message";
      if (!typed) {
        const code = msg.readInt32BE(4);
        kind =
          code === SSL_REQUEST || code === GSS_REQUEST
            ? "negotiate"
            : code === CANCEL_REQUEST
              ? "cancel"
              : "startup";
        if (kind === "startup") typed = true;
      }
      chain = chain
        .then(() => handle(kind, msg))
        .catch((err) => {
          console.error(`pglite-server: client ${id}: ${(err as Error).message}`);
          socket.destroy();
        });
    }
  });
  socket.on("close", () => {
    chain = chain.then(async () => {
      if (!lock.forget(id)) return;
      if (db.isInTransaction()) await db.exec("ROLLBACK").catch(() => undefined);
      lock.release(id);
    });
  });
  socket.on("error", () => socket.destroy());
}

const server = createServer(serve);
server.listen(Number(values.port), values.host, () => {
  console.log(`pglite-server listening on ${values.host}:${values.port} (${values.db})`);
});

const shutdown = async () => {
  server.close();
  await db.close().catch(() => undefined);
  process.exit(0);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
