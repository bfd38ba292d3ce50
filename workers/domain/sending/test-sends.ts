import { sql } from "drizzle-orm";
import { subscribers } from "../../../schema/subscribers";
import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { type CompiledTemplate, renderTemplate, type TemplateVars } from "../../mail/template/template";
import type { SubscriberRow } from "../audience/subscribers";
import { suppressedAmong } from "../audience/suppressions/suppressions";
import { messageLinks, sampleSubscriber, subscriberVars } from "../content/render-context";
import { buildOutbound, type SenderContext } from "./outbound";
import type { ResolvedRelay } from "./relays/relays";
import { SmtpLane } from "./relays/smtp-lane";

export interface TestResult {
  email: string;
  accepted: boolean;
  message: string;
  code?: number;
}

/**
 * Sends test copies, subject prefixed "[Test]", over one connection: as the subscriber with that
 * address when there is one (or as `asSubscriber`), else with sample data. No ledger row, no
 * tracking; suppressed addresses are refused, not sent.
 */
export async function deliverTests(
  db: Database,
  env: Env,
  input: {
    sender: SenderContext;
    relay: ResolvedRelay;
    compiled: CompiledTemplate;
    emails: string[];
    campaignId?: string | null;
    /** Everything but `subscriber` and the links, which depend on the recipient. */
    vars: (
      subscriber: TemplateVars["subscriber"],
      links: Awaited<ReturnType<typeof messageLinks>>,
    ) => TemplateVars;
    asSubscriber?: SubscriberRow | null;
  },
): Promise<TestResult[]> {
  const suppressed = await suppressedAmong(db, input.emails);
  const lane = new SmtpLane(input.relay.smtp);
  const sender = { ...input.sender, trackOpens: false, trackClicks: false };
  const results: TestResult[] = [];
  try {
    for (const email of input.emails) {
      if (suppressed.has(email)) {
        results.push({ email, accepted: false, message: "suppressed: never sent to" });
        continue;
      }
      const [match] = input.asSubscriber
        ? [input.asSubscriber]
        : await db.select().from(subscribers).where(sql`lower(${subscribers.email}) = lower(${email})`);
      const subscriber = match
        ? { ...subscriberVars(match), email }
        : { ...(await sampleSubscriber(db)), email };
      const links = await messageLinks(env, {
        subscriberId: match?.id ?? null,
        campaignId: input.campaignId ?? null,
      });
      const vars = input.vars(subscriber, links);
      const { subject } = await renderTemplate(input.compiled, vars);
      const built = await buildOutbound(sender, {
        sendId: null,
        email,
        subscriberId: match?.id ?? null,
        campaignId: input.campaignId ?? null,
        variantId: null,
        compiled: input.compiled,
        vars,
        subject: `[Test] ${subject}`,
      });
      const res = await lane.send(built.message);
      const r = res.recipients[0];
      results.push({
        email,
        accepted: res.accepted,
        message: res.accepted
          ? (res.response ?? "accepted")
          : (r?.message ?? res.error?.message ?? "refused"),
        ...(r?.code ? { code: r.code } : {}),
      });
    }
  } finally {
    await lane.close();
  }
  return results;
}
