// The gates on deterministic sessions (synthetic -X importtime runs with known costs).
import { describe, expect, it } from 'vitest';
import { confirmTiming, needsSecondBatch } from '../../src/gate/confirm.js';
import { evaluateGates as evaluate, gateWithConfirmation as withConfirmation } from '../../src/gate/gates.js';
import { chainOf } from '../../src/gate/modules.js';
import { baseFromSession } from '../../src/gate/sides.js';
import { DEFAULT_ALPHA, type GateOptions, type GateResult, type Measured } from '../../src/gate/types.js';
import { gateWording } from '../../src/render/gate-text.js';
import { runsOf, session } from '../support/sessions.js';

// the gate with the wording the CLI gives it
const evaluateGates = (head: Measured['head'], base: Measured['base'], o: GateOptions): GateResult => evaluate(head, base, o, gateWording);
const gateWithConfirmation = (first: Measured, o: GateOptions, again: (() => Promise<Measured>) | null): Promise<GateResult> =>
  withConfirmation(first, o, again, gateWording);

const opts = (o: Partial<GateOptions> = {}): GateOptions => ({
  forbid: [],
  budgetPackages: [],
  allowNew: [],
  maxRegressionPct: 10,
  minDeltaMs: 5,
  alpha: DEFAULT_ALPHA,
  ...o,
});

describe('module patterns (--forbid, --allow-new)', () => {
  // handler → app.db → csv, app.db → pandas → pandas.core, handler → app.config, handler → pandasql
  const head = session(runsOf(3, 20_000, undefined, { pandas: true, extra: ['pandasql'] }));
  const hits = (patterns: string[]): Array<[string, string]> =>
    evaluateGates(head, null, opts({ forbid: patterns })).failures.map((f) => [f.module ?? '', f.chain?.join(' ') ?? '']);

  it('a plain name covers the module and its submodules, not a longer name', () => {
    expect(hits(['pandas'])).toEqual([['pandas', 'handler app.db pandas']]);
    expect(hits(['app'])).toEqual([['app.db', 'handler app.db']]);
    expect(hits(['pand', 'app.d', 'handler.db'])).toEqual([]);
  });

  it('* spans any characters, dots included; ? is one character', () => {
    expect(hits(['*.core'])).toEqual([['pandas.core', 'handler app.db pandas pandas.core']]);
    expect(hits(['pandas?*'])).toEqual([['pandasql', 'handler pandasql']]);
    expect(hits(['app.?b'])).toEqual([['app.db', 'handler app.db']]);
    expect(hits(['app.c?', 'x*'])).toEqual([]);
  });
});

describe('deterministic gates', () => {
  const head = session(runsOf(5, 20_000, undefined, { pandas: true }));

  it('forbid: fails with the import chain that pulled the module in, outermost occurrence first', () => {
    const r = evaluateGates(head, null, opts({ forbid: ['pandas', 'numpy'] }));
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([
      {
        kind: 'forbid',
        module: 'pandas',
        message: 'forbidden module pandas is imported at init: handler → app.db → pandas',
        chain: ['handler', 'app.db', 'pandas'],
      },
    ]);
    expect(r.checks.map((c) => [c.label, c.passed])).toEqual([
      ['forbid pandas', false],
      ['forbid numpy', true],
    ]);
    const pandasCore = head.aggregate.modules.find((m) => m.name === 'pandas.core');
    expect(pandasCore && chainOf(pandasCore)).toEqual(['handler', 'app.db', 'pandas', 'pandas.core']);
  });

  it('max-modules: counts the modules imported at init', () => {
    expect(evaluateGates(head, null, opts({ maxModules: 6 })).passed).toBe(true);
    const r = evaluateGates(head, null, opts({ maxModules: 5 }));
    expect(r.failures).toEqual([
      { kind: 'max-modules', module: null, message: 'the handler imports 6 modules at init, more than the limit of 5', chain: null },
    ]);
  });

  it('new packages and modules against a base, one failure per new package, --allow-new accepted', () => {
    const base = baseFromSession(session(runsOf(5, 20_000)), 'baseline b.json');
    const withNew = session(runsOf(5, 20_000, undefined, { pandas: true, extra: ['app.cache'] }));
    const r = evaluateGates(withNew, base, opts());
    expect(r.failures.filter((f) => f.kind === 'new-module').map((f) => [f.kind, f.module, f.message])).toEqual([
      ['new-module', 'pandas', 'new package pandas at init (2 modules): handler → app.db → pandas'],
      ['new-module', 'app.cache', 'new module app.cache at init: handler → app.cache'],
    ]);
    expect(evaluateGates(withNew, base, opts({ allowNew: ['pandas', 'app.cache'] })).failures.filter((f) => f.kind === 'new-module')).toEqual([]);
  });

  it('a module Python looked for and did not find (an optional-dependency probe) is never new', () => {
    const base = baseFromSession(session(runsOf(5, 20_000)), 'base');
    // xml.dom.domreg tries `import org` (Jython's): the failed import still prints an import-time line
    const probing = session(runsOf(5, 20_000, undefined, { extra: ['org', 'app.cache'] }));
    probing.missing = ['org'];
    const r = evaluateGates(probing, base, opts());
    expect(r.failures.filter((f) => f.kind === 'new-module').map((f) => f.module)).toEqual(['app.cache']);
    expect(r.comparison?.newModules).toEqual(['app.cache']);
    // and a probe the base made, gone from the head, is not a removed module
    const baseProbing = session(runsOf(5, 20_000, undefined, { extra: ['org'] }));
    baseProbing.missing = ['org'];
    expect(evaluateGates(session(runsOf(5, 20_000)), baseFromSession(baseProbing, 'base'), opts()).comparison?.removedModules).toEqual([]);
  });

  it('a module seen in fewer than half of the runs is not "new" (it is noise, not a change)', () => {
    const base = baseFromSession(session(runsOf(4, 20_000)), 'base');
    const runs = runsOf(4, 20_000);
    (runs[0] as { extra?: string[] }).extra = ['flaky'];
    expect(evaluateGates(session(runs), base, opts()).failures).toEqual([]);
  });
});

describe('timing gates', () => {
  it('budget and budget-package: the median against the limit', () => {
    const s = session(runsOf(5, 20_000));
    // handler = 500 + app.db 30 900 + app.config ~20 000 ≈ 51.5 ms
    const total = s.aggregate.totalUs.median / 1000;
    expect(evaluateGates(s, null, opts({ budgetMs: Math.ceil(total) })).passed).toBe(true);
    const r = evaluateGates(s, null, opts({ budgetMs: 40, budgetPackages: [{ name: 'app', ms: 10 }, { name: 'pandas', ms: 1 }] }));
    expect(r.failures.map((f) => [f.kind, f.module])).toEqual([
      ['budget', null],
      ['budget-package', 'app'],
    ]);
    expect(r.failures[0]?.message).toBe(`the handler's import takes ${total.toFixed(1)} ms (median of 5 runs), over the budget of 40 ms`);
    expect(r.checks.find((c) => c.key === 'budget-package:pandas')?.measured).toBe('not imported');
  });

  it('regression: fails when the median rose ≥ 10 %, ≥ 5 ms and significantly, and names the module', () => {
    const base = baseFromSession(session(runsOf(10, 20_000)), 'main (1234567)');
    const r = evaluateGates(session(runsOf(10, 45_000)), base, opts());
    expect(r.passed).toBe(false);
    const c = r.comparison;
    expect(c?.regression).toBe(true);
    expect(c?.deltaUs).toBe(25_000);
    expect(c?.p).toBeLessThan(0.001);
    expect(c?.changes[0]).toEqual({ name: 'app.config', baseSelfUs: 20_150, headSelfUs: 45_150, deltaUs: 25_000, status: 'changed' });
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]?.module).toBe('app.config');
    expect(r.failures[0]?.chain).toEqual(['handler', 'app.config']);
    expect(r.failures[0]?.message).toMatch(/^the handler's import got slower than main \(1234567\): 51\.5 → 76\.5 ms \(\+25\.0 ms, \+48\.5%, p < 0\.0001\), past \+10% and \+5 ms; biggest change: app\.config \+25\.0 ms self time$/);
  });

  it('regression: each of the three conditions alone is not enough', () => {
    const base = baseFromSession(session(runsOf(10, 20_000)), 'base');
    // significant and +4 ms: under --min-delta
    expect(evaluateGates(session(runsOf(10, 24_000)), base, opts()).passed).toBe(true);
    // +25 ms but under a 50 % --max-regression
    expect(evaluateGates(session(runsOf(10, 45_000)), base, opts({ maxRegressionPct: 50 })).passed).toBe(true);
    // large but not significant: 3 runs a side cannot reach p < 0.01
    const few = baseFromSession(session(runsOf(3, 20_000)), 'base');
    const r = evaluateGates(session(runsOf(3, 45_000)), few, opts());
    expect(r.comparison?.deltaUs).toBe(25_000);
    expect(r.comparison?.significant).toBe(false);
    expect(r.passed).toBe(true);
    // …which is why such a batch asks for a second one
    expect(needsSecondBatch(r, opts())).toBe(true);
  });

  it('brings both sides to the same machine speed with the per-run control', () => {
    // the import grows 0.4 ms per ms of control (start-up) within each side
    const baseControl = [50_000, 60_000, 55_000, 52_000, 58_000, 51_000, 57_000, 53_000, 59_000, 54_000];
    const runsAt = (xs: number[], configUs = 20_000) => xs.map((x) => ({ configUs: configUs + 0.4 * (x - 50_000) }));
    const base = baseFromSession(session(runsAt(baseControl), baseControl), 'baseline');
    // the machine was 30 ms slower for the head: raw +12 ms (+23 %), significant — not a regression
    const slower = baseControl.map((x) => x + 30_000);
    const r = evaluateGates(session(runsAt(slower), slower), base, opts());
    expect((r.comparison?.raw.head.median ?? 0) - (r.comparison?.raw.base.median ?? 0)).toBeCloseTo(12_000, 6);
    expect(r.comparison?.adjustment?.slope).toBeCloseTo(0.4, 6);
    expect(Math.abs(r.comparison?.deltaUs ?? 1)).toBeLessThan(1);
    expect(r.passed).toBe(true);
    // a real +25 ms regression on the slower machine is still caught, at its true size
    const regressed = evaluateGates(session(runsAt(slower, 45_000), slower), base, opts());
    expect(regressed.comparison?.regression).toBe(true);
    expect(regressed.comparison?.deltaUs).toBeCloseTo(25_000, 3);
  });

  it('counts standard-library modules at their pooled median: their noise is the machine\'s', () => {
    // csv's self time swings between runs (a busy machine) on the head only
    const base = baseFromSession({ ...session(runsOf(10, 20_000)), stdlibSelfUsPerRun: new Map([['csv', Array(10).fill(900)]]) }, 'baseline');
    const noisy = [30_900, 900, 25_900, 900, 28_900, 900, 900, 27_900, 26_900, 29_900];
    const head = session(runsOf(10, 20_000));
    const totals = head.aggregate.totalsUs.map((t, i) => t - 900 + (noisy[i] as number));
    const busy = { ...head, aggregate: { ...head.aggregate, totalsUs: totals }, stdlibSelfUsPerRun: new Map([['csv', noisy]]) };
    const r = evaluateGates(busy, base, opts());
    expect(r.comparison?.adjustment).toEqual({ slope: 0, referenceUs: 0, stdlibModules: 1, stdlibUs: 900 });
    expect(r.comparison?.deltaUs).toBe(0);
    expect(r.passed).toBe(true);
  });
});

describe('the second batch', () => {
  const base = baseFromSession(session(runsOf(10, 20_000)), 'base');

  it('a budget fails only when both batches fail it', () => {
    const o = opts({ budgetMs: 60 });
    const slow = evaluateGates(session(runsOf(5, 30_000)), null, o);
    const fast = evaluateGates(session(runsOf(5, 20_000)), null, o);
    expect(slow.passed).toBe(false);
    const dismissed = confirmTiming(slow, fast, null, 5, o, gateWording);
    expect(dismissed.passed).toBe(true);
    expect(dismissed.confirmation).toEqual({ runs: 5, confirmed: [], dismissed: ['budget'] });
    expect(dismissed.checks[0]?.unconfirmed).toBe(true);
    const confirmed = confirmTiming(slow, slow, null, 5, o, gateWording);
    expect(confirmed.passed).toBe(false);
    expect(confirmed.failures.map((f) => f.kind)).toEqual(['budget']);
  });

  it('a regression seen in one batch only (a busy spell) is dismissed; a real one is confirmed on both batches pooled', async () => {
    const o = opts();
    const spell = await gateWithConfirmation({ head: session(runsOf(10, 45_000)), base }, o, async () => ({ head: session(runsOf(10, 20_000)), base }));
    expect(spell.passed).toBe(true);
    expect(spell.confirmation?.dismissed).toEqual(['regression']);
    const real = await gateWithConfirmation({ head: session(runsOf(10, 45_000)), base }, o, async () => ({ head: session(runsOf(10, 45_000)), base }));
    expect(real.passed).toBe(false);
    expect(real.confirmation?.confirmed).toEqual(['regression']);
    expect(real.comparison?.head.n).toBe(20);
    expect(real.failures.map((f) => f.kind)).toEqual(['regression']);
  });

  it('no second batch for a clear pass, nor without a way to measure again', async () => {
    let measured = 0;
    const r = await gateWithConfirmation({ head: session(runsOf(10, 20_000)), base }, opts(), async () => {
      measured++;
      return { head: session(runsOf(10, 20_000)), base };
    });
    expect(r.passed).toBe(true);
    expect(measured).toBe(0);
    expect(r.confirmation).toBeNull();
    const once = await gateWithConfirmation({ head: session(runsOf(10, 45_000)), base }, opts(), null);
    expect(once.passed).toBe(false);
    expect(once.confirmation).toBeNull();
  });
});
