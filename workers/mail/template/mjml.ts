import mjml2html from "mjml-browser";
import { type BlockDocument, BlockDocumentSchema } from "../../contract/blocks";
import { blocksToMjml } from "../../contract/blocks-mjml";

/** MJML problems that stop a compile (the generator writes valid MJML, so these are bugs or limits). */
export class BlockCompileError extends Error {}

/**
 * Block document -> email HTML: `blocksToMjml` (the pure generator shared with the dashboard),
 * then `mjml-browser` (MJML's own compiler, bundled without Node's fs). The Worker's compile is the
 * one stored: the dashboard compiles the same way for its live preview only.
 */
export async function compileBlocks(doc: BlockDocument): Promise<string> {
  return (await compileBlocksWithSource(doc)).html;
}

/** As `compileBlocks`, with the MJML source too. */
export async function compileBlocksWithSource(doc: BlockDocument): Promise<{ html: string; mjml: string }> {
  const mjml = blocksToMjml(BlockDocumentSchema.parse(doc));
  const out = await mjml2html(mjml, { validationLevel: "soft", keepComments: false });
  if (!out.html) throw new BlockCompileError(out.errors.map((e) => e.formattedMessage).join("; "));
  return { html: out.html, mjml };
}
