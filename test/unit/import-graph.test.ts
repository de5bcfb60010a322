// Savings from the whole import graph: a statement saves only what nothing else at init reaches.
import { describe, expect, it } from 'vitest';
import { importGraph, jointSavings, reachable, savingOf, type ImportEdge } from '../../src/analysis/import-graph.js';

const e = (importer: string, imported: string): ImportEdge => ({ importer, imported });
const cost = (table: Record<string, number>) => (m: string) => table[m] ?? 0;

describe('import graph savings', () => {
  // handler imports http.client (which imports email.utils) and, on its own line, email.utils
  const graph = importGraph(
    [e('handler', 'http.client'), e('http.client', 'email.utils'), e('email.utils', 'email._parseaddr'), e('handler', 'email.utils'), e('handler', 'reports'), e('reports', 'reportlab')],
    ['handler'],
  );
  const self = cost({ 'http.client': 8000, http: 500, 'email.utils': 6000, email: 300, 'email._parseaddr': 2000, reports: 1000, reportlab: 90000 });

  it('counts nothing for a module that other init code imports anyway', () => {
    expect(savingOf(graph, [{ importer: 'handler', modules: ['email.utils'] }], self)).toEqual({ savingUs: 0, modules: [] });
  });

  it("counts a statement's whole exclusive subtree, parents of dotted names included", () => {
    const s = savingOf(graph, [{ importer: 'handler', modules: ['http.client'] }], self);
    // email.utils stays (the handler asks for it itself), and so does the `email` package above it
    expect(s.modules.sort()).toEqual(['http', 'http.client']);
    expect(s.savingUs).toBe(8500);
    expect(savingOf(graph, [{ importer: 'handler', modules: ['reports'] }], self).savingUs).toBe(91000);
  });

  it('reaches parents of a dotted import, and never walks into the cut', () => {
    expect([...reachable(graph)].sort()).toEqual(['email', 'email._parseaddr', 'email.utils', 'handler', 'http', 'http.client', 'reportlab', 'reports']);
    expect(reachable(graph, [{ importer: 'handler', modules: ['reports'] }]).has('reportlab')).toBe(false);
  });

  it('finds the suggestions that only save together (numpy asked for by the handler and by scipy.stats)', () => {
    const g = importGraph([e('handler', 'numpy'), e('handler', 'scipy.stats'), e('scipy.stats', 'numpy'), e('numpy', 'numpy.linalg')], ['handler']);
    const c = cost({ numpy: 150_000, 'numpy.linalg': 68_000, scipy: 5_000, 'scipy.stats': 300_000 });
    const cuts = [
      { importer: 'handler', modules: ['numpy'] },
      { importer: 'handler', modules: ['scipy.stats'] },
    ];
    expect(savingOf(g, [cuts[0]!], c).savingUs).toBe(0);
    expect(savingOf(g, [cuts[1]!], c).savingUs).toBe(305_000);
    expect(jointSavings(g, cuts, c, 1000)).toEqual([{ a: 0, b: 1, aloneUs: [0, 305_000], togetherUs: 523_000 }]);
  });

  it('reports no joint saving for independent statements', () => {
    const g = importGraph([e('handler', 'a'), e('handler', 'b')], ['handler']);
    expect(jointSavings(g, [{ importer: 'handler', modules: ['a'] }, { importer: 'handler', modules: ['b'] }], cost({ a: 10, b: 20 }), 1)).toEqual([]);
  });
});
