import { openMedia } from "../domain/content/assets";
import type { Env } from "../env";

/**
 * GET /media/<id>.<ext>: uploaded images, straight from R2. Like the tracking path it runs before
 * the Hono app (no database, no env check): every open of a mail with images lands here, and the
 * key is the file name. A URL never changes content, so it is cached for a year.
 */

const PREFIX = "/media/";
export const isMediaPath = (url: string) => new URL(url).pathname.startsWith(PREFIX);

const baseHeaders = {
  "x-content-type-options": "nosniff",
  // Mail clients and webmail on other origins show these images; nothing else may run in them.
  "cross-origin-resource-policy": "cross-origin",
  "content-security-policy": "default-src 'none'; sandbox",
};

const notFound = () =>
  new Response("Not found", {
    status: 404,
    headers: { ...baseHeaders, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

export async function serveMedia(request: Request, env: Pick<Env, "MEDIA">): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Method not allowed", {
      status: 405,
      headers: { ...baseHeaders, allow: "GET, HEAD" },
    });
  }
  const file = new URL(request.url).pathname.slice(PREFIX.length);
  let object: Awaited<ReturnType<typeof openMedia>>;
  try {
    object = await openMedia(env.MEDIA, file, request.headers);
  } catch (err) {
    console.error(`media: reading ${file} failed`, err);
    return new Response("Storage unavailable", {
      status: 503,
      headers: { ...baseHeaders, "retry-after": "5" },
    });
  }
  if (!object) return notFound();
  const headers = new Headers(baseHeaders);
  object.writeHttpMetadata(headers);
  headers.set("cache-control", "public, max-age=31536000, immutable");
  headers.set("etag", object.httpEtag);
  // Without a body, R2 says the If-None-Match (or other) condition held: the client's copy is current.
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  headers.set("content-length", String(object.size));
  if (request.method === "HEAD") {
    await object.body.cancel();
    return new Response(null, { headers });
  }
  return new Response(object.body, { headers });
}
