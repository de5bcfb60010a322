// Across runs: each module (identity = its name within a run, `#k` for a repeated line) gets the median and
// spread of its self and cumulative time; each run gets its total; module sets that differ between runs are
// reported.
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
  const key = keyer();
  const make = (node: ImportNode, parent: ModuleStat | null): ModuleStat => ({
    id: key(node.name),
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

/**
 * A module's identity within one run: its name, with `#k` for the k-th line of the same name in that run
 * (an `import json.decoder` prints it twice; optional-dependency probes repeat). Which module happened to
 * import it first does not change who it is.
 */
function keyer(): (name: string) => string {
  const seen = new Map<string, number>();
  return (name) => {
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    return k === 1 ? name : `${name}#${k}`;
  };
}

/**
 * Across runs: one row per module (keyed by name within each run), with the median and spread of its self
 * and cumulative time. Its place in the tree is under the module that imported it first in most runs
 * (ties: the earliest run's), so a module whose first importer changes between runs stays one row.
 */
export function aggregateRuns(trees: readonly RunTree[]): Aggregate {
  if (trees.length === 1) return aggregateOne(trees[0] as RunTree);
  interface Acc {
    key: string;
    name: string;
    cached: boolean;
    self: number[];
    cum: number[];
    present: number[];
    /** Votes for the module that imported it first, by key (null: a root), in order of first vote. */
    parents: Map<string | null, number>;
    /** Position of its first appearance (run, then pre-order): siblings keep the order they were imported in. */
    seq: number;
    parent: Acc | null;
    children: Acc[];
    stat: ModuleStat | null;
  }
  const byKey = new Map<string, Acc>();
  const totals: number[] = [];
  const n = trees.length;
  let seq = 0;
  trees.forEach((tree, runIndex) => {
    totals.push(treeTotalUs(tree.roots));
    const key = keyer();
    const enter = (node: ImportNode, parent: Acc | null): Acc => {
      const k = key(node.name);
      let acc = byKey.get(k);
      if (!acc) {
        acc = { key: k, name: node.name, cached: node.cached, self: [], cum: [], present: [], parents: new Map(), seq: seq++, parent: null, children: [], stat: null };
        byKey.set(k, acc);
      }
      // the same key twice in one run cannot happen (keys count the run's lines), so one sample per run
      acc.self.push(node.selfUs);
      acc.cum.push(node.cumulativeUs);
      acc.present.push(runIndex + 1);
      const pk = parent ? parent.key : null;
      acc.parents.set(pk, (acc.parents.get(pk) ?? 0) + 1);
      return acc;
    };
    walkTree(tree.roots, enter, () => undefined);
  });

  const accs = [...byKey.values()];
  // Place each module under its most frequent first importer; a choice that would close a loop
  // (A under B in most runs, B under A in most others) leaves the module at the root instead.
  for (const acc of accs) {
    let best: string | null = null;
    let votes = -1;
    for (const [pk, v] of acc.parents) {
      if (v > votes) {
        best = pk;
        votes = v;
      }
    }
    acc.parent = best === null ? null : (byKey.get(best) ?? null);
  }
  for (const acc of accs) {
    const path = new Set<Acc>([acc]);
    for (let p = acc.parent; p; p = p.parent) {
      if (path.has(p)) {
        acc.parent = null;
        break;
      }
      path.add(p);
    }
  }
  const roots: Acc[] = [];
  for (const acc of accs) (acc.parent ? acc.parent.children : roots).push(acc);
  const bySeq = (a: Acc, b: Acc): number => a.seq - b.seq;
  roots.sort(bySeq);
  for (const acc of accs) acc.children.sort(bySeq);

  // Post-order, the order -X importtime prints in: children before their parent.
  const modules: ModuleStat[] = [];
  const stack: Array<{ acc: Acc; depth: number; next: number }> = [];
  for (const root of roots) {
    stack.push({ acc: root, depth: 0, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { acc: Acc; depth: number; next: number };
      if (top.next < top.acc.children.length) {
        stack.push({ acc: top.acc.children[top.next++] as Acc, depth: top.depth + 1, next: 0 });
        continue;
      }
      stack.pop();
      const acc = top.acc;
      const stat: ModuleStat = {
        id: acc.key,
        name: acc.name,
        depth: top.depth,
        parentId: acc.parent ? acc.parent.key : null,
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
  }
  for (const acc of accs) if (acc.stat && acc.parent) acc.stat.parent = acc.parent.stat;
  const differences = accs
    .filter((a) => a.present.length < n)
    .sort(bySeq)
    .map((a) => ({ id: a.key, name: a.name, presentIn: a.present }));
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

