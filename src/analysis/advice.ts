// Advice with measured savings: each suggestion names a file:line and the milliseconds this profile says
// it would save. No number, no suggestion; no generic tips. Facts about the user's code come from
// Python's own `ast` (src/python/facts.py); the costs from the aggregated import tree.
import { relative } from 'node:path';
import type { ModuleStat } from '../importtime/aggregate.js';
import type { Advice, ProfileSession } from '../importtime/session.js';
import type { FileFacts } from '../python/protocol.js';

export interface AdviceOptions {
  /** At most this many suggestions (most valuable first). */
  max: number;
  /** When init stays above this after the suggested changes, mention provisioned concurrency/SnapStart. */
  initTargetMs: number;
}

type FactImport = FileFacts['imports'][number];

const ms = (us: number): number => Math.round(us / 100) / 10;

/** The smallest saving worth a suggestion: 1 ms, or 1 % of the handler's import. */
function threshold(initUs: number): number {
  return Math.max(1000, initUs * 0.01);
}

function isUnder(stat: ModuleStat, ancestorName: string): boolean {
  for (let p = stat.parent; p; p = p.parent) if (p.name === ancestorName) return true;
  return false;
}

function subtree(stat: ModuleStat, all: readonly ModuleStat[]): ModuleStat[] {
  return all.filter((m) => {
    for (let p: ModuleStat | null = m; p; p = p.parent) if (p === stat) return true;
    return false;
  });
}

/** `a.b` is needed when `a.b`, a submodule of it, or a package above it is. */
function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

export function adviseProfile(session: ProfileSession, opts: AdviceOptions): Advice[] {
  const root = session.target?.root ?? '';
  const display = (file: string): string => {
    const rel = relative(root, file);
    return rel.startsWith('..') ? file : rel;
  };
  const modules = session.aggregate.modules.filter((m) => !m.cached);
  const initUs = session.aggregate.totalUs.median;
  const min = threshold(initUs);
  const out: Advice[] = [];
  const facts = session.facts;

  // Imports whose names are used while the module is imported: they stay at init whatever we advise.
  const neededAtInit: Array<{ module: string; fact: FileFacts; imp: FactImport }> = [];
  for (const f of facts) for (const imp of f.imports) if (imp.uses === 'module-level') neededAtInit.push({ module: imp.module, fact: f, imp });

  // 1. Defer an import / remove an unused one.
  for (const f of facts) {
    for (const imp of f.imports) {
      if (imp.uses === 'module-level') continue;
      // the tree node where this file's import statement really imported the module
      const candidates = modules.filter((m) => m.name === imp.module && (isUnder(m, f.module) || m.name === f.module));
      const stat = candidates.sort((a, b) => b.cumulativeUs.median - a.cumulativeUs.median)[0];
      if (!stat) continue; // already imported by something else first: deferring this line saves nothing
      // what stays at init anyway: module-level imports made by code outside this subtree (imports made
      // inside it would be deferred with it)
      const sub = subtree(stat, modules);
      const inside = new Set(sub.map((m) => m.name));
      const needed = neededAtInit.filter((n) => !inside.has(n.fact.module) && !(n.fact === f && n.imp === imp));
      if (needed.some((n) => related(n.module, imp.module))) continue;
      let shared = 0;
      const counted = new Set<ModuleStat>();
      // reversed post-order: a module comes before everything it imported, so a counted parent covers them
      for (const m of [...sub].reverse()) {
        if (m === stat) continue;
        if (!needed.some((n) => related(n.module, m.name))) continue;
        let covered = false;
        for (let p: ModuleStat | null = m.parent; p && p !== stat; p = p.parent) if (counted.has(p)) covered = true;
        if (covered) continue;
        counted.add(m);
        shared += m.cumulativeUs.median;
      }
      const saving = stat.cumulativeUs.median - shared;
      if (saving < min) continue;
      const where = `${display(f.file)}:${imp.line}`;
      if (imp.uses === 'none') {
        out.push({
          kind: 'unused-import',
          file: display(f.file),
          line: imp.line,
          module: imp.module,
          savingMs: ms(saving),
          message: `${imp.module} is imported at ${where} and never used in ${f.module}: removing it saves ${ms(saving)} ms of init (unless it is imported for a side effect such as registering a plugin).`,
        });
      } else {
        // PEP 810 `lazy import` exists from Python 3.15 (the function's runtime, else the local Python)
        const version = session.runtime?.replace('python', '') ?? session.python?.version ?? '';
        const [maj, min] = version.split('.').map(Number);
        const lazy =
          maj === 3 && (min ?? 0) >= 15
            ? ` On Python 3.15+ write \`lazy import ${imp.module}\` (PEP 810) instead of moving the statement.`
            : '';
        const first =
          session.invocation && session.invocation.firstUs.n > 0
            ? ` (measured here: the first call took ${ms(session.invocation.firstUs.median)} ms)`
            : '';
        out.push({
          kind: 'defer-import',
          file: display(f.file),
          line: imp.line,
          module: imp.module,
          savingMs: ms(saving),
          message:
            `${imp.module} is imported at ${where} but only used inside functions (first at line ${imp.firstUseLine ?? '?'}): ` +
            `importing it inside the function that uses it saves ${ms(saving)} ms of init. Its cost moves to the first call that needs it${first}; it does not go away.${lazy}`,
        });
      }
    }
  }

  // A suggestion inside another's subtree is already counted by it: keep the outer one.
  const stats = new Map<Advice, ModuleStat>();
  for (const a of out) {
    const st = modules.filter((m) => m.name === a.module).sort((x, y) => y.cumulativeUs.median - x.cumulativeUs.median)[0];
    if (st) stats.set(a, st);
  }
  const nested = new Set<Advice>();
  for (const a of out) {
    for (let p = stats.get(a)?.parent ?? null; p; p = p.parent) {
      if (out.some((b) => b !== a && stats.get(b) === p)) nested.add(a);
    }
  }
  for (let i = out.length - 1; i >= 0; i--) if (nested.has(out[i] as Advice)) out.splice(i, 1);

  // 2. Import-time side effects: a module whose own code (not its imports) is slow.
  const clientModules = new Set(facts.filter((f) => f.clients.length > 0).map((f) => f.module));
  const deferred = new Set(out.map((a) => a.module));
  const sideMin = Math.max(10_000, initUs * 0.05);
  for (const m of modules) {
    if (m.selfUs.median < sideMin || clientModules.has(m.name)) continue;
    if (session.origins.get(m.name) === 'stdlib' || session.origins.get(m.name) === 'builtin') continue;
    // already covered by a defer/unused suggestion of it or of a module above it
    let covered = deferred.has(m.name);
    for (let p = m.parent; p && !covered; p = p.parent) covered = deferred.has(p.name);
    if (covered) continue;
    const file = session.moduleFiles.get(m.name);
    const own = file && session.origins.get(m.name) === 'task-root';
    // for a dependency, point at the user's import that brought it in
    let at: { file: string; line: number } | null = own ? { file: display(file), line: 1 } : null;
    if (!at) {
      for (let p: ModuleStat | null = m; p && !at; p = p.parent) {
        const parentFacts = p.parent ? facts.find((f) => f.module === p?.parent?.name) : undefined;
        const imp = parentFacts?.imports.find((i) => related(i.module, (p as ModuleStat).name));
        if (parentFacts && imp) at = { file: display(parentFacts.file), line: imp.line };
      }
    }
    if (!at) at = { file: file ? display(file) : m.name, line: 1 };
    const isPackage = file?.endsWith('__init__.py') ?? false;
    out.push({
      kind: 'import-side-effects',
      file: at.file,
      line: at.line,
      module: m.name,
      savingMs: ms(m.selfUs.median),
      message:
        `${m.name}${isPackage ? "'s __init__" : ''} spends ${ms(m.selfUs.median)} ms running its own module-level code at import ` +
        `(connections, configuration parsing, warming caches…)${own ? '' : `; it is imported from ${at.file}:${at.line}`}: ` +
        `moving that work out of import time (into a function called when needed, or cached) saves up to ${ms(m.selfUs.median)} ms of init.`,
    });
  }

  // 3. Ship .pyc (with --bytecode both).
  const bc = session.bytecodeComparison;
  if (bc && bc.savingUs >= Math.max(min, bc.cachedUs.median * 0.05, 2 * (bc.cachedUs.mad + bc.compileUs.mad))) {
    const top = bc.packages[0];
    const file = top ? session.moduleFiles.get(top.name) : undefined;
    out.push({
      kind: 'ship-pyc',
      file: file ? display(file) : session.target?.display ?? '',
      line: 1,
      module: top?.name ?? session.target?.module ?? '',
      savingMs: ms(bc.savingUs),
      message:
        `Compiling from source costs ${ms(bc.savingUs)} ms per cold start (${ms(bc.compileUs.median)} ms without .pyc, ${ms(bc.cachedUs.median)} ms with)` +
        `${top ? `, most in ${top.name} (${ms(top.savingUs)} ms)` : ''}: ship __pycache__/*.pyc built by the runtime's exact Python version ` +
        `(${session.runtime ?? `python${session.python?.version.split('.').slice(0, 2).join('.') ?? '3.x'}`}), e.g. \`python -m compileall -q <build dir>\` in the build image, since /var/task is read-only.`,
    });
  }

  // 4. Module-level clients: the right pattern; show their cost.
  for (const f of facts) {
    const m = modules.find((x) => x.name === f.module);
    for (const c of f.clients) {
      out.push({
        kind: 'module-client',
        file: display(f.file),
        line: c.line,
        module: f.module,
        savingMs: 0,
        costMs: m ? ms(m.selfUs.median) : 0,
        message:
          `${c.call}(${c.service ? `'${c.service}'` : ''}) at module level is the right pattern: it is built once per environment and reused by every warm request. ` +
          `Keep it. ${f.module}'s own module-level code, which builds it, takes ${m ? ms(m.selfUs.median) : '?'} ms of init.`,
      });
    }
  }

  out.sort((a, b) => b.savingMs - a.savingMs || (b.costMs ?? 0) - (a.costMs ?? 0));

  // 5. When code changes are not enough.
  const codeSavings = out.filter((a) => a.kind !== 'module-client').reduce((t, a) => t + a.savingMs, 0);
  const remaining = ms(initUs) - codeSavings;
  if (session.source === 'run' && remaining > opts.initTargetMs) {
    const runtime = session.runtime ?? (session.python ? `python${session.python.version.split('.').slice(0, 2).join('.')}` : null);
    const minor = runtime ? Number(/python3\.(\d+)/.exec(runtime)?.[1] ?? '0') : 0;
    const snap =
      minor >= 12
        ? ' SnapStart (Python 3.12+) moves init to publish time and adds a restore time to cold starts instead; code that must run per environment (random seeds, connections) needs runtime hooks.'
        : ' SnapStart needs Python 3.12 or newer.';
    out.push({
      kind: 'consider-provisioned-or-snapstart',
      file: session.target?.path ? display(session.target.path) : (session.target?.display ?? ''),
      line: 1,
      module: session.target?.module ?? '',
      savingMs: Math.round(remaining * 10) / 10,
      message:
        `Init stays at about ${Math.round(remaining)} ms after the changes above, above the --init-target of ${opts.initTargetMs} ms. ` +
        `Provisioned concurrency keeps environments initialised ahead of traffic, but costs money even when idle and does not cover traffic above it;` +
        `${snap} Warmers (scheduled pings) do not help the first load after a deploy or a scale-out.`,
    });
  }
  out.sort((a, b) => b.savingMs - a.savingMs || (b.costMs ?? 0) - (a.costMs ?? 0));
  return out.slice(0, opts.max);
}
