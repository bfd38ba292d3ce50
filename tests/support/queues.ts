import type { JobQueue, Queues } from "../../workers/domain/context";
import type { ImportChunkMessage, SendJob } from "../../workers/domain/jobs";

/** A queue that keeps what is put on it, for domain functions called from a test. */
function recording<T>(into: T[]): JobQueue<T> {
  return {
    async send(body) {
      into.push(body);
    },
    async sendBatch(messages) {
      for (const m of messages) into.push(m.body);
    },
  };
}

/** Queues for a DomainContext whose messages the test can read afterwards. */
export function recordingQueues(): { queues: Queues; sends: SendJob[]; imports: ImportChunkMessage[] } {
  const sends: SendJob[] = [];
  const imports: ImportChunkMessage[] = [];
  return { queues: { sends: recording(sends), imports: recording(imports) }, sends, imports };
}
