// import-side-effects: a module whose own module-level code is slow, pointed at where the user can act,
// on synthetic profiles and hand-written facts.
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { dep, facts, imp, installed, own, ownPackage, profileOf, std } from '../support/advice.js';

const opts = { max: 10, initTargetMs: 10_000 };
const effects = (s: Parameters<typeof adviseProfile>[0]) => adviseProfile(s, opts).filter((a) => a.kind === 'import-side-effects');

describe('import-side-effects', () => {
  it("points at the user's own slow module itself (a package: its __init__)", () => {
    const s = profileOf(own('handler', 1, [ownPackage('settings_loader', 50)]), { facts: [facts('handler', [imp(7, 'settings_loader', 'module-level', 9)])] });
    const [a, ...rest] = effects(s);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'import-side-effects', file: 'settings_loader/__init__.py', line: 1, module: 'settings_loader', savingMs: 50 });
    expect(a?.message).toMatch(/^settings_loader's __init__ spends 50 ms running its own module-level code at import/);
    expect(a?.message).not.toContain('it is imported from');
  });

  it('gives no advice located in a dependency, even one pip installed into the task root (dependency-cost says it once)', () => {
    const inSite = own('handler', 1, [own('app', 1, [dep('sdk', 2, [dep('sdk.loader', 40)])])]);
    const f = [facts('handler', [imp(1, 'app', 'module-level', 3)]), facts('app', [imp(4, 'sdk', 'module-level', 6)])];
    expect(effects(profileOf(inSite, { facts: f }))).toEqual([]);
    const inRoot = own('handler', 1, [own('app', 1, [installed('sdk', 2, 'vendor-sdk', [installed('sdk.loader', 40, 'vendor-sdk')])])]);
    expect(effects(profileOf(inRoot, { facts: f }))).toEqual([]);
    const all = adviseProfile(profileOf(inRoot, { facts: f }), opts);
    expect(all.map((a) => [a.kind, a.file, a.line, a.module, a.savingMs, a.costMs])).toEqual([['dependency-cost', 'app.py', 4, 'sdk', 0, 42]]);
    expect(all[0]?.message).toMatch(/^vendor-sdk 1\.0 \(a third-party distribution\) runs 42 ms of its own module-level code at init across 2 modules \(most in sdk\.loader, 40 ms\), pulled in by sdk at app\.py:4\./);
  });

  it("gives no advice for a C extension's init (no Python code to move)", () => {
    const ext = { ...own('fastpath', 40), file: '/task/fastpath.cpython-312-x86_64-linux-gnu.so' };
    const s = profileOf(own('handler', 1, [ext]), { facts: [facts('handler', [imp(1, 'fastpath', 'module-level', 3)])] });
    expect(effects(s)).toEqual([]);
  });

  it('gives no advice for the standard library, which the user cannot change', () => {
    const s = profileOf(own('handler', 1, [std('decimal', 40)]), { facts: [facts('handler', [imp(1, 'decimal', 'module-level', 3)])] });
    expect(effects(s)).toEqual([]);
  });

  it('gives no advice for a module that builds an SDK client (module-client covers it)', () => {
    const s = profileOf(own('handler', 40, [dep('boto3', 2)]), {
      facts: [facts('handler', [imp(1, 'boto3', 'module-level', 3)], [{ line: 3, call: 'boto3.client', service: 's3' }])],
    });
    expect(effects(s)).toEqual([]);
  });

  it('gives no advice below 10 ms or 5 % of the import', () => {
    const f = [facts('handler', [imp(1, 'slow', 'module-level', 3), imp(2, 'big', 'module-level', 3)])];
    expect(effects(profileOf(own('handler', 1, [own('slow', 9)]), { facts: f }))).toEqual([]);
    // 15 ms of own work is 5 % of 300 ms, not of 400 ms
    expect(effects(profileOf(own('handler', 1, [own('slow', 15), std('big', 284)]), { facts: f })).map((a) => a.module)).toEqual(['slow']);
    expect(effects(profileOf(own('handler', 1, [own('slow', 15), std('big', 384)]), { facts: f }))).toEqual([]);
  });

  it('gives no advice for a module that a defer or unused suggestion already takes out of init', () => {
    const t = own('handler', 1, [own('reports', 2, [dep('engine', 50)])]);
    const advice = adviseProfile(profileOf(t, { facts: [facts('handler', [imp(3, 'reports', 'functions', 10)])] }), opts);
    expect(advice.map((a) => [a.kind, a.module])).toEqual([['defer-import', 'reports']]);
  });
});
