// Savings from the recorded import graph (a warm-up run records every import request, modules already
// loaded included): nothing imported anyway by other init code is counted; pairs that only save together.
import { describe, expect, it } from 'vitest';
import { adviseProfile } from '../../src/analysis/advice.js';
import { estimateScaling } from '../../src/analysis/memory-scaling.js';
import type { ImportEdge } from '../../src/model/import-edge.js';
import { dep, facts, imp, own, profileOf, std } from '../support/advice.js';

const opts = { max: 10, initTargetMs: 10_000 };
const e = (importer: string, imported: string): ImportEdge => ({ importer, imported });

describe('advice from the import graph', () => {
  it('numpy + scipy.stats: deferring numpy alone saves nothing, both together save both subtrees', () => {
    // -X importtime shows numpy under the handler only; scipy.stats asks for it again (already loaded)
    const tree = own('handler', 1, [dep('numpy', 150, [dep('numpy.linalg', 68)]), dep('scipy', 5, [dep('scipy.stats', 300)])]);
    const session = {
      ...profileOf(tree, { facts: [facts('handler', [imp(1, 'numpy', 'functions', 9), imp(2, 'scipy.stats', 'functions', 10)])] }),
      importEdges: [e('__main__', 'handler'), e('handler', 'numpy'), e('numpy', 'numpy.linalg'), e('handler', 'scipy.stats'), e('scipy.stats', 'numpy')],
    };
    const advice = adviseProfile(session, opts);
    expect(advice.map((a) => [a.kind, a.module, a.line, a.savingMs])).toEqual([
      ['defer-together', 'numpy + scipy.stats', 1, 523],
      ['defer-import', 'scipy.stats', 2, 305],
    ]);
    expect(advice[0]?.message).toContain('deferring both saves 523 ms of init together (numpy alone 0 ms, scipy.stats alone 305 ms)');

    // the memory size: at 1,769 MB the first request pays what init saves; at 128 MB ×13.82, so the pair stays
    const at = (memorySizeMB: number) => adviseProfile(session, { ...opts, scaling: estimateScaling(memorySizeMB) }).find((a) => a.kind === 'defer-together')!;
    const full = at(1769);
    expect([full.savingMs, full.recommended, full.firstRequestMs]).toEqual([523, true, 523]);
    expect(full.message).toContain('At 1,769 MB the first request pays about 523 ms for them');
    const small = at(128);
    expect([small.savingMs, small.recommended, small.initMs]).toEqual([0, false, 523]);
    expect(small.firstRequestMs).toBeCloseTo(523 * 1769 / 128, -1);
    expect(small.message).toMatch(/keep them at init: at 128 MB the first request would pay about [\d.]+ ms for both instead of their 523 ms at init/);
  });

  it('counts nothing for a module other init code imports anyway (http.client imports email.utils)', () => {
    const tree = own('handler', 1, [std('http.client', 8, [std('email.utils', 6)])]);
    const f = [facts('handler', [imp(1, 'http.client', 'module-level', 3), imp(2, 'email.utils', 'functions', 9)])];
    // the tree alone cannot tell: email.utils is not under the handler's own statement
    const session = { ...profileOf(tree, { facts: f }), importEdges: [e('__main__', 'handler'), e('handler', 'http.client'), e('http.client', 'email.utils'), e('handler', 'email.utils')] };
    expect(adviseProfile(session, opts).filter((a) => a.module === 'email.utils')).toEqual([]);
  });

  it('uses the graph saving even where the tree would count a shared module (inspect imported by dataclasses too)', () => {
    const tree = own('handler', 1, [std('inspect', 9, [std('dis', 3)]), std('dataclasses', 4)]);
    const f = [facts('handler', [imp(1, 'inspect', 'functions', 7), imp(2, 'dataclasses', 'module-level', 4)])];
    const noGraph = adviseProfile(profileOf(tree, { facts: f }), opts);
    expect(noGraph.map((a) => [a.module, a.savingMs])).toEqual([['inspect', 12]]);
    const session = { ...profileOf(tree, { facts: f }), importEdges: [e('__main__', 'handler'), e('handler', 'inspect'), e('inspect', 'dis'), e('handler', 'dataclasses'), e('dataclasses', 'inspect')] };
    expect(adviseProfile(session, opts).filter((a) => a.module === 'inspect')).toEqual([]);
  });
});
