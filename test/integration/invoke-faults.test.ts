// `invoke` against functions that fail, are throttled, log heavily or restore snapshots: every figure is
// checked against the emulator's own record of what happened (kinds, statuses, counts, billed sums), in
// both log formats.
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recoveryPath } from '../../src/aws/recovery.js';
import { runInvoke } from '../../src/commands/invoke.js';
import { runRestore } from '../../src/commands/restore.js';
import { capture, FIXTURES, tempDir, setEnv, FAKE_AWS_ENV } from '../support/harness.js';
import { findPython, LambdaEmulator, type EmulatedInvocation } from '../support/lambda-emulator.js';
import { rmSync } from 'node:fs';

let em: LambdaEmulator;
let cache: string;
let restoreEnv: () => void = () => undefined;
const ENV = { ...FAKE_AWS_ENV };
const FORMATS = ['Text', 'JSON'] as const;

beforeAll(async () => {
  cache = tempDir('lc-invoke-faults-');
  restoreEnv = setEnv({ ...ENV, XDG_CACHE_HOME: cache });
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 0, updateDelayMs: 100 });
  await em.start();
  for (const logFormat of FORMATS) {
    const env = { INIT_SLEEP_MS: '200' };
    em.addFunction({ name: `crashy-${logFormat}`, codeDir: FIXTURES, handler: 'hello.handler', logFormat, environment: env, faults: { every: 3, kind: 'crash' } });
    em.addFunction({ name: `hangs-${logFormat}`, codeDir: FIXTURES, handler: 'hello.handler', logFormat, timeout: 1, environment: env, faults: { every: 2, kind: 'timeout' } });
    em.addFunction({ name: `snap-${logFormat}`, codeDir: FIXTURES, handler: 'hello.handler', logFormat, environment: env, aliases: { live: '3' }, snapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' } });
  }
  // INIT 400 ms (sleeping): no request of a round can find another's environment already free.
  em.addFunction({ name: 'limited', codeDir: FIXTURES, handler: 'hello.handler', reservedConcurrency: 2, environment: { INIT_SLEEP_MS: '400' } });
  em.addFunction({ name: 'crashy-report', codeDir: FIXTURES, handler: 'hello.handler', environment: { INIT_SLEEP_MS: '50' }, faults: { every: 3, kind: 'crash' } });
  em.addFunction({ name: 'snap-report', codeDir: FIXTURES, handler: 'hello.handler', aliases: { live: '3' }, snapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' } });
  em.addFunction({ name: 'noisy', codeDir: FIXTURES, handler: 'noisy.handler' });
  em.addFunction({ name: 'kept', codeDir: FIXTURES, handler: 'hello.handler', environment: { STAGE: 'prod' } });
});

afterAll(async () => {
  await em?.stop();
  restoreEnv();
  rmSync(cache, { recursive: true, force: true });
});

afterEach(() => {
  em.onInvoke = null;
  em.throttleInvokes(0);
  em.throttleFilterLogEvents(0);
});

interface Stat {
  n: number;
  p50: number;
  values: number[] | null;
}
interface Doc {
  forced: { updates: number; restore: string };
  invocations: {
    requestId: string;
    kind: string;
    cold: boolean;
    status: string;
    initDurationMs: number | null;
    restoreDurationMs: number | null;
    durationMs: number | null;
    billedDurationMs: number | null;
    source: string;
  }[];
  summary: {
    count: number;
    cold: { count: number; initDurationMs: Stat | null; restore: { count: number; restoreDurationMs: Stat | null }; totalMs: Stat | null };
    warm: { count: number; failed: number; durationMs: Stat | null };
    reinit: { count: number; initDurationMs: Stat | null };
    unknown: number;
    errors: number;
    timeouts: number;
    coldPenaltyMs: Stat | null;
    cost: { total: { billedMs: number }; cold: { billedMs: number }; reinit: { billedMs: number } };
  };
}

const BASE = { count: '6', concurrency: '1', logsTimeout: '10', maxRetries: '5', logs: true, json: true };

async function invoke(fn: string, opts: Record<string, unknown> = {}, on: LambdaEmulator = em): Promise<{ code: number; doc: Doc; stderr: string; stdout: string }> {
  const c = capture();
  const code = await runInvoke(fn, { ...BASE, endpointUrl: on.url, ...opts }, c.output);
  const stdout = c.stdout();
  return { code, doc: (opts.json === false ? null : JSON.parse(stdout)) as Doc, stderr: c.stderr(), stdout };
}

/** The emulator's kind in the tool's vocabulary: a SnapStart restore is a cold start. */
const toolKind = (t: EmulatedInvocation): string => (t.kind === 'restore' ? 'cold' : t.kind);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const r2 = (x: number): number => Math.round(x * 100) / 100;

/** Every figure of the document against the emulator's record of the same invocations. */
function checkAgainstTruth(doc: Doc, truth: EmulatedInvocation[]): void {
  expect(doc.invocations.map((i) => [i.requestId, i.kind, i.status, i.billedDurationMs])).toEqual(truth.map((t) => [t.requestId, toolKind(t), t.status, t.billedMs]));
  const s = doc.summary;
  const cold = truth.filter((t) => t.kind === 'cold' || t.kind === 'restore');
  const reinit = truth.filter((t) => t.kind === 're-init');
  const okWarm = truth.filter((t) => t.kind === 'warm' && t.status === 'success');
  expect(s.cold.count).toBe(cold.length);
  expect(s.reinit.count).toBe(reinit.length);
  expect(s.warm).toMatchObject({ count: okWarm.length, failed: truth.filter((t) => t.kind === 'warm').length - okWarm.length });
  expect(s.errors).toBe(truth.filter((t) => t.status === 'error').length);
  expect(s.timeouts).toBe(truth.filter((t) => t.status === 'timeout').length);
  // Nothing counted twice: the billed sums are the REPORTs' own.
  expect(s.cost.total.billedMs).toBe(sum(truth.map((t) => t.billedMs + (t.billedRestoreMs ?? 0))));
  expect(s.cost.reinit.billedMs).toBe(sum(reinit.map((t) => t.billedMs)));
  if (reinit.length) expect(s.reinit.initDurationMs?.n).toBe(reinit.length);
  const inits = cold.filter((t) => t.initMs !== null).map((t) => t.initMs as number);
  if (inits.length) expect(s.cold.initDurationMs).toMatchObject({ n: inits.length, p50: r2(median(inits)) });
  else expect(s.cold.initDurationMs).toBeNull();
  // The penalty: each successful cold start's total against the median of the successful warm ones.
  if (okWarm.length && cold.some((t) => t.status === 'success')) {
    const warmMedian = median(okWarm.map((t) => t.durationMs));
    const penalties = cold.filter((t) => t.status === 'success').map((t) => (t.initMs ?? t.restoreMs ?? 0) + t.durationMs - warmMedian);
    expect(s.coldPenaltyMs).toMatchObject({ n: penalties.length, p50: r2(median(penalties)) });
  }
}

describe('failures: a re-init is its own kind, never a cold start', () => {
  for (const logFormat of FORMATS) {
    it(`a runtime crashing every third call (${logFormat} logs): one cold start, the re-inits apart`, async () => {
      const name = `crashy-${logFormat}`;
      const { code, doc } = await invoke(name, { count: '9' });
      expect(code).toBe(0);
      const truth = em.invocationsOf(name);
      expect(truth.map((t) => t.kind)).toEqual(['cold', 'warm', 'warm', 're-init', 'warm', 'warm', 're-init', 'warm', 'warm']);
      checkAgainstTruth(doc, truth);
      expect(doc.summary.cold.count).toBe(1);
      expect(doc.invocations.filter((i) => i.kind === 're-init').every((i) => !i.cold && i.status === 'success')).toBe(true);
    });

    it(`timeouts (${logFormat} logs): timed-out warm calls stay out of the warm latency; the next call re-inits`, async () => {
      const name = `hangs-${logFormat}`;
      const { doc } = await invoke(name, { count: '4' });
      const truth = em.invocationsOf(name);
      expect(truth.map((t) => [t.kind, t.status])).toEqual([
        ['cold', 'success'],
        ['warm', 'timeout'],
        ['re-init', 'success'],
        ['warm', 'timeout'],
      ]);
      checkAgainstTruth(doc, truth);
    });
  }

  it('says it in the report: re-inits on their own line, sets under 5 as values', async () => {
    const { stdout } = await invoke('crashy-report', { count: '4', json: false });
    expect(stdout).toMatch(/cold starts +1 of 4 \(25 %\)/);
    expect(stdout).toMatch(/re-inits +1 after a timeout or crash \(not cold starts\); init n=1: \d+\.\d\d/);
    expect(stdout).toMatch(/init ms +n=1: \d+\.\d\d/);
    expect(stdout).toMatch(/Billed Duration already includes/);
  });
});

describe('--cold on a function limited to 2 concurrent executions', () => {
  it('caps --concurrency at the reserved concurrency: every sample cold, no throttling, one update per 2 samples', async () => {
    const before = { ...em.stats };
    const { code, doc, stderr } = await invoke('limited', { count: '6', concurrency: '4', cold: true });
    expect(code).toBe(0);
    expect(stderr).toMatch(/reserved concurrency of 2: --concurrency 4 is capped at 2/);
    const truth = em.invocationsOf('limited');
    checkAgainstTruth(doc, truth);
    expect(doc.summary.cold.count).toBe(6);
    expect(doc.invocations.every((i) => i.kind === 'cold')).toBe(true);
    expect(doc.forced).toMatchObject({ updates: 3, restore: 'restored' });
    expect(em.stats.updates - before.updates).toBe(4);
    expect(em.stats.throttled - before.throttled).toBe(0);
  });

  it('a throttled request is not retried into its round; the next round makes up for it after Retry-After', async () => {
    const before = { ...em.stats };
    const seen = em.invocationsOf('limited').length;
    em.throttleInvokes(1, 1);
    const { code, doc, stderr } = await invoke('limited', { count: '4', concurrency: '2', cold: true });
    expect(code).toBe(0);
    expect(stderr).toMatch(/update 1: 1 of 2 invocations throttled \(429\); the next round makes up for them/);
    const truth = em.invocationsOf('limited').slice(seen);
    checkAgainstTruth(doc, truth);
    expect(truth.every((t) => t.kind === 'cold')).toBe(true);
    expect(doc.invocations).toHaveLength(4);
    expect(em.stats.throttled - before.throttled).toBe(1);
    expect(em.stats.invokes - before.invokes).toBe(4);
    expect(doc.forced.updates).toBe(3);
  });
});

describe('heavy logging and throttled CloudWatch', () => {
  it('keeps every sample whose tail had its REPORT without reading CloudWatch, even while it throttles', async () => {
    em.throttleFilterLogEvents(Infinity);
    const before = em.stats.filterLogEvents;
    const seen = em.invocationsOf('noisy').length;
    const { code, doc } = await invoke('noisy', { count: '4', concurrency: '2', cold: true });
    expect(code).toBe(0);
    checkAgainstTruth(doc, em.invocationsOf('noisy').slice(seen));
    expect(doc.summary.cold.count).toBe(4);
    expect(em.stats.filterLogEvents).toBe(before);
  });

  it('backs off a throttled FilterLogEvents and batches request ids; if it stays throttled, keeps the run and says so', async () => {
    const cut = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 0, tailBytes: 40 });
    await cut.start();
    try {
      cut.addFunction({ name: 'cut', codeDir: FIXTURES, handler: 'hello.handler', environment: { INIT_SLEEP_MS: '50' } });
      cut.throttleFilterLogEvents(3);
      const r = await invoke('cut', { count: '12' }, cut);
      expect(r.code).toBe(0);
      checkAgainstTruth(r.doc, cut.invocationsOf('cut'));
      expect(r.doc.invocations.every((i) => i.source === 'cloudwatch')).toBe(true);
      // 12 ids whose tail lacks the REPORT: 2 calls (10 ids each at most), plus the 3 throttled ones.
      expect(cut.stats.logsThrottled).toBe(3);
      expect(cut.stats.filterLogEvents - cut.stats.logsThrottled).toBe(2);

      cut.throttleFilterLogEvents(Infinity);
      const stuck = await invoke('cut', { count: '3', logsTimeout: '2' }, cut);
      expect(stuck.code).toBe(0);
      expect(stuck.stderr).toMatch(/CloudWatch Logs stayed unavailable \(AWS kept throttling FilterLogEvents.*\): kept the 0 invocation\(s\) whose tail had their REPORT; 3 without a REPORT are marked unknown\./);
      expect(stuck.doc.invocations.map((i) => i.kind)).toEqual(['unknown', 'unknown', 'unknown']);
      expect(stuck.doc.summary.unknown).toBe(3);
    } finally {
      await cut.stop();
    }
  });
});

describe('SnapStart', () => {
  for (const logFormat of FORMATS) {
    it(`restores are cold starts with their own figures, the same in rows and summary (${logFormat} logs)`, async () => {
      const name = `snap-${logFormat}`;
      const { doc } = await invoke(`${name}:live`, { count: '3' });
      const truth = em.invocationsOf(name);
      expect(truth.map((t) => t.kind)).toEqual(['restore', 'warm', 'warm']);
      checkAgainstTruth(doc, truth);
      expect(doc.invocations[0]).toMatchObject({ kind: 'cold', restoreDurationMs: truth[0]!.restoreMs, initDurationMs: null });
      expect(doc.summary.cold.restore).toMatchObject({ count: 1, restoreDurationMs: { n: 1, values: [truth[0]!.restoreMs] } });
    });
  }

  it('prints restore ms in the summary, and restore in the row', async () => {
    const { stdout } = await invoke('snap-report:live', { count: '2', json: false });
    expect(stdout).toMatch(/restore ms +n=1: \d+\.\d\d/);
    expect(stdout).toMatch(/^ *1 +restore +- +\d+ +\d+\.\d\d /m);
  });
});

describe('small things', () => {
  it('fn:$LATEST works as --qualifier $LATEST does, --cold included', async () => {
    const { code, doc } = await invoke('kept:$LATEST', { count: '1', cold: true });
    expect(code).toBe(0);
    expect(doc.forced.restore).toBe('restored');
    expect(existsSync(recoveryPath('kept', 'us-east-1'))).toBe(false);
  });

  it('names a nonce left on the function after a concurrent deploy, and removes it alone on request', async () => {
    em.onInvoke = (fn) => {
      if (fn !== 'kept') return;
      em.onInvoke = null;
      // A deploy that read the environment mid-run (nonce included) and added a variable.
      const vars = (em.configuration('kept').Environment as { Variables: Record<string, string> }).Variables;
      em.deploy('kept', { environment: { ...vars, FEATURE: 'on' } });
    };
    const { code, stderr } = await invoke('kept', { count: '2', cold: true });
    expect(code).toBe(2);
    expect(stderr).toMatch(/LAMBDA_COLD_NONCE, the variable lambda-cold set, is still on kept .*`lambda-cold restore kept --remove-nonce`/);
    const c = capture();
    expect(await runRestore('kept', { endpointUrl: em.url, removeNonce: true }, c.output)).toBe(0);
    expect(em.configuration('kept').Environment).toEqual({ Variables: { STAGE: 'prod', FEATURE: 'on' } });
    expect(existsSync(recoveryPath('kept', 'us-east-1'))).toBe(false);
  });
});
