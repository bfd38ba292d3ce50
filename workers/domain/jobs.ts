/**
 * The messages domain functions put on queues for later: one place for their shapes, below every
 * module that makes or reads them.
 */

/** The sends queue: start a campaign (freeze), send one chunk, end an A/B test, (re)try a transactional send. */
export type SendJob =
  | { type: "start"; campaignId: string }
  | { type: "chunk"; campaignId: string; seq: number }
  | { type: "winner"; campaignId: string }
  /** `input` is read only from messages queued by versions that kept the request in the message. */
  | { type: "transactional"; sendId: number; input?: unknown }
  /** Several single sends (workflow send nodes), tried in order on one lane and its SMTP connection. */
  | { type: "sends"; sendIds: number[] };

/** The imports queue: one chunk of one import. */
export interface ImportChunkMessage {
  importId: string;
  seq: number;
}

/**
 * The workflows queue: advance runs that are due (from a timer or an entry), drain every due run
 * of a workflow (after a mass entry or a resume), a custom event, a webhook node's call.
 */
export type WorkflowJob =
  | { type: "advance"; ids: string[] }
  | { type: "drain"; workflowId: string }
  | {
      type: "event";
      /** Made by the API: keys an `always` entry, so a message delivered twice enters once. */
      id: string;
      subscriberId: string;
      name: string;
      properties: Record<string, unknown>;
      at: string;
    }
  | { type: "webhook"; callId: number };

/** The webhooks queue: drain one endpoint's pending deliveries, in order (the table is the truth). */
export interface WebhookJob {
  endpointId: string;
}
