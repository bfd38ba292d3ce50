import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/** Run ids per queue message when the alarm hands due runs over. */
const IDS_PER_MESSAGE = 500;
/** Due runs handed over per alarm; the rest get the next alarm at once. */
const PER_ALARM = 20_000;

/**
 * A timer shard (the binding keeps its first name, WORKFLOW_INSTANCE, so deployments need no
 * Durable Object migration): one of `TIMER_SHARDS` objects that keep waiting runs' wake-up times
 * in their own SQLite storage and arm one alarm for the earliest. When it fires, the due run ids
 * go on the workflows queue in batches. The database stays the truth: a timer that fires for a
 * run that has moved on does nothing, and the cron wakes any run whose timer was lost.
 */
export class WorkflowInstance extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.ctx.storage.sql.exec(
        "create table if not exists timers (id text primary key, at integer not null); create index if not exists timers_at on timers (at)",
      );
    });
  }

  /** Keeps (or moves) the wake-up of each run and arms the alarm for the earliest. */
  async arm(due: { id: string; at: number }[]): Promise<number> {
    const sql = this.ctx.storage.sql;
    for (const d of due)
      sql.exec(
        "insert into timers (id, at) values (?, ?) on conflict (id) do update set at = excluded.at",
        d.id,
        d.at,
      );
    await this.rearm();
    return due.length;
  }

  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    const rows = sql
      .exec<{ id: string; at: number }>(
        "select id, at from timers where at <= ? order by at limit ?",
        now,
        PER_ALARM,
      )
      .toArray();
    for (let k = 0; k < rows.length; k += IDS_PER_MESSAGE * 100) {
      const messages = [];
      for (let m = k; m < Math.min(rows.length, k + IDS_PER_MESSAGE * 100); m += IDS_PER_MESSAGE)
        messages.push({
          body: { type: "advance", ids: rows.slice(m, m + IDS_PER_MESSAGE).map((r) => r.id) },
        });
      // An error here leaves the rows in place: the alarm is retried and hands them over again.
      await this.env.WORKFLOWS_QUEUE.sendBatch(messages);
    }
    for (const r of rows) sql.exec("delete from timers where id = ? and at = ?", r.id, r.at);
    await this.rearm();
  }

  private async rearm(): Promise<void> {
    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>("select min(at) as at from timers")
      .one().at;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else {
      const current = await this.ctx.storage.getAlarm();
      if (current === null || current > next) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
    }
  }

  /** How many wake-ups this shard holds (tests, operators). */
  async size(): Promise<number> {
    return this.ctx.storage.sql.exec<{ n: number }>("select count(*) as n from timers").one().n;
  }
}
