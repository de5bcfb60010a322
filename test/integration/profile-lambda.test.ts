// Issue 3 end to end: phases (--invoke), --bytecode both, advice with measured savings, SAM templates,
// runtime fidelity. Proportions and rankings only, never absolute times.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Advice } from '../../src/analysis/advice/types.js';
import { fixtures, NODE_STACK, runCli, testCacheDir } from '../support/cli.js';

interface Doc {
  summary: { importUs: { median: number } };
  modules: Array<{ name: string; phase: string; selfUs: number; cumulativeUs: number; origin: string | null }>;
  phases?: { startupMs: number; initMs: number; firstInvokeMs: number; warmInvokeMs: number | null; handler: string; firstInvokeImportCount: number };
  bytecode?: { cachedUs: number; compileUs: number; savingUs: number; packages: Array<{ name: string; savingUs: number }> };
  advice: Advice[];
}

let cache: string;
const env = (): NodeJS.ProcessEnv => ({ LAMBDA_COLD_CACHE_DIR: cache });
beforeAll(() => {
  cache = testCacheDir();
});
afterAll(() => rmSync(cache, { recursive: true, force: true }));

async function json(args: string[]): Promise<{ doc: Doc; stderr: string }> {
  const r = await runCli(['profile', ...args, '--json'], { env: env() });
  expect(r.stderr).not.toMatch(NODE_STACK);
  expect(r.code, r.stderr).toBe(0);
  return { doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr };
}

const phases = join(fixtures, 'phases');

describe('--invoke: init, the first request, warm requests', () => {
  let doc: Doc;
  beforeAll(async () => {
    ({ doc } = await json([join(phases, 'handler.py'), '--runs', '3', '--invoke', join(phases, 'event.json'), '--warm', '3']));
  });

  it('puts the deferred import in the invoke phase, not in init', () => {
    expect(doc.modules.filter((m) => m.phase === 'init').map((m) => m.name)).toEqual(['handler']);
    const lazy = doc.modules.find((m) => m.name === 'heavy_lazy');
    expect(lazy?.phase).toBe('invoke');
    // the context's own imports (datetime, uuid) are the runtime's, not the first call's
    expect(doc.modules.some((m) => m.phase === 'invoke' && (m.name === 'datetime' || m.name === 'uuid'))).toBe(false);
  });

  it('reports per phase: the first call pays for the 80 ms import, warm calls do not', () => {
    const p = doc.phases;
    expect(p).toBeDefined();
    if (!p) return;
    expect(p.handler).toBe('handler.lambda_handler');
    expect(p.firstInvokeMs).toBeGreaterThan(5 * p.initMs);
    expect(p.warmInvokeMs).not.toBeNull();
    expect(p.firstInvokeMs).toBeGreaterThan(4 * (p.warmInvokeMs as number));
    expect(p.startupMs).toBeGreaterThan(0);
    expect(p.firstInvokeImportCount).toBeGreaterThanOrEqual(1);
  });

  it('says plainly that moving an import into the handler moves its cost to the first request', async () => {
    const r = await runCli(['profile', join(phases, 'handler.py'), '--runs', '1', '--invoke'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('First invoke');
    expect(r.stdout).toContain('Imports during the first invoke');
    expect(r.stdout).toMatch(/moves its cost from init to the first request .* it does not remove it/);
  });

  it('infers the handler function (lambda_handler, then handler) and calls it with a Lambda-like context', async () => {
    const { doc: d } = await json([join(phases, 'plain_handler.py'), '--runs', '1', '--invoke']);
    expect(d.phases?.handler).toBe('plain_handler.handler');
  });

  it('a handler that raises on its first call: exit 2 with its traceback, after the init profile', async () => {
    const r = await runCli(['profile', join(phases, 'raises_on_invoke.py'), '--runs', '1', '--invoke'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Handler import (init)');
    expect(r.stderr).toMatch(/^lambda-cold: The handler raised KeyError: 'missing' on its first call \(raises_on_invoke\.py:5\)/m);
    expect(r.stderr).toContain('Traceback (most recent call last)');
    expect(r.stderr).not.toMatch(NODE_STACK);
  });

  it('a --handler function that does not exist, a missing or broken event file: exit 2', async () => {
    const nofn = await runCli(['profile', join(phases, 'plain_handler.py'), '--runs', '1', '--invoke', '--handler', 'nope'], { env: env() });
    expect(nofn.code).toBe(2);
    expect(nofn.stderr).toMatch(/^lambda-cold: plain_handler has no function nope: pass the function with --handler module\.function\.$/m);
    const wrongModule = await runCli(['profile', join(phases, 'plain_handler.py'), '--invoke', '--handler', 'other.fn'], { env: env() });
    expect(wrongModule.code).toBe(2);
    expect(wrongModule.stderr).toMatch(/--handler other\.fn names the module other, but the target imports plain_handler/);
    const missing = await runCli(['profile', join(phases, 'plain_handler.py'), '--invoke', '/nonexistent/event.json'], { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^lambda-cold: The event file \/nonexistent\/event\.json does not exist\.$/m);
    const dir = mkdtempSync(join(tmpdir(), 'lc-event-'));
    writeFileSync(join(dir, 'bad.json'), '{not json');
    const broken = await runCli(['profile', join(phases, 'plain_handler.py'), '--invoke', join(dir, 'bad.json')], { env: env() });
    rmSync(dir, { recursive: true });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/bad\.json is not valid JSON/);
  });
});

describe('advice with measured savings (python-fixtures/advice)', () => {
  let doc: Doc;
  beforeAll(async () => {
    ({ doc } = await json([join(fixtures, 'advice', 'handler.py'), '--runs', '3', '--advice', '10']));
  });
  const find = (kind: string, module: string): Advice => {
    const a = doc.advice.find((x) => x.kind === kind && x.module === module);
    if (!a) throw new Error(`no ${kind} advice for ${module}: ${JSON.stringify(doc.advice, null, 1)}`);
    return a;
  };
  const cum = (name: string): number => (doc.modules.find((m) => m.name === name)?.cumulativeUs ?? 0) / 1000;

  it('defers an import used only inside functions, naming file:line and the ms it saves', () => {
    const a = find('defer-import', 'reports');
    expect([a.file, a.line]).toEqual(['handler.py', 6]);
    expect(a.savingMs / cum('reports')).toBeGreaterThan(0.9);
    expect(a.savingMs / cum('reports')).toBeLessThan(1.1);
    expect(a.message).toMatch(/cost moves to the first call/);
    expect(a.message).not.toMatch(/lazy import/);
  });

  it('suggests PEP 810 `lazy import` when the runtime is Python 3.15+', async () => {
    const { doc: d } = await json([join(fixtures, 'advice', 'handler.py'), '--runs', '1', '--runtime', 'python3.15']);
    expect(d.advice.find((a) => a.kind === 'defer-import')?.message).toMatch(/`lazy import reports` \(PEP 810\)/);
  });

  it('removes an unused import', () => {
    const a = find('unused-import', 'legacy_export');
    expect([a.file, a.line]).toEqual(['handler.py', 5]);
    expect(a.savingMs / cum('legacy_export')).toBeGreaterThan(0.9);
  });

  it("names a package whose __init__ does work at import", () => {
    const a = find('import-side-effects', 'settings_loader');
    expect(a.file).toBe('settings_loader/__init__.py');
    expect(a.savingMs).toBeGreaterThan(0);
  });

  it('shows a module-level client as the right pattern, with its cost and no saving', () => {
    const a = find('module-client', 'handler');
    expect([a.file, a.line, a.savingMs]).toEqual(['handler.py', 10, 0]);
    expect(a.costMs).toBeGreaterThan(0);
    expect(a.message).toMatch(/right pattern/);
  });

  it('ranks by saving (90 ms defer, 60 ms unused, 50 ms side effects) and has a number on every suggestion', () => {
    const code = doc.advice.filter((a) => a.kind !== 'module-client');
    expect(code.map((a) => a.module)).toEqual(['reports', 'legacy_export', 'settings_loader']);
    for (const a of doc.advice) expect(typeof a.savingMs).toBe('number');
    // the stand-in boto3 and json are used at module level: no advice on them
    expect(doc.advice.some((a) => a.module === 'boto3' || a.module === 'json')).toBe(false);
  });

  it('--advice caps the list; --init-target adds provisioned concurrency and SnapStart when init stays high', async () => {
    const { doc: two } = await json([join(fixtures, 'advice', 'handler.py'), '--runs', '1', '--advice', '2']);
    expect(two.advice.map((a) => a.module)).toEqual(['reports', 'legacy_export']);
    const { doc: strict } = await json([join(fixtures, 'advice', 'handler.py'), '--runs', '1', '--init-target', '5', '--runtime', 'python3.12']);
    const pc = strict.advice.find((a) => a.kind === 'consider-provisioned-or-snapstart');
    expect(pc?.message).toMatch(/Provisioned concurrency/);
    expect(pc?.message).toMatch(/SnapStart/);
    expect(pc?.message).toMatch(/costs money even when idle/);
    const { doc: loose } = await json([join(fixtures, 'advice', 'handler.py'), '--runs', '1', '--init-target', '5000']);
    expect(loose.advice.some((a) => a.kind === 'consider-provisioned-or-snapstart')).toBe(false);
  });

  it('prints the advice in the report', async () => {
    const r = await runCli(['profile', join(fixtures, 'advice', 'handler.py'), '--runs', '1'], { env: env() });
    expect(r.stdout).toMatch(/Advice\n 1\. handler\.py:6 {2}saves [\d.]+ ms {2}\[defer-import\]/);
  });
});

describe('--bytecode both', () => {
  let project: string;
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'lambda-cold-both-'));
    const body = Array.from({ length: 4000 }, (_, i) => `def f${i}(a, b=${i}):\n    return [a * b + ${i} for _ in range(3)]\n`).join('');
    writeFileSync(join(project, 'bigmod.py'), body);
    writeFileSync(join(project, 'handler.py'), 'import bigmod\n\n\ndef lambda_handler(event, context):\n    return bigmod.f1(1)\n');
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('measures both modes interleaved and reports what shipping .pyc saves, per package', async () => {
    const { doc } = await json([join(project, 'handler.py'), '--runs', '3', '--bytecode', 'both']);
    const bc = doc.bytecode;
    expect(bc).toBeDefined();
    if (!bc) return;
    expect(bc.compileUs).toBeGreaterThan(2 * bc.cachedUs);
    expect(bc.savingUs).toBeCloseTo(bc.compileUs - bc.cachedUs, 5);
    expect(bc.packages[0]?.name).toBe('bigmod');
    expect(doc.advice.find((a) => a.kind === 'ship-pyc')?.savingMs).toBeGreaterThan(0);
    expect(readdirSync(project).sort()).toEqual(['bigmod.py', 'handler.py']);
  });
});

describe('runtime fidelity', () => {
  it('warns when the local Python differs from --runtime, and rejects a bad --runtime', async () => {
    const r = await runCli(['profile', join(phases, 'plain_handler.py'), '--runs', '1', '--runtime', 'python3.99'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: the function runs on python3\.99 but this profile uses Python 3\.\d+\.\d+/);
    const bad = await runCli(['profile', join(phases, 'plain_handler.py'), '--runtime', 'node20'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^lambda-cold: Invalid value for --runtime: expected a Lambda Python runtime such as python3\.12 \(got "node20"\)\.$/m);
  });

  it('a function folder: finds the handler file in it', async () => {
    const { doc } = await json([join(fixtures, 'phases'), '--handler', 'plain_handler.handler', '--runs', '1']);
    expect(doc.modules.map((m) => m.name)).toEqual(['colorsys', 'plain_handler']);
  });

  it('a folder with only a requirements.txt: says its dependencies must be installed into the root', async () => {
    const dir = join(fixtures, 'requirements-only');
    const r = await runCli(['profile', dir, '--runs', '1'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^lambda-cold: lambda_function imports aws_lambda_powertools, which cannot be found \(lambda_function\.py:3\)\. The task root has a requirements\.txt whose dependencies are not installed in it: lambda-cold installs nothing, so install them as the deployment does \(pip install -r .*requirements\.txt -t .*requirements-only/m,
    );
  });
});

describe('--sam template.yaml', () => {
  const template = join(fixtures, 'sam', 'template.yaml');
  it('profiles each Python function with its CodeUri, Handler, Runtime and local layers; skips the Node one', async () => {
    const r = await runCli(['profile', '--sam', template, '--runs', '1', '--json'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      kind: string;
      functions: Array<{ logicalId: string; runtime: string; handler: string; skippedLayers: string[]; profile: Doc }>;
      skipped: Array<{ logicalId: string; reason: string }>;
    };
    expect(doc.kind).toBe('profile-sam');
    expect(doc.functions.map((f) => [f.logicalId, f.runtime, f.handler])).toEqual([
      ['OrdersFunction', 'python3.12', 'app.lambda_handler'],
      ['ReportsFunction', 'python3.11', 'reports/handler.main'],
    ]);
    const orders = doc.functions[0]?.profile as Doc;
    expect(orders.modules.find((m) => m.name === 'pricing')?.origin).toBe('layer');
    expect(doc.functions[0]?.skippedLayers[0]).toMatch(/^arn:aws:lambda:/);
    expect((doc.functions[1]?.profile as Doc).modules.map((m) => m.name).sort()).toEqual(['reports', 'reports.handler']);
    expect(doc.skipped).toEqual([{ logicalId: 'WebFunction', reason: 'runtime nodejs20.x is not Python' }]);
    expect(r.stderr).toContain('WebFunction skipped: runtime nodejs20.x is not Python.');
  });

  it('--function picks one; unknown, non-Python and misplaced --function are exit 2', async () => {
    const one = await runCli(['profile', '--sam', template, '--function', 'ReportsFunction', '--runs', '1'], { env: env() });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('ReportsFunction');
    expect(one.stdout).not.toContain('OrdersFunction');
    const unknown = await runCli(['profile', '--sam', template, '--function', 'Nope'], { env: env() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/has no function Nope; its Python functions: OrdersFunction, ReportsFunction\./);
    const node = await runCli(['profile', '--sam', template, '--function', 'WebFunction'], { env: env() });
    expect(node.code).toBe(2);
    expect(node.stderr).toMatch(/The function WebFunction in .* cannot be profiled: runtime nodejs20\.x is not Python\./);
    const alone = await runCli(['profile', join(phases, 'plain_handler.py'), '--function', 'X'], { env: env() });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--function names a function of a SAM template: give the template with --sam\./);
    const missing = await runCli(['profile', '--sam', '/nonexistent/template.yaml'], { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/The SAM template \/nonexistent\/template\.yaml does not exist\./);
  });
});
