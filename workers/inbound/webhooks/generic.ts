// POST /webhooks/generic: our own format, for any other relay or the operator's tooling.
//   X-Edgepost-Timestamp: <unix seconds>
//   X-Edgepost-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" under WEBHOOK_SECRET>
//   body: {type: "bounce"|"complaint", email, status?, diagnostic?, hard?, messageId?, feedbackType?, id?}
//         or an array of them
// The timestamp is inside the MAC and must be fresh, as in Stripe's and Standard Webhooks' schemes,
// so a captured request cannot be replayed later. `id`, when given, names the notification for
// deduplication; without it the content itself does.

import { z } from "zod";
import type { Env } from "../../env";
import { hmacSha256, sha256Hex, timingSafeEqual } from "../../lib/crypto";
import { toHex } from "../../lib/encoding";
import {
  addressOf,
  classifyFailure,
  isFresh,
  malformed,
  messageIdOf,
  type Notice,
  type Notices,
  parseJson,
  refused,
} from "./notice";
import type { WebhookRequest } from "./request";

/** On when WEBHOOK_SECRET is set. */
export const genericConfigured = (env: Env) => Boolean(env.WEBHOOK_SECRET);

const ItemSchema = z.object({
  type: z.enum(["bounce", "complaint"]),
  email: z.string().max(320),
  status: z.string().max(32).optional(),
  diagnostic: z.string().max(4000).optional(),
  hard: z.boolean().optional(),
  messageId: z.string().max(998).optional(),
  feedbackType: z.string().max(64).optional(),
  id: z.string().min(1).max(200).optional(),
});

const BodySchema = z.union([ItemSchema, z.array(ItemSchema).max(1000)]);

/** Checks X-Edgepost-Signature over `<timestamp>.<body>` and the timestamp's age; throws 401 on failure. */
export async function verifyGeneric(env: Env, req: WebhookRequest): Promise<void> {
  const timestamp = req.headers.get("x-edgepost-timestamp");
  const header = req.headers.get("x-edgepost-signature");
  if (!timestamp || !header) throw refused("Missing webhook signature");
  if (!/^\d{1,12}$/.test(timestamp) || !isFresh(Number(timestamp))) throw refused("Stale webhook timestamp");
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header.trim())?.[1]?.toLowerCase() ?? "";
  const expected = toHex(await hmacSha256(env.WEBHOOK_SECRET ?? "", `${timestamp}.${req.text}`));
  if (!timingSafeEqual(given, expected)) throw refused();
}

/** Verifies a generic webhook and returns its bounces and complaints. */
export async function readGeneric(env: Env, req: WebhookRequest): Promise<Notices> {
  await verifyGeneric(env, req);
  const parsed = BodySchema.safeParse(parseJson(req.text));
  if (!parsed.success) throw malformed("Expected {type, email, ...} or an array of them");
  const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const items: Notice[] = [];
  let ignored = 0;
  for (const it of list) {
    const email = addressOf(it.email);
    if (!email) {
      ignored++;
      continue;
    }
    const messageId = messageIdOf(it.messageId);
    const name =
      it.id ?? (await sha256Hex(JSON.stringify([it.type, email, messageId, it.status, it.diagnostic])));
    const base = {
      email,
      dedupeKey: `generic:${it.type}:${name}:${email}`,
      match: { bounceAddresses: [], messageIds: messageId ? [messageId] : [], byEmail: true },
    };
    if (it.type === "complaint") {
      items.push({ ...base, kind: "complaint", feedbackType: it.feedbackType ?? "abuse" });
      continue;
    }
    const verdict = it.hard === undefined ? "classify" : it.hard ? "hard" : "soft";
    const c = classifyFailure(verdict, { enhanced: it.status, text: it.diagnostic });
    items.push({ ...base, kind: "bounce", ...c, ...(it.diagnostic ? { diagnostic: it.diagnostic } : {}) });
  }
  return { items, ignored };
}
