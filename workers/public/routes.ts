import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { confirmSubscription, sendConfirmationMail } from "../domain/audience/subscriptions/confirmations";
import {
  preferencesUrl,
  readPreferencesToken,
  readUnsubscribeToken,
} from "../domain/audience/subscriptions/links";
import { getPreferences, updatePreferences } from "../domain/audience/subscriptions/preferences";
import { type SubscribeResult, subscribe } from "../domain/audience/subscriptions/subscriptions";
import { unsubscribe, unsubscribeTarget } from "../domain/audience/subscriptions/unsubscribe";
import { recordSeenZones } from "../domain/audience/zone";
import { PLACEHOLDER_TOKEN } from "../domain/content/render-context";
import { hitRateLimit, SUBSCRIBE_LIMIT } from "../domain/rate-limit";
import type { Env } from "../env";
import { clientIp } from "../http/auth";
import type { HonoEnv } from "../http/context";
import { openDbFor } from "../lib/db";
import { edgeZone } from "../lib/edge-zone";
import { AppError } from "../lib/errors";
import { HONEYPOT_FIELD } from "./form-snippet";
import {
  confirmedPage,
  messagePage,
  notFoundPage,
  PAGE_HEADERS,
  preferencesPage,
  thanksPage,
  unsubscribedPage,
  unsubscribePage,
} from "./pages";

/**
 * Public, unauthenticated routes for subscribers: the subscription form endpoint, double opt-in
 * confirmation, unsubscribe (RFC 8058 one-click) and preferences. Pages are server-rendered and
 * work without JavaScript; a bad or altered token is a 404 page, never a redirect.
 */
export const publicRoutes = new Hono<HonoEnv>();

const PUBLIC_BODY_LIMIT = 32 * 1024;

type Status = 200 | 400 | 404 | 413 | 415 | 422 | 429 | 500;

const pageResponse = (
  c: Context<HonoEnv>,
  body: string,
  status: Status = 200,
  extra: Record<string, string> = {},
) => c.body(body, status, { ...PAGE_HEADERS, ...extra });

const notFound = (c: Context<HonoEnv>) => pageResponse(c, notFoundPage(), 404);

const origin = (c: Context<HonoEnv>) => new URL(c.req.url).origin;

const isJson = (c: Context<HonoEnv>) => /^application\/json\b/i.test(c.req.header("content-type") ?? "");
const isForm = (c: Context<HonoEnv>) =>
  /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(c.req.header("content-type") ?? "");

/** Form fields as strings (repeated names become arrays); files are ignored. */
async function formFields(c: Context<HonoEnv>): Promise<Record<string, string[]>> {
  if (!isForm(c)) return {};
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    out[k] = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
  }
  return out;
}

/** Mails confirmations after the response, on a connection of its own (the request's is closed). */
function mailLater(c: Context<HonoEnv>, pending: NonNullable<SubscribeResult["pending"]>): void {
  const env: Env = c.env;
  const base = origin(c);
  const requestId = c.var.requestId;
  c.executionCtx.waitUntil(
    (async () => {
      const conn = openDbFor(env);
      try {
        await sendConfirmationMail(env, conn.db, pending, base);
      } catch (err) {
        console.error(`request ${requestId}: confirmation mail failed:`, err);
      } finally {
        await conn.close();
      }
    })(),
  );
}

/** Where the edge saw a signup or a confirmation, for local-time sends (audience/zone.ts); never fails the page. */
async function noteZone(c: Context<HonoEnv>, email: unknown, onlyIfUnknown: boolean): Promise<void> {
  const zone = edgeZone(c.req.raw, c.env);
  if (!zone || typeof email !== "string") return;
  await recordSeenZones(c.var.db, [{ email, zone, at: new Date() }], { onlyIfUnknown }).catch(
    (err: unknown) =>
      console.error(`request ${c.var.requestId}: seen time zone not recorded: ${String(err)}`),
  );
}

publicRoutes.post(
  "/subscribe",
  bodyLimit({
    maxSize: PUBLIC_BODY_LIMIT,
    onError: () => {
      throw new AppError("payload_too_large", `Request body is larger than ${PUBLIC_BODY_LIMIT} bytes`);
    },
  }),
  async (c) => {
    const form = isForm(c);
    if (!form && !isJson(c)) {
      throw new AppError("unsupported_media_type", "Send JSON or a form (application/x-www-form-urlencoded)");
    }
    try {
      await hitRateLimit(c.var.db, `subscribe:${clientIp(c.req.raw) ?? "unknown"}`, SUBSCRIBE_LIMIT);
      let input: { email: unknown; name: unknown; listIds: unknown; trap: unknown };
      if (form) {
        const f = await formFields(c);
        input = {
          email: f.email?.[0],
          name: f.name?.[0],
          listIds: [...(f.l ?? []), ...(f.listIds ?? [])],
          trap: f[HONEYPOT_FIELD]?.[0],
        };
      } else {
        const body: unknown = await c.req.json().catch(() => {
          throw new AppError("bad_request", "The body is not valid JSON");
        });
        const o = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
        input = { email: o.email, name: o.name, listIds: o.listIds, trap: o[HONEYPOT_FIELD] };
      }
      let result: SubscribeResult = { confirmationRequired: false, pending: null };
      // A filled honeypot looks like success to the bot, and nothing is stored or sent.
      if (typeof input.trap !== "string" || input.trap.trim() === "") {
        result = await subscribe(c.var.ctx, input);
        if (result.pending) mailLater(c, result.pending);
        // Anyone can post any address: the form only fills a zone never seen.
        await noteZone(c, input.email, true);
      }
      if (form) return pageResponse(c, thanksPage(result.confirmationRequired));
      return c.json(
        {
          ok: true,
          confirmationRequired: result.confirmationRequired,
          message: result.confirmationRequired
            ? "Check your inbox for a link to confirm your subscription."
            : "You are subscribed. If this address had unsubscribed before, check your inbox for a link to confirm.",
        },
        200,
      );
    } catch (err) {
      if (!form || !(err instanceof AppError) || err.status >= 500) throw err;
      const retry: Record<string, string> = err.retryAfter ? { "retry-after": String(err.retryAfter) } : {};
      const title = err.code === "rate_limited" ? "Please wait a moment" : "Please check the form";
      return pageResponse(c, messagePage(title, err.message), err.status as Status, retry);
    }
  },
);

publicRoutes.get("/confirm/:token", async (c) => {
  try {
    const done = await confirmSubscription(
      { ...c.var.ctx, secret: c.env.TRACKING_SECRET },
      c.req.param("token"),
    );
    await noteZone(c, done.email, false);
    return pageResponse(c, confirmedPage(done.lists));
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return notFound(c);
    throw err;
  }
});

// Previews and test sends carry placeholder links (domain/content/render-context.ts). They are
// answered before the token routes, with a page that says what they are, and change nothing.
const placeholderPage = (c: Context<HonoEnv>) =>
  pageResponse(
    c,
    messagePage(
      "This is a preview link",
      "Previews and test messages carry stand-in links that do nothing. In a real message this link works for its recipient.",
    ),
  );
publicRoutes.on(
  ["GET", "POST"],
  [`/u/${PLACEHOLDER_TOKEN}`, `/preferences/${PLACEHOLDER_TOKEN}`],
  placeholderPage,
);

publicRoutes.get("/u/:token", async (c) => {
  const token = c.req.param("token");
  const claims = await readUnsubscribeToken(c.env.TRACKING_SECRET, token);
  if (!claims) return notFound(c);
  const target = await unsubscribeTarget(c.var.db, claims);
  if (!target) return pageResponse(c, unsubscribedPage(null, null));
  return pageResponse(
    c,
    unsubscribePage({
      action: `/u/${token}`,
      email: target.email,
      listName: target.listName,
      preferencesUrl: await preferencesUrl(c.env, claims.subscriberId, origin(c)),
    }),
  );
});

// RFC 8058: a POST with the body `List-Unsubscribe=One-Click` (from the mailbox provider, no
// cookies, no other input) must unsubscribe and answer 2xx. The page's own form posts here too.
publicRoutes.post("/u/:token", bodyLimit({ maxSize: PUBLIC_BODY_LIMIT }), async (c) => {
  const claims = await readUnsubscribeToken(c.env.TRACKING_SECRET, c.req.param("token"));
  if (!claims) return notFound(c);
  const done = await unsubscribe(c.var.ctx, claims);
  const prefs = done.email ? await preferencesUrl(c.env, claims.subscriberId, origin(c)) : null;
  return pageResponse(c, unsubscribedPage(done.listName, prefs));
});

publicRoutes.get("/preferences/:token", async (c) => {
  const token = c.req.param("token");
  const subscriberId = await readPreferencesToken(c.env.TRACKING_SECRET, token);
  if (!subscriberId) return notFound(c);
  try {
    const prefs = await getPreferences(c.var.db, subscriberId);
    return pageResponse(
      c,
      preferencesPage({
        action: `/preferences/${token}`,
        email: prefs.email,
        lists: prefs.lists,
        saved: false,
      }),
    );
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return notFound(c);
    throw err;
  }
});

publicRoutes.post("/preferences/:token", bodyLimit({ maxSize: PUBLIC_BODY_LIMIT }), async (c) => {
  const token = c.req.param("token");
  const subscriberId = await readPreferencesToken(c.env.TRACKING_SECRET, token);
  if (!subscriberId) return notFound(c);
  const deps = c.var.ctx;
  const f = await formFields(c).catch(() => ({}) as Record<string, string[]>);
  try {
    if (f.action?.[0] === "unsubscribe_all") {
      await getPreferences(c.var.db, subscriberId); // 404 for an erased subscriber
      await unsubscribe(deps, { subscriberId });
      return pageResponse(c, unsubscribedPage(null, `/preferences/${token}`));
    }
    const prefs = await updatePreferences(deps, subscriberId, {
      listIds: [...(f.l ?? []), ...(f.listIds ?? [])],
    });
    return pageResponse(
      c,
      preferencesPage({
        action: `/preferences/${token}`,
        email: prefs.email,
        lists: prefs.lists,
        saved: true,
      }),
    );
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return notFound(c);
    throw err;
  }
});
