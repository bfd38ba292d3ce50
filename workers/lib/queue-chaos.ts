import type { Env } from "../env";

type QueueName = "SENDS_QUEUE" | "EVENTS_QUEUE" | "IMPORTS_QUEUE" | "WORKFLOWS_QUEUE";
const QUEUES: QueueName[] = ["SENDS_QUEUE", "EVENTS_QUEUE", "IMPORTS_QUEUE", "WORKFLOWS_QUEUE"];

/** The second copy of a message arrives up to this much later, so copies also cross in order. */
const MAX_EXTRA_DELAY_SECONDS = 3;

const extraDelay = (delaySeconds?: number) =>
  (delaySeconds ?? 0) + Math.floor(Math.random() * (MAX_EXTRA_DELAY_SECONDS + 1));

/** A producer that sends everything twice, the copy delayed at random. */
function doubled(queue: Queue): Queue {
  const twice: Pick<Queue, "send" | "sendBatch"> = {
    async send(body, options) {
      const first = await queue.send(body, options);
      await queue.send(body, { ...options, delaySeconds: extraDelay(options?.delaySeconds) });
      return first;
    },
    async sendBatch(messages, options) {
      const list = [...messages];
      const first = await queue.sendBatch(list, options);
      await queue.sendBatch(
        [...list]
          .reverse()
          .map((m) => ({ ...m, delaySeconds: extraDelay(m.delaySeconds ?? options?.delaySeconds) })),
        options,
      );
      return first;
    },
  };
  // Anything else (metrics) still reaches the real binding through the prototype.
  return Object.assign(Object.create(queue) as Queue, twice);
}

/**
 * The fault suite's stand-in for the platform's at-least-once delivery: with `QUEUE_CHAOS=duplicate`
 * (honoured only when ENVIRONMENT is "test"), every message put on the sends, events and imports
 * queues is delivered twice, the copy later and the batch reversed, so every consumer is proved
 * against redelivery and reordering. Production never sets it: the check is one property read.
 */
export function withQueueChaos(env: Env): Env {
  if (env.QUEUE_CHAOS !== "duplicate" || env.ENVIRONMENT !== "test") return env;
  const wrapped: Env = { ...env };
  for (const name of QUEUES) wrapped[name] = doubled(env[name]);
  return wrapped;
}
