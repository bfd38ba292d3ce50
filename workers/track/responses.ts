/** The responses of the tracking endpoints, built from constants: nothing here reads a request. */

/** A 1×1 transparent GIF (GIF89a, two-colour table, colour 0 transparent): 43 bytes. */
export const PIXEL_GIF = new Uint8Array([
  0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00,
  0x00, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
  0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
]);

/** Never cached anywhere, so every open reaches us (and every proxy fetch is one we can flag). */
const PIXEL_HEADERS: [string, string][] = [
  ["content-type", "image/gif"],
  ["cache-control", "no-store, no-cache, must-revalidate, max-age=0"],
  ["pragma", "no-cache"],
  ["expires", "0"],
];

/** The pixel, for every token, valid or not: the image never tells whether a token was good. */
export function pixelResponse(): Response {
  // A body from a BufferSource is a copy of its bytes (Fetch spec), so the constant is shared safely.
  return new Response(PIXEL_GIF, { headers: PIXEL_HEADERS });
}

/** The redirect of a verified click; `location` comes only from inside a verified token. */
export function redirectResponse(location: string): Response {
  return new Response(null, {
    status: 302,
    headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
}

const NOT_FOUND_HTML =
  '<!doctype html><html lang="en"><meta charset="utf-8"><meta name="robots" content="noindex">' +
  "<title>Link not found</title><p>This link is not valid. It may have been copied incompletely.</p></html>";

/** A tampered, truncated or foreign link: a tiny page, never a redirect. */
export function linkNotFoundResponse(): Response {
  return new Response(NOT_FOUND_HTML, {
    status: 404,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    },
  });
}

/** The Worker lacks its tracking secret: say which setting, never its value. */
export function misconfiguredResponse(): Response {
  return new Response("Server configuration incomplete: TRACKING_SECRET must be at least 32 characters", {
    status: 500,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
