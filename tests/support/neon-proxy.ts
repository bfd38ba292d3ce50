import { createServer } from "node:http";
import { connect } from "node:net";
import { WebSocketServer } from "ws";

export interface NeonProxy {
  /** `host:port`, the value for NEON_WS_PROXY. */
  address: string;
  /** WebSocket connections served so far. */
  connections(): number;
  stop(): Promise<void>;
}

/**
 * A WebSocket-to-TCP proxy like the one Neon runs in front of Postgres: `@neondatabase/serverless`
 * opens `ws://<proxy>/v1?address=host:port` and speaks the Postgres wire protocol inside binary
 * frames. It lets tests drive the Neon driver against a local Postgres or PGlite.
 */
export async function startNeonProxy(): Promise<NeonProxy> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: "/v1" });
  let served = 0;
  wss.on("connection", (ws, req) => {
    served++;
    const target = new URL(req.url ?? "", "http://proxy").searchParams.get("address") ?? "";
    const [host, port] = target.split(":");
    const socket = connect({ host, port: Number(port) });
    socket.on("data", (chunk) => ws.send(chunk));
    socket.on("close", () => ws.close());
    socket.on("error", () => ws.close());
    ws.on("message", (data) => socket.write(data as Buffer));
    ws.on("close", () => socket.end());
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const addr = http.address();
  if (!addr || typeof addr === "string") throw new Error("proxy did not bind");
  return {
    address: `127.0.0.1:${addr.port}`,
    connections: () => served,
    stop: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}
