// defer-together: two imports that each keep the other's cost at init — numpy imported by the handler and by
// scipy.stats, which the handler imports too: deferring either alone saves little, deferring both saves
// their whole subtrees. Said once per pair, with the joint saving and what each saves alone (the import
// graph, recorded by a warm-up run, is what shows it). With the memory size known, the first request's cost
// is scaled as for defer-import (./memory.ts), and a pair whose first request would pay more than init
// saves is not recommended.
import { usToMs, type ProfileRule } from './context.js';
import { deferralAtMemory } from './memory.js';
import type { Advice } from './types.js';

export const deferTogether: ProfileRule = {
  scope: 'profile',
  kind: 'defer-together',
  advise(ctx) {
    const out: Advice[] = [];
    for (const { a, b, togetherUs } of ctx.together) {
      if (a.imp.uses !== 'functions' || b.imp.uses !== 'functions') continue;
      const where = (c: typeof a): string => `${c.imp.module} (${ctx.display(c.fact.file)}:${c.imp.line})`;
      const alone = (c: typeof a): string => `${c.imp.module} alone ${usToMs(c.savingUs)} ms`;
      const saving = usToMs(togetherUs);
      const both = `${where(a)} and ${where(b)} are only used inside functions, and each keeps the other's modules at init`;
      const m = deferralAtMemory(saving, ctx.opts.scaling, { one: 'them', whose: 'their', paidFor: 'both' });
      const base = { kind: 'defer-together' as const, file: ctx.display(a.fact.file), line: a.imp.line, module: `${a.imp.module} + ${b.imp.module}` };
      if (m.keep) {
        out.push({ ...base, savingMs: 0, ...m.fields, message: `${both}; ${m.keep}` });
        continue;
      }
      out.push({
        ...base,
        savingMs: saving,
        ...(m.fields ?? {}),
        message:
          `${both}: deferring both saves ${saving} ms of init together (${alone(a)}, ${alone(b)}). ` +
          `Their cost moves to the first call that needs them; it does not go away.${m.note}`,
      });
    }
    return out;
  },
};
