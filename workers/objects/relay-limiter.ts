import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export interface LimiterConfig {
  perSecond: number;
  perHour?: number | null;
}

export interface TakeResult {
  /** Tokens granted now (0..asked). */
  granted: number;
  /** When none could be granted: milliseconds until the next token. */
  retryAfterMs: number;
}

/** How long a "slow down" reply from the relay halves the rate. */
const BACKOFF_MS = 60_000;

/**
 * One per relay: token buckets for messages per second and per hour. Senders ask for tokens
 * before each batch; a relay that says "slow down" halves the per-second rate for a minute.
 * State lives in memory and in the object's storage, so a restart keeps the hourly budget.
 */
export class RelayLimiter extends DurableObject<Env> {
  private config: LimiterConfig = { perSecond: 10, perHour: null };
  private second = { tokens: 10, at: 0 };
  private hour = { tokens: 0, at: 0 };
  private slowUntil = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const saved = await ctx.storage.get<{ config: LimiterConfig; hour: { tokens: number; at: number } }>(
        "state",
      );
      if (saved) {
        this.config = saved.config;
        this.hour = saved.hour;
      }
      this.second = { tokens: this.config.perSecond, at: Date.now() };
    });
  }

  /** Sets the relay's limits (called when the relay is created or edited, and before sending). */
  async configure(config: LimiterConfig): Promise<void> {
    const changed = config.perSecond !== this.config.perSecond || config.perHour !== this.config.perHour;
    this.config = config;
    if (changed) {
      this.second = { tokens: Math.min(this.second.tokens, config.perSecond), at: Date.now() };
      if (config.perHour)
        this.hour = { tokens: Math.min(this.hour.tokens || config.perHour, config.perHour), at: Date.now() };
      await this.persist();
    }
  }

  /** Takes up to `count` tokens from both buckets. */
  async take(count: number, now = Date.now()): Promise<TakeResult> {
    const rate = now < this.slowUntil ? this.config.perSecond / 2 : this.config.perSecond;
    this.second.tokens = Math.min(rate, this.second.tokens + ((now - this.second.at) / 1000) * rate);
    this.second.at = now;
    let available = Math.floor(this.second.tokens);
    const perHour = this.config.perHour;
    if (perHour) {
      this.hour.tokens = Math.min(perHour, this.hour.tokens + ((now - this.hour.at) / 3_600_000) * perHour);
      this.hour.at = now;
      available = Math.min(available, Math.floor(this.hour.tokens));
    }
    const granted = Math.max(0, Math.min(count, available));
    this.second.tokens -= granted;
    if (perHour) {
      this.hour.tokens -= granted;
      await this.persist();
    }
    if (granted > 0) return { granted, retryAfterMs: 0 };
    const secondWait = ((1 - this.second.tokens) / rate) * 1000;
    const hourWait = perHour ? ((1 - this.hour.tokens) / perHour) * 3_600_000 : 0;
    return { granted: 0, retryAfterMs: Math.ceil(Math.max(secondWait, hourWait, 1)) };
  }

  /** The relay answered 421, 451 4.7.x or 454: halve the rate for a while. */
  async slowDown(now = Date.now()): Promise<void> {
    this.slowUntil = now + BACKOFF_MS;
    this.second.tokens = Math.min(this.second.tokens, this.config.perSecond / 2);
  }

  private async persist() {
    await this.ctx.storage.put("state", { config: this.config, hour: this.hour });
  }
}
