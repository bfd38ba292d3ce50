import { and, asc, desc, eq, getTableColumns, isNull, lt, sql } from "drizzle-orm";
import { type ImportMode, type ImportRowError, importChunks, imports } from "../../../../schema/imports";
import { detectImportPreset } from "../../../contract/import-presets";
import {
  CsvParser,
  type CsvRecord,
  type CsvSource,
  csvLine,
  exportCsvLine,
  readCsvBatches,
} from "../../../lib/csv";
import { type Database, queryRows } from "../../../lib/db";
import { AppError, NotFoundError } from "../../../lib/errors";
import { emitAudit } from "../../audit";
import { type DomainContext, type JobQueue, queuesIn } from "../../context";
import type { ImportChunkMessage } from "../../jobs";
import { decodeCursor, encodeCursor, type Page } from "../../pagination";
import { checkEmail, emailKey } from "../email";
import { loadFieldDefs } from "../field-values";
import { assertListsOpen } from "../lists";
import { type ImportLayout, resolveMapping } from "./mapping";

export type ImportRow = typeof imports.$inferSelect;
export type ImportSummaryRow = Omit<ImportRow, "errors">;
/** A reported row: stored with the email cell as written, for errors.csv. */
export type StoredRowError = ImportRowError & { email?: string };

/** A chunk is cut at whichever comes first (each is one transaction in the consumer). */
export const CHUNK_MAX_ROWS = 2000;
export const CHUNK_MAX_BYTES = 512 * 1024;
/** Row errors kept for the report and errors.csv; the `failed` count is always exact. */
export const MAX_STORED_ERRORS = 10_000;
/** Row errors shown in `GET /imports/:id`. */
export const ERRORS_SHOWN = 100;

export interface CreateImportInput {
  body: CsvSource;
  /** A function when the name is only known once the body is read (a multipart part's header). */
  filename: string | null | (() => string | null);
  listIds: string[];
  mode: ImportMode;
  mapping: Record<string, string> | null;
  sendConfirmations: boolean;
  triggerWorkflows?: boolean;
  /** Bytes accepted before the upload is refused with 413. */
  maxBytes: number;
}

export interface CreatedImport {
  row: ImportRow;
  /** Chunks to enqueue, in order. */
  seqs: number[];
}

/**
 * Reads an uploaded CSV as a stream and stores it as chunks of whole records, in one transaction
 * with the import row and its audit row; nothing is applied yet (the imports queue does that).
 * Duplicate addresses are found here, in file order, so the first occurrence wins wherever the
 * chunks are later applied: each chunk line carries its file row number and any problem found.
 */
export async function createImport(ctx: DomainContext, input: CreateImportInput): Promise<ImportRow> {
  const created = await storeImport(ctx, input);
  await enqueueImportChunks(queuesIn(ctx).imports, created.row.id, created.seqs);
  return created.row;
}

async function storeImport({ db, actor }: DomainContext, input: CreateImportInput): Promise<CreatedImport> {
  await assertListsOpen(db, input.listIds);
  const defs = await loadFieldDefs(db);
  let size = 0;
  const counted = countBytes(input.body, input.maxBytes, (n) => {
    size = n;
  });
  const parser = new CsvParser();
  const batches = readCsvBatches(counted, { parser });
  return db.transaction(async (tx) => {
    let header: string[] | null = null;
    let layout: ImportLayout | null = null;
    let row: ImportRow | null = null;
    const chunker = new Chunker();
    const chunks = new ChunkStore(tx, chunker);
    let total = 0;
    await tx.execute(
      sql`create temp table if not exists import_seen (key text primary key, row int not null) on commit drop`,
    );
    for await (const batch of batches) {
      for (const record of batch) {
        if (!header || !layout || !row) {
          header = record.fields;
          // A known tool's export maps itself; its standing rules apply whatever the mapping.
          const preset = detectImportPreset(header);
          layout = resolveMapping(header, input.mapping, defs, preset?.mapping ?? null);
          row = await insertImport(tx, actor, input, header, layout, preset?.id ?? null);
          continue;
        }
        total++;
        chunker.add(record, header.length, layout);
        if (chunker.full) await chunks.flush(row.id);
      }
    }
    if (!row || !layout) throw new AppError("validation_failed", "The file is empty: there is no header row");
    await chunks.flush(row.id);
    await chunks.settled();
    const done = await finishStoring(tx, actor, row.id, {
      total,
      chunks: chunks.seqs.length,
      filename: typeof input.filename === "function" ? input.filename() : input.filename,
      sizeBytes: size,
      delimiter: parser.delimiter ?? ",",
    });
    return { row: done, seqs: chunks.seqs };
  });
}

/** The import's row, once the header is read and mapped. */
async function insertImport(
  tx: Database,
  actor: DomainContext["actor"],
  input: CreateImportInput,
  header: string[],
  layout: ImportLayout,
  preset: string | null,
): Promise<ImportRow> {
  const inserted = await tx
    .insert(imports)
    .values({
      listIds: input.listIds,
      mode: input.mode,
      mapping: layout.mapping,
      sendConfirmations: input.sendConfirmations,
      triggerWorkflows: input.triggerWorkflows ?? false,
      columns: header,
      preset,
      createdById: actor.type === "user" ? actor.id : null,
    })
    .returning();
  const row = inserted[0] ?? null;
  if (!row) throw new Error("insert returned nothing");
  return row;
}

/** Stores the file's totals and queues the import (done at once when it has no rows), with its audit row. */
async function finishStoring(
  tx: Database,
  actor: DomainContext["actor"],
  importId: string,
  totals: { total: number; chunks: number; filename: string | null; sizeBytes: number; delimiter: string },
): Promise<ImportRow> {
  const finished = totals.total === 0;
  const [done] = await tx
    .update(imports)
    .set({
      ...totals,
      status: finished ? "done" : "queued",
      finishedAt: finished ? sql`now()` : null,
    })
    .where(eq(imports.id, importId))
    .returning();
  if (!done) throw new Error("update returned nothing");
  const { errors: _errors, ...summary } = done;
  await emitAudit(tx, actor, {
    action: "import.create",
    entity: "import",
    entityId: done.id,
    after: summary,
  });
  return done;
}

/**
 * Stores chunks one behind the parser: one chunk is stored (dedupe query, insert) while the next
 * is parsed, and file order is kept.
 */
class ChunkStore {
  /** Sequence numbers of the chunks handed over so far. */
  readonly seqs: number[] = [];
  private storing: Promise<void> = Promise.resolve();

  constructor(
    private readonly tx: Database,
    private readonly chunker: Chunker,
  ) {}

  /** Starts storing the chunk collected so far, once the one before it is stored. */
  async flush(importId: string): Promise<void> {
    const pending = this.chunker.detach();
    if (!pending) return;
    const seq = this.seqs.length;
    this.seqs.push(seq);
    await this.storing;
    this.storing = storeChunk(this.tx, importId, seq, pending);
    this.storing.catch(() => undefined); // awaited (and thrown) at the next flush
  }

  /** Waits for the last chunk to be stored (and throws its error). */
  settled(): Promise<void> {
    return this.storing;
  }
}

/** Collects records into chunk bodies and finds duplicate addresses across the whole file. */
class Chunker {
  private keys: { key: string; row: number; line: number }[] = [];
  private records: { row: number; values: string[]; problem: string }[] = [];
  private bytes = 0;
  private firstInChunk = new Map<string, number>();

  get full(): boolean {
    return this.records.length >= CHUNK_MAX_ROWS || this.bytes >= CHUNK_MAX_BYTES;
  }

  add(record: CsvRecord, width: number, layout: ImportLayout) {
    const values = layout.indexes.map((i) => record.fields[i] ?? "");
    let problem = "";
    const extra = record.fields.slice(width).filter((f) => f.trim() !== "").length;
    if (extra > 0) problem = `has ${record.fields.length} values but the header has ${width} columns`;
    const emailAt = layout.targets.indexOf("email");
    const key = problem ? null : dedupeKey(values[emailAt] ?? "");
    if (key !== null) {
      const first = this.firstInChunk.get(key);
      if (first !== undefined) problem = duplicateOf(first);
      else {
        this.firstInChunk.set(key, record.row);
        this.keys.push({ key, row: record.row, line: this.records.length });
      }
    }
    this.records.push({ row: record.row, values, problem });
    for (const v of values) this.bytes += v.length + 1;
  }

  /** Hands over the chunk collected so far (null when empty) and starts the next. */
  detach(): PendingChunk | null {
    if (this.records.length === 0) return null;
    const out = { records: this.records, keys: this.keys };
    this.records = [];
    this.keys = [];
    this.bytes = 0;
    this.firstInChunk.clear();
    return out;
  }
}

interface PendingChunk {
  records: { row: number; values: string[]; problem: string }[];
  /** First occurrences within the chunk, checked against earlier chunks when stored. */
  keys: { key: string; row: number; line: number }[];
}

/** Marks duplicates of earlier chunks (the temp table holds every address seen), then stores. */
async function storeChunk(tx: Database, importId: string, seq: number, chunk: PendingChunk): Promise<void> {
  const { records, keys } = chunk;
  if (keys.length > 0) {
    const earlier = await queryRows<{ key: string; row: number }>(
      tx,
      sql`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(keys.map(({ key, row }) => ({ key, row })))}::jsonb)
          as t(key text, row int)
      ), ins as (
        insert into import_seen (key, row) select key, row from input on conflict (key) do nothing
      )
      select s.key, s.row from import_seen s join input using (key)`,
    );
    const lineOf = new Map(earlier.length > 0 ? keys.map((k) => [k.key, k.line]) : []);
    for (const { key, row } of earlier) {
      const line = lineOf.get(key);
      const rec = line === undefined ? undefined : records[line];
      if (rec) rec.problem = duplicateOf(row);
    }
  }
  const body = records.map((r) => csvLine([String(r.row), r.problem, ...r.values])).join("");
  await tx
    .insert(importChunks)
    .values({ importId, seq, firstRow: records[0]?.row ?? 0, rows: records.length, body });
}

/** Rows of a raw statement (both drivers answer with pg's `{rows}`). */

/**
 * The address as uniqueness sees it (lower(email) of the normalised address), or null when it is
 * not an address. Plain ASCII is only trimmed and lower-cased (what checkEmail's normalisation
 * amounts to there), which spares a URL parse per row; other input goes through checkEmail.
 */
function dedupeKey(raw: string): string | null {
  const value = raw.trim();
  if (/^[\x21-\x7e]+$/.test(value)) {
    const at = value.indexOf("@");
    if (at <= 0 || at !== value.lastIndexOf("@")) return null;
    return value.toLowerCase().replace(/\.$/, "");
  }
  const checked = checkEmail(value);
  return checked.ok ? emailKey(checked.email) : null;
}

const duplicateOf = (row: number) =>
  `duplicate email: the same address (compared case-insensitively) is on row ${row}`;

/** Passes the bytes through, counting them; refuses with 413 past `max`. */
async function* countBytes(
  source: CsvSource,
  max: number,
  onCount: (n: number) => void,
): AsyncGenerator<Uint8Array | string> {
  let n = 0;
  const check = (len: number) => {
    n += len;
    onCount(n);
    if (n > max) throw new AppError("payload_too_large", `The file is larger than ${max} bytes`);
  };
  if ("getReader" in source) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        check(value.byteLength);
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const piece of source) {
    check(typeof piece === "string" ? piece.length : piece.byteLength);
    yield piece;
  }
}

const { errors: _errorsColumn, ...summaryColumns } = getTableColumns(imports);

/** Newest first, keyset-paginated by id (UUIDv7 ids are time-ordered). */
export async function listImports(
  db: Database,
  q: { limit: number; cursor?: string },
): Promise<Page<ImportSummaryRow>> {
  const after = decodeCursor(q.cursor);
  const rows = await db
    .select(summaryColumns)
    .from(imports)
    .where(after ? lt(imports.id, after.id) : undefined)
    .orderBy(desc(imports.id))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null };
}

/** The import with its first `ERRORS_SHOWN` row errors by row number (the rest stay in the database). */
export async function getImport(db: Database, id: string): Promise<ImportRow> {
  const [row] = await db
    .select({
      ...summaryColumns,
      errors: sql<StoredRowError[]>`(select coalesce(jsonb_agg(e order by (e->>'row')::int), '[]'::jsonb)
        from (select e from jsonb_array_elements(${imports.errors}) e
              order by (e->>'row')::int limit ${ERRORS_SHOWN}) x)`,
    })
    .from(imports)
    .where(eq(imports.id, id));
  if (!row) throw NotFoundError("Import");
  return row;
}

/** The failed rows as CSV (`row,email,reason`), in row order, up to `MAX_STORED_ERRORS`. */
export async function importErrorsCsv(db: Database, id: string): Promise<string> {
  const [row] = await db
    .select({
      errors: sql<StoredRowError[]>`(select coalesce(jsonb_agg(e order by (e->>'row')::int), '[]'::jsonb)
        from jsonb_array_elements(${imports.errors}) e)`,
    })
    .from(imports)
    .where(eq(imports.id, id));
  if (!row) throw NotFoundError("Import");
  return [
    exportCsvLine(["row", "email", "reason"]),
    ...row.errors.map((e) => exportCsvLine([String(e.row), e.email ?? "", e.message])),
  ].join("");
}

/**
 * Puts an interrupted import back to work: returns the chunks not yet applied (in order) for the
 * caller to enqueue again. Applied chunks are never applied twice, so resuming is always safe.
 */
export async function resumeImport(ctx: DomainContext, id: string): Promise<ImportRow> {
  const { db, actor } = ctx;
  const resumed = await db.transaction(async (tx) => {
    const [before] = await tx.select(summaryColumns).from(imports).where(eq(imports.id, id)).for("update");
    if (!before) throw NotFoundError("Import");
    const pending = await tx
      .select({ seq: importChunks.seq })
      .from(importChunks)
      .where(and(eq(importChunks.importId, id), isNull(importChunks.doneAt)))
      .orderBy(asc(importChunks.seq));
    const status = pending.length === 0 ? "done" : before.processed > 0 ? "running" : "queued";
    await tx
      .update(imports)
      .set({ status, error: null, finishedAt: status === "done" ? (before.finishedAt ?? sql`now()`) : null })
      .where(eq(imports.id, id));
    await emitAudit(tx, actor, {
      action: "import.resume",
      entity: "import",
      entityId: id,
      before: { status: before.status, error: before.error },
      after: { status, pendingChunks: pending.length },
    });
    return { row: await getImport(tx, id), seqs: pending.map((p) => p.seq) };
  });
  await enqueueImportChunks(queuesIn(ctx).imports, resumed.row.id, resumed.seqs);
  return resumed.row;
}

/** Enqueues chunk messages, 100 per call (the Queues batch limit). */
export async function enqueueImportChunks(
  queue: JobQueue<ImportChunkMessage>,
  importId: string,
  seqs: number[],
): Promise<void> {
  for (let i = 0; i < seqs.length; i += 100) {
    await queue.sendBatch(
      seqs.slice(i, i + 100).map((seq) => ({ body: { importId, seq } satisfies ImportChunkMessage })),
    );
  }
}
