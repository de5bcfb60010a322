// unused-import: a top-level import none of whose names is read in its file, on synthetic profiles and
// hand-written facts.
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { dep, facts, imp, own, ownPackage, profileOf } from '../support/advice.js';

const opts = { max: 10, initTargetMs: 10_000 };
const unused = (s: Parameters<typeof adviseProfile>[0]) => adviseProfile(s, opts).filter((a) => a.kind === 'unused-import');

// handler → legacy_export (20 ms + xlsx 40 ms), app (package) → app.jobs → legacy_export is not imported again
const tree = () => own('handler', 1, [own('legacy_export', 20, [dep('xlsx', 40)]), ownPackage('app', 1, [own('app.jobs', 3)])]);

describe('unused-import', () => {
  it('points at the statement in the file that never reads the name, with the module\'s cost', () => {
    const s = profileOf(tree(), { facts: [facts('handler', [imp(1, 'legacy_export', 'none'), imp(2, 'app', 'module-level', 8)])] });
    const [a, ...rest] = unused(s);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ kind: 'unused-import', file: 'handler.py', line: 1, module: 'legacy_export', savingMs: 60 });
    expect(a?.message).toBe(
      'legacy_export is imported at handler.py:1 and never used in handler: removing it saves 60 ms of init (unless it is imported for a side effect such as registering a plugin).',
    );
  });

  it("finds it in any of the user's modules, not only the handler", () => {
    const t = own('handler', 1, [ownPackage('app', 1, [own('app.jobs', 3, [own('legacy_export', 20)])])]);
    const s = profileOf(t, {
      facts: [facts('handler', [imp(1, 'app.jobs', 'module-level', 3)]), facts('app.jobs', [imp(7, 'legacy_export', 'none')])],
    });
    expect(unused(s).map((a) => [a.file, a.line, a.savingMs])).toEqual([['app/jobs.py', 7, 20]]);
  });

  it('gives no advice for a name read at module level', () => {
    const s = profileOf(tree(), { facts: [facts('handler', [imp(1, 'legacy_export', 'module-level', 5)])] });
    expect(unused(s)).toEqual([]);
  });

  it('gives no advice when other init code imports the module anyway', () => {
    const s = profileOf(tree(), {
      facts: [facts('handler', [imp(1, 'legacy_export', 'none'), imp(2, 'app', 'module-level', 8)]), facts('app.jobs', [imp(1, 'legacy_export', 'module-level', 4)])],
    });
    expect(unused(s)).toEqual([]);
  });

  it('gives no advice for an import a dependency in site-packages makes (not the user\'s to edit)', () => {
    const s = profileOf(own('handler', 1, [dep('xlsx', 5, [dep('xlsx.charts', 50)])]), { facts: [facts('handler', [imp(1, 'xlsx', 'module-level', 4)])] });
    expect(unused(s)).toEqual([]);
  });

  it('gives no advice below the threshold', () => {
    const s = profileOf(own('handler', 1, [own('legacy_export', 0.9)]), { facts: [facts('handler', [imp(1, 'legacy_export', 'none')])] });
    expect(unused(s)).toEqual([]);
  });
});
