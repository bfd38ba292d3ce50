/**
 * The dashboard's translation check, shared by `tests/unit/i18n.test.ts` and by hand:
 *
 *   npx tsx scripts/i18n-check.ts [dir or file ...]   # lists untranslated strings and catalogue gaps
 *
 * 1. Visible strings without a key: JSX text with letters, string attributes people read
 *    (`placeholder`, `title`, `aria-label`, `alt`, `label`…), and string literals that read as
 *    words in labels, messages and toasts. Technical strings (class names, paths, ids, event
 *    names) pass. A line holding `i18n-ignore` is skipped (brand names, sample data).
 * 2. Keys used in code (`t("a.b")`, `<Trans k="a.b">`) that English lacks.
 * 3. Catalogues (`dashboard/src/i18n/locales/<lang>.json`): every language has English's keys (plural forms by `Intl.PluralRules`), the same
 *    `{{placeholders}}` and `<0>` tags, no empty message and no key English lacks.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parse } from "@babel/parser";
import type { Node as BabelNode } from "@babel/types";

const ROOT = join(import.meta.dirname, "..");
export const DASHBOARD = join(ROOT, "dashboard/src");
const I18N = join(DASHBOARD, "i18n");
export const LANGUAGES = ["en", "de", "fr", "es", "pt-BR", "ja"] as const;

export interface Finding {
  file: string;
  line: number;
  text: string;
}

type Messages = { [key: string]: string | Messages };

/** Attributes whose string value people read. */
const VISIBLE_ATTRIBUTES = new Set([
  "placeholder",
  "title",
  "aria-label",
  "aria-description",
  "aria-valuetext",
  "alt",
  "label",
  "description",
  "hint",
  "help",
  "heading",
  "message",
  "text",
  "summary",
  "emptyText",
  "empty",
  "confirmLabel",
  "cancelLabel",
  "busyLabel",
  "actionLabel",
  "legend",
  "caption",
  "subtitle",
  "tooltip",
]);

/** Object properties whose string value people read (nav items, column definitions, options). */
const VISIBLE_PROPERTIES = new Set([
  "label",
  "title",
  "description",
  "hint",
  "help",
  "heading",
  "message",
  "text",
  "summary",
  "placeholder",
  "emptyText",
  "confirmLabel",
  "soon",
  "tooltip",
  "caption",
  "subtitle",
]);

/** Attributes never shown as text. */
const TECHNICAL_ATTRIBUTES = new Set([
  "class",
  "className",
  "id",
  "type",
  "name",
  "href",
  "key",
  "role",
  "style",
  "autoComplete",
  "autocomplete",
  "inputMode",
  "pattern",
  "method",
  "for",
  "htmlFor",
  "rel",
  "target",
  "src",
  "accept",
  "value",
  "lang",
  "dir",
  "d",
  "viewBox",
  "fill",
  "stroke",
  "xmlns",
  "transform",
  "points",
  "path",
  "to",
  "k",
  "tone",
  "variant",
  "kind",
  "size",
  "icon",
  "align",
  "action",
  "enctype",
  "sandbox",
  "referrerpolicy",
  "loading",
  "decoding",
  "spellcheck",
  "form",
  "list",
  "min",
  "max",
  "step",
  "width",
  "height",
]);

const LETTERS = /\p{L}{2,}/u;
/** Reads as words: a capitalised word and at least one more word. */
const PROSE = /^\s*[\p{Lu}][\p{Ll}'’]+[,:]?(\s+[\p{L}\p{N}'’"“(][^\s]*){1,}/u;
/** Template text that reads as words: two words of letters with a space between. */
const TEMPLATE_PROSE = /\p{L}{2,}[,:]?\s+[\p{L}(“"]{2,}|\p{L}{3,}\s*$|^\s*\p{L}{3,}/u;

type Node = BabelNode & { [key: string]: unknown };

/** `area.section.key`: a catalogue key, not words. */
const KEY_LIKE = /^[a-z][\w]*(\.[\w-]+)+$/;

function attributeName(node: Node): string {
  const name = node.name as Node;
  return name.type === "JSXNamespacedName"
    ? `${(name.namespace as Node).name}:${(name.name as Node).name}`
    : String(name.name);
}

function calleeName(node: Node): string {
  const callee = node.callee as Node;
  if (callee.type === "Identifier") return String(callee.name);
  if (callee.type === "MemberExpression") {
    const object = callee.object as Node;
    const property = callee.property as Node;
    return `${object.type === "Identifier" ? object.name : ""}.${property.type === "Identifier" ? property.name : ""}`;
  }
  return "";
}

const TECHNICAL_CALLS =
  /^(t|hasKey|cx|classes|console\..*|.*\.(querySelector|querySelectorAll|getElementById|closest|matchMedia|setAttribute|getAttribute|addEventListener|removeEventListener|startsWith|endsWith|includes|split|replace|replaceAll|test|match|get|set|has|delete|getItem|setItem|removeItem))$/;

/** Whether a string literal sits where nobody reads it: imports, class lists, comparisons, console, developer errors. */
function inTechnicalPlace(ancestors: Node[]): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const p = ancestors[i] as Node;
    const child = ancestors[i + 1];
    switch (p.type) {
      case "ImportDeclaration":
      case "ExportNamedDeclaration":
      case "ExportAllDeclaration":
      case "TSLiteralType":
      case "TSImportType":
      case "SwitchCase":
      case "MemberExpression":
      case "OptionalMemberExpression":
        if (p.type === "MemberExpression" && child !== p.property) break;
        return true;
      case "JSXAttribute": {
        const name = attributeName(p);
        return TECHNICAL_ATTRIBUTES.has(name) || name.startsWith("data-") || /^on[A-Z]/.test(name);
      }
      case "CallExpression":
      case "OptionalCallExpression":
        if (TECHNICAL_CALLS.test(calleeName(p))) return true;
        break;
      case "NewExpression": {
        const callee = p.callee as Node;
        const parent = ancestors[i - 1];
        if (
          callee.type === "Identifier" &&
          /Error$/.test(String(callee.name)) &&
          parent?.type === "ThrowStatement"
        )
          return true;
        if (
          callee.type === "Identifier" &&
          /^(RegExp|URL|URLSearchParams|Intl\..*)$/.test(String(callee.name))
        )
          return true;
        break;
      }
      case "BinaryExpression":
        if (/^(===|!==|==|!=|in)$/.test(String(p.operator))) return true;
        break;
      case "JSXElement":
      case "JSXExpressionContainer":
      case "ExpressionStatement":
      case "VariableDeclarator":
      case "ReturnStatement":
        return false;
    }
  }
  return false;
}

function propertyName(node: Node, parent: Node | undefined): string | null {
  if (parent?.type !== "ObjectProperty" || parent.value !== node) return null;
  const key = parent.key as Node;
  return key.type === "Identifier"
    ? String(key.name)
    : key.type === "StringLiteral"
      ? String(key.value)
      : null;
}

/** Visible strings without a key in one file. */
export function scanFile(path: string): Finding[] {
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  const ast = parse(text, { sourceType: "module", plugins: ["typescript", "jsx"], errorRecovery: true });
  const findings: Finding[] = [];
  const report = (node: Node, value: string) => {
    const line = node.loc?.start.line ?? 0;
    if ([line, line - 1].some((l) => lines[l - 1]?.includes("i18n-ignore"))) return;
    findings.push({ file: relative(ROOT, path), line, text: value.trim().replace(/\s+/g, " ").slice(0, 80) });
  };
  const visit = (node: Node, ancestors: Node[]) => {
    const parent = ancestors.at(-1);
    if (node.type === "JSXText") {
      if (LETTERS.test(String(node.value))) report(node, String(node.value));
    } else if (node.type === "JSXAttribute") {
      const value = node.value as Node | null;
      const name = attributeName(node);
      if (value?.type === "StringLiteral") {
        const s = String(value.value);
        if (VISIBLE_ATTRIBUTES.has(name) && LETTERS.test(s)) report(node, s);
        else if (!TECHNICAL_ATTRIBUTES.has(name) && !name.startsWith("data-") && PROSE.test(s))
          report(node, s);
        return;
      }
    } else if (node.type === "StringLiteral") {
      const s = String(node.value);
      const property = propertyName(node, parent);
      if (!inTechnicalPlace([...ancestors, node])) {
        // A catalogue key held for later (`label: "nav.lists"`) is checked by usedKeys instead.
        if (property && VISIBLE_PROPERTIES.has(property) && LETTERS.test(s) && !KEY_LIKE.test(s))
          report(node, s);
        else if (PROSE.test(s)) report(node, s);
      }
    } else if (node.type === "TemplateLiteral") {
      const quasis = (node.quasis as Node[]).map((q) =>
        String((q.value as { cooked?: string }).cooked ?? ""),
      );
      const joined = quasis.join(" ");
      const property = propertyName(node, parent);
      const tokens = joined.split(/\s+/).filter(Boolean);
      const classList = tokens.every((w) => /^[a-z0-9_.:/-]*$/.test(w)) && tokens.some((w) => /[-_]/.test(w));
      if (!classList && !inTechnicalPlace([...ancestors, node])) {
        if (property && VISIBLE_PROPERTIES.has(property) && LETTERS.test(joined)) report(node, joined);
        else if (
          quasis.some((q) => TEMPLATE_PROSE.test(q) && /\p{L}{2,}\s|\s\p{L}{2,}/u.test(q)) &&
          /\p{Ll}{2,}/u.test(joined)
        )
          report(node, joined);
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === "loc" || key === "leadingComments" || key === "trailingComments" || key === "innerComments")
        continue;
      if (Array.isArray(value)) {
        for (const child of value)
          if (child && typeof child === "object" && typeof (child as Node).type === "string")
            visit(child as Node, [...ancestors, node]);
      } else if (value && typeof value === "object" && typeof (value as Node).type === "string") {
        visit(value as Node, [...ancestors, node]);
      }
    }
  };
  visit(ast.program as unknown as Node, []);
  return findings;
}

export function sourceFiles(dir: string = DASHBOARD): string[] {
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === I18N) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Keys written literally in code: `t("a.b")`, `hasKey("a.b")` and `<Trans k="a.b">`. */
export function usedKeys(files: string[]): Map<string, Finding> {
  const keys = new Map<string, Finding>();
  for (const path of files) {
    const text = readFileSync(path, "utf8");
    const pattern = new RegExp(
      `\\b(?:t|hasKey)\\(\\s*["'\`]([\\w.-]+)["'\`]|\\bk="([\\w.-]+)"|\\b(?:${[...VISIBLE_PROPERTIES].join("|")})\\s*:\\s*"([a-z]\\w*(?:\\.[\\w-]+)+)"`,
      "g",
    );
    for (const m of text.matchAll(pattern)) {
      const key = m[1] ?? m[2] ?? m[3] ?? "";
      const line = text.slice(0, m.index).split("\n").length;
      if (!keys.has(key)) keys.set(key, { file: relative(ROOT, path), line, text: key });
    }
  }
  return keys;
}

/** A language's catalogue: `dashboard/src/i18n/locales/<lang>.json`. */
export function loadCatalogue(lang: string): Messages {
  return JSON.parse(readFileSync(join(I18N, "locales", `${lang}.json`), "utf8")) as Messages;
}

export function flatten(messages: Messages, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(messages)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** A key without its plural suffix. */
export function baseKey(key: string): string {
  return key.replace(PLURAL, "");
}

function placeholders(message: string): string {
  const vars = [...message.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]);
  const tags = [...message.matchAll(/<(\d+)>/g)].map((m) => `<${m[1]}>`);
  return [...new Set([...vars, ...tags])].sort().join(" ");
}

/** Gaps between English and `lang`: missing, extra, empty keys and differing placeholders. */
export function catalogueProblems(lang: string): string[] {
  const en = flatten(loadCatalogue("en"));
  const other = flatten(loadCatalogue(lang));
  const problems: string[] = [];
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  const enBases = new Set([...en.keys()].map(baseKey));
  const pluralBases = new Set([...en.keys()].filter((k) => PLURAL.test(k)).map(baseKey));
  for (const base of enBases) {
    if (pluralBases.has(base)) {
      // Required forms: `other` always, `one` where the language has it (`many` falls back to other).
      const needed = ["other", ...(categories.includes("one") ? ["one"] : [])];
      if (lang === "en") continue;
      for (const form of needed)
        if (!other.has(`${base}_${form}`)) problems.push(`${lang}: missing ${base}_${form}`);
      continue;
    }
    if (lang !== "en" && !other.has(base)) problems.push(`${lang}: missing ${base}`);
  }
  for (const [key, message] of other) {
    if (!message.trim()) problems.push(`${lang}: empty ${key}`);
    if (lang === "en") continue;
    if (!enBases.has(baseKey(key))) {
      problems.push(`${lang}: ${key} is not in English`);
      continue;
    }
    const reference = en.get(key) ?? en.get(`${baseKey(key)}_other`) ?? "";
    if (placeholders(message) !== placeholders(reference))
      problems.push(`${lang}: ${key} has {${placeholders(message)}}, English {${placeholders(reference)}}`);
  }
  return problems;
}

/** Keys used in code that English does not have (a plural key counts by its base). */
export function missingKeys(files: string[]): Finding[] {
  const en = flatten(loadCatalogue("en"));
  const bases = new Set([...en.keys()].map(baseKey));
  return [...usedKeys(files).values()].filter((f) => !en.has(f.text) && !bases.has(f.text));
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const targets = process.argv.slice(2);
  const files = (targets.length ? targets : [DASHBOARD]).flatMap((t) =>
    sourceFiles(resolve(process.cwd(), t)),
  );
  const untranslated = files.flatMap(scanFile);
  for (const f of untranslated) console.log(`${f.file}:${f.line}  ${JSON.stringify(f.text)}`);
  const missing = missingKeys(files);
  for (const f of missing) console.log(`${f.file}:${f.line}  key not in en: ${f.text}`);
  const gaps = LANGUAGES.flatMap(catalogueProblems);
  for (const g of gaps) console.log(g);
  console.log(
    `${untranslated.length} untranslated strings, ${missing.length} missing keys, ${gaps.length} catalogue problems`,
  );
}
