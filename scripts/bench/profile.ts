import { writeFileSync } from "node:fs";
import WebSocket from "ws";

/**
 * A CPU profile of the Worker's isolate over `seconds`, through the DevTools protocol on the
 * inspector port `wrangler dev` opens. Writes the .cpuprofile (open it in Chrome DevTools) and
 * returns the functions with the most self time, for a quick look in the terminal.
 */
export async function profileWorker(inspectorPort: number, seconds: number, file: string): Promise<string[]> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error("no inspector target");
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  let id = 0;
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const mine = ++id;
      const onMessage = (m: WebSocket.RawData) => {
        const d = JSON.parse(m.toString()) as { id?: number; result?: Record<string, unknown> };
        if (d.id === mine) {
          ws.off("message", onMessage);
          resolve(d.result ?? {});
        }
      };
      ws.on("message", onMessage);
      ws.send(JSON.stringify({ id: mine, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 200 });
  await call("Profiler.start");
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const { profile } = (await call("Profiler.stop")) as {
    profile: {
      nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
      samples: number[];
    };
  };
  ws.close();
  writeFileSync(file, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (const s of profile.samples) {
    const f = byId.get(s)?.callFrame;
    const key = `${f?.functionName || "(anonymous)"} ${f?.url.split("/").slice(-1)[0] ?? ""}:${f?.lineNumber ?? -1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 40)
    .map(([k, n]) => `${((n / profile.samples.length) * 100).toFixed(1).padStart(5)}% ${k}`);
}
