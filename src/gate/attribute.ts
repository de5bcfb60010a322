// Attribution of a change in the handler's import: which modules' median self time moved most between
// the base and the head, and which modules are new or gone.
import { decide, samplesOfSession } from '../analysis/decision.js';
import type { ProfileSession } from '../importtime/session.js';
import { baselineModules, notFoundIn, steadyNames } from './modules.js';
import { samplesOfBase } from './sides.js';
import type { BaseSide, Comparison, GateOptions, ModuleChange } from './types.js';

function selfByName(modules: readonly { name: string; selfUs: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of modules) out.set(m.name, (out.get(m.name) ?? 0) + m.selfUs);
  return out;
}

/** The biggest changes in median self time, and the new and removed modules. */
function attribute(head: ProfileSession, base: BaseSide, top: number): Pick<Comparison, 'changes' | 'newModules' | 'removedModules'> {
  const headModules = baselineModules(head);
  const hs = selfByName(headModules);
  const bs = selfByName(base.modules);
  const headSteady = steadyNames(headModules, head.aggregate.runs);
  const baseSteady = steadyNames(base.modules, base.runs);
  // a probe that found nothing is neither new nor removed
  const headProbe = notFoundIn(head.missing);
  const baseProbe = notFoundIn(base.missing);
  const newModules = [...headSteady].filter((n) => !bs.has(n) && !headProbe(n));
  const removedModules = [...baseSteady].filter((n) => !hs.has(n) && !baseProbe(n));
  const changes: ModuleChange[] = [];
  for (const [name, headSelf] of hs) {
    const baseSelf = bs.get(name);
    if (baseSelf !== undefined) changes.push({ name, baseSelfUs: baseSelf, headSelfUs: headSelf, deltaUs: headSelf - baseSelf, status: 'changed' });
    else if (headSteady.has(name) && !headProbe(name)) changes.push({ name, baseSelfUs: 0, headSelfUs: headSelf, deltaUs: headSelf, status: 'new' });
  }
  for (const name of removedModules) {
    const baseSelf = bs.get(name) ?? 0;
    changes.push({ name, baseSelfUs: baseSelf, headSelfUs: 0, deltaUs: -baseSelf, status: 'removed' });
  }
  changes.sort((x, y) => Math.abs(y.deltaUs) - Math.abs(x.deltaUs) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return { changes: changes.filter((c) => c.deltaUs !== 0).slice(0, top), newModules, removedModules };
}

/** The timing decision on one batch, with the modules that changed most. */
export function compare(head: ProfileSession, base: BaseSide, o: GateOptions, top = 10): Comparison {
  const { largeEnough: _unused, ...d } = decide(samplesOfSession(head), samplesOfBase(base), o);
  return { baseLabel: base.label, ...d, ...attribute(head, base, top), baseModules: base.modules };
}
