// defer-import: a top-level import whose names are read only inside functions, with the saving this
// profile measured, on synthetic profiles and hand-written facts.
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { dep, facts, imp, own, profileOf, std, withFirstCall } from '../support/advice.js';

const opts = { max: 10, initTargetMs: 10_000 };
const defers = (s: Parameters<typeof adviseProfile>[0]) => adviseProfile(s, opts).filter((a) => a.kind === 'defer-import');

// handler (1 ms) → json (2 ms), reports (30 ms own + pandas 60 ms), other (1 ms)
const tree = () => own('handler', 1, [std('json', 2), own('reports', 30, [dep('pandas', 60)]), own('other', 1)]);
const handlerFacts = (reportsUse: 'functions' | 'module-level') =>
  facts('handler', [imp(2, 'json', 'module-level', 9), imp(3, 'reports', reportsUse, 12), imp(4, 'other', 'module-level', 9)]);

describe('defer-import', () => {
  it('points at the import statement and saves what the module costs with its dependencies', () => {
    const [a, ...rest] = defers(profileOf(tree(), { facts: [handlerFacts('functions'), facts('other', [])] }));
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'defer-import', file: 'handler.py', line: 3, module: 'reports', savingMs: 90 });
    expect(a?.message).toContain('first at line 12');
    expect(a?.message).toContain('saves 90 ms of init');
    expect(a?.message).toMatch(/cost moves to the first call that needs it; it does not go away/);
  });

  it('says what the first call took when the handler was called (--invoke)', () => {
    const s = withFirstCall(profileOf(tree(), { facts: [handlerFacts('functions')] }), 120);
    expect(defers(s)[0]?.message).toContain('(measured here: the first call took 120 ms)');
  });

  it('suggests `lazy import` only for Python 3.15 and later (the runtime, else the local Python)', () => {
    const lazy = (shape: { runtime?: string; python?: string }) =>
      /`lazy import reports` \(PEP 810\)/.test(defers(profileOf(tree(), { facts: [handlerFacts('functions')], ...shape }))[0]?.message ?? '');
    expect(lazy({ runtime: 'python3.15' })).toBe(true);
    expect(lazy({ runtime: 'python3.12', python: '3.15.0' })).toBe(false);
    expect(lazy({ python: '3.15.1' })).toBe(true);
    expect(lazy({ python: '3.13.2' })).toBe(false);
  });

  it('gives no advice for a name read at module level', () => {
    expect(defers(profileOf(tree(), { facts: [handlerFacts('module-level')] }))).toEqual([]);
  });

  it('gives no advice when other init code imports the module anyway', () => {
    // other.py reads reports at module level: it stays at init whatever handler.py does
    const s = profileOf(tree(), { facts: [handlerFacts('functions'), facts('other', [imp(1, 'reports', 'module-level', 5)])] });
    expect(defers(s)).toEqual([]);
  });

  it('counts only what would leave init: a dependency other init code needs stays', () => {
    // other.py reads pandas at module level: deferring reports saves its own 30 ms, not pandas' 60
    const s = profileOf(tree(), { facts: [handlerFacts('functions'), facts('other', [imp(1, 'pandas', 'module-level', 5)])] });
    expect(defers(s).map((a) => [a.module, a.savingMs])).toEqual([['reports', 30]]);
  });

  it("gives no advice on a dependency's own imports: site-packages is not the user's code", () => {
    // pandas (site-packages) imports a slow submodule it never uses: facts.py reads only the task root
    const s = profileOf(own('handler', 1, [dep('pandas', 5, [dep('pandas.plotting', 80)])]), {
      facts: [facts('handler', [imp(1, 'pandas', 'module-level', 4)])],
    });
    expect(defers(s)).toEqual([]);
  });

  it('gives no advice below the threshold: 1 ms, or 1 % of the handler\'s import', () => {
    const small = own('handler', 1, [own('reports', 0.8)]);
    expect(defers(profileOf(small, { facts: [facts('handler', [imp(1, 'reports', 'functions', 4)])] }))).toEqual([]);
    // 2.5 ms is worth it in a 10 ms import, not in a 400 ms one
    const f = [facts('handler', [imp(1, 'reports', 'functions', 4), imp(2, 'big', 'module-level', 3)])];
    expect(defers(profileOf(own('handler', 1, [own('reports', 2.5), own('big', 6)]), { facts: f })).map((a) => a.savingMs)).toEqual([2.5]);
    expect(defers(profileOf(own('handler', 1, [own('reports', 2.5), own('big', 400)]), { facts: f }))).toEqual([]);
  });
});
