import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { campaigns, campaignVariants } from "./campaigns";
import { at, timestamps } from "./columns";
import { subscribers } from "./subscribers";
import { workflowInstances } from "./workflows";

export const SEND_STATUSES = ["queued", "sending", "sent", "failed", "bounced", "skipped"] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];
export const sendStatusEnum = pgEnum("send_status", SEND_STATUSES);

/**
 * The per-recipient send ledger: one row per message we intend to send, claimed before sending so
 * that a redelivered queue message never sends twice. The id is a bigint for volume; the API shows
 * it as a string.
 */
export const sends = pgTable(
  "sends",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** Null for transactional and workflow sends. */
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "cascade" }),
    variantId: uuid("variant_id").references(() => campaignVariants.id, { onDelete: "set null" }),
    workflowInstanceId: uuid("workflow_instance_id").references(() => workflowInstances.id, {
      onDelete: "set null",
    }),
    /**
     * A workflow send node's message: the workflow and node (kept for analytics when runs are
     * deleted) and the run's visit; (instance, node, visit) is the claim, as (campaign, subscriber)
     * is for campaigns.
     */
    workflowId: uuid("workflow_id"),
    workflowNode: text("workflow_node"),
    workflowVisit: integer("workflow_visit"),
    /**
     * The template version rendered, for transactional and workflow sends (campaigns pin their own).
     * No foreign key: templates are only soft-deleted, and one would need another index here.
     */
    templateId: uuid("template_id"),
    templateVersion: integer("template_version"),
    /** Null for transactional mail to an address that is not a subscriber. */
    subscriberId: uuid("subscriber_id").references(() => subscribers.id, { onDelete: "cascade" }),
    /** The address at the time of sending. */
    email: text("email").notNull(),
    status: sendStatusEnum("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    /** Last SMTP reply code and RFC 3463 enhanced status (e.g. 550, `5.1.1`), and its text. */
    lastCode: integer("last_code"),
    lastEnhanced: text("last_enhanced"),
    lastError: text("last_error"),
    nextRetryAt: at("next_retry_at"),
    /**
     * When a consumer claimed the row (status `sending`). A claim older than the lease belongs to
     * a consumer that died: the row is in doubt and may be claimed again.
     */
    claimedAt: at("claimed_at"),
    /**
     * The fence of the current claim: every write of the claimant (lease renewal, outcome,
     * release) names it, so a claimant whose lease ran out and was re-claimed changes nothing.
     */
    claimToken: uuid("claim_token"),
    /**
     * What a transactional send needs to be built again on a retry (template data, sender,
     * relay): kept in the ledger, not only in a queue message, so a lost message loses nothing.
     * Cleared once the send is final.
     */
    payload: jsonb("payload"),
    /** Our Message-ID header, without angle brackets; relay webhooks are matched on it. */
    messageId: text("message_id"),
    sentAt: at("sent_at"),
    /**
     * First human open and click, set once by the events consumer (`... where opened_at is null
     * returning`): that is how unique opens and clicks are counted exactly once.
     */
    openedAt: at("opened_at"),
    clickedAt: at("clicked_at"),
    /** Local-time campaigns: the recipient's zone as resolved at the freeze (what its chunk waits for). */
    timezone: text("timezone"),
    ...timestamps,
  },
  (t) => [
    /**
     * The claim: `INSERT ... ON CONFLICT (campaign_id, subscriber_id) DO NOTHING RETURNING id`.
     * Deliberately not partial: rows without a campaign never conflict anyway (NULLs are distinct),
     * and a partial index would make every ON CONFLICT repeat its WHERE clause or fail.
     */
    uniqueIndex("sends_campaign_subscriber_uq").on(t.campaignId, t.subscriberId),
    index("sends_campaign_status_idx").on(t.campaignId, t.status),
    index("sends_subscriber_idx").on(t.subscriberId),
    index("sends_variant_idx").on(t.variantId).where(sql`${t.variantId} is not null`),
    /** Partial, so campaign sends pay nothing for it; ON CONFLICT repeats its WHERE. */
    uniqueIndex("sends_workflow_step_uq")
      .on(t.workflowInstanceId, t.workflowNode, t.workflowVisit)
      .where(sql`${t.workflowInstanceId} is not null`),
    index("sends_workflow_node_idx").on(t.workflowId, t.workflowNode).where(sql`${t.workflowId} is not null`),
    index("sends_message_id_idx").on(t.messageId).where(sql`${t.messageId} is not null`),
    /** The cron's sweep of transactional sends whose queue message was lost. */
    index("sends_open_transactional_idx")
      .on(t.nextRetryAt)
      .where(sql`${t.campaignId} is null and ${t.status} in ('queued', 'sending')`),
  ],
);

export const CHUNK_STATUSES = ["pending", "queued", "done", "dead"] as const;
export type ChunkStatus = (typeof CHUNK_STATUSES)[number];
export const chunkStatusEnum = pgEnum("send_chunk_status", CHUNK_STATUSES);

/**
 * A campaign's ledger rows cut into ranges of send ids, one queue message each. The table, not
 * the queue, is the truth: the cron re-enqueues chunks whose message was lost (a crash, a local
 * queue that kept nothing), and a chunk that exhausted its retries is `dead` until retried.
 */
export const sendChunks = pgTable(
  "send_chunks",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    /** `test` chunks go out first in an A/B test; `main` ones after the winner is picked. */
    phase: text("phase").notNull().default("main"),
    firstSendId: bigint("first_send_id", { mode: "number" }).notNull(),
    lastSendId: bigint("last_send_id", { mode: "number" }).notNull(),
    size: integer("size").notNull(),
    /** pending: waiting for its phase; queued: a message is out; done; dead: retries exhausted. */
    status: chunkStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    enqueuedAt: at("enqueued_at"),
    doneAt: at("done_at"),
    lastError: text("last_error"),
    /** Local-time campaigns: the zone of every row of the chunk, and when the cron releases it. */
    timezone: text("timezone"),
    releaseAt: at("release_at"),
  },
  (t) => [
    primaryKey({ name: "send_chunks_pk", columns: [t.campaignId, t.seq] }),
    index("send_chunks_open_idx").on(t.status, t.enqueuedAt).where(sql`${t.status} in ('queued', 'dead')`),
    /** The cron's release of local-time chunks whose zone has reached the campaign's wall-clock time. */
    index("send_chunks_release_idx")
      .on(t.releaseAt)
      .where(sql`${t.status} = 'pending' and ${t.releaseAt} is not null`),
    check("send_chunks_range", sql`${t.firstSendId} <= ${t.lastSendId}`),
  ],
);
