import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { AbTest } from "../../schema/campaigns";
import { events } from "../../schema/events";
import { sendChunks, sends } from "../../schema/sends";
import { decideAbTest } from "../../workers/domain/campaigns/ab-test";
import { freezeAudience } from "../../workers/domain/campaigns/audience";
import { getCampaign } from "../../workers/domain/campaigns/campaigns";
import { freezeCampaign } from "../../workers/domain/campaigns/freeze";
import { startCampaign } from "../../workers/domain/campaigns/lifecycle";
import {
  contextWithQueues,
  newTag,
  seedCampaign,
  seedList,
  seedMembers,
  seedTemplate,
  useDomainDb,
} from "../support/domain";

/**
 * A/B tests, called directly: the freeze's deterministic split (who is in the test, with which
 * variant) on a few thousand subscribers, and the winner picked from the ledger's human unique
 * opens or clicks, with the first variant taken (and the reason said) on a tie or a thin sample.
 */

const { db } = useDomainDb();
const tag = newTag("ab");
let templateId = "";
let big = "";
let small = "";
const BIG = 3000;

beforeAll(async () => {
  templateId = await seedTemplate(db, `ab ${tag}`);
  big = await seedList(db, `ab big ${tag}`);
  await seedMembers(db, big, `${tag}-big`, BIG);
  small = await seedList(db, `ab small ${tag}`);
  await seedMembers(db, small, `${tag}-small`, 400);
}, 60_000);

const abTest = (variants: number, testPercent: number, metric: AbTest["metric"] = "opens"): AbTest => ({
  variants: Array.from({ length: variants }, (_, i) => ({ name: String.fromCharCode(65 + i) })),
  testPercent,
  metric,
  waitMinutes: 60,
});

async function abCampaign(list: string, test: AbTest) {
  const id = await seedCampaign(db, { name: `ab ${tag}`, templateId, listIds: [list], abTest: test });
  return { id, variantIds: (await getCampaign(db, id)).variants.map((v) => v.id) };
}

/** Subscriber id -> variant id ("" for the rest, who wait for the winner) of a campaign's ledger. */
async function assignment(tx: typeof db, campaignId: string): Promise<Map<string, string>> {
  const rows = await tx
    .select({ subscriberId: sends.subscriberId, variantId: sends.variantId })
    .from(sends)
    .where(eq(sends.campaignId, campaignId));
  return new Map(rows.map((r) => [r.subscriberId ?? "", r.variantId ?? ""]));
}

describe("the test split", () => {
  let campaign: { id: string; variantIds: string[] };
  let split: Map<string, string>;
  const TEST_PERCENT = 20;

  beforeAll(async () => {
    campaign = await abCampaign(big, abTest(3, TEST_PERCENT));
    const ab = { test: abTest(3, TEST_PERCENT), variantIds: campaign.variantIds };
    await db.transaction((tx) => freezeAudience(tx, campaign.id, { listIds: [big], segmentId: null }, ab));
    split = await assignment(db, campaign.id);
  }, 60_000);

  it("is the same every time for the same campaign and subscriber", async () => {
    const ab = { test: abTest(3, TEST_PERCENT), variantIds: campaign.variantIds };
    // Frozen again in a transaction rolled back, after the first freeze's rows are set aside.
    let again = new Map<string, string>();
    await db
      .transaction(async (tx) => {
        await tx.delete(sendChunks).where(eq(sendChunks.campaignId, campaign.id));
        await tx.delete(sends).where(eq(sends.campaignId, campaign.id));
        await freezeAudience(tx, campaign.id, { listIds: [big], segmentId: null }, ab);
        again = await assignment(tx, campaign.id);
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!String(err).includes("Rollback")) throw err;
      });
    expect(again.size).toBe(BIG);
    expect(again).toEqual(split);
  });

  it("puts about testPercent of the audience in the test", () => {
    const inTest = [...split.values()].filter((v) => v !== "").length;
    // 20% of 3000 is 600; a binomial spread of about 22: ±100 is more than four and a half of it.
    expect(split.size).toBe(BIG);
    expect(Math.abs(inTest - (BIG * TEST_PERCENT) / 100)).toBeLessThan(100);
  });

  it("splits the test group evenly between the variants", () => {
    const inTest = [...split.values()].filter((v) => v !== "");
    for (const variantId of campaign.variantIds) {
      const share = inTest.filter((v) => v === variantId).length;
      // A third of about 600 each, spread about 12: ±60 is five of it.
      expect(Math.abs(share - inTest.length / 3)).toBeLessThan(60);
    }
  });

  it("draws other groups for another campaign over the same people", async () => {
    const other = await abCampaign(big, abTest(3, TEST_PERCENT));
    const ab = { test: abTest(3, TEST_PERCENT), variantIds: other.variantIds };
    await db.transaction((tx) => freezeAudience(tx, other.id, { listIds: [big], segmentId: null }, ab));
    const inTest = (m: Map<string, string>) => new Set([...m].filter(([, v]) => v !== "").map(([s]) => s));
    const mine = inTest(split);
    const theirs = inTest(await assignment(db, other.id));
    const both = [...mine].filter((s) => theirs.has(s)).length;
    // Independent draws share about a fifth of the test group, nowhere near all of it.
    expect(both).toBeLessThan(mine.size / 2);
  });

  it("writes the test group first and cuts it into test chunks of its own, before the main ones", async () => {
    const chunks = await db
      .select()
      .from(sendChunks)
      .where(eq(sendChunks.campaignId, campaign.id))
      .orderBy(asc(sendChunks.seq));
    const test = chunks.filter((c) => c.phase === "test");
    const main = chunks.filter((c) => c.phase === "main");
    const testSize = [...split.values()].filter((v) => v !== "").length;
    expect(test.reduce((n, c) => n + c.size, 0)).toBe(testSize);
    expect(main.reduce((n, c) => n + c.size, 0)).toBe(BIG - testSize);
    expect(chunks.map((c) => c.phase)).toEqual([...test.map(() => "test"), ...main.map(() => "main")]);
    const lastTest = Math.max(...test.map((c) => c.lastSendId));
    expect(Math.min(...main.map((c) => c.firstSendId))).toBeGreaterThan(lastTest);
  });
});

describe("the winner", () => {
  /**
   * A started A/B test of two variants (half of 400 people in the test, about 100 each) whose
   * test sends went out: `sent` per variant are marked sent, and the first `opens`/`clicks` of
   * those opened or clicked by a person, as the events consumer records them in the ledger.
   */
  async function tested(
    metric: AbTest["metric"],
    perVariant: { sent: number; opens: number; clicks: number }[],
  ): Promise<{ id: string; variantIds: string[] }> {
    const campaign = await abCampaign(small, abTest(2, 50, metric));
    await startCampaign(contextWithQueues(db), campaign.id);
    await freezeCampaign(db, campaign.id);
    for (const [i, plan] of perVariant.entries()) {
      const variantId = campaign.variantIds[i] ?? "";
      const mark = (set: ReturnType<typeof sql>, n: number) =>
        db.execute(sql`update ${sends} set ${set} where id in (select id from ${sends}
          where campaign_id = ${campaign.id}::uuid and variant_id = ${variantId}::uuid order by id limit ${n})`);
      await mark(sql`sent_at = now(), status = 'sent'`, plan.sent);
      await mark(sql`opened_at = now()`, plan.opens);
      await mark(sql`clicked_at = now()`, plan.clicks);
    }
    return campaign;
  }

  const winnerOf = async (id: string) => (await getCampaign(db, id)).variants.find((v) => v.isWinner)?.name;

  it("is the variant with more human unique opens per send, and the rest of the audience gets it", async () => {
    const { id, variantIds } = await tested("opens", [
      { sent: 40, opens: 4, clicks: 0 },
      { sent: 40, opens: 12, clicks: 0 },
    ]);
    // Machine opens (a privacy proxy) of A's messages are events, never ledger opens: they do not count.
    const aSends = await db
      .select({ id: sends.id })
      .from(sends)
      .where(
        and(eq(sends.campaignId, id), eq(sends.variantId, variantIds[0] ?? ""), isNotNull(sends.sentAt)),
      );
    await db.insert(events).values(
      aSends.map((s) => ({
        kind: "open" as const,
        sendId: s.id,
        campaignId: id,
        variantId: variantIds[0],
        machine: true,
        client: "apple-mpp",
        occurredAt: new Date(),
        dedupeKey: `ab-${tag}-${s.id}`,
      })),
    );
    const main = await decideAbTest(db, id);
    const after = await getCampaign(db, id);
    expect(after.status).toBe("sending");
    expect(await winnerOf(id)).toBe("B");
    expect(after.winnerReason).toBe('"B" won on unique opens per send (A 10.0%, B 30.0%)');
    const waiting = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(sends)
      .where(and(eq(sends.campaignId, id), isNull(sends.variantId)));
    expect(waiting[0]?.n).toBe(0);
    const chunks = await db.select().from(sendChunks).where(eq(sendChunks.campaignId, id));
    const mainChunks = chunks.filter((c) => c.phase === "main");
    expect(main.sort()).toEqual(mainChunks.map((c) => c.seq).sort());
    expect(mainChunks.every((c) => c.status === "queued")).toBe(true);
    // Decided once: a second call (a redelivered message) changes nothing.
    expect(await decideAbTest(db, id)).toEqual([]);
  });

  it("is picked on clicks when the test measures clicks, whatever the opens say", async () => {
    const { id } = await tested("clicks", [
      { sent: 30, opens: 20, clicks: 3 },
      { sent: 30, opens: 5, clicks: 6 },
    ]);
    await decideAbTest(db, id);
    expect(await winnerOf(id)).toBe("B");
    expect((await getCampaign(db, id)).winnerReason).toBe(
      '"B" won on unique clicks per send (A 10.0%, B 20.0%)',
    );
  });

  it("is the first variant on a tie, and the reason says so", async () => {
    const { id } = await tested("opens", [
      { sent: 25, opens: 5, clicks: 0 },
      { sent: 25, opens: 5, clicks: 0 },
    ]);
    await decideAbTest(db, id);
    expect(await winnerOf(id)).toBe("A");
    expect((await getCampaign(db, id)).winnerReason).toBe(
      'Tie on unique opens per send (A 20.0%, B 20.0%): sent "A", the first variant',
    );
  });

  it("is the first variant when the sample is too thin to tell, and the reason says why", async () => {
    const few = await tested("opens", [
      { sent: 10, opens: 1, clicks: 0 },
      { sent: 10, opens: 9, clicks: 0 },
    ]);
    await decideAbTest(db, few.id);
    expect(await winnerOf(few.id)).toBe("A");
    expect((await getCampaign(db, few.id)).winnerReason).toBe(
      'Sample too small to tell (10 unique opens, 10 sends in the smallest variant): sent "A", the first variant',
    );
    const quiet = await tested("clicks", [
      { sent: 30, opens: 0, clicks: 0 },
      { sent: 30, opens: 0, clicks: 4 },
    ]);
    await decideAbTest(db, quiet.id);
    expect(await winnerOf(quiet.id)).toBe("A");
    expect((await getCampaign(db, quiet.id)).winnerReason).toBe(
      'Sample too small to tell (4 unique clicks, 30 sends in the smallest variant): sent "A", the first variant',
    );
  });
});
