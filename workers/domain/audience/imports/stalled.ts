import { sql } from "drizzle-orm";
import { importChunks, imports } from "../../../../schema/imports";
import { type Database, queryRows } from "../../../lib/db";
import type { JobQueue } from "../../context";
import type { ImportChunkMessage } from "../../jobs";
import { enqueueImportChunks } from "./imports";

/**
 * Imports that stopped moving: queued or running, with chunks not applied, and no progress for
 * `staleSeconds` (their queue messages died with a crashed process, or were never sent because
 * the upload's request died right after its commit). Each is marked as touched, so the next tick
 * waits another `staleSeconds` before handing it back again; applying a chunk twice is harmless.
 */
export async function claimStalledImports(
  db: Database,
  staleSeconds: number,
): Promise<{ importId: string; seqs: number[] }[]> {
  const rows = await queryRows<{ id: string; seqs: number[] }>(
    db,
    sql`with stalled as (
        select i.id from ${imports} i
        where i.status in ('queued', 'running') and i.updated_at < now() - make_interval(secs => ${staleSeconds})
          and exists (select 1 from ${importChunks} k where k.import_id = i.id and k.done_at is null)
        order by i.updated_at limit 20
        for update skip locked
      ), touched as (
        update ${imports} i set updated_at = now() from stalled where i.id = stalled.id returning i.id
      )
      select t.id, array(select k.seq from ${importChunks} k where k.import_id = t.id and k.done_at is null order by k.seq) as seqs
      from touched t`,
  );
  return rows.map((r) => ({ importId: r.id, seqs: r.seqs.map(Number) }));
}

/** The cron's sweep: the chunks of stalled imports go back on the queue. Returns how many imports. */
export async function requeueStalledImports(
  db: Database,
  queue: JobQueue<ImportChunkMessage>,
  staleSeconds: number,
): Promise<number> {
  const stalled = await claimStalledImports(db, staleSeconds);
  for (const { importId, seqs } of stalled) await enqueueImportChunks(queue, importId, seqs);
  return stalled.length;
}
