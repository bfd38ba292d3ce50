import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { confirmSubscription, sendConfirmationMail } from "../domain/audience/subscriptions/confirmations";
import {
  preferencesUrl,
  readPreferencesToken,
  readUnsubscribeToken,
} from "../domain/audience/subscriptions/links";
import { getPreferences, updatePreferences } from "../domain/audience/subscriptions/preferences";
import { getSignupForm, languageOfList, type SignupForm } from "../domain/audience/subscriptions/signup-form";
import { type SubscribeResult, subscribe } from "../domain/audience/subscriptions/subscriptions";
import { unsubscribe, unsubscribeTarget } from "../domain/audience/subscriptions/unsubscribe";
import { recordSeenZones } from "../domain/audience/zone";
import { PLACEHOLDER_TOKEN } from "../domain/content/render-context";
import { hitRateLimit, SUBSCRIBE_LIMIT } from "../domain/rate-limit";
import { getSettingsOf } from "../domain/settings";
import type { Env } from "../env";
import { clientIp } from "../http/auth";
import type { HonoEnv } from "../http/context";
import { openDbFor } from "../lib/db";
import { edgeZone } from "../lib/edge-zone";
import { AppError } from "../lib/errors";
import { html } from "../lib/html";
import { t } from "../lib/i18n";
import {
  confirmedPage,
  messagePage,
  notFoundPage,
  type PageTheme,
  page,
  pageHeaders,
  preferencesPage,
  thanksPage,
  unsubscribedPage,
  unsubscribePage,
} from "./pages";
import { HONEYPOT_FIELD, signupPage } from "./signup-page";
import { pageLanguage } from "./theme";

/**
 * Public, unauthenticated routes for subscribers: the subscription form endpoint, double opt-in
 * confirmation, unsubscribe (RFC 8058 one-click) and preferences. Pages are server-rendered and
 * work without JavaScript; a bad or altered token is a 404 page, never a redirect.
 */
export const publicRoutes = new Hono<HonoEnv>();

const PUBLIC_BODY_LIMIT = 32 * 1024;

type Status = 200 | 400 | 404 | 413 | 415 | 422 | 429 | 500;

/**
 * The brand (one settings read) and the page language: the list's own when the page is about one
 * list, else the visitor's Accept-Language.
 */
async function themeFor(c: Context<HonoEnv>, listLanguage?: string | null): Promise<PageTheme> {
  const { brand, organizationName } = await getSettingsOf(c.var.db, ["brand", "organizationName"]);
  return { brand, organizationName, lang: pageLanguage(listLanguage, c.req.header("accept-language")) };
}

const pageResponse = (
  c: Context<HonoEnv>,
  theme: PageTheme,
  body: string,
  status: Status = 200,
  extra: Record<string, string> = {},
) => c.body(body, status, { ...pageHeaders(theme), ...extra });

const notFound = async (c: Context<HonoEnv>, listLanguage?: string | null) => {
  const theme = await themeFor(c, listLanguage);
  return pageResponse(c, theme, notFoundPage(theme), 404);
};

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
  const acceptLanguage = c.req.header("accept-language");
  c.executionCtx.waitUntil(
    (async () => {
      const conn = openDbFor(env);
      try {
        await sendConfirmationMail(env, conn.db, pending, base, acceptLanguage);
      } catch (err) {
        console.error(`request ${requestId}: confirmation mail failed:`, err);
      } finally {
        await conn.close();
      }
    })(),
  );
}

/** `fields[key]` inputs of a form post as one object (the first value of each). */
function formFieldValues(f: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(f)) {
    const key = /^fields\[([a-z][a-z0-9_]{0,62})\]$/.exec(name)?.[1];
    if (key && values[0] !== undefined) out[key] = values[0];
  }
  return out;
}

type SubmittedForm = { email: unknown; name: unknown; listIds: unknown; fields: unknown; trap: unknown };

async function readSubmission(c: Context<HonoEnv>, form: boolean): Promise<SubmittedForm> {
  if (form) {
    const f = await formFields(c);
    return {
      email: f.email?.[0],
      name: f.name?.[0],
      listIds: [...(f.l ?? []), ...(f.listIds ?? [])],
      fields: formFieldValues(f),
      trap: f[HONEYPOT_FIELD]?.[0],
    };
  }
  const body: unknown = await c.req.json().catch(() => {
    throw new AppError("bad_request", "The body is not valid JSON");
  });
  const o = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  return { email: o.email, name: o.name, listIds: o.listIds, fields: o.fields, trap: o[HONEYPOT_FIELD] };
}

/** The one list a form post names, when it names exactly one live public list: its page's texts. */
async function singleListForm(c: Context<HonoEnv>, listIds: unknown): Promise<SignupForm | null> {
  const ids = Array.isArray(listIds) ? [...new Set(listIds)] : [];
  return ids.length === 1 && typeof ids[0] === "string" ? getSignupForm(c.var.db, ids[0]) : null;
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
    let signup: SignupForm | null = null;
    try {
      await hitRateLimit(c.var.db, `subscribe:${clientIp(c.req.raw) ?? "unknown"}`, SUBSCRIBE_LIMIT);
      const input = await readSubmission(c, form);
      if (form) signup = await singleListForm(c, input.listIds);
      let result: SubscribeResult = { confirmationRequired: false, pending: null };
      // A filled honeypot looks like success to the bot, and nothing is stored or sent.
      if (typeof input.trap !== "string" || input.trap.trim() === "") {
        result = await subscribe(c.var.ctx, input);
        if (result.pending) mailLater(c, result.pending);
        // Anyone can post any address: the form only fills a zone never seen.
        await noteZone(c, input.email, true);
      } else if (signup) {
        result.confirmationRequired = signup.list.optIn === "double";
      }
      if (form) {
        const theme = await themeFor(c, signup?.language);
        const message = signup?.form.successMessage;
        return pageResponse(c, theme, thanksPage(theme, result.confirmationRequired, message));
      }
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
      return formErrorPage(c, err, signup);
    }
  },
);

/** A refused form post as a page in the list's theme, with a way back to its signup page. */
async function formErrorPage(c: Context<HonoEnv>, err: AppError, signup: SignupForm | null) {
  const retry: Record<string, string> = err.retryAfter ? { "retry-after": String(err.retryAfter) } : {};
  const theme = await themeFor(c, signup?.language);
  const title = t(theme.lang, err.code === "rate_limited" ? "page.formError.wait" : "page.formError.check");
  const body = signup
    ? page(
        theme,
        title,
        html`<p>${err.message}</p><p><a href="/subscribe/${signup.list.id}">${t(theme.lang, "page.formError.back")}</a></p>`,
      )
    : messagePage(theme, title, err.message);
  return pageResponse(c, theme, body, err.status as Status, retry);
}

// The hosted signup page of a public list; unknown, private and archived lists get a 404 page.
publicRoutes.get("/subscribe/:listId", async (c) => {
  const signup = await getSignupForm(c.var.db, c.req.param("listId"));
  if (!signup) return notFound(c);
  const theme = await themeFor(c, signup.language);
  return pageResponse(c, theme, signupPage(theme, signup));
});

publicRoutes.get("/confirm/:token", async (c) => {
  try {
    const done = await confirmSubscription(
      { ...c.var.ctx, secret: c.env.TRACKING_SECRET },
      c.req.param("token"),
    );
    await noteZone(c, done.email, false);
    const theme = await themeFor(c, done.language);
    return pageResponse(c, theme, confirmedPage(theme, done.lists));
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return notFound(c);
    throw err;
  }
});

// Previews and test sends carry placeholder links (domain/content/render-context.ts). They are
// answered before the token routes, with a page that says what they are, and change nothing.
const placeholderPage = async (c: Context<HonoEnv>) => {
  const theme = await themeFor(c);
  return pageResponse(
    c,
    theme,
    messagePage(theme, t(theme.lang, "page.preview.title"), t(theme.lang, "page.preview.body")),
  );
};
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
  const theme = await themeFor(c, target?.language);
  if (!target) return pageResponse(c, theme, unsubscribedPage(theme, null, null));
  return pageResponse(
    c,
    theme,
    unsubscribePage(theme, {
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
  const theme = await themeFor(c, await languageOfList(c.var.db, claims.listId));
  return pageResponse(c, theme, unsubscribedPage(theme, done.listName, prefs));
});

publicRoutes.get("/preferences/:token", async (c) => {
  const token = c.req.param("token");
  const subscriberId = await readPreferencesToken(c.env.TRACKING_SECRET, token);
  if (!subscriberId) return notFound(c);
  try {
    const prefs = await getPreferences(c.var.db, subscriberId);
    const theme = await themeFor(c);
    return pageResponse(
      c,
      theme,
      preferencesPage(theme, {
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
    const theme = await themeFor(c);
    if (f.action?.[0] === "unsubscribe_all") {
      await getPreferences(c.var.db, subscriberId); // 404 for an erased subscriber
      await unsubscribe(deps, { subscriberId });
      return pageResponse(c, theme, unsubscribedPage(theme, null, `/preferences/${token}`));
    }
    const prefs = await updatePreferences(deps, subscriberId, {
      listIds: [...(f.l ?? []), ...(f.listIds ?? [])],
    });
    return pageResponse(
      c,
      theme,
      preferencesPage(theme, {
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
