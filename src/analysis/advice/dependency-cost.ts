// dependency-cost: a third-party distribution whose own module-level code is slow. The user cannot change
// its code, so it is said once, as that distribution's cost at the user's own import statement: the place
// where the user can defer it, import less of it, or choose another. Not when a defer/unused suggestion
// already takes that statement out of init.
import type { ModuleStat } from '../../importtime/aggregate.js';
import { usToMs, type ImportAt, type ProfileRule } from './context.js';
import type { Advice } from './types.js';

interface Cost {
  distribution: string;
  version: string | null;
  /** Σ median self time of its modules (µs). */
  selfUs: number;
  modules: number;
  largest: ModuleStat;
}

export const dependencyCost: ProfileRule = {
  scope: 'profile',
  kind: 'dependency-cost',
  advise(ctx, earlier) {
    const byDist = new Map<string, Cost>();
    for (const m of ctx.modules) {
      const owner = ctx.ownerOf(m.name);
      if (owner.kind !== 'third-party') continue;
      let c = byDist.get(owner.distribution);
      if (!c) byDist.set(owner.distribution, (c = { distribution: owner.distribution, version: owner.version, selfUs: 0, modules: 0, largest: m }));
      c.selfUs += m.selfUs.median;
      c.modules += 1;
      if (m.selfUs.median > c.largest.selfUs.median) c.largest = m;
    }
    const min = Math.max(10_000, ctx.initUs * 0.05);
    const taken = new Set(earlier.filter((a) => a.kind === 'defer-import' || a.kind === 'unused-import').map((a) => `${a.file}:${a.line}`));
    // statements a defer-together suggestion takes out of init
    if (earlier.some((a) => a.kind === 'defer-together')) {
      for (const { a, b } of ctx.together) for (const c of [a, b]) taken.add(`${ctx.display(c.fact.file)}:${c.imp.line}`);
    }
    const out: Advice[] = [];
    const said = new Set<string>();
    for (const c of [...byDist.values()].sort((a, b) => b.selfUs - a.selfUs)) {
      if (c.selfUs < min) continue;
      // the user's statement that brought its first (outermost) module in
      const first = ctx.modules.find((m) => {
        const o = ctx.ownerOf(m.name);
        return o.kind === 'third-party' && o.distribution === c.distribution && !(m.parent && ownedBy(ctx.ownerOf(m.parent.name), c.distribution));
      });
      const at: ImportAt | null = first ? ctx.userImportOf(first) : null;
      if (!at) continue; // nothing of the user's imports it at init: nowhere to act
      const where = `${ctx.display(at.fact.file)}:${at.imp.line}`;
      if (taken.has(where)) continue;
      const own = usToMs(c.selfUs);
      const version = c.version ? ` ${c.version}` : '';
      const message =
        `${c.distribution}${version} (a third-party distribution) runs ${own} ms of its own module-level code at init across ${c.modules} module${c.modules === 1 ? '' : 's'} ` +
        `(most in ${c.largest.name}, ${usToMs(c.largest.selfUs.median)} ms), pulled in by ${at.imp.module} at ${where}. ` +
        `Its code is not yours to change: defer that import if only functions use it, import a lighter part of it, or choose another dependency.`;
      if (said.has(where + c.distribution)) continue;
      said.add(where + c.distribution);
      out.push({ kind: 'dependency-cost', file: ctx.display(at.fact.file), line: at.imp.line, module: at.imp.module, savingMs: 0, costMs: own, message });
    }
    return out;
  },
};

function ownedBy(owner: { kind: string; distribution?: string } | undefined, distribution: string): boolean {
  return owner?.kind === 'third-party' && owner.distribution === distribution;
}
