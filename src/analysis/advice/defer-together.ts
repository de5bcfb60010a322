// defer-together: two imports that each keep the other's cost at init — numpy imported by the handler and by
// scipy.stats, which the handler imports too: deferring either alone saves little, deferring both saves
// their whole subtrees. Said once per pair, with the joint saving and what each saves alone (the import
// graph, recorded by a warm-up run, is what shows it).
import { usToMs, type ProfileRule } from './context.js';
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
      out.push({
        kind: 'defer-together',
        file: ctx.display(a.fact.file),
        line: a.imp.line,
        module: `${a.imp.module} + ${b.imp.module}`,
        savingMs: usToMs(togetherUs),
        message:
          `${where(a)} and ${where(b)} are only used inside functions, and each keeps the other's modules at init: ` +
          `deferring both saves ${usToMs(togetherUs)} ms of init together (${alone(a)}, ${alone(b)}). ` +
          `Their cost moves to the first call that needs them; it does not go away.`,
      });
    }
    return out;
  },
};
