import { Socket } from "node:net";

/**
 * A small HTTP/1.1 load generator on raw keep-alive sockets, cheap enough per request that the
 * server is what gets measured on a two-core machine (Node's http client costs several times
 * more). It reads just enough of each response to know where it ends: the status line,
 * Content-Length or chunked framing, and no body for HEAD.
 */

export interface LoadTarget {
  host: string;
  port: number;
  /** Requests are made round-robin over these. */
  requests: { method: "GET" | "HEAD"; path: string; headers?: Record<string, string> }[];
}

interface PendingResponse {
  head: boolean;
  resolve: (status: number) => void;
  reject: (err: Error) => void;
}

/** One keep-alive connection, one request in flight at a time. */
class Connection {
  private readonly sock: Socket;
  private buf = Buffer.alloc(0);
  private pending: PendingResponse | null = null;
  readonly ready: Promise<void>;

  constructor(host: string, port: number) {
    this.sock = new Socket();
    this.sock.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.sock.once("connect", () => resolve());
      this.sock.once("error", reject);
    });
    this.sock.on("data", (chunk: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.parse();
    });
    this.sock.on("error", (err) => this.fail(err));
    this.sock.on("close", () => this.fail(new Error("connection closed")));
    this.sock.connect(port, host);
  }

  request(raw: Buffer, head: boolean): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = { head, resolve, reject };
      this.sock.write(raw);
    });
  }

  close(): void {
    this.sock.destroy();
  }

  private fail(err: Error): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(err);
  }

  /** Completes the pending request once its whole response is in the buffer. */
  private parse(): void {
    const p = this.pending;
    if (!p) return;
    const end = this.buf.indexOf("\r\n\r\n");
    if (end < 0) return;
    const headText = this.buf.toString("latin1", 0, end);
    const status = Number(headText.slice(9, 12));
    let bodyEnd = end + 4;
    if (!p.head && status !== 204 && status !== 304) {
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(headText);
      if (length) {
        bodyEnd += Number(length[1]);
        if (this.buf.length < bodyEnd) return;
      } else if (/\r\ntransfer-encoding:\s*chunked/i.test(headText)) {
        const done = this.buf.indexOf("\r\n0\r\n\r\n", end);
        if (done < 0) return;
        bodyEnd = done + 7;
      }
    }
    this.buf = this.buf.subarray(bodyEnd);
    this.pending = null;
    p.resolve(status);
  }
}

function rawRequests(target: LoadTarget): { raw: Buffer; head: boolean }[] {
  return target.requests.map((r) => {
    const extra = Object.entries(r.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("");
    return {
      raw: Buffer.from(
        `${r.method} ${r.path} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\n${extra}\r\n`,
      ),
      head: r.method === "HEAD",
    };
  });
}

async function connect(target: LoadTarget, n: number): Promise<Connection[]> {
  const conns = Array.from({ length: n }, () => new Connection(target.host, target.port));
  await Promise.all(conns.map((c) => c.ready));
  return conns;
}

export interface ClosedLoopResult {
  rps: number;
  errors: number;
  /** Responses whose status was not the expected one, and the last such status. */
  unexpected: number;
  unexpectedStatus?: number;
}

/**
 * Maximum rate: `connections` loops, each sending its next request as soon as the previous answer
 * is complete, for `seconds`. Returns completed requests per second.
 */
export async function closedLoop(
  target: LoadTarget,
  opts: { connections: number; seconds: number; expectStatus: number },
): Promise<ClosedLoopResult> {
  const reqs = rawRequests(target);
  const conns = await connect(target, opts.connections);
  let done = 0;
  let errors = 0;
  let unexpected = 0;
  let unexpectedStatus: number | undefined;
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < deadline) {
        const r = reqs[next++ % reqs.length] as { raw: Buffer; head: boolean };
        try {
          const status = await c.request(r.raw, r.head);
          if (status !== opts.expectStatus) {
            unexpected++;
            unexpectedStatus = status;
          }
          done++;
        } catch {
          errors++;
          return;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  for (const c of conns) c.close();
  return { rps: done / elapsed, errors, unexpected, unexpectedStatus };
}

export interface OpenLoopResult {
  /** Requests completed per second (the offered rate when the server keeps up). */
  achievedRps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
}

/**
 * Constant offered rate: request i is due at t0 + i / rate, whatever happened to the others, and
 * its latency is counted from when it was due (so a stalled server shows up as latency instead of
 * silently lowering the rate: no coordinated omission). Requests wait for a free connection from
 * a pool large enough not to be the limit.
 */
export async function openLoop(
  target: LoadTarget,
  opts: { rate: number; seconds: number; connections: number },
): Promise<OpenLoopResult> {
  const reqs = rawRequests(target);
  const free = await connect(target, opts.connections);
  // One request on every connection before the clock starts: the server's first request on a new
  // connection costs it milliseconds (measured: 64 fresh connections put ~190 ms of backlog at the
  // start of a run), and what is measured here is serving, not connection setup.
  await Promise.all(
    free.map((c, i) => {
      const r = reqs[i % reqs.length] as { raw: Buffer; head: boolean };
      return c.request(r.raw, r.head).catch(() => 0);
    }),
  );
  const all = [...free];
  const total = Math.floor(opts.rate * opts.seconds);
  const latencies = new Float64Array(total);
  const waiting: number[] = [];
  let completed = 0;
  let errors = 0;
  const t0 = performance.now();
  const dueAt = (i: number) => t0 + (i * 1000) / opts.rate;

  await new Promise<void>((finish) => {
    const start = (i: number, c: Connection) => {
      const r = reqs[i % reqs.length] as { raw: Buffer; head: boolean };
      c.request(r.raw, r.head).then(
        () => {
          latencies[i] = performance.now() - dueAt(i);
          settle(c);
        },
        () => {
          latencies[i] = Number.NaN;
          errors++;
          settle(null);
        },
      );
    };
    const settle = (c: Connection | null) => {
      completed++;
      if (c) {
        const queued = waiting.shift();
        if (queued === undefined) free.push(c);
        else start(queued, c);
      }
      if (completed === total) finish();
    };
    let issued = 0;
    const tick = () => {
      const now = performance.now();
      while (issued < total && dueAt(issued) <= now) {
        const c = free.pop();
        if (c) start(issued, c);
        else waiting.push(issued);
        issued++;
      }
      if (issued < total) setTimeout(tick, Math.max(0, Math.min(1, dueAt(issued) - performance.now())));
    };
    tick();
  });
  const elapsed = (performance.now() - t0) / 1000;
  for (const c of all) c.close();
  const sorted = Array.from(latencies)
    .filter((x) => !Number.isNaN(x))
    .sort((a, b) => a - b);
  const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    achievedRps: completed / elapsed,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    errors,
  };
}
