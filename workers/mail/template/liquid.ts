import { CaptureTag, type Context, Drop, Liquid, type LiquidOptions } from "liquidjs";
import { escapeHtml } from "../html/entities";
import { ChargingEmitter, RENDER_LIMITS } from "./render-budget";

/**
 * The two Liquid engines, configured once: `htmlEngine` HTML-escapes every output (so
 * `{{ subscriber.name }}` is safe in markup and in attribute values, URLs included); `textEngine`
 * writes values as they are, for the subject and the text part. Includes, renders and layouts are
 * refused at parse time: templates are self-contained and must never read files. Renders run
 * under one budget each (render-budget.ts); `{% capture %}` charges what it captures to it.
 */

/**
 * Markup that the HTML engine writes without escaping (`postal_address_html`, `| escape` results).
 * `text` is what filters and comparisons see (the markup itself unless given): `{{ postal_address }}`
 * writes its line breaks as `<br />`, while `{{ postal_address | upcase }}` works on the plain text.
 */
export class SafeHtml extends Drop {
  constructor(
    readonly html: string,
    readonly text: string = html,
  ) {
    super();
  }
  override valueOf(): string {
    return this.text;
  }
  override toString(): string {
    return this.text;
  }
}

const BASE: LiquidOptions = {
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  // An empty in-memory file system: no lookup ever reaches a disk.
  templates: {},
  // 1 MB of template source. Renders draw on a RenderBudget each, which replaces these limiters;
  // the memory limit stays as a floor for any render made without one.
  parseLimit: 1_000_000,
  memoryLimit: RENDER_LIMITS.memory,
};

/** liquidjs's capture renders into a fresh buffer that nothing counts: this one charges it. */
class ChargedCapture extends CaptureTag {
  override *render(ctx: Context): Generator<unknown, void, string> {
    const html = yield this.liquid.renderer.renderTemplates(this.templates, ctx, new ChargingEmitter(ctx));
    ctx.bottom()[this.variable] = html;
  }
}

function configure(engine: Liquid): Liquid {
  engine.registerTag("capture", ChargedCapture);
  for (const name of ["include", "render", "layout"]) {
    engine.registerTag(name, {
      parse() {
        throw new Error(`{% ${name} %} is not available in email templates`);
      },
      render() {
        return "";
      },
    });
  }
  return engine;
}

const escapeOutput = (value: unknown): string =>
  value instanceof SafeHtml
    ? value.html
    : escapeHtml(value === null || value === undefined ? "" : String(value));

export const htmlEngine = configure(new Liquid({ ...BASE, outputEscape: escapeOutput }));
export const textEngine = configure(new Liquid(BASE));

// With automatic escaping, an author's habitual `| escape` must not escape a second time.
htmlEngine.registerFilter(
  "escape",
  (v: unknown) => new SafeHtml(escapeHtml(v === null || v === undefined ? "" : String(v))),
);
htmlEngine.registerFilter(
  "escape_once",
  (v: unknown) =>
    new SafeHtml(
      (v === null || v === undefined ? "" : String(v)).replace(
        /&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#x[0-9a-fA-F]+);)|[<>"']/g,
        (c) => escapeHtml(c),
      ),
    ),
);
