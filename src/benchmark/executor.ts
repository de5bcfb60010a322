// What the scheduler runs: one or more variants of a measurement (a side of a comparison, a bytecode
// mode), one run at a time. The real executor runs the harness through an ImportRunner per variant;
// tests drive the scheduler with a scripted executor instead, so nothing there starts Python (hyperfine
// has the same seam: https://github.com/sharkdp/hyperfine/blob/master/src/benchmark/executor.rs).
import { ImportRunner, type RunSpec } from '../python/runner.js';
import type { HarnessResult, RunOutcome } from '../python/protocol.js';

export interface Executor<T> {
  /** How many variants are measured (A, B, …). */
  readonly variants: number;
  /** Whether a variant's caches are already warm (`--warmup auto` then skips its warm-up run). */
  isWarm(variant: number): boolean;
  /** One run of a variant; `last`: the last measured run of that variant. */
  run(variant: number, opts: { warmup: boolean; last: boolean }): Promise<T>;
  /** Record that a variant's caches are warm, from its last measured run. */
  markWarm(variant: number, last: T): void;
  /** Stop a run still going and remove temporary files (idempotent). */
  dispose(): void;
}

/**
 * The harness in fresh interpreters, one ImportRunner per variant. `view` turns each raw outcome into
 * what the caller keeps (the model parses it: importtime/run.ts's parseOutcome).
 */
export class HarnessExecutor<T extends { result: HarnessResult | null }> implements Executor<T> {
  private readonly runners: ImportRunner[];

  constructor(
    specs: readonly RunSpec[],
    env: NodeJS.ProcessEnv,
    private readonly view: (raw: RunOutcome) => T,
  ) {
    this.runners = [];
    try {
      for (const s of specs) this.runners.push(new ImportRunner(s, env));
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  get variants(): number {
    return this.runners.length;
  }

  private runner(variant: number): ImportRunner {
    const r = this.runners[variant];
    if (!r) throw new RangeError(`no variant ${variant}`);
    return r;
  }

  isWarm(variant: number): boolean {
    return this.runner(variant).isWarm();
  }

  async run(variant: number, opts: { warmup: boolean; last: boolean }): Promise<T> {
    // the last run of each variant also reports where every module came from (the others skip that work)
    return this.view(await this.runner(variant).run({ warmup: opts.warmup, collect: opts.last }));
  }

  markWarm(variant: number, last: T): void {
    if (last.result) this.runner(variant).markWarm(last.result);
  }

  dispose(): void {
    for (const r of this.runners) r.dispose();
  }
}
