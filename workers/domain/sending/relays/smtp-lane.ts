import {
  type MessageResult,
  type OutgoingMessage,
  type SendOptions,
  SmtpClient,
  type SmtpOptions,
} from "../../../mail/smtp/client";
import type { SmtpFailure } from "../../../mail/smtp/errors";
import { failed, toFailure } from "../../../mail/smtp/result";

/** Messages per connection before it is renewed: relays cap sessions, and a fresh one costs little. */
const MESSAGES_PER_CONNECTION = 1000;
/** After a failed connect, messages fail at once for this long instead of each waiting for a timeout. */
const DOWN_FOR_MS = 5_000;

/**
 * One reused SMTP connection to a relay, opened on first use, renewed when it breaks or after
 * MESSAGES_PER_CONNECTION. `send` never throws: every failure is a result the caller records.
 */
export class SmtpLane {
  private client: SmtpClient | null = null;
  private sentHere = 0;
  private down: { until: number; failure: SmtpFailure } | null = null;

  constructor(private readonly smtp: SmtpOptions) {}

  async send(message: OutgoingMessage, options: SendOptions = {}): Promise<MessageResult> {
    if (this.down && Date.now() < this.down.until) return failed(message, this.down.failure);
    if (!this.client) {
      try {
        this.client = await SmtpClient.connect(this.smtp);
        this.down = null;
        this.sentHere = 0;
      } catch (err) {
        const failure = toFailure(err, "connect");
        this.down = { until: Date.now() + DOWN_FOR_MS, failure };
        return failed(message, failure);
      }
    }
    const client = this.client;
    try {
      const result = await client.send(message, options);
      // A message held back mid-transaction leaves a dropped connection behind.
      if (result.withheld) this.client = null;
      else if (++this.sentHere >= MESSAGES_PER_CONNECTION) await this.close();
      return result;
    } catch (err) {
      // The connection broke (a 421, a timeout, a reset): this message failed; the next reconnects.
      this.client = null;
      await client.close();
      return failed(message, toFailure(err, "data"));
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.close();
  }
}
