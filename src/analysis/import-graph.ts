// What an import statement really brings into init, from the whole import graph: every import request the
// collecting run saw (who asked for which module, including modules already loaded), not only the first
// import the -X importtime tree shows. A statement's saving is the cost of the modules that nothing else
// at init reaches once that statement's requests are gone — the modules it dominates — so a module that
// other init code imports anyway is never counted.
import type { ImportEdge } from '../model/import-edge.js';

export type { ImportEdge };

export interface ImportGraph {
  /** Modules importing at init with what they asked for, in order of first request. */
  readonly edges: ReadonlyMap<string, ReadonlySet<string>>;
  /** Where init starts: the handler module (and anything the harness imported it through). */
  readonly roots: readonly string[];
}

export function importGraph(edges: readonly ImportEdge[], roots: readonly string[]): ImportGraph {
  const out = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.importer === e.imported) continue;
    let s = out.get(e.importer);
    if (!s) out.set(e.importer, (s = new Set()));
    s.add(e.imported);
  }
  return { edges: out, roots };
}

/** An edge set to leave out: `importer` no longer asks for these modules at init. */
export interface Cut {
  importer: string;
  modules: readonly string[];
}

/** Every module reachable from the roots at init, without the cut requests. */
export function reachable(graph: ImportGraph, cuts: readonly Cut[] = []): Set<string> {
  const removed = new Map<string, Set<string>>();
  for (const c of cuts) {
    let s = removed.get(c.importer);
    if (!s) removed.set(c.importer, (s = new Set()));
    for (const m of c.modules) s.add(m);
  }
  const seen = new Set<string>();
  const stack: string[] = [];
  // importing a.b.c imports its parents a and a.b first: a request reaches them too
  const visit = (name: string): void => {
    for (let end = name.indexOf('.'); ; end = name.indexOf('.', end + 1)) {
      const m = end < 0 ? name : name.slice(0, end);
      if (!seen.has(m)) {
        seen.add(m);
        stack.push(m);
      }
      if (end < 0) break;
    }
  };
  for (const r of graph.roots) visit(r);
  while (stack.length > 0) {
    const m = stack.pop() as string;
    const gone = removed.get(m);
    for (const next of graph.edges.get(m) ?? []) if (!gone?.has(next)) visit(next);
  }
  return seen;
}

/**
 * What init saves (µs) when the cut requests leave init: the own (self) time of every module that is
 * reachable now and not after the cut. `selfUs` gives each module's own time.
 */
export function savingOf(graph: ImportGraph, cuts: readonly Cut[], selfUs: (module: string) => number, before = reachable(graph)): { savingUs: number; modules: string[] } {
  const after = reachable(graph, cuts);
  const modules = [...before].filter((m) => !after.has(m));
  return { savingUs: modules.reduce((t, m) => t + selfUs(m), 0), modules };
}

/**
 * Pairs of cuts that save clearly more together than apart: each keeps what the other would free alive
 * (numpy imported by the handler and by scipy.stats: deferring either alone saves little). Returns the
 * pairs whose joint saving exceeds the sum of their savings apart by at least `minGainUs`.
 */
export function jointSavings(
  graph: ImportGraph,
  cuts: readonly Cut[],
  selfUs: (module: string) => number,
  minGainUs: number,
): Array<{ a: number; b: number; aloneUs: [number, number]; togetherUs: number }> {
  const before = reachable(graph);
  const alone = cuts.map((c) => savingOf(graph, [c], selfUs, before).savingUs);
  const out: Array<{ a: number; b: number; aloneUs: [number, number]; togetherUs: number }> = [];
  for (let a = 0; a < cuts.length; a++) {
    for (let b = a + 1; b < cuts.length; b++) {
      const together = savingOf(graph, [cuts[a] as Cut, cuts[b] as Cut], selfUs, before).savingUs;
      const apart = (alone[a] as number) + (alone[b] as number);
      if (together - apart >= minGainUs) out.push({ a, b, aloneUs: [alone[a] as number, alone[b] as number], togetherUs: together });
    }
  }
  return out;
}
