import type { Actor } from "../domain/actor";
import type { DomainContext } from "../domain/context";
import type { Env } from "../env";
import type { Database } from "../lib/db";

/** Per-request values; set by middleware, read by handlers. */
export interface Variables {
  requestId: string;
  /** The request's database handle, opened on first use and closed when the response is done. */
  db: Database;
  /** Who is calling: a signed-in user, an API key, or `public` before authentication. */
  actor: Actor;
  /** What handlers hand to domain functions: the handle, the actor, the queues (kept in step with `actor`). */
  ctx: DomainContext;
}

export type HonoEnv = { Bindings: Env; Variables: Variables };
