import type { Env } from "../../env";
import type { Notices } from "./notice";

/** A webhook request as the provider modules see it: the body read once, as bytes and as text. */
export interface WebhookRequest {
  headers: Headers;
  body: Uint8Array;
  /** The body decoded as UTF-8 (what HMACs over text and JSON.parse use). */
  text: string;
}

/** One relay's webhook: whether it is configured, and how to verify and read a request. */
export interface WebhookProvider {
  /** False when its secret or setting is missing: the endpoint then answers 404. */
  configured(env: Env): boolean;
  /** Verifies the request (throws a 401 AppError when it fails) and returns what it reports. */
  read(env: Env, req: WebhookRequest): Promise<Notices>;
}
