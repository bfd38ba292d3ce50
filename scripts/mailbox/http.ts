import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { MailStore } from "./store.ts";
import { htmlPart, listPage, messagePage } from "./views.ts";

const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; form-action 'self'; " +
  "base-uri 'none'; frame-ancestors 'none'";
// The message's own HTML: no scripts, forms, plugins or frames; remote images and styles stay
// allowed because real campaign mail links them and a preview without them is useless.
export const HTML_PART_CSP =
  "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; " +
  "img-src data: cid: http: https:; style-src 'unsafe-inline' http: https:; font-src data: http: https:; " +
  "form-action 'none'; base-uri 'none'; frame-ancestors 'self'";

type Reply = { status: number; type: string; body: string | Buffer; headers?: Record<string, string> };

const json = (value: unknown, status = 200): Reply => ({
  status,
  type: "application/json; charset=utf-8",
  body: `${JSON.stringify(value, null, 2)}\n`,
});
const html = (body: string, csp = PAGE_CSP): Reply => ({
  status: 200,
  type: "text/html; charset=utf-8",
  body,
  headers: { "content-security-policy": csp },
});
const text = (status: number, body: string): Reply => ({ status, type: "text/plain; charset=utf-8", body });
const notFound = (api: boolean): Reply =>
  api ? json({ error: { code: "not_found", message: "No such message" } }, 404) : text(404, "Not found\n");

/** A form or fetch from another site must not be able to wipe the mailbox. */
function crossSite(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false; // curl, scripts, same-origin GET-style clients
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true; // "null" from sandboxed frames and anything unparsable
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not a valid id either, so it ends in a 404
  }
}

/** The attachment's declared type if it looks like one, so a hostile header cannot break the response. */
function safeType(mimeType: string): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(mimeType) ? mimeType : "application/octet-stream";
}

async function route(store: MailStore, req: IncomingMessage): Promise<Reply> {
  const { pathname } = new URL(req.url ?? "/", "http://mailbox.local");
  const method = req.method ?? "GET";
  const parts = pathname.split("/").filter(Boolean).map(decodeSegment);
  const api = parts[0] === "api";
  const [, id, sub, index] = api ? parts.slice(1) : parts;

  if (method === "POST" && pathname === "/delete") {
    if (crossSite(req)) return text(403, "Cross-site request refused\n");
    await store.clear();
    return { status: 303, type: "text/plain", body: "", headers: { location: "/" } };
  }
  if (api && parts[1] === "messages" && parts.length === 2 && method === "DELETE") {
    if (crossSite(req)) return json({ error: { code: "forbidden", message: "Cross-site request" } }, 403);
    await store.clear();
    return { status: 204, type: "text/plain", body: "" };
  }
  if (method !== "GET") return text(405, "Method not allowed\n");

  if (pathname === "/") return html(listPage(await store.list()));
  if (api && parts[1] === "messages" && parts.length === 2) return json(await store.list());
  if ((api ? parts[1] : parts[0]) !== "messages" || id === undefined) return notFound(api);

  if (sub === undefined) {
    const message = await store.get(id);
    if (!message) return notFound(api);
    return api ? json(message) : html(messagePage(message));
  }
  if (sub === "raw" && index === undefined) {
    const raw = await store.raw(id);
    if (!raw) return notFound(api);
    return { status: 200, type: api ? "message/rfc822" : "text/plain; charset=utf-8", body: raw };
  }
  if (!api && sub === "html" && index === undefined) {
    const message = await store.get(id);
    if (message?.html == null) return notFound(api);
    return html(htmlPart(message.html), HTML_PART_CSP);
  }
  if (!api && sub === "attachments" && index !== undefined && /^\d+$/.test(index)) {
    const found = await store.attachment(id, Number(index));
    if (!found) return notFound(api);
    const name = found.info.filename ?? `attachment-${Number(index) + 1}`;
    return {
      status: 200,
      type: safeType(found.info.mimeType),
      body: found.content,
      headers: {
        "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
        "content-security-policy": "sandbox; default-src 'none'",
      },
    };
  }
  return notFound(api);
}

/** A closable HTTP listener bound to its actual port. */
export interface RunningHttp {
  port: number;
  close(): Promise<void>;
}

/** Starts the web UI and JSON API over the store. */
export async function startHttp(opts: {
  store: MailStore;
  port: number;
  host: string;
  log: (line: string) => void;
}): Promise<RunningHttp> {
  const { store, log } = opts;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    route(store, req)
      .catch((err: unknown): Reply => {
        log(
          `http: ${req.method} ${req.url} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
        return text(500, "Internal error\n");
      })
      .then((reply) => {
        res.writeHead(reply.status, {
          "content-type": reply.type,
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
          "referrer-policy": "no-referrer",
          ...reply.headers,
        });
        res.end(reply.body);
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Browsers and fetch keep connections alive; close() alone would wait on them.
        server.closeAllConnections();
      }),
  };
}
