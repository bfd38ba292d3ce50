import type { Env } from "../env";
import { emailServiceNotices } from "../inbound/email-service-events";
import { recordNotices } from "../inbound/webhooks/record";
import { openDbFor } from "../lib/db";
import type { QueueConsumer } from "./consumer";

/**
 * The Email Service events queue (the destination of the sending domain's event subscription):
 * bounces and complaints of mail sent through Cloudflare, recorded by the same rules as a relay
 * webhook's, once each (the event id is the dedupe key, so a redelivered batch changes nothing).
 */
export const emailEventsConsumer: QueueConsumer = async (batch, env: Env) => {
  const conn = openDbFor(env);
  try {
    const result = await recordNotices(
      conn.db,
      env.TRACKING_SECRET,
      emailServiceNotices(batch.messages.map((m) => m.body)),
    );
    if (result.bounces + result.complaints > 0)
      console.log(`email events: ${result.bounces} bounce(s), ${result.complaints} complaint(s)`);
    batch.ackAll();
  } finally {
    await conn.close();
  }
};
