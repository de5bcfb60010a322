// The module set a gate compares: per-module medians of a session, and where a module sits in the import
// tree. Kept apart from baseline.ts so that gating a profile does not build the baseline file's zod
// schemas (start-up time) unless a file is read.
import type { ModuleStat } from '../importtime/aggregate.js';
import type { ProfileSession } from '../importtime/session.js';

/** One module of a baseline: its medians over the runs, and in how many of the runs it was imported. */
export interface BaselineModule {
  name: string;
  package: string;
  depth: number;
  runs: number;
  selfUs: number;
  cumulativeUs: number;
}

/** Per-module medians, with the modules imported in at least one run. Cached (3.14 `=2`) lines are left out. */
export function baselineModules(session: ProfileSession): BaselineModule[] {
  return session.aggregate.modules
    .filter((m) => !m.cached)
    .map((m) => ({
      name: m.name,
      package: m.package,
      depth: m.depth,
      runs: m.runs,
      selfUs: m.selfUs.median,
      cumulativeUs: m.cumulativeUs.median,
    }));
}

/** The modules a session really imported (cached lines left out). */
export function liveModules(session: ProfileSession): ModuleStat[] {
  return session.aggregate.modules.filter((m) => !m.cached);
}

/** Module names imported in at least half of the runs (a module seen in one run of ten is noise, not a change). */
export function steadyNames(modules: readonly { name: string; runs: number }[], runs: number): Set<string> {
  const need = Math.max(1, Math.ceil(runs / 2));
  return new Set(modules.filter((m) => m.runs >= need).map((m) => m.name));
}

/**
 * Whether a name is one Python looked for and did not find (an optional-dependency probe such as
 * `xml.dom` trying `org`): the failed import still prints an import-time line, but no module came of it.
 */
export function notFoundIn(missing: readonly string[] | undefined): (name: string) => boolean {
  if (!missing || missing.length === 0) return () => false;
  return (name) => missing.some((m) => name === m || name.startsWith(`${m}.`));
}

/** The outermost (least deep, then first in import order) occurrence of a name. */
export function outermost(modules: readonly ModuleStat[], pred: (m: ModuleStat) => boolean): ModuleStat | undefined {
  let best: ModuleStat | undefined;
  for (const m of modules) if (pred(m) && (!best || m.depth < best.depth)) best = m;
  return best;
}

/** The import chain from the handler down to a module. */
export function chainOf(m: ModuleStat): string[] {
  const names: string[] = [];
  for (let p: ModuleStat | null = m; p; p = p.parent) names.unshift(p.name);
  return names;
}
