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

export default {
  // The tracking hot path (/o/, /c/) and uploaded images (/media/) skip the Hono app and its env check.
  fetch: (request, env, ctx) =>
    isTrackingPath(request.url)
      ? handleTracking(request, withQueueChaos(env), ctx)
      : isMediaPath(request.url)
        ? serveMedia(request, env)
        : app.fetch(request, withQueueChaos(env), ctx),
  queue: (batch, env, ctx) => handleQueue(batch, withQueueChaos(env), ctx),
  // Mail to the bounce domain (Cloudflare Email Routing): bounces, complaints, mailto unsubscribes.
  email: async (message, env) => {
    await handleEmail(message, env);
  },
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(runCron(controller, withQueueChaos(env)));
  },
} satisfies ExportedHandler<Env>;
