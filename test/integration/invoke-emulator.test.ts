// `invoke` end to end against the local Lambda + CloudWatch Logs emulator: real HTTP, the real SDK,
// real Python handlers. These run the command in-process (runInvoke with a captured Output); the spawned
// CLI is exercised in invoke-cli.test.ts.
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import { ColdForcer } from '../../src/aws/cold.js';
import { getConfiguration } from '../../src/aws/lambda.js';
import { recoveryPath } from '../../src/aws/recovery.js';
import { runInvoke } from '../../src/commands/invoke.js';
import { runRestore } from '../../src/commands/restore.js';
import { UserError } from '../../src/util/errors.js';
import { capture, FIXTURES, tempDir, setEnv, FAKE_AWS_ENV } from '../support/harness.js';
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

let em: LambdaEmulator;
let cache: string;
let restoreEnv: () => void = () => undefined;
const ENV = { ...FAKE_AWS_ENV, XDG_CACHE_HOME: '' };

beforeAll(async () => {
  cache = tempDir('lc-invoke-');
  restoreEnv = setEnv({ ...ENV, XDG_CACHE_HOME: cache });
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 300, updateDelayMs: 150 });
  await em.start();
  em.addFunction({ name: 'hello', codeDir: FIXTURES, handler: 'hello.handler', environment: { GREETING: 'hi', SECRET_TOKEN: 's3cr3t-value', INIT_SLEEP_MS: '250' } });
  em.addFunction({ name: 'bare', codeDir: FIXTURES, handler: 'hello.handler' });
  // A longer init (600 ms, sleeping: no CPU) so that on a loaded machine no invocation of a round can
  // arrive after another of the same round has finished and reuse its environment (that would be a
  // correct warm start, costing one more update).
  em.addFunction({ name: 'wide', codeDir: FIXTURES, handler: 'hello.handler', environment: { APP_MODE: 'wide', SECRET_TOKEN: 's3cr3t-value', INIT_SLEEP_MS: '600' } });
  em.addFunction({
    name: 'hello-json',
    codeDir: FIXTURES,
    handler: 'hello.handler',
    logFormat: 'JSON',
    logGroup: '/shared/app-logs',
    architectures: ['arm64'],
    memorySize: 1024,
    environment: { FIXTURE_PID: '8', INIT_SLEEP_MS: '300' },
  });
  em.addFunction({ name: 'noisy', codeDir: FIXTURES, handler: 'noisy.handler' });
  em.addFunction({ name: 'fails', codeDir: FIXTURES, handler: 'fails.handler' });
  em.addFunction({ name: 'slow', codeDir: FIXTURES, handler: 'slow.handler', timeout: 1 });
  em.addFunction({ name: 'broken', codeDir: FIXTURES, handler: 'broken_init.handler' });
  em.addFunction({ name: 'flaky', codeDir: FIXTURES, handler: 'flaky_init.handler', environment: { FLAKY_MARKER: join(cache, 'flaky-marker') } });
  em.addFunction({ name: 'deployed', codeDir: FIXTURES, handler: 'hello.handler', environment: { STAGE: 'prod' } });
  em.addFunction({ name: 'node-fn', codeDir: FIXTURES, handler: 'hello.handler', runtime: 'nodejs20.x' });
  em.addFunction({
    name: 'live-fn',
    codeDir: FIXTURES,
    handler: 'hello.handler',
    aliases: { live: '3' },
    provisioned: { live: 2 },
    snapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' },
  });
});

afterAll(async () => {
  await em?.stop();
  restoreEnv();
  rmSync(cache, { recursive: true, force: true });
});

afterEach(() => {
  em.onInvoke = null;
});

const BASE = { count: '10', concurrency: '1', logsTimeout: '15', maxRetries: '5', logs: true, json: true };

interface Doc {
  schemaVersion: number;
  kind: string;
  function: string;
  forced: { cold: boolean; updates: number; restore: string; recoveryFile: string | null };
  configuration: { logGroup: string; logFormat: string; architecture: string; memorySizeMB: number };
  invocations: {
    requestId: string;
    cold: boolean;
    kind: string;
    initDurationMs: number | null;
    durationMs: number;
    billedDurationMs: number;
    status: string;
    errorType: string | null;
    logStream: string | null;
    pid: number | null;
    source: string;
  }[];
  summary: {
    cold: { count: number; rate: number; initDurationMs: { p50: number; max: number } | null };
    warm: { count: number; durationMs: { p50: number } | null };
    environments: number;
    repeatedPids: { pid: number; environments: number }[];
    cost: { pricePerGbSecond: number; coldUsd: number; architecture: string };
    reinit: { count: number; errors: number };
  };
  notes: string[];
}

async function invoke(fn: string, opts: Record<string, unknown> = {}): Promise<{ code: number; doc: Doc; stderr: string }> {
  const c = capture();
  const code = await runInvoke(fn, { ...BASE, endpointUrl: em.url, ...opts }, c.output);
  return { code, doc: JSON.parse(c.stdout()) as Doc, stderr: c.stderr() };
}

async function invokeError(fn: string, opts: Record<string, unknown> = {}): Promise<UserError> {
  const c = capture();
  try {
    await runInvoke(fn, { ...BASE, endpointUrl: em.url, ...opts }, c.output);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error(`expected a UserError from invoke ${fn} ${JSON.stringify(opts)}`);
}

describe('reading invocations', () => {
  it('tells the cold start from the warm ones (Text logs) and prints the JSON document', async () => {
    const { code, doc } = await invoke('hello', { count: '4', environments: true });
    expect(code).toBe(0);
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'invoke', function: 'hello' });
    expect(doc.invocations.map((i) => i.kind)).toEqual(['cold', 'warm', 'warm', 'warm']);
    const [first, ...rest] = doc.invocations;
    expect(first!.cold).toBe(true);
    expect(first!.initDurationMs).toBeGreaterThan(0);
    // INIT billing: Billed Duration = ceil(Duration + Init Duration) for the cold one.
    expect(first!.billedDurationMs).toBe(Math.ceil(first!.durationMs + first!.initDurationMs!));
    for (const r of rest) {
      expect(r.initDurationMs).toBeNull();
      expect(r.status).toBe('success');
    }
    // One environment: one log stream, found in CloudWatch after the ingestion lag.
    expect(new Set(doc.invocations.map((i) => i.logStream)).size).toBe(1);
    expect(first!.logStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(new Set(doc.invocations.map((i) => i.pid)).size).toBe(1);
    expect(doc.summary.cold).toMatchObject({ count: 1, rate: 0.25 });
    expect(doc.summary.cold.initDurationMs!.p50).toBe(first!.initDurationMs);
    expect(doc.summary.warm.count).toBe(3);
    expect(doc.summary.cost.pricePerGbSecond).toBe(0.0000166667);
  });

  it('reads JSON-format platform events from the configured log group; a repeated PID is not a warm start', async () => {
    const before = em.stats.filterLogEvents;
    const { doc } = await invoke('hello-json', { count: '4', concurrency: '2', environments: true });
    expect(doc.configuration).toMatchObject({ logGroup: '/shared/app-logs', logFormat: 'JSON', architecture: 'arm64', memorySizeMB: 1024 });
    expect(doc.summary.cold.count).toBe(2);
    expect(doc.summary.environments).toBe(2);
    expect(em.streams('/shared/app-logs')).toHaveLength(2);
    expect(em.streams('/aws/lambda/hello-json')).toHaveLength(0);
    // FIXTURE_PID=8 imitates microVMs: the same PID in two environments.
    expect(doc.summary.repeatedPids).toEqual([{ pid: 8, environments: 2 }]);
    expect(doc.summary.cost.architecture).toBe('arm64');
    expect(em.stats.filterLogEvents).toBeGreaterThan(before);
  });

  it('asks CloudWatch for the REPORTs a tail lacks, by request id, across pages (one empty with a nextToken)', async () => {
    const paged = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 200, pageSize: 2, emptyFirstPage: true, tailBytes: 40 });
    await paged.start();
    try {
      for (const logFormat of ['Text', 'JSON'] as const) {
        const name = `cut-${logFormat}`;
        paged.addFunction({ name, codeDir: FIXTURES, handler: 'hello.handler', logFormat });
        const c = capture();
        expect(await runInvoke(name, { ...BASE, count: '3', endpointUrl: paged.url }, c.output)).toBe(0);
        const doc = JSON.parse(c.stdout()) as Doc;
        const truth = paged.invocationsOf(name);
        expect(doc.invocations.map((i) => [i.requestId, i.kind, i.source, i.billedDurationMs])).toEqual(
          truth.map((t) => [t.requestId, t.kind, 'cloudwatch', t.billedMs]),
        );
      }
    } finally {
      await paged.stop();
    }
  });

  it('reads nothing from CloudWatch when every tail has its REPORT, even for a function logging far past 4 KB', async () => {
    const before = em.stats.filterLogEvents;
    const { code, doc } = await invoke('noisy', { count: '3' });
    expect(code).toBe(0);
    expect(em.stats.filterLogEvents).toBe(before);
    const truth = em.invocationsOf('noisy');
    expect(doc.invocations.map((i) => [i.requestId, i.kind, i.source, i.durationMs])).toEqual(truth.map((t) => [t.requestId, t.kind, 'tail', t.durationMs]));
    // The PID marker was printed first and fell out of the 4 KB tail.
    expect(doc.invocations.every((i) => i.pid === null)).toBe(true);
  });

  it('takes the whole REPORT from CloudWatch when the tail holds none of it', async () => {
    const tiny = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 200, tailBytes: 40 });
    await tiny.start();
    try {
      tiny.addFunction({ name: 'hello', codeDir: FIXTURES, handler: 'hello.handler' });
      const c = capture();
      expect(await runInvoke('hello', { ...BASE, count: '3', endpointUrl: tiny.url }, c.output)).toBe(0);
      const doc = JSON.parse(c.stdout()) as Doc;
      expect(doc.invocations.map((i) => [i.kind, i.source])).toEqual([
        ['cold', 'cloudwatch'],
        ['warm', 'cloudwatch'],
        ['warm', 'cloudwatch'],
      ]);
      expect(doc.invocations[0]!.initDurationMs).toBeGreaterThan(0);
    } finally {
      await tiny.stop();
    }
  });

  it('says so when the REPORT lines never reach CloudWatch within --logs-timeout', async () => {
    const late = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 120_000 });
    await late.start();
    try {
      late.addFunction({ name: 'hello', codeDir: FIXTURES, handler: 'hello.handler' });
      const c = capture();
      expect(await runInvoke('hello', { ...BASE, count: '2', logsTimeout: '1', environments: true, endpointUrl: late.url }, c.output)).toBe(0);
      expect(c.stderr()).toMatch(/2 invocation\(s\)' REPORT never reached CloudWatch Logs \(\/aws\/lambda\/hello\) within 1 s/);
      const doc = JSON.parse(c.stdout()) as Doc;
      // The tail still classified them; only the environment is unknown.
      expect(doc.invocations.map((i) => [i.kind, i.logStream])).toEqual([
        ['cold', null],
        ['warm', null],
      ]);
    } finally {
      await late.stop();
    }
  });

  it('keeps a function error as a sample', async () => {
    const { code, doc } = await invoke('fails', { count: '2' });
    expect(code).toBe(0);
    expect(doc.invocations.map((i) => [i.kind, i.status, i.errorType])).toEqual([
      ['cold', 'error', 'PaymentDeclined'],
      ['warm', 'error', 'PaymentDeclined'],
    ]);
  });

  it('reports a timeout; the environment is reset and the next invocation re-runs init in it (a re-init, not cold)', async () => {
    const { doc } = await invoke('slow', { count: '2', payload: '{"sleepSeconds": 3}', environments: true });
    expect(doc.invocations.map((i) => [i.kind, i.status])).toEqual([
      ['cold', 'timeout'],
      ['re-init', 'timeout'],
    ]);
    expect(doc.summary.environments).toBe(1);
    expect(doc.summary.cold.count).toBe(1);
  });

  it('classifies a failed init re-run inside the invoke as a suppressed re-init', async () => {
    const { doc } = await invoke('broken', { count: '1' });
    expect(doc.invocations[0]).toMatchObject({ kind: 're-init', cold: false, status: 'error', errorType: 'Runtime.ImportModuleError' });
    expect(doc.invocations[0]!.initDurationMs).toBeGreaterThan(0);
    const flaky = await invoke('flaky', { count: '2' });
    expect(flaky.doc.invocations.map((i) => [i.kind, i.status])).toEqual([
      ['re-init', 'success'],
      ['warm', 'success'],
    ]);
    expect(flaky.doc.summary.reinit).toMatchObject({ count: 1, errors: 0 });
  });

  it('warns for a runtime that is not Python, and notes provisioned concurrency and SnapStart', async () => {
    const node = await invoke('node-fn', { count: '1' });
    expect(node.stderr).toMatch(/runs nodejs20\.x, not Python/);
    const live = await invoke('live-fn', { count: '1', qualifier: 'live' });
    expect(live.doc.notes.join('\n')).toMatch(/Provisioned concurrency: 2 of 2/);
    expect(live.doc.notes.join('\n')).toMatch(/SnapStart/);
  });
});

describe('--cold', () => {
  it('--count 20 --concurrency 10 takes exactly 2 updates, and restores the environment exactly', async () => {
    const before = em.configuration('wide');
    const updatesBefore = em.stats.updates;
    const { code, doc, stderr } = await invoke('wide', { count: '20', concurrency: '10', cold: true, environments: true });
    expect(code).toBe(0);
    expect(doc.forced).toMatchObject({ cold: true, updates: 2, restore: 'restored', recoveryFile: null });
    expect(doc.invocations).toHaveLength(20);
    expect(doc.invocations.every((i) => i.cold && i.kind === 'cold')).toBe(true);
    expect(new Set(doc.invocations.map((i) => i.logStream)).size).toBe(20);
    // 2 updates to force, 1 to restore.
    expect(em.stats.updates - updatesBefore).toBe(3);
    expect(em.configuration('wide').Environment).toEqual(before.Environment);
    expect(readdirSync(join(cache, 'lambda-cold', 'recovery'))).toEqual([]);
    // Names may appear, values never.
    expect(stderr).not.toContain('s3cr3t-value');
  });

  it('restores a function that had no environment to no environment', async () => {
    expect(em.configuration('bare').Environment).toBeUndefined();
    const { doc } = await invoke('bare', { count: '2', concurrency: '2', cold: true });
    // (One update, or two if the machine was so slow that the second request found the first's environment free.)
    expect(doc.forced.updates).toBeGreaterThanOrEqual(1);
    expect(doc.summary.cold.count).toBe(2);
    expect(em.configuration('bare').Environment).toBeUndefined();
  });

  it('waits for a deploy still in progress before changing anything, and keeps that deploy', async () => {
    const clients = await createClients({ endpointUrl: em.url }, 'bare');
    em.updateDelayMs = 1500; // still InProgress when invoke reads the configuration, even on a slow machine
    await clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'bare', MemorySize: 256 }));
    em.updateDelayMs = 150;
    clients.destroy();
    const { code, doc, stderr } = await invoke('bare', { count: '1', cold: true });
    expect(code).toBe(0);
    expect(stderr).toMatch(/bare is being updated; waiting/);
    expect(doc.forced.restore).toBe('restored');
    expect(em.configuration('bare')).toMatchObject({ MemorySize: 256 });
    expect(em.configuration('bare').Environment).toBeUndefined();
  });

  it('stops without overwriting a concurrent deploy, and keeps the recovery file', async () => {
    const deployedEnv = { STAGE: 'prod', FEATURE: 'on' };
    em.onInvoke = (fn, n) => {
      if (fn === 'deployed' && n > 0) {
        em.onInvoke = null;
        em.deploy('deployed', { environment: deployedEnv });
      }
    };
    const { code, doc, stderr } = await invoke('deployed', { count: '4', concurrency: '2', cold: true });
    expect(code).toBe(2);
    expect(doc.forced.restore).toBe('conflict');
    expect(stderr).toMatch(/changed by someone else/);
    expect(stderr).toMatch(/FEATURE/);
    expect(em.configuration('deployed').Environment).toEqual({ Variables: deployedEnv });
    const file = recoveryPath('deployed', 'us-east-1');
    expect(existsSync(file)).toBe(true);
    // restore refuses too: the function is not what the run left.
    const c = capture();
    expect(await runRestore('deployed', { endpointUrl: em.url }, c.output)).toBe(2);
    expect(existsSync(file)).toBe(true);
    rmSync(file);
  });

  it('refuses --cold on a version or an alias before touching anything', async () => {
    const calls = em.stats.updates + em.stats.invokes;
    expect((await invokeError('live-fn', { cold: true, qualifier: 'live' })).message).toMatch(/only affects \$LATEST/);
    expect((await invokeError('live-fn:3', { cold: true })).message).toMatch(/published version or an alias/);
    expect(em.stats.updates + em.stats.invokes).toBe(calls);
  });

  it('restore puts back what an interrupted run left behind', async () => {
    const before = em.configuration('hello');
    const clients = await createClients({ endpointUrl: em.url }, 'hello');
    const ctx = { functionName: 'hello', region: clients.region };
    const file = recoveryPath('hello', clients.region);
    const forcer = new ColdForcer(clients.lambda, 'hello', await getConfiguration(clients.lambda, 'hello', undefined, ctx), file, ctx, em.url);
    forcer.begin();
    await forcer.retireEnvironments();
    clients.destroy();
    expect((em.configuration('hello').Environment as { Variables: Record<string, string> }).Variables.LAMBDA_COLD_NONCE).toMatch(/^lc-/);
    // A second --cold run refuses while the recovery file is there.
    expect((await invokeError('hello', { cold: true, count: '1' })).message).toMatch(/lambda-cold restore hello/);
    const c = capture();
    expect(await runRestore('hello', { endpointUrl: em.url }, c.output)).toBe(0);
    expect(c.stderr()).toMatch(/restored hello/);
    expect(em.configuration('hello').Environment).toEqual(before.Environment);
    expect(existsSync(file)).toBe(false);
    // Nothing left to restore: exit 0, saying so (usable as an always-run cleanup step).
    const again = capture();
    expect(await runRestore('hello', { endpointUrl: em.url }, again.output)).toBe(0);
    expect(again.stderr()).toMatch(/Nothing to restore: there is no recovery file for hello/);
  });
});

describe('errors', () => {
  it('retries 429s honouring retryAfterSeconds, then gives up with a clear sentence', async () => {
    em.throttleInvokes(2, 0);
    const ok = await invoke('hello', { count: '1' });
    expect(ok.code).toBe(0);
    expect(ok.stderr.match(/throttled \(429\)/g)).toHaveLength(2);
    // retryAfterSeconds (the Retry-After header) beats the shorter first backoff (0.5 s).
    em.throttleInvokes(1, 1);
    const after = await invoke('hello', { count: '1' });
    expect(after.stderr).toMatch(/throttled \(429\): retry 1 of 5 in 1\.0 s/);
    em.throttleInvokes(100, 0);
    const e = await invokeError('hello', { count: '1', maxRetries: '1' });
    expect(e.message).toMatch(/throttled hello 2 times in a row .* gave up after 1 retries/);
    em.throttleInvokes(0);
  });

  it('restores the environment when throttling ends a --cold run', async () => {
    const before = em.configuration('hello');
    em.throttleInvokes(100, 0);
    const e = await invokeError('hello', { count: '2', cold: true, maxRetries: '0' });
    em.throttleInvokes(0);
    expect(e.message).toMatch(/throttled/);
    expect(em.configuration('hello').Environment).toEqual(before.Environment);
    expect(existsSync(recoveryPath('hello', 'us-east-1'))).toBe(false);
  });

  it('names an unknown function', async () => {
    expect((await invokeError('no-such-fn')).message).toBe(
      'Function no-such-fn was not found in us-east-1: check the name, the qualifier and the region.',
    );
  });

  it('names the missing permission on AccessDenied', async () => {
    for (const action of ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionConfiguration']) {
      em.deny(action);
      try {
        const e = await invokeError('hello', { count: '1', cold: action === 'lambda:UpdateFunctionConfiguration' });
        expect(e.message).toMatch(new RegExp(`^Access denied: the caller is not allowed ${action} on hello`));
      } finally {
        em.allow(action);
      }
    }
    // The failed --cold run changed nothing and left no recovery file.
    expect(existsSync(recoveryPath('hello', 'us-east-1'))).toBe(false);
    // CloudWatch denied: the run is kept (the tails had every REPORT), and the warning names the permission.
    em.deny('logs:FilterLogEvents');
    try {
      const { code, doc, stderr } = await invoke('hello', { count: '2', environments: true });
      expect(code).toBe(0);
      expect(doc.invocations.map((i) => i.source)).toEqual(['tail', 'tail']);
      expect(stderr).toMatch(/CloudWatch Logs stayed unavailable \(Access denied: the caller is not allowed logs:FilterLogEvents on hello/);
    } finally {
      em.allow('logs:FilterLogEvents');
    }
  });

  it('validates options with one sentence', async () => {
    expect((await invokeError('hello', { count: 'ten' })).message).toMatch(/--count/);
    expect((await invokeError('hello', { payload: '{nope' })).message).toBe('The payload from --payload is not valid JSON.');
    mkdirSync(join(cache, 'p'), { recursive: true });
    expect((await invokeError('hello', { payloadFile: join(cache, 'p', 'missing.json') })).message).toMatch(/Cannot read the payload file/);
  });
});
