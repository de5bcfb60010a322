// `invoke --html` and `logs --html` through the real CLI against the local Lambda + CloudWatch Logs emulator:
// the page is written besides the document on stdout (which stays alone), holds the same invocations and
// figures as the JSON document, for a plain run, --cold and --importtime; `logs` draws what it counted;
// a path that cannot be written is one sentence and exit 2 before anything is invoked.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_STACK, runCli as run } from '../support/cli.js';
import { cliEnv, ensureBuilt, FIXTURES, ROOT, tempDir } from '../support/harness.js';
import { invokePageIds, pageData } from '../support/html.js';
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

let em: LambdaEmulator;
let home: string;
let out: string;
const runCli = (args: string[]) => run([...args, '--endpoint-url', em.url], { env: cliEnv(home), replaceEnv: true, cwd: ROOT });

interface InvokePage {
  n: number;
  idPack: 'uuid' | 'raw';
  ids: string | string[];
  kind: string;
  status: string;
  init: number[];
  dur: number[];
  summary: string[];
  percentiles: Array<[string, number, number, number, number, number, string]>;
  notes: string[];
}
interface InvokeDoc {
  invocations: Array<{ requestId: string; kind: string; status: string; initDurationMs: number | null; durationMs: number | null }>;
  summary: { cold: { initDurationMs: { n: number; p50: number } | null } };
}
const KIND = { cold: 'c', warm: 'w', 're-init': 'r', unknown: 'u' } as Record<string, string>;
const STATUS = { success: 'o', error: 'e', timeout: 't' } as Record<string, string>;

function expectSameInvocations(page: InvokePage, doc: InvokeDoc): void {
  expect(invokePageIds(page)).toEqual(doc.invocations.map((r) => r.requestId));
  expect(page.kind).toBe(doc.invocations.map((r) => KIND[r.kind]).join(''));
  expect(page.status).toBe(doc.invocations.map((r) => STATUS[r.status]).join(''));
  expect(page.init.map((x) => (x < 0 ? null : x / 100))).toEqual(doc.invocations.map((r) => r.initDurationMs));
  expect(page.dur.map((x) => (x < 0 ? null : x / 100))).toEqual(doc.invocations.map((r) => r.durationMs));
}

beforeAll(async () => {
  ensureBuilt();
  home = tempDir('lc-html-');
  out = join(home, 'pages');
  mkdirSync(out);
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 100, updateDelayMs: 100 });
  await em.start();
  // the runtime crashes on every third call: errors, then a re-init
  em.addFunction({ name: 'web', codeDir: FIXTURES, handler: 'hello.handler', environment: { INIT_SLEEP_MS: '50' }, faults: { every: 3, kind: 'crash' } });
  em.addFunction({ name: 'imports', codeDir: FIXTURES, handler: 'imports_handler.handler' });
});

afterAll(async () => {
  await em?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('invoke --html', () => {
  it('writes the page besides the JSON document; the page has the same invocations, errors and re-inits among them', async () => {
    const file = join(out, 'invoke.html');
    const r = await runCli(['invoke', 'web', '--count', '7', '--html', file, '--json']);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Wrote ${file} (open it in a browser).`);
    const doc = JSON.parse(r.stdout) as InvokeDoc;
    const page = pageData<InvokePage>(readFileSync(file, 'utf8'));
    expect(page.n).toBe(7);
    expectSameInvocations(page, doc);
    expect(page.kind).toMatch(/r/);
    expect(page.status).toMatch(/e/);
    const init = page.percentiles.find((p) => p[0] === 'init (cold starts)');
    expect(init?.slice(1, 3)).toEqual([doc.summary.cold.initDurationMs!.n, doc.summary.cold.initDurationMs!.p50]);
  });

  it('with --cold: every sample a cold start, the configuration updates in the summary', async () => {
    const file = join(out, 'cold.html');
    const r = await runCli(['invoke', 'imports', '--cold', '--count', '2', '--concurrency', '2', '--html', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const page = pageData<InvokePage>(readFileSync(file, 'utf8'));
    expectSameInvocations(page, JSON.parse(r.stdout) as InvokeDoc);
    expect(page.kind).toBe('cc');
    expect(page.summary.join('\n')).toMatch(/forced cold starts: 1 configuration update; environment restored/);
  });

  it('with --importtime: stdout has the import profile, the page the cold starts that were profiled', async () => {
    const file = join(out, 'importtime.html');
    const r = await runCli(['invoke', 'imports', '--importtime', '--count', '1', '--html', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { kind: string }).kind).toBe('profile');
    const page = pageData<InvokePage>(readFileSync(file, 'utf8'));
    expect(page.kind).toBe('c');
    expect(page.init[0]).toBeGreaterThan(0);
    expect(page.notes.join('\n')).toMatch(/PYTHONPROFILEIMPORTTIME=1/);
  });

  it('a folder as the file: one sentence, exit 2, before anything is invoked', async () => {
    const invokes = em.stats.invokes;
    const r = await runCli(['invoke', 'web', '--html', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lambda-cold: --html .* is a folder: give the path of the file to write\.$/m);
    expect(r.stdout).toBe('');
    expect(em.stats.invokes).toBe(invokes);
  });
});

describe('logs --html', () => {
  interface LogsDoc {
    functions: Array<{ name: string; errors: number; reinits: number; initDurationMs: { n: number } | null; coldDurationMs: { n: number } | null; warmDurationMs: { n: number } | null }>;
  }
  interface LogsPage {
    functions: Array<{ name: string; apart: { errors: number; reinits: number }; hist: Record<'init' | 'cold' | 'warm', [number, number[]]> | null }>;
  }
  const total = (h: [number, number[]] | undefined): number => (h ? h[1].reduce((a, b) => a + b, 0) : 0);

  it('draws per function the histograms of what it counted, failures and re-inits apart', async () => {
    const file = join(out, 'logs.html');
    const r = await runCli(['logs', 'web', 'imports', '--engine', 'filter', '--since', '10m', '--html', file, '--json']);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Wrote ${file}`);
    const doc = JSON.parse(r.stdout) as LogsDoc;
    const page = pageData<LogsPage>(readFileSync(file, 'utf8'));
    expect(page.functions.map((f) => f.name)).toEqual(doc.functions.map((f) => f.name));
    for (const f of doc.functions) {
      const p = page.functions.find((x) => x.name === f.name)!;
      expect(total(p.hist?.init)).toBe(f.initDurationMs?.n ?? 0);
      expect(total(p.hist?.cold)).toBe(f.coldDurationMs?.n ?? 0);
      expect(total(p.hist?.warm)).toBe(f.warmDurationMs?.n ?? 0);
      expect(p.apart).toMatchObject({ errors: f.errors, reinits: f.reinits });
    }
    expect(doc.functions.find((f) => f.name === 'web')!.reinits).toBeGreaterThan(0);
  });

  it('a file in a folder that does not exist: one sentence, exit 2', async () => {
    const file = join(out, 'missing', 'logs.html');
    const r = await runCli(['logs', 'web', '--html', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lambda-cold: --html .*: the folder .* does not exist\.$/m);
    expect(existsSync(file)).toBe(false);
  });
});
