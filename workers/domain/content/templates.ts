import { and, asc, count, desc, eq, getTableColumns, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import { campaigns } from "../../../schema/campaigns";
import { templates, templateVersions } from "../../../schema/templates";
import { users } from "../../../schema/users";
import type { BlockDocument } from "../../contract/blocks";
import { blockDocumentProblems } from "../../contract/blocks-mjml";
import type { CreateTemplate, UpdateTemplate } from "../../contract/content";
import type { Database } from "../../lib/db";
import { AppError, ConflictError, NotFoundError, RuleError } from "../../lib/errors";
import { BlockCompileError, compileBlocks, compileBlocksWithSource } from "../../mail/template/mjml";
import {
  checkTemplate,
  inlineCss,
  requiresUnsubscribe,
  type TemplateSource,
} from "../../mail/template/template";
import { emitAudit } from "../audit";
import type { DomainContext } from "../context";
import { decodeCursor, decodeNumberCursor, encodeCursor, INT_MAX, type Page } from "../pagination";
import { assertRendersOnSample } from "./template-check";

export type TemplateRow = typeof templates.$inferSelect;
type StoredVersion = typeof templateVersions.$inferSelect;
/** A stored version, its block document typed (the API checked it before it was stored). */
export type VersionRow = Omit<StoredVersion, "blocks"> & { blocks: BlockDocument | null };
/** A template with the content of its current version. */
export type TemplateView = TemplateRow & {
  subject: string;
  html: string;
  text: string | null;
  editor: VersionRow["editor"];
  blocks: BlockDocument | null;
};

/** What one version holds: the Liquid sources and, for blocks templates, the document they came from. */
type Content = TemplateSource & { editor: VersionRow["editor"]; blocks: BlockDocument | null };

/** 512 KB, as the contract's limit on posted HTML. */
const MAX_COMPILED_HTML = 512 * 1024;

/**
 * The HTML of a block document, compiled here (the Worker's compile is the one stored, whatever
 * `html` a client sent). A campaign document without a footer is a 422 naming the blocks.
 */
async function compiledBlocks(doc: BlockDocument, kind: TemplateRow["kind"]): Promise<string> {
  const problems = blockDocumentProblems(doc, kind);
  if (problems.length > 0)
    throw RuleError(
      problems[0] ?? "",
      problems.map((message) => ({ path: ["blocks"], message })),
    );
  const html = await compileBlocks(doc).catch((err) => {
    throw asRuleError(err);
  });
  if (html.length > MAX_COMPILED_HTML)
    throw RuleError("The blocks compile to more than 512 KB of HTML: remove some blocks", [
      { path: ["blocks"], message: "compiled HTML too large" },
    ]);
  return html;
}

/** Campaign states in which a template is still going to be sent. */
const LIVE_CAMPAIGN = ["draft", "scheduled", "testing", "sending", "paused"] as const;

/**
 * Refuses content that would fail at send time: Liquid syntax errors (400, each with its part,
 * line and column) and, for campaign templates, a missing unsubscribe link (422).
 */
export function assertValidContent(src: TemplateSource, kind: TemplateRow["kind"]): void {
  const problems = checkTemplate(src);
  if (problems.length > 0) {
    throw new AppError(
      "validation_failed",
      `The template has ${problems.length === 1 ? "a syntax error" : `${problems.length} syntax errors`}: ${problems[0]?.message ?? ""}`,
      problems.map((p) => ({ path: [p.part], line: p.line, column: p.column, message: p.message })),
    );
  }
  if (kind === "campaign" && !requiresUnsubscribe(src)) {
    throw RuleError("Campaign templates must contain an unsubscribe link: add {{ unsubscribe_url }}", [
      { path: ["html"], message: "no {{ unsubscribe_url }} link" },
    ]);
  }
}

const typed = <T extends { blocks: unknown }>(v: T) =>
  v as Omit<T, "blocks"> & { blocks: BlockDocument | null };

/** The builder's compile as you edit: the HTML a save would store, no checks (the check endpoint has them). */
export async function compileBlockDocument(doc: BlockDocument): Promise<{ html: string; mjml: string }> {
  try {
    return await compileBlocksWithSource(doc);
  } catch (err) {
    throw asRuleError(err);
  }
}

/** MJML refusing the document is the document's problem (422), never a 500. */
function asRuleError(err: unknown): unknown {
  if (!(err instanceof BlockCompileError)) return err;
  return RuleError(`The blocks cannot be compiled: ${err.message}`, [
    { path: ["blocks"], message: err.message },
  ]);
}

function withContent(row: TemplateRow, v: StoredVersion): TemplateView {
  const { subject, html, text, editor, blocks } = typed(v);
  return { ...row, subject, html, text, editor, blocks: blocks ?? null };
}

export async function listTemplates(
  db: Database,
  q: { limit: number; cursor?: string; kind?: TemplateRow["kind"]; q?: string },
): Promise<Page<TemplateRow & { subject: string; editor: VersionRow["editor"] }>> {
  const after = decodeCursor(q.cursor);
  const conds = [isNull(templates.deletedAt)];
  if (q.kind) conds.push(eq(templates.kind, q.kind));
  if (q.q)
    conds.push(sql`lower(${templates.name}) like ${`%${q.q.toLowerCase().replace(/[%_\\]/g, "\\$&")}%`}`);
  const [total] = await db
    .select({ n: count() })
    .from(templates)
    .where(and(...conds));
  if (after) conds.push(gt(templates.id, after.id));
  const rows = await db
    .select({ t: templates, subject: templateVersions.subject, editor: templateVersions.editor })
    .from(templates)
    .innerJoin(
      templateVersions,
      and(
        eq(templateVersions.templateId, templates.id),
        eq(templateVersions.version, templates.currentVersion),
      ),
    )
    .where(and(...conds))
    .orderBy(asc(templates.id))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit).map((r) => ({ ...r.t, subject: r.subject, editor: r.editor }));
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: last.id }) : null,
    total: total?.n,
  };
}

/** A live (not deleted) template with its current content. */
export async function getTemplate(db: Database, id: string): Promise<TemplateView> {
  const [row] = await db
    .select({ t: templates, v: templateVersions })
    .from(templates)
    .innerJoin(
      templateVersions,
      and(
        eq(templateVersions.templateId, templates.id),
        eq(templateVersions.version, templates.currentVersion),
      ),
    )
    .where(and(eq(templates.id, id), isNull(templates.deletedAt)));
  if (!row) throw NotFoundError("Template");
  return withContent(row.t, row.v);
}

/** One stored version (also of a deleted template: sent campaigns keep pointing at theirs). */
export async function getTemplateVersion(
  db: Database,
  templateId: string,
  version: number,
): Promise<VersionRow> {
  const [row] = await db
    .select()
    .from(templateVersions)
    .where(and(eq(templateVersions.templateId, templateId), eq(templateVersions.version, version)));
  if (!row) throw NotFoundError(`Version ${version} of the template`);
  return typed(row);
}

export async function listTemplateVersions(
  db: Database,
  templateId: string,
  q: { limit: number; cursor?: string },
): Promise<Page<VersionRow & { createdByName: string | null }>> {
  const after = decodeNumberCursor(q.cursor, INT_MAX);
  await getTemplate(db, templateId);
  const conds = [eq(templateVersions.templateId, templateId)];
  if (after !== null) conds.push(lt(templateVersions.version, after));
  const rows = await db
    .select({ ...getTableColumns(templateVersions), createdByName: users.name })
    .from(templateVersions)
    .leftJoin(users, eq(users.id, templateVersions.createdById))
    .where(and(...conds))
    .orderBy(desc(templateVersions.version))
    .limit(q.limit + 1);
  const data = rows.slice(0, q.limit).map(typed);
  const [total] = await db
    .select({ n: count() })
    .from(templateVersions)
    .where(eq(templateVersions.templateId, templateId));
  const last = data.at(-1);
  return {
    data,
    nextCursor: rows.length > q.limit && last ? encodeCursor({ id: String(last.version) }) : null,
    total: total?.n,
  };
}

const prepareHtml = (html: string, inline: boolean | undefined) => (inline ? inlineCss(html) : html);

/** Creates a template and its version 1 (content checked and rendered on sample data first). */
export async function createTemplate(
  { db, actor }: DomainContext,
  input: Omit<CreateTemplate, "editor"> & { editor?: CreateTemplate["editor"] },
): Promise<TemplateView> {
  const blocks = input.editor === "blocks" && input.blocks ? input.blocks : null;
  const html = blocks
    ? await compiledBlocks(blocks, input.kind)
    : prepareHtml(input.html ?? "", input.inlineCss);
  const src: Content = {
    subject: input.subject,
    html,
    text: input.text ?? null,
    editor: blocks ? "blocks" : "html",
    blocks,
  };
  assertValidContent(src, input.kind);
  await assertRendersOnSample(db, src, input.name);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(templates)
      .values({ name: input.name, kind: input.kind, track: input.track ?? true, currentVersion: 1 })
      .returning();
    if (!row) throw new Error("insert returned nothing");
    const [v] = await tx
      .insert(templateVersions)
      .values({
        templateId: row.id,
        version: 1,
        ...src,
        createdById: actor.type === "user" ? actor.id : null,
      })
      .returning();
    if (!v) throw new Error("insert returned nothing");
    const view = withContent(row, v);
    await emitAudit(tx, actor, {
      action: "template.create",
      entity: "template",
      entityId: row.id,
      after: view,
    });
    return view;
  });
}

/** JSON with object keys sorted: jsonb does not keep key order, so compare documents this way. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/**
 * The content a PATCH asks for: a restored version as it was; new blocks compiled; `editor: "html"`
 * leaving the builder with the compiled HTML (or the `html` sent); else the fields given over the
 * current ones. HTML alone cannot change a blocks template (it would no longer match its blocks).
 */
async function nextContent(
  tx: Database,
  id: string,
  current: TemplateView,
  input: UpdateTemplate,
  kind: TemplateRow["kind"],
): Promise<Content> {
  if (input.restoreVersion !== undefined) {
    const old = await getTemplateVersion(tx, id, input.restoreVersion);
    return { subject: old.subject, html: old.html, text: old.text, editor: old.editor, blocks: old.blocks };
  }
  const subject = input.subject ?? current.subject;
  const text = input.text !== undefined ? input.text : current.text;
  if (input.blocks)
    return {
      subject,
      text,
      html: await compiledBlocks(input.blocks, kind),
      editor: "blocks",
      blocks: input.blocks,
    };
  const html = input.html !== undefined ? prepareHtml(input.html, input.inlineCss) : current.html;
  if (input.editor === "html") return { subject, text, html, editor: "html", blocks: null };
  if (current.editor === "blocks" && input.html !== undefined)
    throw RuleError(
      'This template is built with blocks: send new blocks, or "editor": "html" to convert it to HTML',
      [{ path: ["html"], message: "a blocks template's HTML is compiled from its blocks" }],
    );
  return { subject, text, html, editor: current.editor, blocks: current.blocks };
}

/**
 * Renames and/or changes content. New content (or `restoreVersion`) becomes a new immutable
 * version; identical content makes none. The kind may change only if the content allows it. New
 * content (a restored version too) must render on sample data within the render limits.
 */
export async function updateTemplate(
  { db, actor }: DomainContext,
  id: string,
  input: UpdateTemplate,
): Promise<TemplateView> {
  return db.transaction(async (tx) => {
    const current = await getTemplate(tx, id);
    await tx.select({ id: templates.id }).from(templates).where(eq(templates.id, id)).for("update");
    const kind = input.kind ?? current.kind;
    const src = await nextContent(tx, id, current, input, kind);
    const changed =
      src.subject !== current.subject ||
      src.html !== current.html ||
      src.text !== current.text ||
      src.editor !== current.editor ||
      canonicalJson(src.blocks) !== canonicalJson(current.blocks);
    if (changed || kind !== current.kind) assertValidContent(src, kind);
    if (changed) await assertRendersOnSample(tx, src, input.name ?? current.name);
    const nextVersion = changed ? current.currentVersion + 1 : current.currentVersion;
    if (changed) {
      await tx.insert(templateVersions).values({
        templateId: id,
        version: nextVersion,
        ...src,
        createdById: actor.type === "user" ? actor.id : null,
      });
    }
    await tx
      .update(templates)
      .set({
        name: input.name ?? current.name,
        kind,
        track: input.track ?? current.track,
        currentVersion: nextVersion,
      })
      .where(eq(templates.id, id));
    const after = await getTemplate(tx, id);
    await emitAudit(tx, actor, {
      action: input.restoreVersion !== undefined ? "template.restore" : "template.update",
      entity: "template",
      entityId: id,
      before: current,
      after: {
        ...after,
        ...(input.restoreVersion !== undefined ? { restoredFrom: input.restoreVersion } : {}),
      },
    });
    return after;
  });
}

/**
 * Deletes a template (kept as a tombstone: sent campaigns point at its versions). Refused with 409
 * while a campaign that is not finished still uses it.
 */
export async function deleteTemplate({ db, actor }: DomainContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await getTemplate(tx, id);
    const users = await tx
      .select({ id: campaigns.id, name: campaigns.name })
      .from(campaigns)
      .where(and(eq(campaigns.templateId, id), inArray(campaigns.status, [...LIVE_CAMPAIGN])))
      .limit(5);
    if (users.length > 0) {
      throw ConflictError(
        `The template is used by campaigns that are not finished: ${users.map((u) => u.name).join(", ")}`,
        { campaignIds: users.map((u) => u.id) },
      );
    }
    await tx.update(templates).set({ deletedAt: sql`now()` }).where(eq(templates.id, id));
    await emitAudit(tx, actor, { action: "template.delete", entity: "template", entityId: id, before });
  });
}
