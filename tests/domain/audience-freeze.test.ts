import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { campaigns } from "../../schema/campaigns";
import { listMemberships } from "../../schema/lists";
import { sendChunks, sends } from "../../schema/sends";
import { suppressions } from "../../schema/suppressions";
import type { SegmentRule } from "../../workers/contract/segments";
import { emailHash } from "../../workers/domain/audience/email";
import { createSegment } from "../../workers/domain/audience/segments/segments";
import {
  type AudienceSpec,
  CHUNK_SIZE,
  countAudience,
  freezeAudience,
} from "../../workers/domain/campaigns/audience";
import { getCampaign } from "../../workers/domain/campaigns/campaigns";
import { freezeCampaign } from "../../workers/domain/campaigns/freeze";
import { startCampaign } from "../../workers/domain/campaigns/lifecycle";
import {
  actor,
  contextWithQueues,
  newTag,
  seedCampaign,
  seedList,
  seedMembers,
  seedSubscribers,
  seedTemplate,
  useDomainDb,
} from "../support/domain";

/**
 * The audience freeze, called directly: who is written into the send ledger for lists and/or a
 * segment (once each; never the suppressed, unsubscribed, bounced or complained), and how the
 * rows are cut into chunks.
 */

const { db } = useDomainDb();
const tag = newTag("frz");
let templateId = "";
let single = "";
let double = "";
let other = "";
let people: Record<string, { id: string; email: string }> = {};

beforeAll(async () => {
  templateId = await seedTemplate(db, `freeze ${tag}`);
  single = await seedList(db, `freeze single ${tag}`, "single");
  double = await seedList(db, `freeze double ${tag}`, "double");
  other = await seedList(db, `freeze other ${tag}`, "single");
  people = await seedSubscribers(db, tag, {
    both: { lists: { [single]: "confirmed", [double]: "confirmed" } },
    singleUnconfirmed: { lists: { [single]: "unconfirmed" } },
    doubleUnconfirmed: { lists: { [double]: "unconfirmed" } },
    doubleOnly: { lists: { [double]: "confirmed" } },
    leftTheList: { lists: { [single]: "unsubscribed" } },
    unsubscribed: { status: "unsubscribed", lists: { [single]: "confirmed" } },
    bounced: { status: "bounced", lists: { [single]: "confirmed" } },
    complained: { status: "complained", lists: { [double]: "confirmed" } },
    // Upper case in the address: the suppression is found by the hash of its normal form.
    Suppressed: { lists: { [single]: "confirmed" } },
    otherOnly: { lists: { [other]: "confirmed" } },
  });
  // Hash only, as an erasure leaves it: the address itself is not stored.
  await db
    .insert(suppressions)
    .values({ emailHash: await emailHash(people.Suppressed?.email ?? ""), email: null, reason: "manual" });
});

/** The keys (as seeded) of the people frozen into a campaign's ledger, sorted. */
async function frozenKeys(campaignId: string): Promise<string[]> {
  const rows = await db.select({ email: sends.email }).from(sends).where(eq(sends.campaignId, campaignId));
  return rows.map((r) => r.email.split(`-${tag}@`)[0] ?? "").sort();
}

async function segment(rules: SegmentRule): Promise<string> {
  return (await createSegment({ db, actor }, { name: `freeze ${tag}`, rules })).id;
}

/** A draft campaign for `spec`, its audience frozen in one transaction as the consumer does. */
async function frozen(spec: AudienceSpec) {
  const id = await seedCampaign(db, { name: `freeze ${tag}`, templateId, ...spec });
  const result = await db.transaction((tx) => freezeAudience(tx, id, spec, null));
  return { id, result };
}

describe("who is frozen", () => {
  it("members of the lists once each, minus suppressed, unsubscribed, bounced and complained", async () => {
    const spec = { listIds: [single, double], segmentId: null };
    const { id, result } = await frozen(spec);
    expect(await frozenKeys(id)).toEqual(["both", "doubleOnly", "singleUnconfirmed"]);
    expect(result).toEqual({ size: 3, testSize: 0, chunks: 1 });
    expect(await countAudience(db, spec)).toBe(3);
    const rows = await db.select().from(sends).where(eq(sends.campaignId, id));
    expect(rows.map((r) => [r.status, r.variantId, r.attempts])).toEqual(Array(3).fill(["queued", null, 0]));
    expect(new Set(rows.map((r) => r.subscriberId))).toEqual(
      new Set([people.both?.id, people.doubleOnly?.id, people.singleUnconfirmed?.id]),
    );
  });

  it("a segment alone: the people it matches, under the same rules", async () => {
    const segmentId = await segment({ or: [{ list: other }, { list: double }] });
    const { id } = await frozen({ listIds: [], segmentId });
    expect(await frozenKeys(id)).toEqual(["both", "doubleOnly", "otherOnly"]);
  });

  it("lists and a segment: the lists' members the segment keeps", async () => {
    const segmentId = await segment({ list: double });
    const { id, result } = await frozen({ listIds: [single], segmentId });
    expect(await frozenKeys(id)).toEqual(["both"]);
    expect(result.size).toBe(1);
  });

  it("someone who leaves the list after the freeze stays in the ledger; a new freeze would leave them out", async () => {
    const list = await seedList(db, `freeze later ${tag}`);
    const later = await seedSubscribers(db, `${tag}l`, {
      stays: { lists: { [list]: "confirmed" } },
      leaves: { lists: { [list]: "confirmed" } },
    });
    const spec = { listIds: [list], segmentId: null };
    const { id, result } = await frozen(spec);
    expect(result.size).toBe(2);
    await db
      .update(listMemberships)
      .set({ status: "unsubscribed" })
      .where(eq(listMemberships.subscriberId, later.leaves.id));
    const rows = await db
      .select({ subscriberId: sends.subscriberId })
      .from(sends)
      .where(eq(sends.campaignId, id));
    expect(rows.map((r) => r.subscriberId).sort()).toEqual([later.stays.id, later.leaves.id].sort());
    expect(await countAudience(db, spec)).toBe(1);
  });
});

describe("chunks", () => {
  it("cuts 1200 recipients into chunks of 500 consecutive sends of the campaign", async () => {
    const list = await seedList(db, `freeze bulk ${tag}`);
    await seedMembers(db, list, `${tag}-bulk`, 1200);
    const { id, result } = await frozen({ listIds: [list], segmentId: null });
    expect(CHUNK_SIZE).toBe(500);
    expect(result).toEqual({ size: 1200, testSize: 0, chunks: 3 });
    const chunks = await db
      .select()
      .from(sendChunks)
      .where(eq(sendChunks.campaignId, id))
      .orderBy(asc(sendChunks.seq));
    expect(chunks.map((c) => [c.seq, c.phase, c.status, c.size])).toEqual([
      [0, "main", "pending", 500],
      [1, "main", "pending", 500],
      [2, "main", "pending", 200],
    ]);
    const ids = (await db.select({ id: sends.id }).from(sends).where(eq(sends.campaignId, id))).map(
      (r) => r.id,
    );
    ids.sort((a, b) => a - b);
    // Each chunk is the next run of the campaign's own send ids, in order, with none left out.
    let from = 0;
    for (const chunk of chunks) {
      const run = ids.slice(from, from + chunk.size);
      expect([chunk.firstSendId, chunk.lastSendId]).toEqual([run[0], run.at(-1)]);
      from += chunk.size;
    }
    expect(from).toBe(ids.length);
  });
});

describe("freezing a started campaign", () => {
  it("freezes once: records the size, opens the chunks; a second freeze does nothing", async () => {
    const id = await seedCampaign(db, { name: `freeze started ${tag}`, templateId, listIds: [double] });
    await startCampaign(contextWithQueues(db), id);
    expect(await freezeCampaign(db, id)).toEqual([0]);
    const after = await getCampaign(db, id);
    expect(after).toMatchObject({ status: "sending", audienceSize: 2 });
    expect(after.frozenAt).not.toBeNull();
    const [chunk] = await db.select().from(sendChunks).where(eq(sendChunks.campaignId, id));
    expect(chunk?.status).toBe("queued");
    expect(await freezeCampaign(db, id)).toEqual([]);
    expect(await frozenKeys(id)).toEqual(["both", "doubleOnly"]);
  });

  it("an audience that emptied after the start ends the campaign as sent, with nothing to send", async () => {
    const list = await seedList(db, `freeze emptied ${tag}`);
    const [member] = Object.values(
      await seedSubscribers(db, `${tag}e`, { leaver: { lists: { [list]: "confirmed" } } }),
    );
    const id = await seedCampaign(db, { name: `freeze emptied ${tag}`, templateId, listIds: [list] });
    await startCampaign(contextWithQueues(db), id);
    await db
      .update(listMemberships)
      .set({ status: "unsubscribed" })
      .where(eq(listMemberships.subscriberId, member?.id ?? ""));
    expect(await freezeCampaign(db, id)).toEqual([]);
    const after = await getCampaign(db, id);
    expect(after).toMatchObject({ status: "sent", audienceSize: 0 });
    expect(after.finishedAt).not.toBeNull();
    expect(await db.select().from(sends).where(eq(sends.campaignId, id))).toEqual([]);
    expect(await db.select().from(sendChunks).where(eq(sendChunks.campaignId, id))).toEqual([]);
    expect((await db.select().from(campaigns).where(eq(campaigns.id, id)))[0]?.frozenAt).not.toBeNull();
  });
});
