import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./worker";

/**
 * The secret scan of `npm test`: while the suites run, every stack's Worker output, every answer
 * the test helpers read and every secret in play (each stack's keys, the passwords the suites
 * used, API keys as they were created, relay passwords) are written under the capture folder;
 * afterwards `scanCaptures` looks for each secret, as written and encoded, in all of it.
 */

/** The folder the suites write to (tests/support/capture.ts); set by the global setup. */
export const CAPTURE_ENV = "EDGEPOST_CAPTURE";
export const DEFAULT_CAPTURE_DIR = join(ROOT, ".test-tmp/capture");

export interface Secret {
  kind: string;
  value: string;
}

export interface Finding {
  kind: string;
  /** How it was written: as is, base64, URL-encoded, JSON-escaped. */
  form: string;
  file: string;
  line: number;
  /** Where it was: `answer to POST /api/v1/users 201`, or `Worker output`. */
  context: string;
  /** The line around the secret, the secret masked. */
  excerpt: string;
}

/** Shorter values cannot be told from ordinary text ("wrong", "short"); longer ones are test filler. */
const MIN_LENGTH = 8;
const MAX_LENGTH = 1000;
const MASK = "*****";

/** Base64 of `value` at each of the three byte alignments it can have inside a longer encoding. */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const out: string[] = [];
  for (const pad of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString("base64");
    // Drop the group the padding bytes share, and the last group (it depends on what follows).
    const start = pad === 0 ? 0 : 4;
    const end = Math.floor((pad + bytes.length) / 3) * 4;
    const core = encoded.slice(start, end);
    if (core.length >= 12) out.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return out;
}

/** Every form of a secret worth looking for, each with its name. */
export function formsOf(value: string): Array<[string, string]> {
  const forms: Array<[string, string]> = [["as is", value]];
  const add = (form: string, text: string) => {
    if (text.length >= MIN_LENGTH && !forms.some(([, t]) => t === text)) forms.push([form, text]);
  };
  add("JSON-escaped", JSON.stringify(value).slice(1, -1));
  add("URL-encoded", encodeURIComponent(value));
  add("form-encoded", encodeURIComponent(value).replace(/%20/g, "+"));
  for (const b64 of base64Forms(value)) add("base64", b64);
  return forms;
}

function lineAt(text: string, index: number): { line: number; start: number; end: number } {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  const start = text.lastIndexOf("\n", index) + 1;
  const nl = text.indexOf("\n", index);
  return { line, start, end: nl === -1 ? text.length : nl };
}

/** The nearest `=== <request> <status>` header above `index` in a responses capture. */
function contextAt(file: string, text: string, index: number): string {
  if (!file.startsWith("responses-")) return "Worker output";
  const header = text.lastIndexOf("\n=== ", index);
  const start = header === -1 ? (text.startsWith("=== ") ? 0 : -1) : header + 1;
  if (start === -1) return "a response";
  return `answer to ${text.slice(start + 4, text.indexOf("\n", start))}`;
}

/** The secrets the suites recorded (deduplicated, too short or too long ones left out). */
export function recordedSecrets(dir: string): Secret[] {
  const seen = new Map<string, Secret>();
  for (const name of readdirSync(dir).filter((f) => f.startsWith("secrets-"))) {
    for (const line of readFileSync(join(dir, name), "utf8").split("\n")) {
      if (!line) continue;
      const s = JSON.parse(line) as Secret;
      if (s.value.length >= MIN_LENGTH && s.value.length <= MAX_LENGTH && !seen.has(s.value))
        seen.set(s.value, s);
    }
  }
  return [...seen.values()];
}

/** Every occurrence of every secret, in any form, in the captured answers and Worker output. */
export function scanCaptures(dir: string): { secrets: number; files: string[]; findings: Finding[] } {
  if (!existsSync(dir)) throw new Error(`nothing was captured: ${dir} does not exist`);
  const secrets = recordedSecrets(dir);
  const files = readdirSync(dir).filter((f) => f.startsWith("responses-") || f.startsWith("stack-"));
  const needles = secrets.flatMap((s) =>
    formsOf(s.value).map(([form, text]) => ({ kind: s.kind, form, text })),
  );
  const mask = (s: string) => needles.reduce((out, n) => out.split(n.text).join(MASK), s);
  const findings: Finding[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), "utf8");
    for (const n of needles) {
      // The first few places of each are enough to find the cause; more would only repeat it.
      let shown = 0;
      for (let i = text.indexOf(n.text); i !== -1 && shown < 3; i = text.indexOf(n.text, i + n.text.length)) {
        shown++;
        const { line, start, end } = lineAt(text, i);
        const excerpt = mask(text.slice(Math.max(start, i - 60), Math.min(end, i + n.text.length + 60)));
        findings.push({ kind: n.kind, form: n.form, file, line, context: contextAt(file, text, i), excerpt });
      }
    }
  }
  return { secrets: secrets.length, files, findings };
}
