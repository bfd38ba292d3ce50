/**
 * The baselines for `npm run bench tracking`: Workers that do no work at all, served exactly like
 * Edgepost, so the tracking endpoints' figures are read against what the runtime itself costs per
 * request on this machine. `/o/empty` answers a bare 204; `/o/pixel` and `/c/redirect` answer the
 * very responses the tracking endpoints send (the same constructors), with nothing computed, so
 * the difference to `/o/` and `/c/` is the tracking code alone: token, event and queue.
 */
import { pixelResponse, redirectResponse } from "../../../workers/track/responses";

const LOCATION = "https://shop.example.com/spring/collection?utm_source=edgepost&utm_campaign=bench";

export default {
  fetch: (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/o/pixel") return pixelResponse();
    if (path === "/c/redirect") return redirectResponse(LOCATION);
    return new Response(null, { status: 204 });
  },
} satisfies ExportedHandler;
