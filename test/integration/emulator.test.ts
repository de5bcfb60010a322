// The emulator itself, through the real SDK: the wire behaviour the invoke tests rely on (log formats and
// streams, the 4 KB tail, ingestion lag, filter patterns, pagination, RevisionId and update-in-progress,
// the waiter's polls, real Python environments reused while warm and replaced after an update).
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silenceSdkVersionNotice } from '../../src/aws/clients.js';
import { FIXTURES } from '../support/harness.js';
import { compilePattern, findPython, LambdaEmulator } from '../support/lambda-emulator.js';

let em: LambdaEmulator;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;
// Long enough that no REPORT of the three concurrent cold invokes is visible when they all return, even on a loaded machine.
const LAG = 1500;

beforeAll(async () => {
  silenceSdkVersionNotice();
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: LAG, updateDelayMs: 1000 });
  await em.start();
  const cfg = { endpoint: em.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEMU', secretAccessKey: 'emu' } };
  lambda = new LambdaClient(cfg);
  logs = new CloudWatchLogsClient(cfg);
  em.addFunction({ name: 'text', codeDir: FIXTURES, handler: 'hello.handler', aliases: { live: '7' } });
  em.addFunction({ name: 'json', codeDir: FIXTURES, handler: 'hello.handler', logFormat: 'JSON' });
  em.addFunction({ name: 'json3', codeDir: FIXTURES, handler: 'hello.handler', logFormat: 'JSON' });
  em.addFunction({ name: 'noisy', codeDir: FIXTURES, handler: 'noisy.handler' });
  em.addFunction({ name: 'fails', codeDir: FIXTURES, handler: 'fails.handler' });
  em.addFunction({ name: 'boost', codeDir: FIXTURES, handler: 'deferred.handler', cpuModel: 'init-boost', memorySize: 1769, environment: { INIT_SLEEP_MS: '10', FIRST_CALL_MS: '20' } });
  // a crash on every second call; init 100 ms of sleep, so that the measured init is mostly the fixture's own
  for (const mb of [128, 1769]) {
    em.addFunction({ name: `reinit${mb}`, codeDir: FIXTURES, handler: 'hello.handler', cpuModel: 'init-boost', memorySize: mb, environment: { INIT_SLEEP_MS: '100' }, faults: { every: 2, kind: 'crash' } });
  }
  em.addFunction({ name: 'crashy', codeDir: FIXTURES, handler: 'hello.handler', faults: { every: 1, kind: 'crash' }, reservedConcurrency: 1, throttleRetryAfterSeconds: 2 });
});

afterAll(async () => {
  lambda?.destroy();
  logs?.destroy();
  await em?.stop();
});

const invoke = (name: string, payload = '{}', qualifier?: string) =>
  lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: Buffer.from(payload), Qualifier: qualifier }));
const tail = (r: { LogResult?: string }) => Buffer.from(r.LogResult ?? '', 'base64').toString('utf8');
const marker = (r: { Payload?: Uint8Array }) => (JSON.parse(Buffer.from(r.Payload!).toString('utf8')) as { marker: string }).marker;

describe('Lambda', () => {
  it('writes Text platform lines as Lambda does, with INIT billed on the cold invoke, and reuses a warm environment', async () => {
    const cold = await invoke('text');
    const coldTail = tail(cold);
    const m = /REPORT RequestId: ([0-9a-f-]{36})\tDuration: (\d+\.\d{2}) ms\tBilled Duration: (\d+) ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: (\d+\.\d{2}) ms\t\n$/.exec(coldTail);
    expect(m).not.toBeNull();
    expect(Number(m![3])).toBe(Math.ceil(Number(m![2]) + Number(m![4])));
    expect(coldTail).toMatch(/^INIT_START Runtime Version: python:3\.11\.v99\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{32}\t\n/);
    expect(coldTail).toContain(`START RequestId: ${m![1]} Version: $LATEST\n`);
    expect(cold.$metadata.requestId).toBe(m![1]);
    expect(cold.ExecutedVersion).toBe('$LATEST');
    const warm = await invoke('text');
    expect(tail(warm)).toMatch(/^START RequestId: .*\nPID: \d+\nEND RequestId: .*\nREPORT RequestId: [^\n]*Max Memory Used: \d+ MB\t\n$/);
    expect(marker(warm)).toBe(marker(cold));
    const aliased = await invoke('text', '{}', 'live');
    expect(aliased.ExecutedVersion).toBe('7');
  });

  it('keeps only the last 4 KB of the log in LogResult', async () => {
    const r = await invoke('noisy');
    const t = Buffer.from(r.LogResult!, 'base64');
    expect(t.length).toBe(4096);
    expect(t.toString('utf8')).not.toContain('START RequestId');
    expect(t.toString('utf8')).toMatch(/REPORT RequestId: [^\n]+\n$/);
  });

  it('reports a function error in the header and keeps the environment', async () => {
    const a = await invoke('fails');
    expect(a.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(a.Payload!).toString('utf8'))).toMatchObject({ errorType: 'PaymentDeclined', errorMessage: 'card 4242 declined' });
    const b = await invoke('fails');
    expect(tail(b)).not.toContain('Init Duration');
  });

  it('checks RevisionId, refuses an update while one is in progress, and the waiter polls until Successful', async () => {
    const c0 = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'text' }));
    const before = marker(await invoke('text'));
    await expect(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'text', RevisionId: 'stale', Environment: { Variables: { A: '1' } } })),
    ).rejects.toMatchObject({ name: 'PreconditionFailedException', $metadata: { httpStatusCode: 412 } });
    const u = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'text', RevisionId: c0.RevisionId, Environment: { Variables: { A: '1' } } }));
    expect(u.LastUpdateStatus).toBe('InProgress');
    await expect(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'text', MemorySize: 256 }))).rejects.toMatchObject({
      name: 'ResourceConflictException',
      $metadata: { httpStatusCode: 409 },
    });
    const polls = em.stats.getFunction;
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.2 }, { FunctionName: 'text' });
    expect(em.stats.getFunction - polls).toBeGreaterThan(1);
    const c1 = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'text' }));
    expect(c1.LastUpdateStatus).toBe('Successful');
    expect(c1.RevisionId).not.toBe(u.RevisionId);
    // Every environment was retired: a new process with a new import-time marker.
    const after = await invoke('text');
    expect(marker(after)).not.toBe(before);
    expect(tail(after)).toContain('Init Duration');
  });

  it('sets MemorySize as Lambda takes it (128-10240 MB), records the update, and with cpuModel init-boost runs the invoke phase at MB/1769', async () => {
    await expect(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'boost', MemorySize: 64 }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      $metadata: { httpStatusCode: 400 },
    });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'boost', MemorySize: 128 }));
    expect(em.updates.at(-1)).toMatchObject({ function: 'boost', memorySize: 128, variables: null });
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.2 }, { FunctionName: 'boost' });
    expect(em.updates.at(-1)?.successfulAt).toBeGreaterThanOrEqual(em.updates.at(-1)?.at as number);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'boost' }))).MemorySize).toBe(128);
    const r = await invoke('boost');
    expect(tail(r)).toMatch(/Memory Size: 128 MB\t.*Init Duration/);
    // The model: the first call's 20 ms of work reported (and waited) at 1769/128 of its measured time.
    const rec = em.invocationsOf('boost').at(-1);
    expect(rec).toMatchObject({ kind: 'cold', memorySizeMB: 128, cpuShare: 128 / 1769 });
    expect(rec?.durationMs).toBeGreaterThan(20 * (1769 / 128));
  });

  it('answers an unknown function with ResourceNotFoundException and a throttle with 429 + retryAfterSeconds', async () => {
    await expect(invoke('nope')).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    em.throttleInvokes(1, 7);
    const raw = new LambdaClient({ endpoint: em.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEMU', secretAccessKey: 'emu' }, maxAttempts: 1 });
    try {
      await expect(raw.send(new InvokeCommand({ FunctionName: 'text' }))).rejects.toMatchObject({
        name: 'TooManyRequestsException',
        retryAfterSeconds: '7',
        Reason: 'ConcurrentInvocationLimitExceeded',
        $metadata: { httpStatusCode: 429 },
      });
    } finally {
      em.throttleInvokes(0);
      raw.destroy();
    }
  });
});

describe('failures, limits and their lines', () => {
  it('a crash resets the environment: the next invoke re-runs init in the same stream (INIT_REPORT Phase: invoke, Status: success)', async () => {
    const first = await invoke('crashy');
    expect(first.FunctionError).toBe('Unhandled');
    expect(tail(first)).toMatch(/Init Duration: [\d.]+ ms\tStatus: error\tError Type: Runtime.ExitError\t\n$/);
    const second = tail(await invoke('crashy'));
    const m = /INIT_REPORT Init Duration: ([\d.]+) ms\tPhase: invoke\tStatus: success\t\n/.exec(second);
    expect(m).not.toBeNull();
    // The REPORT has no Init Duration; its Duration holds the re-run init, and Billed Duration is ceil(Duration).
    const r = /REPORT RequestId: \S+\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tStatus: error/.exec(second);
    expect(r).not.toBeNull();
    expect(Number(r![1])).toBeGreaterThanOrEqual(Number(m![1]));
    expect(Number(r![2])).toBe(Math.ceil(Number(r![1])));
    const [a, b] = em.invocationsOf('crashy');
    expect([a!.kind, b!.kind]).toEqual(['cold', 're-init']);
    expect(a!.stream).toBe(b!.stream);
  });

  it('with cpuModel init-boost, a re-init after a crash runs at the CPU share (scaled at 128 MB) while a cold init does not', async () => {
    // The model (docs/lambda-platform.md): the on-demand init runs on a full vCPU whatever the memory; an init
    // re-run inside an invoke is invoke phase, at min(1, MB / 1769) of a vCPU: 13.8 times slower at 128 MB.
    const inits = async (name: string) => {
      const cold = /REPORT .*Init Duration: ([\d.]+) ms/.exec(tail(await invoke(name)));
      expect((await invoke(name)).FunctionError).toBe('Unhandled');
      const t0 = performance.now();
      const again = tail(await invoke(name));
      const wall = performance.now() - t0;
      const reinit = /INIT_REPORT Init Duration: ([\d.]+) ms\tPhase: invoke\tStatus: success/.exec(again);
      expect(cold, name).not.toBeNull();
      expect(reinit, again).not.toBeNull();
      expect(em.invocationsOf(name).map((r) => r.kind)).toEqual(['cold', 'warm', 're-init']);
      return { cold: Number(cold![1]), reinit: Number(reinit![1]), wall };
    };
    const small = await inits('reinit128');
    const full = await inits('reinit1769');
    // ratios between the re-init and the cold init of the same function, against 13.8 (scaled) and 1 (not)
    expect(small.reinit / small.cold).toBeGreaterThan(5);
    expect(full.reinit / full.cold).toBeLessThan(5);
    // the cold inits are alike whatever the memory (both of the same 100 ms of sleep, at full speed)
    expect(small.cold / full.cold).toBeLessThan(5);
    expect(full.cold / small.cold).toBeLessThan(5);
    // the emulator really took the time it reported for the slowed re-init
    expect(small.wall).toBeGreaterThan(small.reinit * 0.9);
    expect(em.invocationsOf('reinit128').at(-1)).toMatchObject({ kind: 're-init', cpuShare: 128 / 1769, initMs: small.reinit });
  });

  it('answers GetFunctionConcurrency, and throttles beyond the reserved concurrency with its Reason and Retry-After', async () => {
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'crashy' }))).ReservedConcurrentExecutions).toBe(1);
    expect((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'text' }))).ReservedConcurrentExecutions).toBeUndefined();
    const raw = new LambdaClient({ endpoint: em.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEMU', secretAccessKey: 'emu' }, maxAttempts: 1 });
    try {
      const results = await Promise.allSettled([0, 1].map(() => raw.send(new InvokeCommand({ FunctionName: 'crashy', LogType: 'Tail' }))));
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toMatchObject({ name: 'TooManyRequestsException', retryAfterSeconds: '2', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    } finally {
      raw.destroy();
    }
  });

  it('throttles FilterLogEvents on request (ThrottlingException)', async () => {
    em.throttleFilterLogEvents(1);
    const raw = new CloudWatchLogsClient({ endpoint: em.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEMU', secretAccessKey: 'emu' }, maxAttempts: 1 });
    try {
      await expect(raw.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/text' }))).rejects.toMatchObject({ name: 'ThrottlingException' });
      await expect(raw.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/text' }))).resolves.toHaveProperty('events');
    } finally {
      raw.destroy();
    }
  });
});

describe('CloudWatch Logs', () => {
  it('writes JSON platform events when LogFormat is JSON', async () => {
    const r = await invoke('json');
    const events = tail(r).trim().split('\n').map((l) => JSON.parse(l) as { type?: string; record?: { metrics?: Record<string, number> }; message?: string });
    expect(events.map((e) => e.type ?? 'app')).toEqual(['platform.initStart', 'app', 'platform.start', 'app', 'platform.runtimeDone', 'platform.report']);
    expect(events.at(-1)!.record!.metrics).toHaveProperty('initDurationMs');
    const warm = tail(await invoke('json')).trim().split('\n').map((l) => JSON.parse(l) as { type?: string; record?: { metrics?: Record<string, number> } });
    expect(warm.at(-1)!.record!.metrics).not.toHaveProperty('initDurationMs');
  });

  it('makes events visible only after the ingestion lag, one stream per environment', async () => {
    const t0 = Date.now();
    // A function with no environment yet: three concurrent invokes, three cold starts.
    await Promise.all([invoke('json3'), invoke('json3'), invoke('json3')]);
    const filter = { logGroupName: '/aws/lambda/json3', startTime: t0, filterPattern: '{ $.type = "platform.report" }' };
    const early = await logs.send(new FilterLogEventsCommand(filter));
    expect(early.events ?? []).toHaveLength(0);
    await sleep(LAG + 200);
    const late = await logs.send(new FilterLogEventsCommand(filter));
    expect(late.events).toHaveLength(3);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/json3', limit: 1 }));
    expect(streams.logStreams).toHaveLength(1);
    expect(streams.nextToken).toBeTruthy();
    const all = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/json3' }));
    expect(all.logStreams).toHaveLength(3);
    for (const s of all.logStreams!) expect(s.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('pages GetLogEvents forward until the token repeats', async () => {
    await sleep(LAG);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/text' }));
    // which environment served which request depends on timing: read every stream (each one environment)
    let reports = 0;
    for (const stream of logStreams ?? []) {
      const messages: string[] = [];
      let token: string | undefined;
      for (;;) {
        const r = await logs.send(
          new GetLogEventsCommand({ logGroupName: '/aws/lambda/text', logStreamName: stream.logStreamName!, startFromHead: true, limit: 2, nextToken: token }),
        );
        messages.push(...(r.events ?? []).map((e) => e.message!));
        if (r.nextForwardToken === token) break;
        token = r.nextForwardToken;
      }
      expect(messages[0]).toMatch(/^INIT_START/);
      reports += messages.filter((m) => m.startsWith('REPORT RequestId')).length;
    }
    expect(reports).toBeGreaterThanOrEqual(2);
  });

  it('matches quoted phrases, ?OR terms and JSON patterns, case-sensitively', () => {
    const report = 'REPORT RequestId: x\tDuration: 1.00 ms';
    expect(compilePattern('"REPORT RequestId"')(report)).toBe(true);
    expect(compilePattern('"report requestid"')(report)).toBe(false);
    expect(compilePattern('?"REPORT RequestId" ?INIT_REPORT')('INIT_REPORT Init Duration: 1.00 ms')).toBe(true);
    expect(compilePattern('?"REPORT RequestId" ?INIT_REPORT')('START RequestId: x')).toBe(false);
    expect(compilePattern('{ $.type = "platform.report" }')('{"type":"platform.report","record":{}}')).toBe(true);
    expect(compilePattern('{ $.type = "platform.report" }')('REPORT RequestId: x')).toBe(false);
    expect(compilePattern('{ $.record.status = "timeout" || $.type = "platform.initReport" }')('{"type":"platform.initReport"}')).toBe(true);
    expect(compilePattern('')('anything')).toBe(true);
  });
});
