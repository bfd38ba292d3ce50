import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbConnection, openDb, queryRows } from "../../workers/lib/db";
import { api, ownerLogin, stack, userWithRole } from "../support/api";
import { gif, jpeg, png, webpLossless } from "../support/images";

interface Asset {
  id: string;
  url: string;
  contentType: string;
  size: number;
  name: string | null;
  width: number | null;
  height: number | null;
  createdById: string | null;
  createdAt: string;
}

let conn: DbConnection;
let editor: string;
let analyst: string;

/** POSTs an image as a raw body (or a prepared multipart form) with the caller's token. */
async function upload(
  body: Uint8Array | FormData | string,
  opts: { type?: string; token?: string; query?: string } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? editor}` };
  if (!(body instanceof FormData)) headers["content-type"] = opts.type ?? "image/png";
  const res = await fetch(`${stack().baseUrl}/api/v1/assets${opts.query ?? ""}`, {
    method: "POST",
    headers,
    body,
  });
  return {
    status: res.status,
    body: (await res.json()) as Asset & { error: { code: string; message: string } },
  };
}

const served = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

beforeAll(async () => {
  conn = openDb(stack().databaseUrl);
  editor = (await userWithRole("editor")).accessToken;
  analyst = (await userWithRole("analyst")).accessToken;
});

afterAll(async () => {
  await conn?.close();
});

describe("image upload", () => {
  it("stores a raw PNG body and serves the same bytes from the Worker's origin with long cache headers", async () => {
    const bytes = png(3, 2);
    const res = await upload(bytes, { query: "?name=logo.png" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      contentType: "image/png",
      size: bytes.length,
      width: 3,
      height: 2,
      name: "logo.png",
    });
    expect(res.body.url).toBe(`${stack().baseUrl}/media/${res.body.id}.png`);

    const got = await served(res.body.url);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(got.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    const etag = got.headers.get("etag");
    expect(etag).toMatch(/^"[^"]+"$/);

    const again = await served(res.body.url, { "if-none-match": etag ?? "" });
    expect(again.status).toBe(304);
    const head = await fetch(res.body.url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(bytes.length));
  });

  it("takes a multipart `file` part, names it after the file, and reads the type from the bytes", async () => {
    const form = new FormData();
    form.append("note", "ignored");
    // The browser's word (image/png) is not trusted: the bytes are a JPEG.
    form.append("file", new Blob([jpeg(640, 480)], { type: "image/png" }), "photo.jpeg");
    const res = await upload(form);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      contentType: "image/jpeg",
      width: 640,
      height: 480,
      name: "photo.jpeg",
    });
    expect(res.body.url).toMatch(/\.jpg$/);
    const got = await served(res.body.url);
    expect(got.headers.get("content-type")).toBe("image/jpeg");
  });

  it("accepts GIF and WebP", async () => {
    expect((await upload(gif(6, 7), { type: "image/gif" })).body).toMatchObject({
      contentType: "image/gif",
      width: 6,
    });
    expect((await upload(webpLossless(10, 11), { type: "image/webp" })).body).toMatchObject({
      contentType: "image/webp",
      height: 11,
    });
  });

  it("refuses SVG and anything else with a 415 that says which images are accepted", async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>';
    const res = await upload(svg, { type: "image/svg+xml" });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe("unsupported_media_type");
    expect(res.body.error.message).toMatch(/SVG.*PNG, JPEG, GIF or WebP/);

    const text = await upload("just text pretending", { type: "image/png" });
    expect(text.status).toBe(415);
    expect(text.body.error.message).toMatch(/not an image we accept/);

    const form = new FormData();
    form.append("file", new Blob(["%PDF-1.4"], { type: "application/pdf" }), "doc.pdf");
    expect((await upload(form)).status).toBe(415);
  });

  it("refuses an image over 5 MB with a 413, by its length and by its bytes", async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(png(1, 1));
    const res = await upload(big);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/larger than 5 MB/);

    // No Content-Length to go by: the stream is counted as it comes.
    const streamed = await fetch(`${stack().baseUrl}/api/v1/assets`, {
      method: "POST",
      headers: { authorization: `Bearer ${editor}`, "content-type": "image/png" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("refuses an empty body and a multipart body without a file part with a 400", async () => {
    expect((await upload(new Uint8Array())).status).toBe(400);
    const form = new FormData();
    form.append("other", "x");
    expect((await upload(form)).status).toBe(400);
  });

  it("lets analysts list the library but not upload or delete", async () => {
    const res = await upload(png(1, 1), { token: analyst });
    expect(res.status).toBe(403);
    const list = await api("GET", "/api/v1/assets", { token: analyst });
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body.data)).toBe(true);
  });

  it("writes one audit row for an upload and one for a delete, then serves 404", async () => {
    const { body } = await upload(png(2, 2), { query: "?name=audited.png" });
    const rows = () =>
      queryRows<{ action: string; actor_label: string }>(
        conn.db,
        sql`select action, actor_label from audit_logs where entity = 'asset' and entity_id = ${body.id} order by id`,
      );
    expect((await rows()).map((r) => r.action)).toEqual(["asset.upload"]);

    expect((await api("DELETE", `/api/v1/assets/${body.id}`, { token: analyst })).status).toBe(403);
    expect((await api("DELETE", `/api/v1/assets/${body.id}`, { token: editor })).status).toBe(204);
    expect((await rows()).map((r) => r.action)).toEqual(["asset.upload", "asset.delete"]);
    expect((await served(body.url)).status).toBe(404);
    expect((await api("DELETE", `/api/v1/assets/${body.id}`, { token: editor })).status).toBe(404);
  });

  it("serves 404 for unknown and malformed media names", async () => {
    const base = `${stack().baseUrl}/media`;
    for (const path of [
      "/00000000-0000-7000-8000-000000000000.png",
      "/..%2Fimages%2F00000000-0000-7000-8000-000000000000.png",
      "/00000000-0000-7000-8000-000000000000.png.png",
      "/not-an-id.png",
      "/00000000-0000-7000-8000-000000000000.svg",
      "/",
    ]) {
      const res = await served(`${base}${path}`);
      expect(res.status, path).toBe(404);
    }
  });
});

describe("image library", () => {
  it("pages newest first with limit and cursor", async () => {
    const owner = (await ownerLogin()).accessToken;
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) mine.push((await upload(png(1, i + 1), { token: owner })).body.id);
    const first = await api("GET", "/api/v1/assets?limit=2", { token: owner });
    expect(first.status).toBe(200);
    expect(first.body.data.map((a: Asset) => a.id)).toEqual([mine[2], mine[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(first.body.total).toBeGreaterThanOrEqual(3);
    const second = await api("GET", `/api/v1/assets?limit=2&cursor=${first.body.nextCursor}`, {
      token: owner,
    });
    expect(second.body.data[0].id).toBe(mine[0]);
    expect(second.body.data[0].url).toMatch(/\/media\/[0-9a-f-]{36}\.png$/);
    expect((await api("GET", "/api/v1/assets?cursor=bogus", { token: owner })).status).toBe(400);
  });
});
