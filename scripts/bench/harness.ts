/** One measured figure beside its baseline, measured in the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** value / baselineValue (for "lower is better" units the bench says so in its name). */
  ratio: number;
}

export type Bench = () => Promise<Figure[]>;

export function figure(
  name: string,
  value: number,
  unit: string,
  baseline: string,
  baselineValue: number,
): Figure {
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    name,
    value: round(value),
    unit,
    baseline,
    baselineValue: round(baselineValue),
    ratio: baselineValue === 0 ? 0 : Math.round((value / baselineValue) * 1000) / 1000,
  };
}

/** Runs `op` from `concurrency` loops for `seconds`; returns completed operations per second. */
export async function throughput(
  op: () => Promise<unknown>,
  seconds: number,
  concurrency: number,
): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      await op();
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return done / ((performance.now() - t0) / 1000);
}
