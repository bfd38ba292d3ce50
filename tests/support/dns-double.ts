import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the public DNS-over-HTTPS resolver (DNS lives outside this machine): answers
 * `GET /dns-query?name=&type=` in Cloudflare's `application/dns-json` shape from records that
 * tests register with `POST /records {name, type, data}` (TXT data as published, without quotes).
 */
export interface DnsDouble {
  url: string;
  stop(): Promise<void>;
}

const TYPES: Record<string, number> = { TXT: 16, MX: 15, CNAME: 5 };

export async function startDnsDouble(): Promise<DnsDouble> {
  const records = new Map<string, string[]>();
  const key = (name: string, type: string) =>
    `${type.toUpperCase()} ${name.toLowerCase().replace(/\.$/, "")}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "POST" && url.pathname === "/records") {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        const { name, type, data } = JSON.parse(body) as { name: string; type: string; data: string };
        records.set(key(name, type), [...(records.get(key(name, type)) ?? []), data]);
        res.writeHead(204).end();
      });
      return;
    }
    const name = url.searchParams.get("name") ?? "";
    const type = (url.searchParams.get("type") ?? "A").toUpperCase();
    const found = records.get(key(name, type)) ?? [];
    // Long TXT values arrive as several quoted strings of at most 255 characters, as real resolvers send them.
    const answer = found.map((data) => ({
      name,
      type: TYPES[type] ?? 1,
      TTL: 300,
      data: type === "TXT" ? (data.match(/.{1,255}/g) ?? [""]).map((s) => `"${s}"`).join(" ") : data,
    }));
    res.writeHead(200, { "content-type": "application/dns-json" });
    res.end(
      JSON.stringify({
        Status: found.length > 0 || [...records.keys()].some((k) => k.endsWith(` ${name}`)) ? 0 : 3,
        Answer: answer,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
