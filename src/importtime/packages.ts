// Attribution to top-level packages: "which dependency costs me".
import type { Owner } from '../python/distributions.js';
import type { ModuleStat } from './aggregate.js';

export type Origin = 'task-root' | 'layer' | 'site-packages' | 'stdlib' | 'builtin' | 'other' | 'unknown';

export interface PackageStat {
  name: string;
  /** Where its top-level module was loaded from (from the harness; 'unknown' for captured files). */
  origin: Origin;
  /** Whose code it is: the user's, a third-party distribution's (its name and version), the standard library's. */
  owner: Owner;
  /** Σ median self time of its modules: the package's own cost, its dependencies excluded. */
  selfUs: number;
  /** Σ median cumulative time of its outermost imports: the cost of importing it, dependencies included. */
  cumulativeUs: number;
  moduleCount: number;
}

export function packageStats(
  modules: readonly ModuleStat[],
  origins: ReadonlyMap<string, Origin> = new Map(),
  owners: ReadonlyMap<string, Owner> = new Map(),
): PackageStat[] {
  // With the harness's list of what was loaded (run mode), a top-level name that was looked for and never
  // loaded (an optional-dependency probe: brotli, _winapi, org.python.core) is no package of the deployment.
  const loaded = (name: string): boolean => origins.size === 0 || origins.has(name);
  const stats = new Map<string, PackageStat>();
  for (const m of modules) {
    if (m.cached || !loaded(m.package)) continue;
    let s = stats.get(m.package);
    if (!s) {
      s = {
        name: m.package,
        origin: origins.get(m.package) ?? origins.get(m.name) ?? 'unknown',
        owner: owners.get(m.package) ?? owners.get(m.name) ?? { kind: 'unknown' },
        selfUs: 0,
        cumulativeUs: 0,
        moduleCount: 0,
      };
      stats.set(m.package, s);
    }
    s.selfUs += m.selfUs.median;
    s.moduleCount += 1;
    // outermost: no ancestor belongs to the same package
    let outermost = true;
    for (let p = m.parent; p; p = p.parent) {
      if (p.package === m.package) {
        outermost = false;
        break;
      }
    }
    if (outermost) s.cumulativeUs += m.cumulativeUs.median;
  }
  return [...stats.values()].sort((a, b) => b.selfUs - a.selfUs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
