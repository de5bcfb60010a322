// `logs` against the local Lambda + CloudWatch Logs emulator: real Python handlers write the history
// (Text and JSON log formats, a custom log group, crashes followed by re-inits, several environments), the
// emulator serves it through FilterLogEvents (small pages, an empty first page with a nextToken, throttling),
// and the command's figures are checked against the emulator's own record of what it ran.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silenceSdkVersionNotice } from '../../src/aws/clients.js';
import { runLogsCommand } from '../../src/commands/logs.js';
import { capture, FIXTURES, tempDir, FAKE_AWS_ENV, setEnv } from '../support/harness.js';
import { findPython, LambdaEmulator, type EmulatedInvocation } from '../support/lambda-emulator.js';

let em: LambdaEmulator;
let cache: string;
let restoreEnv: () => void = () => undefined;
const ENV = { ...FAKE_AWS_ENV, LAMBDA_COLD_CACHE_DIR: process.env.LAMBDA_COLD_CACHE_DIR };

async function traffic(client: LambdaClient, name: string, sequential: number, parallel: number): Promise<void> {
  const once = () => client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
  await Promise.all(Array.from({ length: parallel }, once));
  for (let i = 0; i < sequential; i++) await once();
}

beforeAll(async () => {
  silenceSdkVersionNotice();
  cache = tempDir('lc-logs-em-');
  restoreEnv = setEnv(ENV);
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 0, pageSize: 4, emptyFirstPage: true });
  await em.start();
  em.addFunction({ name: 'text-fn', codeDir: FIXTURES, handler: 'hello.handler', environment: { INIT_SLEEP_MS: '50' }, faults: { every: 4, kind: 'crash' } });
  em.addFunction({ name: 'json-fn', codeDir: FIXTURES, handler: 'hello.handler', logFormat: 'JSON', logGroup: '/shared/app-logs', memorySize: 1024, architectures: ['arm64'] });
  const client = new LambdaClient({ endpoint: em.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLAMBDACOLDTEST', secretAccessKey: 'x' }, maxAttempts: 1 });
  try {
    await traffic(client, 'text-fn', 9, 2);
    await traffic(client, 'json-fn', 5, 3);
  } finally {
    client.destroy();
  }
}, 120_000);

afterAll(async () => {
  await em?.stop();
  restoreEnv();
  rmSync(cache, { recursive: true, force: true });
});

interface Doc {
  kind: string;
  engine: string;
  functions: { name: string; logFormat: string; logGroup: string; invocations: number; coldStarts: number; reinits: number; errors: number; timeouts: number; environments: number; totalColdStartMs: number; initDurationMs: { n: number; max: number } | null; histograms: { bins: { minMs: number; perDecade: number; count: number }; initMs: { from: number; counts: number[] } } | null }[];
  stats: { pages: number; events: number };
}

function expected(record: EmulatedInvocation[]) {
  const cold = record.filter((r) => r.kind === 'cold');
  return {
    invocations: record.length,
    coldStarts: cold.length,
    reinits: record.filter((r) => r.kind === 're-init').length,
    errors: record.filter((r) => r.status === 'error').length,
    timeouts: record.filter((r) => r.status === 'timeout').length,
    environments: new Set(record.map((r) => r.stream)).size,
    initMax: Math.max(...cold.map((r) => r.initMs ?? 0)),
    initTotal: Math.round(cold.reduce((s, r) => s + (r.initMs ?? 0), 0) * 100) / 100,
  };
}

describe('lambda-cold logs (emulator)', () => {
  it('agrees with what the emulator ran, in both log formats, through small and empty pages', async () => {
    const c = capture();
    const code = await runLogsCommand(['text-fn', 'json-fn'], { engine: 'filter', json: true, endpointUrl: em.url, since: '10m' }, c.output);
    expect(code).toBe(0);
    const doc = JSON.parse(c.stdout()) as Doc;
    expect(doc).toMatchObject({ kind: 'logs', engine: 'filter' });
    for (const name of ['text-fn', 'json-fn']) {
      const f = doc.functions.find((x) => x.name === name)!;
      const e = expected(em.invocationsOf(name));
      expect(e.coldStarts).toBeGreaterThan(0);
      expect(f).toMatchObject({ invocations: e.invocations, coldStarts: e.coldStarts, reinits: e.reinits, errors: e.errors, timeouts: e.timeouts, environments: e.environments });
      expect(f.initDurationMs?.max).toBeCloseTo(e.initMax, 2);
      expect(f.totalColdStartMs).toBeCloseTo(e.initTotal, 1);
      // the init histogram in the JSON: every cold start's Init Duration in its fixed log-scale bin
      const bins = f.histograms!.bins;
      const bin = (ms: number) => Math.min(bins.count - 1, Math.max(0, Math.floor(Math.log10(ms / bins.minMs) * bins.perDecade)));
      const want = new Map<number, number>();
      for (const r of em.invocationsOf(name).filter((x) => x.kind === 'cold')) {
        const b = bin(Number(r.initMs!.toFixed(2))); // as the REPORT line prints it
        want.set(b, (want.get(b) ?? 0) + 1);
      }
      const got = new Map<number, number>();
      f.histograms!.initMs.counts.forEach((n, k) => n > 0 && got.set(f.histograms!.initMs.from + k, n));
      expect(got).toEqual(want);
    }
    expect(doc.functions.find((x) => x.name === 'json-fn')).toMatchObject({ logFormat: 'JSON', logGroup: '/shared/app-logs' });
    // crashes every 4th invocation: re-inits exist and none is counted as cold
    expect(doc.functions.find((x) => x.name === 'text-fn')!.reinits).toBeGreaterThan(0);
    // pages of 4 events, each query starting with an empty page
    expect(doc.stats.pages).toBeGreaterThan(doc.stats.events / 4);
    // sorted by total cold-start time
    const totals = doc.functions.map((f) => f.totalColdStartMs);
    expect([...totals].sort((a, b) => b - a)).toEqual(totals);
  });

  it('backs off while CloudWatch Logs throttles, and still reads everything', async () => {
    em.throttleFilterLogEvents(2);
    const c = capture();
    const code = await runLogsCommand(['text-fn'], { engine: 'filter', json: true, endpointUrl: em.url, since: '10m' }, c.output);
    expect(code).toBe(0);
    expect((JSON.parse(c.stdout()) as Doc).functions[0]!.invocations).toBe(em.invocationsOf('text-fn').length);
  });
});
