// `invoke --cold --memory` against the local Lambda emulator, with its init-boost model on (cpuModel
// 'init-boost', test/support/lambda-emulator.ts): the init runs at full speed whatever MemorySize, the invoke
// phase (the handler, a re-init after a crash) really runs 1769 / MB times slower below 1,769 MB — the
// emulator sleeps the difference and reports Duration = measured × 1769 / MB. The handler (deferred.py)
// pays FIRST_CALL_MS on each environment's first call, as a deferred import would. Every row is checked
// against the emulator's record of every cold start (its memory size, init and duration) and of every
// UpdateFunctionConfiguration; the restore of MemorySize and Environment after interrupts, a deploy,
// throttling and errors.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import { ColdForcer } from '../../src/aws/cold.js';
import { getConfiguration } from '../../src/aws/lambda.js';
import { recoveryPath } from '../../src/aws/recovery.js';
import { runInvoke } from '../../src/commands/invoke.js';
import { runRestore } from '../../src/commands/restore.js';
import { UserError } from '../../src/util/errors.js';
import { NODE_STACK, runCli, startCli } from '../support/cli.js';
import { capture, cliEnv, ensureBuilt, FAKE_AWS_ENV, FIXTURES, setEnv, tempDir } from '../support/harness.js';
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

let em: LambdaEmulator;
let cache: string;
let restoreEnv: () => void = () => undefined;
// INIT 400 ms (sleeping): no request of a round finds another's environment already free on a loaded machine.
const ENV = { STAGE: 'prod', SECRET_TOKEN: 's3cr3t-value', INIT_SLEEP_MS: '400', FIRST_CALL_MS: '40' };
const fnSpec = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  codeDir: FIXTURES,
  handler: 'deferred.handler',
  cpuModel: 'init-boost' as const,
  memorySize: 1024,
  environment: ENV,
  ...extra,
});

beforeAll(async () => {
  ensureBuilt();
  cache = tempDir('lc-invoke-memory-');
  restoreEnv = setEnv({ ...FAKE_AWS_ENV, XDG_CACHE_HOME: cache });
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 0, updateDelayMs: 150 });
  await em.start();
  for (const name of ['sweep', 'intr', 'deployed', 'throttled', 'kept']) em.addFunction(fnSpec(name));
  em.addFunction(fnSpec('fails', { handler: 'fails.handler' }));
});

afterAll(async () => {
  await em?.stop();
  restoreEnv();
  rmSync(cache, { recursive: true, force: true });
});

afterEach(() => {
  em.onInvoke = null;
  em.throttleInvokes(0);
  em.updateDelayMs = 150;
});

type Stat = { n: number; p50: number; p90: number } | null;
interface Row {
  memorySizeMB: number;
  coldSamples: number;
  initDurationMs: Stat;
  firstCallMs: Stat;
  coldTotalMs: Stat;
  warmDurationMs: Stat;
  billedMsPerColdStart: number | null;
  costPerMillionUsd: number | null;
  failedColdStarts: number;
  errors: number;
  updates: number;
}
interface Doc {
  schemaVersion: number;
  kind: string;
  function: string;
  sizes: Row[];
  initBoost: { initRatio: number | null; firstCallRatio: number | null; held: boolean | null; sentence: string };
  recommendation: { memorySizeMB: number; fastestMemorySizeMB: number; reason: string } | null;
  forced: { updates: number; restore: string; recoveryFile: string | null };
  interrupted: boolean;
  stoppedBy: string | null;
}

const BASE = { count: '2', concurrency: '2', logsTimeout: '10', maxRetries: '5', logs: true, json: true, cold: true };

async function sweep(fn: string, opts: Record<string, unknown>): Promise<{ code: number; doc: Doc; stderr: string }> {
  const c = capture();
  const code = await runInvoke(fn, { ...BASE, endpointUrl: em.url, ...opts }, c.output);
  return { code, doc: JSON.parse(c.stdout()) as Doc, stderr: c.stderr() };
}

async function refused(fn: string, opts: Record<string, unknown>): Promise<string> {
  const c = capture();
  try {
    await runInvoke(fn, { ...BASE, endpointUrl: em.url, ...opts }, c.output);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error(`expected invoke ${fn} ${JSON.stringify(opts)} to be refused`);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const r2 = (x: number): number => Math.round(x * 100) / 100;
const updatesOf = (fn: string) => em.updates.filter((u) => u.function === fn);
/** What every function here starts with, and gets back. */
const original = (_fn: string) => ({ MemorySize: 1024, Environment: { Variables: ENV } });
const memoryAndEnv = (fn: string) => {
  const c = em.configuration(fn);
  return { MemorySize: c.MemorySize, Environment: c.Environment };
};
const recoveryFiles = (): string[] => {
  const dir = join(cache, 'lambda-cold', 'recovery');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('the sweep', () => {
  it("one row per size in the order given, every figure from the emulator's record of the cold starts", async () => {
    const seen = em.invocationsOf('sweep').length;
    const { code, doc, stderr } = await sweep('sweep', { memory: '1769,128', count: '4', warm: '2' });
    expect(code).toBe(0);
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'invoke-memory', function: 'sweep', interrupted: false, stoppedBy: null });
    expect(doc.sizes.map((s) => s.memorySizeMB)).toEqual([1769, 128]);
    const truth = em.invocationsOf('sweep').slice(seen);
    for (const row of doc.sizes) {
      // (the emulator's record of this run, at this size)
      const at = truth.filter((t) => t.memorySizeMB === row.memorySizeMB);
      const cold = at.filter((t) => t.kind === 'cold' && t.status === 'success');
      const warm = at.filter((t) => t.kind === 'warm' && t.status === 'success');
      expect(cold).toHaveLength(4);
      expect(warm).toHaveLength(2);
      // the model: the invoke phase at the CPU share, the init at full speed
      expect(at.every((t) => t.cpuShare === Math.min(1, row.memorySizeMB / 1769))).toBe(true);
      const inits = cold.map((t) => t.initMs as number);
      const firsts = cold.map((t) => t.durationMs);
      expect(row.coldSamples).toBe(4);
      expect(row.initDurationMs).toMatchObject({ n: 4, p50: r2(median(inits)) });
      expect(row.firstCallMs).toMatchObject({ n: 4, p50: r2(median(firsts)) });
      expect(row.coldTotalMs).toMatchObject({ n: 4, p50: r2(median(cold.map((t) => (t.initMs as number) + t.durationMs))) });
      expect(row.warmDurationMs).toMatchObject({ n: 2, p50: r2(median(warm.map((t) => t.durationMs))) });
      expect(row.billedMsPerColdStart).toBe(r2(cold.reduce((a, t) => a + t.billedMs, 0) / 4));
      // --count 4 --concurrency 2: two updates at each size
      expect(row.updates).toBe(2);
    }
    const [r1769, r128] = doc.sizes as [Row, Row];
    expect(doc.initBoost.initRatio).toBe(r2((r128.initDurationMs?.p50 as number) / (r1769.initDurationMs?.p50 as number)));
    expect(doc.initBoost.firstCallRatio).toBe(r2((r128.firstCallMs?.p50 as number) / (r1769.firstCallMs?.p50 as number)));
    // The emulator's model holds the init flat and scales the first call by 1769/128: the sentence says it held.
    expect(doc.initBoost.held).toBe(true);
    expect(doc.initBoost.sentence).toMatch(/^The init boost held: init p50 stayed flat between 128 MB and 1769 MB/);
    // The fastest is the size with the lowest cold total; the recommended one is within 10 % of it, and no size
    // within 10 % costs less per million.
    const total = (r: Row): number => r.coldTotalMs?.p50 as number;
    const fastest = doc.sizes.reduce((a, b) => (total(b) < total(a) ? b : a));
    expect(doc.recommendation?.fastestMemorySizeMB).toBe(fastest.memorySizeMB);
    const chosen = doc.sizes.find((r) => r.memorySizeMB === doc.recommendation?.memorySizeMB) as Row;
    expect(total(chosen)).toBeLessThanOrEqual(total(fastest) * 1.1);
    for (const r of doc.sizes.filter((x) => total(x) <= total(fastest) * 1.1)) expect(r.costPerMillionUsd).toBeGreaterThanOrEqual(chosen.costPerMillionUsd as number);
    expect(stderr).not.toContain('s3cr3t-value');
  });

  it('makes one update per size and round, each setting MemorySize with the nonce, then one restore of both', async () => {
    const before = updatesOf('sweep').length;
    const { code, doc } = await sweep('sweep', { memory: '128,512,1769' });
    expect(code).toBe(0);
    expect(doc.forced).toMatchObject({ updates: 3, restore: 'restored', recoveryFile: null });
    const made = updatesOf('sweep').slice(before);
    expect(made.map((u) => u.memorySize)).toEqual([128, 512, 1769, 1024]);
    for (const u of made.slice(0, 3)) expect(u.variables).toEqual({ ...ENV, LAMBDA_COLD_NONCE: expect.stringMatching(/^lc-/) });
    expect(made[3]?.variables).toEqual(ENV);
    expect(memoryAndEnv('sweep')).toEqual(original('sweep'));
    expect(recoveryFiles()).toEqual([]);
  });

  it('prints the report: a row per size, the boost sentence and the recommendation', async () => {
    const c = capture();
    expect(await runInvoke('sweep', { ...BASE, json: false, endpointUrl: em.url, memory: '128,1769' }, c.output)).toBe(0);
    const text = c.stdout();
    expect(text).toMatch(/^\s+MB\s+cold\s+init p50\s+init p90\s+first call\s+cold total\s+warm$/m);
    expect(text).toMatch(/^\s+128\S*\s+2\s/m);
    expect(text).toMatch(/init boost {6}The init boost/);
    expect(text).toMatch(/recommended {5}\d+ MB {2}\(fastest cold start: \d+ MB/);
  });
});

describe('restoring MemorySize and Environment', () => {
  const args = (fn: string) => ['invoke', fn, '--cold', '--memory', '128,512,1769', '--count', '2', '--concurrency', '2', '--json', '--endpoint-url', em.url];
  const env = () => cliEnv(cache);

  async function interrupted(run: ReturnType<typeof startCli>): Promise<Doc> {
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/SIGINT: stopping; restoring intr's memory size and environment/);
    expect(r.stderr).toMatch(/restored intr's original memory size \(1024 MB\) and environment/);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(memoryAndEnv('intr')).toEqual(original('intr'));
    expect(recoveryFiles()).toEqual([]);
    const last = updatesOf('intr').at(-1);
    expect(last).toMatchObject({ memorySize: 1024, variables: ENV });
    return JSON.parse(r.stdout) as Doc;
  }

  it('after Ctrl-C during the update of a size', async () => {
    em.updateDelayMs = 1000; // the update of 512 MB is still InProgress when the signal comes
    const run = startCli(args('intr'), { env: env(), replaceEnv: true });
    await run.waitForStderr(/memory 512 MB \(2 of 3\)/);
    run.child.kill('SIGINT');
    const doc = await interrupted(run);
    expect(doc.interrupted).toBe(true);
    expect(doc.sizes.map((s) => [s.memorySizeMB, s.coldSamples])).toEqual([[128, 2]]);
  });

  it('after Ctrl-C during a round', async () => {
    const run = startCli(args('intr'), { env: env(), replaceEnv: true });
    let inFlight = false;
    em.onInvoke = (fn) => {
      if (fn !== 'intr' || em.configuration('intr').MemorySize !== 512) return;
      em.onInvoke = null;
      inFlight = true;
      run.child.kill('SIGINT');
    };
    const doc = await interrupted(run);
    // The signal came while the round at 512 MB was in flight; its calls were cut off, so only 128 MB has a row.
    expect(inFlight).toBe(true);
    expect(doc.sizes.map((s) => s.memorySizeMB)).toEqual([128]);
  });

  it('after Ctrl-C between two sizes', async () => {
    const run = startCli(args('intr'), { env: env(), replaceEnv: true });
    await run.waitForStderr(/memory 128 MB done/);
    run.child.kill('SIGINT');
    const doc = await interrupted(run);
    expect(doc.sizes[0]).toMatchObject({ memorySizeMB: 128, coldSamples: 2 });
  });

  it('never over a concurrent deploy: it stops, keeps the deploy and the recovery file, and restore refuses too', async () => {
    em.onInvoke = (fn) => {
      if (fn !== 'deployed') return;
      em.onInvoke = null;
      em.deploy('deployed', { memorySize: 2048 });
    };
    const { code, doc, stderr } = await sweep('deployed', { memory: '128,512' });
    expect(code).toBe(2);
    expect(doc.forced.restore).toBe('conflict');
    expect(doc.stoppedBy).toMatch(/changed by someone else/);
    expect(doc.sizes.map((s) => s.memorySizeMB)).toEqual([128]);
    expect(stderr).toMatch(/MemorySize is 2048 MB, not a size lambda-cold set/);
    expect(em.configuration('deployed').MemorySize).toBe(2048);
    const file = recoveryPath('deployed', 'us-east-1');
    expect(existsSync(file)).toBe(true);
    const c = capture();
    expect(await runRestore('deployed', { endpointUrl: em.url }, c.output)).toBe(2);
    expect(em.configuration('deployed').MemorySize).toBe(2048);
    // --remove-nonce takes only lambda-cold's variable off, the deploy's memory stays
    expect(await runRestore('deployed', { endpointUrl: em.url, removeNonce: true }, capture().output)).toBe(0);
    expect(memoryAndEnv('deployed')).toEqual({ MemorySize: 2048, Environment: { Variables: ENV } });
    expect(existsSync(file)).toBe(false);
  });

  it('restores when throttling ends the sweep, and after a function that fails every call', async () => {
    em.throttleInvokes(100, 0);
    expect(await refused('throttled', { memory: '128,512', maxRetries: '0' })).toMatch(/throttled/);
    em.throttleInvokes(0);
    expect(memoryAndEnv('throttled')).toEqual(original('throttled'));
    const { code, doc } = await sweep('fails', { memory: '128,512' });
    expect(code).toBe(0);
    expect(doc.sizes.map((s) => [s.memorySizeMB, s.coldSamples, s.failedColdStarts, s.errors])).toEqual([
      [128, 0, 2, 2],
      [512, 0, 2, 2],
    ]);
    expect(doc.recommendation).toBeNull();
    expect(memoryAndEnv('fails')).toEqual(original('fails'));
    expect(recoveryFiles()).toEqual([]);
  });

  it('`restore` puts back both from a recovery file that holds both, and still reads one without MemorySize', async () => {
    const clients = await createClients({ endpointUrl: em.url }, 'kept');
    const ctx = { functionName: 'kept', region: clients.region };
    const file = recoveryPath('kept', clients.region);
    const forcer = new ColdForcer(clients.lambda, 'kept', await getConfiguration(clients.lambda, 'kept', undefined, ctx), file, ctx, em.url, undefined, [256, 512]);
    forcer.begin();
    forcer.useMemorySize(256);
    await forcer.retireEnvironments();
    expect(em.configuration('kept').MemorySize).toBe(256);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ originalMemorySizeMB: 1024, memorySizesMB: [256, 512], originalVariables: ENV });
    const c = capture();
    expect(await runRestore('kept', { endpointUrl: em.url }, c.output)).toBe(0);
    expect(c.stderr()).toMatch(/restored kept's environment and memory size \(1024 MB\)/);
    expect(memoryAndEnv('kept')).toEqual(original('kept'));
    expect(existsSync(file)).toBe(false);
    // A recovery file written before --memory existed: no MemorySize in it; the environment alone comes back.
    const plain = new ColdForcer(clients.lambda, 'kept', await getConfiguration(clients.lambda, 'kept', undefined, ctx), file, ctx, em.url);
    plain.begin();
    await plain.retireEnvironments();
    clients.destroy();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete saved.originalMemorySizeMB;
    writeFileSync(file, JSON.stringify(saved));
    expect(await runRestore('kept', { endpointUrl: em.url }, capture().output)).toBe(0);
    expect(memoryAndEnv('kept')).toEqual(original('kept'));
  });
});

describe('the sweep when the tails lose their REPORT lines', () => {
  it('completes every size from CloudWatch Logs in one search, each record under its own size', async () => {
    // a 40-byte tail keeps no REPORT: every record of every size comes from the log group
    const cut = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 0, updateDelayMs: 100, tailBytes: 40 });
    await cut.start();
    try {
      cut.addFunction(fnSpec('untold'));
      const c = capture();
      const code = await runInvoke('untold', { ...BASE, endpointUrl: cut.url, memory: '128,1769', warm: '1' }, c.output);
      expect(code, c.stderr()).toBe(0);
      const doc = JSON.parse(c.stdout()) as Doc & { sizes: Array<Row & { unknown: number }> };
      const truth = cut.invocationsOf('untold');
      for (const row of doc.sizes) {
        const cold = truth.filter((t) => t.memorySizeMB === row.memorySizeMB && t.kind === 'cold' && t.status === 'success');
        const warm = truth.filter((t) => t.memorySizeMB === row.memorySizeMB && t.kind === 'warm' && t.status === 'success');
        expect(row).toMatchObject({ coldSamples: 2, unknown: 0 });
        expect(row.initDurationMs).toMatchObject({ n: 2, p50: r2(median(cold.map((t) => t.initMs as number))) });
        expect(row.firstCallMs).toMatchObject({ n: 2, p50: r2(median(cold.map((t) => t.durationMs))) });
        expect(row.warmDurationMs).toMatchObject({ n: 1, p50: r2(median(warm.map((t) => t.durationMs))) });
      }
      // six invocations in two sizes, read by one search (ten request ids a call, no ingestion lag): one call
      expect(cut.stats.filterLogEvents).toBe(1);
      expect(c.stderr()).not.toMatch(/never reached|marked unknown/);
    } finally {
      await cut.stop();
    }
  });
});

describe('refused before any change', () => {
  it('bad --memory values, --memory without --cold, and the sweep flags without --memory: one sentence each', async () => {
    const before = em.stats.updates + em.stats.invokes;
    expect(await refused('sweep', { memory: '64' })).toBe('--memory takes whole MB from 128 to 10240, as Lambda does: 64 is outside.');
    expect(await refused('sweep', { memory: '128,10241' })).toMatch(/10241 is outside/);
    expect(await refused('sweep', { memory: '512.5' })).toMatch(/not a whole number/);
    expect(await refused('sweep', { memory: '128,,256' })).toMatch(/separated by commas/);
    expect(await refused('sweep', { memory: '256,256' })).toMatch(/lists 256 MB twice/);
    expect(await refused('sweep', { memory: '128', cold: false })).toMatch(/^--memory sweeps cold starts across memory sizes: add --cold/);
    expect(await refused('sweep', { warm: '2' })).toMatch(/^--warm goes with --memory/);
    expect(await refused('sweep', { memory: '128', coldRate: '150%' })).toMatch(/^--cold-rate takes a percentage/);
    expect(await refused('sweep', { memory: '128', qualifier: 'live' })).toMatch(/only affects \$LATEST/);
    // and --importtime's own flag without it
    expect(await refused('sweep', { tree: true })).toBe('--tree prints the import tree measured with --importtime: add --importtime, or drop it.');
    expect(em.stats.updates + em.stats.invokes).toBe(before);
    const cli = await runCli(['invoke', 'sweep', '--cold', '--memory', '100', '--endpoint-url', em.url], { env: cliEnv(cache), replaceEnv: true });
    expect(cli.code).toBe(2);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).not.toMatch(NODE_STACK);
    expect(em.stats.updates + em.stats.invokes).toBe(before);
  });

  it('takes the cold-start rate from a `logs --json` document', async () => {
    const file = join(cache, 'logs.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, kind: 'logs', functions: [{ name: 'sweep', invocations: 400, coldStartRate: 0.02 }] }));
    const { code, doc } = await sweep('sweep', { memory: '1769', count: '1', concurrency: '1', coldRateFrom: file });
    expect(code).toBe(0);
    expect(doc).toMatchObject({ coldRate: 0.02, coldRateFrom: `--cold-rate-from ${file}` });
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, kind: 'logs', functions: [] }));
    expect(await refused('sweep', { memory: '1769', coldRateFrom: file })).toMatch(/has no invocations of sweep/);
  });
});

