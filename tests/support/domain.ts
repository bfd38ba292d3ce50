import { sql } from "drizzle-orm";
import { afterAll } from "vitest";
import { listMemberships, lists } from "../../schema/lists";
import { type SubscriberStatus, subscribers } from "../../schema/subscribers";
import type { CreateCampaign } from "../../workers/contract/campaigns";
import type { Actor } from "../../workers/domain/actor";
import { createCampaign } from "../../workers/domain/campaigns/campaigns";
import { createTemplate } from "../../workers/domain/content/templates";
import type { DomainContext, JobQueue } from "../../workers/domain/context";
import type { ImportChunkMessage, SendJob, WorkflowJob } from "../../workers/domain/jobs";
import { type Database, type DbConnection, openDb } from "../../workers/lib/db";
import { stack } from "./api";

/**
 * What the domain suites share: a connection to the shared stack's database, an actor, queues
 * that only record what is put on them, and seeds that make a suite's own data (every name and
 * address carries the suite's tag, so suites and runs never meet).
 */

export const actor: Actor = {
  type: "system",
  id: null,
  label: "domain test",
  role: "owner",
  ip: null,
  userAgent: null,
  requestId: null,
};

/** A connection to the shared stack's database for one suite, closed after it. */
export function useDomainDb(): DbConnection {
  const conn = openDb(stack().databaseUrl);
  afterAll(() => conn.close());
  return conn;
}

/** A mark for one suite's names and addresses. */
export const newTag = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 8)}`;

/** A queue that keeps every message put on it, in order. */
export interface RecordingQueue<T> extends JobQueue<T> {
  readonly messages: T[];
}

function recordingQueue<T>(): RecordingQueue<T> {
  const messages: T[] = [];
  return {
    messages,
    async send(body) {
      messages.push(body);
    },
    async sendBatch(batch) {
      for (const m of batch) messages.push(m.body);
    },
  };
}

export interface RecordingQueues {
  sends: RecordingQueue<SendJob>;
  imports: RecordingQueue<ImportChunkMessage>;
  workflows: RecordingQueue<WorkflowJob>;
}

/** A domain context whose queues record what the call left for the consumers. */
export function contextWithQueues(db: Database): DomainContext & { queues: RecordingQueues } {
  return {
    db,
    actor,
    queues: { sends: recordingQueue(), imports: recordingQueue(), workflows: recordingQueue() },
  };
}

/** A campaign template (version 1) that renders and carries an unsubscribe link. */
export async function seedTemplate(db: Database, name: string): Promise<string> {
  const template = await createTemplate(
    { db, actor },
    {
      name,
      kind: "campaign",
      subject: "Hello {{ subscriber.name }}",
      html: '<p>Hi</p><a href="{{ unsubscribe_url }}">Unsubscribe</a>',
    },
  );
  return template.id;
}

export async function seedList(db: Database, name: string, optIn: "single" | "double" = "single") {
  const [list] = await db.insert(lists).values({ name, optIn }).returning({ id: lists.id });
  if (!list) throw new Error("no list");
  return list.id;
}

export interface SubscriberSeed {
  status?: SubscriberStatus;
  fields?: Record<string, unknown>;
  createdDaysAgo?: number;
  /** List id -> membership status. */
  lists?: Record<string, "unconfirmed" | "confirmed" | "unsubscribed">;
}

/**
 * One subscriber per key, addressed `<key>-<tag>@domain.test`, with the given status, fields,
 * signup date and memberships. Returns each key's id and address.
 */
export async function seedSubscribers<K extends string>(
  db: Database,
  tag: string,
  seeds: Record<K, SubscriberSeed>,
): Promise<Record<K, { id: string; email: string }>> {
  const out = {} as Record<K, { id: string; email: string }>;
  for (const key of Object.keys(seeds) as K[]) {
    const seed: SubscriberSeed = seeds[key];
    const email = `${key}-${tag}@domain.test`;
    const [row] = await db
      .insert(subscribers)
      .values({
        email,
        status: seed.status ?? "active",
        fields: seed.fields ?? {},
        ...(seed.createdDaysAgo === undefined
          ? {}
          : { createdAt: new Date(Date.now() - seed.createdDaysAgo * 86_400_000) }),
      })
      .returning({ id: subscribers.id });
    if (!row) throw new Error("no subscriber");
    for (const [listId, status] of Object.entries(seed.lists ?? {})) {
      await db.insert(listMemberships).values({ listId, subscriberId: row.id, status, source: "admin" });
    }
    out[key] = { id: row.id, email };
  }
  return out;
}

/** `n` active subscribers confirmed on `listId`, in one statement (fast for thousands). */
export async function seedMembers(db: Database, listId: string, tag: string, n: number): Promise<void> {
  await db.execute(sql`
    with subs as (
      insert into subscribers (id, email)
      select gen_random_uuid(), ${tag} || '-' || i || '@bulk.domain.test' from generate_series(1, ${n}) i
      returning id)
    insert into list_memberships (list_id, subscriber_id, status, source)
    select ${listId}::uuid, id, 'confirmed', 'admin' from subs`);
}

/** A draft campaign of the suite's own, from `news@domain.test`. */
export async function seedCampaign(
  db: Database,
  input: Pick<CreateCampaign, "name" | "templateId"> & Partial<CreateCampaign>,
): Promise<string> {
  const campaign = await createCampaign(
    { db, actor },
    { listIds: [], fromName: "Domain tests", fromEmail: "news@domain.test", ...input },
  );
  return campaign.id;
}
