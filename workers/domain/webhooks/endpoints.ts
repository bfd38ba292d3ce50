import { sql } from "drizzle-orm";
import { newId } from "../../../schema/columns";
import type { CreateWebhook, UpdateWebhook } from "../../contract/webhooks";
import type { Env } from "../../env";
import { encryptSecret } from "../../lib/crypto";
import { type Database, queryRows } from "../../lib/db";
import { AppError, NotFoundError } from "../../lib/errors";
import { refusedTarget } from "../../lib/net-guard";
import { newSigningSecret } from "../../lib/standard-webhooks";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { decodeCursor, encodeCursor, type Page } from "../pagination";
import { getSettingsOf } from "../settings";
import { wakeSenders } from "./emit";

interface Deps extends DomainContext {
  env: Env;
}

/** What the API shows of an endpoint: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  pending: number;
  createdAt: Date;
  updatedAt: Date;
}

const VIEW = sql`select e.id, e.url, e.events, e.enabled, e.disabled_reason as "disabledReason",
    (select count(*)::int from webhook_deliveries d where d.endpoint_id = e.id and d.status = 'pending') as pending,
    e.created_at as "createdAt", e.updated_at as "updatedAt"
  from webhook_endpoints e`;

export async function listWebhooks(
  db: Database,
  q: { limit: number; cursor?: string },
): Promise<Page<WebhookView>> {
  const after = decodeCursor(q.cursor);
  const rows = await queryRows<WebhookView>(
    db,
    sql`${VIEW} where ${after ? sql`e.id > ${after.id}` : sql`true`} order by e.id limit ${q.limit + 1}`,
  );
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null };
}

export async function getWebhook(db: Database, id: string): Promise<WebhookView> {
  const [row] = await queryRows<WebhookView>(db, sql`${VIEW} where e.id = ${id}`);
  if (!row) throw NotFoundError("Webhook");
  return row;
}

/** 400 naming `url` when the target is one outgoing webhooks may not call. */
async function assertTarget(db: Database, env: Env, url: string): Promise<void> {
  const allow = (await getSettingsOf(db, ["webhooks"])).webhooks.allowPrivateTargets;
  const refused = await refusedTarget(env, url, allow);
  if (refused)
    throw new AppError("validation_failed", `This URL cannot be called: ${refused}`, [
      { path: ["url"], message: refused },
    ]);
}

/** Creates an endpoint with a new signing secret: the only answer that carries the secret. */
export async function createWebhook(
  { db, actor, env }: Deps,
  input: CreateWebhook,
): Promise<WebhookView & { secret: string }> {
  await assertTarget(db, env, input.url);
  const secret = newSigningSecret();
  const sealed = await encryptSecret(env.ENCRYPTION_KEY, secret);
  const id = newId();
  const view = await db.transaction(async (tx) => {
    await tx.execute(sql`insert into webhook_endpoints (id, url, events, enabled, secret_encrypted)
      values (${id}, ${input.url}, ${`{${[...new Set(input.events)].join(",")}}`}::text[],
        ${input.enabled ?? true}, ${sealed})`);
    const created = await getWebhook(tx, id);
    await emitAudit(tx, actor, { action: "webhook.create", entity: "webhook", entityId: id, after: created });
    return created;
  });
  return { ...view, secret };
}

/** Changes an endpoint; turning it on again clears the automatic-off reason and wakes its sender. */
export async function updateWebhook({ db, actor, env, queues }: Deps, id: string, input: UpdateWebhook) {
  if (input.url !== undefined) await assertTarget(db, env, input.url);
  const after = await db.transaction(async (tx) => {
    const before = await getWebhook(tx, id);
    const events = input.events ? `{${[...new Set(input.events)].join(",")}}` : null;
    await tx.execute(sql`update webhook_endpoints set url = coalesce(${input.url ?? null}, url),
        events = coalesce(${events}::text[], events), enabled = coalesce(${input.enabled ?? null}::boolean, enabled),
        disabled_reason = case when ${input.enabled ?? null}::boolean is not null then null else disabled_reason end,
        updated_at = now()
      where id = ${id}`);
    const changed = await getWebhook(tx, id);
    await emitAudit(tx, actor, {
      action: "webhook.update",
      entity: "webhook",
      entityId: id,
      before,
      after: changed,
    });
    return changed;
  });
  if (after.enabled) await wakeSenders(queues?.webhooks, [id]);
  return after;
}

export async function deleteWebhook({ db, actor }: DomainContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getWebhook(tx, id);
    await tx.execute(sql`delete from webhook_endpoints where id = ${id}`);
    await emitAudit(tx, actor, { action: "webhook.delete", entity: "webhook", entityId: id, before });
  });
}

/** Queues a `webhook.test` event for this endpoint alone (behind its other pending deliveries). */
export async function sendTestEvent({ db, actor, queues }: DomainContext, id: string): Promise<number> {
  await db.transaction(async (tx) => {
    const hook = await getWebhook(tx, id);
    const eventId = `msg_${newId().replace(/-/g, "")}`;
    const data = { webhookId: hook.id, message: "A test event from Edgepost" };
    await tx.execute(sql`insert into webhook_deliveries (endpoint_id, event_id, type, occurred_at, data)
      values (${id}, ${eventId}, 'webhook.test', now(), ${JSON.stringify(data)}::jsonb)`);
    await emitAudit(tx, actor, { action: "webhook.test", entity: "webhook", entityId: id });
  });
  await wakeSenders(queues?.webhooks, [id]);
  return 1;
}
