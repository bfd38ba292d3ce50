/**
 * pg corks its stream around the messages of one extended-protocol query (Parse, Bind, Describe,
 * Execute, Sync), so Node sends them in one packet. pg-cloudflare's socket has no cork: each
 * message became its own write on the Workers socket, five per query, and each write costs CPU.
 * This gives that socket class cork/uncork, so a query leaves as one write.
 */

interface CorkableSocket {
  write(data: Uint8Array | string, encoding?: unknown, callback?: (err?: Error) => void): boolean;
  cork?: () => void;
  uncork?: () => void;
  __corked?: Uint8Array[];
}

const encoder = new TextEncoder();

/** Adds cork/uncork to the socket's class, once; sockets that already have them are left alone. */
export function addCork(socket: CorkableSocket): void {
  const proto = Object.getPrototypeOf(socket) as CorkableSocket;
  if (proto.cork) return;
  const write = proto.write;
  proto.write = function (this: CorkableSocket, data, encoding, callback) {
    if (!this.__corked) return write.call(this, data, encoding, callback);
    this.__corked.push(typeof data === "string" ? encoder.encode(data) : data);
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") (done as () => void)();
    return true;
  };
  proto.cork = function (this: CorkableSocket) {
    this.__corked ??= [];
  };
  proto.uncork = function (this: CorkableSocket) {
    const parts = this.__corked;
    this.__corked = undefined;
    if (!parts || parts.length === 0) return;
    const size = parts.reduce((n, p) => n + p.length, 0);
    const joined = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    write.call(this, joined);
  };
}
