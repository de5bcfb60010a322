// What the interpreter's start-up loaded that the handler needs. site-packages' .pth files run at start-up
// and can import modules the handler asks for later (pyenv's certifi .pth: ~80 modules). Lambda processes no
// .pth file of the task root or layers, so there the handler pays for those modules itself; here they would
// silently be left out of its cost.
import type { Aggregate, ModuleStat } from './aggregate.js';

/** What `site` imports for itself; everything else below it at start-up came from a .pth file. */
const SITE_OWN = new Set(['os', 'builtins', '_sitebuiltins', 'io', 'stat', 'sitecustomize', 'usercustomize']);

export interface Preloaded {
  /** The modules .pth files loaded at start-up that the handler's import asked for, with what they pulled in. */
  modules: string[];
  /** Of those, the ones the handler's import asked for itself, costliest first (cumulative at start-up). */
  requested: string[];
  /** Their own time at start-up (µs, medians): what the handler would pay for them on Lambda. */
  us: number;
}

function underSite(m: ModuleStat): boolean {
  let top: ModuleStat = m;
  let child: ModuleStat | null = null;
  while (top.parent) {
    child = top;
    top = top.parent;
  }
  return top.name === 'site' && child !== null && !SITE_OWN.has(child.name);
}

/**
 * The start-up modules loaded by .pth files that the handler's import requested (`requested`: every module
 * asked for during init, already loaded or not), and everything they imported at start-up, less what Lambda's
 * own start-up and bootstrap load (`runtimeLoads`). Null without the start-up tree or the requests.
 */
export function preloadedByPth(
  startup: Aggregate | null,
  requested: ReadonlySet<string> | null,
  runtimeLoads: ReadonlySet<string> | null = null,
): Preloaded | null {
  if (!startup || !requested) return null;
  // what Lambda's own start-up and bootstrap load anyway (site without .pth, json, logging…) is nobody's cost
  const fromPth = startup.modules.filter((m) => !m.cached && underSite(m) && !runtimeLoads?.has(m.name));
  const needed = new Set<ModuleStat>();
  for (const m of fromPth) {
    if (!requested.has(m.name)) continue;
    // the module and what it imported at start-up: all of it leaves start-up on Lambda
    for (const d of fromPth) {
      for (let p: ModuleStat | null = d; p; p = p.parent) {
        if (p === m) {
          needed.add(d);
          break;
        }
      }
    }
  }
  const list = [...needed];
  // outermost first: a requested module inside another requested one's subtree adds nothing to name
  const asked = list.filter((m) => requested.has(m.name) && !(m.parent && needed.has(m.parent)));
  asked.sort((a, b) => b.cumulativeUs.median - a.cumulativeUs.median);
  return {
    modules: [...new Set(list.map((m) => m.name))],
    requested: [...new Set(asked.map((m) => m.name))],
    us: list.reduce((t, m) => t + m.selfUs.median, 0),
  };
}
