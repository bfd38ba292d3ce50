import {
  Context,
  type Emitter,
  type Liquid,
  type Template,
  type Token,
  toValue,
  toValueSync,
} from "liquidjs";

/**
 * One budget per render of a template (subject, HTML and text together), so no template can run
 * for minutes or outgrow the isolate: a 3,000 x 3,000 nested loop used to abort workerd. Every
 * part, every block of the fast path and every captured string draw on the same budget.
 */
export const RENDER_LIMITS = {
  /**
   * Template nodes rendered, each loop iteration's body counted again: the bound on loops. A
   * 30 KB newsletter takes about 40; a receipt looping over 500 items of 20 nodes, 10,000.
   */
  steps: 100_000,
  /** Characters written to the message, all parts together (a newsletter is about 60,000). */
  output: 4_000_000,
  /** Characters and items that filters, ranges and captures allocate (liquidjs's memoryLimit). */
  memory: 10_000_000,
  /**
   * Wall-clock milliseconds. Deployed Workers' clock stands still while code runs (it moves on
   * I/O), so there the step, output and memory limits are what bound the CPU. Local workerd and
   * Node advance it (a busy loop measured 669 ms of performance.now() in workerd), so it holds there.
   */
  timeMs: 2_000,
};

export type RenderLimit = "steps" | "output" | "memory" | "time";

const DESCRIBE: Record<RenderLimit, string> = {
  steps: `it runs more than ${RENDER_LIMITS.steps.toLocaleString("en")} template steps (a loop too long?)`,
  output: `it writes more than ${RENDER_LIMITS.output.toLocaleString("en")} characters`,
  memory: `its filters, ranges and captures use more than ${RENDER_LIMITS.memory.toLocaleString("en")} characters or items`,
  time: `it takes longer than ${RENDER_LIMITS.timeMs / 1000} s to render`,
};

/** Thrown inside liquidjs when the budget runs out; `template.ts` turns it into a typed error. */
export class RenderLimitExceeded extends Error {
  constructor(
    readonly limit: RenderLimit,
    /** Where, when the fast path hit it (inside liquidjs, liquidjs's RenderError says where). */
    readonly token?: Token,
  ) {
    super(`render limit exceeded: ${DESCRIBE[limit]}`);
    this.name = "RenderLimitExceeded";
  }
}

type Limiter = Context["renderLimit"];

const SYNC = { sync: true };

/** liquidjs's own stringify (not exported): what an emitter writes for a value. */
export function stringify(value: unknown): string {
  const v = toValue(value);
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(stringify).join("");
  return String(v);
}

/** The spending of one render. */
export class RenderBudget {
  private steps = 0;
  private output = 0;
  private memory = 0;
  private deadline: number | undefined;
  /** Set once a limit is hit; every later check fails too, whatever liquidjs caught meanwhile. */
  exceeded: RenderLimit | null = null;

  /**
   * A liquidjs context for `scope` whose limiters are this budget: liquidjs calls
   * `renderLimit.check(now)` before every node it renders and `memoryLimit.use(n)` for every
   * allocation it charges, and hands both on to the contexts it spawns.
   */
  context(engine: Liquid, scope: object): Context {
    // liquidjs does not export its Limiter class, whose private fields make it nominal in
    // TypeScript; this class has the two methods liquidjs calls. Pointing a real Limiter's
    // methods here instead gave its call sites two shapes and cost 3% of the render.
    const limiter = this as unknown as Limiter;
    return new Context(scope, engine.options, SYNC, {
      memoryLimit: limiter,
      renderLimit: limiter,
      liquid: engine,
    });
  }

  /** liquidjs's `renderLimit.check`, before each node: one step, and the clock. */
  check(now: number): void {
    this.deadline ??= now + RENDER_LIMITS.timeMs;
    if (++this.steps > RENDER_LIMITS.steps) this.fail("steps");
    if (now > this.deadline) this.fail("time");
    if (this.exceeded) this.fail(this.exceeded);
  }

  /** liquidjs's `memoryLimit.use`, for each allocation it charges (and each captured write). */
  use(count: number): void {
    if (+count > 0) this.memory += +count;
    if (this.memory > RENDER_LIMITS.memory) this.fail("memory");
  }

  /** Renders parsed templates in `ctx`, counting what they write. */
  render(engine: Liquid, templates: Template[], ctx: Context): string {
    return toValueSync(engine.renderer.renderTemplates(templates, ctx, new CountingEmitter(this))) as string;
  }

  /** Output characters left before the limit. */
  outputRoom(): number {
    return RENDER_LIMITS.output - this.output;
  }

  /** Counts characters written to the message (by the template `at`); throws past the output limit. */
  wrote(length: number, at?: Template): void {
    this.output += length;
    if (this.output > RENDER_LIMITS.output) this.fail("output", at);
  }

  private fail(limit: RenderLimit, at?: Template): never {
    this.exceeded ??= limit;
    throw new RenderLimitExceeded(this.exceeded, at?.token);
  }
}

/** liquidjs's SimpleEmitter, counting each write against the budget before it is kept. */
class CountingEmitter implements Emitter {
  buffer = "";
  constructor(private readonly budget: RenderBudget) {}
  write(html: unknown): void {
    const s = stringify(html);
    this.budget.wrote(s.length);
    this.buffer += s;
  }
}

/** For `{% capture %}`: the captured text is memory, charged as it is written. */
export class ChargingEmitter implements Emitter {
  buffer = "";
  constructor(private readonly ctx: Context) {}
  write(html: unknown): void {
    const s = stringify(html);
    this.ctx.memoryLimit.use(s.length);
    this.buffer += s;
  }
}
