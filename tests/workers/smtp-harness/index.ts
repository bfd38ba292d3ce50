import type { Env } from "../../../workers/env";
import {
  deliver,
  type MessageResult,
  type OutgoingMessage,
  SmtpClient,
  SmtpError,
  type SmtpFailure,
  type SmtpOptions,
  verifySmtp,
} from "../../../workers/mail/smtp/client";
import { type SystemMail, sendSystemMail } from "../../../workers/mail/system";

/** Body of POST /session: the client's options plus the messages to send on one connection. */
export interface SessionRequest extends SmtpOptions {
  messages: OutgoingMessage[];
}

/** What the client reported: the session facts, one result per message sent, or the failure. */
export interface SessionResponse {
  connected?: { secure: boolean; authenticated: boolean; capabilities: Record<string, string> };
  results: MessageResult[];
  error?: SmtpFailure;
  elapsedMs: number;
}

/** Body of POST /system: the SMTP_URL / SYSTEM_FROM settings and the message. */
export interface SystemRequest {
  SMTP_URL?: string;
  SYSTEM_FROM?: string;
  APP_URL?: string;
  mail: SystemMail;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") return new Response("ok");
    if (request.method !== "POST") return new Response("not found", { status: 404 });
    if (pathname === "/session") return Response.json(await session(await request.json()));
    if (pathname === "/deliver") {
      const body: SessionRequest = await request.json();
      return Response.json(await deliver(body, body.messages));
    }
    if (pathname === "/verify") {
      try {
        return Response.json({ ok: true, ...(await verifySmtp(await request.json())) });
      } catch (err) {
        return Response.json({ ok: false, error: failure(err) });
      }
    }
    if (pathname === "/system") return Response.json(await system(await request.json()));
    return new Response("not found", { status: 404 });
  },
};

/** Drives SmtpClient step by step, so tests see where a session broke. */
async function session(body: SessionRequest): Promise<SessionResponse> {
  const started = Date.now();
  const results: MessageResult[] = [];
  const done = (extra: Partial<SessionResponse>): SessionResponse => ({
    results,
    ...extra,
    elapsedMs: Date.now() - started,
  });
  let client: SmtpClient;
  try {
    client = await SmtpClient.connect(body);
  } catch (err) {
    return done({ error: failure(err) });
  }
  const connected = {
    secure: client.secure,
    authenticated: client.authenticated,
    capabilities: Object.fromEntries(client.capabilities),
  };
  try {
    for (const message of body.messages) results.push(await client.send(message));
    await client.quit();
  } catch (err) {
    await client.close();
    return done({ connected, error: failure(err) });
  }
  return done({ connected });
}

async function system(
  body: SystemRequest,
): Promise<{ ok: boolean; error?: { name: string; message: string } }> {
  // sendSystemMail reads only these settings; the rest of Env does not exist in this Worker.
  const env = {
    SMTP_URL: body.SMTP_URL,
    SYSTEM_FROM: body.SYSTEM_FROM,
    APP_URL: body.APP_URL,
  } as unknown as Env;
  try {
    await sendSystemMail(env, body.mail);
    return { ok: true };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, error: { name: e.name, message: e.message } };
  }
}

function failure(err: unknown): SmtpFailure {
  if (err instanceof SmtpError) return err.toJSON();
  return { step: "connect", temporary: true, message: `unexpected: ${String(err)}` };
}
