import { eq, type SQL, sql } from "drizzle-orm";
import type { AbTest } from "../../../schema/campaigns";
import { listMemberships, lists } from "../../../schema/lists";
import { segments } from "../../../schema/segments";
import { sendChunks, sends } from "../../../schema/sends";
import { subscribers } from "../../../schema/subscribers";
import { suppressions } from "../../../schema/suppressions";
import { type Database, queryRows } from "../../lib/db";
import { NotFoundError } from "../../lib/errors";
import { compileSegment } from "../audience/segments/compiler";

/** Recipients per chunk: one queue message, sent on one SMTP connection. */
export const CHUNK_SIZE = 500;

export interface AudienceSpec {
  listIds: string[];
  segmentId: string | null;
}

/**
 * The audience as a condition over `subscribers`: members of any of the lists (confirmed on
 * double opt-in lists, not unsubscribed on single opt-in ones, as segments count them), narrowed
 * by the segment when there is one (or the segment alone), always `active` and never suppressed.
 */
export async function audienceCondition(db: Database, spec: AudienceSpec): Promise<SQL> {
  const conds: SQL[] = [sql`${subscribers.status} = 'active'`];
  if (spec.listIds.length > 0) {
    const ids = sql`array[${sql.join(
      spec.listIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}]`;
    conds.push(sql`exists (select 1 from ${listMemberships} m join ${lists} l on l.id = m.list_id
      where m.subscriber_id = ${subscribers.id} and m.list_id = any(${ids})
      and (m.status = 'confirmed' or (l.opt_in = 'single' and m.status <> 'unsubscribed')))`);
  }
  if (spec.segmentId) {
    const [segment] = await db
      .select({ rules: segments.rules })
      .from(segments)
      .where(eq(segments.id, spec.segmentId));
    if (!segment) throw NotFoundError("Segment");
    conds.push(await compileSegment(db, segment.rules));
  }
  // The same hash suppressions are stored under (emailHash in audience/email.ts).
  conds.push(sql`not exists (select 1 from ${suppressions} sp
    where sp.email_hash = encode(sha256(convert_to(lower(btrim(${subscribers.email})), 'UTF8')), 'hex'))`);
  return sql.join(conds, sql` and `);
}

/** How many would receive the campaign if it were sent now (the dashboard shows it before sending). */
export async function countAudience(db: Database, spec: AudienceSpec): Promise<number> {
  if (spec.listIds.length === 0 && !spec.segmentId) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(subscribers)
    .where(await audienceCondition(db, spec));
  return row?.n ?? 0;
}

/**
 * A number in [0, 10000) from a salt and the subscriber id: the same subscriber always gets the
 * same bucket in a campaign, and buckets are spread evenly (the first 32 bits of an MD5).
 */
const bucket = (salt: string) =>
  sql`(('x' || substr(md5(${salt} || ${subscribers.id}::text), 1, 8))::bit(32)::bigint % 10000)`;

export interface FrozenAudience {
  size: number;
  testSize: number;
  chunks: number;
}

/**
 * Freezes the audience into the send ledger: one `queued` row per recipient, deduplicated across
 * lists, in one statement per phase. For an A/B test a deterministic `testPercent` of the
 * audience is split evenly between the variants and written first (so test chunks are a range
 * of send ids of their own); the rest wait, without a variant, for the winner. Then the rows are
 * cut into chunks. Runs in the caller's transaction.
 */
export async function freezeAudience(
  tx: Database,
  campaignId: string,
  spec: AudienceSpec,
  ab: { test: AbTest; variantIds: string[] } | null,
): Promise<FrozenAudience> {
  const where = await audienceCondition(tx, spec);
  const insert = async (extra: SQL | null, variant: SQL) => {
    const [res] = await queryRows<{ n: number }>(
      tx,
      sql`
      with ins as (
        insert into ${sends} (campaign_id, subscriber_id, email, status, variant_id)
        select ${campaignId}::uuid, ${subscribers.id}, ${subscribers.email}, 'queued', ${variant}
        from ${subscribers}
        where ${where} ${extra ? sql`and ${extra}` : sql``}
        order by ${subscribers.id}
        on conflict (campaign_id, subscriber_id) do nothing
        returning 1
      ) select count(*)::int as n from ins`,
    );
    return Number(res?.n ?? 0);
  };
  let testSize = 0;
  let size: number;
  if (ab) {
    const inTest = sql`${bucket(`${campaignId}:test`)} < ${Math.round(ab.test.testPercent * 100)}`;
    const variant = sql`(array[${sql.join(
      ab.variantIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}])[1 + ${bucket(`${campaignId}:variant`)} % ${ab.variantIds.length}]`;
    testSize = await insert(inTest, variant);
    size = testSize + (await insert(sql`not (${inTest})`, sql`null::uuid`));
  } else {
    size = await insert(null, sql`null::uuid`);
  }
  return { size, testSize, chunks: await cutChunks(tx, campaignId, ab !== null) };
}

/**
 * Cuts the campaign's queued rows into chunks of consecutive send ids, test-phase rows (those
 * with a variant) apart from main-phase rows; every chunk starts `pending`.
 */
async function cutChunks(tx: Database, campaignId: string, ab: boolean): Promise<number> {
  const phase = ab ? sql`case when variant_id is null then 'main' else 'test' end` : sql`'main'`;
  const [res] = await queryRows<{ n: number }>(
    tx,
    sql`
    with numbered as (
      select id, ${phase} as phase,
        (row_number() over (partition by ${phase} order by id) - 1) / ${CHUNK_SIZE} as part
      from ${sends} where campaign_id = ${campaignId}::uuid
    ), ranges as (
      select phase, part, min(id) as first_id, max(id) as last_id, count(*)::int as size
      from numbered group by phase, part
    ), ins as (
      insert into ${sendChunks} (campaign_id, seq, phase, first_send_id, last_send_id, size, status)
      select ${campaignId}::uuid, (row_number() over (order by phase desc, part))::int - 1,
        phase, first_id, last_id, size, 'pending'
      from ranges
      on conflict do nothing
      returning 1
    ) select count(*)::int as n from ins`,
  );
  return Number(res?.n ?? 0);
}
