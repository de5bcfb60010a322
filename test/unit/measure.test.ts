// The gate's measurement policy (A B B A …) feeding the gate's decision, driven by a scripted executor:
// synthetic -X importtime runs through the same parsing and session code as a real profile, no Python.
import { describe, expect, it } from 'vitest';
import { schedule } from '../../src/benchmark/scheduler.js';
import { evaluateGates } from '../../src/gate/gates.js';
import { baseFromSession } from '../../src/gate/sides.js';
import type { GateOptions } from '../../src/gate/types.js';
import { gateWording } from '../../src/render/gate-text.js';
import type { ParsedRun } from '../../src/importtime/run.js';
import { sessionFromRuns } from '../../src/importtime/session.js';
import { gatePolicy } from '../../src/profile/runs.js';
import { MockExecutor } from '../support/mock-executor.js';
import { harnessRun, JITTER, RUN_CONTEXT } from '../support/sessions.js';

const opts: GateOptions = { forbid: [], budgetPackages: [], allowNew: [], maxRegressionPct: 10, minDeltaMs: 5, alpha: 0.01 };

/** Measure with the gate's policy and decide, as `profile --against` does. */
async function gate(ex: MockExecutor<ParsedRun>, runs = 8) {
  const [base = [], head = []] = await schedule(ex, gatePolicy({ runs, warmup: 'auto' }));
  const measured = (xs: ParsedRun[]) => sessionFromRuns(xs.filter((x) => !x.warmup), RUN_CONTEXT);
  return { base, head, result: evaluateGates(measured(head), baseFromSession(measured(base), 'main'), opts, gateWording) };
}

describe("the gate's measurement and decision without Python", () => {
  it('alternates which side goes first and warms only a cold side', async () => {
    const ex = new MockExecutor(2, (r) => harnessRun(r, { configUs: 20_000 }), [true, false]);
    const { base, head } = await gate(ex, 4);
    expect(ex.log.map((r) => `${r.variant ? 'head' : 'base'}${r.warmup ? '-warmup' : ''}`)).toEqual([
      'head-warmup',
      'base',
      'head',
      'head',
      'base',
      'base',
      'head',
      'head',
      'base',
    ]);
    expect(base.length).toBe(4);
    expect(head.length).toBe(5);
    // the head's cache was cold: marked warm from its last run; the base (a temporary checkout) never
    expect(ex.marked.map((m) => m.variant)).toEqual([1]);
  });

  it('a head 30 ms slower in app.config is a regression; the same code on both sides is not', async () => {
    const slower = await gate(new MockExecutor(2, (r) => harnessRun(r, { configUs: (r.variant ? 50_000 : 20_000) + (JITTER[r.n % 8] as number) }), [true, true]));
    expect(slower.result.comparison?.regression).toBe(true);
    expect(slower.result.passed).toBe(false);
    const same = await gate(new MockExecutor(2, (r) => harnessRun(r, { configUs: 20_000 + (JITTER[(r.n + r.variant * 3) % 8] as number) }), [true, true]));
    expect(same.result.comparison?.regression).toBe(false);
    expect(same.result.passed).toBe(true);
  });

  it("a side whose import fails stops the batch: that outcome is the last of its side", async () => {
    const ex = new MockExecutor(2, (r) => harnessRun(r, { configUs: 20_000 }, r.variant === 1 && r.n === 2), [true, true]);
    const [base = [], head = []] = await schedule(ex, gatePolicy({ runs: 8, warmup: 'auto' }));
    expect(head.at(-1)?.status).toBe('error');
    expect(head.length).toBe(3);
    expect(base.length).toBe(3);
    expect(ex.log.length).toBe(6);
  });
});
