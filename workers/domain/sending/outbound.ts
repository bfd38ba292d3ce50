import type { Env } from "../../env";
import { bounceToken } from "../../lib/bounce-token";
import { signMessageTokens } from "../../lib/tracking-token";
import type { DkimSigner } from "../../mail/dkim/sign";
import { extractLinks, injectTracking } from "../../mail/html/tracking";
import { composeMessage } from "../../mail/mime/compose";
import type { MailAddress } from "../../mail/mime/mime";
import type { OutgoingMessage } from "../../mail/smtp/client";
import { type CompiledTemplate, renderTemplate, type TemplateVars } from "../../mail/template/template";

/** What stays the same for every message of one campaign (or one transactional send). */
export interface SenderContext {
  env: Env;
  /** Public base URL for tracking links, no trailing slash. */
  baseUrl: string;
  from: MailAddress;
  replyTo: MailAddress | null;
  /** Host of the Return-Path addresses. */
  bounceDomain: string;
  signer: DkimSigner | null;
  trackOpens: boolean;
  trackClicks: boolean;
  /** Campaign mail carries List-Unsubscribe (one-click); transactional mail does not. */
  listUnsubscribe: boolean;
  /** Feedback-ID kind and List-ID, when the mail is a campaign. */
  list?: { id: string; name?: string };
  feedback?: { campaign: string; kind: string };
}

/** One recipient's message. */
export interface Recipient {
  /** The ledger row; null for a test send (no tracking, no bounce token). */
  sendId: number | null;
  email: string;
  subscriberId: string | null;
  campaignId: string | null;
  variantId: string | null;
  compiled: CompiledTemplate;
  /** Replaces the rendered subject (test sends prefix "[Test]"). */
  subject?: string | null;
  vars: TemplateVars;
}

export interface BuiltOutbound {
  message: OutgoingMessage;
  messageId: string;
  /** The rendered pieces before MIME: what Cloudflare Email Service's structured send takes. */
  parts: { from: MailAddress; replyTo: MailAddress | null; subject: string; html: string; text: string };
}

/**
 * Renders one recipient's message and makes it ready for the relay: tracking pixel and signed
 * click links (never on the unsubscribe and preferences links), MIME with List-Unsubscribe
 * one-click headers and a per-send Return-Path, then the DKIM signature(s).
 */
export async function buildOutbound(ctx: SenderContext, r: Recipient): Promise<BuiltOutbound> {
  const rendered = await renderTemplate(r.compiled, r.vars);
  const exclude = [r.vars.unsubscribe_url, r.vars.preferences_url].filter((u): u is string => !!u);
  let html = rendered.html;
  if (r.sendId !== null && (ctx.trackOpens || ctx.trackClicks)) {
    const urls = ctx.trackClicks ? extractLinks(html, exclude) : [];
    const ids = {
      sendId: r.sendId,
      campaignId: r.campaignId ?? undefined,
      subscriberId: r.subscriberId ?? undefined,
      variantId: r.variantId ?? undefined,
    };
    const tokens = await signMessageTokens(ctx.env.TRACKING_SECRET, ids, urls);
    const byUrl = new Map(urls.map((u, i) => [u, `${ctx.baseUrl}/c/${tokens.clicks[i]}`]));
    html = injectTracking(html, {
      pixelUrl: ctx.trackOpens ? `${ctx.baseUrl}/o/${tokens.open}` : null,
      linkUrl: (url) => byUrl.get(url) ?? null,
      exclude,
    });
  }
  const unsubscribeUrl = (ctx.listUnsubscribe && r.vars.unsubscribe_url) || undefined;
  const bounce =
    r.sendId === null
      ? null
      : { token: await bounceToken(ctx.env.TRACKING_SECRET, r.sendId), domain: ctx.bounceDomain };
  const composed = composeMessage({
    from: ctx.from,
    to: r.email,
    ...(ctx.replyTo ? { replyTo: ctx.replyTo } : {}),
    subject: r.subject ?? rendered.subject,
    html,
    text: rendered.text,
    ...(unsubscribeUrl
      ? {
          unsubscribe: {
            url: unsubscribeUrl,
            // The mailto goes to the send's own bounce address; the email() handler unsubscribes on it.
            ...(bounce ? { mailto: `bounces+${bounce.token}@${bounce.domain}` } : {}),
          },
        }
      : {}),
    ...(ctx.list ? { list: ctx.list } : {}),
    ...(ctx.feedback ? { feedbackId: { ...ctx.feedback, sender: "edgepost" } } : {}),
    ...(bounce ? { bounce, headers: { "X-Edgepost-Send": String(r.sendId) } } : {}),
  });
  const raw = ctx.signer ? await ctx.signer.sign(composed.raw, { crlf: true }) : composed.raw;
  return {
    message: { from: composed.envelopeFrom, to: composed.to, raw },
    messageId: composed.messageId.replace(/^<|>$/g, ""),
    parts: {
      from: ctx.from,
      replyTo: ctx.replyTo,
      subject: r.subject ?? rendered.subject,
      html,
      text: rendered.text,
    },
  };
}
