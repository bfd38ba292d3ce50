// POST /webhooks/postmark: Postmark's Bounce and SpamComplaint webhooks, one record per request.
// Postmark signs nothing; it authenticates webhooks with HTTP Basic credentials written into the
// webhook URL (postmarkapp.com/developer/webhooks/webhooks-overview, "Protecting your webhook").
// Record fields and bounce types: postmarkapp.com/developer/webhooks/bounce-webhook and
// /developer/api/bounce-api#bounce-types (HardBounce, SoftBounce, Transient, DnsError, ...).

import type { Env } from "../../env";
import { timingSafeEqual } from "../../lib/crypto";
import {
  addressOf,
  classifyFailure,
  dateOf,
  malformed,
  messageIdOf,
  type Notices,
  parseJson,
  refused,
  type Verdict,
} from "./notice";
import type { WebhookRequest } from "./request";

/** On when both POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD are set. */
export const postmarkConfigured = (env: Env) =>
  Boolean(env.POSTMARK_WEBHOOK_USER && env.POSTMARK_WEBHOOK_PASSWORD);

/** Checks the request's Basic credentials in constant time; throws 401 when they are missing or wrong. */
export function checkPostmarkAuth(env: Env, authorization: string | undefined): void {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  let decoded = "";
  try {
    decoded = m?.[1] ? atob(m[1]) : "";
  } catch {
    decoded = "";
  }
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? "" : decoded.slice(0, colon);
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  // Both comparisons always run, so timing does not tell which half was wrong.
  const userOk = timingSafeEqual(user, env.POSTMARK_WEBHOOK_USER ?? "");
  const passwordOk = timingSafeEqual(password, env.POSTMARK_WEBHOOK_PASSWORD ?? "");
  if (!(userOk && passwordOk) || colon < 0) throw refused("Invalid webhook credentials");
}

// Types that report a final failure, and what they say about the address. The rest (Transient:
// still retrying; AutoResponder, AddressChange, Subscribe, ChallengeVerification, ...) change nothing.
const VERDICTS: Record<string, Verdict> = {
  HardBounce: "permanent",
  BadEmailAddress: "hard",
  SoftBounce: "soft",
  DnsError: "soft",
  Blocked: "soft",
  SpamNotification: "soft",
  VirusNotification: "soft",
  DMARCPolicy: "soft",
  Unknown: "classify",
};

interface PostmarkRecord {
  RecordType?: unknown;
  Type?: unknown;
  ID?: unknown;
  Email?: unknown;
  BouncedAt?: unknown;
  Details?: unknown;
  Description?: unknown;
  Content?: unknown;
  Headers?: unknown;
}

// Postmark bounce IDs exceed 2^53: JSON.parse would round them, and two bounces could share a key.
function rawId(text: string, parsed: unknown): string {
  for (const m of text.matchAll(/"ID"\s*:\s*(\d+)/g)) {
    if (m[1] && Number(m[1]) === parsed) return m[1];
  }
  return typeof parsed === "string" || typeof parsed === "number" ? String(parsed) : "";
}

// Our Message-ID: from the original's headers when Postmark includes them, else any Message-ID
// quoted in the bounce dump (the bounce's own never matches one of our sends).
function messageIds(r: PostmarkRecord): string[] {
  const out = new Set<string>();
  if (Array.isArray(r.Headers)) {
    for (const h of r.Headers as { Name?: unknown; Value?: unknown }[]) {
      if (typeof h?.Name === "string" && h.Name.toLowerCase() === "message-id") {
        const id = messageIdOf(h.Value);
        if (id) out.add(id);
      }
    }
  }
  if (typeof r.Content === "string") {
    for (const m of r.Content.slice(0, 200_000).matchAll(/^message-id:\s*<([^>\s]{1,500})>/gim)) {
      if (m[1]) out.add(m[1]);
    }
  }
  return [...out].slice(0, 10);
}

/** Verifies a Postmark webhook and returns its bounce or complaint. */
export async function readPostmark(env: Env, req: WebhookRequest): Promise<Notices> {
  checkPostmarkAuth(env, req.headers.get("authorization") ?? undefined);
  const body = parseJson(req.text);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw malformed();
  const r = body as PostmarkRecord;
  const email = addressOf(r.Email);
  const id = rawId(req.text, r.ID);
  const match = { bounceAddresses: [], messageIds: messageIds(r), byEmail: true };
  const occurredAt = dateOf(r.BouncedAt);
  if (!email || !id) return { items: [], ignored: 1 };
  if (r.RecordType === "SpamComplaint" || (r.RecordType === "Bounce" && r.Type === "SpamComplaint")) {
    return {
      items: [
        {
          kind: "complaint",
          email,
          feedbackType: "abuse",
          dedupeKey: `postmark:complaint:${id}:${email}`,
          occurredAt,
          match,
        },
      ],
      ignored: 0,
    };
  }
  const verdict = r.RecordType === "Bounce" && typeof r.Type === "string" ? VERDICTS[r.Type] : undefined;
  if (!verdict) return { items: [], ignored: 1 };
  const details = typeof r.Details === "string" ? r.Details : "";
  const description = typeof r.Description === "string" ? r.Description : "";
  const c = classifyFailure(verdict, { text: details || description }, String(r.Type).toLowerCase());
  return {
    items: [
      {
        kind: "bounce",
        email,
        ...c,
        ...(details || description ? { diagnostic: details || description } : {}),
        dedupeKey: `postmark:bounce:${id}:${email}`,
        occurredAt,
        match,
      },
    ],
    ignored: 0,
  };
}
