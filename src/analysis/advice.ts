// Advice with measured savings: each suggestion names a file:line and the milliseconds this profile says
// it would save. No number, no suggestion; no generic tips. Facts about the user's code come from
// Python's own `ast` (src/python/facts.py); the costs from the aggregated import tree.
//
// One rule per kind of advice, in src/analysis/advice/, all reading one context built once. To add a
// kind: add it to AdviceKind (advice/types.ts), write its rule in one file, add one line to RULES, and
// test it in test/unit/advice-<kind>.test.ts.
import type { ProfileSession } from '../importtime/session.js';
import { considerProvisionedOrSnapStart } from './advice/consider-provisioned-or-snapstart.js';
import { adviceContext, largestNode, type AdviceContext, type AdviceOptions, type AdviceRule } from './advice/context.js';
import { deferImport } from './advice/defer-import.js';
import { deferTogether } from './advice/defer-together.js';
import { dependencyCost } from './advice/dependency-cost.js';
import { importSideEffects } from './advice/import-side-effects.js';
import { moduleClient } from './advice/module-client.js';
import { shipPyc } from './advice/ship-pyc.js';
import type { Advice } from './advice/types.js';
import { unusedImport } from './advice/unused-import.js';

export type { AdviceOptions };

/**
 * Every kind of advice. Import rules run first, on each import that could leave init in the order of
 * the user's code; then the profile rules in this order, each seeing the advice of those before it,
 * most valuable first (side effects skip what a defer already covers; provisioned/SnapStart adds up
 * every code change's saving, in that order).
 */
const RULES: readonly AdviceRule[] = [
  deferImport,
  unusedImport,
  deferTogether,
  importSideEffects,
  dependencyCost,
  shipPyc,
  moduleClient,
  considerProvisionedOrSnapStart,
];

/** A suggestion inside another's subtree is already counted by it: keep the outer one. */
function outermost(advice: readonly Advice[], ctx: AdviceContext): Advice[] {
  const stats = new Map(advice.map((a) => [a, largestNode(ctx.modules, a.module)] as const));
  const nested = new Set<Advice>();
  for (const a of advice) {
    for (let p = stats.get(a)?.parent ?? null; p; p = p.parent) {
      if (advice.some((b) => b !== a && stats.get(b) === p)) nested.add(a);
    }
  }
  return advice.filter((a) => !nested.has(a));
}

/** The most valuable first: by saving, then by cost (module clients); ties in the order the rules gave. */
function bySaving(a: Advice, b: Advice): number {
  return b.savingMs - a.savingMs || (b.costMs ?? 0) - (a.costMs ?? 0);
}

export function adviseProfile(session: ProfileSession, opts: AdviceOptions): Advice[] {
  const ctx = adviceContext(session, opts);
  const fromImports: Advice[] = [];
  for (const candidate of ctx.imports) {
    for (const rule of RULES) {
      const a = rule.scope === 'import' ? rule.advise(ctx, candidate) : null;
      if (a) fromImports.push(a);
    }
  }
  const out = outermost(fromImports, ctx).sort(bySaving);
  for (const rule of RULES) {
    if (rule.scope !== 'profile') continue;
    out.push(...rule.advise(ctx, out));
    out.sort(bySaving);
  }
  return out.slice(0, opts.max);
}
