import type { Env } from "../env";

/**
 * Tests only (ENVIRONMENT=test): this header stands in for `request.cf.timezone`, which
 * `wrangler dev` fills from one placeholder (or the developer's own location) for every request.
 */
export const TEST_ZONE_HEADER = "x-edgepost-test-cf-timezone";

/**
 * The time zone the edge places the client in (`request.cf.timezone`, an IANA name such as
 * Europe/Berlin), unchecked and cheap: one property read on the tracking path; the consumer
 * validates it (domain/audience/zone.ts `coarseZone`). Nothing else of the client's location is read.
 */
export function edgeZone(request: Request, env: Pick<Env, "ENVIRONMENT">): string | undefined {
  const injected = env.ENVIRONMENT === "test" ? request.headers.get(TEST_ZONE_HEADER) : null;
  const tz = injected ?? (request as { cf?: { timezone?: unknown } }).cf?.timezone;
  return typeof tz === "string" && tz.length > 0 && tz.length <= 64 ? tz : undefined;
}
