// Statement attribution (the attribution run's raw times, src/python/statements.py's shape): the scaling
// to the measured self time, the library a statement called, the advice's wording, `--tree --lines`, the
// JSON. Synthetic profiles (test/support/advice.ts); statements.py itself runs in the integration test.
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { statTree } from '../../src/importtime/aggregate.js';
import type { ProfileSession } from '../../src/importtime/session.js';
import { scaleStatements, shortText, statementAt, type StatementAttribution } from '../../src/importtime/statements.js';
import type { Owner } from '../../src/python/distributions.js';
import type { HarnessStatements } from '../../src/python/protocol.js';
import { htmlData } from '../../src/render/profile-html.js';
import { profileDocument } from '../../src/render/profile-json.js';
import { fromStatNodes, renderTree } from '../../src/render/tree.js';
import { dep, facts, imp, own, ownPackage, profileOf } from '../support/advice.js';

type RawStatement = HarnessStatements['modules'][number]['statements'][number];
const st = (line: number, text: string, us: number, call: RawStatement['call'] = null, multiline = false): RawStatement => ({ line, text, multiline, us, call });
const OVERHEAD = { wallMs: 150, measuredWallMs: 100, ratio: 1.5 };

const owners: Record<string, Owner> = {
  re: { kind: 'stdlib' },
  boto3: { kind: 'third-party', distribution: 'boto3', version: '1.34.0' },
  'app.settings': { kind: 'user' },
};
const ownerOf = (m: string): Owner => owners[m] ?? { kind: 'unknown' };

/** A session whose statements come from `raw`, scaled as the orchestration does (self time per module name). */
function withStatements(s: ProfileSession, raw: HarnessStatements['modules']): ProfileSession & { statements: StatementAttribution } {
  const self = new Map(s.aggregate.modules.map((m) => [m.name, m.selfUs.median]));
  return { ...s, statements: scaleStatements({ tracer: 'sys.monitoring', error: null, modules: raw }, (n) => self.get(n) ?? null, ownerOf, OVERHEAD) };
}

const configRaw = {
  module: 'app.config',
  file: '/task/app/config.py',
  statements: [
    st(1, 'import os', 500),
    st(12, 'SETTINGS = load_settings()', 190_000, { name: 'app.settings.load_settings', module: 'app.settings', us: 189_000 }),
    st(14, 'PATTERNS = [re.compile(p) for p in RAW]', 9500, { name: 're.compile', module: 're', us: 9000 }),
  ],
};

describe('scaleStatements', () => {
  it("shares each module's measured self time among its statements, in line order, summing to it", () => {
    const s = withStatements(profileOf(own('handler', 1, [own('app.config', 40)])), [configRaw]);
    const [m] = s.statements.modules;
    expect(m?.module).toBe('app.config');
    expect(m?.selfUs).toBe(40_000);
    expect(m?.statements.map((x) => x.line)).toEqual([1, 12, 14]);
    expect(m?.statements.reduce((t, x) => t + x.selfUs, 0)).toBeCloseTo(40_000, 6);
    // the raw proportions (5 : 1900 : 95) are kept, the traced run's absolute times are not
    expect(m?.statements.map((x) => x.share)).toEqual([0.0025, 0.95, 0.0475]);
    expect(m?.statements[1]?.selfUs).toBeCloseTo(38_000, 6);
  });

  it('names the library a statement spent most of its time in, never code of the user', () => {
    const s = withStatements(profileOf(own('handler', 1, [own('app.config', 40), own('app.clients', 30)])), [
      configRaw,
      { module: 'app.clients', file: '/task/app/clients.py', statements: [st(3, "s3 = boto3.client('s3')", 800, { name: 'boto3.client', module: 'boto3', us: 790 }), st(5, 'x = boto3.client', 200, { name: 'boto3.client', module: 'boto3', us: 10 })] },
    ]);
    const calls = s.statements.modules.flatMap((m) => m.statements.map((x) => [m.module, x.line, x.calls]));
    expect(calls).toEqual([
      ['app.config', 1, null],
      ['app.config', 12, null], // app.settings.load_settings: the user's own function
      ['app.config', 14, { name: 're.compile', distribution: null, version: null }],
      ['app.clients', 3, { name: 'boto3.client', distribution: 'boto3', version: '1.34.0' }],
      ['app.clients', 5, null], // the call took a small part of the statement
    ]);
  });

  it('leaves out modules absent from the measured import and code run without a module name', () => {
    const s = withStatements(profileOf(own('handler', 1)), [configRaw, { module: null, file: '/task/x.py', statements: [st(1, 'x = 1', 5)] }]);
    expect(s.statements.modules).toEqual([]);
  });
});

describe('statement text', () => {
  it('shortens to one line with an ellipsis, and marks a statement that goes on below', () => {
    expect(shortText('SETTINGS = load_settings()', false)).toBe('SETTINGS = load_settings()');
    expect(shortText('CONFIG = {', true)).toBe('CONFIG = { …');
    const long = shortText(`X = ${'a'.repeat(100)}`, false);
    expect(long).toHaveLength(60);
    expect(long.endsWith('…')).toBe(true);
  });

  it('finds the top-level statement holding a line', () => {
    const s = withStatements(profileOf(own('handler', 1, [own('app.config', 40)])), [configRaw]);
    const m = s.statements.modules[0];
    if (!m) throw new Error('no module');
    expect(statementAt(m, 13)?.line).toBe(12);
    expect(statementAt(m, 14)?.line).toBe(14);
    expect(statementAt(m, 99)?.line).toBe(14);
  });
});

const opts = { max: 10, initTargetMs: 10_000 };

describe('advice with statements', () => {
  it('import-side-effects names the statement: file, line, text, ms and share of the module', () => {
    const base = profileOf(own('handler', 1, [own('app.config', 40)]), { facts: [facts('handler', [imp(1, 'app.config', 'module-level', 5)])] });
    const [a] = adviseProfile(withStatements(base, [configRaw]), opts).filter((x) => x.kind === 'import-side-effects');
    expect(a).toMatchObject({ file: 'app/config.py', line: 12, module: 'app.config', savingMs: 40 });
    expect(a?.message).toContain('its costliest statement: app/config.py:12  SETTINGS = load_settings()  38 ms (95 % of app.config)');
    expect(a?.statement).toEqual({ line: 12, text: 'SETTINGS = load_settings()', ms: 38, share: 0.95, calls: null });
  });

  it("names no statement when they do not account for the module's self time (loading, noise)", () => {
    const base = profileOf(own('handler', 1, [own('app.config', 40)]), { facts: [facts('handler', [imp(1, 'app.config', 'module-level', 5)])] });
    // the traced statements took 2 ms of the module's 40 ms
    const raw = { ...configRaw, statements: configRaw.statements.map((x) => ({ ...x, us: x.us / 100 })) };
    const [a] = adviseProfile(withStatements(base, [raw]), opts).filter((x) => x.kind === 'import-side-effects');
    expect(a).toMatchObject({ file: 'app/config.py', line: 1, savingMs: 40 });
    expect(a?.message).not.toContain('statement');
    expect(a?.statement).toBeUndefined();
  });

  it('names the library when the statement spent its time there', () => {
    const raw = { module: 'patterns', file: '/task/patterns/__init__.py', statements: [st(1, 'import re', 200), st(4, 'for p in RAW: …', 19_800, { name: 're.compile', module: 're', us: 19_000 })] };
    const base = profileOf(own('handler', 1, [ownPackage('patterns', 20)]), { facts: [facts('handler', [imp(1, 'patterns', 'module-level', 5)])] });
    const [a] = adviseProfile(withStatements(base, [raw]), opts).filter((x) => x.kind === 'import-side-effects');
    expect(a?.message).toContain('patterns/__init__.py:4  for p in RAW: …  19.8 ms (99 % of patterns), in re.compile (standard library)');
  });

  it('module-client keeps its advice with the client statement’s own cost, and the rest of that module is advised apart', () => {
    const clientFacts = facts('handler', [imp(1, 'boto3', 'module-level', 3)], [{ line: 4, call: 'boto3.client', service: 's3' }]);
    const base = profileOf(own('handler', 50, [dep('boto3', 2)]), { facts: [clientFacts] });
    const raw = {
      module: 'handler',
      file: '/task/handler.py',
      statements: [st(1, 'import boto3', 100), st(4, "s3 = boto3.client('s3')", 50_000, { name: 'boto3.client', module: 'boto3', us: 49_500 }), st(6, 'TABLE = build_table()', 49_900)],
    };
    const advice = adviseProfile(withStatements(base, [raw]), opts);
    const client = advice.find((a) => a.kind === 'module-client');
    expect(client).toMatchObject({ file: 'handler.py', line: 4, savingMs: 0, costMs: 25 });
    expect(client?.message).toContain("Keep it. Building it takes 25 ms of init (its statement, measured in boto3.client (boto3 1.34.0)), of the 50 ms of handler's own module-level code.");
    const effects = advice.filter((a) => a.kind === 'import-side-effects');
    expect(effects.map((a) => [a.file, a.line, a.savingMs])).toEqual([['handler.py', 6, 25]]);
    expect(effects[0]?.message).toContain('besides building its SDK client');
  });
});

describe('--tree --lines', () => {
  it("shows a module's costliest statements under it, with the library they called", () => {
    const s = withStatements(profileOf(own('handler', 1, [own('app.config', 40, [own('app.settings', 1)])])), [configRaw]);
    const tree = renderTree(fromStatNodes(statTree(s.aggregate.modules), new Map(s.statements.modules.map((m) => [m.module, m]))));
    expect(tree).toBe(
      [
        '   cum ms   self ms  module',
        '     42.0       1.0  handler',
        '     41.0      40.0  └─ app.config',
        '               38.0     │  :12  SETTINGS = load_settings()',
        '                1.9     │  :14  PATTERNS = [re.compile(p) for p in RAW]  → re.compile (standard library)',
        '                        │  … 1 more statement (0.10 ms)',
        '      1.0       1.0     └─ app.settings',
        '',
      ].join('\n'),
    );
  });

  it('limits the statements shown per module', () => {
    const s = withStatements(profileOf(own('handler', 1, [own('app.config', 40)])), [configRaw]);
    const tree = renderTree(fromStatNodes(statTree(s.aggregate.modules), new Map(s.statements.modules.map((m) => [m.module, m]))), { statements: 1 });
    expect(tree).toContain(':12  SETTINGS');
    expect(tree).not.toContain(':14');
    expect(tree).toContain('… 2 more statements (2.0 ms)');
  });
});

describe('JSON', () => {
  it('puts statements on each attributed module and the run’s overhead in statementsRun', () => {
    // a run's session: modules from the aggregate (captured files keep raw records instead)
    const s = { ...withStatements(profileOf(own('handler', 1, [own('app.config', 40)])), [configRaw]), records: null };
    const doc = profileDocument({ session: s, advice: [], toolVersion: '9.9.9' }) as {
      modules: Array<{ name: string; statements?: unknown[] }>;
      statementsRun: unknown;
    };
    expect(doc.modules.find((m) => m.name === 'handler')?.statements).toBeUndefined();
    expect(doc.modules.find((m) => m.name === 'app.config')?.statements).toEqual([
      { line: 1, text: 'import os', selfUs: 100, share: 0.0025 },
      { line: 12, text: 'SETTINGS = load_settings()', selfUs: 38_000, share: 0.95 },
      { line: 14, text: 'PATTERNS = [re.compile(p) for p in RAW]', selfUs: 1900, share: 0.0475, calls: { name: 're.compile', distribution: null, version: null } },
    ]);
    expect(doc.statementsRun).toEqual({ tracer: 'sys.monitoring', wallMs: 150, measuredWallMs: 100, overheadRatio: 1.5, modules: 1, cachedAt: null });
  });

  it('has no statements without an attribution run', () => {
    const doc = profileDocument({ session: { ...profileOf(own('handler', 1, [own('app.config', 40)])), records: null }, advice: [], toolVersion: '9.9.9' }) as Record<string, unknown>;
    expect(doc.statementsRun).toBeUndefined();
    expect(JSON.stringify(doc.modules)).not.toContain('"statements"');
  });
});

describe('HTML report', () => {
  it("carries each module's costliest statements in the page data (the page lists them under the advice)", () => {
    const s = withStatements(profileOf(own('handler', 1, [own('app.config', 40)])), [configRaw]);
    expect(htmlData({ session: s, advice: [], toolVersion: '9.9.9' }).statements).toEqual([
      { module: 'app.config', line: 12, text: 'SETTINGS = load_settings()', selfUs: 38_000, share: 0.95, calls: '' },
      { module: 'app.config', line: 14, text: 'PATTERNS = [re.compile(p) for p in RAW]', selfUs: 1900, share: 0.0475, calls: 're.compile (standard library)' },
    ]);
    expect(htmlData({ session: profileOf(own('handler', 1)), advice: [], toolVersion: '9.9.9' }).statements).toEqual([]);
  });
});
