import { eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { campaigns } from "../../schema/campaigns";
import { sendChunks, sends } from "../../schema/sends";
import type { Database } from "../../workers/lib/db";
import { type client, until } from "./client";
import type { Sink } from "./sink";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Api = ReturnType<typeof client>;

/** A campaign template with a tracked link, and a campaign to `listId` sent through the stack's SMTP_URL. */
export async function newCampaign(
  api: Api,
  listId: string,
  name: string,
  extra: Record<string, unknown> = {},
) {
  const t = await api.call<{ id: string }>("POST", "/api/v1/templates", {
    name,
    subject: "Hello {{ subscriber.name }}",
    html: '<p>Hi</p><p><a href="https://example.com/read">Read</a></p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
  });
  expect(t.status, JSON.stringify(t.body)).toBe(201);
  const c = await api.call<{ id: string }>("POST", "/api/v1/campaigns", {
    name,
    templateId: t.body.id,
    listIds: [listId],
    fromName: "Faults",
    fromEmail: "news@sink.example.com",
    ...extra,
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  return c.body.id;
}

/** Waits for a final campaign status, firing the cron now and then as the dev launcher would. */
export async function waitFinished(db: Database, api: Api, id: string, ms = 240_000) {
  let lastCron = 0;
  try {
    return await finished(db, api, id, ms, () => {
      const due = Date.now() - lastCron > 5_000;
      if (due) lastCron = Date.now();
      return due;
    });
  } catch (err) {
    // Say where it stands: the campaign, its chunks and its ledger by status.
    const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, id));
    const chunks = await db.select().from(sendChunks).where(eq(sendChunks.campaignId, id));
    throw new Error(
      `${(err as Error).message}: ${JSON.stringify({ campaign, chunks, ledger: await ledger(db, id), now: new Date() })}`,
    );
  }
}

function finished(db: Database, api: Api, id: string, ms: number, cronDue: () => boolean) {
  return until(
    `campaign ${id} to finish`,
    async () => {
      if (cronDue()) await api.cron().catch(() => undefined);
      const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
      return row && ["sent", "failed", "cancelled"].includes(row.status) ? row : null;
    },
    ms,
  );
}

/** Addresses that did not get exactly one message, with what they got ("a@x: 2"). */
export function notExactlyOnce(sink: Sink, emails: string[]): string[] {
  const per = new Map<string, number>();
  for (const m of sink.messages) per.set(m.to, (per.get(m.to) ?? 0) + 1);
  return emails.filter((e) => per.get(e) !== 1).map((e) => `${e}: ${per.get(e) ?? 0}`);
}

/** The campaign's ledger by status. */
export async function ledger(db: Database, campaignId: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: sends.status, n: sql<number>`count(*)::int` })
    .from(sends)
    .where(eq(sends.campaignId, campaignId))
    .groupBy(sends.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
