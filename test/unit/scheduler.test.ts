// The interleaving scheduler driven by a scripted executor: order, warm-ups, the stop rule, warm-cache
// marking and interrupts, with no Python started.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { schedule, type SchedulePolicy } from '../../src/benchmark/scheduler.js';
import { MockExecutor, type MockRun } from '../support/mock-executor.js';

interface Out {
  tag: string;
  ok: boolean;
}

const tag = (r: MockRun): string => `${'AB'[r.variant]}${r.warmup ? 'w' : ''}${r.last ? '*' : ''}`;
const ok = (r: MockRun): Out => ({ tag: tag(r), ok: true });

function policy(p: Partial<SchedulePolicy<Out>> = {}): SchedulePolicy<Out> {
  return { order: 'ABAB', runs: 3, warmup: 0, stops: (o) => !o.ok, markWarm: () => true, ...p };
}

describe('schedule', () => {
  it('runs the warm-ups of every variant first, then the rounds in the policy order; the last measured run of each is flagged', async () => {
    const abab = new MockExecutor(2, ok);
    await schedule(abab, policy({ warmup: 1 }));
    expect(abab.log.map(tag)).toEqual(['Aw', 'Bw', 'A', 'B', 'A', 'B', 'A*', 'B*']);
    const abba = new MockExecutor(2, ok);
    const [a, b] = await schedule(abba, policy({ order: 'ABBA', runs: 4, warmup: 1 }));
    expect(abba.log.map(tag)).toEqual(['Aw', 'Bw', 'A', 'B', 'B', 'A', 'A', 'B', 'B*', 'A*']);
    // each variant's outcomes, warm-up first
    expect(a?.map((o) => o.tag)).toEqual(['Aw', 'A', 'A', 'A', 'A*']);
    expect(b?.map((o) => o.tag)).toEqual(['Bw', 'B', 'B', 'B', 'B*']);
  });

  it("'auto' warms up only the variants whose caches are cold", async () => {
    const ex = new MockExecutor(2, ok, [true, false]);
    await schedule(ex, policy({ warmup: 'auto', runs: 1 }));
    expect(ex.log.map(tag)).toEqual(['Bw', 'A*', 'B*']);
  });

  it('reports progress with the total known in advance', async () => {
    const seen: string[] = [];
    await schedule(new MockExecutor(2, ok), policy({ warmup: 1, runs: 2, onRun: (k, o, done, total) => seen.push(`${k}:${o.tag} ${done}/${total}`) }));
    expect(seen).toEqual(['0:Aw 1/6', '1:Bw 2/6', '0:A 3/6', '1:B 4/6', '0:A* 5/6', '1:B* 6/6']);
  });

  it('a run the stop rule flags ends the batch at once: nothing is marked warm, the executor is disposed', async () => {
    const ex = new MockExecutor(2, (r) => ({ tag: tag(r), ok: !(r.variant === 1 && r.n === 1) }));
    const [a, b] = await schedule(ex, policy({ runs: 5 }));
    expect(ex.log.map(tag)).toEqual(['A', 'B', 'A', 'B']);
    expect(a?.length).toBe(2);
    expect(b?.at(-1)?.ok).toBe(false);
    expect(ex.marked).toEqual([]);
    expect(ex.disposed).toBe(1);
  });

  it('a failed warm-up stops before any measured run', async () => {
    const ex = new MockExecutor(2, (r) => ({ tag: tag(r), ok: !r.warmup }));
    const out = await schedule(ex, policy({ warmup: 1 }));
    expect(ex.log.map(tag)).toEqual(['Aw']);
    expect(out.map((o) => o.length)).toEqual([1, 0]);
  });

  it('marks warm, from its last measured run, each variant the policy names', async () => {
    const ex = new MockExecutor(2, ok, [true, false]);
    await schedule(ex, policy({ warmup: 'auto', runs: 2, markWarm: (k, warmedUp) => k === 1 && warmedUp }));
    expect(ex.marked).toEqual([{ variant: 1, last: { tag: 'B*', ok: true } }]);
    const all = new MockExecutor(2, ok, [true, true]);
    await schedule(all, policy({ warmup: 'auto', runs: 2 }));
    expect(all.marked.map((m) => m.last.tag)).toEqual(['A*', 'B*']);
  });

  it('disposes the executor when a run throws', async () => {
    const ex = new MockExecutor(1, () => {
      throw new Error('spawn failed');
    });
    await expect(schedule(ex, policy())).rejects.toThrow('spawn failed');
    expect(ex.disposed).toBe(1);
  });
});

describe('schedule interrupted', () => {
  afterEach(() => vi.restoreAllMocks());

  it('Ctrl-C in the middle of a run disposes the executor and leaves with 130 (SIGTERM: 143)', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const ex = new MockExecutor(2, ok, [], (r) => r.variant === 1 && r.n === 0);
      const batch = schedule(ex, policy());
      await vi.waitFor(() => expect(ex.holding).toBe(true));
      const before = process.listenerCount(signal);
      expect(before).toBeGreaterThan(0);
      process.emit(signal, signal);
      expect(ex.disposed).toBe(1);
      expect(exit).toHaveBeenCalledWith(code);
      // process.exit is mocked: the batch goes on and finishes, leaving no handler behind
      ex.release();
      await batch;
      expect(process.listenerCount(signal)).toBe(before - 1);
      vi.restoreAllMocks();
    }
  });
});
