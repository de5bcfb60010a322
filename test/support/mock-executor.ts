// A scripted executor for the scheduler (as hyperfine's MockExecutor): no Python, no processes. Each run
// is answered by `script` and logged; a run can be held open until the test releases it.
import type { Executor } from '../../src/benchmark/executor.js';

export interface MockRun {
  variant: number;
  warmup: boolean;
  last: boolean;
  /** 0-based among this variant's runs. */
  n: number;
}

export class MockExecutor<T> implements Executor<T> {
  readonly log: MockRun[] = [];
  readonly marked: Array<{ variant: number; last: T }> = [];
  disposed = 0;
  private readonly counts: number[];
  private held: Array<() => void> = [];

  constructor(
    readonly variants: number,
    private readonly script: (run: MockRun) => T,
    private readonly warm: readonly boolean[] = [],
    /** Runs for which `run` waits until release() (to interrupt the batch in the middle of a run). */
    private readonly hold: (run: MockRun) => boolean = () => false,
  ) {
    this.counts = Array.from({ length: variants }, () => 0);
  }

  isWarm(variant: number): boolean {
    return this.warm[variant] ?? false;
  }

  async run(variant: number, opts: { warmup: boolean; last: boolean }): Promise<T> {
    const run: MockRun = { variant, ...opts, n: (this.counts[variant] as number)++ };
    this.log.push(run);
    if (this.hold(run)) await new Promise<void>((resolve) => this.held.push(resolve));
    return this.script(run);
  }

  /** Whether a run is waiting for release(). */
  get holding(): boolean {
    return this.held.length > 0;
  }

  release(): void {
    for (const r of this.held.splice(0)) r();
  }

  markWarm(variant: number, last: T): void {
    this.marked.push({ variant, last });
  }

  dispose(): void {
    this.disposed++;
  }
}
