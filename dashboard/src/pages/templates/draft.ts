import type {
  CreateTemplate,
  Template,
  TemplateKind,
  TemplatePart,
  TemplateProblem,
  UpdateTemplate,
} from "../../api/content";
import { ApiError } from "../../api/errors";
import type { CodeProblem } from "../../components/code-editor";
import { t } from "../../i18n";
import type { BlockDocument } from "./blocks/model";

/** What the editor holds: the template as it would be saved now. */
export interface Draft {
  name: string;
  kind: TemplateKind;
  subject: string;
  html: string;
  /** Empty: the plain-text part is generated from the HTML. */
  text: string;
  inlineCss: boolean;
  /** The code editor, or the block builder (then `html` is the Worker's compile of `blocks`). */
  editor: "html" | "blocks";
  blocks: BlockDocument | null;
}

/** A new template starts with the two things every campaign must carry: the address and a way out. */
// i18n-ignore: sample content of the user's new template, not the dashboard's words
export const STARTER_HTML = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>
      body { margin: 0; padding: 24px; font-family: Arial, sans-serif; color: #1b2330; }
      .footer { margin-top: 32px; color: #5d6878; font-size: 12px; }
    </style>
  </head>
  <body>
    <h1>Hello {{ subscriber.name | default: "there" }}</h1>
    <p>Write your message here.</p>
    <p class="footer">
      {{ organization_name }}<br>
      {{ postal_address }}<br>
      <a href="{{ unsubscribe_url }}">Unsubscribe</a>
    </p>
  </body>
</html>
`;

const KINDS = ["campaign", "transactional"] as const satisfies readonly TemplateKind[];

/** The kinds, worded in the dashboard's language. */
export function kindOptions(): { value: TemplateKind; label: string }[] {
  return KINDS.map((value) => ({ value, label: t(`templates.kinds.${value}`) }));
}

export function newDraft(): Draft {
  return {
    name: "",
    kind: "campaign",
    subject: "",
    html: STARTER_HTML,
    text: "",
    inlineCss: false,
    editor: "html",
    blocks: null,
  };
}

/** A new template built with blocks: its HTML comes from the first compile. */
export function newBlocksDraft(blocks: BlockDocument): Draft {
  return { ...newDraft(), html: "", editor: "blocks", blocks };
}

export function draftOf(template: Template): Draft {
  return {
    name: template.name,
    kind: template.kind,
    subject: template.subject,
    html: template.html,
    text: template.text ?? "",
    inlineCss: false,
    editor: template.editor ?? "html",
    blocks: template.blocks ?? null,
  };
}

/** The unsaved content as the preview, check and test endpoints take it. */
export function contentOf(draft: Draft): { subject: string; html: string; text: string | null } {
  return { subject: draft.subject, html: draft.html, text: draft.text.trim() === "" ? null : draft.text };
}

export function createBody(draft: Draft): CreateTemplate {
  if (draft.editor === "blocks" && draft.blocks) {
    const { subject, text } = contentOf(draft);
    return {
      name: draft.name.trim(),
      kind: draft.kind,
      subject,
      text,
      editor: "blocks",
      blocks: draft.blocks,
    };
  }
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    ...contentOf(draft),
    inlineCss: draft.inlineCss,
    editor: "html",
  };
}

/** JSON with sorted keys: the server's copy of a document may order keys differently. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** Only what changed: a rename alone makes no new version; a content change (or inlining) does. */
export function updateBody(draft: Draft, saved: Template): UpdateTemplate {
  const body: UpdateTemplate = {};
  const content = contentOf(draft);
  if (draft.name.trim() !== saved.name) body.name = draft.name.trim();
  if (draft.kind !== saved.kind) body.kind = draft.kind;
  if (content.subject !== saved.subject) body.subject = content.subject;
  if (draft.editor === "blocks" && draft.blocks) {
    if (saved.editor !== "blocks" || canonicalJson(draft.blocks) !== canonicalJson(saved.blocks))
      body.blocks = draft.blocks;
    if (content.text !== saved.text) body.text = content.text;
    return body;
  }
  if (saved.editor === "blocks") body.editor = "html";
  if (content.html !== saved.html || draft.inlineCss) body.html = content.html;
  if (content.text !== saved.text) body.text = content.text;
  if (draft.inlineCss) body.inlineCss = true;
  return body;
}

export function isDirty(draft: Draft, saved: Template | null): boolean {
  if (!saved) return true;
  const body = updateBody({ ...draft, inlineCss: false }, saved);
  return Object.keys(body).length > 0;
}

/** A save's 400 (or 422) as problems per part, from details `{path: [part], line?, column?, message}`. */
export function saveProblems(error: unknown): TemplateProblem[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return error.details.flatMap((detail): TemplateProblem[] => {
    if (typeof detail !== "object" || detail === null) return [];
    const { path, line, column, message } = detail as Record<string, unknown>;
    const part = Array.isArray(path) ? path[0] : undefined;
    if (!isPart(part) || typeof message !== "string") return [];
    // A 422 (no unsubscribe link) has no position: it is about the whole part.
    if (typeof line !== "number") return [];
    return [{ part, line, column: typeof column === "number" ? column : 1, message }];
  });
}

export function isPart(value: unknown): value is TemplatePart {
  return value === "subject" || value === "html" || value === "text";
}

/** The problems of one part, as the code editor marks them. */
export function problemsIn(problems: readonly TemplateProblem[], part: TemplatePart): CodeProblem[] {
  return problems
    .filter((problem) => problem.part === part)
    .map(({ line, column, message }) => ({ line, column, message }));
}

/** A part's name in the dashboard's language. */
export function partLabel(part: TemplatePart): string {
  return t(`templates.parts.${part}`);
}
