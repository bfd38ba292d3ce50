import { and, eq, sql } from "drizzle-orm";
import { newId } from "../../../../schema/columns";
import { importChunks, imports } from "../../../../schema/imports";
import {
  presetAllRows,
  type RowDisposition,
  rowDisposition,
  STATUS_TARGET,
  UNSUBSCRIBED_TARGET,
} from "../../../contract/import-presets";
import { parseCsv } from "../../../lib/csv";
import { type Database, queryRows } from "../../../lib/db";
import { systemActor } from "../../actor";
import { emitAudit } from "../../audit";
import { emitWebhookEvents } from "../../webhooks/emit";
import { checkEmail, emailHash, emailKey } from "../email";
import { checkFieldValue, type FieldDef, loadFieldDefs } from "../field-values";
import { MAX_STORED_ERRORS, type StoredRowError } from "./imports";
import { type ImportLayout, storedLayout } from "./mapping";

const MAX_NAME_LENGTH = 200;

/** A subscriber newly added unconfirmed to double opt-in lists, to be sent a confirmation. */
export interface ImportConfirmation {
  subscriber: { id: string; email: string };
  listIds: string[];
}

export interface ChunkOutcome {
  /** False when there was nothing to do: unknown chunk, already applied, or the import failed. */
  applied: boolean;
  processed: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
  /** Rows recorded as suppressions (and subscribers of that status) instead of members. */
  suppressed: number;
  /** The import finished with this chunk. */
  finished: boolean;
  confirmations: ImportConfirmation[];
}

interface GoodRow {
  id: string;
  email: string;
  name: string | null;
  fields: Record<string, unknown>;
  /** A member, or a suppression (the row was unsubscribed, cleaned, bounced… in the source). */
  disposition: RowDisposition;
}

const NOTHING: ChunkOutcome = {
  applied: false,
  processed: 0,
  inserted: 0,
  updated: 0,
  skipped: 0,
  failed: 0,
  suppressed: 0,
  finished: false,
  confirmations: [],
};

/**
 * Applies one chunk of an import in one transaction: validates each row, upserts the good ones in
 * one statement (with their list memberships), records the bad ones with their row numbers, adds
 * to the counters and marks the chunk done. A chunk already done is left alone, so redelivered and
 * repeated messages change nothing. Confirmation mail is the caller's, after the commit.
 */
export async function applyImportChunk(db: Database, importId: string, seq: number): Promise<ChunkOutcome> {
  return db.transaction(async (tx) => {
    const chunk = await lockChunk(tx, importId, seq);
    if (!chunk || chunk.doneAt || chunk.body === null) return NOTHING;
    const job = await loadJob(tx, importId);
    if (!job || job.status === "failed") return NOTHING;

    const {
      good: checked,
      errors,
      processed,
    } = checkRows(
      chunk.body,
      storedLayout(job.columns, job.mapping),
      await loadFieldDefs(tx),
      presetAllRows(job.preset),
    );
    const good = checked.filter((row) => row.disposition === "member");
    const leaving = checked.filter((row) => row.disposition !== "member");
    if (leaving.length > 0) await suppressRows(tx, leaving, job.mode, importId);
    const written =
      good.length > 0 ? await upsertRows(tx, good, job) : { inserted: 0, written: 0, confirm: [] };
    const outcome: ChunkOutcome = {
      applied: true,
      processed,
      inserted: written.inserted,
      updated: job.mode === "upsert" ? written.written - written.inserted : 0,
      skipped: good.length - written.written,
      failed: errors.length,
      suppressed: leaving.length,
      finished: false,
      confirmations: written.confirm,
    };

    await tx
      .update(importChunks)
      .set({ doneAt: sql`now()`, body: null })
      .where(and(eq(importChunks.importId, importId), eq(importChunks.seq, seq)));
    const after = await addToCounters(tx, importId, outcome, errors);
    outcome.finished = after?.finished === true;
    if (outcome.finished && after) {
      await emitAudit(tx, systemActor("imports"), {
        action: "import.finish",
        entity: "import",
        entityId: importId,
        after,
      });
      await emitWebhookEvents({ db: tx }, [
        { type: "import.finished", data: { import: { id: importId, ...after } } },
      ]);
    }
    return outcome;
  });
}

/** The chunk's body and done time, its row locked: a second delivery of it waits here, then sees it done. */
async function lockChunk(tx: Database, importId: string, seq: number) {
  const [chunk] = await tx
    .select({ body: importChunks.body, doneAt: importChunks.doneAt })
    .from(importChunks)
    .where(and(eq(importChunks.importId, importId), eq(importChunks.seq, seq)))
    .for("update");
  return chunk;
}

/** What applying a chunk needs to know of its import. */
async function loadJob(tx: Database, importId: string) {
  const [job] = await tx
    .select({
      status: imports.status,
      mode: imports.mode,
      listIds: imports.listIds,
      mapping: imports.mapping,
      columns: imports.columns,
      sendConfirmations: imports.sendConfirmations,
      triggerWorkflows: imports.triggerWorkflows,
      preset: imports.preset,
    })
    .from(imports)
    .where(eq(imports.id, importId));
  return job;
}

/**
 * Validates the rows of a stored chunk (row number, problem found at upload, then the values):
 * the good rows with new ids, and the bad ones with their row numbers and reasons.
 */
function checkRows(
  body: string,
  layout: ImportLayout,
  defs: Map<string, FieldDef>,
  allRows: RowDisposition | undefined,
): { good: GoodRow[]; errors: StoredRowError[]; processed: number } {
  const good: GoodRow[] = [];
  const errors: StoredRowError[] = [];
  const seen = new Set<string>();
  const records = parseCsv(body, { delimiter: "," });
  for (const { fields: cells } of records) {
    const row = Number(cells[0]);
    const problem = cells[1] ?? "";
    const values = cells.slice(2);
    const rawEmail = values[layout.targets.indexOf("email")] ?? "";
    const fail = (message: string) => errors.push({ row, message, email: rawEmail });
    if (problem) {
      fail(problem);
      continue;
    }
    const email = checkEmail(rawEmail);
    if (!email.ok) {
      fail(`invalid email: ${email.reason}`);
      continue;
    }
    const key = emailKey(email.email);
    if (seen.has(key)) {
      fail("duplicate email in the file");
      continue;
    }
    const checked = rowValues(layout.targets, values, defs);
    if (!checked.ok) {
      fail(checked.reason);
      continue;
    }
    seen.add(key);
    const cell = (target: string) => {
      const at = layout.targets.indexOf(target);
      return at < 0 ? undefined : (values[at] ?? "");
    };
    const disposition = allRows ?? rowDisposition(cell(STATUS_TARGET), cell(UNSUBSCRIBED_TARGET));
    good.push({ id: newId(), email: email.email, name: checked.name, fields: checked.fields, disposition });
  }
  return { good, errors, processed: records.length };
}

/**
 * Adds the chunk's counts and errors (up to MAX_STORED_ERRORS in all) to the import, and marks it
 * done when every row is processed; returns the import's counters after.
 */
async function addToCounters(
  tx: Database,
  importId: string,
  outcome: ChunkOutcome,
  errors: StoredRowError[],
) {
  const { processed } = outcome;
  // Counters are added in SQL: concurrent chunks of one import serialise on this row only here,
  // and `processed + n >= total` reads the latest committed counts.
  const [after] = await queryRows<{ status: string; finished: boolean }>(
    tx,
    sql`update ${imports} set
      processed = processed + ${processed},
      inserted = inserted + ${outcome.inserted},
      updated = updated + ${outcome.updated},
      skipped = skipped + ${outcome.skipped},
      failed = failed + ${outcome.failed},
      suppressed = suppressed + ${outcome.suppressed},
      errors = case when ${errors.length} = 0 or jsonb_array_length(errors) >= ${MAX_STORED_ERRORS} then errors
        else errors || coalesce((select jsonb_agg(e order by n)
          from jsonb_array_elements(${JSON.stringify(errors)}::jsonb) with ordinality as x(e, n)
          where n <= ${MAX_STORED_ERRORS} - jsonb_array_length(imports.errors)), '[]'::jsonb) end,
      status = (case when processed + ${processed} >= total then 'done' else 'running' end)::import_status,
      finished_at = case when processed + ${processed} >= total then now() else null end,
      updated_at = now()
    where id = ${importId}
    returning status, (processed >= total) as finished, processed, total, inserted, updated, skipped, failed`,
  );
  return after;
}

/**
 * Name and custom fields of one row; an empty cell sets nothing (it never clears a stored value).
 * Several name columns (first and last name) are joined with a space, in file order.
 */
function rowValues(
  targets: string[],
  values: string[],
  defs: Map<string, FieldDef>,
): { ok: true; name: string | null; fields: Record<string, unknown> } | { ok: false; reason: string } {
  let name: string | null = null;
  const fields: Record<string, unknown> = {};
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i] ?? "";
    const value = (values[i] ?? "").trim();
    if (target === "email" || target === STATUS_TARGET || target === UNSUBSCRIBED_TARGET || value === "")
      continue;
    if (target === "name") {
      name = name === null ? value : `${name} ${value}`;
      if (name.length > MAX_NAME_LENGTH)
        return { ok: false, reason: `name is longer than ${MAX_NAME_LENGTH} characters` };
      continue;
    }
    const def = defs.get(target);
    if (!def) return { ok: false, reason: `field "${target}" no longer exists` };
    const checked = checkFieldValue(def, value, true);
    if (!checked.ok) return { ok: false, reason: checked.reason };
    fields[target] = checked.value;
  }
  return { ok: true, name, fields };
}

/**
 * One statement: upsert the subscribers (by lower(email)), add list memberships with the import as
 * consent source (existing memberships keep their record), and report who needs a confirmation.
 */
async function upsertRows(
  tx: Database,
  rows: GoodRow[],
  job: { mode: "upsert" | "skip"; listIds: string[]; sendConfirmations: boolean; triggerWorkflows: boolean },
): Promise<{ inserted: number; written: number; confirm: ImportConfirmation[] }> {
  // Fixed text chosen by mode, never user input.
  const onConflict =
    job.mode === "upsert"
      ? sql`do update set name = coalesce(excluded.name, s.name), fields = s.fields || excluded.fields,
          updated_at = now()`
      : sql`do nothing`;
  const [result] = await queryRows<{ inserted: number; written: number; confirm: ImportConfirmation[] }>(
    tx,
    sql`with input as (
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as t(id uuid, email text, name text, fields jsonb)
      ), up as (
        insert into subscribers as s (id, email, name, fields)
        select id, email, name, coalesce(fields, '{}'::jsonb) from input order by lower(email)
        on conflict (lower(email)) ${onConflict}
        returning s.id, s.email, s.name, (s.xmax = 0) as inserted
      ), mem as (
        insert into list_memberships as m (list_id, subscriber_id, status, source, trigger_workflows)
        select l.id, up.id,
          (case when l.opt_in = 'double' and ${job.sendConfirmations} then 'unconfirmed'
                else 'confirmed' end)::membership_status,
          'import'::consent_source, ${job.triggerWorkflows}
        from up cross join lists l
        where l.id in (select jsonb_array_elements_text(${JSON.stringify(job.listIds)}::jsonb)::uuid)
          and l.archived_at is null
        on conflict (list_id, subscriber_id) do nothing
        returning m.subscriber_id, m.list_id, m.status
      )
      select
        (select count(*) from up where inserted)::int as inserted,
        (select count(*) from up)::int as written,
        (select coalesce(jsonb_agg(jsonb_build_object(
            'subscriber', jsonb_build_object('id', up.id, 'email', up.email),
            'listIds', p.list_ids)), '[]'::jsonb)
          from (select subscriber_id, jsonb_agg(list_id) as list_ids from mem
                where status = 'unconfirmed' group by subscriber_id) p
          join up on up.id = p.subscriber_id) as confirm`,
  );
  return result ?? { inserted: 0, written: 0, confirm: [] };
}

const SUBSCRIBER_STATUS_OF = {
  unsubscribe: "unsubscribed",
  bounce: "bounced",
  complaint: "complained",
} as const;

/**
 * Rows that left in the source tool: each address is suppressed with the matching reason and
 * kept as a subscriber of that status (created, or, in upsert mode, an active one changed), with
 * no list membership. A stronger existing suppression (bounce, complaint) is kept.
 */
async function suppressRows(
  tx: Database,
  rows: GoodRow[],
  mode: "upsert" | "skip",
  importId: string,
): Promise<void> {
  const input = rows.map((row) => ({
    ...row,
    status: SUBSCRIBER_STATUS_OF[row.disposition as keyof typeof SUBSCRIBER_STATUS_OF],
  }));
  const onConflict =
    mode === "upsert"
      ? sql`do update set status = case when s.status = 'active' then excluded.status else s.status end,
          name = coalesce(s.name, excluded.name), updated_at = now()`
      : sql`do nothing`;
  await tx.execute(sql`insert into subscribers as s (id, email, name, fields, status)
    select id, email, name, coalesce(fields, '{}'::jsonb), status::subscriber_status
    from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
      as t(id uuid, email text, name text, fields jsonb, status text)
    order by lower(email)
    on conflict (lower(email)) ${onConflict}`);
  const suppressed = await Promise.all(
    rows.map(async (row) => ({
      id: newId(),
      hash: await emailHash(row.email),
      email: emailKey(row.email),
      reason: row.disposition,
    })),
  );
  await tx.execute(sql`insert into suppressions (id, email_hash, email, reason, detail)
    select id, hash, email, reason::suppression_reason, ${`import ${importId}`}
    from jsonb_to_recordset(${JSON.stringify(suppressed)}::jsonb) as t(id uuid, hash text, email text, reason text)
    on conflict (email_hash) do update set
      email = coalesce(suppressions.email, excluded.email),
      reason = case when excluded.reason in ('complaint', 'bounce') then excluded.reason else suppressions.reason end,
      detail = coalesce(suppressions.detail, excluded.detail)`);
}

/** Marks an import failed (a chunk that kept failing); pending chunks are then left alone. */
export async function failImport(db: Database, importId: string, message: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(imports)
      .set({ status: "failed", error: message.slice(0, 1000), finishedAt: sql`now()` })
      .where(and(eq(imports.id, importId), sql`${imports.status} <> 'done'`))
      .returning({ id: imports.id });
    if (row) {
      await emitAudit(tx, systemActor("imports"), {
        action: "import.fail",
        entity: "import",
        entityId: importId,
        after: { status: "failed", error: message.slice(0, 1000) },
      });
      await emitWebhookEvents({ db: tx }, [
        {
          type: "import.finished",
          data: { import: { id: importId, status: "failed", error: message.slice(0, 1000) } },
        },
      ]);
    }
  });
}
