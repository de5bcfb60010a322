// The timing gates: budgets on the median of the handler's import and of a package's, and the
// regression decision against a base (analysis/decision.ts), attributed to the module that changed most.
import type { ProfileSession } from '../importtime/session.js';
import { compare } from './attribute.js';
import { chainOf, liveModules, outermost } from './modules.js';
import type { BaseSide, Comparison, GateCheck, GateFailure, GateOptions, GateWording } from './types.js';

/** Budgets and the regression decision. */
export function timingGates(
  head: ProfileSession,
  base: BaseSide | null,
  o: GateOptions,
  w: GateWording,
): { checks: GateCheck[]; failures: GateFailure[]; comparison: Comparison | null } {
  const checks: GateCheck[] = [];
  const failures: GateFailure[] = [];
  const median = head.aggregate.totalUs.median;
  const runs = head.aggregate.runs;
  const mods = liveModules(head);

  if (o.budgetMs !== undefined) {
    const passed = median <= o.budgetMs * 1000;
    checks.push({ key: 'budget', kind: 'budget', timing: true, label: 'budget', limit: `≤ ${o.budgetMs} ms`, measured: `${w.ms(median)} ms`, passed });
    if (!passed) {
      failures.push({
        kind: 'budget',
        module: null,
        message: `the handler's import takes ${w.ms(median)} ms (median of ${runs} runs), over the budget of ${o.budgetMs} ms`,
        chain: null,
      });
    }
  }
  for (const { name, ms: limit } of o.budgetPackages) {
    const pkg = head.packages.find((p) => p.name === name);
    const took = pkg?.cumulativeUs ?? 0;
    const passed = took <= limit * 1000;
    checks.push({
      key: `budget-package:${name}`,
      kind: 'budget-package',
      timing: true,
      label: `budget ${name}`,
      limit: `≤ ${limit} ms`,
      measured: pkg ? `${w.ms(took)} ms` : 'not imported',
      passed,
    });
    if (!passed) {
      const first = outermost(mods, (m) => m.package === name);
      failures.push({
        kind: 'budget-package',
        module: name,
        message: `${name} takes ${w.ms(took)} ms to import (median, dependencies included), over its budget of ${limit} ms`,
        chain: first ? chainOf(first) : null,
      });
    }
  }

  let comparison: Comparison | null = null;
  if (base) {
    comparison = compare(head, base, o);
    const c = comparison;
    checks.push({
      key: 'regression',
      kind: 'regression',
      timing: true,
      label: 'regression',
      limit: `< +${o.maxRegressionPct}% or < +${o.minDeltaMs} ms or p ≥ ${o.alpha}`,
      measured: w.delta(c),
      passed: !c.regression,
    });
    if (c.regression) {
      const culprit = c.changes.find((x) => x.deltaUs > 0);
      const at = culprit ? outermost(mods, (m) => m.name === culprit.name) : undefined;
      failures.push({ kind: 'regression', module: culprit?.name ?? null, message: w.regression(c, o), chain: at ? chainOf(at) : null });
    }
  }
  return { checks, failures, comparison };
}
