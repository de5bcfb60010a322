// adviseProfile as a whole: every rule's advice in one list, most valuable first, capped by --advice,
// and a suggestion inside another's subtree left to the outer one (its saving already counts it).
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { dep, facts, imp, own, ownPackage, profileOf } from '../support/advice.js';

// handler (3 ms, builds a client) → reports (30 ms + pdf 60 ms), legacy (40 ms, unused), settings (own package, 50 ms at import)
const tree = () =>
  own('handler', 3, [dep('boto3', 5), own('reports', 30, [dep('pdf', 60)]), own('legacy', 40), ownPackage('settings', 50)]);
const handlerFacts = () =>
  facts(
    'handler',
    [imp(1, 'boto3', 'module-level', 6), imp(2, 'reports', 'functions', 12), imp(3, 'legacy', 'none'), imp(4, 'settings', 'module-level', 5)],
    [{ line: 6, call: 'boto3.client', service: 's3' }],
  );

describe('adviseProfile', () => {
  it('lists every kind most valuable first; a client (no saving) comes last', () => {
    const advice = adviseProfile(profileOf(tree(), { facts: [handlerFacts()] }), { max: 10, initTargetMs: 10_000 });
    expect(advice.map((a) => [a.kind, a.module, a.file, a.line, a.savingMs])).toEqual([
      ['defer-import', 'reports', 'handler.py', 2, 90],
      ['import-side-effects', 'settings', 'settings/__init__.py', 1, 50],
      ['unused-import', 'legacy', 'handler.py', 3, 40],
      ['module-client', 'handler', 'handler.py', 6, 0],
    ]);
  });

  it('keeps at most --advice suggestions, the most valuable', () => {
    const advice = adviseProfile(profileOf(tree(), { facts: [handlerFacts()] }), { max: 2, initTargetMs: 10_000 });
    expect(advice.map((a) => a.module)).toEqual(['reports', 'settings']);
    expect(adviseProfile(profileOf(tree(), { facts: [handlerFacts()] }), { max: 0, initTargetMs: 10_000 })).toEqual([]);
  });

  it("leaves a suggestion inside another's subtree to the outer one", () => {
    // reports is deferred from handler.py; reports.py's own unused import of pdf leaves init with it
    const s = profileOf(tree(), { facts: [handlerFacts(), facts('reports', [imp(1, 'pdf', 'none')])] });
    const imports = adviseProfile(s, { max: 10, initTargetMs: 10_000 }).filter((a) => a.kind === 'defer-import' || a.kind === 'unused-import');
    expect(imports.map((a) => [a.kind, a.module, a.savingMs])).toEqual([
      ['defer-import', 'reports', 90],
      ['unused-import', 'legacy', 40],
    ]);
    // with reports needed at init, pdf's removal is the suggestion
    const needed = profileOf(tree(), { facts: [facts('handler', [imp(2, 'reports', 'module-level', 5)]), facts('reports', [imp(1, 'pdf', 'none')])] });
    expect(adviseProfile(needed, { max: 10, initTargetMs: 10_000 }).map((a) => [a.kind, a.file, a.line, a.savingMs])).toContainEqual(['unused-import', 'reports.py', 1, 60]);
  });

  it('on captured files (--from-file: no facts, no origins, no owners) gives no advice: whose code it is is unknown', () => {
    const s = { ...profileOf(tree()), source: 'file' as const, target: null, python: null, origins: new Map(), owners: new Map(), moduleFiles: new Map() };
    expect(adviseProfile(s, { max: 10, initTargetMs: 0 })).toEqual([]);
  });
});
