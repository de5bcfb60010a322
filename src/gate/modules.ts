// The module set a gate compares: per-module medians of a session. Kept apart from baseline.ts so that
// gating a profile does not build the baseline file's zod schemas (start-up time) unless a file is read.
import type { ProfileSession } from '../importtime/session.js';
import type { BaselineModule } from './baseline.js';

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

