// The deterministic gates: forbidden modules with the import chain that pulled them in, a module count,
// and new packages or modules against a base. They read the module tree only, so they cannot be flaky.
import type { ProfileSession } from '../importtime/session.js';
import { chainOf, liveModules, notFoundIn, outermost, steadyNames } from './modules.js';
import type { BaseSide, GateCheck, GateFailure, GateOptions, GateWording } from './types.js';

/** A module pattern: `*` any characters (dots included), `?` one; a plain name also covers its submodules. */
function moduleMatcher(pattern: string): (name: string) => boolean {
  const hasGlob = /[*?]/.test(pattern);
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return (name) => re.test(name) || (!hasGlob && name.startsWith(`${pattern}.`));
}

/**
 * Modules the head imports in at least half of its runs and the base never imported. A name Python
 * looked for and did not find (an optional-dependency probe: `xml.dom` trying `org`) still prints an
 * import-time line; it is no new module.
 */
function newModuleNames(head: ProfileSession, base: BaseSide): string[] {
  const baseNames = new Set(base.modules.map((m) => m.name));
  const notFound = notFoundIn(head.missing);
  const headNames = steadyNames(liveModules(head), head.aggregate.runs);
  return [...headNames].filter((n) => !baseNames.has(n) && !notFound(n));
}

/** Forbidden modules, the module count, and new packages/modules against the base. Never flaky. */
export function deterministicGates(
  head: ProfileSession,
  base: BaseSide | null,
  o: GateOptions,
  w: GateWording,
): { checks: GateCheck[]; failures: GateFailure[] } {
  const checks: GateCheck[] = [];
  const failures: GateFailure[] = [];
  const mods = liveModules(head);

  for (const pattern of o.forbid) {
    const match = moduleMatcher(pattern);
    const hit = outermost(mods, (m) => match(m.name));
    const chain = hit ? chainOf(hit) : null;
    checks.push({
      key: `forbid:${pattern}`,
      kind: 'forbid',
      timing: false,
      label: `forbid ${pattern}`,
      limit: 'not imported',
      measured: chain ? w.chain(chain) : 'not imported',
      passed: !hit,
    });
    if (hit && chain) {
      failures.push({
        kind: 'forbid',
        module: hit.name,
        message: `forbidden module ${hit.name} is imported at init: ${w.chain(chain)}`,
        chain,
      });
    }
  }

  if (o.maxModules !== undefined) {
    const count = mods.length;
    const passed = count <= o.maxModules;
    checks.push({ key: 'max-modules', kind: 'max-modules', timing: false, label: 'max-modules', limit: `≤ ${o.maxModules}`, measured: String(count), passed });
    if (!passed) {
      failures.push({
        kind: 'max-modules',
        module: null,
        message: `the handler imports ${count} modules at init, more than the limit of ${o.maxModules}`,
        chain: null,
      });
    }
  }

  if (base) {
    const fresh = newModuleNames(head, base).filter((n) => !o.allowNew.some((p) => moduleMatcher(p)(n)));
    const basePackages = new Set(base.modules.map((m) => m.package));
    const byPackage = new Map<string, string[]>();
    for (const n of fresh) {
      const pkg = n.split('.')[0] as string;
      if (!basePackages.has(pkg)) byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), n]);
    }
    for (const [pkg, names] of byPackage) {
      const first = outermost(mods, (m) => m.package === pkg);
      const chain = first ? chainOf(first) : null;
      failures.push({
        kind: 'new-module',
        module: pkg,
        message: `new package ${pkg} at init (${names.length === 1 ? '1 module' : `${names.length} modules`})${chain ? `: ${w.chain(chain)}` : ''}`,
        chain,
      });
    }
    for (const n of fresh) {
      if (byPackage.has(n.split('.')[0] as string)) continue;
      const first = outermost(mods, (m) => m.name === n);
      const chain = first ? chainOf(first) : null;
      failures.push({ kind: 'new-module', module: n, message: `new module ${n} at init${chain ? `: ${w.chain(chain)}` : ''}`, chain });
    }
    const count = byPackage.size + fresh.filter((n) => !byPackage.has(n.split('.')[0] as string)).length;
    checks.push({
      key: 'new-module',
      kind: 'new-module',
      timing: false,
      label: 'new modules',
      limit: `none vs ${base.label}`,
      measured: fresh.length === 0 ? 'none' : `${fresh.length} new (${[...byPackage.keys(), ...fresh.filter((n) => !byPackage.has(n.split('.')[0] as string))].slice(0, 3).join(', ')}${count > 3 ? ', …' : ''})`,
      passed: fresh.length === 0,
    });
  }
  return { checks, failures };
}
