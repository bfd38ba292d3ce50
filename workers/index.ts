import { createApp } from "./api/app";
import type { Env } from "./env";
import { handleEmail } from "./inbound/email";
import { runCron } from "./jobs/cron";
import { handleQueue } from "./jobs/queue";
import { withQueueChaos } from "./lib/queue-chaos";
import { isMediaPath, serveMedia } from "./public/media";
import { handleTracking, isTrackingPath } from "./track/router";

export { RelayLimiter } from "./objects/relay-limiter";
export { WorkflowInstance } from "./objects/workflow-instance";

const app = createApp();

/**
 * Test stacks run the deploy bundle under `wrangler dev` with `no_bundle`, which leaves out
 * wrangler's dev middleware that reads whatever a Worker left of a request body. Without it the
 * local runtime resets the connection of a client still sending, so a 413 to a 2 MB body arrives
 * as "connection lost". Cloudflare's edge absorbs such a body's rest itself: only test stacks
 * (ENVIRONMENT=test) read it here, after the answer is made and before it is returned.
 */
async function drainingUnreadBody(request: Request, answer: () => Response | Promise<Response>) {
  try {
    return await answer();
  } finally {
    if (request.body && !request.bodyUsed) {
      const reader = request.body.getReader();
      while (!(await reader.read().catch(() => ({ done: true }))).done) {}
    }
  }
}

export default {
  // The tracking hot path (/o/, /c/) and uploaded images (/media/) skip the Hono app and its env check.
  fetch: (request, env, ctx) => {
    if (isTrackingPath(request.url)) return handleTracking(request, withQueueChaos(env), ctx);
    if (isMediaPath(request.url)) return serveMedia(request, env);
    const answer = () => app.fetch(request, withQueueChaos(env), ctx);
    return env.ENVIRONMENT === "test" ? drainingUnreadBody(request, answer) : answer();
  },
  queue: (batch, env, ctx) => handleQueue(batch, withQueueChaos(env), ctx),
  // Mail to the bounce domain (Cloudflare Email Routing): bounces, complaints, mailto unsubscribes.
  email: async (message, env) => {
    await handleEmail(message, env);
  },
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(runCron(controller, withQueueChaos(env)));
  },
} satisfies ExportedHandler<Env>;
