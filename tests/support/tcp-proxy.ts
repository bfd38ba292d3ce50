import { connect, createServer, type Server, type Socket } from "node:net";
import { freePort } from "../../scripts/lib/net";

/**
 * A TCP proxy a fault test puts in front of a server (the database) and then cuts: `cut()` resets
 * every open connection and resets each new one at once, as an unreachable host whose address
 * still answers would; `restore()` lets connections through again. The test talks to the server
 * directly, the Worker through the proxy.
 */
export interface TcpProxy {
  port: number;
  /** Connections accepted so far, and those reset while cut. */
  stats: { accepted: number; refused: number };
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  const stats = { accepted: 0, refused: 0 };
  const server: Server = createServer((client) => {
    if (down) {
      stats.refused++;
      client.resetAndDestroy();
      return;
    }
    stats.accepted++;
    const upstream = connect(target.port, target.host);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      open.add(a);
      a.on("error", () => b.destroy());
      a.on("close", () => {
        open.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return {
    port,
    stats,
    cut() {
      down = true;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The same database URL, through the proxy. */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(proxy.port);
  return u.toString();
}
