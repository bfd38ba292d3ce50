import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type CampaignStatus, campaigns, campaignVariants } from "../../schema/campaigns";
import { sendChunks, sends } from "../../schema/sends";
import { deleteCampaign, getCampaign, updateCampaign } from "../../workers/domain/campaigns/campaigns";
import { freezeCampaign } from "../../workers/domain/campaigns/freeze";
import {
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  retryFailedSends,
  scheduleCampaign,
  startCampaign,
  unscheduleCampaign,
} from "../../workers/domain/campaigns/lifecycle";
import type { DomainContext } from "../../workers/domain/context";
import type { SendJob } from "../../workers/domain/jobs";
import { AppError } from "../../workers/lib/errors";
import {
  contextWithQueues,
  newTag,
  type RecordingQueues,
  seedCampaign,
  seedList,
  seedMembers,
  seedSubscribers,
  seedTemplate,
  useDomainDb,
} from "../support/domain";

/**
 * The campaign state machine, called directly: every action from every state either moves the
 * campaign where it should or is a 409 that names the state and the states it works from, and an
 * archived campaign refuses every change.
 */

const { db } = useDomainDb();
const tag = newTag("life");
let templateId = "";
let listId = "";

beforeAll(async () => {
  templateId = await seedTemplate(db, `lifecycle ${tag}`);
  listId = await seedList(db, `lifecycle ${tag}`);
  await seedSubscribers(db, tag, {
    ann: { lists: { [listId]: "confirmed" } },
    bob: { lists: { [listId]: "confirmed" } },
  });
});

const STATES: CampaignStatus[] = [
  "draft",
  "scheduled",
  "testing",
  "sending",
  "paused",
  "sent",
  "cancelled",
  "failed",
];
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

type Action = (ctx: DomainContext, id: string) => Promise<unknown>;
/** Each action, the states it works from, and where it takes a campaign without an A/B test. */
const ACTIONS: Record<string, { act: Action; from: CampaignStatus[]; to: CampaignStatus }> = {
  schedule: {
    act: (ctx, id) => scheduleCampaign(ctx, id, { sendAt: inAnHour() }),
    from: ["draft", "scheduled"],
    to: "scheduled",
  },
  unschedule: { act: unscheduleCampaign, from: ["scheduled"], to: "draft" },
  send: { act: startCampaign, from: ["draft", "scheduled"], to: "sending" },
  pause: { act: (ctx, id) => pauseCampaign(ctx, id), from: ["sending", "testing"], to: "paused" },
  resume: { act: resumeCampaign, from: ["paused"], to: "sending" },
  cancel: { act: cancelCampaign, from: ["scheduled", "sending", "testing", "paused"], to: "cancelled" },
};

const AB_TEST = {
  variants: [{ name: "A" }, { name: "B", subject: "Another subject" }],
  testPercent: 50,
  metric: "opens" as const,
  waitMinutes: 60,
};

/** A campaign to the suite's list, put straight into `status` (the state under test). */
async function campaignIn(status: CampaignStatus, ab = false, list = listId): Promise<string> {
  const id = await seedCampaign(db, {
    name: `lifecycle ${status} ${tag}`,
    templateId,
    listIds: [list],
    ...(ab ? { abTest: AB_TEST } : {}),
  });
  await db.update(campaigns).set({ status }).where(eq(campaigns.id, id));
  return id;
}

const statusOf = async (id: string) => (await getCampaign(db, id)).status;

/** The AppError a call is refused with. */
async function refusal(call: () => Promise<unknown>): Promise<AppError> {
  try {
    await call();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("the call was not refused");
}

/**
 * The sends-queue jobs a call left: on `ctx.queues`, or (while start, resume and retry still hand
 * their transition back to the caller to enqueue) asked for in the result. Either way is the same
 * work for the consumer.
 */
function jobsLeft(queues: RecordingQueues): SendJob[] {
  return queues.sends.messages;
}

for (const [name, action] of Object.entries(ACTIONS)) {
  describe(`${name}`, () => {
    for (const from of STATES) {
      const allowed = action.from.includes(from);
      it(allowed ? `${name} from ${from}: ${action.to}` : `${name} from ${from}: 409`, async () => {
        const id = await campaignIn(from);
        const ctx = contextWithQueues(db);
        if (allowed) {
          await action.act(ctx, id);
          expect(await statusOf(id)).toBe(action.to);
          return;
        }
        const err = await refusal(() => action.act(ctx, id));
        expect(err.code).toBe("conflict");
        expect(err.status).toBe(409);
        expect(err.message).toContain(`a campaign that is ${from}`);
        for (const origin of action.from) expect(err.message).toContain(origin);
        expect(err.details).toEqual({ status: from, allowedFrom: action.from });
        expect(await statusOf(id)).toBe(from);
        expect(ctx.queues.sends.messages).toEqual([]);
      });
    }
  });
}

describe("what the moves leave behind", () => {
  it("a start pins the template version and leaves a start job for the sends consumer", async () => {
    const id = await campaignIn("draft");
    const ctx = contextWithQueues(db);
    const _result = await startCampaign(ctx, id);
    const after = await getCampaign(db, id);
    expect(after).toMatchObject({ status: "sending", templateVersion: 1, pausedReason: null });
    expect(after.startedAt).not.toBeNull();
    expect(jobsLeft(ctx.queues)).toContainEqual({ type: "start", campaignId: id });
  });

  it("a schedule keeps the time and zone, and unscheduling forgets the time", async () => {
    const id = await campaignIn("draft");
    const ctx = contextWithQueues(db);
    const sendAt = inAnHour();
    await scheduleCampaign(ctx, id, { sendAt, timezone: "Europe/Paris" });
    expect(await getCampaign(db, id)).toMatchObject({
      status: "scheduled",
      sendAt: new Date(sendAt),
      timezone: "Europe/Paris",
    });
    await unscheduleCampaign(ctx, id);
    expect(await getCampaign(db, id)).toMatchObject({ status: "draft", sendAt: null });
  });

  it("a pause says why; a resume clears it and, never frozen, starts again", async () => {
    const id = await campaignIn("sending");
    const ctx = contextWithQueues(db);
    await pauseCampaign(ctx, id, "Relay down");
    expect(await getCampaign(db, id)).toMatchObject({ status: "paused", pausedReason: "Relay down" });
    const _result = await resumeCampaign(ctx, id);
    expect(await getCampaign(db, id)).toMatchObject({ status: "sending", pausedReason: null });
    expect(jobsLeft(ctx.queues)).toContainEqual({ type: "start", campaignId: id });
  });

  it("a cancel skips the recipients not reached yet and closes their chunks", async () => {
    const id = await campaignIn("draft");
    const ctx = contextWithQueues(db);
    await startCampaign(ctx, id);
    await freezeCampaign(db, id);
    await cancelCampaign(ctx, id);
    const rows = await db.select({ status: sends.status }).from(sends).where(eq(sends.campaignId, id));
    expect(rows.map((r) => r.status)).toEqual(["skipped", "skipped"]);
    const chunks = await db
      .select({ status: sendChunks.status })
      .from(sendChunks)
      .where(eq(sendChunks.campaignId, id));
    expect(chunks.map((c) => c.status)).toEqual(["done"]);
  });
});

describe("A/B tests", () => {
  it("start in testing, pause, and resume to testing until a winner is picked, then to sending", async () => {
    const id = await campaignIn("draft", true);
    const ctx = contextWithQueues(db);
    await startCampaign(ctx, id);
    expect(await statusOf(id)).toBe("testing");
    await pauseCampaign(ctx, id);
    await resumeCampaign(ctx, id);
    expect(await statusOf(id)).toBe("testing");

    await pauseCampaign(ctx, id);
    const [first] = (await getCampaign(db, id)).variants;
    await db
      .update(campaignVariants)
      .set({ isWinner: true })
      .where(eq(campaignVariants.id, first?.id ?? ""));
    await resumeCampaign(ctx, id);
    expect(await statusOf(id)).toBe("sending");
  });

  it("a resume while testing queues again only the test phase's unfinished chunks", async () => {
    // Forty recipients: some in the test (half, by bucket) and some left for the winner.
    const forty = await seedList(db, `lifecycle forty ${tag}`);
    await seedMembers(db, forty, `${tag}-forty`, 40);
    const id = await campaignIn("draft", true, forty);
    const ctx = contextWithQueues(db);
    await startCampaign(ctx, id);
    const opened = await freezeCampaign(db, id);
    await pauseCampaign(ctx, id);
    const resumed = contextWithQueues(db);
    const _result = await resumeCampaign(resumed, id);
    const chunks = await db.select().from(sendChunks).where(eq(sendChunks.campaignId, id));
    const test = chunks.filter((c) => c.phase === "test").map((c) => c.seq);
    expect(test).toEqual(opened);
    expect(chunks.filter((c) => c.phase === "main").map((c) => c.status)).toEqual(["pending"]);
    const requeued = jobsLeft(resumed.queues).filter((j) => j.type === "chunk");
    expect(requeued.map((j) => (j.type === "chunk" ? j.seq : -1)).sort()).toEqual(test);
  });
});

describe("retry of failed sends", () => {
  /** A campaign whose two recipients were tried: one sent, one failed for good; status `status`. */
  async function triedCampaign(status: CampaignStatus): Promise<{ id: string; failed: number }> {
    const id = await campaignIn("draft");
    const ctx = contextWithQueues(db);
    await startCampaign(ctx, id);
    await freezeCampaign(db, id);
    const rows = await db
      .select({ id: sends.id })
      .from(sends)
      .where(eq(sends.campaignId, id))
      .orderBy(sends.id);
    const [sent, failed] = rows.map((r) => r.id);
    await db
      .update(sends)
      .set({ status: "sent", sentAt: new Date(), attempts: 1 })
      .where(eq(sends.id, sent ?? 0));
    await db
      .update(sends)
      .set({ status: "failed", attempts: 3, lastError: "550 no" })
      .where(eq(sends.id, failed ?? 0));
    await db
      .update(sendChunks)
      .set({ status: "done", doneAt: sql`now()` })
      .where(eq(sendChunks.campaignId, id));
    await db.update(campaigns).set({ status }).where(eq(campaigns.id, id));
    return { id, failed: failed ?? 0 };
  }

  it("sends a finished campaign's failed recipients again: back to sending, their chunk queued", async () => {
    const { id, failed } = await triedCampaign("sent");
    const ctx = contextWithQueues(db);
    const _result = await retryFailedSends(ctx, id);
    expect(await statusOf(id)).toBe("sending");
    const [row] = await db.select().from(sends).where(eq(sends.id, failed));
    expect(row).toMatchObject({ status: "queued", attempts: 0 });
    const chunks = await db.select().from(sendChunks).where(eq(sendChunks.campaignId, id));
    expect(chunks.map((c) => c.status)).toEqual(["queued"]);
    expect(jobsLeft(ctx.queues)).toContainEqual({ type: "chunk", campaignId: id, seq: 0 });
  });

  it("while paused, requeues the rows but leaves the campaign paused and queues nothing", async () => {
    const { id, failed } = await triedCampaign("paused");
    const ctx = contextWithQueues(db);
    const _result = await retryFailedSends(ctx, id);
    expect(await statusOf(id)).toBe("paused");
    expect((await db.select().from(sends).where(eq(sends.id, failed)))[0]?.status).toBe("queued");
    expect(jobsLeft(ctx.queues)).toEqual([]);
  });

  it("refuses a campaign that never froze its audience, naming its state", async () => {
    for (const status of ["draft", "scheduled", "cancelled", "sent"] as const) {
      const id = await campaignIn(status);
      const err = await refusal(() => retryFailedSends(contextWithQueues(db), id));
      expect(err.status, status).toBe(409);
      expect(err.message).toBe(`Nothing to retry: the campaign is ${status}`);
    }
  });
});

describe("archived campaigns", () => {
  it("refuse every change with 409, and stay as they were", async () => {
    const id = await campaignIn("draft");
    const ctx = contextWithQueues(db);
    await startCampaign(ctx, id);
    await cancelCampaign(ctx, id);
    expect(await deleteCampaign(ctx, id)).toBe("archived");
    const before = await getCampaign(db, id);
    expect(before.archivedAt).not.toBeNull();
    const refused = contextWithQueues(db);
    const calls: Record<string, () => Promise<unknown>> = {
      ...Object.fromEntries(Object.entries(ACTIONS).map(([name, a]) => [name, () => a.act(refused, id)])),
      retry: () => retryFailedSends(refused, id),
      rename: () => updateCampaign(refused, id, { name: "renamed" }),
    };
    for (const [name, call] of Object.entries(calls)) {
      const err = await refusal(call);
      expect(err.status, name).toBe(409);
      expect(err.message, name).toBe("This campaign is archived: it can be read but no longer changed");
    }
    expect(await getCampaign(db, id)).toEqual(before);
    expect(await deleteCampaign(refused, id)).toBe("archived");
    expect(refused.queues.sends.messages).toEqual([]);
  });
});
