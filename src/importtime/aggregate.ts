// Across runs: each module (identity = its path from the root, so repeated names stay distinct) gets the
// median and spread of its self and cumulative time; each run gets its total; module sets that differ
// between runs are reported.
import { summarize, type Summary } from '../model/summary.js';
import type { ImportNode } from './model.js';

export interface ModuleStat {
  id: string;
  name: string;
  depth: number;
  parentId: string | null;
  /** The enclosing module (null for a root). */
  parent: ModuleStat | null;
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

/** One sample: its own summary, without sorting arrays (a 200,000-line capture makes 400,000 of these). */
function singleSummary(v: number): Summary {
  return { n: 1, median: v, min: v, max: v, p25: v, p75: v, mad: 0 };
}

/**
 * Iterative depth-first walk (deep trees cannot overflow the stack): `enter` maps each node, given its
 * parent's value, on the way down (pre-order); `leave` receives the values in post-order, the order
 * -X importtime prints in (children before their parent).
 */
function walkTree<T>(roots: readonly ImportNode[], enter: (node: ImportNode, parent: T | null) => T, leave: (value: T) => void): void {
  // parallel stacks, no object per visited node: a 200,000-line capture walks in a few milliseconds
  const nodes: ImportNode[] = [];
  const values: T[] = [];
  const next: number[] = [];
  for (const root of roots) {
    nodes.push(root);
    values.push(enter(root, null));
    next.push(0);
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const node = nodes[top] as ImportNode;
      const i = next[top] as number;
      if (i < node.children.length) {
        next[top] = i + 1;
        const child = node.children[i] as ImportNode;
        const value = enter(child, values[top] as T);
        nodes.push(child);
        values.push(value);
        next.push(0);
      } else {
        nodes.pop();
        next.pop();
        leave(values.pop() as T);
      }
    }
  }
}

/** One run (a captured file): every node is its own module, no merging, no per-module arrays. */
function aggregateOne(tree: RunTree): Aggregate {
  const modules: ModuleStat[] = [];
  // summaries are read-only: one per distinct value (long captures repeat values a lot)
  const interned = new Map<number, Summary>();
  const single = (v: number): Summary => {
    let s = interned.get(v);
    if (!s) interned.set(v, (s = singleSummary(v)));
    return s;
  };
  const make = (node: ImportNode, parent: ModuleStat | null): ModuleStat => ({
    id: node.id,
    name: node.name,
    depth: node.depth,
    parentId: parent ? parent.id : null,
    parent,
    package: topLevelPackage(node.name),
    runs: 1,
    selfUs: single(node.selfUs),
    cumulativeUs: single(node.cumulativeUs),
    cached: node.cached,
  });
  walkTree(tree.roots, make, (stat) => modules.push(stat));
  const total = treeTotalUs(tree.roots);
  return { runs: 1, totalsUs: [total], totalUs: summarize([total]), modules, differences: [] };
}

export function aggregateRuns(trees: readonly RunTree[]): Aggregate {
  if (trees.length === 1) return aggregateOne(trees[0] as RunTree);
  interface Acc {
    id: string;
    name: string;
    depth: number;
    parentId: string | null;
    parent: Acc | null;
    cached: boolean;
    self: number[];
    cum: number[];
    present: number[];
    stat: ModuleStat | null;
  }
  const byId = new Map<string, Acc>();
  const order: Acc[] = [];
  const post: Acc[] = [];
  const totals: number[] = [];
  const n = trees.length;
  trees.forEach((tree, runIndex) => {
    totals.push(treeTotalUs(tree.roots));
    const enter = (node: ImportNode, parent: Acc | null): Acc => {
      let acc = byId.get(node.id);
      if (!acc) {
        acc = {
          id: node.id,
          name: node.name,
          depth: node.depth,
          parentId: parent ? parent.id : null,
          parent,
          cached: node.cached,
          self: [],
          cum: [],
          present: [],
          stat: null,
        };
        byId.set(node.id, acc);
        order.push(acc);
      }
      acc.self.push(node.selfUs);
      acc.cum.push(node.cumulativeUs);
      acc.present.push(runIndex + 1);
      return acc;
    };
    // pre-order links each module to its parent; post-order lists them as printed
    walkTree(tree.roots, enter, (acc) => post.push(acc));
  });
  // `order` holds first appearances in pre-order; list them in post-order of first appearance.
  const seen = new Set<Acc>();
  const modules: ModuleStat[] = [];
  for (const acc of post) {
    if (seen.has(acc)) continue;
    seen.add(acc);
    const stat: ModuleStat = {
      id: acc.id,
      name: acc.name,
      depth: acc.depth,
      parentId: acc.parentId,
      parent: null,
      package: topLevelPackage(acc.name),
      runs: acc.present.length,
      selfUs: acc.self.length === 1 ? singleSummary(acc.self[0] as number) : summarize(acc.self),
      cumulativeUs: acc.cum.length === 1 ? singleSummary(acc.cum[0] as number) : summarize(acc.cum),
      cached: acc.cached,
    };
    acc.stat = stat;
    modules.push(stat);
  }
  for (const acc of post) if (acc.stat && acc.parent) acc.stat.parent = acc.parent.stat;
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
  const nodes = new Map<ModuleStat, StatNode>();
  for (const m of modules) nodes.set(m, { stat: m, children: [] });
  const roots: StatNode[] = [];
  for (const m of modules) {
    const node = nodes.get(m) as StatNode;
    const parent = m.parent ? nodes.get(m.parent) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

