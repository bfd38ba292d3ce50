import {
  type Context,
  type Liquid,
  Parser,
  type Template,
  Tokenizer,
  type TopLevelToken,
  TypeGuards,
} from "liquidjs";
import { escapeHtml } from "../html/entities";
import { SafeHtml } from "./liquid";
import type { RenderBudget } from "./render-budget";

/**
 * A faster way to render the common shape of an email template: static markup with
 * `{{ a.b.c }}` and `{{ a.b | default: "x" }}` outputs. liquidjs drives every node through
 * generators (about 1 µs an output); this evaluates those outputs directly (about 0.1 µs) and
 * hands everything else to liquidjs: any other output, and each `if`/`for`/`case`/`unless` block
 * whole, as its own parsed template. A template that assigns variables (assign, capture,
 * increment, cycle, liquid) is not split at all. The result is identical to liquidjs's; the
 * tests render both ways and compare. The blocks of a part share one liquidjs context, and every
 * part of a render one budget: splitting a template never multiplies its limits.
 */

interface FastOutput {
  path: string[];
  /** The `default:` literal, when the output has that filter. */
  fallback?: string | number;
  /** The same output parsed by liquidjs, for values the fast path does not handle. */
  slow: Template[];
}

type Segment = string | FastOutput | Template[];

/** A part split into static text, fast outputs and liquidjs sub-templates. */
export interface FastProgram {
  segments: Segment[];
  /** Characters of static text, counted against the output budget once per render. */
  staticLength: number;
}

const BLOCKS = new Set(["if", "unless", "for", "case", "tablerow", "raw", "comment"]);
const SIMPLE =
  /^\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(?:\|\s*default\s*:\s*("[^"\\]*"|'[^'\\]*'|-?\d+(?:\.\d+)?)\s*)?$/;
/** Liquid literals and the special properties that a plain lookup would get wrong. */
const RESERVED = new Set(["true", "false", "nil", "null", "empty", "blank", "size", "first", "last"]);

/** Splits a part for fast rendering; null when it must be rendered by liquidjs whole. */
export function compileFast(src: string, engine: Liquid): FastProgram | null {
  const { operators, groupedExpressions } = engine.options;
  const tokens: TopLevelToken[] = new Tokenizer(
    src,
    operators,
    undefined,
    undefined,
    groupedExpressions,
  ).readTopLevelTokens(engine.options);
  // Pieces are parsed from these very tokens, so a render error's line and column point into src.
  const parser = new Parser(engine);
  const parse = (from: number, to: number) => parser.parseTokens(tokens.slice(from, to + 1));
  const segments: Segment[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as TopLevelToken;
    // Tag before output: a TagToken is structurally an OutputToken too, so order matters to TS.
    if (TypeGuards.isHTMLToken(token)) {
      segments.push(token.getContent());
    } else if (TypeGuards.isTagToken(token)) {
      if (token.name === "#") continue;
      if (token.name === "echo") {
        segments.push(output(token.args, parse(i, i)));
        continue;
      }
      if (!BLOCKS.has(token.name)) return null;
      const end = matchingEnd(tokens, i, token.name);
      if (end < 0) return null;
      segments.push(parse(i, end));
      i = end;
    } else if (TypeGuards.isOutputToken(token)) {
      segments.push(output(token.content, parse(i, i)));
    } else {
      return null;
    }
  }
  let staticLength = 0;
  for (const segment of segments) if (typeof segment === "string") staticLength += segment.length;
  return { segments, staticLength };
}

function matchingEnd(tokens: TopLevelToken[], start: number, name: string): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token || !TypeGuards.isTagToken(token)) continue;
    if (token.name === name) depth++;
    else if (token.name === `end${name}` && --depth === 0) return i;
  }
  return -1;
}

function output(expression: string, slow: Template[]): FastOutput | Template[] {
  const m = SIMPLE.exec(expression);
  const path = m?.[1]?.split(".");
  if (!m || !path || path.some((k) => RESERVED.has(k))) return slow;
  const literal = m[2];
  if (literal === undefined) return { path, slow };
  const fallback = /^['"]/.test(literal) ? literal.slice(1, -1) : Number(literal);
  return { path, fallback, slow };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

const SLOW = Symbol("slow");

/** The value at `path` with ownPropertyOnly semantics, or SLOW for anything but plain data. */
function lookup(scope: Record<string, unknown>, path: string[]): unknown {
  let value: unknown = scope;
  for (const key of path) {
    if (value === null || value === undefined) return undefined;
    if (!isPlainObject(value)) return SLOW;
    value = Object.hasOwn(value, key) ? value[key] : undefined;
  }
  return value;
}

/** Renders a fast program; output as liquidjs would write it with or without HTML escaping. */
export function renderFast(
  program: FastProgram,
  engine: Liquid,
  scope: Record<string, unknown>,
  escaped: boolean,
  budget: RenderBudget,
): string {
  // join writes one flat string: the encoders read it next, and flattening a rope of a few
  // hundred pieces costs more than building it flat.
  const parts = new Array<string>(program.segments.length);
  // Made on the first block or slow output: most subjects never need one.
  let ctx: Context | undefined;
  // Static text is counted once; fast outputs are summed here and told to the budget at the end,
  // checked against the room it had at the start so a runaway value stops at once. Counting
  // each piece through the budget cost 5% of the render (2.3 µs of 47 on the newsletter).
  budget.wrote(program.staticLength);
  const room = budget.outputRoom();
  let fast = 0;
  for (let k = 0; k < program.segments.length; k++) {
    const segment = program.segments[k];
    if (typeof segment === "string") {
      parts[k] = segment;
    } else if (Array.isArray(segment)) {
      ctx ??= budget.context(engine, scope);
      parts[k] = budget.render(engine, segment, ctx);
    } else if (segment) {
      let out = fastOutput(segment, scope, escaped);
      if (out === null) {
        ctx ??= budget.context(engine, scope);
        out = budget.render(engine, segment.slow, ctx);
      } else {
        fast += out.length;
        if (fast > room) budget.wrote(fast, segment.slow[0]);
      }
      parts[k] = out;
    }
  }
  budget.wrote(fast);
  return parts.join("");
}

/** The output as the fast path writes it, or null when liquidjs must write it. */
function fastOutput(o: FastOutput, scope: Record<string, unknown>, escaped: boolean): string | null {
  let value = lookup(scope, o.path);
  if (value instanceof SafeHtml && o.fallback === undefined) return value.html;
  if (o.fallback !== undefined) {
    if (typeof value === "string") value = value.length > 0 ? value : o.fallback;
    else if (value === null || value === undefined || value === false) value = o.fallback;
  }
  switch (typeof value) {
    case "string":
      return escaped ? escapeHtml(value) : value;
    case "number":
    case "boolean":
      return String(value);
    case "undefined":
      return "";
    default:
      // Objects, arrays, dates, drops and anything past them (SLOW too): liquidjs writes those.
      return value === null ? "" : null;
  }
}
