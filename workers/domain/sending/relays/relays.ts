import { asc, count, eq, gt, sql } from "drizzle-orm";
import { touch } from "../../../../schema/columns";
import { type RelayKind, type RelaySecurity, relays } from "../../../../schema/sending";
import type { Env } from "../../../env";
import { decryptSecret, encryptSecret } from "../../../lib/crypto";
import type { Database } from "../../../lib/db";
import { AppError, NotFoundError, RuleError } from "../../../lib/errors";
import type { SmtpOptions } from "../../../mail/smtp/client";
import { parseSmtpUrl } from "../../../mail/smtp/url";
import { emitAudit } from "../../audit";
import type { DomainContext } from "../../context";
import { decodeCursor, encodeCursor, type Page } from "../../pagination";

export type RelayRow = typeof relays.$inferSelect;
/** What the API shows: never the password, only whether one is stored. */
export type RelayView = Omit<RelayRow, "passwordEncrypted"> & { hasPassword: boolean };

export interface RelayInput {
  name: string;
  /** Default `smtp`; fixed once the relay exists. */
  kind?: RelayKind;
  host?: string;
  port?: number;
  security: RelaySecurity;
  username?: string | null;
  /** A string sets the password, null clears it, absent keeps it. */
  password?: string | null;
  maxPerSecond: number;
  maxPerHour?: number | null;
  isDefault?: boolean;
}

interface Deps extends DomainContext {
  env: Env;
}

export const viewRelay = ({ passwordEncrypted, ...rest }: RelayRow): RelayView => ({
  ...rest,
  hasPassword: passwordEncrypted !== null,
});

export async function listRelays(
  db: Database,
  q: { limit: number; cursor?: string },
): Promise<Page<RelayView>> {
  const after = decodeCursor(q.cursor);
  const rows = await db
    .select()
    .from(relays)
    .where(after ? gt(relays.id, after.id) : undefined)
    .orderBy(asc(relays.id))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit);
  const [total] = await db.select({ n: count() }).from(relays);
  const last = data.at(-1);
  return {
    data: data.map(viewRelay),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    total: total?.n,
  };
}

export async function getRelay(db: Database, id: string): Promise<RelayRow> {
  const [row] = await db.select().from(relays).where(eq(relays.id, id));
  if (!row) throw NotFoundError("Relay");
  return row;
}

/**
 * Cloudflare's Email Service terms allow transactional mail only: campaigns, workflows and the
 * default relay (which they fall back to) stay on SMTP relays.
 */
export const BULK_REFUSED =
  "is a Cloudflare Email Service relay, which carries transactional and system mail only (Cloudflare's terms exclude bulk mail): campaigns and workflows need an SMTP relay";

/**
 * Throws 400 naming `path` when `id` is not a relay; with `bulk` (a campaign's relay, the default
 * relay), 422 when it is a Cloudflare Email Service relay.
 */
export async function assertRelayExists(
  db: Database,
  id: string,
  path: string[] = ["relayId"],
  opts: { bulk?: boolean } = {},
): Promise<void> {
  const [row] = await db.select({ id: relays.id, kind: relays.kind }).from(relays).where(eq(relays.id, id));
  if (!row)
    throw new AppError("validation_failed", `Unknown relay id: ${id}`, [{ path, message: "unknown relay" }]);
  if (opts.bulk && row.kind === "cloudflare")
    throw RuleError(`Relay ${id} ${BULK_REFUSED}`, { code: "relay_transactional_only", path });
}

/** Only one relay is the default: setting it clears the others in the same transaction. */
async function clearDefault(tx: Database, except?: string) {
  await tx
    .update(relays)
    .set({ isDefault: false })
    .where(except ? sql`${relays.isDefault} and ${relays.id} <> ${except}` : eq(relays.isDefault, true));
}

export async function createRelay({ db, actor, env }: Deps, input: RelayInput): Promise<RelayView> {
  const kind = input.kind ?? "smtp";
  if (kind === "cloudflare" && input.isDefault)
    throw RuleError(`The default relay cannot be a Cloudflare Email Service relay: it ${BULK_REFUSED}`, {
      code: "relay_transactional_only",
      path: ["isDefault"],
    });
  const passwordEncrypted = input.password ? await encryptSecret(env.ENCRYPTION_KEY, input.password) : null;
  return db.transaction(async (tx) => {
    if (input.isDefault) await clearDefault(tx);
    const [row] = await tx
      .insert(relays)
      .values({
        name: input.name,
        kind,
        host: input.host ?? null,
        port: input.port ?? null,
        security: input.security,
        username: input.username ?? null,
        passwordEncrypted,
        maxPerSecond: input.maxPerSecond,
        maxPerHour: input.maxPerHour ?? null,
        isDefault: input.isDefault ?? false,
      })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const view = viewRelay(row);
    await emitAudit(tx, actor, { action: "relay.create", entity: "relay", entityId: row.id, after: view });
    return view;
  });
}

/** Host, port and security: where the password goes. Changing any of them is a new endpoint. */
const ENDPOINT = ["host", "port", "security"] as const;

/**
 * Changes a relay. A new endpoint (host, port or security) without a new password clears the
 * stored one: a password given for one server must not follow the relay to another, nor onto
 * a connection without TLS. The answer says so (`passwordCleared`).
 */
export async function updateRelay(
  { db, actor, env }: Deps,
  id: string,
  input: Partial<RelayInput>,
): Promise<RelayView & { passwordCleared: boolean }> {
  const { password, ...rest } = input;
  const passwordEncrypted =
    password === undefined
      ? undefined
      : password === null
        ? null
        : await encryptSecret(env.ENCRYPTION_KEY, password);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(relays).where(eq(relays.id, id)).for("update");
    if (!before) throw NotFoundError("Relay");
    if (before.kind === "cloudflare") assertCloudflareUpdate(input);
    if (rest.isDefault) await clearDefault(tx, id);
    const moved = ENDPOINT.some((key) => rest[key] !== undefined && rest[key] !== before[key]);
    const passwordCleared = moved && password === undefined && before.passwordEncrypted !== null;
    const newPassword = passwordCleared ? null : passwordEncrypted;
    const [row] = await tx
      .update(relays)
      .set(touch({ ...rest, ...(newPassword === undefined ? {} : { passwordEncrypted: newPassword }) }))
      .where(eq(relays.id, id))
      .returning();
    if (!row) throw NotFoundError("Relay");
    const view = viewRelay(row);
    // The audit shows that the password changed, never its value.
    await emitAudit(tx, actor, {
      action: "relay.update",
      entity: "relay",
      entityId: id,
      before: { ...viewRelay(before), passwordChanged: false },
      after: { ...view, passwordChanged: newPassword !== undefined, passwordCleared },
    });
    return { ...view, passwordCleared };
  });
}

/** An Email Service relay keeps no endpoint or credentials and is never the default. */
function assertCloudflareUpdate(input: Partial<RelayInput>): void {
  if (input.isDefault)
    throw RuleError(`The default relay cannot be a Cloudflare Email Service relay: it ${BULK_REFUSED}`, {
      code: "relay_transactional_only",
      path: ["isDefault"],
    });
  for (const key of ["host", "port", "username", "password"] as const) {
    if (input[key] !== undefined && input[key] !== null)
      throw new AppError("validation_failed", `A Cloudflare Email Service relay has no ${key}`, [
        { path: [key], message: `A Cloudflare Email Service relay has no ${key}` },
      ]);
  }
}

export async function deleteRelay({ db, actor }: DomainContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [before] = await tx.delete(relays).where(eq(relays.id, id)).returning();
    if (!before) throw NotFoundError("Relay");
    await emitAudit(tx, actor, {
      action: "relay.delete",
      entity: "relay",
      entityId: id,
      before: viewRelay(before),
    });
  });
}

/** A relay ready to send through: SMTP options with the password decrypted, and its limits. */
export interface ResolvedRelay {
  /** The relay's id, or `env` for the SMTP_URL fallback; names the rate-limiter object. */
  id: string;
  name: string;
  smtp: SmtpOptions;
  perSecond: number;
  perHour: number | null;
}

/** SMTP_URL's relay sends at this rate unless SMTP_MAX_PER_SECOND says otherwise. */
const ENV_RELAY_PER_SECOND = 100;

/** The EHLO name: this deployment's host when APP_URL is set. */
export function ehloName(env: Env): string {
  try {
    return env.APP_URL ? new URL(env.APP_URL).hostname : "localhost";
  } catch {
    return "localhost";
  }
}

/** SMTP options for a stored relay (the password decrypted only here, in memory). */
export async function relaySmtpOptions(env: Env, row: RelayRow): Promise<SmtpOptions> {
  if (row.kind !== "smtp" || row.host === null || row.port === null)
    throw RuleError(`Relay ${row.name} is a Cloudflare Email Service relay, not an SMTP server`);
  const options: SmtpOptions = {
    host: row.host,
    port: row.port,
    security: row.security,
    clientName: ehloName(env),
  };
  if (row.username) {
    const pass = row.passwordEncrypted ? await decryptSecret(env.ENCRYPTION_KEY, row.passwordEncrypted) : "";
    options.auth = { user: row.username, pass };
  }
  return options;
}

/** Cloudflare Email Service as the relay: the Worker's EMAIL binding, rate-limited like any relay. */
export interface ResolvedEmailService {
  kind: "cloudflare";
  id: string;
  name: string;
  perSecond: number;
  perHour: number | null;
}

/** The row named, else the organisation's default (settings, then the relay marked default). */
async function relayRowFor(
  db: Database,
  relayId: string | null | undefined,
  defaultRelayIds: (string | null | undefined)[],
): Promise<RelayRow | undefined> {
  for (const id of [relayId, ...defaultRelayIds]) {
    if (!id) continue;
    const [row] = await db.select().from(relays).where(eq(relays.id, id));
    if (row) return row;
    if (id === relayId) throw new AppError("validation_failed", `Unknown relay id: ${id}`);
  }
  return (await db.select().from(relays).where(eq(relays.isDefault, true)))[0];
}

/**
 * The SMTP relay to send campaign or workflow mail through: the one named, else the
 * organisation's default (settings, then the relay marked default), else SMTP_URL. Throws 422
 * when there is none at all, or when the relay is a Cloudflare Email Service one (transactional only).
 */
export async function resolveRelay(
  db: Database,
  env: Env,
  relayId: string | null | undefined,
  defaultRelayId?: string | null,
): Promise<ResolvedRelay> {
  const row = await relayRowFor(db, relayId, [defaultRelayId]);
  if (row?.kind === "cloudflare")
    throw RuleError(`Relay ${row.name} ${BULK_REFUSED}`, { code: "relay_transactional_only" });
  return row ? smtpRelay(env, row) : envRelay(env);
}

/**
 * The relay for one transactional message: the one named, else the transactional relay of the
 * settings, else the default; an SMTP relay or Cloudflare Email Service.
 */
export async function resolveTransactionalRelay(
  db: Database,
  env: Env,
  relayId: string | null | undefined,
  defaults: (string | null | undefined)[],
): Promise<ResolvedRelay | ResolvedEmailService> {
  const row = await relayRowFor(db, relayId, defaults);
  if (row?.kind === "cloudflare") {
    return {
      kind: "cloudflare",
      id: row.id,
      name: row.name,
      perSecond: row.maxPerSecond,
      perHour: row.maxPerHour,
    };
  }
  return row ? smtpRelay(env, row) : envRelay(env);
}

async function smtpRelay(env: Env, row: RelayRow): Promise<ResolvedRelay> {
  return {
    id: row.id,
    name: row.name,
    smtp: await relaySmtpOptions(env, row),
    perSecond: row.maxPerSecond,
    perHour: row.maxPerHour,
  };
}

function envRelay(env: Env): ResolvedRelay {
  if (!env.SMTP_URL) {
    throw new AppError(
      "rule_violation",
      "No relay is configured: add one under Sending → Relays, or set SMTP_URL",
    );
  }
  const smtp = parseSmtpUrl(env.SMTP_URL);
  smtp.clientName = ehloName(env);
  const perSecond = Number(env.SMTP_MAX_PER_SECOND) || ENV_RELAY_PER_SECOND;
  return { id: "env", name: "SMTP_URL", smtp, perSecond, perHour: null };
}
