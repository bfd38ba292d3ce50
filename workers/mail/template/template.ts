import { type Liquid, LiquidError, type Template } from "liquidjs";
import { AppError } from "../../lib/errors";
import { compactHtml } from "../html/compact";
import { escapeHtml } from "../html/entities";
import { htmlToText } from "../html/to-text";
import { htmlEngine, SafeHtml, textEngine } from "./liquid";
import { compileFast, type FastProgram, renderFast } from "./liquid-fast";
import { RenderBudget, type RenderLimit, RenderLimitExceeded } from "./render-budget";

export { inlineCss } from "../html/inline-css";
export { RENDER_LIMITS, type RenderLimit } from "./render-budget";
export { requiresUnsubscribe } from "./unsubscribe-link";

/** A template's three parts as stored; a null `text` is derived from the HTML. */
export interface TemplateSource {
  subject: string;
  html: string;
  text?: string | null;
}

/** What a template can use, for one recipient (and `data.*` for a transactional send). */
export interface TemplateVars {
  subscriber: {
    id?: string;
    email: string;
    name?: string | null;
    fields?: Record<string, unknown>;
    created_at?: string | Date;
  };
  campaign?: { id: string; name: string };
  list?: { id?: string; name: string };
  unsubscribe_url?: string;
  preferences_url?: string;
  view_in_browser_url?: string;
  /** The organisation's postal address, plain text; `postal_address_html` is made from it. */
  postal_address?: string;
  organization_name?: string;
  data?: Record<string, unknown>;
}

/** One syntax problem, with a 1-based line and column in its part. */
export interface TemplateProblem {
  part: "subject" | "html" | "text";
  line: number;
  column: number;
  message: string;
}

/** One part parsed by liquidjs, and split for the fast renderer when its shape allows. */
export interface CompiledPart {
  templates: Template[];
  program: FastProgram | null;
}

/** A template parsed once, rendered for many recipients. */
export interface CompiledTemplate {
  subject: CompiledPart;
  html: CompiledPart;
  text: CompiledPart;
  /** The text part was derived from the HTML (its rendering is tidied up). */
  derivedText: boolean;
}

/** The rendered message parts. */
export interface RenderedTemplate {
  subject: string;
  html: string;
  text: string;
}

/** Thrown by `compileTemplate` for a template with syntax errors. */
export class TemplateSyntaxError extends Error {
  constructor(readonly problems: TemplateProblem[]) {
    super(
      `template syntax error: ${problems.map((p) => `${p.part} ${p.line}:${p.column} ${p.message}`).join("; ")}`,
    );
    this.name = "TemplateSyntaxError";
  }
}

/**
 * Thrown by `renderTemplate` when a part fails to render or runs out of its render budget
 * (`limit` says which). A business-rule error (422): callers that know the template name it.
 */
export class TemplateRenderError extends AppError {
  constructor(
    readonly problem: TemplateProblem,
    readonly limit: RenderLimit | null,
  ) {
    super(
      "rule_violation",
      `the template cannot be rendered (${problem.part}, line ${problem.line}): ${problem.message}`,
      [{ path: [problem.part], line: problem.line, column: problem.column, message: problem.message }],
    );
    this.name = "TemplateRenderError";
  }
}

type Part = TemplateProblem["part"];

function parsePart(
  part: Part,
  src: string,
  problems: TemplateProblem[],
  escaped = part === "html",
): Template[] {
  try {
    return (escaped ? htmlEngine : textEngine).parse(src);
  } catch (err) {
    problems.push(toProblem(part, err));
    return [];
  }
}

function toProblem(part: Part, err: unknown): TemplateProblem {
  const e = err as { message?: string; token?: { getPosition?: () => [number, number] } };
  const [line, column] = e.token?.getPosition?.() ?? [1, 1];
  const message = String(e.message ?? err).replace(/, line:\d+, col:\d+$/, "");
  return { part, line, column, message };
}

/** The syntax problems of a template's parts; empty when it compiles. */
export function checkTemplate(src: TemplateSource): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  parsePart("subject", src.subject, problems);
  parsePart("html", src.html, problems);
  if (src.text !== null && src.text !== undefined) parsePart("text", src.text, problems);
  return problems;
}

/** Parses subject, HTML and text (derived from the HTML when null) once; throws `TemplateSyntaxError`. */
export function compileTemplate(src: TemplateSource): CompiledTemplate {
  const problems: TemplateProblem[] = [];
  const subject = parsePart("subject", src.subject, problems);
  const html = parsePart("html", src.html, problems);
  const derivedText = src.text === null || src.text === undefined;
  // Derived from the Liquid source, so tags survive and no message is converted at send time.
  const textSrc = derivedText ? htmlToText(src.html, { liquid: true }) : (src.text ?? "");
  const text = parsePart(derivedText ? "html" : "text", textSrc, problems, false);
  if (problems.length > 0) throw new TemplateSyntaxError(problems);
  // Problems are reported against the source as written; what is rendered and sent is the same
  // HTML without its indentation (html/compact.ts), or the source itself should that not parse.
  const compact = compactHtml(src.html);
  const compactProblems: TemplateProblem[] = [];
  const compactTemplates = compact === src.html ? html : parsePart("html", compact, compactProblems);
  const [htmlTemplates, htmlSrc] =
    compactProblems.length === 0 ? [compactTemplates, compact] : [html, src.html];
  return {
    subject: { templates: subject, program: compileFast(src.subject, textEngine) },
    html: { templates: htmlTemplates, program: compileFast(htmlSrc, htmlEngine) },
    text: { templates: text, program: compileFast(textSrc, textEngine) },
    derivedText,
  };
}

function renderPart(
  part: CompiledPart,
  engine: Liquid,
  scope: Record<string, unknown>,
  budget: RenderBudget,
): string {
  if (part.program) return renderFast(part.program, engine, scope, engine === htmlEngine, budget);
  return budget.render(engine, part.templates, budget.context(engine, scope));
}

/** A render failure as a typed error; anything that is neither liquidjs's nor a limit is a bug. */
function renderFailure(part: Part, err: unknown, budget: RenderBudget): unknown {
  if (!budget.exceeded && !LiquidError.is(err)) return err;
  const problem = toProblem(part, err);
  if (budget.exceeded) problem.message = new RenderLimitExceeded(budget.exceeded).message;
  return new TemplateRenderError(problem, budget.exceeded);
}

const postalHtml = new Map<string, SafeHtml>();

/** The postal address as escaped HTML with line breaks (memoised: it is the same for every recipient). */
function postalAddressHtml(address: string): SafeHtml {
  let safe = postalHtml.get(address);
  if (!safe) {
    safe = new SafeHtml(escapeHtml(address).replace(/\r?\n/g, "<br />\n"));
    if (postalHtml.size > 100) postalHtml.clear();
    postalHtml.set(address, safe);
  }
  return safe;
}

/**
 * Renders a compiled template for one recipient, all parts under one budget (render-budget.ts).
 * Throws `TemplateRenderError` when a part cannot be rendered or the budget runs out.
 */
export async function renderTemplate(
  compiled: CompiledTemplate,
  vars: TemplateVars,
): Promise<RenderedTemplate> {
  const budget = new RenderBudget();
  const postal = vars.postal_address ?? "";
  const plain = { ...vars, postal_address_html: postal };
  let part: Part = "subject";
  try {
    const subject = renderPart(compiled.subject, textEngine, plain, budget);
    part = "html";
    // In HTML the address keeps its line breaks however it is written (`postal_address` too).
    const postalHtml = postalAddressHtml(postal);
    const html = renderPart(
      compiled.html,
      htmlEngine,
      { ...vars, postal_address: new SafeHtml(postalHtml.html, postal), postal_address_html: postalHtml },
      budget,
    );
    // A derived text part is Liquid from the HTML source: its problems belong to the HTML.
    part = compiled.derivedText ? "html" : "text";
    let text = renderPart(compiled.text, textEngine, plain, budget);
    if (compiled.derivedText) text = tidyText(text);
    return { subject: subject.replace(/[\r\n]+/g, " ").trim(), html, text };
  } catch (err) {
    throw renderFailure(part, err, budget);
  }
}

/** Trailing spaces and runs of blank lines left where Liquid tags rendered to nothing. */
function tidyText(text: string): string {
  // Most renders need neither pass; the test is a quick native scan.
  if (!/[ \t]\n|\n\n\n/.test(text)) return text.trim();
  return text
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
