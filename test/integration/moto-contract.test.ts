// Contract tests against moto_server, an independent implementation of the AWS APIs: the configuration
// calls, the update waiter and FilterLogEvents pagination, with the real SDK over real HTTP. (moto has no
// RevisionId or LoggingConfig, its waiters succeed at once and it cannot run handlers: the emulator covers those.)
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silenceSdkVersionNotice } from '../../src/aws/clients.js';
import { filterAll, findReports } from '../../src/aws/cloudwatch.js';
import { ColdForcer } from '../../src/aws/cold.js';
import { getConfiguration, probeGetFunction } from '../../src/aws/lambda.js';
import { functionInfo } from '../../src/model/invocation.js';
import { recoveryPath } from '../../src/aws/recovery.js';
import { tempDir } from '../support/harness.js';
import { findPython } from '../support/lambda-emulator.js';
import { createRole, MOTO_CREDENTIALS, startMoto, type Moto } from '../support/moto.js';

const credentials = MOTO_CREDENTIALS;
let moto: Moto | undefined;
let url: string;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;
let cache: string;
const ctx = { functionName: 'contract-fn', region: 'us-east-1' };

beforeAll(async () => {
  silenceSdkVersionNotice();
  cache = tempDir('lc-moto-');
  moto = await startMoto();
  url = moto.url;
  lambda = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials });
  logs = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials });
  const role = await createRole(url, 'lambda-cold-contract');
  const zip = execFileSync(await findPython(), [
    '-c',
    'import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,"w")\nz.writestr("handler.py","def handler(e,c):\\n    return 1\\n")\nz.close()\nsys.stdout.buffer.write(b.getvalue())',
  ]);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'contract-fn',
      Runtime: 'python3.12',
      Role: role,
      Handler: 'handler.handler',
      Code: { ZipFile: zip },
      MemorySize: 256,
      Architectures: ['arm64'],
      Environment: { Variables: { KEEP_ME: 'value-1', OTHER: 'value-2' } },
    }),
  );
}, 60_000);

afterAll(() => {
  lambda?.destroy();
  logs?.destroy();
  moto?.stop();
  if (cache) rmSync(cache, { recursive: true, force: true });
});

describe('Lambda control plane (moto)', () => {
  it('reads the configuration the way invoke does', async () => {
    const config = await getConfiguration(lambda, 'contract-fn', undefined, ctx);
    const fn = functionInfo(config, 'contract-fn', undefined);
    expect(fn).toMatchObject({ functionName: 'contract-fn', runtime: 'python3.12', memorySizeMB: 256, architecture: 'arm64', logFormat: 'Text' });
    // moto has no LoggingConfig: the default group applies only then.
    expect(fn.logGroup).toBe('/aws/lambda/contract-fn');
    await probeGetFunction(lambda, 'contract-fn', ctx);
  });

  it('maps an unknown function to one sentence', async () => {
    await expect(getConfiguration(lambda, 'missing-fn', undefined, { ...ctx, functionName: 'missing-fn' })).rejects.toThrow(
      'Function missing-fn was not found in us-east-1',
    );
  });

  it('merges the nonce, waits with the real waiter, and restores the variables exactly', async () => {
    const file = recoveryPath('contract-fn', 'us-east-1', { XDG_CACHE_HOME: cache });
    const original = await getConfiguration(lambda, 'contract-fn', undefined, ctx);
    const forcer = new ColdForcer(lambda, 'contract-fn', original, file, ctx, url);
    forcer.begin();
    await forcer.retireEnvironments();
    await forcer.retireEnvironments();
    const changed = await getConfiguration(lambda, 'contract-fn', undefined, ctx);
    expect(changed.Environment?.Variables).toMatchObject({ KEEP_ME: 'value-1', OTHER: 'value-2' });
    expect(changed.Environment?.Variables?.LAMBDA_COLD_NONCE).toBe(`${forcer.recovery.runId}-2`);
    expect(forcer.updates).toBe(2);
    expect(await forcer.restore()).toEqual({ outcome: 'restored', updates: 1 });
    const restored = await getConfiguration(lambda, 'contract-fn', undefined, ctx);
    expect(restored.Environment?.Variables).toEqual({ KEEP_ME: 'value-1', OTHER: 'value-2' });
  });
});

describe('FilterLogEvents (moto)', () => {
  const group = '/aws/lambda/contract-fn';
  const ids = Array.from({ length: 12 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

  beforeAll(async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const now = Date.now();
    for (const [s, stream] of ['2026/01/01/[$LATEST]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '2026/01/01/[$LATEST]bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'].entries()) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      const mine = ids.filter((_, i) => i % 2 === s);
      const events = mine.flatMap((id, i) => [
        { timestamp: now + i * 10, message: `START RequestId: ${id} Version: $LATEST` },
        { timestamp: now + i * 10 + 1, message: `PID: ${100 + s}` },
        { timestamp: now + i * 10 + 2, message: `END RequestId: ${id}` },
        {
          timestamp: now + i * 10 + 3,
          message: `REPORT RequestId: ${id}\tDuration: 1.${i}0 ms\tBilled Duration: 2 ms\tMemory Size: 256 MB\tMax Memory Used: 40 MB\t${i === 0 ? 'Init Duration: 120.00 ms\t' : ''}`,
        },
      ]);
      await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }));
    }
  });

  it('follows nextToken across pages', async () => {
    const backoff = { deadline: Date.now() + 10_000 };
    const all = await filterAll(logs, { logGroupName: group, startTime: 0, endTime: Date.now() + 60_000, limit: 5 }, backoff, ctx);
    expect(all.events).toHaveLength(48);
    expect(all.calls).toBeGreaterThanOrEqual(10);
    const reports = await filterAll(logs, { logGroupName: group, startTime: 0, endTime: Date.now() + 60_000, filterPattern: '"REPORT RequestId"', limit: 5 }, backoff, ctx);
    expect(reports.events).toHaveLength(12);
    expect(reports.events.every((e) => e.message.startsWith('REPORT RequestId'))).toBe(true);
  });

  it('finds every REPORT by request id, in batches, and the stream (environment) it was written in', async () => {
    const wanted = ids.map((requestId) => ({ requestId, startedAt: Date.now() - 60_000, endedAt: Date.now() + 60_000 }));
    const { found, calls, unavailable } = await findReports(logs, { logGroupName: group, format: 'Text', wanted }, { timeoutMs: 5000 }, ctx);
    expect(unavailable).toBeNull();
    expect(found.size).toBe(12);
    // 12 ids, at most IDS_PER_CALL (10) per FilterLogEvents call.
    expect(calls).toBe(2);
    expect(found.get(ids[0]!)).toMatchObject({ logStream: expect.stringContaining('aaaa'), report: { initDurationMs: 120 } });
    expect(found.get(ids[1]!)).toMatchObject({ logStream: expect.stringContaining('bbbb'), report: { initDurationMs: 120 } });
    expect(found.get(ids[2]!)?.report.initDurationMs).toBeNull();
  });

  it('maps a missing log group to one sentence', async () => {
    await expect(filterAll(logs, { logGroupName: '/aws/lambda/none', startTime: 0, endTime: Date.now() }, { deadline: Date.now() + 1000 }, { ...ctx, functionName: 'none' })).rejects.toThrow(
      /The log group of none does not exist/,
    );
  });
});
