/** U+0000: Postgres `text` and `jsonb` refuse it (SQLSTATE 22021 / 22P05). */
const NUL = "\u0000";
/** A surrogate without its pair: not Unicode, so UTF-8 encoders replace it and encodeURIComponent throws. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Far deeper than any real payload (segment rules stop at 10 levels, about 22 of JSON), far
 * shallower than what overflows a recursive walk: 10,000 levels of transactional `data` ended in
 * "Maximum call stack size exceeded" (a 500) before anything was sent.
 */
export const MAX_INPUT_DEPTH = 64;

export interface InputProblem {
  path: (string | number)[];
  message: string;
}

function textProblem(s: string): string | null {
  if (s.includes(NUL)) return "must not contain NUL (U+0000) characters";
  if (LONE_SURROGATE.test(s)) return "must be well-formed Unicode (it holds a lone surrogate)";
  return null;
}

interface Node {
  value: unknown;
  key: string | number | null;
  parent: Node | null;
  depth: number;
}

/**
 * The first place in validated input that the database cannot store or the runtime cannot walk:
 * a string or key holding NUL or a lone surrogate, or nesting beyond MAX_INPUT_DEPTH. Walks with
 * an explicit stack (input of any depth cannot overflow it) and builds only the path it reports.
 */
export function findUnstorable(input: unknown): InputProblem | null {
  const stack: Node[] = [{ value: input, key: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const { value } = node;
    if (typeof value === "string") {
      const message = textProblem(value);
      if (message) return { path: pathOf(node), message };
    } else if (value !== null && typeof value === "object") {
      if (node.depth >= MAX_INPUT_DEPTH) {
        return { path: pathOf(node), message: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep` };
      }
      const entries: Iterable<[string | number, unknown]> = Array.isArray(value)
        ? value.entries()
        : Object.entries(value);
      for (const [k, v] of entries) {
        const keyProblem = typeof k === "string" ? textProblem(k) : null;
        if (keyProblem) return { path: [...pathOf(node), k], message: `key ${keyProblem}` };
        stack.push({ value: v, key: k, parent: node, depth: node.depth + 1 });
      }
    }
  }
  return null;
}

function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) path.unshift(n.key);
  return path;
}
