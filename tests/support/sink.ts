import type { AddressInfo, Socket } from "node:net";
import { SMTPServer } from "smtp-server";

/** One message as the sink accepted it. */
export interface SunkMessage {
  from: string;
  to: string;
  raw: Buffer;
  at: number;
}

/** What the sink answers a recipient: null accepts, a reply refuses (4xx temporary, 5xx permanent). */
export type SinkRule = (recipient: string, attempt: number) => { code: number; text: string } | null;

/**
 * A local SMTP relay for pipeline tests (smtp-server, the peer production relays behave like):
 * counts messages per recipient, can refuse recipients by rule, and can stall DATA (hold the
 * reply) to catch the sender mid-message.
 */
export interface Sink {
  url: string;
  port: number;
  messages: SunkMessage[];
  /** Messages per recipient (lower-cased). */
  count(recipient: string): number;
  rule: SinkRule;
  /** While true, DATA is read but never answered: the sender waits, as for a slow relay. */
  stall: boolean;
  /** Start stalling once this many messages have been accepted. */
  stallAfter?: number;
  /** Milliseconds before the final reply to DATA: a slow relay. */
  replyDelayMs: number;
  /** Refuses a new connection at its greeting (e.g. 421 "too many connections") when it returns a reply. */
  connectRule: (connection: number) => { code: number; text: string } | null;
  /** Connections opened so far. */
  connections: number;
  /** Attempts seen per recipient (RCPT commands). */
  attempts: Map<string, number>;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const sockets = new Set<Socket>();
  const state: Sink = {
    url: "",
    port: 0,
    messages: [],
    rule: () => null,
    stall: false,
    replyDelayMs: 0,
    connectRule: () => null,
    connections: 0,
    attempts: new Map(),
    count: (r) => state.messages.filter((m) => m.to === r.toLowerCase()).length,
    close: async () => undefined,
  };
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      const refusal = state.connectRule(++state.connections);
      if (refusal) return callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
      callback();
    },
    onRcptTo(address, _session, callback) {
      const who = address.address.toLowerCase();
      const attempt = (state.attempts.get(who) ?? 0) + 1;
      state.attempts.set(who, attempt);
      const refusal = state.rule(who, attempt);
      if (refusal) return callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
      callback();
    },
    onData(stream, session, callback) {
      const parts: Buffer[] = [];
      stream.on("data", (c: Buffer) => parts.push(c));
      stream.on("end", () => {
        if (state.stallAfter !== undefined && state.messages.length >= state.stallAfter) state.stall = true;
        // A stalled message is never answered: if the sender dies now, nothing was delivered.
        if (state.stall) return;
        const accept = () => {
          for (const r of session.envelope.rcptTo) {
            state.messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: r.address.toLowerCase(),
              raw: Buffer.concat(parts),
              at: Date.now(),
            });
          }
          callback(null, "2.0.0 Queued");
        };
        // A slow relay takes the message when it finally answers, as a real one does.
        if (state.replyDelayMs > 0) setTimeout(accept, state.replyDelayMs);
        else accept();
      });
    },
  });
  server.on("error", () => {});
  server.server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  state.port = (server.server.address() as AddressInfo).port;
  // The sink offers no STARTTLS, and smtp:// requires it unless the URL opts out.
  state.url = `smtp://127.0.0.1:${state.port}?security=none`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
