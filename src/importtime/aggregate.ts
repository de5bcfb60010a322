// Across runs: each module (identity = its path from the root, so repeated names stay distinct) gets the
// median and spread of its self and cumulative time; each run gets its total; module sets that differ
// between runs are reported.
import { summarize, type Summary } from '../analysis/stats.js';
import type { ImportNode } from './model.js';
import { walk } from './parse.js';

export interface ModuleStat {
  id: string;
  name: string;
  depth: number;
  parentId: string | null;
  /** Top-level package: the first dotted part of the name. */
  package: string;
  /** In how many runs this module was imported here. */
  runs: number;
  selfUs: Summary;
  cumulativeUs: Summary;
  cached: boolean;
}

export interface RunTree {
  roots: ImportNode[];
}

export interface ModuleSetDifference {
  id: string;
  name: string;
  /** 1-based run numbers that imported it. */
  presentIn: number[];
}

export interface Aggregate {
  runs: number;
  /** Per run: the sum of the roots' cumulative time (µs). */
  totalsUs: number[];
  totalUs: Summary;
  /** In tree order (post-order, as -X importtime prints: children before their parent). */
  modules: ModuleStat[];
  differences: ModuleSetDifference[];
}

export function topLevelPackage(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/** Sum of the roots' cumulative time, cached lines excluded. */
export function treeTotalUs(roots: readonly ImportNode[]): number {
  let t = 0;
  for (const r of roots) if (!r.cached) t += r.cumulativeUs;
  return t;
}

export function aggregateRuns(trees: readonly RunTree[]): Aggregate {
  interface Acc {
    id: string;
    name: string;
    depth: number;
    parentId: string | null;
    cached: boolean;
    self: number[];
    cum: number[];
    present: number[];
  }
  const byId = new Map<string, Acc>();
  const order: Acc[] = [];
  const totals: number[] = [];
  trees.forEach((tree, runIndex) => {
    totals.push(treeTotalUs(tree.roots));
    // post-order, the order -X importtime prints in
    const visit = (node: ImportNode, parent: ImportNode | null): void => {
      for (const c of node.children) visit(c, node);
      let acc = byId.get(node.id);
      if (!acc) {
        acc = {
          id: node.id,
          name: node.name,
          depth: node.depth,
          parentId: parent ? parent.id : null,
          cached: node.cached,
          self: [],
          cum: [],
          present: [],
        };
        byId.set(node.id, acc);
        order.push(acc);
      }
      acc.self.push(node.selfUs);
      acc.cum.push(node.cumulativeUs);
      acc.present.push(runIndex + 1);
    };
    for (const r of tree.roots) visit(r, null);
  });
  const n = trees.length;
  const modules: ModuleStat[] = order.map((a) => ({
    id: a.id,
    name: a.name,
    depth: a.depth,
    parentId: a.parentId,
    package: topLevelPackage(a.name),
    runs: a.present.length,
    selfUs: summarize(a.self),
    cumulativeUs: summarize(a.cum),
    cached: a.cached,
  }));
  const differences = order
    .filter((a) => a.present.length < n)
    .map((a) => ({ id: a.id, name: a.name, presentIn: a.present }));
  return { runs: n, totalsUs: totals, totalUs: summarize(totals), modules, differences };
}

/** Rebuild the tree of aggregated modules (children in print order). */
export interface StatNode {
  stat: ModuleStat;
  children: StatNode[];
}

export function statTree(modules: readonly ModuleStat[]): StatNode[] {
  const nodes = new Map<string, StatNode>();
  for (const m of modules) nodes.set(m.id, { stat: m, children: [] });
  const roots: StatNode[] = [];
  for (const m of modules) {
    const node = nodes.get(m.id) as StatNode;
    const parent = m.parentId === null ? undefined : nodes.get(m.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export { walk };
