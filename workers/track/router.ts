import { type IRequest, Router } from "itty-router";
import type { TrackingEventMessage } from "../domain/tracking/event-message";
import type { Env } from "../env";
import { edgeZone } from "../lib/edge-zone";
import { verifyTracking } from "../lib/tracking-token";
import { trackingEvent } from "./event";
import { allowEvent } from "./limit";
import { enqueueEvent } from "./outbox";
import { linkNotFoundResponse, misconfiguredResponse, pixelResponse, redirectResponse } from "./responses";

/**
 * The tracking hot path: `/o/:token` (open pixel) and `/c/:token` (tracked link) on itty-router,
 * in front of the Hono app. A request verifies its token (one HMAC), answers at once, and hands the
 * event to the events queue in `waitUntil` (`outbox.ts`), unless its token is replayed past its
 * limit (`limit.ts`): no database read or write, no env validation beyond the secret it needs.
 */

type Args = [Env, ExecutionContext];

/** True when `url` (a request URL) is a tracking path this router answers. */
export function isTrackingPath(url: string): boolean {
  // Avoids a URL parse for every other request: the path starts after "scheme://host".
  const start = url.indexOf("/", url.indexOf("//") + 2);
  return start > 0 && url[start + 2] === "/" && (url[start + 1] === "o" || url[start + 1] === "c");
}

async function open(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const fields = await verifyTracking(env.TRACKING_SECRET, "open", request.params.token ?? "");
  // A HEAD fetches no image, so it is no open.
  if (fields && request.method === "GET")
    queue(env, ctx, trackingEvent(request, "open", fields, edgeZone(request, env)));
  return pixelResponse();
}

async function click(request: IRequest, env: Env, ctx: ExecutionContext): Promise<Response> {
  const fields = await verifyTracking(env.TRACKING_SECRET, "click", request.params.token ?? "");
  // verifyTracking only returns absolute http(s) URLs. The parsed href is the same address in
  // ASCII, safe for a header even when the signed URL holds other characters.
  if (!fields) return linkNotFoundResponse();
  queue(env, ctx, trackingEvent(request, "click", fields, edgeZone(request, env)));
  return redirectResponse(new URL(fields.url).href);
}

/** Queues the event unless its token is over its limit (the answer is the same either way). */
function queue(env: Env, ctx: ExecutionContext, event: TrackingEventMessage): void {
  if (allowEvent(event, Date.now())) enqueueEvent(env, ctx, event);
}

const router = Router<IRequest, Args>({
  catch: (err: unknown, request: IRequest) => {
    console.error(`tracking: ${request.method} failed: ${err instanceof Error ? err.message : String(err)}`);
    return new URL(request.url).pathname.startsWith("/o/") ? pixelResponse() : linkNotFoundResponse();
  },
});
router
  .get("/o/:token", open)
  .head("/o/:token", open)
  .get("/c/:token", click)
  .head("/c/:token", click)
  .get("/o/*", () => pixelResponse())
  .all("*", () => linkNotFoundResponse());

/** Answers a tracking request (see `isTrackingPath`). */
export async function handleTracking(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const secret = env.TRACKING_SECRET;
  if (typeof secret !== "string" || secret.length < 32) {
    console.error("edgepost: tracking refused, TRACKING_SECRET is missing or shorter than 32 characters");
    return misconfiguredResponse();
  }
  return router.fetch(request, env, ctx) as Promise<Response>;
}
