import type { Env } from "../../env";
import type { Database } from "../../lib/db";
import { renewClaims } from "./ledger";

/** A claim older than this belongs to a sender that died (see ARCHITECTURE.md, send ledger). */
const DEFAULT_LEASE_SECONDS = 600;

export const leaseSeconds = (env: Env) => Number(env.SEND_LEASE_SECONDS) || DEFAULT_LEASE_SECONDS;

/**
 * A sender's hold on the rows it claimed. Another consumer may claim a row once its `claimed_at`
 * is older than the lease (by the database's clock), so the sender keeps the claim alive with a
 * heartbeat and commits a message only while it can prove, by its own clock, that at least half
 * the lease is left. That half is the time the relay's final reply and the outcome write may
 * take: a claim that could have passed to someone else never commits a message, so a slow relay,
 * a stalled isolate or a database outage cannot make two senders deliver the same row.
 *
 * The deadline is counted from when a claim or renewal was *asked*, before the database stamped
 * it, so it is never later than the database's own view of the lease.
 */
export class Lease {
  private deadline: number;
  private readonly held: Set<number>;
  /** Held rows handed to the relay (or failed in the building): never released, only recorded. */
  private readonly attempted = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private renewing: Promise<void> | null = null;
  private lost = false;

  constructor(
    private readonly db: Database,
    readonly token: string,
    ids: number[],
    readonly leaseMs: number,
    /** `Date.now()` just before the claim was asked. */
    claimedAt: number,
  ) {
    this.held = new Set(ids);
    this.deadline = claimedAt + leaseMs;
  }

  /** True while a message may still be committed under this claim. Cheap: no I/O. */
  readonly mayCommit = (): boolean => !this.lost && Date.now() < this.deadline - this.leaseMs / 2;

  /** Renews every quarter of the lease until stopped. */
  start(): this {
    const every = Math.max(500, this.leaseMs / 4);
    const tick = () => {
      this.timer = setTimeout(() => {
        this.renewing = this.renew().finally(() => {
          this.renewing = null;
          if (this.timer) tick();
        });
      }, every);
    };
    tick();
    return this;
  }

  /** Held rows never handed to the relay: they may be given back untouched. */
  unattemptedIds(): number[] {
    return [...this.held].filter((id) => !this.attempted.has(id));
  }

  /** Held rows handed to the relay whose outcome is not written yet. */
  attemptedIds(): number[] {
    return [...this.attempted];
  }

  /** The row is about to go to the relay: from now on only its outcome may end the hold. */
  attempt(id: number): void {
    this.attempted.add(id);
  }

  /** The relay never got the row after all (held back before the end of data). */
  unattempt(id: number): void {
    this.attempted.delete(id);
  }

  /** The row's outcome is written: it needs no more renewing. */
  release(id: number): void {
    this.held.delete(id);
    this.attempted.delete(id);
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const asked = Date.now();
    const ids = [...this.held];
    try {
      const still = await renewClaims(this.db, ids, this.token);
      // Fewer rows than held: one was taken over (or ended by someone else): stop committing.
      if (still < ids.filter((id) => this.held.has(id)).length) this.lost = true;
      else this.deadline = asked + this.leaseMs;
    } catch {
      // The database is unreachable: the deadline stays, and commits stop once half has passed.
    }
  }

  /** Stops the heartbeat (waits for a renewal in flight, so nothing runs after the batch). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.renewing;
  }
}
