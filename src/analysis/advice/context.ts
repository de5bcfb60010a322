// The one context every advice rule reads, built once per profile: the session, the facts about the
// user's code (src/python/facts.py), the thresholds, what other init code imports anyway, and the
// imports that could leave init with what that would save. Rules only decide and word their advice.
import { relative } from 'node:path';
import type { ModuleStat } from '../../importtime/aggregate.js';
import type { ProfileSession } from '../../importtime/session.js';
import { callLabel, statementsByModule, type ModuleStatements, type StatementStat } from '../../importtime/statements.js';
import { importGraph, jointSavings, reachable, savingOf as savingOfCuts, type Cut } from '../import-graph.js';
import type { MemoryScaling } from '../memory-scaling.js';
import type { Owner } from '../../python/distributions.js';
import type { FileFacts } from '../../python/protocol.js';
import type { Advice, AdviceKind } from './types.js';

export interface AdviceOptions {
  /** At most this many suggestions (most valuable first). */
  max: number;
  /** When init stays above this after the suggested changes, mention provisioned concurrency/SnapStart. */
  initTargetMs: number;
  /** The function's memory size and what code moved into the first request costs there (defer-import). */
  scaling?: MemoryScaling;
}

export type FactImport = FileFacts['imports'][number];

/** An import statement of the user's code and the file it is in. */
export interface ImportAt {
  fact: FileFacts;
  imp: FactImport;
}

/** A top-level import whose names are not read at import, worth a suggestion: it could leave init. */
export interface ImportCandidate extends ImportAt {
  /** The tree node where this statement really imported the module. */
  stat: ModuleStat;
  /**
   * What leaving init saves (µs): from the import graph when a warm-up run recorded it (the modules nothing
   * else at init reaches), else the module's cumulative time minus what other init code imports anyway.
   */
  savingUs: number;
  /** True when the saving comes from the whole import graph. */
  fromGraph?: boolean;
}

export interface AdviceContext {
  session: ProfileSession;
  opts: AdviceOptions;
  /** A file as advice shows it: relative to the task root when inside it. */
  display(file: string): string;
  /** The modules the handler's import really loaded (lines for modules already imported left out). */
  modules: readonly ModuleStat[];
  /** The handler's import, median (µs). */
  initUs: number;
  /** The smallest saving worth a suggestion (µs): 1 ms, or 1 % of the handler's import. */
  minSavingUs: number;
  facts: readonly FileFacts[];
  /** The facts of each of the user's modules, by module name. */
  factsByModule: ReadonlyMap<string, FileFacts>;
  /** The attribution run's statements of each of the user's modules, by module name (empty without one). */
  statements: ReadonlyMap<string, ModuleStatements>;
  /** The function's Python: its runtime (--runtime, SAM) or else the local Python's, as "python3.12"; null when unknown. */
  runtime: string | null;
  /** The minor version of that Python 3 (12 for python3.12), 0 when unknown. */
  python3Minor: number;
  /** Imports whose names are read while their module is imported: they stay at init whatever is advised. */
  neededAtInit: readonly ImportAt[];
  /** The imports that could leave init with a saving above the threshold, in the order of the user's code. */
  imports: readonly ImportCandidate[];
  /** Pairs of those statements (any saving) that save clearly more together than apart (import graph only). */
  together: ReadonlyArray<{ a: ImportCandidate; b: ImportCandidate; togetherUs: number }>;
  /**
   * Whether a module is the user's own code: not the standard library's, not a distribution's (by its
   * installation record, wherever pip put it). Without owners (older sessions), code loaded from the task
   * root or a layer counts as the user's.
   */
  isUsers(module: string): boolean;
  /** A module's owner: from the installation records when the session has them, else from where it was loaded. */
  ownerOf(module: string): Owner;
  /** The user's import statement that brought `stat` into init: the nearest ancestor imported by a user's file. */
  userImportOf(stat: ModuleStat): ImportAt | null;
}

/** A rule on one import statement that could leave init (defer it, remove it…): at most one piece of advice. */
export interface ImportRule {
  scope: 'import';
  kind: AdviceKind;
  advise(ctx: AdviceContext, candidate: ImportCandidate): Advice | null;
}

/** A rule on the whole profile. `earlier`: the advice of the rules before it in the list, most valuable first. */
export interface ProfileRule {
  scope: 'profile';
  kind: AdviceKind;
  advise(ctx: AdviceContext, earlier: readonly Advice[]): Advice[];
}

export type AdviceRule = ImportRule | ProfileRule;

/** µs as ms with one decimal, as advice states its figures. */
export const usToMs = (us: number): number => Math.round(us / 100) / 10;

/** An advice's `statement`: the statement, `ms` as the advice counts it, and the share `us` is of the module's own time. */
export function statementField(m: ModuleStatements, s: StatementStat, ms: number, us: number): NonNullable<Advice['statement']> {
  return { line: s.line, text: s.text, ms, share: m.selfUs > 0 ? us / m.selfUs : 0, calls: s.calls ? callLabel(s.calls) : null };
}

/** `a.b` is needed when `a.b`, a submodule of it, or a package above it is. */
export function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function isUnder(stat: ModuleStat, ancestorName: string): boolean {
  for (let p = stat.parent; p; p = p.parent) if (p.name === ancestorName) return true;
  return false;
}

/** `stat` and every module imported below it, in the tree's post-order. */
function subtree(stat: ModuleStat, all: readonly ModuleStat[]): ModuleStat[] {
  return all.filter((m) => {
    for (let p: ModuleStat | null = m; p; p = p.parent) if (p === stat) return true;
    return false;
  });
}

/** The largest tree node of a module (where it costs the most). */
export function largestNode(modules: readonly ModuleStat[], name: string): ModuleStat | undefined {
  return modules.filter((m) => m.name === name).sort((a, b) => b.cumulativeUs.median - a.cumulativeUs.median)[0];
}

/**
 * What moving `imp` of `fact` out of init saves, or null when it saves nothing: the cumulative time of
 * the node where this statement imported the module, minus the modules below it that other init code
 * (outside that subtree) imports anyway.
 */
function savingOf(fact: FileFacts, imp: FactImport, modules: readonly ModuleStat[], neededAtInit: readonly ImportAt[]): ImportCandidate | null {
  // the tree node where this file's import statement really imported the module
  const stat = modules
    .filter((m) => m.name === imp.module && (isUnder(m, fact.module) || m.name === fact.module))
    .sort((a, b) => b.cumulativeUs.median - a.cumulativeUs.median)[0];
  if (!stat) return null; // already imported by something else first: moving this line saves nothing
  // what stays at init anyway: module-level imports made by code outside this subtree (imports made
  // inside it would leave with it)
  const sub = subtree(stat, modules);
  const inside = new Set(sub.map((m) => m.name));
  const needed = neededAtInit.filter((n) => !inside.has(n.fact.module));
  if (needed.some((n) => related(n.imp.module, imp.module))) return null;
  let shared = 0;
  const counted = new Set<ModuleStat>();
  // reversed post-order: a module comes before everything it imported, so a counted parent covers them
  for (const m of [...sub].reverse()) {
    if (m === stat) continue;
    if (!needed.some((n) => related(n.imp.module, m.name))) continue;
    let covered = false;
    for (let p: ModuleStat | null = m.parent; p && p !== stat; p = p.parent) if (counted.has(p)) covered = true;
    if (covered) continue;
    counted.add(m);
    shared += m.cumulativeUs.median;
  }
  return { fact, imp, stat, savingUs: stat.cumulativeUs.median - shared };
}

/** The requests one statement makes: `import a.b` asks for a.b; `from a import b, c` for a and its submodules b, c. */
function cutOf(c: ImportAt): Cut {
  return { importer: c.fact.module, modules: [c.imp.module, ...c.imp.names.map((n) => `${c.imp.module}.${n}`)] };
}

/** Savings from the recorded import graph, each module costing its own (self) time at init. */
function graphSavings(session: ProfileSession, modules: readonly ModuleStat[], facts: readonly FileFacts[]) {
  const self = new Map<string, number>();
  for (const m of modules) self.set(m.name, (self.get(m.name) ?? 0) + m.selfUs.median);
  const selfUs = (name: string): number => self.get(name) ?? 0;
  const edges = session.importEdges ?? [];
  const roots = edges.some((e) => e.importer === '__main__') ? ['__main__'] : [session.target?.module ?? ''];
  const graph = importGraph(edges, roots);
  const before = reachable(graph);
  // a statement's requests stay when another statement of the same file asks for the same module
  const alone = (c: ImportAt): Cut => {
    const others = c.fact.imports.filter((i) => i !== c.imp).flatMap((i) => [i.module, ...i.names.map((n) => `${i.module}.${n}`)]);
    const cut = cutOf(c);
    return { importer: cut.importer, modules: cut.modules.filter((m) => !others.includes(m)) };
  };
  return {
    savingUs: (c: ImportAt): number => savingOfCuts(graph, [alone(c)], selfUs, before).savingUs,
    together: (cs: readonly ImportCandidate[], minGainUs: number) =>
      jointSavings(graph, cs.map(alone), selfUs, minGainUs).map((j) => ({ a: cs[j.a] as ImportCandidate, b: cs[j.b] as ImportCandidate, togetherUs: j.togetherUs })),
  };
}

export function adviceContext(session: ProfileSession, opts: AdviceOptions): AdviceContext {
  const root = session.target?.root ?? '';
  const display = (file: string): string => {
    const rel = relative(root, file);
    return rel.startsWith('..') ? file : rel;
  };
  const modules = session.aggregate.modules.filter((m) => !m.cached);
  const initUs = session.aggregate.totalUs.median;
  const minSavingUs = Math.max(1000, initUs * 0.01);
  const facts = session.facts;
  const runtime = session.runtime ?? (session.python ? `python${session.python.version.split('.').slice(0, 2).join('.')}` : null);
  const python3Minor = runtime ? Number(/python3\.(\d+)/.exec(runtime)?.[1] ?? '0') : 0;

  const factsByModule = new Map<string, FileFacts>();
  for (const f of facts) if (!factsByModule.has(f.module)) factsByModule.set(f.module, f);

  const neededAtInit: ImportAt[] = [];
  for (const fact of facts) for (const imp of fact.imports) if (imp.uses === 'module-level') neededAtInit.push({ fact, imp });

  const imports: ImportCandidate[] = [];
  // every statement that could leave init, whatever it saves alone (joint savings need them all)
  const statements: ImportCandidate[] = [];
  const graph = session.importEdges ? graphSavings(session, modules, facts) : null;
  for (const fact of facts) {
    for (const imp of fact.imports) {
      if (imp.uses === 'module-level') continue;
      const c = savingOf(fact, imp, modules, neededAtInit);
      if (c && graph) {
        c.savingUs = graph.savingUs(c);
        c.fromGraph = true;
      }
      if (c) statements.push(c);
      if (c && c.savingUs >= minSavingUs) imports.push(c);
    }
  }
  const ownerOf = (module: string): Owner => {
    const owner = session.owners.get(module);
    if (owner) return owner;
    const top = module.split('.', 1)[0] as string;
    const origin = session.origins.get(module) ?? session.origins.get(top);
    if (origin === 'stdlib' || origin === 'builtin') return { kind: 'stdlib' };
    if (origin === 'site-packages') return { kind: 'third-party', distribution: top, version: null };
    if (origin === 'task-root' || origin === 'layer') return { kind: 'user' };
    return { kind: 'unknown' };
  };
  const isUsers = (module: string): boolean => ownerOf(module).kind === 'user';
  const userImportOf = (stat: ModuleStat): ImportAt | null => {
    for (let p: ModuleStat | null = stat; p; p = p.parent) {
      const fact = p.parent ? factsByModule.get(p.parent.name) : undefined;
      const name = p.name;
      const imp = fact?.imports.find((i) => related(i.module, name));
      if (fact && imp) return { fact, imp };
    }
    return null;
  };
  const together = graph ? graph.together(statements, minSavingUs) : [];
  return { session, opts, display, modules, initUs, minSavingUs, facts, factsByModule, statements: statementsByModule(session.statements), runtime, python3Minor, neededAtInit, imports, together, isUsers, ownerOf, userImportOf };
}
