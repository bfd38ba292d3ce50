import type { Env } from "../../../env";
import type { ResolvedRelay } from "./relays";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A sender's handle on its relay's RelayLimiter Durable Object (one object per relay, so every
 * consumer of every campaign shares one budget). `take` waits for tokens up to `maxWaitMs` and
 * returns how many it got (0 when the budget stays empty that long).
 */
export class RelayBudget {
  private readonly stub: ReturnType<Env["RELAY_LIMITER"]["get"]>;
  private configured = false;

  constructor(
    env: Env,
    private readonly relay: Pick<ResolvedRelay, "id" | "perSecond" | "perHour">,
  ) {
    this.stub = env.RELAY_LIMITER.get(env.RELAY_LIMITER.idFromName(relay.id));
  }

  /** Up to `want` tokens, waiting as the limiter says; 0 if none came within `maxWaitMs`. */
  async take(want: number, maxWaitMs = 30_000): Promise<number> {
    if (!this.configured) {
      await this.stub.configure({ perSecond: this.relay.perSecond, perHour: this.relay.perHour });
      this.configured = true;
    }
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const { granted, retryAfterMs } = await this.stub.take(want);
      if (granted > 0) return granted;
      const wait = Math.min(retryAfterMs, deadline - Date.now());
      if (wait <= 0) return 0;
      await sleep(wait);
    }
  }

  /** The relay said to slow down (421, 451 4.7.x, 454): the limiter halves the rate for a while. */
  async slowDown(): Promise<void> {
    await this.stub.slowDown();
  }
}

/** True for replies that mean "you are sending too fast" rather than "this message failed". */
export function isThrottleReply(code: number | undefined, enhanced: string | undefined, text = ""): boolean {
  if (code === 421 || code === 454) return true;
  if (code === 451 && (enhanced?.startsWith("4.7.") ?? false)) return true;
  return /rate|too many|throttl|slow down/i.test(text) && (code ?? 0) >= 400 && (code ?? 0) < 500;
}
