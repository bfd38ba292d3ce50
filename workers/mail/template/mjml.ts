import { type BlockDocument, BlockDocumentSchema } from "../../contract/blocks";
import { blocksToMjml } from "../../contract/blocks-mjml";

/**
 * mjml-browser is 1.9 MB of code: imported on the first compile, not when the isolate starts, so
 * the tracking hot path and every other request never pay for evaluating it.
 */
let loaded: Promise<typeof import("mjml-browser").default> | null = null;
function compiler() {
  loaded ??= loadCompiler();
  return loaded;
}

/**
 * Its webpack runtime finds the global object with `new Function("return this")`, which workerd
 * allows only while the isolate starts, else falls back to `window`: during the import (and only
 * then) `window` is the global object, so the bundled `buffer` polyfill finds it.
 */
async function loadCompiler() {
  const g = globalThis as { window?: unknown };
  const shim = !("window" in g);
  if (shim) g.window = globalThis;
  try {
    return (await import("mjml-browser")).default;
  } finally {
    if (shim) delete g.window;
  }
}

/** MJML problems that stop a compile (the generator writes valid MJML, so these are bugs or limits). */
export class BlockCompileError extends Error {}

/**
 * Block document -> email HTML: `blocksToMjml` (our pure generator), then `mjml-browser` (MJML's
 * own compiler, bundled without Node's fs). The only compiler: saves store its output and the
 * builder's live preview asks for it (`POST /templates/compile`), so the two never differ.
 */
export async function compileBlocks(doc: BlockDocument): Promise<string> {
  return (await compileBlocksWithSource(doc)).html;
}

/** As `compileBlocks`, with the MJML source too. */
export async function compileBlocksWithSource(doc: BlockDocument): Promise<{ html: string; mjml: string }> {
  const mjml = blocksToMjml(BlockDocumentSchema.parse(doc));
  const out = await (await compiler())(mjml, { validationLevel: "soft", keepComments: false });
  if (!out.html) throw new BlockCompileError(out.errors.map((e) => e.formattedMessage).join("; "));
  return { html: out.html, mjml };
}
