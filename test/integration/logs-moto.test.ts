// `lambda-cold logs` against moto_server (an independent implementation of the AWS APIs): functions made
// with CreateFunction, log groups seeded through PutLogEvents, the real SDK over real HTTP. Covers the
// FilterLogEvents contract (pagination, the quoted-phrase pattern), ListFunctions for --all, a function
// that is not Python, a missing log group and an empty window. moto has no LoggingConfig (every group is
// Text, /aws/lambda/<name>) and its Logs Insights ignores stats: JSON logs and Insights are unit-tested.
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silenceSdkVersionNotice } from '../../src/aws/clients.js';
import { forEachPage, historyPattern } from '../../src/aws/history.js';
import { NODE_STACK, runCli } from '../support/cli.js';
import { cliEnv, ensureBuilt, ROOT, tempDir } from '../support/harness.js';
import { findPython } from '../support/lambda-emulator.js';
import { createRole, MOTO_CREDENTIALS, startMoto, type Moto } from '../support/moto.js';

const credentials = MOTO_CREDENTIALS;
let moto: Moto | undefined;
let url: string;
let lambda: LambdaClient;
let logs: CloudWatchLogsClient;
let home: string;
const now = Date.now();
const STREAM_A = '2026/01/01/[$LATEST]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const STREAM_B = '2026/01/01/[$LATEST]bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

const report = (id: string, d: number, billed: number, extra = ''): string =>
  `REPORT RequestId: ${id}\tDuration: ${d.toFixed(2)} ms\tBilled Duration: ${billed} ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\t${extra}`;

/** Two environments of `orders`: A cold then warm calls; B cold, warm, then a re-init after a timeout. */
function ordersEvents(): Record<string, { timestamp: number; message: string }[]> {
  const t = now - 20 * 60_000;
  const a: string[] = ['INIT_START Runtime Version: python:3.12.v40\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:x'];
  const ids = Array.from({ length: 8 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  ids.forEach((id, i) => {
    a.push(`START RequestId: ${id} Version: $LATEST`, 'an application line that says REPORT', `END RequestId: ${id}`);
    a.push(report(id, 10 + i, i === 0 ? 612 : 11 + i, i === 0 ? 'Init Duration: 600.00 ms\t' : ''));
  });
  const b = [
    'INIT_START Runtime Version: python:3.12.v40\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:x',
    report('b-1', 20, 421, 'Init Duration: 400.00 ms\t'),
    report('b-2', 3000, 3000, 'Status: timeout\t'),
    'INIT_REPORT Init Duration: 150.00 ms\tPhase: invoke\tStatus: success',
    report('b-3', 170, 170),
  ];
  const events = (lines: string[], t0: number) => lines.map((message, i) => ({ timestamp: t0 + i * 100, message }));
  return { [STREAM_A]: events(a, t), [STREAM_B]: events(b, t + 30_000) };
}

beforeAll(async () => {
  silenceSdkVersionNotice();
  ensureBuilt();
  home = tempDir('lc-logs-moto-');
  moto = await startMoto();
  url = moto.url;
  lambda = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials });
  logs = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials });
  const role = await createRole(url, 'lambda-cold-logs');
  const zip = execFileSync(await findPython(), [
    '-c',
    'import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,"w")\nz.writestr("handler.py","def handler(e,c):\\n    return 1\\n")\nz.close()\nsys.stdout.buffer.write(b.getvalue())',
  ]);
  for (const [name, runtime] of [['orders', 'python3.12'], ['quiet', 'python3.12'], ['web', 'nodejs20.x']] as const) {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Role: role, Handler: 'handler.handler', Code: { ZipFile: zip }, MemorySize: 512 }));
  }
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/orders' }));
  for (const [stream, events] of Object.entries(ordersEvents())) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/aws/lambda/orders', logStreamName: stream }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/aws/lambda/orders', logStreamName: stream, logEvents: events }));
  }
}, 60_000);

afterAll(() => {
  lambda?.destroy();
  logs?.destroy();
  moto?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli([...args, '--endpoint-url', url], { env: cliEnv(home), replaceEnv: true, cwd: ROOT });

describe('FilterLogEvents history (moto)', () => {
  const group = '/aws/lambda/orders';
  it('follows nextToken page by page, each page in time order', async () => {
    const pages: number[] = [];
    let last = 0;
    let ordered = true;
    const calls = await forEachPage(
      logs,
      { logGroupName: group, startTime: now - 3_600_000, endTime: now, filterPattern: historyPattern('Text'), limit: 3 },
      (events) => {
        pages.push(events.length);
        for (const e of events) {
          if (e.timestamp < last) ordered = false;
          last = e.timestamp;
        }
      },
      {},
      { functionName: 'orders' },
    );
    expect(calls).toBe(pages.length);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.every((n) => n <= 3)).toBe(true);
    expect(ordered).toBe(true);
  });

  it('keeps only REPORT lines with the quoted phrase, not application lines that say REPORT', async () => {
    const messages: string[] = [];
    await forEachPage(logs, { logGroupName: group, startTime: now - 3_600_000, endTime: now, filterPattern: '"REPORT RequestId"', limit: 4 }, (events) => messages.push(...events.map((e) => e.message)), {}, { functionName: 'orders' });
    expect(messages).toHaveLength(11);
    expect(messages.every((m) => m.startsWith('REPORT RequestId: '))).toBe(true);
  });
});

describe('lambda-cold logs (moto)', () => {
  it('reports one function as JSON: cold starts, re-init apart, timeouts, environments', async () => {
    const r = await cli(['logs', 'orders', '--since', '1h', '--engine', 'filter', '--json']);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { schemaVersion: number; kind: string; functions: Record<string, unknown>[] };
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'logs', engine: 'filter' });
    expect(doc.functions).toHaveLength(1);
    expect(doc.functions[0]).toMatchObject({
      name: 'orders',
      invocations: 11,
      coldStarts: 2,
      errors: 0,
      timeouts: 1,
      reinits: 1,
      environments: 2,
      totalColdStartMs: 1000,
      initDurationMs: { n: 2, max: 600 },
      coldStartCost: { billedMs: 612 + 421 },
    });
    expect(r.stderr).toMatch(/engine: filter \(--engine filter\)/);
  });

  it('prints the table, progress on stderr only', async () => {
    const r = await cli(['logs', 'orders', '--since', '1h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/orders\s+11\s+2\s+18\.2%/);
    expect(r.stdout).toMatch(/orders: 1 re-init \(init re-run inside an invoke, not counted as cold\)/);
    expect(r.stderr).toMatch(/engine: filter \(auto, a short window and few functions\)/);
  });

  it('finds nothing in an empty window, and says so without failing', async () => {
    const r = await cli(['logs', 'orders', '--since', '2026-01-01T00:00:00Z', '--until', '2026-01-01T01:00:00Z', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { functions: { invocations: number; initDurationMs: unknown }[] };
    expect(doc.functions[0]).toMatchObject({ invocations: 0, initDurationMs: null });
  });

  it('names a missing log group in one sentence, exit 2', async () => {
    const r = await cli(['logs', 'quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/its log group \/aws\/lambda\/quiet does not exist in us-east-1/);
    expect(r.stderr).not.toMatch(NODE_STACK);
  });

  it('reads another log group with --log-group', async () => {
    const r = await cli(['logs', 'quiet', '--log-group', '/aws/lambda/orders', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { functions: { name: string; invocations: number }[] }).functions[0]).toMatchObject({ name: 'quiet', invocations: 11 });
  });

  it('--all ranks every Python function and skips the others with a note', async () => {
    const r = await cli(['logs', '--all', '--engine', 'filter', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { functions: { name: string }[]; skipped: { name: string; reason: string }[] };
    expect(doc.functions.map((f) => f.name)).toEqual(['orders']);
    expect(doc.skipped).toEqual(
      expect.arrayContaining([
        { name: 'web', reason: 'not Python (nodejs20.x)' },
        expect.objectContaining({ name: 'quiet', reason: expect.stringMatching(/log group \/aws\/lambda\/quiet does not exist/) }),
      ]),
    );
  });

  it('refuses bad input in one sentence', async () => {
    for (const args of [['logs'], ['logs', 'orders', '--since', 'yesterday'], ['logs', 'orders', '--all']]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
