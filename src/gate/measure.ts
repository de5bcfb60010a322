// Measuring for the gate. Base against head: two ImportRunners (one run at a time each), interleaved
// A B B A A B … so that whatever else the machine is doing hits both sides alike and neither side always
// runs first. A confirmation batch re-measures without warm-up.
import { rmSync } from 'node:fs';
import { ImportRunner, prefixSubtree, pycachePrefix, type RunOutcome, type RunSpec } from '../python/runner.js';

export interface SideOutcomes {
  base: RunOutcome[];
  head: RunOutcome[];
}

export interface InterleavePlan {
  runs: number;
  /** Warm-up runs per side; 'auto': one for a side whose private bytecode cache is cold. */
  warmup: number | 'auto';
  onRun?: (side: 'base' | 'head', outcome: RunOutcome, done: number, total: number) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * Measure base and head interleaved. Stops at the first run that does not import cleanly (its outcome is
 * the last of its side).
 */
export async function measureInterleaved(baseSpec: RunSpec, headSpec: RunSpec, plan: InterleavePlan): Promise<SideOutcomes> {
  const env = plan.env ?? process.env;
  const base = new ImportRunner(baseSpec, env);
  const head = new ImportRunner(headSpec, env);
  const out: SideOutcomes = { base: [], head: [] };
  // an interrupted comparison (Ctrl-C: --against's checkout exits the process) leaves no temporary files
  const cleanup = (): void => {
    base.dispose();
    head.dispose();
  };
  process.once('exit', cleanup);
  const warm = (r: ImportRunner): number => (plan.warmup === 'auto' ? (r.isWarm() ? 0 : 1) : plan.warmup);
  const baseWarm = warm(base);
  const headWarm = warm(head);
  const total = baseWarm + headWarm + 2 * plan.runs;
  let done = 0;
  const one = async (side: 'base' | 'head', warmup: boolean, collect: boolean): Promise<boolean> => {
    const runner = side === 'base' ? base : head;
    const outcome = await runner.run({ warmup, collect });
    out[side].push(outcome);
    plan.onRun?.(side, outcome, ++done, total);
    return outcome.status === 'ok';
  };
  try {
    for (let i = 0; i < baseWarm; i++) if (!(await one('base', true, false))) return out;
    for (let i = 0; i < headWarm; i++) if (!(await one('head', true, false))) return out;
    for (let i = 0; i < plan.runs; i++) {
      const last = i === plan.runs - 1;
      const order: Array<'base' | 'head'> = i % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
      for (const side of order) if (!(await one(side, false, last))) return out;
    }
    const lastHead = out.head[out.head.length - 1];
    if (lastHead?.status === 'ok' && lastHead.result && headWarm > 0) head.markWarm(lastHead.result);
  } finally {
    process.removeListener('exit', cleanup);
    cleanup();
  }
  return out;
}

/** Remove the bytecode of a temporary base checkout from the private cache (it would never be used again). */
export function dropBytecode(spec: RunSpec, env: NodeJS.ProcessEnv = process.env): void {
  const prefix = pycachePrefix(spec.interpreter, spec.bytecode, env);
  for (const dir of [spec.root, ...spec.layers]) rmSync(prefixSubtree(prefix, dir), { recursive: true, force: true });
}
